/*
 * sf-backup-gate: which call of the surface a decoded URI path names, and
 * its entity id (sfb_path.c).
 */

#ifndef SFB_PATH_H
#define SFB_PATH_H

#include <stddef.h>

#include "sfb_types.h"


/* Classifies a decoded URI path; for GOVERNED, writes the canonical id into
 * buf (size >= len always suffices) and sets t->reason. */
sfb_path_kind_e sfb_match_path(const unsigned char *uri, size_t len,
    sfb_target_t *t, unsigned char *buf, size_t size);

/* The same without the shortcut for /Partitions/<uuid>/$/EnableBackup: the
 * reference that the tests hold sfb_match_path() equal to. */
sfb_path_kind_e sfb_match_path_slow(const unsigned char *uri, size_t len,
    sfb_target_t *t, unsigned char *buf, size_t size);


/*
 * A backup policy's name, one rule wherever one is given (a path, a
 * policy's Name, EnableBackup's BackupPolicyName, the allow-lists): what
 * Service Fabric takes as a name (its specification sets no pattern) and
 * its gateway can address as one path segment the same way on every
 * parser: 1 to SFB_POLICY_NAME_MAX bytes of UTF-8, no control character,
 * no '/' or '\' (a segment's end, to someone), '%' (decoded twice, to
 * someone) or '~' (the gateway's name separator); not "$" (the actions'
 * segment); no space first or last, no '.' last (trimmed, to someone).
 */
int sfb_policy_name_valid(const unsigned char *p, size_t n);

#define SFB_POLICY_NAME_RULE                                                  \
    "1 to 256 bytes of UTF-8 without control characters, '/', '\\', '%' "   \
    "or '~', not \"$\", not starting with a space nor ending with a space "  \
    "or '.'"


#endif /* SFB_PATH_H */
