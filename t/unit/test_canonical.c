/*
 * sfb_canonical_body()'s shortcut for names that need no escaping must give
 * exactly what jansson gives: checked on every printable ASCII byte, on
 * names that must take jansson's path, and on pseudo-random names.
 */

#include <stdlib.h>

#include "sfb_gate.h"
#include "sfb_tap.h"


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
