/*
 * sf-backup-gate: the policy gate's pure core.
 *
 * Every function works on byte ranges that are NOT NUL-terminated and never
 * reads past the given length.  Nothing here allocates except jansson while
 * it parses or prints a body; results go into buffers the caller owns (the
 * nginx glue passes request pool memory), and the structs below point into
 * those buffers or into the caller's input.
 *
 * One function, sfb_decide_run(), runs every step of a call in production
 * order; the nginx glue drives it through a host (sfb_host_t) that reads
 * the body and asks the cluster, and the unit tests, the fuzzers and the
 * benchmark drive the same function through sfb_decide() or a host of
 * their own.
 */

#ifndef SFB_GATE_H
#define SFB_GATE_H

#include <stddef.h>

#include "sfb_types.h"


/* Sets the documented defaults: api-version 6.2-preview, timeout 1..2^32-1,
 * max_body 4096, upstream api-version from the client, BackupRestore closed. */
void sfb_rules_init(sfb_rules_t *rules);

/* Empties a decision: kind OTHER, reason NONE, every range empty. */
void sfb_decision_init(sfb_decision_t *d);

/* Whether granted (SFB_OP_BIT()s) covers the call and, once its body is
 * known (b not NULL), the clean and storage forms; *op: the operation
 * refused.  SFB_REASON_NONE or SFB_REASON_OPERATION_NOT_ALLOWED. */
/* A restore's body and its Latest query parameter (9.1): exactly one. */
sfb_reason_e sfb_check_restore_form(const sfb_route_t *route,
    const sfb_query_t *q, size_t body_len);

sfb_reason_e sfb_check_operation(const sfb_route_t *route,
    const sfb_body_t *b, unsigned granted, sfb_operation_e *op);

/*
 * What a call's decision needs of its host: the nginx glue in production;
 * sfb_decide()'s own for the unit tests, the fuzzers and the bench.  The
 * host gets what only it can (the caller's identity and grants, the body,
 * the caller's lists, the cluster's answer on a partition) and makes the
 * checks that need them.  A hook returns SFB_REASON_NONE to go on,
 * SFB_REASON_PENDING when its answer comes later (sfb_decide_run() returns
 * PENDING and, called again, resumes at that hook), or the reason of a
 * refusal (also the decision's: SFB_REASON_ALLOWED counts as going on).
 * A NULL hook has nothing to check.
 */
typedef struct sfb_host_s  sfb_host_t;

struct sfb_host_s {
    void             *data;

    /* want bytes of memory for this call (kept until it ends); fewer or
     * none (*got) fails it closed */
    unsigned char  *(*alloc)(const sfb_host_t *h, size_t want, size_t *got);

    /* who calls (d->identity) and the operations granted (*granted:
     * SFB_OP_BIT()s), before the operation is checked */
    sfb_reason_e    (*caller)(const sfb_host_t *h, sfb_decision_t *d,
                              unsigned *granted);

    /* told when the call is known, and again when its body is parsed: what
     * it names, for its record (no decision) */
    void            (*noted)(const sfb_host_t *h, sfb_decision_t *d);

    /* the policy a path names: the caller's to read or to change */
    sfb_reason_e    (*path_data)(const sfb_host_t *h, sfb_decision_t *d);

    /* the target in the caller's scope (a partition's service looked up) */
    sfb_reason_e    (*scope)(const sfb_host_t *h, sfb_decision_t *d);

    /* the body, read whole (PENDING while it is being read) */
    sfb_reason_e    (*body)(const sfb_host_t *h, sfb_decision_t *d,
                            sfb_str_t *body);

    /* the caller's policy allow-list, for EnableBackup */
    sfb_reason_e    (*policies)(const sfb_host_t *h, const sfb_str_t **list,
                                size_t *n);

    /* a storage query's entity, named in its body, in the caller's scope */
    sfb_reason_e    (*body_scope)(const sfb_host_t *h, sfb_decision_t *d);

    /* what the body carries: its storage, the policy it defines, the
     * partition of a restore's source (looked up) */
    sfb_reason_e    (*carried)(const sfb_host_t *h, sfb_decision_t *d);
};


/* Every step of a call, in the order production runs them: the path
 * (SFB_REASON_NONE: not governed, it passes), method, query, Content-Type,
 * the caller and its operations, the policy a path names, the declared
 * length, scope, the body and its schema, the operation again (clean,
 * storage), the policy allow-list or a storage query's scope, what the body
 * carries, and the canonical forms of an allowed call.  d must come from
 * sfb_decision_init(); called again after SFB_REASON_PENDING, with the same
 * rules, req and d, it resumes where it waited.  Sets d->reason to what it
 * returns (but PENDING). */
sfb_reason_e sfb_decide_run(const sfb_rules_t *rules,
    const sfb_request_t *req, sfb_decision_t *d, const sfb_host_t *host);

/* An upper bound of the scratch bytes sfb_decide() needs for req. */
size_t sfb_decide_scratch_size(const sfb_rules_t *rules,
    const sfb_request_t *req);

/* sfb_decide_run() at once, its host being req itself (identity,
 * operations, allowed, body) and scratch its memory; SFB_REASON_NONE if not
 * governed (or BackupRestore while open), SFB_REASON_ALLOWED if forwarded. */
sfb_reason_e sfb_decide(const sfb_rules_t *rules, const sfb_request_t *req,
    sfb_decision_t *d, unsigned char *scratch, size_t scratch_size);


#endif /* SFB_GATE_H */
