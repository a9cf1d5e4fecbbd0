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


#endif /* SFB_PATH_H */
