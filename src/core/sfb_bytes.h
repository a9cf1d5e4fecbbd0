/*
 * sf-backup-gate: byte helpers every step of the core uses, inline (they
 * run once per byte).  No .c owns this header.
 */

#ifndef SFB_BYTES_H
#define SFB_BYTES_H

#include <string.h>

#include "sfb_types.h"
#include "sfb_hex.h"


/* byte helpers every step uses: inline, they run once per byte */

static inline unsigned char
sfb_lower(unsigned char c)
{
    /* not tolower(): the locale must not change what matches */
    return (c >= 'A' && c <= 'Z') ? (unsigned char) (c | 0x20) : c;
}


static inline int
sfb_is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
           || (c >= '0' && c <= '9')
           || c == '-' || c == '.' || c == '_' || c == '~';
}


static inline int
sfb_str_eq(const unsigned char *a, size_t alen, const unsigned char *b,
    size_t blen)
{
    return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}



/* Empties the text arrays at the end of a body (cheaper than clearing
 * their 3 KB): what the glue reads of a body that named none of them. */
static inline void
sfb_body_texts_empty(sfb_body_t *b)
{
    b->storage[0] = '\0';
    b->storage_key[0] = '\0';
    b->name[0] = '\0';
    b->backup_id[0] = '\0';
    b->source[0] = '\0';
    b->location[0] = '\0';
    b->partition[0] = '\0';
}


#endif /* SFB_BYTES_H */
