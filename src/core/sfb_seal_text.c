/*
 * sf-backup-gate: forward-secure sealing, the texts: the state file (v2,
 * and v1 read) and the verification key, printed and parsed (see
 * sfb_seal.h).  Every buffer that held a key is erased with
 * OPENSSL_cleanse() before it is given back.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "sfb_hex.h"
#include "sfb_seal_impl.h"


static int sfb_seal_v1_parse(sfb_seal_t *s, const unsigned char *text,
    size_t len, char *err, size_t errlen);
static int sfb_seal_head_parse(sfb_seal_t *s, const unsigned char *text,
    char *err, size_t errlen);
static int sfb_seal_slot_parse(sfb_seal_t *s, uint64_t *seq,
    const unsigned char *head, const unsigned char *line, char *why,
    size_t whylen);
static int sfb_seal_sum(const void *head, const void *line,
    unsigned char *out);
static int sfb_seal_field(const unsigned char **p, const unsigned char *end,
    const char *name, char sep, const unsigned char **v, size_t *vlen);
static int sfb_seal_take(const unsigned char **p, const unsigned char *end,
    const char *name, size_t n, const unsigned char **v);
static int sfb_seal_number(const unsigned char *v, size_t len, int64_t max,
    int64_t *out);
static int sfb_seal_padded(const unsigned char *v, int64_t max,
    int64_t *out);
static int sfb_seal_digits(const unsigned char *v, size_t len, int64_t max,
    int64_t *out);


size_t
sfb_seal_state_text(const sfb_seal_t *s, uint64_t seq, char *out,
    size_t size)
{
    char  *slot;

    if (size < SFB_SEAL_STATE_LEN + 1 || sfb_seal_head_text(s, out) != 0) {
        return 0;
    }

    slot = out + SFB_SEAL_STATE_HEAD;

    if (sfb_seal_slot_text(s, seq, out, slot) != 0) {
        OPENSSL_cleanse(out, size);
        return 0;
    }

    memcpy(slot + SFB_SEAL_STATE_SLOT, slot, SFB_SEAL_STATE_SLOT);
    out[SFB_SEAL_STATE_LEN] = '\0';

    return SFB_SEAL_STATE_LEN;
}


size_t
sfb_seal_vkey_text(const sfb_seal_t *s, char *out, size_t size)
{
    int   n;
    char  hex[2 * SFB_SEAL_KEY_LEN + 1];

    sfb_hex_string(hex, s->key, SFB_SEAL_KEY_LEN);

    n = snprintf(out, size, SFB_SEAL_VKEY "%s-%s-%" PRId64 "-%" PRId64,
                 s->key_id, hex, s->start, s->interval);

    OPENSSL_cleanse(hex, sizeof(hex));

    return (n > 0 && (size_t) n < size) ? (size_t) n : 0;
}


int
sfb_seal_state_parse(sfb_seal_t *s, uint64_t *seq, const unsigned char *text,
    size_t len, char *err, size_t errlen)
{
    int              rc;
    sfb_seal_file_t  f;

    rc = sfb_seal_file_parse(&f, text, len, err, errlen);

    *s = f.s;

    if (seq != NULL) {
        *seq = f.seq;
    }

    sfb_seal_clear(&f.s);

    return rc;
}


int
sfb_seal_vkey_parse(sfb_seal_t *s, const unsigned char *text, size_t len,
    char *err, size_t errlen)
{
    char                  id[SFB_AUDIT_KEY_ID_HEX + 1];
    size_t                vlen;
    const unsigned char  *p, *end, *v;

    memset(s, 0, sizeof(sfb_seal_t));

    p = text;
    end = text + len;

    /* a trailing newline, as a file has */
    if (end > p && end[-1] == '\n') {
        end--;
    }

    if (sfb_seal_field(&p, end, SFB_SEAL_VKEY, '-', &v, &vlen) != 0
        || vlen != SFB_AUDIT_KEY_ID_HEX
        || sfb_hex_decode(v, vlen, NULL) != 0)
    {
        snprintf(err, errlen, "not a verification key (sfb-seal-v1-<key_id>"
                 "-<key>-<start>-<interval>)");
        return -1;
    }

    memcpy(s->key_id, v, vlen);

    if (sfb_seal_field(&p, end, "", '-', &v, &vlen) != 0
        || vlen != 2 * SFB_SEAL_KEY_LEN
        || sfb_hex_decode(v, vlen, s->key) != 0
        || sfb_seal_field(&p, end, "", '-', &v, &vlen) != 0
        || sfb_seal_number(v, vlen, SFB_SEAL_START_MAX, &s->start) != 0
        || sfb_seal_number(p, (size_t) (end - p), SFB_SEAL_INTERVAL_MAX,
                           &s->interval)
           != 0)
    {
        sfb_seal_clear(s);
        snprintf(err, errlen, "not a verification key (sfb-seal-v1-<key_id>"
                 "-<key>-<start>-<interval>)");
        return -1;
    }

    /* the key_id is k_0's fingerprint: a typo in either is caught here */

    if (sfb_audit_key_id(s->key, SFB_SEAL_KEY_LEN, id) != 0
        || memcmp(id, s->key_id, SFB_AUDIT_KEY_ID_HEX) != 0)
    {
        sfb_seal_clear(s);
        snprintf(err, errlen, "the verification key's key_id is not its "
                 "key's (mistyped?)");
        return -1;
    }

    if (sfb_seal_check(s, err, errlen) != 0) {
        sfb_seal_clear(s);
        return -1;
    }

    return 0;
}


int
sfb_seal_file_parse(sfb_seal_file_t *f, const unsigned char *text,
    size_t len, char *err, size_t errlen)
{
    int         i, ok[2];
    char        why[2][96];
    uint64_t    seq[2];
    sfb_seal_t  slot[2];

    memset(f, 0, sizeof(sfb_seal_file_t));

    if (len >= sizeof(SFB_SEAL_HEAD_V1) - 1
        && memcmp(text, SFB_SEAL_HEAD_V1, sizeof(SFB_SEAL_HEAD_V1) - 1) == 0)
    {
        f->v1 = 1;
        return sfb_seal_v1_parse(&f->s, text, len, err, errlen);
    }

    if (len < sizeof(SFB_SEAL_HEAD_V2) - 1
        || memcmp(text, SFB_SEAL_HEAD_V2, sizeof(SFB_SEAL_HEAD_V2) - 1) != 0)
    {
        snprintf(err, errlen, "does not begin with \"sf-backup-gate seal "
                 "state v2\" (nor v1)");
        return -1;
    }

    if (len != SFB_SEAL_STATE_LEN) {
        snprintf(err, errlen, "%zu bytes long, not the %d of a v2 state "
                 "file", len, SFB_SEAL_STATE_LEN);
        return -1;
    }

    if (sfb_seal_head_parse(&slot[0], text, err, errlen) != 0) {
        return -1;
    }

    slot[1] = slot[0];

    for (i = 0; i < 2; i++) {
        ok[i] = sfb_seal_slot_parse(&slot[i], &seq[i], text,
                                    text + SFB_SEAL_STATE_HEAD
                                    + i * SFB_SEAL_STATE_SLOT,
                                    why[i], sizeof(why[i]))
                == 0;
    }

    /* the newer of the valid ones: the higher seq (of two equal, the later
     * epoch, as a worker never moves back) */

    i = !ok[0]
        || (ok[1] && (seq[1] > seq[0]
                      || (seq[1] == seq[0] && slot[1].epoch > slot[0].epoch)));

    if (ok[i]) {
        f->s = slot[i];
        f->seq = seq[i];
        f->slot = i;
        f->torn = memcmp(text + SFB_SEAL_STATE_HEAD,
                         text + SFB_SEAL_STATE_HEAD + SFB_SEAL_STATE_SLOT,
                         SFB_SEAL_STATE_SLOT)
                  != 0;
    }

    sfb_seal_clear(&slot[0]);
    sfb_seal_clear(&slot[1]);

    if (!ok[i]) {
        snprintf(err, errlen, "neither slot holds a state (slot 1: %s; "
                 "slot 2: %s)", why[0], why[1]);
        return -1;
    }

    if (sfb_seal_check(&f->s, err, errlen) != 0) {
        sfb_seal_clear(&f->s);
        return -1;
    }

    return 0;
}


/* v1: the text begins with SFB_SEAL_HEAD_V1 */

static int
sfb_seal_v1_parse(sfb_seal_t *s, const unsigned char *text, size_t len,
    char *err, size_t errlen)
{
    size_t                vlen;
    int64_t               epoch;
    const unsigned char  *p, *end, *v;

    memset(s, 0, sizeof(sfb_seal_t));

    p = text + sizeof(SFB_SEAL_HEAD_V1) - 1;
    end = text + len;

    if (sfb_seal_field(&p, end, "key_id ", '\n', &v, &vlen) != 0
        || vlen != SFB_AUDIT_KEY_ID_HEX
        || sfb_hex_decode(v, vlen, NULL) != 0)
    {
        snprintf(err, errlen, "no \"key_id\" line of %d hex digits",
                 SFB_AUDIT_KEY_ID_HEX);
        return -1;
    }

    memcpy(s->key_id, v, vlen);

    if (sfb_seal_field(&p, end, "start ", '\n', &v, &vlen) != 0
        || sfb_seal_number(v, vlen, SFB_SEAL_START_MAX, &s->start) != 0)
    {
        snprintf(err, errlen, "no \"start\" line (Unix seconds)");
        return -1;
    }

    if (sfb_seal_field(&p, end, "interval ", '\n', &v, &vlen) != 0
        || sfb_seal_number(v, vlen, SFB_SEAL_INTERVAL_MAX, &s->interval) != 0)
    {
        snprintf(err, errlen, "no \"interval\" line (seconds)");
        return -1;
    }

    if (sfb_seal_field(&p, end, "epoch ", '\n', &v, &vlen) != 0
        || sfb_seal_number(v, vlen, INT64_MAX, &epoch) != 0)
    {
        snprintf(err, errlen, "no \"epoch\" line");
        return -1;
    }

    s->epoch = (uint64_t) epoch;

    if (sfb_seal_field(&p, end, "key ", '\n', &v, &vlen) != 0
        || vlen != 2 * SFB_SEAL_KEY_LEN
        || sfb_hex_decode(v, vlen, s->key) != 0)
    {
        OPENSSL_cleanse(s->key, sizeof(s->key));
        snprintf(err, errlen, "no \"key\" line of %d hex digits",
                 2 * SFB_SEAL_KEY_LEN);
        return -1;
    }

    if (p != end) {
        sfb_seal_clear(s);
        snprintf(err, errlen, "more after the \"key\" line");
        return -1;
    }

    if (sfb_seal_check(s, err, errlen) != 0) {
        sfb_seal_clear(s);
        return -1;
    }

    return 0;
}


/* v2's header: the text begins with SFB_SEAL_HEAD_V2 and is whole */

static int
sfb_seal_head_parse(sfb_seal_t *s, const unsigned char *text, char *err,
    size_t errlen)
{
    const unsigned char  *p, *end, *v;

    memset(s, 0, sizeof(sfb_seal_t));

    p = text + sizeof(SFB_SEAL_HEAD_V2) - 1;
    end = text + SFB_SEAL_STATE_HEAD;

    if (sfb_seal_take(&p, end, "key_id ", SFB_AUDIT_KEY_ID_HEX, &v) != 0
        || sfb_hex_decode(v, SFB_AUDIT_KEY_ID_HEX, NULL)
           != 0)
    {
        snprintf(err, errlen, "no \"key_id\" line of %d hex digits",
                 SFB_AUDIT_KEY_ID_HEX);
        return -1;
    }

    memcpy(s->key_id, v, SFB_AUDIT_KEY_ID_HEX);

    if (sfb_seal_take(&p, end, "\nstart ", SFB_SEAL_DIGITS, &v) != 0
        || sfb_seal_padded(v, SFB_SEAL_START_MAX, &s->start) != 0)
    {
        snprintf(err, errlen, "no \"start\" line of %d digits (Unix "
                 "seconds)", SFB_SEAL_DIGITS);
        return -1;
    }

    if (sfb_seal_take(&p, end, "\ninterval ", SFB_SEAL_DIGITS, &v) != 0
        || sfb_seal_padded(v, SFB_SEAL_INTERVAL_MAX, &s->interval) != 0
        || sfb_seal_take(&p, end, "\n", 0, &v) != 0)
    {
        snprintf(err, errlen, "no \"interval\" line of %d digits (seconds)",
                 SFB_SEAL_DIGITS);
        return -1;
    }

    return 0;
}


/* one slot's line, its header's fields in s already; 0, or -1 with why
 * (s may then hold a part of a key: the caller erases it) */

static int
sfb_seal_slot_parse(sfb_seal_t *s, uint64_t *seq, const unsigned char *head,
    const unsigned char *line, char *why, size_t whylen)
{
    int                   rc;
    int64_t               n, epoch;
    unsigned char         sum[SFB_SEAL_SUM_LEN], want[SFB_SEAL_SUM_LEN];
    const unsigned char  *p, *end, *v;

    p = line;
    end = line + SFB_SEAL_STATE_SLOT;

    if (sfb_seal_take(&p, end, "seq ", SFB_SEAL_DIGITS, &v) != 0
        || sfb_seal_padded(v, INT64_MAX, &n) != 0
        || sfb_seal_take(&p, end, " epoch ", SFB_SEAL_DIGITS, &v) != 0
        || sfb_seal_padded(v, INT64_MAX, &epoch) != 0)
    {
        snprintf(why, whylen, "no \"seq\" and \"epoch\" of %d digits",
                 SFB_SEAL_DIGITS);
        return -1;
    }

    if (sfb_seal_take(&p, end, " key ", 2 * SFB_SEAL_KEY_LEN, &v) != 0
        || sfb_hex_decode(v, 2 * SFB_SEAL_KEY_LEN, s->key)
           != 0
        || sfb_seal_take(&p, end, " sum ", 2 * SFB_SEAL_SUM_LEN, &v) != 0
        || sfb_hex_decode(v, 2 * SFB_SEAL_SUM_LEN, sum)
           != 0
        || sfb_seal_take(&p, end, "\n", 0, &v) != 0)
    {
        snprintf(why, whylen, "no \"key\" and \"sum\" of %d hex digits",
                 2 * SFB_SEAL_KEY_LEN);
        return -1;
    }

    rc = sfb_seal_sum(head, line, want) == 0
         && CRYPTO_memcmp(sum, want, SFB_SEAL_SUM_LEN) == 0;

    OPENSSL_cleanse(want, sizeof(want));

    if (!rc) {
        snprintf(why, whylen, "its sum does not match (torn, or another "
                 "file's)");
        return -1;
    }

    s->epoch = (uint64_t) epoch;
    *seq = (uint64_t) n;

    return 0;
}


/* v2's header, SFB_SEAL_STATE_HEAD bytes and a NUL */

int
sfb_seal_head_text(const sfb_seal_t *s, char *out)
{
    int  n;

    n = snprintf(out, SFB_SEAL_STATE_HEAD + 1, SFB_SEAL_HEAD_V2
                 "key_id %s\nstart %020" PRId64 "\ninterval %020" PRId64
                 "\n", s->key_id, s->start, s->interval);

    return n == SFB_SEAL_STATE_HEAD ? 0 : -1;
}


/* a slot's line under that header, SFB_SEAL_STATE_SLOT bytes and a NUL */

int
sfb_seal_slot_text(const sfb_seal_t *s, uint64_t seq, const char *head,
    char *out)
{
    int            n;
    char           hex[2 * SFB_SEAL_KEY_LEN + 1];
    unsigned char  sum[SFB_SEAL_SUM_LEN];

    sfb_hex_string(hex, s->key, SFB_SEAL_KEY_LEN);

    n = snprintf(out, SFB_SEAL_STATE_SLOT + 1, "seq %020" PRIu64 " epoch %020"
                 PRIu64 " key %s sum ", seq, s->epoch, hex);

    OPENSSL_cleanse(hex, sizeof(hex));

    if ((size_t) n != SFB_SEAL_SUMMED + sizeof(" sum ") - 1
        || sfb_seal_sum(head, out, sum) != 0)
    {
        return -1;
    }

    sfb_hex_string(out + n, sum, SFB_SEAL_SUM_LEN);
    out[SFB_SEAL_STATE_SLOT - 1] = '\n';
    out[SFB_SEAL_STATE_SLOT] = '\0';

    return 0;
}


/* SHA-256 of the header and of the slot's line up to " sum ": a slot is
 * valid under its own file's header only */

static int
sfb_seal_sum(const void *head, const void *line, unsigned char *out)
{
    int           rc;
    unsigned int  n;
    EVP_MD_CTX   *md;

    md = EVP_MD_CTX_new();
    n = 0;

    rc = md != NULL
         && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1
         && EVP_DigestUpdate(md, head, SFB_SEAL_STATE_HEAD) == 1
         && EVP_DigestUpdate(md, line, SFB_SEAL_SUMMED) == 1
         && EVP_DigestFinal_ex(md, out, &n) == 1
         && n == SFB_SEAL_SUM_LEN;

    /* the context held the key's hex: freed, it is erased */
    EVP_MD_CTX_free(md);

    return rc ? 0 : -1;
}


/* halves: 2 both slots, 1 the first only (sfb_seal_state_write_half()) */

static int
sfb_seal_field(const unsigned char **p, const unsigned char *end,
    const char *name, char sep, const unsigned char **v, size_t *vlen)
{
    size_t                len;
    const unsigned char  *q;

    len = strlen(name);

    if ((size_t) (end - *p) < len || memcmp(*p, name, len) != 0) {
        return -1;
    }

    q = *p + len;
    *v = q;

    while (q < end && *q != (unsigned char) sep) {
        q++;
    }

    if (q == end) {
        return -1;
    }

    *vlen = (size_t) (q - *v);
    *p = q + 1;

    return 0;
}


/* v2's fixed width: "name" then a value of n bytes */

static int
sfb_seal_take(const unsigned char **p, const unsigned char *end,
    const char *name, size_t n, const unsigned char **v)
{
    size_t  len;

    len = strlen(name);

    if ((size_t) (end - *p) < len + n || memcmp(*p, name, len) != 0) {
        return -1;
    }

    *v = *p + len;
    *p += len + n;

    return 0;
}


/* decimal digits only, no sign, no leading zero but "0", at most max */

static int
sfb_seal_number(const unsigned char *v, size_t len, int64_t max,
    int64_t *out)
{
    if (len == 0 || len > 19 || (len > 1 && v[0] == '0')) {
        return -1;
    }

    return sfb_seal_digits(v, len, max, out);
}


/* SFB_SEAL_DIGITS decimal digits, zero-padded, at most max */

static int
sfb_seal_padded(const unsigned char *v, int64_t max, int64_t *out)
{
    return sfb_seal_digits(v, SFB_SEAL_DIGITS, max, out);
}


/* len decimal digits, their value at most max, into out */

static int
sfb_seal_digits(const unsigned char *v, size_t len, int64_t max,
    int64_t *out)
{
    size_t   i;
    int64_t  n;

    n = 0;

    for (i = 0; i < len; i++) {
        if (v[i] < '0' || v[i] > '9' || n > (max - (v[i] - '0')) / 10) {
            return -1;
        }

        n = n * 10 + (v[i] - '0');
    }

    *out = n;

    return 0;
}


int
sfb_seal_check(const sfb_seal_t *s, char *err, size_t errlen)
{
    if (s->interval < SFB_SEAL_INTERVAL_MIN
        || s->interval > SFB_SEAL_INTERVAL_MAX)
    {
        snprintf(err, errlen, "interval not between %d s and %d days",
                 SFB_SEAL_INTERVAL_MIN, SFB_SEAL_INTERVAL_MAX / 86400);
        return -1;
    }

    if (s->start < 0 || s->start > SFB_SEAL_START_MAX) {
        snprintf(err, errlen, "start not between 1970 and 9999");
        return -1;
    }

    if (s->epoch > SFB_SEAL_EPOCH_MAX) {
        snprintf(err, errlen, "epoch %" PRIu64 " is past the last one a "
                 "verifier derives (%" PRIu64 ")", s->epoch,
                 SFB_SEAL_EPOCH_MAX);
        return -1;
    }

    return 0;
}
