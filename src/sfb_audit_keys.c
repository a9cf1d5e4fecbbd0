/*
 * sf-backup-gate: the verifier's keys.  A record names the key that sealed
 * it (key_id); it is checked with that key, or, for a record of before
 * key_id, with each key given until one verifies it.
 */

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "sfb_audit_check_impl.h"


int
sfb_audit_check_add_key(sfb_audit_check_t *ck, const unsigned char *key,
    size_t key_len)
{
    size_t              i;
    sfb_check_keyed_t  *keys, k;

    k.mac = sfb_audit_chain_create(key, key_len);
    if (k.mac == NULL
        || sfb_check_unhex((const unsigned char *) sfb_audit_chain_key_id(k.mac),
                           SFB_AUDIT_KEY_ID_HEX, k.id)
           != 0)
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


/* the MAC with the key the record names, or any key for one of before
 * key_id; 1, or -1 if OpenSSL fails */

int
sfb_check_mac(sfb_audit_check_t *ck, const unsigned char *line, size_t len,
    sfb_check_rec_t *rec)
{
    size_t         i;
    unsigned char  mac[SFB_AUDIT_MAC_LEN];

    rec->mac_ok = 0;

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
