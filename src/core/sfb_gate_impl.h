/*
 * sf-backup-gate: what the gate's core files share among themselves and
 * nobody else: byte helpers and the one-pass message builder.
 */

#ifndef SFB_GATE_IMPL_H
#define SFB_GATE_IMPL_H

#include <string.h>

#include <jansson.h>

#include "sfb_gate.h"


#define SFB_UUID_LEN  36

/* the canonical body around a name that needs no escaping */
#define SFB_BODY_HEAD  "{\"BackupPolicyName\":\""
#define SFB_BODY_TAIL  "\"}"


/* Counts the full length and writes what fits, so that one pass both sizes
 * and fills a message. */
typedef struct {
    char                 *out;
    size_t                size;
    size_t                len;
} sfb_msg_t;


/* byte helpers every step uses: inline, they run once per byte */

static inline unsigned char
sfb_lower(unsigned char c)
{
    /* not tolower(): the locale must not change what matches */
    return (c >= 'A' && c <= 'Z') ? (unsigned char) (c | 0x20) : c;
}


static inline int
sfb_hex(unsigned char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }

    c = sfb_lower(c);

    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }

    return -1;
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


/* sfb_route.c: "Partitions", "Services", "Applications" */
const char *sfb_entity_path_name(sfb_entity_e entity);

/* sfb_body.c: "an object", "a string", ... */
const char *sfb_json_type(const json_t *json);

/* sfb_query.c: an ISO 8601 date-time as the REST reference writes it */
int sfb_date_time(const unsigned char *p, size_t n);

/* sfb_mask.c: b->storage, from a checked BackupStorageDescription */
void sfb_storage_summary(sfb_body_t *b, const char *kind, json_t *s);

/* sfb_message.c */
void sfb_msg_init(sfb_msg_t *m, char *out, size_t size);
void sfb_msg_add(sfb_msg_t *m, const char *data, size_t n);
void sfb_msg_str(sfb_msg_t *m, const char *s);
void sfb_msg_u64(sfb_msg_t *m, uint64_t v);
void sfb_msg_safe(sfb_msg_t *m, const unsigned char *data, size_t n,
    size_t max);
void sfb_msg_quote(sfb_msg_t *m, const sfb_str_t *s);
size_t sfb_msg_end(sfb_msg_t *m);


#endif /* SFB_GATE_IMPL_H */
