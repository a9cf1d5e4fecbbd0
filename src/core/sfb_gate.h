/*
 * sf-backup-gate: the policy gate's pure core.
 *
 * Every function works on byte ranges that are NOT NUL-terminated and never
 * reads past the given length.  Nothing here allocates except jansson while
 * it parses or prints a body; results go into buffers the caller owns (the
 * nginx glue passes request pool memory), and the structs below point into
 * those buffers or into the caller's input.
 *
 * The glue runs the steps one by one: sfb_match_path(), sfb_parse_query()
 * and sfb_check_content_type() before the body is read, sfb_parse_body() and
 * sfb_check_policy() after it; sfb_decide() is exactly those steps in order,
 * for the unit tests, the fuzzers and the benchmark.
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
sfb_reason_e sfb_check_operation(const sfb_route_t *route,
    const sfb_body_t *b, unsigned granted, sfb_operation_e *op);

/* An upper bound of the scratch bytes sfb_decide() needs for req. */
size_t sfb_decide_scratch_size(const sfb_rules_t *rules,
    const sfb_request_t *req);

/* Runs every step in order and fills d; SFB_REASON_NONE if not governed
 * (or BackupRestore while open), SFB_REASON_ALLOWED if forwarded. */
sfb_reason_e sfb_decide(const sfb_rules_t *rules, const sfb_request_t *req,
    sfb_decision_t *d, unsigned char *scratch, size_t scratch_size);


#endif /* SFB_GATE_H */
