/*
 * Audit records and their chain: exact bytes, hostile values, the MAC
 * recomputed independently with OpenSSL's one-shot HMAC(), seq/prev/link
 * progression, key file refusals, then the verifier over in-memory and
 * /tmp logs: clean logs pass and each kind of tampering is named.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <malloc.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "sfb_tap.h"
#include "sfb_verify.h"
#include "sfb_audit_ref.h"


#define LOG_MAX   64
#define BUF_MAX   4096

#define KEY       "0123456789abcdef0123456789abcdef-test"


typedef struct {
    unsigned char  *line[LOG_MAX];
    size_t          len[LOG_MAX];
    int             nl[LOG_MAX];
    size_t          n;
} log_t;


static sfb_str_t str(const char *s);
static sfb_audit_record_t sample(void);
static json_t *parse_line(const unsigned char *line, size_t len);
static int mac_independent(const unsigned char *line, size_t len);
static int has(const unsigned char *p, size_t len, const char *needle);
static void hex_of(const unsigned char *m, char *hex);
static void test_format(void);
static void test_time(void);
static void test_hostile(void);
static void test_jansson_equal(void);
static void random_str(sfb_str_t *s, unsigned char *buf, size_t size);
static void test_chain(void);
static void test_restart(void);
static void test_key_load(const char *dir);
static void log_build(log_t *log);
static void log_copy(log_t *dst, const log_t *src);
static void log_free(log_t *log);
static void log_delete(log_t *log, size_t i);
static void log_insert(log_t *log, size_t i, const unsigned char *line,
    size_t len);
static void log_swap(log_t *log, size_t i, size_t j);
static void log_edit(log_t *log, size_t i, const char *from, const char *to);
static int verify(const log_t *log, size_t split, int reverse, int strict,
    const char *key, sfb_audit_problem_t *problem, char *summary);
static int verify_with(const log_t *log, size_t split, int reverse,
    int strict, const char *key, int64_t until_ms,
    sfb_audit_problem_t *problem, char *summary);
static void expect(const log_t *log, sfb_audit_problem_e kind,
    uint64_t line, const char *detail, const char *what);
static void test_verify_clean(const log_t *log);
static void test_verify_tampered(const log_t *log);
static void test_verify_duplicates(const log_t *log);
static void test_verify_files(const log_t *log, const char *dir);
static void test_verify_keys(void);
static void test_verify_retired(void);
static void test_verify_complete(const log_t *log);
static int verify_keys(const log_t *log, const char **keys, size_t n,
    sfb_audit_problem_t *problem);
static void reseal(log_t *log, size_t i, const char *key);


int
main(void)
{
    char   dir[] = "/tmp/sfb_test_audit_XXXXXX";
    log_t  log;

    /* memory from malloc() is never zero here: a member the verifier
     * forgets to set shows (a chain's "named" bit was, once) */
    (void) mallopt(M_PERTURB, 0x80);

    if (mkdtemp(dir) == NULL) {
        ok(0, "mkdtemp");
        return done_testing();
    }

    test_format();
    test_time();
    test_hostile();
    test_jansson_equal();
    test_chain();
    test_restart();
    test_key_load(dir);

    log_build(&log);
    test_verify_clean(&log);
    test_verify_tampered(&log);
    test_verify_duplicates(&log);
    test_verify_files(&log, dir);
    test_verify_complete(&log);
    log_free(&log);
    test_verify_keys();
    test_verify_retired();

    (void) rmdir(dir);

    return done_testing();
}


static sfb_str_t
str(const char *s)
{
    sfb_str_t  v;

    v.data = (const unsigned char *) s;
    v.len = strlen(s);

    return v;
}


static sfb_audit_record_t
sample(void)
{
    sfb_audit_record_t  r;

    memset(&r, 0, sizeof(sfb_audit_record_t));

    r.time_ms = INT64_C(1795570699123);
    r.request_id = str("7f3a9c0e1d2b4a5f8e6d7c0b1a293847");
    r.client = str("10.0.0.7");
    r.identity = str("CN=ops.contoso.com");
    r.method = str("POST");
    r.uri = str("/Partitions/1f2e3d4c-5b6a-4789-8a7b-6c5d4e3f2a1b"
                "/$/EnableBackup?api-version=6.4&timeout=60");
    r.entity = str("partition");
    r.entity_id = str("1f2e3d4c-5b6a-4789-8a7b-6c5d4e3f2a1b");
    r.operation = str("enable");
    r.policy = str("daily");
    r.api_version = str("6.4");
    r.has_timeout = 1;
    r.timeout = 60;
    r.decision = str("allow");
    r.reason = str("allowed");
    r.status = 202;
    r.upstream_status = str("202");
    r.upstream_addr = str("10.0.0.9:19080");
    r.duration_ms = 12;
    r.phase = str("outcome");
    r.node = str("gw1");

    return r;
}


static json_t *
parse_line(const unsigned char *line, size_t len)
{
    json_error_t  e;

    if (len > 0 && line[len - 1] == '\n') {
        len--;
    }

    return json_loadb((const char *) line, len, JSON_ALLOW_NUL, &e);
}


/* the mac member recomputed with the one-shot HMAC(), not the writer's */

static int
mac_independent(const unsigned char *line, size_t len)
{
    char           hex[65];
    size_t         i, blen;
    unsigned int   mdlen;
    unsigned char  md[EVP_MAX_MD_SIZE], *b;

    if (line[len - 1] == '\n') {
        len--;
    }

    if (len < 75) {
        return 0;
    }

    blen = len - 74 + 1;

    b = malloc(blen);
    if (b == NULL) {
        return 0;
    }

    memcpy(b, line, blen - 1);
    b[blen - 1] = '}';

    if (HMAC(EVP_sha256(), KEY, sizeof(KEY) - 1, b, blen, md, &mdlen)
        == NULL)
    {
        free(b);
        return 0;
    }

    free(b);

    for (i = 0; i < mdlen; i++) {
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    }

    return mdlen == 32
           && memcmp(line + len - 74, ",\"mac\":\"", 8) == 0
           && memcmp(line + len - 66, hex, 64) == 0
           && memcmp(line + len - 2, "\"}", 2) == 0;
}


/* strstr() for a byte range: a formatted line has no NUL after it */

static int
has(const unsigned char *p, size_t len, const char *needle)
{
    size_t  i, n;

    n = strlen(needle);

    for (i = 0; i + n <= len; i++) {
        if (memcmp(p + i, needle, n) == 0) {
            return 1;
        }
    }

    return 0;
}


static void
hex_of(const unsigned char *m, char *hex)
{
    size_t  i;

    for (i = 0; i < SFB_AUDIT_MAC_LEN; i++) {
        snprintf(hex + 2 * i, 3, "%02x", m[i]);
    }
}


static void
test_format(void)
{
    size_t              n;
    unsigned char       out[BUF_MAX];
    sfb_audit_record_t  r;

    r = sample();

    n = sfb_audit_format(NULL, &r, out, sizeof(out));
    is_mem(out, n,
           "{\"time\":\"2026-11-25T01:38:19.123Z\","
           "\"request_id\":\"7f3a9c0e1d2b4a5f8e6d7c0b1a293847\","
           "\"client\":\"10.0.0.7\",\"identity\":\"CN=ops.contoso.com\","
           "\"method\":\"POST\",\"uri\":\"/Partitions/1f2e3d4c-5b6a-4789-"
           "8a7b-6c5d4e3f2a1b/$/EnableBackup?api-version=6.4&timeout=60\","
           "\"entity\":\"partition\",\"entity_id\":\"1f2e3d4c-5b6a-4789-"
           "8a7b-6c5d4e3f2a1b\",\"operation\":\"enable\",\"policy\":\"daily\","
           "\"storage\":\"\",\"api_version\":\"6.4\","
           "\"timeout\":60,\"decision\":\"allow\",\"reason\":\"allowed\","
           "\"status\":202,\"upstream_status\":\"202\","
           "\"upstream_addr\":\"10.0.0.9:19080\",\"duration_ms\":12,"
           "\"phase\":\"outcome\",\"node\":\"gw1\"}\n",
           "format: exact outcome record without a chain");

    r.has_timeout = 0;
    r.status = 0;
    r.upstream_status.len = 0;
    r.upstream_addr.len = 0;
    r.duration_ms = 0;
    r.policy.len = 0;
    r.phase = str("decision");

    n = sfb_audit_format(NULL, &r, out, sizeof(out));
    ok(n > 0 && has(out, n, "\"policy\":\"\",\"storage\":\"\","
                    "\"api_version\":\"6.4\","
                    "\"timeout\":null,\"decision\":\"allow\",\"reason\":"
                    "\"allowed\",\"status\":0,\"upstream_status\":null,"
                    "\"upstream_addr\":null,\"duration_ms\":0,"
                    "\"phase\":\"decision\",\"node\":\"gw1\"}\n"),
       "format: decision record, nulls where nothing is known yet");

    r = sample();
    n = sfb_audit_format(NULL, &r, NULL, 0);
    ok(n > 100, "format: NULL, 0 gives the length needed");

    memset(out, 'x', sizeof(out));
    is_int(sfb_audit_format(NULL, &r, out, n - 1), n,
           "format: one byte short still gives the length");
    is_int(sfb_audit_format(NULL, &r, out, n), n, "format: fits exactly");
    ok(out[n - 1] == '\n' && out[n] == 'x', "format: ends in \\n, no NUL");

    r.timeout = UINT64_MAX;
    n = sfb_audit_format(NULL, &r, out, sizeof(out));
    ok(has(out, n, "\"timeout\":9223372036854775807,"),
       "format: a timeout past int64 is clamped");
}


static void
test_time(void)
{
    size_t              i, n;
    unsigned char       out[BUF_MAX];
    sfb_audit_record_t  r;

    static const struct {
        int64_t      ms;
        const char  *want;
    } rows[] = {
        { 0, "1970-01-01T00:00:00.000Z" },
        { -5, "1970-01-01T00:00:00.000Z" },
        { INT64_C(951868800000), "2000-03-01T00:00:00.000Z" },
        { INT64_C(951868799999), "2000-02-29T23:59:59.999Z" },
        { INT64_C(1709251199999), "2024-02-29T23:59:59.999Z" },
        { INT64_C(1795570699123), "2026-11-25T01:38:19.123Z" },
        { INT64_C(4102444800001), "2100-01-01T00:00:00.001Z" },
        { INT64_MAX, "9999-12-31T23:59:59.999Z" },
    };

    r = sample();

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        r.time_ms = rows[i].ms;
        n = sfb_audit_format(NULL, &r, out, sizeof(out));
        ok(n > 34 && memcmp(out + 9, rows[i].want, 24) == 0,
           "time %lld is %s", (long long) rows[i].ms, rows[i].want);
    }
}


static void
test_hostile(void)
{
    int                 clean;
    char                big[10240], uri[5000];
    size_t              i, n, newlines;
    json_t             *o;
    const char         *v;
    unsigned char      *out;
    sfb_audit_record_t  r;
    sfb_audit_chain_t  *c;

    static const char  nasty[] = "/a\"b\nc\0d\re\\f\xe2\x80\xa8\x7f},\"x\":\"";

    out = malloc(SFB_AUDIT_LINE_MAX);
    c = sfb_audit_chain_create((const unsigned char *) KEY, sizeof(KEY) - 1);

    if (out == NULL || c == NULL || sfb_audit_chain_start(c) != 0) {
        ok(0, "setup");
        return;
    }

    memset(big, 'A', sizeof(big));
    big[100] = (char) 0xff;

    r = sample();
    r.uri.data = (const unsigned char *) nasty;
    r.uri.len = sizeof(nasty) - 1;
    r.identity.data = (const unsigned char *) big;
    r.identity.len = sizeof(big);
    r.client = str("\xc3\x28");
    r.method = str("POST\n{\"forged\":1}");

    n = sfb_audit_format(c, &r, out, SFB_AUDIT_LINE_MAX);
    ok(n > 0 && n < 2048, "hostile: formatted, bounded (%zu bytes)", n);

    newlines = 0;
    clean = 1;

    for (i = 0; i < n; i++) {
        newlines += out[i] == '\n';
        clean &= (out[i] >= 0x20 && out[i] < 0x80) || i == n - 1;
    }

    is_int(newlines, 1, "hostile: exactly one newline");
    ok(out[n - 1] == '\n', "hostile: and it ends the line");
    ok(clean, "hostile: ASCII without control bytes (DEL is JSON's)");
    ok(mac_independent(out, n), "hostile: the MAC verifies");

    o = parse_line(out, n);
    ok(o != NULL && json_object_size(o) == 26, "hostile: parses, 26 members");

    v = json_string_value(json_object_get(o, "uri"));
    ok(v != NULL
       && json_string_length(json_object_get(o, "uri")) == sizeof(nasty) - 1
       && memcmp(v, nasty, sizeof(nasty) - 1) == 0,
       "hostile: uri comes back byte for byte, NUL included");

    v = json_string_value(json_object_get(o, "identity"));
    n = v ? strlen(v) : 0;
    ok(n == SFB_AUDIT_IDENTITY_MAX && memcmp(v + n - 3, "...", 3) == 0,
       "hostile: 10 KB identity cut to %d bytes ending with ...",
       SFB_AUDIT_IDENTITY_MAX);
    ok(v != NULL && memcmp(v + 100, "\xef\xbf\xbd", 3) == 0,
       "hostile: invalid byte in identity is U+FFFD");

    is_str(json_string_value(json_object_get(o, "client")), "\xef\xbf\xbd(",
           "hostile: invalid UTF-8 client sanitised");
    is_str(json_string_value(json_object_get(o, "method")),
           "POST\n{\"forged\":1}", "hostile: method kept as a value");
    ok(json_object_get(o, "forged") == NULL, "hostile: no forged member");

    json_decref(o);

    /* the uri bound, and a cut that would split a character */

    memset(uri, 'a', sizeof(uri));
    memcpy(uri + 2047, "\xe2\x82\xac", 3);
    r = sample();
    r.uri.data = (const unsigned char *) uri;
    r.uri.len = 2050;

    n = sfb_audit_format(NULL, &r, out, SFB_AUDIT_LINE_MAX);
    o = parse_line(out, n);
    v = json_string_value(json_object_get(o, "uri"));
    ok(v != NULL && strlen(v) == 2048 && strspn(v, "a") == 2045
       && strcmp(v + 2045, "...") == 0,
       "hostile: uri of 2050 bytes cut to 2045 + ...");
    json_decref(o);

    r.uri.len = 2047;
    n = sfb_audit_format(NULL, &r, out, SFB_AUDIT_LINE_MAX);
    o = parse_line(out, n);
    is_int(json_string_length(json_object_get(o, "uri")), 2047,
           "hostile: uri within the bound is untouched");
    json_decref(o);

    /* the worst escaping everywhere stays within SFB_AUDIT_LINE_MAX */

    memset(big, 1, sizeof(big));
    r.request_id.data = r.client.data = r.identity.data = r.method.data =
        r.uri.data = r.entity.data = r.entity_id.data = r.policy.data =
        r.operation.data = r.storage.data =
        r.api_version.data = r.decision.data = r.reason.data =
        r.upstream_addr.data = r.upstream_status.data =
        r.phase.data = r.node.data = (const unsigned char *) big;
    r.request_id.len = r.client.len = r.identity.len = r.method.len =
        r.uri.len = r.entity.len = r.entity_id.len = r.policy.len =
        r.operation.len = r.storage.len =
        r.api_version.len = r.decision.len = r.reason.len =
        r.upstream_addr.len = r.upstream_status.len = r.phase.len =
        r.node.len = sizeof(big);
    r.time_ms = INT64_MAX;
    r.duration_ms = INT64_MIN;
    r.status = -2147483647 - 1;

    n = sfb_audit_format(c, &r, NULL, 0);
    ok(n > 30000 && n <= SFB_AUDIT_LINE_MAX,
       "hostile: worst line %zu bytes within SFB_AUDIT_LINE_MAX %d", n,
       SFB_AUDIT_LINE_MAX);

    sfb_audit_chain_destroy(c);
    free(out);
}


/*
 * The writer prints lines itself, but they must be jansson's: each random
 * record (hostile bytes, long values, every null, extreme numbers) is held
 * byte for byte equal to json_dumpb() of the object built here with
 * jansson, members in the documented order; chained, B (the line less its
 * mac, closed by "}") equal to the same object with the chain members.
 */
static void
test_jansson_equal(void)
{
    int                  i, bad_plain, bad_chain, links;
    char                 prev[2 * SFB_AUDIT_MAC_LEN + 1], old_id[33];
    char                 key_id[SFB_AUDIT_KEY_ID_HEX + 1];
    char                *ref;
    size_t               n, k;
    json_t              *o;
    uint64_t             old_seq;
    unsigned char       *out, *bufs;
    sfb_audit_record_t   r;
    sfb_audit_chain_t   *c;

    out = malloc(SFB_AUDIT_LINE_MAX);
    bufs = malloc(15 * 3000);
    c = sfb_audit_chain_create((const unsigned char *) KEY, sizeof(KEY) - 1);
    reference_key_id((const unsigned char *) KEY, sizeof(KEY) - 1, key_id);

    if (out == NULL || bufs == NULL || c == NULL
        || sfb_audit_chain_start(c) != 0)
    {
        ok(0, "jansson equal: setup");
        return;
    }

    srandom(20261125);

    bad_plain = 0;
    bad_chain = 0;
    links = 0;
    prev[0] = '\0';
    old_id[0] = '\0';
    old_seq = 0;

    for (i = 0; i < 20000; i++) {
        memset(&r, 0, sizeof(r));

        r.time_ms = (int64_t) random() * 1000 + random() % 1000;
        random_str(&r.request_id, bufs, 3000);
        random_str(&r.client, bufs + 3000, 3000);
        random_str(&r.identity, bufs + 6000, 3000);
        random_str(&r.method, bufs + 9000, 3000);
        random_str(&r.uri, bufs + 12000, 3000);
        random_str(&r.entity, bufs + 15000, 3000);
        random_str(&r.entity_id, bufs + 18000, 3000);
        random_str(&r.policy, bufs + 21000, 3000);
        random_str(&r.api_version, bufs + 24000, 3000);
        random_str(&r.decision, bufs + 27000, 3000);
        random_str(&r.reason, bufs + 30000, 3000);
        random_str(&r.upstream_addr, bufs + 33000, 3000);
        r.phase = str(i % 2 ? "decision" : "outcome");
        random_str(&r.node, bufs + 36000, 3000);
        random_str(&r.operation, bufs + 39000, 3000);
        random_str(&r.storage, bufs + 42000, 3000);

        r.has_timeout = random() % 3 != 0;
        r.timeout = (random() % 5 == 0) ? UINT64_MAX - (uint64_t) random()
                                        : (uint64_t) random();
        r.status = (random() % 4 == 0) ? 0 : (int) (random() % 1000);
        r.upstream_status = (random() % 3 == 0) ? str("")
                            : str(i % 2 ? "502, 504 : 200" : "202");
        r.duration_ms = (random() % 7 == 0) ? INT64_MIN + (random() % 2)
                        : (random() % 7 == 1) ? INT64_MAX
                        : (int64_t) (random() % 200000) - 100000;

        /* unchained: the whole line less "\n" */

        o = reference_object(&r);
        ref = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
        n = sfb_audit_format(NULL, &r, out, SFB_AUDIT_LINE_MAX);

        if (ref == NULL || n == 0 || n > SFB_AUDIT_LINE_MAX
            || n - 1 != strlen(ref) || memcmp(out, ref, n - 1) != 0)
        {
            if (bad_plain++ == 0) {
                printf("# differs from jansson: %s\n# got: %.*s\n",
                       ref ? ref : "(null)", (int) n, (char *) out);
            }
        }

        free(ref);

        /* now and then a new chain, whose first record links back */

        if (i % 997 == 996) {
            memcpy(old_id, sfb_audit_chain_id(c), 33);
            old_seq = sfb_audit_chain_seq(c);

            if (sfb_audit_chain_start(c) != 0) {
                bad_chain++;
            }

            prev[0] = '\0';
        }

        json_object_set_new(o, "key_id", json_string(key_id));
        json_object_set_new(o, "chain",
                            json_string(sfb_audit_chain_id(c)));
        json_object_set_new(o, "seq",
                            json_integer((json_int_t)
                                         sfb_audit_chain_seq(c) + 1));
        json_object_set_new(o, "prev", json_string(prev));

        if (old_seq != 0 && sfb_audit_chain_seq(c) == 0) {
            json_object_set_new(o, "prev_chain", json_string(old_id));
            json_object_set_new(o, "prev_seq",
                                json_integer((json_int_t) old_seq));
            links++;
        }

        ref = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
        n = sfb_audit_format(c, &r, out, SFB_AUDIT_LINE_MAX);
        k = (n > SFB_AUDIT_MAC_SUFFIX_LEN + 1)
            ? n - 1 - SFB_AUDIT_MAC_SUFFIX_LEN : 0;

        if (ref == NULL || k == 0 || k + 1 != strlen(ref)
            || memcmp(out, ref, k) != 0 || ref[k] != '}'
            || !mac_independent(out, n))
        {
            if (bad_chain++ == 0) {
                printf("# differs from jansson: %s\n# got: %.*s\n",
                       ref ? ref : "(null)", (int) n, (char *) out);
            }

        } else {
            memcpy(prev, out + n - 3 - 2 * SFB_AUDIT_MAC_LEN,
                   2 * SFB_AUDIT_MAC_LEN);
            prev[2 * SFB_AUDIT_MAC_LEN] = '\0';
        }

        free(ref);
        json_decref(o);
    }

    is_int(bad_plain, 0, "jansson equal: 20000 random records, unchained");
    is_int(bad_chain, 0, "jansson equal: the same records chained, MACs "
           "verify");
    is_int(links, 20, "jansson equal: 20 new chains linked back");

    sfb_audit_chain_destroy(c);
    free(bufs);
    free(out);
}


/* a value of pieces: plain ASCII, escapes, UTF-8 good and bad, long runs */
static void
random_str(sfb_str_t *s, unsigned char *buf, size_t size)
{
    size_t  n, k, i, len, pieces;

    static const char  *parts[] = {
        "abc", "10.0.0.7:19080", "/Partitions/x/$/EnableBackup?a=b&c=%2F",
        "\"", "\\", "\n", "\t", "\x01", "\x1f", "\x7f", " ", "/",
        "\xc3\xa9", "\xe2\x80\xa8", "\xf0\x9f\x98\x80", "\xff",
        "\xc3", "\xed\xa0\x80", "\xe2\x82", "~}{,:", "\0"
    };

    pieces = (random() % 8 == 0) ? 0 : 1 + (size_t) random() % 6;
    n = 0;

    for (i = 0; i < pieces; i++) {
        k = (size_t) random() % (sizeof(parts) / sizeof(parts[0]));

        if (k == 0 && random() % 10 == 0) {
            /* a run near or past the bounds */
            len = 200 + (size_t) random() % 2400;

            if (n + len > size) {
                len = size - n;
            }

            memset(buf + n, 'a' + (int) (random() % 26), len);
            n += len;
            continue;
        }

        /* the last part is one NUL byte */
        len = (k == sizeof(parts) / sizeof(parts[0]) - 1)
              ? 1 : strlen(parts[k]);

        if (n + len > size) {
            break;
        }

        memcpy(buf + n, parts[k], len);
        n += len;
    }

    s->data = buf;
    s->len = n;
}


static void
test_chain(void)
{
    void               *it;
    char                mac[3][65], hex[65], kid[17], kid2[17];
    size_t              i, n, k, need;
    json_t             *o;
    const char         *id;
    unsigned char       out[BUF_MAX], m[SFB_AUDIT_MAC_LEN];
    sfb_audit_record_t  r;
    sfb_audit_chain_t  *c;

    static const char  *names[] = {
        "time", "request_id", "client", "identity", "method", "uri",
        "entity", "entity_id", "operation", "policy", "storage",
        "api_version", "timeout",
        "decision", "reason", "status", "upstream_status", "upstream_addr",
        "duration_ms", "phase", "node", "key_id", "chain", "seq", "prev",
        "mac"
    };

    r = sample();

    ok(sfb_audit_chain_create(NULL, 0) == NULL, "chain: no key, no chain");

    c = sfb_audit_chain_create((const unsigned char *) KEY, sizeof(KEY) - 1);
    ok(c != NULL, "chain: created");
    if (c == NULL) {
        return;
    }

    reference_key_id((const unsigned char *) KEY, sizeof(KEY) - 1, kid);
    is_str(sfb_audit_chain_key_id(c), kid,
           "chain: key_id is SHA-256 over the domain and the key, 16 hex");
    ok(sfb_audit_key_id((const unsigned char *) KEY "x", sizeof(KEY), kid2)
       == 0 && strlen(kid2) == 16 && strcmp(kid, kid2) != 0,
       "chain: another key, another key_id");
    ok(strstr(kid, "0123") == NULL && strstr(kid, "cdef") == NULL,
       "chain: key_id shows nothing of the key");

    is_int(sfb_audit_format(c, &r, out, sizeof(out)), 0,
           "chain: no record before start");
    is_str(sfb_audit_chain_id(c), "", "chain: no id before start");

    is_int(sfb_audit_chain_start(c), 0, "chain: started");
    id = sfb_audit_chain_id(c);
    ok(strlen(id) == 32 && strspn(id, "0123456789abcdef") == 32,
       "chain: id is 32 hex digits");

    for (i = 0; i < 3; i++) {
        n = sfb_audit_format(c, &r, out, sizeof(out));
        o = parse_line(out, n);

        ok(o != NULL && out[n - 1] == '\n', "chain: record %zu parses", i + 1);
        ok(mac_independent(out, n), "chain: record %zu MAC matches HMAC()",
           i + 1);

        k = 0;
        for (it = json_object_iter(o); it != NULL;
             it = json_object_iter_next(o, it))
        {
            if (k >= 26 || strcmp(json_object_iter_key(it), names[k]) != 0) {
                break;
            }
            k++;
        }

        ok(k == 26 && it == NULL, "chain: record %zu members in order",
           i + 1);
        is_str(json_string_value(json_object_get(o, "chain")), id,
               "chain: record %zu carries the chain id", i + 1);
        is_str(json_string_value(json_object_get(o, "key_id")), kid,
               "chain: record %zu names its key", i + 1);
        is_str(json_string_value(json_object_get(o, "node")), "gw1",
               "chain: record %zu names its node", i + 1);
        is_int(json_integer_value(json_object_get(o, "seq")), i + 1,
               "chain: seq %zu", i + 1);
        is_str(json_string_value(json_object_get(o, "prev")),
               i == 0 ? "" : mac[i - 1], "chain: prev of seq %zu", i + 1);
        ok(json_object_get(o, "prev_chain") == NULL,
           "chain: no prev_chain on the first chain");

        snprintf(mac[i], sizeof(mac[i]), "%s",
                 json_string_value(json_object_get(o, "mac")));

        ok(sfb_audit_line_mac(c, out, n - 1, m) == 0
           && (hex_of(m, hex), strcmp(hex, mac[i]) == 0),
           "chain: sfb_audit_line_mac agrees");

        json_decref(o);
    }

    is_int(sfb_audit_chain_seq(c), 3, "chain: seq is 3");

    need = sfb_audit_format(c, &r, out, 100);
    ok(need > 100, "chain: too small gives the length needed");
    is_int(sfb_audit_chain_seq(c), 3, "chain: and does not advance");

    n = sfb_audit_format(c, &r, out, need);
    is_int(n, need, "chain: exactly the length needed fits");
    is_int(sfb_audit_chain_seq(c), 4, "chain: now it advanced");
    ok(has(out, n, mac[2]), "chain: seq 4 has prev seq 3");

    sfb_audit_chain_destroy(c);
    sfb_audit_chain_destroy(NULL);
}


static void
test_restart(void)
{
    char                first[33], second[33];
    size_t              n, n2;
    json_t             *o;
    unsigned char       out[BUF_MAX], again[BUF_MAX];
    sfb_audit_record_t  r;
    sfb_audit_chain_t  *c;

    r = sample();
    c = sfb_audit_chain_create((const unsigned char *) KEY, sizeof(KEY) - 1);

    if (c == NULL || sfb_audit_chain_start(c) != 0) {
        ok(0, "setup");
        return;
    }

    snprintf(first, sizeof(first), "%s", sfb_audit_chain_id(c));

    (void) sfb_audit_format(c, &r, out, sizeof(out));
    (void) sfb_audit_format(c, &r, out, sizeof(out));

    is_int(sfb_audit_chain_start(c), 0, "restart: second chain");
    snprintf(second, sizeof(second), "%s", sfb_audit_chain_id(c));
    ok(strcmp(first, second) != 0, "restart: new id");

    n = sfb_audit_format(c, &r, out, sizeof(out));
    o = parse_line(out, n);
    is_int(json_integer_value(json_object_get(o, "seq")), 1,
           "restart: seq back to 1");
    is_str(json_string_value(json_object_get(o, "prev_chain")), first,
           "restart: prev_chain names the first chain");
    is_int(json_integer_value(json_object_get(o, "prev_seq")), 2,
           "restart: prev_seq is its last seq");
    ok(mac_independent(out, n), "restart: MAC covers the link");
    ok(has(out, n, "\"prev\":\"\",\"prev_chain\":\"")
       && has(out, n, ",\"prev_seq\":2,\"mac\":\""),
       "restart: link between prev and mac");
    json_decref(o);

    n = sfb_audit_format(c, &r, out, sizeof(out));
    ok(!has(out, n, "prev_chain"),
       "restart: only seq 1 carries the link");

    /* a chain that wrote nothing is skipped over */

    (void) sfb_audit_chain_start(c);
    (void) sfb_audit_chain_start(c);

    n = sfb_audit_format(c, &r, out, sizeof(out));
    o = parse_line(out, n);
    is_str(json_string_value(json_object_get(o, "prev_chain")), second,
           "restart: an empty chain is skipped in the link");
    is_int(json_integer_value(json_object_get(o, "prev_seq")), 2,
           "restart: with that chain's last seq");
    json_decref(o);

    /* rewind: a line that never reached the log leaves no gap */

    is_int(sfb_audit_chain_rewind(c), 0, "rewind: undone");
    is_int(sfb_audit_chain_seq(c), 0, "rewind: seq back to 0");
    n2 = sfb_audit_format(c, &r, again, sizeof(again));
    ok(n2 == n && memcmp(out, again, n) == 0,
       "rewind: the same line again, link included");
    is_int(sfb_audit_chain_rewind(c), 0, "rewind: once more after a format");
    is_int(sfb_audit_chain_rewind(c), -1, "rewind: only one step");
    n2 = sfb_audit_format(c, &r, again, sizeof(again));
    n2 = sfb_audit_format(c, &r, again, sizeof(again));
    o = parse_line(again, n2);
    is_int(json_integer_value(json_object_get(o, "seq")), 2,
           "rewind: then the chain goes on");
    json_decref(o);

    (void) sfb_audit_chain_start(c);
    is_int(sfb_audit_chain_rewind(c), -1, "rewind: never across a start");

    /* mark: a whole buffer of lines that never reached the log */

    (void) sfb_audit_format(c, &r, out, sizeof(out));
    is_int(sfb_audit_chain_mark(c), 0, "mark: set after seq 1");
    n = sfb_audit_format(c, &r, out, sizeof(out));
    (void) sfb_audit_format(c, &r, again, sizeof(again));
    (void) sfb_audit_format(c, &r, again, sizeof(again));
    is_int(sfb_audit_chain_seq(c), 4, "mark: three records formatted since");
    is_int(sfb_audit_chain_rewind(c), 0, "mark: rewound");
    is_int(sfb_audit_chain_seq(c), 1, "mark: back to seq 1, not 3");
    n2 = sfb_audit_format(c, &r, again, sizeof(again));
    ok(n2 == n && memcmp(out, again, n) == 0,
       "mark: seq 2 made again, the same line");
    is_int(sfb_audit_chain_rewind(c), 0,
           "mark: used up, rewind undoes the last step");
    is_int(sfb_audit_chain_seq(c), 1, "mark: one step back to seq 1");

    is_int(sfb_audit_chain_mark(c), 0, "mark: set again");
    (void) sfb_audit_format(c, &r, out, sizeof(out));
    (void) sfb_audit_chain_start(c);
    is_int(sfb_audit_chain_rewind(c), -1, "mark: never across a start");

    sfb_audit_chain_destroy(c);

    c = sfb_audit_chain_create((const unsigned char *) KEY, sizeof(KEY) - 1);
    is_int(sfb_audit_chain_mark(c), -1, "mark: not before a start");
    is_int(sfb_audit_chain_mark(NULL), -1, "mark: NULL chain");
    sfb_audit_chain_destroy(c);
}


static int
write_file(const char *path, const char *data, size_t len, mode_t mode)
{
    FILE  *f;

    (void) unlink(path);

    f = fopen(path, "wb");
    if (f == NULL) {
        return -1;
    }

    if (fwrite(data, 1, len, f) != len) {
        (void) fclose(f);
        return -1;
    }

    if (fclose(f) != 0) {
        return -1;
    }

    return chmod(path, mode);
}


static void
test_key_load(const char *dir)
{
    int            rc;
    char           path[256], err[512], big[2000];
    size_t         len;
    unsigned char  key[SFB_AUDIT_KEY_MAX];

    snprintf(path, sizeof(path), "%s/key", dir);

#define LOAD()                                                                \
    (len = sizeof(key), err[0] = '\0',                                        \
     sfb_audit_key_load(path, key, &len, err, sizeof(err)))

    (void) write_file(path, KEY "\n", sizeof(KEY), 0600);
    rc = LOAD();
    ok(rc == 0 && len == sizeof(KEY) - 1 && memcmp(key, KEY, len) == 0,
       "key: 0600 file loaded, trailing newline stripped");

    (void) write_file(path, KEY, sizeof(KEY) - 1, 0640);
    rc = LOAD();
    ok(rc == 0 && len == sizeof(KEY) - 1, "key: 0640 without newline");

    (void) write_file(path, KEY "\n\n", sizeof(KEY) + 1, 0400);
    rc = LOAD();
    ok(rc == 0 && len == sizeof(KEY) && key[len - 1] == '\n',
       "key: only one newline stripped");

    (void) write_file(path, KEY "\n", sizeof(KEY), 0644);
    rc = LOAD();
    ok(rc == -1 && strstr(err, "accessible by others (mode 0644)"),
       "key: world-readable refused: %s", err);

    (void) write_file(path, KEY "\n", sizeof(KEY), 0602);
    rc = LOAD();
    ok(rc == -1 && strstr(err, "accessible by others"),
       "key: world-writable refused");

    (void) write_file(path, KEY "\n", sizeof(KEY), 0601);
    ok(LOAD() == -1, "key: others' execute bit refused too (mode & 007)");

    (void) write_file(path, "0123456789abcdef0123456789abcde\n", 32, 0600);
    rc = LOAD();
    ok(rc == -1 && strstr(err, "is 31 bytes, at least 32"),
       "key: 31 bytes refused: %s", err);

    (void) write_file(path, "0123456789abcdef0123456789abcdef\n", 33, 0600);
    ok(LOAD() == 0 && len == 32, "key: 32 bytes is enough");

    (void) write_file(path, "", 0, 0600);
    ok(LOAD() == -1 && strstr(err, "is 0 bytes"), "key: empty refused");

    memset(big, 'k', sizeof(big));
    (void) write_file(path, big, sizeof(big), 0600);
    rc = LOAD();
    ok(rc == -1 && strstr(err, "longer than 1024"),
       "key: too long refused: %s", err);

    len = 40;
    rc = sfb_audit_key_load(path, key, &len, err, sizeof(err));
    ok(rc == -1 && strstr(err, "longer than 40"), "key: *len is the size");

    (void) unlink(path);
    rc = LOAD();
    ok(rc == -1 && strstr(err, "cannot open") && strstr(err, path),
       "key: missing file: %s", err);

    snprintf(path, sizeof(path), "%s", dir);
    (void) chmod(dir, 0700);
    rc = LOAD();
    ok(rc == -1 && strstr(err, "not a regular file"),
       "key: a directory refused");

#undef LOAD
}


/*
 * Byte-identical copies (sfb_audit_dup.h): what at-least-once shipping
 * makes is counted and passes; every other copy is a replayed record at
 * the copy that begins it.  Lines as in log_build(): A4 is idx 5, A7 idx 9.
 */

static void
test_verify_duplicates(const log_t *log)
{
    char                 summary[256];
    size_t               i;
    log_t                t;
    sfb_audit_problem_t  p;

    /* the same line twice in a row: a message resent once */

    log_copy(&t, log);
    log_insert(&t, 6, log->line[5], log->len[5]);
    is_int(verify(&t, t.n, 0, 1, KEY, NULL, summary), 0,
           "dup: A4 twice in a row passes, --strict");
    is_str(summary, "OK: 1 file, 3 chains, 20 records verified, "
           "1 duplicate (byte-identical copies, not counted)",
           "dup: the summary counts it, the records do not");
    log_free(&t);

    /* a batch resent after a broken connection: A4 A5 B3 A6 A7 again,
     * both chains back where they were before new records come */

    log_copy(&t, log);
    for (i = 5; i <= 9; i++) {
        log_insert(&t, 10 + (i - 5), log->line[i], log->len[i]);
    }
    is_int(verify(&t, t.n, 0, 1, KEY, NULL, summary), 0,
           "dup: a resent batch of two chains passes");
    ok(strstr(summary, "20 records verified, 5 duplicates") != NULL,
       "dup: 5 duplicates: %s", summary);

    /* resent twice, the second time from further back */

    for (i = 3; i <= 9; i++) {
        log_insert(&t, 15 + (i - 3), log->line[i], log->len[i]);
    }
    is_int(verify(&t, t.n, 0, 0, KEY, NULL, summary), 0,
           "dup: a rewind inside a rewind passes");
    ok(strstr(summary, "12 duplicates") != NULL, "dup: 12: %s", summary);
    log_free(&t);

    /* a shipper that starts the file again from its beginning */

    log_copy(&t, log);
    for (i = 0; i < 12; i++) {
        log_insert(&t, 12 + i, log->line[i], log->len[i]);
    }
    is_int(verify(&t, t.n, 0, 1, KEY, NULL, summary), 0,
           "dup: the first 12 lines read again pass");
    ok(strstr(summary, "12 duplicates") != NULL, "dup: 12: %s", summary);

    /* in two files, each with its own copies */

    is_int(verify(&t, 24, 1, 1, KEY, NULL, summary), 0,
           "dup: two files, newest first");
    log_free(&t);

    /* replays: one old record again where its chain says otherwise */

    log_copy(&t, log);
    log_insert(&t, 10, log->line[5], log->len[5]);
    expect(&t, SFB_AUDIT_REPLAYED, 11, "line 13 (seq 8, new here) comes "
           "before the copies reach seq 5 again",
           "A4 again after A7, then A8: replayed");
    log_free(&t);

    log_copy(&t, log);
    log_insert(&t, 20, log->line[5], log->len[5]);
    expect(&t, SFB_AUDIT_REPLAYED, 21, "copy of line 6 that no redelivery "
           "makes: the file ends before the copies reach seq 5 again",
           "A4 appended at the end: replayed");
    log_free(&t);

    log_copy(&t, log);
    log_insert(&t, 10, log->line[5], log->len[5]);
    log_insert(&t, 11, log->line[8], log->len[8]);
    expect(&t, SFB_AUDIT_REPLAYED, 11, "line 12 skips to seq 6",
           "A4 then A6 again (A5 skipped): replayed");
    log_free(&t);

    /* a byte-identical copy of the end of chain A in the next file */

    log_copy(&t, log);
    log_insert(&t, 13, log->line[11], log->len[11]);
    memset(&p, 0, sizeof(sfb_audit_problem_t));
    is_int(verify(&t, 12, 0, 0, KEY, &p, NULL), 1,
           "dup: a copy in another file than its original fails");
    ok(p.kind == SFB_AUDIT_FORGED && strcmp(p.file, "b.log") == 0
       && p.line == 2 && strstr(p.detail, "repeats the record at a.log:12"),
       "dup: ... as a record repeated: %s", p.detail);
    log_free(&t);

    /* a copy where a record was deleted hides nothing */

    log_copy(&t, log);
    log_delete(&t, 6);
    log_insert(&t, 6, log->line[5], log->len[5]);
    expect(&t, SFB_AUDIT_DELETED, 9, "jumps from seq 4",
           "A5 replaced by a copy of A4: still deleted");
    log_free(&t);

    /* same chain and seq, other bytes: never a duplicate */

    log_copy(&t, log);
    log_insert(&t, 6, log->line[5], log->len[5]);
    log_edit(&t, 6, "10.0.0.7", "10.6.6.6");
    reseal(&t, 6, KEY);
    memset(&p, 0, sizeof(sfb_audit_problem_t));
    is_int(verify(&t, t.n, 0, 0, KEY, &p, summary), 1,
           "dup: A4 resealed with other bytes (the key's holder) fails");
    ok(p.kind == SFB_AUDIT_FORGED && p.line == 7
       && strstr(p.detail, "repeats the record at a.log:6"),
       "dup: ... as a record repeated: %s", p.detail);
    log_free(&t);
}


/*
 * Two workers, A and B, interleaved; A reopens after 12 lines (new chain
 * A2 linked to A); B goes on.  Lines 1-12 are "file 1", 13-20 "file 2":
 *
 *   idx  0 A1   1 B1   2 A2   3 A3   4 B2   5 A4   6 A5   7 B3
 *        8 A6   9 A7  10 B4  11 A8 | 12 A2.1 13 B5 14 A2.2 15 B6
 *       16 A2.3 17 B7 18 A2.4 19 B8
 */

static void
log_build(log_t *log)
{
    size_t              i, n;
    unsigned char       out[BUF_MAX];
    sfb_audit_record_t  r;
    sfb_audit_chain_t  *a, *b, *c;

    memset(log, 0, sizeof(log_t));

    a = sfb_audit_chain_create((const unsigned char *) KEY, sizeof(KEY) - 1);
    b = sfb_audit_chain_create((const unsigned char *) KEY, sizeof(KEY) - 1);

    if (a == NULL || b == NULL || sfb_audit_chain_start(a) != 0
        || sfb_audit_chain_start(b) != 0)
    {
        ok(0, "log setup");
        return;
    }

    r = sample();

    for (i = 0; i < 20; i++) {

        if (i == 12) {
            (void) sfb_audit_chain_start(a);
        }

        c = (i < 12) ? (i % 3 == 1 ? b : a) : (i % 2 == 0 ? a : b);

        r.time_ms = INT64_C(1795570699123) + (int64_t) i * 1000;
        r.decision = str(i % 4 == 3 ? "deny" : "allow");
        r.status = i % 4 == 3 ? 403 : 202;
        r.upstream_status = str(i % 4 == 3 ? "" : "202");
        r.upstream_addr.len = i % 4 == 3 ? 0 : sizeof("10.0.0.9:19080") - 1;
        r.duration_ms = (int64_t) i;

        n = sfb_audit_format(c, &r, out, sizeof(out));
        log_insert(log, log->n, out, n - 1);
    }

    sfb_audit_chain_destroy(a);
    sfb_audit_chain_destroy(b);
}


static void
log_copy(log_t *dst, const log_t *src)
{
    size_t  i;

    memset(dst, 0, sizeof(log_t));

    for (i = 0; i < src->n; i++) {
        log_insert(dst, i, src->line[i], src->len[i]);
        dst->nl[i] = src->nl[i];
    }
}


static void
log_free(log_t *log)
{
    size_t  i;

    for (i = 0; i < log->n; i++) {
        free(log->line[i]);
    }

    log->n = 0;
}


static void
log_delete(log_t *log, size_t i)
{
    free(log->line[i]);

    memmove(&log->line[i], &log->line[i + 1],
            (log->n - i - 1) * sizeof(log->line[0]));
    memmove(&log->len[i], &log->len[i + 1],
            (log->n - i - 1) * sizeof(log->len[0]));
    memmove(&log->nl[i], &log->nl[i + 1],
            (log->n - i - 1) * sizeof(log->nl[0]));
    log->n--;
}


static void
log_insert(log_t *log, size_t i, const unsigned char *line, size_t len)
{
    unsigned char  *copy;

    if (log->n == LOG_MAX) {
        return;
    }

    copy = malloc(len + 1);
    if (copy == NULL) {
        return;
    }

    memcpy(copy, line, len);

    memmove(&log->line[i + 1], &log->line[i],
            (log->n - i) * sizeof(log->line[0]));
    memmove(&log->len[i + 1], &log->len[i],
            (log->n - i) * sizeof(log->len[0]));
    memmove(&log->nl[i + 1], &log->nl[i], (log->n - i) * sizeof(log->nl[0]));

    log->line[i] = copy;
    log->len[i] = len;
    log->nl[i] = 1;
    log->n++;
}


static void
log_swap(log_t *log, size_t i, size_t j)
{
    size_t          len;
    unsigned char  *line;

    line = log->line[i];
    len = log->len[i];
    log->line[i] = log->line[j];
    log->len[i] = log->len[j];
    log->line[j] = line;
    log->len[j] = len;
}


/* replace the first "from" in line i by "to" */

static void
log_edit(log_t *log, size_t i, const char *from, const char *to)
{
    size_t          fl, tl, at;
    unsigned char  *line, *p;

    fl = strlen(from);
    tl = strlen(to);

    for (at = 0; at + fl <= log->len[i]; at++) {
        if (memcmp(log->line[i] + at, from, fl) == 0) {
            break;
        }
    }

    if (at + fl > log->len[i]) {
        ok(0, "log_edit: \"%s\" not in line %zu", from, i);
        return;
    }

    line = malloc(log->len[i] - fl + tl + 1);
    if (line == NULL) {
        return;
    }

    p = line;
    memcpy(p, log->line[i], at);
    p += at;
    memcpy(p, to, tl);
    p += tl;
    memcpy(p, log->line[i] + at + fl, log->len[i] - at - fl);

    free(log->line[i]);
    log->line[i] = line;
    log->len[i] = log->len[i] - fl + tl;
}


/* feed lines [0, split) as a.log and the rest as b.log (b first if
 * reverse); 0 verified, 1 a problem (copied), -1 failure */

static int
verify(const log_t *log, size_t split, int reverse, int strict,
    const char *key, sfb_audit_problem_t *problem, char *summary)
{
    return verify_with(log, split, reverse, strict, key, -1, problem,
                       summary);
}


/* the same, complete up to until_ms (a heartbeat a second); -1: not said */

static int
verify_with(const log_t *log, size_t split, int reverse, int strict,
    const char *key, int64_t until_ms, sfb_audit_problem_t *problem,
    char *summary)
{
    int                         rc;
    size_t                      i, part, from, to;
    sfb_audit_check_t          *ck;
    const sfb_audit_problem_t  *p;

    ck = sfb_audit_check_create((const unsigned char *) key, strlen(key),
                                strict);
    if (ck == NULL) {
        return -1;
    }

    if (until_ms >= 0) {
        sfb_audit_check_complete_until(ck, until_ms, 1000);
    }

    for (part = 0; part < 2; part++) {
        from = ((part == 0) != reverse) ? 0 : split;
        to = ((part == 0) != reverse) ? split : log->n;

        if (from == to) {
            continue;
        }

        (void) sfb_audit_check_begin_file(ck, from == 0 ? "a.log" : "b.log");

        for (i = from; i < to; i++) {
            if (sfb_audit_check_line(ck, log->line[i], log->len[i],
                                     log->nl[i])
                != 0)
            {
                sfb_audit_check_destroy(ck);
                return -1;
            }
        }
    }

    rc = sfb_audit_check_finish(ck);

    p = sfb_audit_check_problem(ck);
    if (p != NULL && problem != NULL) {
        *problem = *p;
        problem->file = strcmp(p->file, "a.log") == 0 ? "a.log" : "b.log";
    }

    if (summary != NULL) {
        (void) sfb_audit_check_summary(ck, summary, 128);
    }

    sfb_audit_check_destroy(ck);

    return rc;
}


static void
expect(const log_t *log, sfb_audit_problem_e kind, uint64_t line,
    const char *detail, const char *what)
{
    int                  rc;
    sfb_audit_problem_t  p;

    memset(&p, 0, sizeof(sfb_audit_problem_t));

    rc = verify(log, log->n, 0, 0, KEY, &p, NULL);

    if (!ok(rc == 1 && p.kind == kind && p.line == line
            && (detail == NULL || strstr(p.detail, detail) != NULL),
            "verify: %s -> %s at line %llu", what,
            sfb_audit_problem_name(kind), (unsigned long long) line))
    {
        printf("#   got rc %d: line %llu: %s: %s\n", rc,
               (unsigned long long) p.line, sfb_audit_problem_name(p.kind),
               p.detail);
    }
}


static void
test_verify_clean(const log_t *log)
{
    char                 summary[128];
    log_t                t;
    sfb_audit_problem_t  p;

    is_int(log->n, 20, "log: 20 lines built");

    is_int(verify(log, log->n, 0, 0, KEY, NULL, summary), 0,
           "verify: clean log");
    is_str(summary, "OK: 1 file, 3 chains, 20 records verified",
           "verify: summary");

    is_int(verify(log, log->n, 0, 1, KEY, NULL, NULL), 0,
           "verify: clean log, --strict");

    is_int(verify(log, 12, 0, 0, KEY, NULL, summary), 0,
           "verify: two files in order");
    is_str(summary, "OK: 2 files, 3 chains, 20 records verified",
           "verify: two files summary");

    is_int(verify(log, 12, 1, 1, KEY, NULL, NULL), 0,
           "verify: two files, newest first, --strict");

    /* only the newer file: earlier history rotated away */

    log_copy(&t, log);
    while (t.n > 8) {
        log_delete(&t, 0);
    }

    is_int(verify(&t, t.n, 0, 0, KEY, NULL, NULL), 0,
           "verify: newer file alone (earlier history gone)");

    memset(&p, 0, sizeof(sfb_audit_problem_t));
    is_int(verify(&t, t.n, 0, 1, KEY, &p, NULL), 1,
           "verify: newer file alone, --strict fails");
    ok(p.kind == SFB_AUDIT_CHAIN_CUT && p.line == 1
       && strstr(p.detail, "--strict"),
       "verify: --strict: the chain A2 continues is missing: %s", p.detail);

    log_delete(&t, 0);
    memset(&p, 0, sizeof(sfb_audit_problem_t));
    is_int(verify(&t, t.n, 0, 1, KEY, &p, NULL), 1,
           "verify: --strict, a chain not starting at seq 1");
    ok(p.kind == SFB_AUDIT_DELETED && p.line == 1
       && strstr(p.detail, "starts at seq 5"),
       "verify: --strict: %s", p.detail);

    log_free(&t);

    t.n = 0;
    is_int(verify(&t, 0, 0, 0, KEY, NULL, summary), 0, "verify: empty log");
    is_str(summary, "OK: 0 files, 0 chains, 0 records verified",
           "verify: empty summary");
}


static void
test_verify_tampered(const log_t *log)
{
    int                  rc;
    size_t               n;
    log_t                t;
    unsigned char        out[BUF_MAX];
    sfb_audit_record_t   r;
    sfb_audit_problem_t  p;

    log_copy(&t, log);
    log_edit(&t, 5, "\"client\":\"10.0.0.7\"", "\"client\":\"10.6.6.6\"");
    expect(&t, SFB_AUDIT_MODIFIED, 6, "fits its chain",
           "a field edited in A4");
    log_free(&t);

    log_copy(&t, log);
    log_edit(&t, 3, "\"decision\":\"deny\",\"reason\":\"allowed\","
             "\"status\":403", "\"decision\":\"allow\",\"reason\":"
             "\"allowed\",\"status\":202");
    expect(&t, SFB_AUDIT_MODIFIED, 4, NULL, "a deny turned into an allow");
    log_free(&t);

    log_copy(&t, log);
    log_edit(&t, 0, "\"duration_ms\":0", "\"duration_ms\":1");
    expect(&t, SFB_AUDIT_MODIFIED, 1, NULL, "seq 1 edited");
    log_free(&t);

    log_copy(&t, log);
    log_edit(&t, 19, "POST", "GET");
    expect(&t, SFB_AUDIT_MODIFIED, 20, NULL, "the last record edited");
    log_free(&t);

    log_copy(&t, log);
    log_insert(&t, 6, log->line[5], log->len[5]);
    log_edit(&t, 6, "10.0.0.7", "10.6.6.6");
    expect(&t, SFB_AUDIT_FORGED, 7, "authentic record at a.log:6",
           "an edited copy of A4 inserted after it");
    log_free(&t);


    log_copy(&t, log);
    log_insert(&t, 3, (const unsigned char *) "hello", 5);
    expect(&t, SFB_AUDIT_FORGED, 4, "not JSON", "a garbage line");
    log_free(&t);

    log_copy(&t, log);
    log_insert(&t, 3, (const unsigned char *) "", 0);
    expect(&t, SFB_AUDIT_FORGED, 4, "not JSON", "an empty line");
    log_free(&t);

    r = sample();
    n = sfb_audit_format(NULL, &r, out, sizeof(out));
    log_copy(&t, log);
    log_insert(&t, 3, out, n - 1);
    expect(&t, SFB_AUDIT_FORGED, 4, "no chain fields",
           "a record without chain fields");
    log_free(&t);

    log_copy(&t, log);
    log_edit(&t, 8, "\"seq\":6", "\"seq\":60");
    expect(&t, SFB_AUDIT_FORGED, 9, "does not fit", "a seq changed");
    log_free(&t);

    log_copy(&t, log);
    log_edit(&t, 8, "\"seq\":6", "\"seq\":6,\"seq\":6");
    expect(&t, SFB_AUDIT_FORGED, 9, "not JSON", "a duplicate member");
    log_free(&t);

    log_copy(&t, log);
    log_edit(&t, 8, "\"mac\":\"", "\"mac\" : \"");
    expect(&t, SFB_AUDIT_FORGED, 9, "writer's form", "mac reformatted");
    log_free(&t);

    log_copy(&t, log);
    log_edit(&t, 8, "}", "}\r");
    expect(&t, SFB_AUDIT_FORGED, 9, "writer's form", "a CRLF line end");
    log_free(&t);

    log_copy(&t, log);
    log_edit(&t, 8, "POST", "PO\x01ST");
    expect(&t, SFB_AUDIT_FORGED, 9, "not JSON", "a raw control byte");
    log_free(&t);

    log_copy(&t, log);
    log_edit(&t, 8, "\"phase\"", "\"stage\"");
    /* the verifier counts the writer's layout, where the optional
     * entity_name, backup_id and backup_location (absent here) come
     * before "phase" */
    expect(&t, SFB_AUDIT_FORGED, 9, "member 23 is \"stage\"",
           "a member renamed");
    log_free(&t);

    log_copy(&t, log);
    log_delete(&t, 5);
    expect(&t, SFB_AUDIT_DELETED, 6, "jumps from seq 3",
           "A4 deleted");
    log_free(&t);

    log_copy(&t, log);
    log_delete(&t, 15);
    expect(&t, SFB_AUDIT_DELETED, 17, "1 record(s) missing",
           "B6 deleted in the second file");
    log_free(&t);

    log_copy(&t, log);
    log_swap(&t, 5, 6);
    expect(&t, SFB_AUDIT_REORDERED, 7, "seq 4 comes after seq 5",
           "A4 and A5 swapped");
    log_free(&t);

    log_copy(&t, log);
    log_swap(&t, 2, 9);
    expect(&t, SFB_AUDIT_REORDERED, 4, "seq 3 comes after seq 7",
           "A2 and A7 swapped");
    log_free(&t);

    log_copy(&t, log);
    log_swap(&t, 1, 4);
    log_swap(&t, 2, 3);
    expect(&t, SFB_AUDIT_REORDERED, 4, "seq 2 comes after seq 3",
           "B1, B2 and A2, A3 swapped pairwise: the first one");
    log_free(&t);

    log_copy(&t, log);
    t.len[19] /= 2;
    t.nl[19] = 0;
    expect(&t, SFB_AUDIT_TRUNCATED, 20, "possible truncation",
           "last line cut mid-way");
    log_free(&t);

    log_copy(&t, log);
    t.len[10] /= 2;
    t.nl[10] = 0;
    expect(&t, SFB_AUDIT_TRUNCATED, 11, "no newline",
           "a line without newline in the middle of a file");
    log_free(&t);

    /* a writer killed mid-line, the next line appended to the stump */

    log_copy(&t, log);
    n = t.len[10] / 2;
    memcpy(out, t.line[10], n);
    memcpy(out + n, t.line[11], t.len[11]);
    log_delete(&t, 11);
    log_delete(&t, 10);
    log_insert(&t, 10, out, n + log->len[11]);
    expect(&t, SFB_AUDIT_TRUNCATED, 11, "partial record before a complete",
           "a partial line with the next record appended");
    log_free(&t);

    log_copy(&t, log);
    log_delete(&t, 11);
    expect(&t, SFB_AUDIT_CHAIN_CUT, 10, "says it ended at seq 8",
           "A's last record dropped, A2 says where A ended");
    log_free(&t);

    log_copy(&t, log);
    log_delete(&t, 11);
    log_delete(&t, 9);
    log_delete(&t, 8);
    expect(&t, SFB_AUDIT_CHAIN_CUT, 7, "3 record(s) missing",
           "A's last three records dropped");
    log_free(&t);

    memset(&p, 0, sizeof(sfb_audit_problem_t));
    rc = verify(log, log->n, 0, 0, "another key, 32 bytes or more...", &p,
                NULL);
    ok(rc == 1 && p.kind == SFB_AUDIT_UNKNOWN_KEY && p.line == 1
       && strncmp(p.detail, "key_id ", 7) == 0,
       "verify: another key -> unknown key, named, never forged: %s",
       p.detail);

    /* B2 moved from the first file to the second */

    log_copy(&t, log);
    log_insert(&t, 16, log->line[4], log->len[4]);
    log_delete(&t, 4);
    memset(&p, 0, sizeof(sfb_audit_problem_t));
    rc = verify(&t, 11, 0, 0, KEY, &p, NULL);
    ok(rc == 1 && p.kind == SFB_AUDIT_REORDERED,
       "verify: a record moved to another file -> reordered: %s:%llu: %s",
       p.file, (unsigned long long) p.line, p.detail);
    log_free(&t);

    /* the first problem in input order wins over later ones */

    log_copy(&t, log);
    log_delete(&t, 17);
    log_edit(&t, 2, "POST", "PUT");
    expect(&t, SFB_AUDIT_MODIFIED, 3, NULL,
           "an edit on line 3 and a deletion later: the edit");
    log_free(&t);
}


static void
test_verify_files(const log_t *log, const char *dir)
{
    int                         rc;
    FILE                       *f;
    char                        path[2][256], err[512], summary[128];
    size_t                      i;
    sfb_audit_check_t          *ck;
    const sfb_audit_problem_t  *p;

    snprintf(path[0], sizeof(path[0]), "%s/audit.log.1", dir);
    snprintf(path[1], sizeof(path[1]), "%s/audit.log", dir);

    for (i = 0; i < log->n; i++) {
        f = fopen(path[i < 12 ? 0 : 1], i == 0 || i == 12 ? "wb" : "ab");
        if (f == NULL) {
            ok(0, "write %s", path[i < 12 ? 0 : 1]);
            return;
        }

        /* the last line of the newest file without its newline */

        (void) fwrite(log->line[i], 1, log->len[i], f);
        if (i != log->n - 1) {
            (void) fputc('\n', f);
        }

        (void) fclose(f);
    }

    ck = sfb_audit_check_create((const unsigned char *) KEY, sizeof(KEY) - 1,
                                0);
    ok(sfb_audit_check_path(ck, path[0], err, sizeof(err)) == 0,
       "files: read %s", path[0]);
    ok(sfb_audit_check_path(ck, path[1], err, sizeof(err)) == 0,
       "files: read %s", path[1]);
    rc = sfb_audit_check_finish(ck);
    p = sfb_audit_check_problem(ck);
    ok(rc == 1 && p->kind == SFB_AUDIT_TRUNCATED && p->line == 8
       && strcmp(p->file, path[1]) == 0,
       "files: a last line without newline is truncated, not forged");
    sfb_audit_check_destroy(ck);

    f = fopen(path[1], "ab");
    if (f != NULL) {
        (void) fputc('\n', f);
        (void) fclose(f);
    }

    ck = sfb_audit_check_create((const unsigned char *) KEY, sizeof(KEY) - 1,
                                1);
    ok(sfb_audit_check_path(ck, path[1], err, sizeof(err)) == 0
       && sfb_audit_check_path(ck, path[0], err, sizeof(err)) == 0,
       "files: read newest first");
    is_int(sfb_audit_check_finish(ck), 0, "files: verified, --strict");
    (void) sfb_audit_check_summary(ck, summary, sizeof(summary));
    is_str(summary, "OK: 2 files, 3 chains, 20 records verified",
           "files: summary");
    ok(sfb_audit_check_note(ck, 0) == NULL, "files: no notes");
    sfb_audit_check_destroy(ck);

    ck = sfb_audit_check_create((const unsigned char *) KEY, sizeof(KEY) - 1,
                                0);
    ok(sfb_audit_check_path(ck, path[1], err, sizeof(err)) == 0,
       "files: newest alone");
    is_int(sfb_audit_check_finish(ck), 0, "files: newest alone verifies");
    ok(sfb_audit_check_note(ck, 0) != NULL
       && strstr(sfb_audit_check_note(ck, 0), "begins at seq 5"),
       "files: note: %s", sfb_audit_check_note(ck, 0));
    ok(sfb_audit_check_note(ck, 1) != NULL
       && strstr(sfb_audit_check_note(ck, 1), "not in the given files"),
       "files: note: %s", sfb_audit_check_note(ck, 1));

    snprintf(path[0], sizeof(path[0]), "%s/missing.log", dir);
    rc = sfb_audit_check_path(ck, path[0], err, sizeof(err));
    ok(rc == -1 && strstr(err, "cannot open"), "files: missing: %s", err);
    sfb_audit_check_destroy(ck);

    (void) unlink(path[1]);
    snprintf(path[0], sizeof(path[0]), "%s/audit.log.1", dir);
    (void) unlink(path[0]);
}


#define KEY2  "the next key after a rotation, 32 bytes or more"


/*
 * A key rotation: chain A sealed with KEY, then chain B (after a reload
 * with a new key) with KEY2, linked to A's end.  The verifier picks each
 * record's key by its key_id; a record whose key is not given is named,
 * never called forged; a record of before key_id still verifies.
 */
/*
 * --complete-until: the log's two live chains (a second record apart, the
 * last at line 20) reach the last interval before the time given; cut
 * their tails and the older of the two stops too early.
 */

static void
test_verify_complete(const log_t *log)
{
    int                  rc;
    int64_t              last;
    log_t                cut;
    sfb_audit_problem_t  p;

    last = INT64_C(1795570699123) + 19 * 1000;

    memset(&p, 0, sizeof(sfb_audit_problem_t));
    rc = verify_with(log, log->n, 0, 1, KEY, last + 500, &p, NULL);
    if (!ok(rc == 0, "complete-until: a log that reaches the time verifies")) {
        printf("#   got rc %d: line %llu: %s\n", rc,
               (unsigned long long) p.line, p.detail);
    }

    log_copy(&cut, log);
    log_delete(&cut, cut.n - 1);
    log_delete(&cut, cut.n - 1);
    log_delete(&cut, cut.n - 1);

    memset(&p, 0, sizeof(sfb_audit_problem_t));
    rc = verify_with(&cut, cut.n, 0, 1, KEY, last + 500, &p, NULL);
    if (!ok(rc == 1 && p.kind == SFB_AUDIT_CHAIN_CUT && p.line == 16
            && strstr(p.detail, "without its end record") != NULL,
            "complete-until: the tails of the live chains cut -> chain cut "
            "at line 16, where the older one stops"))
    {
        printf("#   got rc %d: line %llu: %s: %s\n", rc,
               (unsigned long long) p.line, sfb_audit_problem_name(p.kind),
               p.detail);
    }

    memset(&p, 0, sizeof(sfb_audit_problem_t));
    rc = verify_with(&cut, cut.n, 0, 1, KEY, last - 3000 + 500, &p,
                     NULL);
    ok(rc == 0, "complete-until: the same cut log, complete only up to its "
       "newest record, verifies");

    log_free(&cut);
}


static void
test_verify_keys(void)
{
    int                   rc;
    char                  kid[SFB_AUDIT_KEY_ID_HEX + 1];
    size_t                i, n;
    log_t                 log, t;
    unsigned char         out[BUF_MAX];
    const char           *both[2], *old[1], *next[1];
    sfb_audit_chain_t    *a, *b;
    sfb_audit_record_t    r;
    sfb_audit_problem_t   p;

    memset(&log, 0, sizeof(log_t));

    a = sfb_audit_chain_create((const unsigned char *) KEY, sizeof(KEY) - 1);
    b = sfb_audit_chain_create((const unsigned char *) KEY2,
                               sizeof(KEY2) - 1);

    if (a == NULL || b == NULL || sfb_audit_chain_start(a) != 0) {
        ok(0, "keys: setup");
        return;
    }

    r = sample();

    for (i = 0; i < 6; i++) {
        if (i == 3
            && (sfb_audit_chain_start(b) != 0
                || sfb_audit_chain_link(b, sfb_audit_chain_id(a),
                                        sfb_audit_chain_seq(a))
                   != 0))
        {
            ok(0, "keys: setup");
            return;
        }

        r.time_ms = INT64_C(1795570699123) + (int64_t) i * 1000;
        n = sfb_audit_format(i < 3 ? a : b, &r, out, sizeof(out));
        log_insert(&log, log.n, out, n - 1);
    }

    both[0] = KEY;
    both[1] = KEY2;
    old[0] = KEY;
    next[0] = KEY2;

    ok(verify_keys(&log, both, 2, NULL) == 0,
       "keys: old and new key given: every record verifies, --strict");
    ok(verify_keys(&log, both + 1, 1, NULL) == 1
       && verify_keys(&log, both, 1, NULL) == 1,
       "keys: only one of them: not verified");

    memset(&p, 0, sizeof(sfb_audit_problem_t));
    rc = verify_keys(&log, old, 1, &p);
    (void) sfb_audit_key_id((const unsigned char *) KEY2, sizeof(KEY2) - 1,
                            kid);
    ok(rc == 1 && p.kind == SFB_AUDIT_UNKNOWN_KEY && p.line == 4
       && strncmp(p.detail, "key_id ", 7) == 0
       && strstr(p.detail, kid) != NULL,
       "keys: the new key missing: line 4 is \"unknown key <its key_id>\": "
       "%s", p.detail);

    memset(&p, 0, sizeof(sfb_audit_problem_t));
    rc = verify_keys(&log, next, 1, &p);
    ok(rc == 1 && p.kind == SFB_AUDIT_UNKNOWN_KEY && p.line == 1,
       "keys: the old key missing: line 1 is an unknown key: %s", p.detail);

    log_copy(&t, &log);
    log_edit(&t, 4, "\"client\":\"10.0.0.7\"", "\"client\":\"10.6.6.6\"");
    memset(&p, 0, sizeof(sfb_audit_problem_t));
    rc = verify_keys(&t, both, 2, &p);
    ok(rc == 1 && p.kind == SFB_AUDIT_MODIFIED && p.line == 5,
       "keys: an edit under the new key is still a modified record: %s",
       p.detail);
    log_free(&t);

    /* a key_id changed to the other key's: that key's MAC fails */

    log_copy(&t, &log);
    (void) sfb_audit_key_id((const unsigned char *) KEY, sizeof(KEY) - 1,
                            kid);
    (void) sfb_audit_key_id((const unsigned char *) KEY2, sizeof(KEY2) - 1,
                            (char *) out);
    log_edit(&t, 4, (char *) out, kid);
    memset(&p, 0, sizeof(sfb_audit_problem_t));
    rc = verify_keys(&t, both, 2, &p);
    ok(rc == 1 && (p.kind == SFB_AUDIT_MODIFIED || p.kind == SFB_AUDIT_FORGED)
       && p.line == 5,
       "keys: a key_id swapped for the other key's does not verify: %s",
       p.detail);
    log_free(&t);

    /* a record of before 0.3: no node, no key_id; any given key may do */

    log_free(&log);
    memset(&log, 0, sizeof(log_t));
    sfb_audit_chain_destroy(b);

    b = sfb_audit_chain_create((const unsigned char *) KEY2,
                               sizeof(KEY2) - 1);

    if (b == NULL || sfb_audit_chain_start(b) != 0) {
        ok(0, "keys: setup");
        return;
    }

    r.node.len = 0;
    n = sfb_audit_format(b, &r, out, sizeof(out));
    log_insert(&log, 0, out, n - 1);
    log_edit(&log, 0, ",\"node\":\"\"", "");
    (void) sfb_audit_key_id((const unsigned char *) KEY2, sizeof(KEY2) - 1,
                            kid);
    snprintf((char *) out, sizeof(out), ",\"key_id\":\"%s\"", kid);
    log_edit(&log, 0, (char *) out, "");
    ok(!has(log.line[0], log.len[0], "key_id")
       && !has(log.line[0], log.len[0], "node"),
       "keys: an old-style record (no node, no key_id) made");

    memset(&p, 0, sizeof(sfb_audit_problem_t));
    rc = verify_keys(&log, both, 2, &p);
    ok(rc == 1 && p.kind == SFB_AUDIT_FORGED,
       "keys: its MAC no longer holds once edited: %s", p.detail);

    /* sealed as a writer of before 0.3 would have: B less the members */

    reseal(&log, 0, KEY2);
    ok(verify_keys(&log, both, 2, NULL) == 0,
       "keys: an old-style record verifies with whichever key sealed it");

    memset(&p, 0, sizeof(sfb_audit_problem_t));
    rc = verify_keys(&log, old, 1, &p);
    ok(rc == 1 && p.kind == SFB_AUDIT_FORGED && strstr(p.detail, "wrong key?"),
       "keys: without its key, a record that names none is forged (wrong "
       "key?): %s", p.detail);

    log_free(&log);
    sfb_audit_chain_destroy(a);
    sfb_audit_chain_destroy(b);
}


/*
 * A key's retirement (sfb_audit.h): b's first record retires a's key and
 * names c, a chain of a's key still live (an old worker finishing); after
 * it, a's key vouches for c's records only.
 */
static void
test_verify_retired(void)
{
    int                   rc;
    char                  kid[SFB_AUDIT_KEY_ID_HEX + 1], want[160];
    size_t                n, i;
    log_t                 log, t;
    sfb_audit_chain_t    *a, *b, *c, *d;
    unsigned char         out[SFB_AUDIT_LINE_MAX];
    const char           *both[2];
    sfb_audit_record_t    r;
    sfb_audit_problem_t   p;

    memset(&log, 0, sizeof(log_t));

    a = sfb_audit_chain_create((const unsigned char *) KEY, sizeof(KEY) - 1);
    c = sfb_audit_chain_create((const unsigned char *) KEY, sizeof(KEY) - 1);
    d = sfb_audit_chain_create((const unsigned char *) KEY, sizeof(KEY) - 1);
    b = sfb_audit_chain_create((const unsigned char *) KEY2,
                               sizeof(KEY2) - 1);

    if (a == NULL || b == NULL || c == NULL || d == NULL
        || sfb_audit_chain_start(a) != 0 || sfb_audit_chain_start(b) != 0
        || sfb_audit_chain_start(c) != 0 || sfb_audit_chain_start(d) != 0)
    {
        ok(0, "retired: setup");
        return;
    }

    (void) sfb_audit_key_id((const unsigned char *) KEY, sizeof(KEY) - 1,
                            kid);

    ok(sfb_audit_chain_retire(a, kid) == -1,
       "retired: a key cannot retire itself");
    ok(sfb_audit_chain_retire(b, "0123456789ABCDEF") == -1
       && sfb_audit_chain_retire(b, "0123456789abcdeg") == -1,
       "retired: a key_id is 16 lowercase hex digits");
    ok(sfb_audit_chain_retiring_chain(b, sfb_audit_chain_id(c)) == -1,
       "retired: no chain named before a retirement");

    ok(sfb_audit_chain_retire(b, kid) == 0
       && sfb_audit_chain_retiring(b) == 1,
       "retired: b retires a's key");

    for (i = 0; i < SFB_AUDIT_RETIRING_MAX; i++) {
        if (sfb_audit_chain_retiring_chain(b, sfb_audit_chain_id(c)) != 0) {
            break;
        }
    }

    ok(i == SFB_AUDIT_RETIRING_MAX
       && sfb_audit_chain_retiring_chain(b, sfb_audit_chain_id(c)) == -1,
       "retired: at most %d chains named", SFB_AUDIT_RETIRING_MAX);

    (void) sfb_audit_chain_retire(b, kid);
    ok(sfb_audit_chain_retiring_chain(b, "0123") == -1
       && sfb_audit_chain_retiring_chain(b, sfb_audit_chain_id(c)) == 0,
       "retired: c named, once (a new retire() forgets the others)");

    r = sample();

    /* a: t0..t2; c begins at t1 (a's key, live at the retirement) */

    for (i = 0; i < 3; i++) {
        r.time_ms = INT64_C(1795570699123) + (int64_t) i * 1000;
        n = sfb_audit_format(i == 1 ? c : a, &r, out, sizeof(out));
        log_insert(&log, log.n, out, n - 1);
    }

    /* b's first record at t3, made, undone, made again: still retiring */

    r.time_ms = INT64_C(1795570702123);
    (void) sfb_audit_chain_mark(b);
    n = sfb_audit_format(b, &r, out, sizeof(out));
    ok(n > 0 && sfb_audit_chain_retiring(b) == 0
       && sfb_audit_chain_rewind(b) == 0 && sfb_audit_chain_retiring(b) == 1,
       "retired: a rewind brings the retirement back");

    n = sfb_audit_format(b, &r, out, sizeof(out));
    log_insert(&log, log.n, out, n - 1);

    snprintf(want, sizeof(want), "\"retires\":\"%s\",\"retiring_chains\":"
             "[\"%s\"],\"mac\":\"", kid, sfb_audit_chain_id(c));
    ok(has(log.line[3], log.len[3], want),
       "retired: the record names the key and the chain, before its mac");

    r.time_ms += 1000;
    n = sfb_audit_format(b, &r, out, sizeof(out));
    log_insert(&log, log.n, out, n - 1);
    ok(!has(log.line[4], log.len[4], "retires"),
       "retired: carried by one record only");

    /* c, named, goes on after the retirement */

    r.time_ms += 1000;
    n = sfb_audit_format(c, &r, out, sizeof(out));
    log_insert(&log, log.n, out, n - 1);

    both[0] = KEY;
    both[1] = KEY2;

    memset(&p, 0, sizeof(sfb_audit_problem_t));
    rc = verify_keys(&log, both, 2, &p);
    ok(rc == 0, "retired: the chain named goes on after it, --strict: %s",
       p.detail);

    /* d: a's key, a chain that begins after the retirement */

    log_copy(&t, &log);
    r.time_ms += 1000;
    n = sfb_audit_format(d, &r, out, sizeof(out));
    log_insert(&t, t.n, out, n - 1);
    memset(&p, 0, sizeof(sfb_audit_problem_t));
    rc = verify_keys(&t, both, 2, &p);
    ok(rc == 1 && p.kind == SFB_AUDIT_RETIRED_KEY && p.line == 7
       && strstr(p.detail, kid) != NULL
       && strstr(p.detail, "after its retirement at 2026-11-25T01:38:22.123Z")
       && strstr(p.detail, "(a.log line 4)")
       && strstr(p.detail, "a chain that begins after it"),
       "retired: a new chain of the retired key is refused, naming the key "
       "and the retirement: %s", p.detail);
    ok(strcmp(sfb_audit_problem_name(p.kind), "retired key") == 0,
       "retired: called a \"retired key\"");
    log_free(&t);

    /* a, not named, goes on after the retirement */

    log_copy(&t, &log);
    n = sfb_audit_format(a, &r, out, sizeof(out));
    log_insert(&t, t.n, out, n - 1);
    memset(&p, 0, sizeof(sfb_audit_problem_t));
    rc = verify_keys(&t, both, 2, &p);
    ok(rc == 1 && p.kind == SFB_AUDIT_RETIRED_KEY && p.line == 7
       && strstr(p.detail, sfb_audit_chain_id(a)) != NULL
       && strstr(p.detail, "begins") == NULL,
       "retired: a chain of the old key not named cannot go on: %s",
       p.detail);
    log_free(&t);

    /* d again, dated before the retirement: the old key's own past */

    sfb_audit_chain_destroy(d);
    d = sfb_audit_chain_create((const unsigned char *) KEY, sizeof(KEY) - 1);

    if (d == NULL || sfb_audit_chain_start(d) != 0) {
        ok(0, "retired: setup");
        return;
    }

    log_copy(&t, &log);
    r.time_ms = INT64_C(1795570701500);
    n = sfb_audit_format(d, &r, out, sizeof(out));
    log_insert(&t, t.n, out, n - 1);
    memset(&p, 0, sizeof(sfb_audit_problem_t));
    rc = verify_keys(&t, both, 2, &p);
    ok(rc == 0, "retired: a record of the old key dated before it "
       "verifies: %s", p.detail);
    log_free(&t);

    /* the retirement made with the retired key itself counts for nothing */

    log_copy(&t, &log);
    log_edit(&t, 3, "\"retires\"", "\"retirex\"");
    memset(&p, 0, sizeof(sfb_audit_problem_t));
    rc = verify_keys(&t, both, 2, &p);
    ok(rc == 1 && p.line == 4 && p.kind != SFB_AUDIT_RETIRED_KEY,
       "retired: a retirement edited does not verify: %s", p.detail);
    log_free(&t);

    log_free(&log);
    sfb_audit_chain_destroy(a);
    sfb_audit_chain_destroy(b);
    sfb_audit_chain_destroy(c);
    sfb_audit_chain_destroy(d);
}


static int
verify_keys(const log_t *log, const char **keys, size_t n,
    sfb_audit_problem_t *problem)
{
    int                         rc;
    size_t                      i;
    sfb_audit_check_t          *ck;
    const sfb_audit_problem_t  *p;

    ck = sfb_audit_check_create(NULL, 0, 1);
    if (ck == NULL) {
        return -1;
    }

    for (i = 0; i < n; i++) {
        if (sfb_audit_check_add_key(ck, (const unsigned char *) keys[i],
                                    strlen(keys[i]))
            != 0)
        {
            sfb_audit_check_destroy(ck);
            return -1;
        }
    }

    (void) sfb_audit_check_begin_file(ck, "a.log");

    for (i = 0; i < log->n; i++) {
        if (sfb_audit_check_line(ck, log->line[i], log->len[i], log->nl[i])
            != 0)
        {
            sfb_audit_check_destroy(ck);
            return -1;
        }
    }

    rc = sfb_audit_check_finish(ck);

    p = sfb_audit_check_problem(ck);
    if (p != NULL && problem != NULL) {
        *problem = *p;
        problem->file = "a.log";
    }

    sfb_audit_check_destroy(ck);

    return rc;
}


/* line i's mac made anew with key over what the line now holds */
static void
reseal(log_t *log, size_t i, const char *key)
{
    size_t          blen;
    unsigned int    mdlen;
    unsigned char  *b, md[EVP_MAX_MD_SIZE];

    if (log->len[i] < 75) {
        return;
    }

    blen = log->len[i] - 74 + 1;

    b = malloc(blen);
    if (b == NULL) {
        return;
    }

    memcpy(b, log->line[i], blen - 1);
    b[blen - 1] = '}';

    if (HMAC(EVP_sha256(), key, (int) strlen(key), b, blen, md, &mdlen)
        != NULL && mdlen == 32)
    {
        hex_of(md, (char *) b);
        memcpy(log->line[i] + log->len[i] - 66, b, 64);
    }

    free(b);
}
