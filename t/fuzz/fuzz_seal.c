/*
 * Fuzz target: the forward-secure sealing's texts, sfb_seal_state_parse()
 * and sfb_seal_vkey_parse() on any bytes (the first byte picks which).
 *
 * Invariants:
 *  - a text parsed is the one its parse prints back: the state file's form
 *    byte for byte, the verification key's less an optional newline (no
 *    second spelling of a state, so none that a check could miss);
 *  - a verification key parsed names its key: key_id is the fingerprint of
 *    its k_0;
 *  - what parses is within bounds: interval at least the minimum, epoch at
 *    most the last a verifier derives;
 *  - a refusal says why, in a printable sentence, and leaves no key behind.
 */

#include "sfb_fuzz.h"
#include "sfb_seal.h"


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int             vkey, rc;
    char            err[256], text[SFB_SEAL_TEXT_MAX];
    char            id[SFB_AUDIT_KEY_ID_HEX + 1];
    size_t          i, len, n;
    sfb_seal_t      s;
    unsigned char  *v;

    static const unsigned char  zero[SFB_SEAL_KEY_LEN];

    if (size == 0) {
        return 0;
    }

    vkey = data[0] & 1;
    n = size - 1;
    v = sfb_fuzz_dup(data + 1, n);

    err[0] = '\0';
    rc = vkey ? sfb_seal_vkey_parse(&s, v, n, err, sizeof(err))
              : sfb_seal_state_parse(&s, v, n, err, sizeof(err));

    if (rc != 0) {
        SFB_FUZZ_CHECK(rc == -1 && err[0] != '\0', "a refusal without why");

        for (i = 0; err[i] != '\0'; i++) {
            SFB_FUZZ_CHECK(err[i] >= 0x20 && err[i] < 0x7f,
                           "unprintable refusal: %s", err);
        }

        SFB_FUZZ_CHECK(memcmp(s.key, zero, sizeof(zero)) == 0,
                       "a refused text left a key behind");
        free(v);
        return 0;
    }

    SFB_FUZZ_CHECK(s.interval >= SFB_SEAL_INTERVAL_MIN
                   && s.interval <= SFB_SEAL_INTERVAL_MAX
                   && s.epoch <= SFB_SEAL_EPOCH_MAX,
                   "out of bounds: interval %lld epoch %llu",
                   (long long) s.interval, (unsigned long long) s.epoch);

    len = vkey ? sfb_seal_vkey_text(&s, text, sizeof(text))
               : sfb_seal_state_text(&s, text, sizeof(text));

    SFB_FUZZ_CHECK(len > 0, "a parsed text does not print");

    if (vkey) {
        SFB_FUZZ_CHECK(s.epoch == 0, "a verification key past epoch 0");
        SFB_FUZZ_CHECK((n == len || (n == len + 1 && v[len] == '\n'))
                       && memcmp(text, v, len) == 0,
                       "verification key read differs from its print");
        SFB_FUZZ_CHECK(sfb_audit_key_id(s.key, SFB_SEAL_KEY_LEN, id) == 0
                       && memcmp(id, s.key_id, SFB_AUDIT_KEY_ID_HEX) == 0,
                       "a verification key whose key_id is not its key's");

    } else {
        SFB_FUZZ_CHECK(n == len && memcmp(text, v, len) == 0,
                       "state read differs from its print");
    }

    sfb_seal_clear(&s);
    free(v);

    return 0;
}
