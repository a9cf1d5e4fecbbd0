/*
 * sf-backup-gate: byte-identical copies of audit records, told apart from
 * replays (the verifier's; not part of the nginx module).
 *
 * At-least-once shipping (rsyslog's omfwd after a broken connection, imfile
 * reading again from its last saved offset) delivers some lines twice. What
 * such a channel makes, and nothing else, is a duplicate:
 *
 *   a line byte for byte (SHA-256) the same as an authentic line earlier in
 *   the same file, read in the file's order as part of a rewind: the copies
 *   of a chain go back to some seq at or before where the chain was, then
 *   go on one seq at a time, each a copy, until the chain is back where it
 *   was (its highest seq in the file so far), before any record new to the
 *   file comes for that chain, and before the file ends.
 *
 * Every other copy is a replay: one that skips a seq of its chain, a rewind
 * that a new record of its chain interrupts or that the file ends in the
 * middle of, and any copy in another file than its original. A line with
 * the chain and seq of an earlier one and other bytes is not a copy at all
 * (the verifier judges it as before). Dropping every duplicate leaves each
 * chain, its links and the order of each file exactly as they were, so a
 * duplicate says nothing; a replay would say that a record came again
 * where its chain says something else came.
 *
 * Only authentic lines (their MAC verified) are fed, so chain ids are
 * random and the tables need no defence against crafted collisions. Memory:
 * one entry (about 56 bytes) per record of the current file, freed when the
 * next file begins.
 */

#ifndef SFB_AUDIT_DUP_H
#define SFB_AUDIT_DUP_H

#include "sfb_core.h"


#define SFB_AUDIT_DUP_CHAIN_LEN  16     /* = SFB_AUDIT_CHAIN_ID_LEN */


typedef enum {
    SFB_AUDIT_DUP_NEW = 0,      /* first line of its chain and seq here */
    SFB_AUDIT_DUP_COPY,         /* a duplicate: count it, judge nothing */
    SFB_AUDIT_DUP_REPLAY,       /* a copy no redelivery makes */
    SFB_AUDIT_DUP_OTHER         /* chain and seq seen here, other bytes */
} sfb_audit_dup_e;


typedef struct {
    uint64_t        line;           /* the copy that starts the replay */
    uint64_t        seq;            /* its seq */
    uint64_t        original;       /* the line it copies */
    uint64_t        at;             /* the line that shows it; 0: the end */
    unsigned        skip:1;         /* at is a copy that skips seqs */
    uint64_t        at_seq;         /* that line's seq */
    uint64_t        expected;       /* the seq a redelivery has there */
    unsigned char   chain[SFB_AUDIT_DUP_CHAIN_LEN];
} sfb_audit_dup_replay_t;


typedef struct sfb_audit_dup_s  sfb_audit_dup_t;


/* Empty tables; NULL on allocation failure. */
sfb_audit_dup_t *sfb_audit_dup_create(void);

/* Free everything; NULL is fine. */
void sfb_audit_dup_destroy(sfb_audit_dup_t *d);

/* The lines fed next come from another file: forget the last one.  1 if
 * a rewind of the last file was still open at its end (a replay, in
 * *replay, at 0), else 0. */
int sfb_audit_dup_end_file(sfb_audit_dup_t *d, sfb_audit_dup_replay_t *replay);

/* An authentic line (len without "\n") at lineno of the current file, of
 * chain and seq: its verdict, -1 on allocation or OpenSSL failure.  NEW
 * and OTHER lines are records to judge; a COPY is counted and dropped; a
 * REPLAY is dropped and reported.  replay->line is not 0 when a replay
 * was found: this line, or a copy before it (a rewind that this NEW line
 * interrupts).  On COPY, OTHER and REPLAY, *original is the line of the
 * earlier one. */
int sfb_audit_dup_line(sfb_audit_dup_t *d, const unsigned char *chain,
    uint64_t seq, const unsigned char *line, size_t len, uint64_t lineno,
    uint64_t *original, sfb_audit_dup_replay_t *replay);

/* Duplicates counted so far, all files. */
uint64_t sfb_audit_dup_count(const sfb_audit_dup_t *d);


#endif /* SFB_AUDIT_DUP_H */
