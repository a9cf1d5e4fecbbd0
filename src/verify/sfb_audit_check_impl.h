/*
 * sf-backup-gate: what the verifier's files share among themselves (not
 * part of the verifier's API, which is in sfb_audit.h).
 *
 *   sfb_audit_check.c   the verifier's life and its record loop: a line in,
 *                       a record checked and kept; finish() judges them all
 *   sfb_audit_read.c    files, plain or gzip'd, cut into lines
 *   sfb_audit_parse.c   one line: the writer's shape, members, partial lines
 *   sfb_audit_keys.c    the keys given, and which one a record's MAC needs
 *   sfb_audit_chains.c  the records of each chain: fit, gaps, order, links,
 *                       --complete-until
 *   sfb_audit_retire.c  keys retired by later keys, and records made with
 *                       them after
 *   sfb_audit_report.c  the first problem, notes, the summary
 */

#ifndef SFB_AUDIT_CHECK_IMPL_H
#define SFB_AUDIT_CHECK_IMPL_H

#include <jansson.h>

#include "sfb_hex.h"
#include "sfb_verify.h"
#include "sfb_audit_dup.h"


/* no record the writer makes comes near this: longer lines are not ours */
#define SFB_CHECK_LINE_MAX  (4 * SFB_AUDIT_LINE_MAX)

#define SFB_CHECK_ID_HEX    (2 * SFB_AUDIT_CHAIN_ID_LEN)
#define SFB_CHECK_MAC_HEX   (2 * SFB_AUDIT_MAC_LEN)
#define SFB_CHECK_NONE      ((size_t) -1)


typedef enum {
    SFB_CHECK_PENDING = 0,      /* MAC bad: place in the chain not judged */
    SFB_CHECK_PRESENT,          /* authentic, or modified in its place */
    SFB_CHECK_DROPPED           /* forged or a replay: has no place */
} sfb_check_state_e;


typedef struct {
    sfb_audit_chain_t  *mac;            /* keyed, never started */
    unsigned char       id[SFB_AUDIT_KEY_ID_HEX / 2];
} sfb_check_keyed_t;


/* a verification key: every epoch's MAC key, derived forward on demand */
typedef struct {
    unsigned char       id[SFB_AUDIT_KEY_ID_HEX / 2];
    int64_t             start;          /* Unix seconds */
    int64_t             interval;
    struct sfb_seal_s  *next;           /* k of epoch nmk */
    unsigned char      *mk;             /* nmk MAC keys, epoch 0 first */
    uint64_t            nmk;
    uint64_t            cap;
    sfb_audit_chain_t  *mac;            /* keyed for mac_epoch */
    int64_t             mac_epoch;
} sfb_check_sealed_t;


typedef struct {
    uint64_t        seq;
    uint64_t        line;
    uint64_t        link_seq;               /* prev_seq; 0: no prev_chain */
    uint32_t        chain;                  /* index, once known */
    uint32_t        file;
    unsigned        mac_ok:1;
    unsigned        state:2;
    unsigned        has_key_id:1;
    unsigned        unknown_key:1;
    unsigned        end:1;                  /* phase "end": the chain ends */
    unsigned        has_epoch:1;            /* sealed forward-securely */
    unsigned        late:1;                 /* epoch past its time's */
    unsigned        retires:1;              /* names a key it retires */
    int64_t         time_ms;                /* -1: not RFC 3339 */
    uint64_t        epoch;
    int64_t         time_epoch;             /* the epoch of time_ms; -1 */
    unsigned char   key_id[SFB_AUDIT_KEY_ID_HEX / 2];   /* or the key that
                                                           verified it */
    unsigned char   retired[SFB_AUDIT_KEY_ID_HEX / 2];
    unsigned char   mac[SFB_AUDIT_MAC_LEN];
    unsigned char   prev[SFB_AUDIT_MAC_LEN];   /* zeros for seq 1 */
    unsigned char   chain_id[SFB_AUDIT_CHAIN_ID_LEN];
    unsigned char   link_id[SFB_AUDIT_CHAIN_ID_LEN];
} sfb_check_rec_t;


typedef struct {
    unsigned char   id[SFB_AUDIT_CHAIN_ID_LEN];
    uint64_t        max_seq;                /* 0: nothing present */
    size_t          last;                   /* the record holding max_seq */
    unsigned        named:1;                /* a link says where it ended */
    size_t          run;                    /* last record seen in arrival */
} sfb_check_chain_t;


typedef struct {
    uint32_t        chain;
    uint64_t        seq;
    size_t          rec;
} sfb_check_key_t;


/* a key retired by an authentic record of another key */
typedef struct {
    unsigned char   key[SFB_AUDIT_KEY_ID_HEX / 2];
    unsigned char   by[SFB_AUDIT_KEY_ID_HEX / 2];
    int64_t         time_ms;
    uint32_t        file;
    uint64_t        line;
    size_t          nchains;                /* the old key's live chains */
    unsigned char (*chains)[SFB_AUDIT_CHAIN_ID_LEN];
} sfb_check_retired_t;


struct sfb_audit_check_s {
    sfb_check_keyed_t    *keys;
    size_t                nkeys;
    sfb_check_sealed_t   *seals;
    size_t                nseals;
    int                   strict;
    int64_t               until_ms;     /* --complete-until; -1: not given */
    int64_t               heartbeat_ms;
    int64_t               gap_ms;       /* --heartbeat: 0, not checked */
    int                   finished;

    char                **files;
    size_t                nfiles;
    uint64_t              line;         /* in the current file */

    sfb_check_rec_t      *recs;
    size_t                nrecs;
    size_t                recs_cap;
    size_t                valid;        /* records whose MAC verified */

    /* only authentic records make chains, so ids here are random and the
     * table needs no defence against crafted collisions */
    sfb_check_chain_t    *chains;
    size_t                nchains;
    size_t                chains_cap;
    uint32_t             *slots;        /* open addressing: index + 1 */
    size_t                nslots;

    char                **notes;
    size_t                nnotes;

    sfb_audit_dup_t      *dup;          /* copies told from replays */

    sfb_check_retired_t  *retired;
    size_t                nretired;
    size_t                nretiring;    /* of the line being parsed: */
    unsigned char         retiring[SFB_AUDIT_RETIRING_MAX]
                                  [SFB_AUDIT_CHAIN_ID_LEN];

    int                   has_problem;
    uint32_t              problem_file;
    sfb_audit_problem_t   problem;
};



/* sfb_audit_parse.c */
int sfb_check_record(sfb_audit_check_t *ck, const unsigned char *line,
    size_t len, sfb_check_rec_t *rec, char *why, size_t whylen);
int sfb_check_partial(sfb_audit_check_t *ck, const unsigned char *line,
    size_t len, sfb_check_rec_t *rec, size_t *skipped);
int64_t sfb_check_time(const char *s, size_t len);

/* sfb_audit_keys.c */
int sfb_check_mac(sfb_audit_check_t *ck, const unsigned char *line,
    size_t len, sfb_check_rec_t *rec, char *why, size_t whylen);
void sfb_check_keys_free(sfb_audit_check_t *ck);

/* sfb_audit_chains.c */
int sfb_check_add(sfb_audit_check_t *ck, const sfb_check_rec_t *rec);
int sfb_check_chain(sfb_audit_check_t *ck, const unsigned char *id,
    uint32_t *index, int add);
int sfb_check_key_cmp(const void *a, const void *b);
void sfb_check_fit(sfb_audit_check_t *ck, const sfb_check_key_t *k,
    size_t from, size_t to);
void sfb_check_sequence(sfb_audit_check_t *ck, const sfb_check_key_t *k,
    size_t from, size_t to, uint32_t *file_chain);
void sfb_check_order(sfb_audit_check_t *ck);
void sfb_check_links(sfb_audit_check_t *ck);
void sfb_check_complete(sfb_audit_check_t *ck);

/* sfb_audit_retire.c */
int sfb_check_retirement(sfb_audit_check_t *ck, const sfb_check_rec_t *rec);
void sfb_check_retired(sfb_audit_check_t *ck);
void sfb_check_retired_free(sfb_audit_check_t *ck);

/* sfb_audit_report.c */
void sfb_check_offer(sfb_audit_check_t *ck, sfb_audit_problem_e kind,
    const sfb_check_rec_t *at, uint32_t file, uint64_t line,
    const char *fmt, ...);
int sfb_check_note(sfb_audit_check_t *ck, const char *fmt, ...);
const char *sfb_check_hexid(const unsigned char *id, char *buf);
const char *sfb_check_hexkey(const unsigned char *id, char *buf);


#endif /* SFB_AUDIT_CHECK_IMPL_H */
