/*
 * sf-backup-gate: EnableBackup's body and the policy allow-list
 * (sfb_body.c).
 */

#ifndef SFB_BODY_H
#define SFB_BODY_H

#include <stddef.h>

#include <jansson.h>

#include "sfb_types.h"


/* Parses {"BackupPolicyName":"..."}; the name goes into buf (size >= len
 * always suffices), a sanitised NUL-terminated explanation into detail. */
sfb_reason_e sfb_parse_body(const sfb_rules_t *rules,
    const unsigned char *body, size_t len, sfb_body_t *b,
    unsigned char *buf, size_t size, char *detail, size_t detail_size);

/* The same, always through jansson (sfb_parse_body() takes a shortcut for a
 * body already in canonical form; the tests hold the two equal). */
sfb_reason_e sfb_parse_body_json(const sfb_rules_t *rules,
    const unsigned char *body, size_t len, sfb_body_t *b,
    unsigned char *buf, size_t size, char *detail, size_t detail_size);

/* Exact byte match against the caller's allowed list; an empty list denies:
 * SFB_REASON_ALLOWED, POLICY_NOT_ALLOWED or POLICY_INVALID (not a policy name). */
sfb_reason_e sfb_check_policy(const unsigned char *policy, size_t len,
    const sfb_str_t *allowed, size_t n);

/* "an object", "a string", ...: a JSON value's type, in messages */
const char *sfb_json_type(const json_t *json);


#endif /* SFB_BODY_H */
