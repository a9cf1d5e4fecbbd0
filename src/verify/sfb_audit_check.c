/*
 * sf-backup-gate: the audit log verifier's logic (sf-backup-audit-verify and
 * the unit tests; not part of the nginx module).
 *
 * Each line is checked as it comes (shape, MAC).  What needs other records
 * (does a bad record fit its chain, gaps, order, chain cuts) is judged in
 * sfb_audit_check_finish() over all records sorted by chain and seq, so the
 * files may be given in any order.  Only the first problem in input order
 * is kept: one tampering gives one message, not a cascade.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sfb_audit_check_impl.h"


static int sfb_check_dup(sfb_audit_check_t *ck, const unsigned char *line,
    size_t len, const sfb_check_rec_t *rec);
static void sfb_check_dup_replay(sfb_audit_check_t *ck, uint32_t file,
    const sfb_audit_dup_replay_t *replay);


sfb_audit_check_t *
sfb_audit_check_create(const unsigned char *key, size_t key_len, int strict)
{
    sfb_audit_check_t  *ck;

    ck = calloc(1, sizeof(sfb_audit_check_t));
    if (ck == NULL) {
        return NULL;
    }

    ck->strict = strict;
    ck->until_ms = -1;

    ck->dup = sfb_audit_dup_create();
    if (ck->dup == NULL) {
        sfb_audit_check_destroy(ck);
        return NULL;
    }

    if (key != NULL && sfb_audit_check_add_key(ck, key, key_len) != 0) {
        sfb_audit_check_destroy(ck);
        return NULL;
    }

    return ck;
}


void
sfb_audit_check_complete_until(sfb_audit_check_t *ck, int64_t until_ms,
    int64_t heartbeat_ms)
{
    ck->until_ms = until_ms;
    ck->heartbeat_ms = heartbeat_ms;
}


void
sfb_audit_check_heartbeat(sfb_audit_check_t *ck, int64_t heartbeat_ms)
{
    /* a timer fires a little late: a tenth of the interval, at least 1 s */
    ck->gap_ms = heartbeat_ms
                 + (heartbeat_ms / 10 > 1000 ? heartbeat_ms / 10 : 1000);
}


int64_t
sfb_audit_check_parse_time(const char *s)
{
    return sfb_check_time(s, strlen(s));
}


void
sfb_audit_check_destroy(sfb_audit_check_t *ck)
{
    size_t  i;

    if (ck == NULL) {
        return;
    }

    for (i = 0; i < ck->nfiles; i++) {
        free(ck->files[i]);
    }

    for (i = 0; i < ck->nnotes; i++) {
        free(ck->notes[i]);
    }

    free(ck->files);
    free(ck->notes);
    free(ck->recs);
    free(ck->chains);
    free(ck->slots);
    sfb_audit_dup_destroy(ck->dup);

    sfb_check_keys_free(ck);
    sfb_check_retired_free(ck);
    free(ck);
}


int
sfb_audit_check_begin_file(sfb_audit_check_t *ck, const char *name)
{
    char                    *copy, **files;
    size_t                   len;
    sfb_audit_dup_replay_t   replay;

    if (ck->nfiles > 0 && sfb_audit_dup_end_file(ck->dup, &replay)) {
        sfb_check_dup_replay(ck, (uint32_t) (ck->nfiles - 1), &replay);
    }

    len = strlen(name);

    copy = malloc(len + 1);
    if (copy == NULL) {
        return -1;
    }

    memcpy(copy, name, len + 1);

    files = realloc(ck->files, (ck->nfiles + 1) * sizeof(char *));
    if (files == NULL) {
        free(copy);
        return -1;
    }

    files[ck->nfiles++] = copy;
    ck->files = files;
    ck->line = 0;

    return 0;
}


int
sfb_audit_check_line(sfb_audit_check_t *ck, const unsigned char *line,
    size_t len, int newline)
{
    int              rc;
    char             why[256], id[SFB_CHECK_ID_HEX + 1];
    char             kid[SFB_AUDIT_KEY_ID_HEX + 1];
    size_t           skipped;
    uint32_t         file;
    sfb_check_rec_t  rec;

    if (ck->nfiles == 0 && sfb_audit_check_begin_file(ck, "-") != 0) {
        return -1;
    }

    file = (uint32_t) (ck->nfiles - 1);
    ck->line++;

    /* the writer puts a whole line, "\n" included, in one write() */

    if (!newline) {
        sfb_check_offer(ck, SFB_AUDIT_TRUNCATED, NULL, file, ck->line,
                        "last line has no newline (%zu bytes): possible "
                        "truncation, e.g. a writer killed mid-write", len);
        return 0;
    }

    memset(&rec, 0, sizeof(sfb_check_rec_t));
    rec.file = file;
    rec.line = ck->line;

    rc = sfb_check_record(ck, line, len, &rec, why, sizeof(why));

    if (rc == 0) {

        /* a writer that died mid-line leaves a partial record, and the
         * next line written gets appended to it */

        rc = sfb_check_partial(ck, line, len, &rec, &skipped);

        if (rc == 1) {
            sfb_check_offer(ck, SFB_AUDIT_TRUNCATED, NULL, file, ck->line,
                            "line starts with %zu bytes of a partial record "
                            "before a complete one: possible truncation, "
                            "e.g. a writer killed mid-write", skipped);

        } else if (rc == 0) {
            sfb_check_offer(ck, SFB_AUDIT_FORGED, NULL, file, ck->line,
                            "%s", why);
        }
    }

    if (rc != 1) {
        return rc;
    }

    /* not forged, not verified either: the key was not given */

    if (rec.unknown_key) {
        sfb_check_offer(ck, SFB_AUDIT_UNKNOWN_KEY, NULL, file, ck->line,
                        "key_id %s was not given (%s): chain %s seq %llu "
                        "is not verified (nor called forged)",
                        sfb_check_hexkey(rec.key_id, kid),
                        rec.has_epoch ? "--verify-key" : "--key",
                        sfb_check_hexid(rec.chain_id, id),
                        (unsigned long long) rec.seq);
        return 0;
    }

    /* a byte-identical copy (at-least-once shipping) is counted, once */

    if (rec.mac_ok) {
        rc = sfb_check_dup(ck, line, len, &rec);

        if (rc != 1) {
            return rc;
        }
    }

    /* a key's retirement, vouched for by the key that replaces it */

    if (rec.mac_ok && rec.retires && sfb_check_retirement(ck, &rec) != 0) {
        return -1;
    }

    /* authentic under a key of a later epoch than its time's */

    if (rec.mac_ok && rec.late) {
        if (rec.time_epoch < 0) {
            snprintf(why, sizeof(why), "before the sealing began");

        } else {
            snprintf(why, sizeof(why), "in epoch %lld",
                     (long long) rec.time_epoch);
        }

        sfb_check_offer(ck, SFB_AUDIT_RESEALED, NULL, file, ck->line,
                        "chain %s seq %llu is sealed under epoch %llu's "
                        "key, but its time is %s: sealed by someone who "
                        "held a later key than its time's",
                        sfb_check_hexid(rec.chain_id, id),
                        (unsigned long long) rec.seq,
                        (unsigned long long) rec.epoch, why);
    }

    return sfb_check_add(ck, &rec);
}


int
sfb_audit_check_finish(sfb_audit_check_t *ck)
{
    char                     id[SFB_CHECK_ID_HEX + 1];
    size_t                   i, n, from, to;
    uint32_t                *file_chain;
    sfb_check_rec_t         *r;
    sfb_check_key_t         *k;
    sfb_audit_dup_replay_t   replay;

    if (ck->finished) {
        return ck->has_problem ? 1 : 0;
    }

    ck->finished = 1;

    if (ck->nfiles > 0 && sfb_audit_dup_end_file(ck->dup, &replay)) {
        sfb_check_dup_replay(ck, (uint32_t) (ck->nfiles - 1), &replay);
    }

    k = malloc((ck->nrecs + 1) * sizeof(sfb_check_key_t));
    file_chain = calloc(ck->nfiles + 1, sizeof(uint32_t));

    if (k == NULL || file_chain == NULL) {
        free(k);
        free(file_chain);
        return -1;
    }

    /* a bad MAC can only be judged against the authentic records of the
     * chain it names; with none, nothing vouches for it */

    n = 0;

    for (i = 0; i < ck->nrecs; i++) {
        r = &ck->recs[i];

        if (!r->mac_ok
            && sfb_check_chain(ck, r->chain_id, &r->chain, 0) != 1)
        {
            r->state = SFB_CHECK_DROPPED;
            sfb_check_offer(ck, SFB_AUDIT_FORGED, r, 0, 0,
                            "MAC mismatch on chain %s seq %llu, a chain with "
                            "no authentic record%s",
                            sfb_check_hexid(r->chain_id, id),
                            (unsigned long long) r->seq,
                            ck->valid == 0
                            ? " (no record verifies with this key: wrong key?)"
                            : "");
            continue;
        }

        k[n].chain = r->chain;
        k[n].seq = r->seq;
        k[n].rec = i;
        n++;
    }

    qsort(k, n, sizeof(sfb_check_key_t), sfb_check_key_cmp);

    /* each chain is a run of k[]: first settle what the bad MACs are,
     * then walk what remains in seq order */

    for (from = 0; from < n; from = to) {

        for (to = from; to < n && k[to].chain == k[from].chain; to++) {
            /* void */
        }

        sfb_check_fit(ck, k, from, to);
        sfb_check_sequence(ck, k, from, to, file_chain);
    }

    sfb_check_order(ck);
    sfb_check_links(ck);
    sfb_check_retired(ck);
    sfb_check_complete(ck);

    free(k);
    free(file_chain);

    return ck->has_problem ? 1 : 0;
}


/* 1: a record to judge; 0: a duplicate or a replay (reported), -1 */

static int
sfb_check_dup(sfb_audit_check_t *ck, const unsigned char *line, size_t len,
    const sfb_check_rec_t *rec)
{
    int                      rc;
    uint64_t                 original;
    sfb_audit_dup_replay_t   replay;

    rc = sfb_audit_dup_line(ck->dup, rec->chain_id, rec->seq, line, len,
                            rec->line, &original, &replay);
    if (rc == -1) {
        return -1;
    }

    if (replay.line != 0) {
        sfb_check_dup_replay(ck, rec->file, &replay);
    }

    return (rc == SFB_AUDIT_DUP_NEW || rc == SFB_AUDIT_DUP_OTHER) ? 1 : 0;
}


static void
sfb_check_dup_replay(sfb_audit_check_t *ck, uint32_t file,
    const sfb_audit_dup_replay_t *r)
{
    char  id[SFB_CHECK_ID_HEX + 1], at[64];

    if (r->at == 0) {
        snprintf(at, sizeof(at), "the file ends");

    } else if (r->skip) {
        snprintf(at, sizeof(at), "line %llu skips to seq %llu",
                 (unsigned long long) r->at, (unsigned long long) r->at_seq);

    } else {
        snprintf(at, sizeof(at), "line %llu (seq %llu, new here) comes",
                 (unsigned long long) r->at, (unsigned long long) r->at_seq);
    }

    sfb_check_offer(ck, SFB_AUDIT_REPLAYED, NULL, file, r->line,
                    "chain %s seq %llu is a byte-identical copy of line %llu "
                    "that no redelivery makes: %s before the copies reach "
                    "seq %llu again", sfb_check_hexid(r->chain, id),
                    (unsigned long long) r->seq,
                    (unsigned long long) r->original, at,
                    (unsigned long long) r->expected);
}
