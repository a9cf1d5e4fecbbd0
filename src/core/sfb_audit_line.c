/*
 * sf-backup-gate: a chained audit line read as it is, nothing verified
 * (the ledger seeds itself from the end of the file with it after a full
 * restart; the MACs are the verifier's to check).
 */

#include <string.h>

#include <jansson.h>

#include "sfb_audit.h"


int
sfb_audit_line_chain(const unsigned char *line, size_t len, char *id,
    uint64_t *seq, char *key_id)
{
    int           rc;
    json_t       *o, *chain, *n, *k;
    json_error_t  e;

    o = json_loadb((const char *) line, len, 0, &e);
    if (o == NULL) {
        return -1;
    }

    chain = json_object_get(o, "chain");
    n = json_object_get(o, "seq");
    k = json_object_get(o, "key_id");

    rc = -1;

    if (json_string_length(chain) == 2 * SFB_AUDIT_CHAIN_ID_LEN
        && json_is_integer(n) && json_integer_value(n) > 0)
    {
        memcpy(id, json_string_value(chain), 2 * SFB_AUDIT_CHAIN_ID_LEN);
        *seq = (uint64_t) json_integer_value(n);
        rc = 0;
    }

    if (json_string_length(k) == SFB_AUDIT_KEY_ID_HEX) {
        memcpy(key_id, json_string_value(k), SFB_AUDIT_KEY_ID_HEX);
        key_id[SFB_AUDIT_KEY_ID_HEX] = '\0';

    } else {
        memset(key_id, 0, SFB_AUDIT_KEY_ID_HEX + 1);
    }

    json_decref(o);

    return rc;
}
