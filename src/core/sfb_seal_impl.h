/*
 * sf-backup-gate: what sealing's files share among themselves (the API is
 * sfb_seal.h):
 *
 *   sfb_seal_keys.c   the keys: epochs, derivation, chains re-keyed
 *   sfb_seal_text.c   the state file's and the verification key's text
 *   sfb_seal_file.c   the files: made, opened, read, updated in place
 */

#ifndef SFB_SEAL_IMPL_H
#define SFB_SEAL_IMPL_H

#include "sfb_seal.h"


#define SFB_SEAL_HEAD_V1    "sf-backup-gate seal state v1\n"
#define SFB_SEAL_HEAD_V2    "sf-backup-gate seal state v2\n"
#define SFB_SEAL_VKEY       "sfb-seal-v1-"

#define SFB_SEAL_DIGITS     20          /* a v2 number, zero-padded */
#define SFB_SEAL_SUMMED     120         /* a slot's bytes before " sum " */
#define SFB_SEAL_SUM_LEN    32          /* SHA-256 */
#define SFB_SEAL_START_MAX  INT64_C(253402300799)  /* 9999-12-31 */


/* A state file as read: the current state, and where it lies. */
typedef struct {
    sfb_seal_t  s;
    uint64_t    seq;                    /* 0: read from v1 */
    int         slot;                   /* 0 or 1 */
    unsigned    torn:1;                 /* the other slot differs */
    unsigned    v1:1;
} sfb_seal_file_t;


/* sfb_seal_text.c */
int sfb_seal_file_parse(sfb_seal_file_t *f, const unsigned char *text,
    size_t len, char *err, size_t errlen);
int sfb_seal_head_text(const sfb_seal_t *s, char *out);
int sfb_seal_slot_text(const sfb_seal_t *s, uint64_t seq, const char *head,
    char *out);
int sfb_seal_check(const sfb_seal_t *s, char *err, size_t errlen);


#endif /* SFB_SEAL_IMPL_H */
