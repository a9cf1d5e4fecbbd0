/*
 * sf-backup-gate: the audit verifier's API (sf-backup-audit-verify, its
 * tests and fuzzers).  Not part of the nginx module: src/verify/ reads the
 * records src/core/sfb_audit.c writes.
 */

#ifndef SFB_VERIFY_H
#define SFB_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "sfb_audit.h"
#include "sfb_seal.h"


/*
 * Verifying (sfb_audit_check.c and the files it names in
 * sfb_audit_check_impl.h): the logic of sf-backup-audit-verify, kept out
 * of the nginx module.  Lines are fed file by file; judgement across
 * records waits for sfb_audit_check_finish(), so the files may come in any
 * order: chains and seqs, not file order, decide.
 */

typedef enum {
    SFB_AUDIT_OK = 0,
    SFB_AUDIT_MODIFIED,       /* bad MAC on a record that fits its chain */
    SFB_AUDIT_FORGED,         /* bad MAC off the chain, bad shape, replay */
    SFB_AUDIT_DELETED,        /* seq gap, or prev not the previous mac */
    SFB_AUDIT_REORDERED,      /* seq going backwards in a file */
    SFB_AUDIT_TRUNCATED,      /* partial last line: a writer died */
    SFB_AUDIT_CHAIN_CUT,      /* a chain ended before its successor says */
    SFB_AUDIT_UNKNOWN_KEY,    /* sealed with a key that was not given */
    SFB_AUDIT_REPLAYED,       /* a copy no redelivery makes (sfb_audit_dup.h) */
    SFB_AUDIT_RESEALED,       /* sealed under a later epoch's key than
                                 its time or its place in its chain allow */
    SFB_AUDIT_RETIRED_KEY     /* sealed with a key after its retirement */
} sfb_audit_problem_e;


typedef struct {
    sfb_audit_problem_e   kind;
    const char           *file;       /* as given to begin_file() */
    uint64_t              line;       /* 1-based */
    char                  detail[384];
} sfb_audit_problem_t;


typedef struct sfb_audit_check_s  sfb_audit_check_t;


/* A verifier for lines keyed with key (NULL: keys come from add_key());
 * strict: the files are the whole history (chains must start at seq 1, a
 * named prev_chain must be present). */
sfb_audit_check_t *sfb_audit_check_create(const unsigned char *key,
    size_t key_len, int strict);

/* One more key: a record is checked with the key its key_id names (a
 * record of before key_id with each key until one verifies it); a key
 * given twice counts once.  0, or -1 on allocation or OpenSSL failure. */
int sfb_audit_check_add_key(sfb_audit_check_t *ck, const unsigned char *key,
    size_t key_len);

/* A verification key of forward-secure sealing (sfb_seal.h, epoch 0):
 * a record that carries "epoch" and names it by key_id is checked with
 * its epoch's key, derived forward from it.  0, or -1 on allocation. */
int sfb_audit_check_add_vkey(sfb_audit_check_t *ck, const sfb_seal_t *vk);

/* The operator says the log is complete up to until_ms (Unix ms) and the
 * gateway wrote a heartbeat every heartbeat_ms: a chain that stops earlier
 * than one interval (and a tenth, at least 1 s, for a timer's slack)
 * before until_ms without its end record, unless its
 * successor names it as ended there, is a chain cut; and so is a log
 * whose newest record is that old. */
void sfb_audit_check_complete_until(sfb_audit_check_t *ck, int64_t until_ms,
    int64_t heartbeat_ms);

/* The operator says every live worker wrote a record (a heartbeat) at
 * least every heartbeat_ms: two sealed records in a row of one chain
 * further apart than that (and a tenth, at least 1 s), across an epoch
 * change, are a chain cut: its records in between may have been removed
 * and the chain continued by someone holding the later epoch's key. */
void sfb_audit_check_heartbeat(sfb_audit_check_t *ck, int64_t heartbeat_ms);

/* "2026-11-25T01:38:19.123Z" (milliseconds optional) to Unix ms; -1. */
int64_t sfb_audit_check_parse_time(const char *s);

/* Free the verifier; NULL is fine. */
void sfb_audit_check_destroy(sfb_audit_check_t *ck);

/* The lines fed next come from the file called name (copied); 0 or -1. */
int sfb_audit_check_begin_file(sfb_audit_check_t *ck, const char *name);

/* Feed the next line of the current file without its "\n"; newline: 0 for
 * a last line that had none.  0, or -1 on allocation failure. */
int sfb_audit_check_line(sfb_audit_check_t *ck, const unsigned char *line,
    size_t len, int newline);

/* begin_file(path) and feed each of its lines, the file plain or gzip'd;
 * -1 with err (naming the file) when it cannot be read or decompressed. */
int sfb_audit_check_path(sfb_audit_check_t *ck, const char *path, char *err,
    size_t errlen);

/* Judge everything fed: 0 all verified, 1 a problem, -1 allocation. */
int sfb_audit_check_finish(sfb_audit_check_t *ck);

/* The first problem in input order (file order given, then line), or NULL. */
const sfb_audit_problem_t *sfb_audit_check_problem(
    const sfb_audit_check_t *ck);

/* "modified record", "forged record", ... as printed by the verifier. */
const char *sfb_audit_problem_name(sfb_audit_problem_e kind);

/* "OK: 3 files, 5 chains, 1234 records verified", snprintf() style. */
int sfb_audit_check_summary(const sfb_audit_check_t *ck, char *out,
    size_t size);

/* Byte-identical copies of records counted and left out (sfb_audit_dup.h);
 * the summary names them. */
uint64_t sfb_audit_check_duplicates(const sfb_audit_check_t *ck);

/* Facts that are not problems, e.g. a chain that begins before the files;
 * i from 0; NULL past the last. */
const char *sfb_audit_check_note(const sfb_audit_check_t *ck, size_t i);


#endif /* SFB_VERIFY_H */
