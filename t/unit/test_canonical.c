/*
 * sfb_canonical_body()'s shortcut for names that need no escaping must give
 * exactly what jansson gives: checked on every printable ASCII byte, on
 * names that must take jansson's path, and on pseudo-random names; and the
 * test behind it, sfb_json_plain(), against its bytewise definition.
 */

#include <stdlib.h>

#include "sfb_gate.h"
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
