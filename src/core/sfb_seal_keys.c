/*
 * sf-backup-gate: forward-secure sealing, the keys (see sfb_seal.h).
 * Every key here is derived with OpenSSL's HMAC-SHA256; every buffer that
 * held a key is erased with OPENSSL_cleanse() before it is given back.
 * The texts are sfb_seal_text.c's, the files sfb_seal_file.c's.
 */

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "sfb_seal_impl.h"


#define SFB_SEAL_EVOLVE     "sf-backup-gate seal evolve v1"
#define SFB_SEAL_MAC        "sf-backup-gate seal mac v1"


static int sfb_seal_hmac(const unsigned char *key, const char *label,
    unsigned char *out);


int
sfb_seal_setup(sfb_seal_t *s, int64_t now, int64_t interval)
{
    memset(s, 0, sizeof(sfb_seal_t));

    if (interval < SFB_SEAL_INTERVAL_MIN || interval > SFB_SEAL_INTERVAL_MAX
        || now < 0 || RAND_bytes(s->key, SFB_SEAL_KEY_LEN) != 1
        || sfb_audit_key_id(s->key, SFB_SEAL_KEY_LEN, s->key_id) != 0)
    {
        sfb_seal_clear(s);
        return -1;
    }

    s->start = now;
    s->interval = interval;
    s->epoch = 0;

    return 0;
}


int64_t
sfb_seal_epoch_at(const sfb_seal_t *s, int64_t time_ms)
{
    int64_t  t;

    t = time_ms < 0 ? -1 : time_ms / 1000;

    if (t < s->start || s->interval <= 0) {
        return -1;
    }

    return (t - s->start) / s->interval;
}


int
sfb_seal_advance(sfb_seal_t *s, uint64_t epoch)
{
    unsigned char  next[SFB_SEAL_KEY_LEN];

    if (epoch <= s->epoch) {
        return 0;
    }

    while (s->epoch < epoch) {
        if (sfb_seal_hmac(s->key, SFB_SEAL_EVOLVE, next) != 0) {
            OPENSSL_cleanse(next, sizeof(next));
            return -1;
        }

        /* k_n is gone: only k_{n+1} is left */
        memcpy(s->key, next, SFB_SEAL_KEY_LEN);
        s->epoch++;
    }

    OPENSSL_cleanse(next, sizeof(next));

    return 1;
}


int
sfb_seal_mac_key(const sfb_seal_t *s, unsigned char *out)
{
    return sfb_seal_hmac(s->key, SFB_SEAL_MAC, out);
}


sfb_audit_chain_t *
sfb_seal_chain_create(const sfb_seal_t *s)
{
    unsigned char       mk[SFB_SEAL_KEY_LEN];
    sfb_audit_chain_t  *c;

    if (sfb_seal_mac_key(s, mk) != 0) {
        OPENSSL_cleanse(mk, sizeof(mk));
        return NULL;
    }

    c = sfb_audit_chain_create(mk, sizeof(mk));

    if (c != NULL
        && sfb_audit_chain_rekey(c, s->key_id, (int64_t) s->epoch, mk,
                                 sizeof(mk))
           != 0)
    {
        sfb_audit_chain_destroy(c);
        c = NULL;
    }

    OPENSSL_cleanse(mk, sizeof(mk));

    return c;
}


int
sfb_seal_chain_rekey(const sfb_seal_t *s, sfb_audit_chain_t *c)
{
    int            rc;
    unsigned char  mk[SFB_SEAL_KEY_LEN];

    rc = sfb_seal_mac_key(s, mk) == 0
         && sfb_audit_chain_rekey(c, s->key_id, (int64_t) s->epoch, mk,
                                  sizeof(mk))
            == 0;

    OPENSSL_cleanse(mk, sizeof(mk));

    return rc ? 0 : -1;
}


int
sfb_seal_tick(sfb_seal_t *s, sfb_audit_chain_t *c, int64_t time_ms)
{
    int64_t  e;

    e = sfb_seal_epoch_at(s, time_ms);

    /* never back: a clock set back keeps the epoch it reached */

    if (e < 0 || (uint64_t) e <= s->epoch) {
        return 0;
    }

    if (sfb_seal_advance(s, (uint64_t) e) < 0
        || sfb_seal_chain_rekey(s, c) != 0)
    {
        return -1;
    }

    return 1;
}


void
sfb_seal_clear(sfb_seal_t *s)
{
    OPENSSL_cleanse(s, sizeof(sfb_seal_t));
}


static int
sfb_seal_hmac(const unsigned char *key, const char *label,
    unsigned char *out)
{
    unsigned int  n;

    n = 0;

    if (HMAC(EVP_sha256(), key, SFB_SEAL_KEY_LEN,
             (const unsigned char *) label, strlen(label), out, &n)
        == NULL || n != SFB_SEAL_KEY_LEN)
    {
        return -1;
    }

    return 0;
}
