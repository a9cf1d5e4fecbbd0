/*
 * sf-backup-gate: what the core shares about its use of jansson.
 *
 * - sfb_json_plain(): whether jansson prints a string as its own bytes
 *   between quotes.  Printable ASCII other than '"' and '\\' is printed so
 *   under every flag the core uses (JSON_COMPACT, JSON_ENSURE_ASCII, never
 *   JSON_ESCAPE_SLASH); the writers copy such values and let jansson print
 *   every other one, and the tests hold their output equal to jansson's.
 *
 * - Scratch memory for jansson: json_set_alloc_funcs() is process-wide, so
 *   sfb_json_scratch_install() puts in functions that take memory from a
 *   block lent by the current thread while one is lent
 *   (sfb_json_scratch_begin() ... _end(), e.g. a stack buffer around one
 *   parse) and from malloc() otherwise: no heap allocation for the common
 *   request, and other jansson users in the process are served by malloc()
 *   and free() as before.  Everything jansson allocated inside a scratch
 *   scope must be released inside it (json_decref() before _end()).
 */

#ifndef SFB_JSON_H
#define SFB_JSON_H

#include "sfb_core.h"


typedef struct {
    unsigned char  *start;
    unsigned char  *pos;
    unsigned char  *end;
    int             active;     /* 0: another scope was open, malloc() */
} sfb_json_scratch_t;


/* 1 when jansson prints the n bytes at p, as a string, unchanged. */
int sfb_json_plain(const unsigned char *p, size_t n);

/* Make jansson allocate through the scratch functions; once per process,
 * before the core calls jansson (an nginx worker: init_process). */
void sfb_json_scratch_install(void);

/* Lend buf (size bytes) to jansson on this thread until _end(); scopes do
 * not nest (an inner begin leaves the outer one in place). */
void sfb_json_scratch_begin(sfb_json_scratch_t *s, void *buf, size_t size);
void sfb_json_scratch_end(sfb_json_scratch_t *s);

/* Bytes of the current scope in use (0 without one), for the tests. */
size_t sfb_json_scratch_used(void);


#endif /* SFB_JSON_H */
