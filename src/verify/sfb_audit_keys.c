/*
 * sf-backup-gate: the verifier's keys.  A record names the key that sealed
 * it (key_id); it is checked with that key, or, for a record of before
 * key_id, with each key given until one verifies it.  A record that carries
 * "epoch" was sealed forward-securely: key_id names a verification key
 * (--verify-key), from which the key of every epoch is derived forward,
 * and the record is checked with its epoch's.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "sfb_audit_check_impl.h"
#include "sfb_seal.h"


static int sfb_check_sealed(sfb_audit_check_t *ck, const unsigned char *line,
    size_t len, sfb_check_rec_t *rec, char *why, size_t whylen);
static const unsigned char *sfb_check_epoch_key(sfb_check_sealed_t *sk,
    uint64_t epoch);


int
sfb_audit_check_add_key(sfb_audit_check_t *ck, const unsigned char *key,
    size_t key_len)
{
    size_t              i;
    sfb_check_keyed_t  *keys, k;

    k.mac = sfb_audit_chain_create(key, key_len);
    if (k.mac == NULL
        || sfb_hex_decode((const unsigned char *)
                              sfb_audit_chain_key_id(k.mac),
                          SFB_AUDIT_KEY_ID_HEX, k.id) != 0)
    {
        sfb_audit_chain_destroy(k.mac);
        return -1;
    }

    for (i = 0; i < ck->nkeys; i++) {
        if (memcmp(ck->keys[i].id, k.id, sizeof(k.id)) == 0) {
            sfb_audit_chain_destroy(k.mac);
            return 0;
        }
    }

    keys = realloc(ck->keys, (ck->nkeys + 1) * sizeof(sfb_check_keyed_t));
    if (keys == NULL) {
        sfb_audit_chain_destroy(k.mac);
        return -1;
    }

    keys[ck->nkeys++] = k;
    ck->keys = keys;

    return 0;
}


int
sfb_audit_check_add_vkey(sfb_audit_check_t *ck, const sfb_seal_t *vk)
{
    size_t               i;
    unsigned char        id[SFB_AUDIT_KEY_ID_HEX / 2];
    sfb_check_sealed_t  *seals, *sk;

    if (sfb_hex_decode((const unsigned char *) vk->key_id,
                       SFB_AUDIT_KEY_ID_HEX, id) != 0)
    {
        return -1;
    }

    for (i = 0; i < ck->nseals; i++) {
        if (memcmp(ck->seals[i].id, id, sizeof(id)) == 0) {
            return 0;
        }
    }

    seals = realloc(ck->seals, (ck->nseals + 1) * sizeof(sfb_check_sealed_t));
    if (seals == NULL) {
        return -1;
    }

    ck->seals = seals;
    sk = &seals[ck->nseals];
    memset(sk, 0, sizeof(sfb_check_sealed_t));

    memcpy(sk->id, id, sizeof(id));
    sk->start = vk->start;
    sk->interval = vk->interval;
    sk->mac_epoch = -1;

    sk->next = malloc(sizeof(sfb_seal_t));
    if (sk->next == NULL) {
        return -1;
    }

    *sk->next = *vk;
    sk->next->epoch = 0;

    ck->nseals++;

    return 0;
}


void
sfb_check_keys_free(sfb_audit_check_t *ck)
{
    size_t  i;

    for (i = 0; i < ck->nkeys; i++) {
        sfb_audit_chain_destroy(ck->keys[i].mac);
    }

    for (i = 0; i < ck->nseals; i++) {
        if (ck->seals[i].next != NULL) {
            sfb_seal_clear(ck->seals[i].next);
        }

        if (ck->seals[i].mk != NULL) {
            OPENSSL_cleanse(ck->seals[i].mk,
                            ck->seals[i].nmk * SFB_SEAL_KEY_LEN);
        }

        free(ck->seals[i].next);
        free(ck->seals[i].mk);
        sfb_audit_chain_destroy(ck->seals[i].mac);
    }

    free(ck->keys);
    free(ck->seals);
}


/* the MAC with the key the record names, or any key for one of before
 * key_id; 1, 0 with why (not a record of ours), or -1 if OpenSSL fails */

int
sfb_check_mac(sfb_audit_check_t *ck, const unsigned char *line, size_t len,
    sfb_check_rec_t *rec, char *why, size_t whylen)
{
    size_t         i;
    char           kid[SFB_AUDIT_KEY_ID_HEX + 1];
    unsigned char  mac[SFB_AUDIT_MAC_LEN];

    rec->mac_ok = 0;

    if (rec->has_epoch) {
        return sfb_check_sealed(ck, line, len, rec, why, whylen);
    }

    /* a verification key's records always carry their epoch: one that
     * does not was made by someone who has no epoch's key to give */

    for (i = 0; rec->has_key_id && i < ck->nseals; i++) {
        if (memcmp(ck->seals[i].id, rec->key_id, sizeof(rec->key_id)) == 0) {
            snprintf(why, whylen, "key_id %s names a verification key "
                     "(--verify-key), but the record carries no \"epoch\"",
                     sfb_check_hexkey(rec->key_id, kid));
            return 0;
        }
    }

    for (i = 0; i < ck->nkeys; i++) {

        if (rec->has_key_id
            && memcmp(ck->keys[i].id, rec->key_id, sizeof(rec->key_id)) != 0)
        {
            continue;
        }

        if (sfb_audit_line_mac(ck->keys[i].mac, line, len, mac) != 0) {
            return -1;
        }

        if (CRYPTO_memcmp(mac, rec->mac, SFB_AUDIT_MAC_LEN) == 0) {
            /* the key that made it, named or not: a retired one is
             * judged as such (sfb_audit_retire.c) */
            memcpy(rec->key_id, ck->keys[i].id, sizeof(rec->key_id));
            rec->mac_ok = 1;
            return 1;
        }

        if (rec->has_key_id) {
            return 1;
        }
    }

    rec->unknown_key = rec->has_key_id;

    return 1;
}


/*
 * A sealed record: its epoch's key, derived from the verification key its
 * key_id names.  An epoch later than the record's time allows is noted
 * (late): valid under that epoch's key, the record was sealed by someone
 * who held a later key than its time's.
 */

static int
sfb_check_sealed(sfb_audit_check_t *ck, const unsigned char *line,
    size_t len, sfb_check_rec_t *rec, char *why, size_t whylen)
{
    size_t                i;
    int64_t               t;
    unsigned char         mac[SFB_AUDIT_MAC_LEN];
    sfb_check_sealed_t   *sk;
    const unsigned char  *mk;

    if (!rec->has_key_id) {
        snprintf(why, whylen, "\"epoch\" without \"key_id\"");
        return 0;
    }

    for (i = 0; i < ck->nseals; i++) {
        if (memcmp(ck->seals[i].id, rec->key_id, sizeof(rec->key_id)) == 0) {
            break;
        }
    }

    if (i == ck->nseals) {
        rec->unknown_key = 1;
        return 1;
    }

    sk = &ck->seals[i];

    t = rec->time_ms < 0 ? -1 : rec->time_ms / 1000;
    rec->time_epoch = (t < sk->start) ? -1 : (t - sk->start) / sk->interval;
    rec->late = rec->time_epoch < 0 || rec->epoch > (uint64_t) rec->time_epoch;

    if (rec->epoch > SFB_SEAL_EPOCH_MAX) {
        snprintf(why, whylen, "\"epoch\" %llu is past any the verifier "
                 "derives (%llu)", (unsigned long long) rec->epoch,
                 (unsigned long long) SFB_SEAL_EPOCH_MAX);
        return 0;
    }

    mk = sfb_check_epoch_key(sk, rec->epoch);
    if (mk == NULL) {
        return -1;
    }

    if (sk->mac_epoch != (int64_t) rec->epoch) {
        if (sk->mac == NULL) {
            sk->mac = sfb_audit_chain_create(mk, SFB_SEAL_KEY_LEN);
            if (sk->mac == NULL) {
                return -1;
            }

        } else if (sfb_audit_chain_rekey(sk->mac, NULL, (int64_t) rec->epoch,
                                         mk, SFB_SEAL_KEY_LEN)
                   != 0)
        {
            return -1;
        }

        sk->mac_epoch = (int64_t) rec->epoch;
    }

    if (sfb_audit_line_mac(sk->mac, line, len, mac) != 0) {
        return -1;
    }

    rec->mac_ok = CRYPTO_memcmp(mac, rec->mac, SFB_AUDIT_MAC_LEN) == 0;

    return 1;
}


/* epoch's MAC key: the keys up to it derived once, kept for the others */

static const unsigned char *
sfb_check_epoch_key(sfb_check_sealed_t *sk, uint64_t epoch)
{
    uint64_t        cap;
    unsigned char  *mk;

    while (sk->nmk <= epoch) {

        if (sk->nmk == sk->cap) {
            cap = sk->cap ? 2 * sk->cap : 64;

            /* not realloc(): the old copy of the keys is erased */

            mk = malloc(cap * SFB_SEAL_KEY_LEN);
            if (mk == NULL) {
                return NULL;
            }

            if (sk->mk != NULL) {
                memcpy(mk, sk->mk, sk->nmk * SFB_SEAL_KEY_LEN);
                OPENSSL_cleanse(sk->mk, sk->nmk * SFB_SEAL_KEY_LEN);
                free(sk->mk);
            }

            sk->mk = mk;
            sk->cap = cap;
        }

        if (sfb_seal_mac_key(sk->next, sk->mk + sk->nmk * SFB_SEAL_KEY_LEN)
            != 0
            || sfb_seal_advance(sk->next, sk->next->epoch + 1) < 0)
        {
            return NULL;
        }

        sk->nmk++;
    }

    return sk->mk + epoch * SFB_SEAL_KEY_LEN;
}
