/*
 * sf-backup-gate: the words of the gate's FabricErrors (sfb_message.c), and
 * the one-pass message builder every step writes with.
 */

#ifndef SFB_MESSAGE_H
#define SFB_MESSAGE_H

#include <stddef.h>

#include "sfb_types.h"


/* Counts the full length and writes what fits, so that one pass both sizes
 * and fills a message. */
typedef struct {
    char                 *out;
    size_t                size;
    size_t                len;
} sfb_msg_t;

/* the builder: sfb_msg_end() NUL-terminates and returns the full length */
void sfb_msg_init(sfb_msg_t *m, char *out, size_t size);
void sfb_msg_add(sfb_msg_t *m, const char *data, size_t n);
void sfb_msg_str(sfb_msg_t *m, const char *s);
void sfb_msg_u64(sfb_msg_t *m, uint64_t v);
void sfb_msg_safe(sfb_msg_t *m, const unsigned char *data, size_t n,
    size_t max);
void sfb_msg_quote(sfb_msg_t *m, const sfb_str_t *s);
size_t sfb_msg_end(sfb_msg_t *m);

/* Words the FabricError Message for reason: sanitised, NUL-terminated,
 * truncated like snprintf; returns the full length without the NUL. */
size_t sfb_describe(sfb_reason_e reason, const sfb_decision_t *d,
    const sfb_rules_t *rules, char *out, size_t size);


#endif /* SFB_MESSAGE_H */
