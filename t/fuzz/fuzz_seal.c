/*
 * Fuzz target: the forward-secure sealing's texts, sfb_seal_state_parse()
 * (a v2 state file, or v1) and sfb_seal_vkey_parse() on any bytes (the
 * first byte picks which).
 *
 * Invariants:
 *  - a state parsed is one the printer writes: of v2, the header and one
 *    of the slots byte for byte as sfb_seal_state_text() prints the state
 *    at its seq (the other slot may be torn); of v1, the whole text as v1
 *    was written; the verification key's less an optional newline (no
 *    second spelling of a state, so none that a check could miss);
 *  - no valid slot is newer than the one parsed: each slot alone, in both
 *    places, parses to a lower seq (or the same, not a later epoch), or
 *    not at all;
 *  - the printed text parses back to the same state and seq;
 *  - a verification key parsed names its key: key_id is the fingerprint of
 *    its k_0;
 *  - what parses is within bounds: interval at least the minimum, epoch at
 *    most the last a verifier derives;
 *  - a refusal says why, in a printable sentence, and leaves no key behind.
 */

#include "sfb_fuzz.h"
#include "sfb_seal.h"


#define FUZZ_SEAL_V1  "sf-backup-gate seal state v1\n"


static void fuzz_state(const sfb_seal_t *s, uint64_t seq,
    const unsigned char *v, size_t n);
static void fuzz_vkey(const sfb_seal_t *s, const unsigned char *v, size_t n);
static void fuzz_no_newer(const sfb_seal_t *s, uint64_t seq,
    const unsigned char *v);
static size_t fuzz_v1_text(const sfb_seal_t *s, char *out, size_t size);
static int fuzz_same(const sfb_seal_t *a, const sfb_seal_t *b);


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int             vkey, rc;
    char            err[512];
    size_t          i, n;
    uint64_t        seq;
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
    seq = 0;
    rc = vkey ? sfb_seal_vkey_parse(&s, v, n, err, sizeof(err))
              : sfb_seal_state_parse(&s, &seq, v, n, err, sizeof(err));

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

    if (vkey) {
        fuzz_vkey(&s, v, n);

    } else {
        fuzz_state(&s, seq, v, n);
    }

    sfb_seal_clear(&s);
    free(v);

    return 0;
}


static void
fuzz_state(const sfb_seal_t *s, uint64_t seq, const unsigned char *v,
    size_t n)
{
    char            text[SFB_SEAL_TEXT_MAX], err[512];
    size_t          len;
    uint64_t        seq2;
    sfb_seal_t      back;
    unsigned char  *t;

    if (n >= sizeof(FUZZ_SEAL_V1) - 1
        && memcmp(v, FUZZ_SEAL_V1, sizeof(FUZZ_SEAL_V1) - 1) == 0)
    {
        len = fuzz_v1_text(s, text, sizeof(text));
        SFB_FUZZ_CHECK(seq == 0, "a v1 state with seq %llu",
                       (unsigned long long) seq);
        SFB_FUZZ_CHECK(n == len && memcmp(text, v, len) == 0,
                       "v1 state read differs from its print");

    } else {
        len = sfb_seal_state_text(s, seq, text, sizeof(text));
        SFB_FUZZ_CHECK(len == SFB_SEAL_STATE_LEN && n == len,
                       "a v2 state of %zu bytes printed in %zu", n, len);
        SFB_FUZZ_CHECK(memcmp(text, v, SFB_SEAL_STATE_HEAD) == 0,
                       "v2 header read differs from its print");
        SFB_FUZZ_CHECK(memcmp(text + SFB_SEAL_STATE_HEAD,
                              v + SFB_SEAL_STATE_HEAD, SFB_SEAL_STATE_SLOT)
                       == 0
                       || memcmp(text + SFB_SEAL_STATE_HEAD,
                                 v + SFB_SEAL_STATE_HEAD
                                 + SFB_SEAL_STATE_SLOT,
                                 SFB_SEAL_STATE_SLOT)
                          == 0,
                       "neither v2 slot read is the state's print");

        fuzz_no_newer(s, seq, v);
    }

    /* what is written from it (v2, whatever was read) reads back */

    len = sfb_seal_state_text(s, seq, text, sizeof(text));
    SFB_FUZZ_CHECK(len == SFB_SEAL_STATE_LEN, "a parsed state does not "
                   "print");

    t = sfb_fuzz_dup(text, len);
    err[0] = '\0';

    SFB_FUZZ_CHECK(sfb_seal_state_parse(&back, &seq2, t, len, err,
                                        sizeof(err))
                   == 0 && fuzz_same(&back, s) && seq2 == seq,
                   "the print does not parse back: %s", err);

    sfb_seal_clear(&back);
    free(t);
}


/* each slot of v alone, in both places: if valid, not newer than s */

static void
fuzz_no_newer(const sfb_seal_t *s, uint64_t seq, const unsigned char *v)
{
    int             i;
    char            err[512];
    uint64_t        seq2;
    sfb_seal_t      other;
    unsigned char  *t;

    for (i = 0; i < 2; i++) {
        t = sfb_fuzz_dup(v, SFB_SEAL_STATE_LEN);
        memcpy(t + SFB_SEAL_STATE_HEAD + (1 - i) * SFB_SEAL_STATE_SLOT,
               t + SFB_SEAL_STATE_HEAD + i * SFB_SEAL_STATE_SLOT,
               SFB_SEAL_STATE_SLOT);

        if (sfb_seal_state_parse(&other, &seq2, t, SFB_SEAL_STATE_LEN, err,
                                 sizeof(err))
            == 0)
        {
            SFB_FUZZ_CHECK(seq2 < seq
                           || (seq2 == seq && other.epoch <= s->epoch),
                           "slot %d (seq %llu, epoch %llu) is newer than "
                           "the state parsed (seq %llu, epoch %llu)", i + 1,
                           (unsigned long long) seq2,
                           (unsigned long long) other.epoch,
                           (unsigned long long) seq,
                           (unsigned long long) s->epoch);
        }

        sfb_seal_clear(&other);
        free(t);
    }
}


static void
fuzz_vkey(const sfb_seal_t *s, const unsigned char *v, size_t n)
{
    char    text[SFB_SEAL_TEXT_MAX];
    char    id[SFB_AUDIT_KEY_ID_HEX + 1];
    size_t  len;

    len = sfb_seal_vkey_text(s, text, sizeof(text));

    SFB_FUZZ_CHECK(len > 0, "a parsed text does not print");
    SFB_FUZZ_CHECK(s->epoch == 0, "a verification key past epoch 0");
    SFB_FUZZ_CHECK((n == len || (n == len + 1 && v[len] == '\n'))
                   && memcmp(text, v, len) == 0,
                   "verification key read differs from its print");
    SFB_FUZZ_CHECK(sfb_audit_key_id(s->key, SFB_SEAL_KEY_LEN, id) == 0
                   && memcmp(id, s->key_id, SFB_AUDIT_KEY_ID_HEX) == 0,
                   "a verification key whose key_id is not its key's");
}


/* v1 as it was written: no printer of it is left in the core */

static size_t
fuzz_v1_text(const sfb_seal_t *s, char *out, size_t size)
{
    int     n;
    char    hex[2 * SFB_SEAL_KEY_LEN + 1];
    size_t  i;

    for (i = 0; i < SFB_SEAL_KEY_LEN; i++) {
        snprintf(hex + 2 * i, 3, "%02x", s->key[i]);
    }

    n = snprintf(out, size, FUZZ_SEAL_V1 "key_id %s\nstart %lld\ninterval "
                 "%lld\nepoch %llu\nkey %s\n", s->key_id,
                 (long long) s->start, (long long) s->interval,
                 (unsigned long long) s->epoch, hex);

    return (n > 0 && (size_t) n < size) ? (size_t) n : 0;
}


static int
fuzz_same(const sfb_seal_t *a, const sfb_seal_t *b)
{
    return a->start == b->start && a->interval == b->interval
           && a->epoch == b->epoch
           && memcmp(a->key, b->key, SFB_SEAL_KEY_LEN) == 0
           && memcmp(a->key_id, b->key_id, sizeof(a->key_id)) == 0;
}
