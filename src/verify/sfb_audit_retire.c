/*
 * sf-backup-gate: retired keys.  The first record of a new key names the
 * key it replaces ("retires") and the chains the old key still seals
 * ("retiring_chains": the old workers finishing their requests); its MAC,
 * made with the new key, vouches for both, and its time is the
 * retirement's.  From then on the old key vouches for nothing new: a
 * record made with it later, in a chain not named there, was made by
 * whoever still holds the old key (a copy left on the box, a key file
 * stolen), and a chain of it that begins later is a forgery from its
 * first record.  Checked with the key that made each record, named by
 * key_id or not.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sfb_audit_check_impl.h"


static const sfb_check_retired_t *sfb_check_retired_first(
    const sfb_audit_check_t *ck, const unsigned char *key);
static int sfb_check_retiring(const sfb_audit_check_t *ck,
    const unsigned char *key, const unsigned char *chain);
static const char *sfb_check_time_at(int64_t ms, char *at);


/* an authentic record that retires a key: kept for finish() */

int
sfb_check_retirement(sfb_audit_check_t *ck, const sfb_check_rec_t *rec)
{
    size_t                n;
    sfb_check_retired_t  *r;

    /* a key cannot retire itself, and a time is what a retirement is */

    if (memcmp(rec->retired, rec->key_id, sizeof(rec->key_id)) == 0
        || rec->time_ms < 0)
    {
        return 0;
    }

    r = realloc(ck->retired, (ck->nretired + 1) * sizeof(sfb_check_retired_t));
    if (r == NULL) {
        return -1;
    }

    ck->retired = r;
    r = &ck->retired[ck->nretired];

    n = ck->nretiring;

    r->chains = malloc((n ? n : 1) * sizeof(r->chains[0]));
    if (r->chains == NULL) {
        return -1;
    }

    memcpy(r->chains, ck->retiring, n * sizeof(r->chains[0]));
    r->nchains = n;

    memcpy(r->key, rec->retired, sizeof(r->key));
    memcpy(r->by, rec->key_id, sizeof(r->by));
    r->time_ms = rec->time_ms;
    r->file = rec->file;
    r->line = rec->line;

    ck->nretired++;

    return 0;
}


/* every authentic record made with a key after its retirement */

void
sfb_check_retired(sfb_audit_check_t *ck)
{
    char                        id[SFB_CHECK_ID_HEX + 1];
    char                        at[SFB_AUDIT_TIME_LEN + 1];
    char                        key[SFB_AUDIT_KEY_ID_HEX + 1];
    char                        by[SFB_AUDIT_KEY_ID_HEX + 1];
    size_t                      i;
    sfb_check_rec_t            *r;
    const sfb_check_retired_t  *first;

    if (ck->nretired == 0) {
        return;
    }

    for (i = 0; i < ck->nrecs; i++) {
        r = &ck->recs[i];

        if (!r->mac_ok || r->state == SFB_CHECK_DROPPED) {
            continue;
        }

        first = sfb_check_retired_first(ck, r->key_id);

        if (first == NULL
            || (r->time_ms >= 0 && r->time_ms <= first->time_ms)
            || sfb_check_retiring(ck, r->key_id, r->chain_id))
        {
            continue;
        }

        sfb_check_offer(ck, SFB_AUDIT_RETIRED_KEY, r, 0, 0,
                        "chain %s seq %llu is sealed with key %s after its "
                        "retirement at %s by key %s (%s line %llu)%s",
                        sfb_check_hexid(r->chain_id, id),
                        (unsigned long long) r->seq,
                        sfb_check_hexkey(r->key_id, key),
                        sfb_check_time_at(first->time_ms, at),
                        sfb_check_hexkey(first->by, by),
                        ck->files[first->file],
                        (unsigned long long) first->line,
                        r->seq == 1 ? ": a chain that begins after it" : "");
    }
}


/* the record's own form, NUL-terminated */

static const char *
sfb_check_time_at(int64_t ms, char *at)
{
    at[sfb_audit_time(ms, at)] = '\0';

    return at;
}


void
sfb_check_retired_free(sfb_audit_check_t *ck)
{
    size_t  i;

    for (i = 0; i < ck->nretired; i++) {
        free(ck->retired[i].chains);
    }

    free(ck->retired);
}


/* the earliest retirement of key, or NULL */

static const sfb_check_retired_t *
sfb_check_retired_first(const sfb_audit_check_t *ck, const unsigned char *key)
{
    size_t                      i;
    const sfb_check_retired_t  *first;

    first = NULL;

    for (i = 0; i < ck->nretired; i++) {
        if (memcmp(ck->retired[i].key, key, sizeof(ck->retired[i].key)) == 0
            && (first == NULL || ck->retired[i].time_ms < first->time_ms))
        {
            first = &ck->retired[i];
        }
    }

    return first;
}


/* a chain a retirement of key names as still sealed by it */

static int
sfb_check_retiring(const sfb_audit_check_t *ck, const unsigned char *key,
    const unsigned char *chain)
{
    size_t                      i, j;
    const sfb_check_retired_t  *r;

    for (i = 0; i < ck->nretired; i++) {
        r = &ck->retired[i];

        if (memcmp(r->key, key, sizeof(r->key)) != 0) {
            continue;
        }

        for (j = 0; j < r->nchains; j++) {
            if (memcmp(r->chains[j], chain, SFB_AUDIT_CHAIN_ID_LEN) == 0) {
                return 1;
            }
        }
    }

    return 0;
}
