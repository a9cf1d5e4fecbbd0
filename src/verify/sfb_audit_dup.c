/*
 * sf-backup-gate: byte-identical copies of audit records, told apart from
 * replays; see sfb_audit_dup.h for what each is.
 *
 * Per file: a table of the records seen (chain, seq, SHA-256 of the line,
 * line number) and, per chain, where the file's reading of it is: cursor,
 * the seq of its last line; frontier, its highest seq; and the open rewind,
 * if cursor is behind frontier.
 */

#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>

#include "sfb_audit_dup.h"


typedef struct {
    unsigned char   id[SFB_AUDIT_DUP_CHAIN_LEN];
    uint64_t        cursor;
    uint64_t        frontier;
    uint64_t        rewind_line;        /* 0: no rewind open */
    uint64_t        rewind_seq;
    uint64_t        rewind_original;
} sfb_dup_chain_t;


typedef struct {
    uint32_t        chain;              /* index + 1; 0: a free slot */
    uint64_t        seq;
    uint64_t        line;
    unsigned char   sha[SHA256_DIGEST_LENGTH];
} sfb_dup_entry_t;


struct sfb_audit_dup_s {
    sfb_dup_chain_t  *chains;
    size_t            nchains;
    size_t            chains_cap;
    uint32_t         *chain_slots;      /* open addressing: index + 1 */
    size_t            nchain_slots;

    sfb_dup_entry_t  *entries;          /* open addressing */
    size_t            nentries;
    size_t            nentry_slots;

    uint64_t          copies;
};


static int sfb_dup_chain(sfb_audit_dup_t *d, const unsigned char *id,
    uint32_t *index);
static int sfb_dup_grow_chain_slots(sfb_audit_dup_t *d);
static sfb_dup_entry_t *sfb_dup_entry(sfb_audit_dup_t *d, uint32_t chain,
    uint64_t seq);
static int sfb_dup_grow_entries(sfb_audit_dup_t *d);
static size_t sfb_dup_hash(const unsigned char *id, uint64_t seq);
static void sfb_dup_replay(sfb_dup_chain_t *c, uint64_t at, uint64_t at_seq,
    unsigned skip, sfb_audit_dup_replay_t *replay);


sfb_audit_dup_t *
sfb_audit_dup_create(void)
{
    return calloc(1, sizeof(sfb_audit_dup_t));
}


void
sfb_audit_dup_destroy(sfb_audit_dup_t *d)
{
    if (d == NULL) {
        return;
    }

    free(d->chains);
    free(d->chain_slots);
    free(d->entries);
    free(d);
}


uint64_t
sfb_audit_dup_count(const sfb_audit_dup_t *d)
{
    return d->copies;
}


int
sfb_audit_dup_end_file(sfb_audit_dup_t *d, sfb_audit_dup_replay_t *replay)
{
    int               open;
    size_t            i;
    sfb_dup_chain_t  *c, *first;

    /* the earliest rewind still open: the file ended inside it */

    first = NULL;

    for (i = 0; i < d->nchains; i++) {
        c = &d->chains[i];

        if (c->rewind_line != 0
            && (first == NULL || c->rewind_line < first->rewind_line))
        {
            first = c;
        }
    }

    open = 0;

    if (first != NULL) {
        sfb_dup_replay(first, 0, 0, 0, replay);
        open = 1;
    }

    free(d->chains);
    free(d->chain_slots);
    free(d->entries);

    d->chains = NULL;
    d->nchains = 0;
    d->chains_cap = 0;
    d->chain_slots = NULL;
    d->nchain_slots = 0;
    d->entries = NULL;
    d->nentries = 0;
    d->nentry_slots = 0;

    return open;
}


int
sfb_audit_dup_line(sfb_audit_dup_t *d, const unsigned char *chain,
    uint64_t seq, const unsigned char *line, size_t len, uint64_t lineno,
    uint64_t *original, sfb_audit_dup_replay_t *replay)
{
    uint32_t          ci;
    sfb_dup_chain_t  *c;
    sfb_dup_entry_t  *e;
    unsigned char     sha[SHA256_DIGEST_LENGTH];

    if (SHA256(line, len, sha) == NULL) {
        return -1;
    }

    if (sfb_dup_chain(d, chain, &ci) != 0) {
        return -1;
    }

    e = sfb_dup_entry(d, ci, seq);
    if (e == NULL) {
        return -1;
    }

    c = &d->chains[ci];
    replay->line = 0;

    if (e->chain == 0) {

        /* new to this file: a rewind still open was no redelivery */

        if (c->rewind_line != 0) {
            sfb_dup_replay(c, lineno, seq, 0, replay);
            c->rewind_line = 0;
        }

        e->chain = ci + 1;
        e->seq = seq;
        e->line = lineno;
        memcpy(e->sha, sha, sizeof(sha));
        d->nentries++;

        if (seq > c->frontier) {
            c->frontier = seq;
        }

        /* (an original below the frontier is the verifier's to judge) */
        c->cursor = c->frontier;

        return SFB_AUDIT_DUP_NEW;
    }

    *original = e->line;

    if (memcmp(e->sha, sha, sizeof(sha)) != 0) {
        return SFB_AUDIT_DUP_OTHER;
    }

    if (seq > c->cursor + 1) {

        /* forward past seqs the rewind has not shown again */

        if (c->rewind_line == 0) {
            c->rewind_line = lineno;
            c->rewind_seq = seq;
            c->rewind_original = e->line;
        }

        sfb_dup_replay(c, lineno, seq, 1, replay);

        return SFB_AUDIT_DUP_REPLAY;
    }

    /* back to an earlier seq (a rewind begins), or the next one */

    if (c->rewind_line == 0 && seq <= c->cursor) {
        c->rewind_line = lineno;
        c->rewind_seq = seq;
        c->rewind_original = e->line;
    }

    c->cursor = seq;

    if (c->cursor >= c->frontier) {
        c->rewind_line = 0;
    }

    d->copies++;

    return SFB_AUDIT_DUP_COPY;
}


static void
sfb_dup_replay(sfb_dup_chain_t *c, uint64_t at, uint64_t at_seq,
    unsigned skip, sfb_audit_dup_replay_t *replay)
{
    replay->line = c->rewind_line;
    replay->seq = c->rewind_seq;
    replay->original = c->rewind_original;
    replay->at = at;
    replay->at_seq = at_seq;
    replay->skip = skip;
    replay->expected = c->cursor + 1;
    memcpy(replay->chain, c->id, SFB_AUDIT_DUP_CHAIN_LEN);
}


/* 0 and *index (found or added), or -1 on allocation failure */

static int
sfb_dup_chain(sfb_audit_dup_t *d, const unsigned char *id, uint32_t *index)
{
    size_t            h, mask, cap;
    uint32_t          i;
    sfb_dup_chain_t  *chains;

    if ((d->nchains + 1) * 2 > d->nchain_slots
        && sfb_dup_grow_chain_slots(d) != 0)
    {
        return -1;
    }

    mask = d->nchain_slots - 1;

    for (h = sfb_dup_hash(id, 0) & mask; d->chain_slots[h];
         h = (h + 1) & mask)
    {
        i = d->chain_slots[h] - 1;

        if (memcmp(d->chains[i].id, id, SFB_AUDIT_DUP_CHAIN_LEN) == 0) {
            *index = i;
            return 0;
        }
    }

    if (d->nchains == d->chains_cap) {
        cap = d->chains_cap ? 2 * d->chains_cap : 16;

        chains = realloc(d->chains, cap * sizeof(sfb_dup_chain_t));
        if (chains == NULL) {
            return -1;
        }

        d->chains = chains;
        d->chains_cap = cap;
    }

    i = (uint32_t) d->nchains++;

    memset(&d->chains[i], 0, sizeof(sfb_dup_chain_t));
    memcpy(d->chains[i].id, id, SFB_AUDIT_DUP_CHAIN_LEN);

    d->chain_slots[h] = i + 1;
    *index = i;

    return 0;
}


static int
sfb_dup_grow_chain_slots(sfb_audit_dup_t *d)
{
    size_t     i, h, n;
    uint32_t  *slots;

    n = d->nchain_slots ? 2 * d->nchain_slots : 64;

    slots = calloc(n, sizeof(uint32_t));
    if (slots == NULL) {
        return -1;
    }

    for (i = 0; i < d->nchains; i++) {
        for (h = sfb_dup_hash(d->chains[i].id, 0) & (n - 1); slots[h];
             h = (h + 1) & (n - 1))
        {
            /* void */
        }

        slots[h] = (uint32_t) i + 1;
    }

    free(d->chain_slots);
    d->chain_slots = slots;
    d->nchain_slots = n;

    return 0;
}


/* the entry of (chain, seq), or the free slot for it; NULL on allocation
 * failure */

static sfb_dup_entry_t *
sfb_dup_entry(sfb_audit_dup_t *d, uint32_t chain, uint64_t seq)
{
    size_t            h, mask;
    sfb_dup_entry_t  *e;

    if ((d->nentries + 1) * 2 > d->nentry_slots
        && sfb_dup_grow_entries(d) != 0)
    {
        return NULL;
    }

    mask = d->nentry_slots - 1;

    for (h = sfb_dup_hash(d->chains[chain].id, seq) & mask; ;
         h = (h + 1) & mask)
    {
        e = &d->entries[h];

        if (e->chain == 0 || (e->chain == chain + 1 && e->seq == seq)) {
            return e;
        }
    }
}


static int
sfb_dup_grow_entries(sfb_audit_dup_t *d)
{
    size_t            i, h, n;
    sfb_dup_entry_t  *entries, *e;

    n = d->nentry_slots ? 2 * d->nentry_slots : 256;

    entries = calloc(n, sizeof(sfb_dup_entry_t));
    if (entries == NULL) {
        return -1;
    }

    for (i = 0; i < d->nentry_slots; i++) {
        e = &d->entries[i];

        if (e->chain == 0) {
            continue;
        }

        for (h = sfb_dup_hash(d->chains[e->chain - 1].id, e->seq) & (n - 1);
             entries[h].chain;
             h = (h + 1) & (n - 1))
        {
            /* void */
        }

        entries[h] = *e;
    }

    free(d->entries);
    d->entries = entries;
    d->nentry_slots = n;

    return 0;
}


/* chain ids are random bytes: eight of them, mixed with the seq */

static size_t
sfb_dup_hash(const unsigned char *id, uint64_t seq)
{
    uint64_t  v;

    memcpy(&v, id, sizeof(uint64_t));

    v ^= seq * 0x9e3779b97f4a7c15ULL;
    v ^= v >> 29;

    return (size_t) v;
}
