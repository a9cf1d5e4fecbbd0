/*
 * sf-backup-gate: request ids from OpenSSL's random generator, drawn in bulk.
 *
 * Each RAND_bytes() call costs a fixed amount (the DRBG's locking, reseed
 * checks and key update: about 1.2 us here) whatever its length, so a pool
 * takes SFB_RANDOM_POOL bytes in one call and hands out 16 at a time: the
 * same generator and the same bytes as one call per id, at a small part of
 * the cost.  No byte is handed out twice.
 *
 * A pool belongs to one process and one thread.  A forked child must call
 * sfb_random_reset() before drawing (an nginx worker: init_process), or it
 * would hand out the bytes its parent had left, as every sibling would.
 */

#ifndef SFB_RANDOM_H
#define SFB_RANDOM_H

#include "sfb_core.h"


#define SFB_RANDOM_POOL     4096
#define SFB_RANDOM_ID_LEN   32      /* hex digits of a request id */


typedef struct {
    unsigned char  bytes[SFB_RANDOM_POOL];
    size_t         left;            /* the last left bytes: not handed out
                                       yet (0, as a static pool starts: the
                                       next draw fills it) */
} sfb_random_t;


/* Empties the pool (its bytes are wiped): the next draw refills it. */
void sfb_random_reset(sfb_random_t *r);

/* Writes SFB_RANDOM_ID_LEN lowercase hex digits (16 random bytes), as
 * nginx's $request_id has them; 0, or -1 if RAND_bytes() failed (out is
 * then left alone and the pool empty). */
int sfb_random_id(sfb_random_t *r, unsigned char *out);


#endif /* SFB_RANDOM_H */
