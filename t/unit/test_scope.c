/*
 * Unit tests of team scope's pure core (src/core/sfb_scope.c): which names are
 * names, id to name, coverage at a segment boundary and as Service Fabric
 * compares names, the GetServiceName answer, a storage query's entity.
 */

#include <string.h>

#include "sfb_tap.h"
#include "sfb_scope.h"
#include "sfb_verify.h"


#define S(s)  { (const unsigned char *) (s), sizeof(s) - 1 }
#define U(s)  (const unsigned char *) (s), strlen(s)


static int covers(const char *name, const sfb_str_t *scope, size_t n);
static void test_valid(void);
static void test_from_id(void);
static void test_covers(void);
static void test_answer(void);
static void test_query_entity(void);
static void test_audit_member(void);


int
main(void)
{
    test_valid();
    test_from_id();
    test_covers();
    test_answer();
    test_query_entity();
    test_audit_member();

    return done_testing();
}


static int
covers(const char *name, const sfb_str_t *scope, size_t n)
{
    return sfb_scope_covers(U(name), scope, n);
}


static void
test_valid(void)
{
    size_t          i;
    unsigned char   big[SFB_SCOPE_NAME_MAX + 2];
    static const char  *good[] = {
        "fabric:/TeamA", "fabric:/Shared/Reports", "FABRIC:/TeamA",
        "Fabric:/a.b-c_d/e", "fabric:/x~y"
    };
    static const char  *bad[] = {
        "", "fabric:", "fabric:/", "fabric://TeamA", "fabric:/TeamA/",
        "fabric:/Team A", "fabric:/TeamA//Orders", "fabric:/TeamA?x",
        "fabric:/TeamA#x", "fabric:/Team\\A", "fabric:/Team\"A",
        "fabric:/A,B", "fabrik:/TeamA", "/TeamA", "TeamA",
        "fabric\x1a/TeamA", "fabric:/Team\x7f"
    };

    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        ok(sfb_scope_name_valid(U(good[i])), "valid name: %s", good[i]);
    }

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ok(!sfb_scope_name_valid(U(bad[i])), "invalid name: '%s'", bad[i]);
    }

    ok(!sfb_scope_name_valid((const unsigned char *) "fabric:/A\0B", 11),
       "invalid name: an embedded NUL");

    memcpy(big, "fabric:/", 8);
    memset(big + 8, 'a', sizeof(big) - 8);
    ok(sfb_scope_name_valid(big, SFB_SCOPE_NAME_MAX),
       "a name of SFB_SCOPE_NAME_MAX bytes is valid");
    ok(!sfb_scope_name_valid(big, SFB_SCOPE_NAME_MAX + 1),
       "one byte more is not");
}


static void
test_from_id(void)
{
    size_t          n;
    unsigned char   out[64];

    n = sfb_scope_name_from_id(U("TeamA~Orders~Store"), out, sizeof(out));
    is_mem(out, n, "fabric:/TeamA/Orders/Store", "a service id: '~' is '/'");

    n = sfb_scope_name_from_id(U("TeamA"), out, sizeof(out));
    is_mem(out, n, "fabric:/TeamA", "an application id of one segment");

    is_int(sfb_scope_name_from_id(U("TeamA~Orders"), out, 19), 0,
           "a buffer too small gets nothing");
    is_int(sfb_scope_name_from_id(U(""), out, sizeof(out)), 0,
           "an empty id is no name");
}


static void
test_covers(void)
{
    static const sfb_str_t  a[] = { S("fabric:/TeamA") };
    static const sfb_str_t  two[] = { S("fabric:/TeamB"),
                                      S("fabric:/Shared/Reports") };
    static const sfb_str_t  bad[] = { S("fabric:/TeamA/"), S("TeamA"),
                                      S("") };
    static const sfb_str_t  upper[] = { S("FABRIC:/TeamA") };

    ok(covers("fabric:/TeamA", a, 1), "a name covers itself");
    ok(covers("fabric:/TeamA/Orders", a, 1), "... a name below it");
    ok(covers("fabric:/TeamA/Orders/Store", a, 1), "... any depth below");
    ok(!covers("fabric:/TeamAB", a, 1),
       "... not a longer name at the same level (segment boundary)");
    ok(!covers("fabric:/TeamAB/Orders", a, 1), "... nor below it");
    ok(!covers("fabric:/Team", a, 1), "... nor a shorter one");
    ok(!covers("fabric:/teama/Orders", a, 1),
       "the path compares case-sensitively, as Service Fabric's names");
    ok(!covers("fabric:/TEAMA", a, 1), "... in every letter");
    ok(covers("Fabric:/TeamA/Orders", a, 1),
       "the scheme compares in any case (a URI scheme)");
    ok(covers("fabric:/TeamA/Orders", upper, 1), "... on either side");
    ok(!covers("fabric:/TeamA/Orders/", a, 1),
       "an invalid name is covered by nothing");
    ok(!covers("fabric:/TeamA", a, 0), "an empty scope covers nothing");
    ok(!covers("fabric:/TeamA", bad, 3),
       "invalid scope names cover nothing");
    ok(covers("fabric:/Shared/Reports/Daily", two, 2),
       "the second name of a scope");
    ok(!covers("fabric:/Shared", two, 2), "... not its parent");
    ok(!covers("fabric:/Shared/ReportsX", two, 2), "... not a sibling");
    ok(covers("fabric:/TeamB", two, 2), "the first name of a scope");
}


static void
test_answer(void)
{
    size_t          n;
    char            detail[128];
    unsigned char   out[SFB_SCOPE_NAME_MAX];
    sfb_lookup_e    rc;

#define ANSWER(status, body)                                                  \
    sfb_scope_read_answer((status), (const unsigned char *) (body),          \
                          strlen(body), out, sizeof(out), &n, detail,        \
                          sizeof(detail))

    rc = ANSWER(200, "{\"Id\":\"TeamA~Orders~Store\","
                     "\"Name\":\"fabric:/TeamA/Orders/Store\"}");
    is_int(rc, SFB_LOOKUP_OK, "200 with Id and Name: resolved");
    is_mem(out, n, "fabric:/TeamA/Orders/Store", "... the Name");

    rc = ANSWER(200, "{\"Name\":\"fabric:/TeamA\"}");
    is_int(rc, SFB_LOOKUP_OK, "200 with a Name only: resolved");

    rc = ANSWER(200, "{\"Name\":\"fabric:/A\\u0000B\"}");
    is_int(rc, SFB_LOOKUP_UNREADABLE, "a Name with a NUL: unreadable");

    rc = ANSWER(404, "{\"Error\":{\"Code\":\"FABRIC_E_PARTITION_NOT_FOUND\","
                     "\"Message\":\"no\"}}");
    is_int(rc, SFB_LOOKUP_NOT_FOUND,
           "404 FABRIC_E_PARTITION_NOT_FOUND: not found");

    rc = ANSWER(404, "{\"Error\":{\"Code\":\"FABRIC_E_NAME_DOES_NOT_EXIST\"}}");
    is_int(rc, SFB_LOOKUP_UNREADABLE,
           "404 with another Code (a wrong path): unreadable");
    is_str(detail, "status 404 without FABRIC_E_PARTITION_NOT_FOUND",
           "... said so");

    rc = ANSWER(404, "<html>Not Found</html>");
    is_int(rc, SFB_LOOKUP_UNREADABLE, "404 in HTML: unreadable");

    rc = ANSWER(500, "<html>oops</html>");
    is_int(rc, SFB_LOOKUP_UNREADABLE, "500: unreadable");
    is_str(detail, "status 500", "... the status said, never the body");

    rc = ANSWER(200, "{\"Id\":");
    is_int(rc, SFB_LOOKUP_UNREADABLE, "JSON cut short: unreadable");
    ok(strncmp(detail, "not JSON (line 1, column ", 25) == 0,
       "... where jansson stopped: %s", detail);

    rc = ANSWER(200, "");
    is_int(rc, SFB_LOOKUP_UNREADABLE, "an empty body: unreadable");

    rc = ANSWER(200, "[\"fabric:/TeamA\"]");
    is_int(rc, SFB_LOOKUP_UNREADABLE, "not an object: unreadable");

    rc = ANSWER(200, "{\"Name\":42}");
    is_int(rc, SFB_LOOKUP_UNREADABLE, "a Name not a string: unreadable");

    rc = ANSWER(200, "{\"Name\":\"TeamA/Orders\"}");
    is_int(rc, SFB_LOOKUP_UNREADABLE, "a Name without fabric:/: unreadable");

    rc = ANSWER(200, "{\"Name\":\"fabric:/TeamB\",\"Name\":\"fabric:/TeamA\"}");
    is_int(rc, SFB_LOOKUP_UNREADABLE,
           "a Name given twice (which one?): unreadable");

    rc = ANSWER(200, "{\"Name\":\"fabric:/TeamA\"} trailing");
    is_int(rc, SFB_LOOKUP_UNREADABLE, "bytes after the JSON: unreadable");

    rc = sfb_scope_read_answer(200, NULL, 0, out, sizeof(out), &n, detail,
                               sizeof(detail));
    is_int(rc, SFB_LOOKUP_UNREADABLE, "no body at all: unreadable");

    rc = sfb_scope_read_answer(200,
                               (const unsigned char *)
                               "{\"Name\":\"fabric:/TeamA/Orders\"}", 31,
                               out, 10, &n, detail, sizeof(detail));
    is_int(rc, SFB_LOOKUP_UNREADABLE, "a name longer than the buffer");

#undef ANSWER
}


static void
test_query_entity(void)
{
    size_t          n;
    unsigned char   out[64];

    n = sfb_scope_query_entity(U("{\"Storage\":{},\"BackupEntity\":"
                                 "{\"EntityKind\":\"Application\","
                                 "\"ApplicationName\":\"fabric:/TeamA\"}}"),
                               out, sizeof(out));
    is_mem(out, n, "fabric:/TeamA", "a storage query: its application");

    n = sfb_scope_query_entity(U("{\"BackupEntity\":{\"EntityKind\":"
                                 "\"Partition\",\"ServiceName\":"
                                 "\"fabric:/TeamB/Billing/Ledger\","
                                 "\"PartitionId\":\"x\"}}"),
                               out, sizeof(out));
    is_mem(out, n, "fabric:/TeamB/Billing/Ledger",
           "a partition's: its ServiceName");

    is_int(sfb_scope_query_entity(U("{\"Storage\":{}}"), out, sizeof(out)),
           0, "no BackupEntity: none");
    is_int(sfb_scope_query_entity(U("not json"), out, sizeof(out)), 0,
           "not JSON: none");
    is_int(sfb_scope_query_entity(U("{\"BackupEntity\":{\"ServiceName\":"
                                    "\"fabric:/TeamB/Billing/Ledger\"}}"),
                                  out, 8),
           0, "a name longer than the buffer: none");
}


/* entity_name in an audit record: after entity_id, only when set, and
 * accepted by the verifier either way */
static void
test_audit_member(void)
{
    int                  pass;
    size_t               n, m;
    const char          *key = "0123456789abcdef0123456789abcdef";
    unsigned char        line[2][SFB_AUDIT_LINE_MAX];
    sfb_audit_chain_t   *c;
    sfb_audit_check_t   *ck;
    sfb_audit_record_t   r;

    memset(&r, 0, sizeof(r));
    r.time_ms = INT64_C(1795570699123);
    r.request_id = (sfb_str_t) S("7f3a9c0e1d2b4a5f8e6d7c0b1a293847");
    r.method = (sfb_str_t) S("POST");
    r.entity = (sfb_str_t) S("partition");
    r.entity_id = (sfb_str_t) S("6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70");
    r.entity_name = (sfb_str_t) S("fabric:/TeamB/Billing/Ledger");
    r.decision = (sfb_str_t) S("deny");
    r.reason = (sfb_str_t) S("out_of_scope");
    r.phase = (sfb_str_t) S("outcome");
    r.node = (sfb_str_t) S("gw1");

    c = sfb_audit_chain_create((const unsigned char *) key, strlen(key));
    ok(c != NULL && sfb_audit_chain_start(c) == 0, "audit: a chain");
    if (c == NULL) {
        return;
    }

    n = sfb_audit_format(c, &r, line[0], sizeof(line[0]));
    ok(n > 0 && strstr((char *) line[0],
                       "\"entity_id\":\"6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70\","
                       "\"entity_name\":\"fabric:/TeamB/Billing/Ledger\","
                       "\"operation\":") != NULL,
       "audit: entity_name right after entity_id");

    r.entity_name.len = 0;
    m = sfb_audit_format(c, &r, line[1], sizeof(line[1]));
    ok(m > 0 && strstr((char *) line[1], "entity_name") == NULL,
       "audit: no entity_name member when none was resolved");

    ck = sfb_audit_check_create((const unsigned char *) key, strlen(key), 1);
    pass = ck != NULL
           && sfb_audit_check_begin_file(ck, "t") == 0
           && sfb_audit_check_line(ck, line[0], n - 1, 1) == 0
           && sfb_audit_check_line(ck, line[1], m - 1, 1) == 0
           && sfb_audit_check_finish(ck) == 0;
    ok(pass, "audit: the verifier takes records with and without it");

    sfb_audit_check_destroy(ck);
    sfb_audit_chain_destroy(c);
}
