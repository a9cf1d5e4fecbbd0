/*
 * sf-backup-gate: storage secrets masked in what is read, left out of what
 * is recorded (sfb_mask.c).
 */

#ifndef SFB_MASK_H
#define SFB_MASK_H

#include <stddef.h>

#include <jansson.h>

#include "sfb_types.h"


/* The answer to a policy read with every secret masked: the AccountKey
 * and SharedAccessSignature values of a connection string, and FileShare
 * passwords, become "****"; printed by jansson, malloc()ed (free() it), or
 * NULL when the answer is not JSON (then nothing may be sent). */
char *sfb_mask_secrets(const unsigned char *in, size_t len, size_t *out_len);

/* b->storage, from a checked BackupStorageDescription */
void sfb_storage_summary(sfb_body_t *b, const char *kind, json_t *s);


#endif /* SFB_MASK_H */
