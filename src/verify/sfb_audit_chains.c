/*
 * sf-backup-gate: the verifier's chains.  Authentic records make chains
 * (a table by chain id); at the end each chain's records, in seq order,
 * say what the bad MACs are (sfb_check_fit), where records are missing,
 * repeated or moved (sfb_check_sequence, sfb_check_order), whether each
 * chain ends where its successor says (sfb_check_links) and, with
 * --complete-until, whether anything was cut at the end (sfb_check_complete).
 */

#include <stdlib.h>
#include <string.h>

#include "sfb_audit_check_impl.h"


static int sfb_check_grow_slots(sfb_audit_check_t *ck);


int
sfb_check_add(sfb_audit_check_t *ck, const sfb_check_rec_t *rec)
{
    size_t            cap;
    sfb_check_rec_t  *recs;

    if (ck->nrecs == ck->recs_cap) {
        cap = ck->recs_cap ? 2 * ck->recs_cap : 256;

        recs = realloc(ck->recs, cap * sizeof(sfb_check_rec_t));
        if (recs == NULL) {
            return -1;
        }

        ck->recs = recs;
        ck->recs_cap = cap;
    }

    ck->recs[ck->nrecs] = *rec;

    if (rec->mac_ok) {
        ck->recs[ck->nrecs].state = SFB_CHECK_PRESENT;

        if (sfb_check_chain(ck, rec->chain_id, &ck->recs[ck->nrecs].chain, 1)
            != 1)
        {
            return -1;
        }

        ck->valid++;
    }

    ck->nrecs++;

    return 0;
}


/* 1: found or added, *index set; 0: not found; -1: allocation failure */

int
sfb_check_chain(sfb_audit_check_t *ck, const unsigned char *id,
    uint32_t *index, int add)
{
    size_t              h, cap, mask;
    uint32_t            c;
    uint64_t            v;
    sfb_check_chain_t  *chains;

    if (add && (ck->nchains + 1) * 2 > ck->nslots) {
        if (sfb_check_grow_slots(ck) != 0) {
            return -1;
        }
    }

    if (ck->nslots == 0) {
        return 0;
    }

    memcpy(&v, id, sizeof(uint64_t));

    mask = ck->nslots - 1;

    for (h = v & mask; ck->slots[h]; h = (h + 1) & mask) {
        c = ck->slots[h] - 1;

        if (memcmp(ck->chains[c].id, id, SFB_AUDIT_CHAIN_ID_LEN) == 0) {
            *index = c;
            return 1;
        }
    }

    if (!add) {
        return 0;
    }

    if (ck->nchains == ck->chains_cap) {
        cap = ck->chains_cap ? 2 * ck->chains_cap : 16;

        chains = realloc(ck->chains, cap * sizeof(sfb_check_chain_t));
        if (chains == NULL) {
            return -1;
        }

        ck->chains = chains;
        ck->chains_cap = cap;
    }

    c = (uint32_t) ck->nchains++;

    memset(&ck->chains[c], 0, sizeof(sfb_check_chain_t));
    memcpy(ck->chains[c].id, id, SFB_AUDIT_CHAIN_ID_LEN);
    ck->chains[c].last = SFB_CHECK_NONE;
    ck->chains[c].run = SFB_CHECK_NONE;

    ck->slots[h] = c + 1;
    *index = c;

    return 1;
}


static int
sfb_check_grow_slots(sfb_audit_check_t *ck)
{
    size_t     i, h, n;
    uint32_t  *slots;
    uint64_t   v;

    n = ck->nslots ? 2 * ck->nslots : 64;

    slots = calloc(n, sizeof(uint32_t));
    if (slots == NULL) {
        return -1;
    }

    for (i = 0; i < ck->nchains; i++) {
        memcpy(&v, ck->chains[i].id, sizeof(uint64_t));

        for (h = v & (n - 1); slots[h]; h = (h + 1) & (n - 1)) {
            /* void */
        }

        slots[h] = (uint32_t) i + 1;
    }

    free(ck->slots);
    ck->slots = slots;
    ck->nslots = n;

    return 0;
}


/* chain, then seq, then arrival: the first copy of a seq comes first */

int
sfb_check_key_cmp(const void *a, const void *b)
{
    const sfb_check_key_t  *x = a, *y = b;

    if (x->chain != y->chain) {
        return x->chain < y->chain ? -1 : 1;
    }

    if (x->seq != y->seq) {
        return x->seq < y->seq ? -1 : 1;
    }

    return x->rec < y->rec ? -1 : (x->rec > y->rec);
}


/*
 * A bad MAC in place (no authentic record has its seq, its prev is the
 * mac of the authentic record before it, its mac is the prev of the one
 * after) is a modified record; anything else is forged.
 */

void
sfb_check_fit(sfb_audit_check_t *ck, const sfb_check_key_t *k, size_t from,
    size_t to)
{
    int               fits;
    char              id[SFB_CHECK_ID_HEX + 1];
    size_t            g, h, x, ok, pred, succ, prev_ok;
    uint64_t          s, prev_seq;
    sfb_check_rec_t  *r;

    prev_ok = SFB_CHECK_NONE;
    prev_seq = 0;

    for (g = from; g < to; g = h) {
        s = k[g].seq;
        ok = SFB_CHECK_NONE;

        for (h = g; h < to && k[h].seq == s; h++) {
            if (ok == SFB_CHECK_NONE && ck->recs[k[h].rec].mac_ok) {
                ok = k[h].rec;
            }
        }

        succ = SFB_CHECK_NONE;

        for (x = h; x < to && k[x].seq == s + 1; x++) {
            if (ck->recs[k[x].rec].mac_ok) {
                succ = k[x].rec;
                break;
            }
        }

        pred = (s > 1 && prev_seq == s - 1) ? prev_ok : SFB_CHECK_NONE;

        for (x = g; x < h; x++) {
            r = &ck->recs[k[x].rec];

            if (r->state != SFB_CHECK_PENDING) {
                continue;
            }

            fits = ok == SFB_CHECK_NONE
                   && (pred == SFB_CHECK_NONE
                       || memcmp(ck->recs[pred].mac, r->prev,
                                 SFB_AUDIT_MAC_LEN) == 0)
                   && (succ == SFB_CHECK_NONE
                       || memcmp(ck->recs[succ].prev, r->mac,
                                 SFB_AUDIT_MAC_LEN) == 0)
                   && (pred != SFB_CHECK_NONE || succ != SFB_CHECK_NONE
                       || s == 1);

            if (fits) {
                r->state = SFB_CHECK_PRESENT;
                sfb_check_offer(ck, SFB_AUDIT_MODIFIED, r, 0, 0,
                                "MAC mismatch on chain %s seq %llu, which "
                                "fits its chain: its content was changed",
                                sfb_check_hexid(r->chain_id, id),
                                (unsigned long long) s);
                continue;
            }

            r->state = SFB_CHECK_DROPPED;

            if (ok != SFB_CHECK_NONE) {
                sfb_check_offer(ck, SFB_AUDIT_FORGED, r, 0, 0,
                                "MAC mismatch on chain %s seq %llu, a seq "
                                "the authentic record at %s:%llu has",
                                sfb_check_hexid(r->chain_id, id),
                                (unsigned long long) s,
                                ck->files[ck->recs[ok].file],
                                (unsigned long long) ck->recs[ok].line);

            } else {
                sfb_check_offer(ck, SFB_AUDIT_FORGED, r, 0, 0,
                                "MAC mismatch on chain %s seq %llu, which "
                                "does not fit its chain",
                                sfb_check_hexid(r->chain_id, id),
                                (unsigned long long) s);
            }
        }

        prev_seq = s;
        prev_ok = ok;
    }
}


/* gaps, broken links, replays and stretches moved between files */

void
sfb_check_sequence(sfb_audit_check_t *ck, const sfb_check_key_t *k,
    size_t from, size_t to, uint32_t *file_chain)
{
    char              id[SFB_CHECK_ID_HEX + 1];
    size_t            x, p;
    uint32_t          c, run_file;
    sfb_check_rec_t  *r, *q;

    c = k[from].chain;
    p = SFB_CHECK_NONE;
    run_file = UINT32_MAX;

    (void) sfb_check_hexid(ck->chains[c].id, id);

    for (x = from; x < to; x++) {
        r = &ck->recs[k[x].rec];

        if (r->state != SFB_CHECK_PRESENT) {
            continue;
        }

        q = (p == SFB_CHECK_NONE) ? NULL : &ck->recs[p];

        if (q == NULL) {

            if (r->seq > 1 && ck->strict) {
                sfb_check_offer(ck, SFB_AUDIT_DELETED, r, 0, 0,
                                "chain %s starts at seq %llu: seq 1 to %llu "
                                "are not in the given files (--strict)",
                                id, (unsigned long long) r->seq,
                                (unsigned long long) r->seq - 1);

            } else if (r->seq > 1) {
                (void) sfb_check_note(ck, "chain %s begins at seq %llu in "
                                      "%s:%llu; its earlier records are not "
                                      "in the given files",
                                      id, (unsigned long long) r->seq,
                                      ck->files[r->file],
                                      (unsigned long long) r->line);
            }

        } else if (r->seq == q->seq) {
            r->state = SFB_CHECK_DROPPED;
            sfb_check_offer(ck, SFB_AUDIT_FORGED, r, 0, 0,
                            "chain %s seq %llu repeats the record at %s:%llu",
                            id, (unsigned long long) r->seq,
                            ck->files[q->file], (unsigned long long) q->line);
            continue;

        } else if (r->seq > q->seq + 1) {
            sfb_check_offer(ck, SFB_AUDIT_DELETED, r, 0, 0,
                            "chain %s jumps from seq %llu (%s:%llu) to seq "
                            "%llu: %llu record(s) missing",
                            id, (unsigned long long) q->seq,
                            ck->files[q->file], (unsigned long long) q->line,
                            (unsigned long long) r->seq,
                            (unsigned long long) (r->seq - q->seq - 1));

        } else if (memcmp(r->prev, q->mac, SFB_AUDIT_MAC_LEN) != 0) {
            sfb_check_offer(ck, SFB_AUDIT_DELETED, r, 0, 0,
                            "prev of chain %s seq %llu is not the mac of seq "
                            "%llu (%s:%llu): the record it followed is gone",
                            id, (unsigned long long) r->seq,
                            (unsigned long long) q->seq,
                            ck->files[q->file], (unsigned long long) q->line);
        }

        /* a chain's epochs never go back: a record before one of an
         * earlier epoch was sealed with a later key than its place allows */

        if (q != NULL && q->has_epoch && r->has_epoch && r->epoch < q->epoch) {
            sfb_check_offer(ck, SFB_AUDIT_RESEALED, q, 0, 0,
                            "chain %s seq %llu is sealed under epoch %llu's "
                            "key, later than seq %llu after it (epoch %llu, "
                            "%s:%llu): sealed by someone who held a later "
                            "key than its place allows",
                            id, (unsigned long long) q->seq,
                            (unsigned long long) q->epoch,
                            (unsigned long long) r->seq,
                            (unsigned long long) r->epoch,
                            ck->files[r->file], (unsigned long long) r->line);
        }

        /* a live worker writes at least a heartbeat an interval: a longer
         * silence into a later epoch is where a chain was cut back and
         * continued with the later key */

        if (q != NULL && ck->gap_ms > 0 && q->has_epoch && r->has_epoch
            && r->epoch > q->epoch && q->time_ms >= 0
            && r->time_ms - q->time_ms > ck->gap_ms)
        {
            sfb_check_offer(ck, SFB_AUDIT_CHAIN_CUT, r, 0, 0,
                            "chain %s seq %llu (epoch %llu) comes %lld ms "
                            "after seq %llu (epoch %llu, %s:%llu), more than "
                            "one heartbeat interval: records between them "
                            "may have been cut and the chain continued with "
                            "a later epoch's key",
                            id, (unsigned long long) r->seq,
                            (unsigned long long) r->epoch,
                            (long long) (r->time_ms - q->time_ms),
                            (unsigned long long) q->seq,
                            (unsigned long long) q->epoch,
                            ck->files[q->file], (unsigned long long) q->line);
        }

        /* a writer appends a chain to one file, then maybe the next: each
         * file holds one stretch of it */

        if (r->file != run_file) {

            if (q != NULL && file_chain[r->file] == c + 1) {
                sfb_check_offer(ck, SFB_AUDIT_REORDERED, r, 0, 0,
                                "chain %s seq %llu returns to this file after "
                                "seq %llu in %s:%llu: records were moved "
                                "between files", id,
                                (unsigned long long) r->seq,
                                (unsigned long long) q->seq,
                                ck->files[q->file],
                                (unsigned long long) q->line);
            }

            file_chain[r->file] = c + 1;
            run_file = r->file;
        }

        p = k[x].rec;
    }

    if (p != SFB_CHECK_NONE) {
        ck->chains[c].max_seq = ck->recs[p].seq;
        ck->chains[c].last = p;
    }
}


/* within a file a chain's seq only grows */

void
sfb_check_order(sfb_audit_check_t *ck)
{
    char                id[SFB_CHECK_ID_HEX + 1];
    size_t              i;
    sfb_check_rec_t    *r, *q;
    sfb_check_chain_t  *c;

    for (i = 0; i < ck->nrecs; i++) {
        r = &ck->recs[i];

        if (r->state != SFB_CHECK_PRESENT) {
            continue;
        }

        c = &ck->chains[r->chain];
        q = (c->run == SFB_CHECK_NONE) ? NULL : &ck->recs[c->run];

        if (q != NULL && q->file == r->file && r->seq < q->seq) {
            sfb_check_offer(ck, SFB_AUDIT_REORDERED, r, 0, 0,
                            "chain %s seq %llu comes after seq %llu "
                            "(line %llu)",
                            sfb_check_hexid(c->id, id),
                            (unsigned long long) r->seq,
                            (unsigned long long) q->seq,
                            (unsigned long long) q->line);
        }

        c->run = i;
    }
}


/* a chain's successor says where it ended: fewer records means a cut */

void
sfb_check_links(sfb_audit_check_t *ck)
{
    int                 found;
    char                id[SFB_CHECK_ID_HEX + 1], pid[SFB_CHECK_ID_HEX + 1];
    size_t              i;
    uint32_t            p;
    sfb_check_rec_t    *r, *last;
    sfb_check_chain_t  *pc;

    for (i = 0; i < ck->nrecs; i++) {
        r = &ck->recs[i];

        /* only an authentic record's word counts */

        if (!r->mac_ok || r->link_seq == 0) {
            continue;
        }

        (void) sfb_check_hexid(r->chain_id, id);
        (void) sfb_check_hexid(r->link_id, pid);

        found = sfb_check_chain(ck, r->link_id, &p, 0) == 1
                && ck->chains[p].max_seq > 0;

        if (!found) {

            if (ck->strict) {
                sfb_check_offer(ck, SFB_AUDIT_CHAIN_CUT, r, 0, 0,
                                "chain %s continues chain %s (ended at seq "
                                "%llu), which is not in the given files "
                                "(--strict)", id, pid,
                                (unsigned long long) r->link_seq);

            } else {
                (void) sfb_check_note(ck, "chain %s (%s:%llu) continues "
                                      "chain %s (ended at seq %llu), which "
                                      "is not in the given files",
                                      id, ck->files[r->file],
                                      (unsigned long long) r->line, pid,
                                      (unsigned long long) r->link_seq);
            }

            continue;
        }

        pc = &ck->chains[p];
        last = &ck->recs[pc->last];

        if (pc->max_seq == r->link_seq) {
            pc->named = 1;

        } else if (pc->max_seq < r->link_seq) {
            sfb_check_offer(ck, SFB_AUDIT_CHAIN_CUT, last, 0, 0,
                            "chain %s ends at seq %llu here, but chain %s "
                            "(%s:%llu) says it ended at seq %llu: %llu "
                            "record(s) missing at its end (possible "
                            "truncation)", pid,
                            (unsigned long long) pc->max_seq, id,
                            ck->files[r->file], (unsigned long long) r->line,
                            (unsigned long long) r->link_seq,
                            (unsigned long long) (r->link_seq - pc->max_seq));

        } else if (pc->max_seq > r->link_seq) {
            sfb_check_offer(ck, SFB_AUDIT_CHAIN_CUT, last, 0, 0,
                            "chain %s goes on to seq %llu here, past seq "
                            "%llu where chain %s (%s:%llu) says it ended",
                            pid, (unsigned long long) pc->max_seq,
                            (unsigned long long) r->link_seq, id,
                            ck->files[r->file], (unsigned long long) r->line);
        }
    }
}


/*
 * --complete-until: the log holds everything written up to until_ms, and a
 * live worker writes at least one record (a heartbeat) every heartbeat_ms.
 * So a chain that ends without its end record, and that no successor names
 * as ended there, must reach the last interval before until_ms: else its
 * tail was cut.  And something must: else the newest records are gone,
 * said at the newest record there is (by time, then seq: files may come in
 * any order), or at the end of the last file when there is none.
 */

void
sfb_check_complete(sfb_audit_check_t *ck)
{
    char                id[SFB_CHECK_ID_HEX + 1];
    size_t              i;
    int64_t             from;
    sfb_check_rec_t    *last, *newest;
    sfb_check_chain_t  *c;

    if (ck->until_ms < 0) {
        return;
    }

    /* a timer fires a little late: a tenth of the interval, at least 1 s */
    from = ck->until_ms - ck->heartbeat_ms
           - (ck->heartbeat_ms / 10 > 1000 ? ck->heartbeat_ms / 10 : 1000);
    newest = NULL;

    for (i = 0; i < ck->nchains; i++) {
        c = &ck->chains[i];

        if (c->last == SFB_CHECK_NONE) {
            continue;
        }

        last = &ck->recs[c->last];

        if (last->time_ms >= 0
            && (newest == NULL || last->time_ms > newest->time_ms
                || (last->time_ms == newest->time_ms
                    && last->seq > newest->seq)))
        {
            newest = last;
        }

        if (last->end || c->named || last->time_ms >= from) {
            continue;
        }

        sfb_check_offer(ck, SFB_AUDIT_CHAIN_CUT, last, 0, 0,
                        "chain %s stops at seq %llu here without its end "
                        "record, more than one heartbeat interval (%lld s) "
                        "before --complete-until, and no chain names it as "
                        "ended: its tail was cut",
                        sfb_check_hexid(c->id, id),
                        (unsigned long long) c->max_seq,
                        (long long) (ck->heartbeat_ms / 1000));
    }

    if ((newest == NULL || newest->time_ms < from) && ck->nfiles > 0) {
        sfb_check_offer(ck, SFB_AUDIT_CHAIN_CUT, newest,
                        (uint32_t) (ck->nfiles - 1), ck->line,
                        "%s more than one heartbeat interval (%lld s) before "
                        "--complete-until: the newest records are missing "
                        "(or the gateway was not running then)",
                        newest == NULL ? "no record at all, not one"
                                       : "the newest record is",
                        (long long) (ck->heartbeat_ms / 1000));
    }
}
