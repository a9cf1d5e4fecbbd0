/*
 * sf-backup-gate: the canonical forms that are forwarded (sfb_canonical.c).
 */

#ifndef SFB_CANONICAL_H
#define SFB_CANONICAL_H

#include <stddef.h>

#include "sfb_types.h"


/* Writes "/Partitions/<id>/$/EnableBackup" (or Services, Applications);
 * returns the length needed, writes nothing if it exceeds size, 0 if t has
 * no entity. */
size_t sfb_canonical_path(const sfb_target_t *t, unsigned char *out,
    size_t size);

/* Writes "api-version=<v>[&timeout=<n>]", <v> percent-encoded; returns the
 * length needed, writes nothing if it exceeds size. */
size_t sfb_canonical_query(const sfb_rules_t *rules, const sfb_query_t *q,
    unsigned char *out, size_t size);

/* Writes {"BackupPolicyName":"<name>"} via jansson, ASCII only; returns the
 * length needed, writes nothing if it exceeds size, 0 if the name is not
 * valid UTF-8 or jansson fails. */
size_t sfb_canonical_body(const unsigned char *policy, size_t len,
    unsigned char *out, size_t size);

/* The same, always through jansson (sfb_canonical_body() takes a shortcut
 * for names that need no escaping; the tests hold the two equal). */
size_t sfb_canonical_body_json(const unsigned char *policy, size_t len,
    unsigned char *out, size_t size);

/* Enough room for the canonical query of a call whose api-version value is
 * api_len bytes and whose query string args_len: the value and the call's
 * own parameters percent-encoded at most 3 to 1, their names, a timeout. */
#define SFB_CANONICAL_QUERY_MAX(api_len, args_len)                            \
    (sizeof("api-version=&timeout=18446744073709551615") + 3 * (api_len)     \
     + 256 + 3 * (args_len))

/* Enough room for any canonical body of a name of len bytes. */
#define SFB_CANONICAL_BODY_MAX(len)  (6 * (len) + 32)


#endif /* SFB_CANONICAL_H */
