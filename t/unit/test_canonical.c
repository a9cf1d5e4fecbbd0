/*
 * sfb_canonical_body()'s shortcut for names that need no escaping must give
 * exactly what jansson gives: checked on every printable ASCII byte, on
 * names that must take jansson's path, and on pseudo-random names; and the
 * test behind it, sfb_json_plain(), against its bytewise definition.
 * sfb_parse_body()'s shortcut for a body already in canonical form must
 * answer exactly as jansson's path does (reason, name, detail), on canonical
 * bodies and on every kind of near miss, and must really skip jansson.
 */

#include <stdlib.h>

#include <jansson.h>

#include "sfb_types.h"
#include "sfb_gate.h"
#include "sfb_body.h"
#include "sfb_canonical.h"
#include "sfb_json.h"
#include "sfb_tap.h"


/* what sfb_json_plain() answers, a byte at a time */
static int
plain_bytes(const unsigned char *p, size_t n)
{
    size_t  i;

    for (i = 0; i < n; i++) {
        if (p[i] < 0x20 || p[i] > 0x7e || p[i] == '"' || p[i] == '\\') {
            return 0;
        }
    }

    return 1;
}


/* sfb_json_plain() reads eight bytes at a time: every byte value at every
 * position and alignment, and random strings, against the bytewise rule */
static void
test_plain(void)
{
    int             b, bad, i;
    size_t          at, len, off, k;
    unsigned int    seed;
    unsigned char   buf[64];

    bad = 0;

    for (b = 0; b < 256 && !bad; b++) {
        for (len = 1; len <= 24 && !bad; len++) {
            for (at = 0; at < len && !bad; at++) {
                for (off = 0; off < 8 && !bad; off++) {
                    memset(buf + off, 'a', len);
                    buf[off + at] = (unsigned char) b;

                    if (sfb_json_plain(buf + off, len)
                        != plain_bytes(buf + off, len))
                    {
                        bad = 1;
                        printf("#     byte 0x%02x at %zu of %zu\n", b, at,
                               len);
                    }
                }
            }
        }
    }

    is_int(bad, 0, "plain: every byte at every place of 1..24 bytes");

    seed = 2026;
    bad = 0;

    for (i = 0; i < 100000; i++) {
        len = rand_r(&seed) % 48;
        off = rand_r(&seed) % 8;

        for (k = 0; k < len; k++) {
            buf[off + k] = (rand_r(&seed) % 16 == 0)
                           ? (unsigned char) rand_r(&seed)
                           : (unsigned char) (0x20 + rand_r(&seed) % 0x5f);
        }

        bad += sfb_json_plain(buf + off, len) != plain_bytes(buf + off, len);
    }

    is_int(bad, 0, "plain: 100000 random strings");
    ok(sfb_json_plain(NULL, 0), "plain: the empty string");
}


static int
same_as_jansson(const unsigned char *name, size_t len)
{
    size_t          a, b;
    unsigned char   fast[1024], slow[1024];

    a = sfb_canonical_body(name, len, fast, sizeof(fast));
    b = sfb_canonical_body_json(name, len, slow, sizeof(slow));

    return a != 0 && a == b && memcmp(fast, slow, a) == 0;
}


/* jansson's allocations, counted: the shortcut makes none */

static unsigned long  jansson_allocs;

static void *
counting_malloc(size_t size)
{
    jansson_allocs++;
    return malloc(size);
}


/* one body through both paths: reason, name and detail must be the same */
static int
parse_same(const unsigned char *body, size_t len, size_t size)
{
    char             d1[SFB_DETAIL_SIZE], d2[SFB_DETAIL_SIZE];
    sfb_body_t       b1, b2;
    sfb_rules_t      rules;
    sfb_reason_e     r1, r2;
    unsigned char    buf1[512], buf2[512];

    sfb_rules_init(&rules);

    memset(d1, 'Z', sizeof(d1));
    memset(d2, 'Z', sizeof(d2));

    r1 = sfb_parse_body(&rules, body, len, &b1, buf1, size, d1, sizeof(d1));
    r2 = sfb_parse_body_json(&rules, body, len, &b2, buf2, size, d2,
                             sizeof(d2));

    if (r1 != r2 || strcmp(d1, d2) != 0
        || (r1 == SFB_REASON_NONE
            && (b1.policy_len != b2.policy_len
                || memcmp(b1.policy, b2.policy, b1.policy_len) != 0)))
    {
        printf("#     body '%.*s' (%zu bytes, room %zu): %s '%s' vs %s '%s'\n",
               (int) len, body, len, size, sfb_reason_name(r1), d1,
               sfb_reason_name(r2), d2);
        return 0;
    }

    return 1;
}


/* near misses of a canonical body: each must take jansson's answer */
static void
test_parse_shortcut(void)
{
    int             i, k, bad;
    size_t          len, n, at;
    unsigned int    seed;
    sfb_body_t      b;
    sfb_rules_t     rules;
    sfb_reason_e    rc;
    json_malloc_t   m;
    json_free_t     f;
    unsigned char   name[64], body[512], buf[512];
    char            detail[SFB_DETAIL_SIZE];

    static const char  *odd[] = {
        "{\"BackupPolicyName\":\"\"}",
        "{\"BackupPolicyName\":\"a\"}",
        "{\"BackupPolicyName\":\"a\\\"b\"}",
        "{\"BackupPolicyName\":\"a\\u0041\"}",
        "{\"BackupPolicyName\":\"a\\u0000\"}",
        "{\"BackupPolicyName\":\"caf\xc3\xa9\"}",
        "{\"BackupPolicyName\":\"caf\xe9\"}",
        "{\"BackupPolicyName\":\"tab\there\"}",
        "{\"BackupPolicyName\":\"del\x7f\"}",
        "{\"BackupPolicyName\":\"a\",\"BackupPolicyName\":\"b\"}",
        "{\"BackupPolicyName\":\"a\",\"x\":\"b\"}",
        "{\"BackupPolicyName\":\"a\"}x",
        "{\"BackupPolicyName\":\"a\"} ",
        " {\"BackupPolicyName\":\"a\"}",
        "{\"BackupPolicyName\":\"a\"}}",
        "{\"BackupPolicyName\":\"a\"\"}",
        "{\"BackupPolicyName\":\"\"}\"}",
        "{\"BackupPolicyName\":\"a\"}\"}",
        "{\"backupPolicyName\":\"a\"}",
        "{\"BackupPolicyName\" :\"a\"}",
        "{\"BackupPolicyName\":\"}",
        "{\"BackupPolicyName\":\"\"",
        "{\"BackupPolicyName\":\"",
        "\"}",
    };

    bad = 0;

    for (i = 0; i < (int) (sizeof(odd) / sizeof(odd[0])); i++) {
        len = strlen(odd[i]);
        if (!parse_same((const unsigned char *) odd[i], len, len)) {
            bad++;
        }
    }

    is_int(bad, 0, "parse: %d near misses, shortcut == jansson",
           (int) (sizeof(odd) / sizeof(odd[0])));

    /* random names (some needing escapes), canonical or mutated */
    seed = 777;
    bad = 0;

    for (i = 0; i < 20000; i++) {
        len = rand_r(&seed) % 40;

        for (k = 0; k < (int) len; k++) {
            name[k] = (rand_r(&seed) % 24 == 0)
                      ? (unsigned char) rand_r(&seed)
                      : (unsigned char) (0x20 + rand_r(&seed) % 0x5f);
        }

        n = sfb_canonical_body_json(name, len, body, sizeof(body));
        if (n == 0) {
            /* not UTF-8: the raw bytes between the fixed ones, then */
            n = (size_t) snprintf((char *) body, sizeof(body),
                                  "{\"BackupPolicyName\":\"%.*s\"}",
                                  (int) len, name);
        }

        switch (rand_r(&seed) % 5) {
        case 0:     /* as it is */
            break;
        case 1:     /* one byte changed */
            at = rand_r(&seed) % n;
            body[at] = (unsigned char) rand_r(&seed);
            break;
        case 2:     /* a blank put in */
            at = rand_r(&seed) % (n + 1);
            memmove(body + at + 1, body + at, n - at);
            body[at] = " \t\r\n"[rand_r(&seed) % 4];
            n++;
            break;
        case 3:     /* cut short */
            n = rand_r(&seed) % n;
            break;
        default:    /* less room for the name than the body holds */
            if (!parse_same(body, n, n > 24 ? n - 24 : 0)) {
                bad++;
            }
            break;
        }

        if (!parse_same(body, n, n)) {
            bad++;
        }
    }

    is_int(bad, 0, "parse: 20000 random canonical and mutated bodies, "
           "shortcut == jansson");

    /* the shortcut is taken, or this file tests nothing of it */
    json_get_alloc_funcs(&m, &f);
    json_set_alloc_funcs(counting_malloc, free);
    sfb_rules_init(&rules);

    jansson_allocs = 0;
    n = strlen("{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}");
    rc = sfb_parse_body(&rules, (const unsigned char *)
                        "{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
                        n, &b, buf, sizeof(buf), detail, sizeof(detail));
    ok(rc == SFB_REASON_NONE && jansson_allocs == 0
       && b.policy_len == 22 && memcmp(b.policy, "DailyAzureBackupPolicy", 22)
          == 0 && detail[0] == '\0',
       "parse: the seed's body takes the shortcut (%lu jansson allocations)",
       jansson_allocs);

    jansson_allocs = 0;
    n = strlen("{ \"BackupPolicyName\":\"DailyAzureBackupPolicy\"}");
    rc = sfb_parse_body(&rules, (const unsigned char *)
                        "{ \"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
                        n, &b, buf, sizeof(buf), detail, sizeof(detail));
    ok(rc == SFB_REASON_NONE && jansson_allocs > 0,
       "parse: a blank makes it jansson's (%lu allocations)", jansson_allocs);

    json_set_alloc_funcs(m, f);
}


int
main(void)
{
    int             c, i, j, bad;
    size_t          n, len;
    unsigned char   name[64], out[128];
    unsigned int    seed;

    static const char  *odd[] = {
        "", "a\"b", "a\\b", "tab\there", "new\nline", "caf\xc3\xa9",
        "\xf0\x9f\x98\x80", "del\x7f", "slash/ok", "<script>",
    };

    test_plain();
    test_parse_shortcut();

    bad = 0;

    for (c = 0x01; c <= 0x7f; c++) {
        name[0] = 'p';
        name[1] = (unsigned char) c;
        name[2] = 'q';

        if (!same_as_jansson(name, 3)) {
            bad = c;
            break;
        }
    }

    is_int(bad, 0, "every ASCII byte inside a name: shortcut == jansson");

    for (i = 0; i < (int) (sizeof(odd) / sizeof(odd[0])); i++) {
        ok(same_as_jansson((const unsigned char *) odd[i], strlen(odd[i])),
           "name needing care #%d: shortcut == jansson", i);
    }

    seed = 12345;
    bad = 0;

    for (i = 0; i < 20000 && !bad; i++) {
        len = 1 + (rand_r(&seed) % 40);

        for (j = 0; j < (int) len; j++) {
            name[j] = (unsigned char) (0x20 + rand_r(&seed) % 0x5f);
        }

        if (!same_as_jansson(name, len)) {
            bad = i + 1;
        }
    }

    is_int(bad, 0, "20000 random printable names: shortcut == jansson");

    n = sfb_canonical_body((const unsigned char *) "DailyAzureBackupPolicy",
                           22, out, sizeof(out));
    is_mem(out, n, "{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
           "the seed's policy, exact bytes");

    memset(out, 'x', sizeof(out));
    n = sfb_canonical_body((const unsigned char *) "Daily", 5, out, 27);
    ok(n == 28 && out[0] == 'x', "too small by one: length, nothing written");

    memset(out, 'x', sizeof(out));
    n = sfb_canonical_body_json((const unsigned char *) "a\"b", 3, out, 10);
    ok(n > 10 && out[0] == 'x',
       "jansson path too small: length, nothing written");

    n = sfb_canonical_body_json((const unsigned char *) "a\"b", 3, out,
                                SFB_CANONICAL_BODY_MAX(3));
    is_mem(out, n, "{\"BackupPolicyName\":\"a\\\"b\"}",
           "jansson path with room: one pass, exact bytes");

    return done_testing();
}
