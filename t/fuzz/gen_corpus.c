/*
 * Writes the seed corpora of the fuzz targets: usage: gen_corpus <dir>
 * (scripts/fuzz --corpus, into t/fuzz/corpus/<target>/).
 *
 * The gate's seeds are the unit tests' own cases: t/unit/test_gate.c is
 * compiled in here for its tables.  FabricError bodies are picked from
 * t/unit/test_fabric_error.c; audit logs are made by the real writer keyed
 * with the fuzzing key, clean and tampered in each way the verifier names.
 */

#include <errno.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "sfb_audit.h"
#include "sfb_fabric_error.h"
#include "sfb_seal.h"

#include "../fuzz/sfb_fuzz.h"

/* the unit tests, for their tables only */
#define main  sfb_unit_test_gate_main
int sfb_unit_test_gate_main(void);
#include "test_gate.c"
#undef main


#define LINE_MAX_SEED  4096


typedef struct {
    unsigned char  *data;
    size_t          len;
    size_t          cap;
} seed_t;


static const char  *root;


int main(int argc, char **argv);
static void dir_for(const char *target);
static void put(const char *target, const char *name, size_t i,
    const void *data, size_t len);
static void seed_add(seed_t *s, const void *data, size_t len);
static void seed_str(seed_t *s, const sfb_str_t *v);
static void gate_seeds(void);
static void schema_seeds(void);
static void decide_seed(const char *name, size_t i, unsigned char flags,
    const sfb_str_t *method, const sfb_str_t *uri, const sfb_str_t *args,
    const sfb_str_t *ctype, const sfb_str_t *body, const char *allowed);
static void fabric_seeds(void);
static void audit_seeds(void);
static void scope_seeds(void);
static void seal_seeds(void);
static void storage_seeds(void);
static sfb_audit_record_t record(const char *phase, const char *policy);
static void line(seed_t *s, sfb_audit_chain_t *c,
    const sfb_audit_record_t *r);


int
main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen_corpus <dir>\n");
        return 2;
    }

    root = argv[1];

    if (mkdir(root, 0755) != 0 && errno != EEXIST) {
        perror(root);
        return 1;
    }

    gate_seeds();
    schema_seeds();
    fabric_seeds();
    audit_seeds();
    scope_seeds();
    seal_seeds();
    storage_seeds();

    return 0;
}


static void
dir_for(const char *target)
{
    char  path[512];

    snprintf(path, sizeof(path), "%s/%s", root, target);

    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        perror(path);
        exit(1);
    }
}


static void
put(const char *target, const char *name, size_t i, const void *data,
    size_t len)
{
    char   path[512];
    FILE  *f;

    dir_for(target);
    snprintf(path, sizeof(path), "%s/%s/%s-%03zu", root, target, name, i);

    f = fopen(path, "wb");

    if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}


static void
seed_add(seed_t *s, const void *data, size_t len)
{
    if (s->len + len > s->cap) {
        s->cap = (s->len + len) * 2 + 64;
        s->data = realloc(s->data, s->cap);

        if (s->data == NULL) {
            abort();
        }
    }

    if (len) {
        memcpy(s->data + s->len, data, len);
    }

    s->len += len;
}


static void
seed_str(seed_t *s, const sfb_str_t *v)
{
    seed_add(s, v->data, v->len);
}


static void
gate_seeds(void)
{
    size_t          i;
    seed_t          s;
    unsigned char   flags;
    static const sfb_str_t  post = STR("POST"), json = STR("application/json"),
                            args = STR("api-version=6.2-preview&timeout=60"),
                            body = STR("{\"BackupPolicyName\":\"Weekly\"}");

    for (i = 0; i < N(path_cases); i++) {
        put("fuzz_path", "unit", i, path_cases[i].uri.data,
            path_cases[i].uri.len);

        /* each path in a whole request, every eighth one */
        if (i % 8 == 0) {
            decide_seed("path", i, 0x01, &post, &path_cases[i].uri, &args,
                        &json, &body, "Weekly");
        }
    }

    for (i = 0; i < N(query_cases); i++) {
        memset(&s, 0, sizeof(s));
        flags = (unsigned char) (i % 4 == 3 ? 0x03 : 0x00);
        seed_add(&s, &flags, 1);
        seed_str(&s, &query_cases[i].args);
        put("fuzz_query", "unit", i, s.data, s.len);
        free(s.data);
    }

    /* the other calls' parameters (flag 0x10, then the SFB_Q_* byte) */
    {
        static const struct {
            unsigned char   params;
            const char     *args;
        } rows[] = {
            { 0x01, "api-version=6.4&BackupTimeout=10" },
            { 0x02, "RestoreTimeout=1440&api-version=6.4&timeout=60" },
            { 0x04, "api-version=6.4&Latest=True" },
            { 0x18, "api-version=6.4&StartDateTimeFilter=2026-11-01T00:00:00Z"
                    "&EndDateTimeFilter=2026-11-30T23:59:59.5%2B01:00" },
            { 0x60, "api-version=6.4&ContinuationToken=a%2Fb~c&MaxResults=0" },
            { 0x7f, "api-version=6.4&MaxResults=10&MaxResults=11" },
            { 0x40, "api-version=6.4&MaxResults=-1" },
        };

        for (i = 0; i < N(rows); i++) {
            memset(&s, 0, sizeof(s));
            flags = 0x11;       /* 6.4 among the versions */
            seed_add(&s, &flags, 1);
            seed_add(&s, &rows[i].params, 1);
            seed_add(&s, rows[i].args, strlen(rows[i].args));
            put("fuzz_query", "params", i, s.data, s.len);
            free(s.data);
        }
    }

    for (i = 0; i < N(ctype_cases); i++) {
        put("fuzz_content_type", "unit", i, ctype_cases[i].value.data,
            ctype_cases[i].value.len);
    }

    for (i = 0; i < N(body_cases); i++) {
        put("fuzz_body", "unit", i, body_cases[i].body.data,
            body_cases[i].body.len);
    }

    for (i = 0; i < N(decide_cases); i++) {
        decide_seed("unit", i,
                    (unsigned char) (decide_cases[i].ctype_count & 0x03),
                    &decide_cases[i].method, &decide_cases[i].uri,
                    &decide_cases[i].args, &decide_cases[i].ctype,
                    &decide_cases[i].body,
                    "DailyAzureBackupPolicy\x1eWeekly");
    }

    /* the rule switches of fuzz_decide, on an allowed request */
    for (i = 0; i < 8; i++) {
        decide_seed("rules", i, (unsigned char) (0x01 | (1u << i)),
                    &decide_cases[0].method, &decide_cases[0].uri,
                    &decide_cases[0].args, &decide_cases[0].ctype,
                    &decide_cases[0].body, "DailyAzureBackupPolicy");
    }
}


/* fuzz_schema's input: the body kind's index, then a body of that kind */

static void
schema_seeds(void)
{
    size_t  i;
    seed_t  s;

#define SEED_BLOB  "{\"StorageKind\":\"AzureBlobStore\",\"FriendlyName\":\"b\"," \
                   "\"ConnectionString\":\"DefaultEndpointsProtocol=https;"    \
                   "AccountName=a;AccountKey=c2VjcmV0;EndpointSuffix=core."   \
                   "windows.net\",\"ContainerName\":\"c\"}"
#define SEED_SHARE "{\"StorageKind\":\"FileShare\",\"Path\":\"\\\\\\\\fs\\\\b\"," \
                   "\"PrimaryUserName\":\"u\",\"PrimaryPassword\":\"p\","       \
                   "\"SecondaryUserName\":\"v\",\"SecondaryPassword\":\"q\"}"
#define SEED_MI    "{\"StorageKind\":\"ManagedIdentityAzureBlobStore\","         \
                   "\"BlobServiceUri\":\"https://a.blob.core.windows.net\","    \
                   "\"ContainerName\":\"c\",\"ManagedIdentityType\":\"VMSS\"}"

    /* the index is fuzz_schema.c's kinds[]: none, enable, disable, backup,
     * restore, policy, storage query */
    static const struct {
        unsigned char   kind;
        const char     *body;
    } rows[] = {
        { 0, "" },
        { 0, "{}" },
        { 1, "{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}" },
        { 2, "" },
        { 2, "{\"CleanBackup\":true}" },
        { 2, "{\"CleanBackup\":\"true\"}" },
        { 3, "" },
        { 3, "{\"BackupStorage\":" SEED_BLOB "}" },
        { 3, "{\"BackupStorage\":" SEED_SHARE "}" },
        { 3, "{\"BackupStorage\":" SEED_MI "}" },
        { 4, "{\"BackupId\":\"3a056ac9-7206-43c3-8424-6f6103003eba\","
             "\"BackupLocation\":\"Orders\\\\Store\\\\1.zip\"}" },
        { 4, "{\"BackupId\":\"3a056ac9-7206-43c3-8424-6f6103003eba\","
             "\"BackupLocation\":\"x.zip\",\"BackupStorage\":" SEED_SHARE "}" },
        { 5, "{\"Name\":\"Nightly\",\"AutoRestoreOnDataLoss\":false,"
             "\"MaxIncrementalBackups\":\"3\",\"Schedule\":{\"ScheduleKind\":"
             "\"FrequencyBased\",\"Interval\":\"PT4H\"},\"Storage\":"
             SEED_BLOB "}" },
        { 5, "{\"Name\":\"Weekly\",\"AutoRestoreOnDataLoss\":true,"
             "\"MaxIncrementalBackups\":0,\"Schedule\":{\"ScheduleKind\":"
             "\"TimeBased\",\"ScheduleFrequencyType\":\"Weekly\","
             "\"RunDays\":[\"Monday\",\"Friday\"],\"RunTimes\":"
             "[\"0001-01-01T02:00:00Z\"]},\"Storage\":" SEED_SHARE ","
             "\"RetentionPolicy\":{\"RetentionPolicyType\":\"Basic\","
             "\"RetentionDuration\":\"P30D\",\"MinimumNumberOfBackups\":5}}" },
        { 6, "{\"Storage\":" SEED_BLOB ",\"BackupEntity\":{\"EntityKind\":"
             "\"Application\",\"ApplicationName\":\"fabric:/TeamA\"}}" },
        { 6, "{\"Storage\":" SEED_MI ",\"BackupEntity\":{\"EntityKind\":"
             "\"Partition\",\"ServiceName\":\"fabric:/A/B\",\"PartitionId\":"
             "\"1daae3f5-7fd6-42e9-b1ba-8c05f873994d\"}}" },
        /* a policy list as the cluster answers a read: for the masking */
        { 0, "{\"ContinuationToken\":\"\",\"Items\":[{\"Name\":\"P\","
             "\"Storage\":" SEED_BLOB "},{\"Name\":\"Q\",\"Storage\":"
             SEED_SHARE "}]}" },
    };

    for (i = 0; i < N(rows); i++) {
        memset(&s, 0, sizeof(s));
        seed_add(&s, &rows[i].kind, 1);
        seed_add(&s, rows[i].body, strlen(rows[i].body));
        put("fuzz_schema", "kind", i, s.data, s.len);
        free(s.data);
    }

#undef SEED_BLOB
#undef SEED_SHARE
#undef SEED_MI
}


/* fuzz_decide's input: flags, scratch shortfall, then the fields */

static void
decide_seed(const char *name, size_t i, unsigned char flags,
    const sfb_str_t *method, const sfb_str_t *uri, const sfb_str_t *args,
    const sfb_str_t *ctype, const sfb_str_t *body, const char *allowed)
{
    seed_t         s;
    unsigned char  shortfall;

    memset(&s, 0, sizeof(s));
    shortfall = (unsigned char) (i % 3 == 1 ? 7 : 0);

    seed_add(&s, &flags, 1);
    seed_add(&s, &shortfall, 1);
    seed_str(&s, method);
    seed_add(&s, "\x1e", 1);
    seed_str(&s, uri);
    seed_add(&s, "\x1e", 1);
    seed_str(&s, args);
    seed_add(&s, "\x1e", 1);
    seed_str(&s, ctype);
    seed_add(&s, "\x1e", 1);
    seed_str(&s, body);
    seed_add(&s, "\x1e" "team-a\x1e", 8);
    seed_add(&s, allowed, strlen(allowed));

    put("fuzz_decide", name, i, s.data, s.len);
    free(s.data);
}


static void
fabric_seeds(void)
{
    size_t         i, n;
    unsigned char  out[512];

    static const struct {
        const char  *body;
        size_t       len;
    } rows[] = {
#define R(b)  { b, sizeof(b) - 1 }
        R("{\"Error\":{\"Code\":\"E_FAIL\",\"Message\":\"x\"}}"),
        R("{\"Error\":{\"Code\":\"FABRIC_E_TIMEOUT\"}}"),
        R("{\"Error\":{\"Code\":\"X\",\"Message\":\"m\",\"Extra\":1},"
          "\"Other\":[1,2]}"),
        R("{\"Other\":true,\"Error\":{\"Message\":\"m\",\"Code\":\"X\"}}"),
        R(" \r\n\t{\"Error\" : { \"Code\" : \"X\" } }\r\n "),
        R("{\"Error\":{\"Code\":\"X\",\"Message\":\"a\\u0000b\"}}"),
        R("{\"Error\":1,\"Error\":{\"Code\":\"X\"}}"),
        R("{\"Error\":{\"Code\":\"X\"},\"Error\":1}"),
        R("{\"Error\\u0000\":{\"Code\":\"X\"}}"),
        R("{\"Error\":{\"Code\\u0000x\":\"X\"}}"),
        R("{\"Error\":{\"Code\":5}}"),
        R("{\"Error\":{\"Code\":null}}"),
        R("{\"Error\":{\"Message\":\"m\"}}"),
        R("{\"Error\":\"E_FAIL\"}"),
        R("{\"Error\":[{\"Code\":\"X\"}]}"),
        R("{\"error\":{\"code\":\"X\"}}"),
        R("[{\"Error\":{\"Code\":\"X\"}}]"),
        R("\"E_FAIL\""),
        R("<html><body><h1>502 Bad Gateway</h1></body></html>"),
        R(""),
        R("{\"Error\":{\"Code\":\"X\"}} trailing"),
        R("{\"Error\":{\"Code\":\"X\"}}\0"),
        R("{\"Error\":{\"Code\":\"X\xff\"}}"),
        R("\xef\xbb\xbf{\"Error\":{\"Code\":\"X\"}}"),
        R("{\"Error\":{\"Code\":\"\\ud83d\\ude00\"}}"),
        R("CN=a\xff\xfe" "b \xe2\x82 \xc0\xaf\xed\xa0\x80 \xf4\x90\x80\x80"),
        R("\xe2\x82\xac \xf0\x9f\x98\x80 \xc3\xa9"),
#undef R
    };

    for (i = 0; i < N(rows); i++) {
        put("fuzz_fabric_error", "unit", i, rows[i].body, rows[i].len);
    }

    n = sfb_fabric_error_build("E_ACCESSDENIED",
                               (const unsigned char *) "say \"hi\"\n\\ \0 end",
                               15, out, sizeof(out));
    put("fuzz_fabric_error", "built", 0, out, n);
}


static sfb_audit_record_t
record(const char *phase, const char *policy)
{
    sfb_audit_record_t  r;

#define S(v, s)  ((v).data = (const unsigned char *) (s), (v).len = strlen(s))

    memset(&r, 0, sizeof(r));

    r.time_ms = INT64_C(1795570699123);
    S(r.request_id, "7f3a9c0e1d2b4a5f8e6d7c0b1a293847");
    S(r.client, "10.0.0.7");
    S(r.identity, "CN=ops.contoso.com");
    S(r.method, "POST");
    S(r.uri, "/Partitions/1f2e3d4c-5b6a-4789-8a7b-6c5d4e3f2a1b"
             "/$/EnableBackup?api-version=6.4&timeout=60");
    S(r.entity, "partition");
    S(r.entity_id, "1f2e3d4c-5b6a-4789-8a7b-6c5d4e3f2a1b");
    S(r.policy, policy);
    S(r.api_version, "6.4");
    r.has_timeout = 1;
    r.timeout = 60;
    S(r.decision, "allow");
    S(r.reason, "allowed");
    S(r.phase, phase);
    S(r.node, "gw1");

    if (strcmp(phase, "outcome") == 0) {
        r.status = 202;
        S(r.upstream_status, "202");
        S(r.upstream_addr, "10.0.0.9:19080");
        r.duration_ms = 12;
    }

#undef S

    return r;
}


static void
line(seed_t *s, sfb_audit_chain_t *c, const sfb_audit_record_t *r)
{
    size_t         n;
    unsigned char  out[LINE_MAX_SEED];

    n = sfb_audit_format(c, r, out, sizeof(out));

    if (n == 0 || n > sizeof(out)) {
        fprintf(stderr, "gen_corpus: cannot format a record\n");
        exit(1);
    }

    seed_add(s, out, n);
}


/* fuzz_audit_line's input: flags (1 strict, 2 restart the writer), then
 * the lines of a log */

static void
audit_seeds(void)
{
    size_t              i, k, at[8];
    seed_t              s, t;
    unsigned char       flags;
    sfb_audit_record_t  d, o, hostile;
    sfb_audit_chain_t  *a, *b;

    static const char  fields[] =
        "\x02" "7f3a9c0e\x1e" "10.0.0.7\x1e" "CN=ops\x1e" "POST\x1e"
        "/Partitions/1f2e3d4c-5b6a-4789-8a7b-6c5d4e3f2a1b/$/EnableBackup"
        "?api-version=6.4\x1e" "partition\x1e"
        "1f2e3d4c-5b6a-4789-8a7b-6c5d4e3f2a1b\x1e" "daily\x1e" "6.4\x1e"
        "allow\x1e" "allowed\x1e" "10.0.0.9:19080\x1e" "outcome";

    static const char  *kinds[] = {
        "clean", "strict", "linked", "deleted", "swapped", "modified",
        "partial", "nonewline", "twowriters", "forged", "resent",
        "replayed"
    };

    a = sfb_audit_chain_create((const unsigned char *) SFB_FUZZ_AUDIT_KEY,
                               sizeof(SFB_FUZZ_AUDIT_KEY) - 1);
    b = sfb_audit_chain_create((const unsigned char *) SFB_FUZZ_AUDIT_KEY,
                               sizeof(SFB_FUZZ_AUDIT_KEY) - 1);

    if (a == NULL || b == NULL) {
        fprintf(stderr, "gen_corpus: cannot create a chain\n");
        exit(1);
    }

    d = record("decision", "daily");
    o = record("outcome", "daily");

    for (k = 0; k < N(kinds); k++) {
        memset(&s, 0, sizeof(s));
        flags = (unsigned char) (k == 1 ? 0x01 : k == 2 ? 0x02 : 0x00);
        seed_add(&s, &flags, 1);

        (void) sfb_audit_chain_start(a);
        (void) sfb_audit_chain_start(b);

        /* four lines of one request pair each, line starts noted */
        for (i = 0; i < 4; i++) {
            at[i] = s.len;
            line(&s, a, i % 2 ? &o : &d);

            if (k == 8) {
                line(&s, b, i % 2 ? &o : &d);
            }
        }

        at[4] = s.len;

        if (k == 2) {
            /* a reopen: a new chain naming the old one */
            (void) sfb_audit_chain_start(a);
            line(&s, a, &d);
        }

        memset(&t, 0, sizeof(t));

        switch (k) {
        case 3:                 /* line 2 deleted */
            seed_add(&t, s.data, at[1]);
            seed_add(&t, s.data + at[2], s.len - at[2]);
            break;

        case 4:                 /* lines 2 and 3 swapped */
            seed_add(&t, s.data, at[1]);
            seed_add(&t, s.data + at[2], at[3] - at[2]);
            seed_add(&t, s.data + at[1], at[2] - at[1]);
            seed_add(&t, s.data + at[3], s.len - at[3]);
            break;

        case 5:                 /* a value changed in line 3 */
            seed_add(&t, s.data, s.len);
            t.data[at[2] + 12] ^= 0x01;
            break;

        case 6:                 /* half of line 2, then the rest */
            seed_add(&t, s.data, at[1] + (at[2] - at[1]) / 2);
            seed_add(&t, s.data + at[2], s.len - at[2]);
            break;

        case 7:                 /* the last newline lost */
            seed_add(&t, s.data, s.len - 1);
            break;

        case 9:                 /* a line without chain fields */
            seed_add(&t, s.data, at[1]);
            line(&t, NULL, &d);
            break;

        case 10:                /* lines 2 to 4 shipped again: duplicates */
            seed_add(&t, s.data, s.len);
            seed_add(&t, s.data + at[1], at[4] - at[1]);
            break;

        case 11:                /* line 2 alone again at the end: replayed */
            seed_add(&t, s.data, s.len);
            seed_add(&t, s.data + at[1], at[2] - at[1]);
            break;

        default:
            seed_add(&t, s.data, s.len);
            break;
        }

        put("fuzz_audit_line", kinds[k], 0, t.data, t.len);

        free(s.data);
        free(t.data);
    }

    /* the record fields of check_records(), cut at 0x1e */
    memset(&s, 0, sizeof(s));
    seed_add(&s, fields, sizeof(fields) - 1);
    put("fuzz_audit_line", "fields", 0, s.data, s.len);
    free(s.data);

    /* hostile values: quotes, newlines, NUL, invalid UTF-8, U+2028 */
    hostile = record("decision", "a\"b\nc\0d\xff\xe2\x80\xa8");
    hostile.policy.len = 13;
    memset(&s, 0, sizeof(s));
    seed_add(&s, "\x00", 1);
    (void) sfb_audit_chain_start(a);
    line(&s, a, &hostile);
    put("fuzz_audit_line", "hostile", 0, s.data, s.len);
    free(s.data);

    sfb_audit_chain_destroy(a);
    sfb_audit_chain_destroy(b);
}


/* fuzz_scope: a status byte, then a GetServiceName answer (and a name and
 * a scope list, split at its first newline) */
static void
scope_seeds(void)
{
    size_t              i;
    static const char  *rows[] = {
        "\x01{\"Id\":\"TeamA~Orders~Store\","
            "\"Name\":\"fabric:/TeamA/Orders/Store\"}",
        "\xa0{\"Error\":{\"Code\":\"FABRIC_E_PARTITION_NOT_FOUND\","
            "\"Message\":\"x\"}}",
        "\xd0<html>500</html>",
        "\x01{\"Id\":",
        "\x01" "fabric:/TeamA/Orders\nfabric:/TeamA,fabric:/TeamB",
        "\x01" "fabric:/TeamAB\nfabric:/TeamA",
        "\x01TeamA~Orders~Store"
    };

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        put("fuzz_scope", "seed", i, rows[i], strlen(rows[i]));
    }
}


/* fuzz_seal's input: 0 then a state file, or 1 then a verification key.
 * States: v2 as written, torn (slot 1 newer), one slot flipped, a slot of
 * another file, and v1 (written here: the core prints v2 only). */
static void
seal_seeds(void)
{
    int            n;
    char           hex[2 * SFB_SEAL_KEY_LEN + 1];
    size_t         i, len;
    sfb_seal_t     s, t;
    unsigned char  buf[SFB_SEAL_TEXT_MAX + 1], other[SFB_SEAL_TEXT_MAX];

    dir_for("fuzz_seal");

    if (sfb_seal_setup(&s, INT64_C(1795570699), 900) != 0) {
        fprintf(stderr, "gen_corpus: cannot set up sealing\n");
        exit(1);
    }

    buf[0] = 1;
    len = sfb_seal_vkey_text(&s, (char *) buf + 1, sizeof(buf) - 1);
    put("fuzz_seal", "vkey", 0, buf, len + 1);

    (void) sfb_seal_advance(&s, 42);

    buf[0] = 0;
    len = sfb_seal_state_text(&s, 7, (char *) buf + 1, sizeof(buf) - 1);
    put("fuzz_seal", "state", 0, buf, len + 1);

    /* the first half of an update: slot 1 at epoch 43, seq 8 */
    t = s;
    (void) sfb_seal_advance(&t, 43);
    (void) sfb_seal_state_text(&t, 8, (char *) other, sizeof(other));
    memcpy(buf + 1 + SFB_SEAL_STATE_HEAD, other + SFB_SEAL_STATE_HEAD,
           SFB_SEAL_STATE_SLOT);
    put("fuzz_seal", "state", 1, buf, len + 1);

    /* slot 2's key, one digit changed: its sum fails */
    i = 1 + SFB_SEAL_STATE_HEAD + SFB_SEAL_STATE_SLOT + 60;
    buf[i] = buf[i] == '0' ? '1' : '0';
    put("fuzz_seal", "state", 2, buf, len + 1);

    /* slot 2 from a file whose start differs: passed over */
    t = s;
    t.start++;
    (void) sfb_seal_state_text(&t, 9, (char *) other, sizeof(other));
    memcpy(buf + 1 + SFB_SEAL_STATE_HEAD + SFB_SEAL_STATE_SLOT,
           other + SFB_SEAL_STATE_HEAD, SFB_SEAL_STATE_SLOT);
    put("fuzz_seal", "state", 3, buf, len + 1);

    for (i = 0; i < SFB_SEAL_KEY_LEN; i++) {
        snprintf(hex + 2 * i, 3, "%02x", s.key[i]);
    }

    n = snprintf((char *) buf + 1, sizeof(buf) - 1, "sf-backup-gate seal "
                 "state v1\nkey_id %s\nstart %lld\ninterval %lld\nepoch "
                 "%llu\nkey %s\n", s.key_id, (long long) s.start,
                 (long long) s.interval, (unsigned long long) s.epoch, hex);
    put("fuzz_seal", "state-v1", 0, buf, (size_t) n + 1);

    sfb_seal_clear(&s);
    sfb_seal_clear(&t);
}


/* fuzz_storage's input: the mode (see fuzz_storage.c), then its fields, one
 * a line; of each kind, what is accepted first, then what is refused */

static void
storage_seeds(void)
{
    size_t  i, n[8];
    seed_t  s;

#define SEED_HOST  "sfsimfakebackups.blob.core.windows.net"
#define SEED_KEY   "c2ZzaW0gZmFrZSBiYWNrdXBzIGFjY291bnQga2V5LCBub3Qg"       \
                   "YSBzZWNyZXQhIDAxMjM0NTY3ODlhYmNkZWZnLg=="
#define SEED_PID   "1daae3f5-7fd6-42e9-b1ba-8c05f873994d"

    /* the file names, by mode */
    static const char  *kinds[8] = {
        "azure", "share", "managed", "dsms", "entry", "location",
        "policies", "entities"
    };

    static const struct {
        unsigned char   mode;
        const char     *fields;
    } rows[] = {
        { 0, "DefaultEndpointsProtocol=https;AccountName=sfsimfakebackups;"
             "AccountKey=" SEED_KEY ";EndpointSuffix=core.windows.net\n"
             "sf-backups" },
        { 0, "BlobEndpoint=https://" SEED_HOST "/;"
             "SharedAccessSignature=sv=2020-08-04&ss=b&sig=abc%3D\n"
             "sf-backups" },
        /* a key twice, in another case */
        { 0, "AccountName=sfsimfakebackups;accountname=evil;"
             "AccountKey=" SEED_KEY "\n"
             "sf-backups" },
        /* an endpoint elsewhere: userinfo, a port, another suffix */
        { 0, "AccountName=sfsimfakebackups;BlobEndpoint=https://" SEED_HOST
             "@evil.example:443/;EndpointSuffix=evil.example;"
             "AccountKey=sfsimfakebackups\n"
             "sf-backups" },
        /* Path, then the users and passwords */
        { 1, "\\\\backupserver.sfsim.example\\sf-backups\n"
             "backup\nhunter2-not-a-secret\nbackup2\nbackupserver" },
        { 1, "\\\\srv\\share\\My Backups\\..\\x.\nu\npass" },
        { 1, "\\\\?\\C:\\backups" },
        { 2, "https://" SEED_HOST "/\nsf-backups" },
        { 2, "http://10.0.0.1:80/path?q#f\nSF--x" },
        { 3, "https://sfsim.dsms.example/creds/backup\nsf-backups" },
        { 3, "a#b\nc" },
        { 4, "https://" SEED_HOST "/sf-backups" },
        { 4, "file://backupserver.sfsim.example/sf-backups/dir with space" },
        { 4, "dsms:https://sfsim.dsms.example/creds/backup#sf-backups" },
        { 4, "file://srv/../x" },
        /* the location, then a service name */
        { 5, "CalcApp\\CalcService\\" SEED_PID "\\2018-01-01 09.00.55.zip\n"
             "fabric:/CalcApp/CalcService" },
        { 5, "TeamA\\Orders\\1DAAE3F5-7FD6-42E9-B1BA-8C05F873994D"
             "\\x.bkmetadata\n"
             "FABRIC:/TeamA/Orders/Store" },
        { 5, "\\\\server\\x\\" SEED_PID "\\f\nfabric:/x" },
        { 5, "C:\\a/b\\..\\" SEED_PID "\\f." },
        /* the names, then the list */
        { 6, "daily,hourly,caf\xc3\xa9\n"
             "{\"ContinuationToken\":\"t1\",\"Items\":[{\"Name\":\"daily\","
             "\"Storage\":{\"StorageKind\":\"AzureBlobStore\"}},"
             "{\"Name\":\"weekly\"},{\"Name\":\"hourly\"}]}" },
        { 6, "daily,hourly,caf\xc3\xa9\n"
             "{\"Items\":[{\"Name\":\"caf\\u00e9\"},{\"Name\":1},\"x\",null],"
             "\"ContinuationToken\":null}" },
        { 7, "fabric:/TeamA,FABRIC:/Shared\n"
             "{\"ContinuationToken\":\"t\",\"Items\":["
             "{\"EntityKind\":\"Application\","
             "\"ApplicationName\":\"fabric:/TeamA\"},"
             "{\"EntityKind\":\"Service\","
             "\"ServiceName\":\"fabric:/TeamA/Orders\"},"
             "{\"EntityKind\":\"Partition\","
             "\"ServiceName\":\"fabric:/TeamB/X\","
             "\"PartitionId\":\"" SEED_PID "\"}]}" },
        /* an entity without its kind's name; a name a prefix covers not */
        { 7, "fabric:/TeamA,FABRIC:/Shared\n"
             "{\"Items\":[{\"EntityKind\":\"Application\","
             "\"ServiceName\":\"fabric:/TeamA/x\"},"
             "{\"EntityKind\":\"Service\","
             "\"ServiceName\":\"fabric:/TeamAB\"}]}" },
    };

    memset(n, 0, sizeof(n));

    for (i = 0; i < N(rows); i++) {
        memset(&s, 0, sizeof(s));
        seed_add(&s, &rows[i].mode, 1);
        seed_add(&s, rows[i].fields, strlen(rows[i].fields));
        put("fuzz_storage", kinds[rows[i].mode], n[rows[i].mode]++, s.data,
            s.len);
        free(s.data);
    }

#undef SEED_HOST
#undef SEED_KEY
#undef SEED_PID
}
