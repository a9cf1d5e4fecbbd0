/*
 * sf-backup-gate: what the body checker (sfb_schema.c) and the bodies it
 * checks, as data (sfb_schema_tables.c), share; nobody else includes it.
 */

#ifndef SFB_SCHEMA_IMPL_H
#define SFB_SCHEMA_IMPL_H

#include "sfb_types.h"


typedef enum {
    SFB_M_STRING = 0,
    SFB_M_SECRET,           /* a string never quoted, summarised or logged */
    SFB_M_BOOL,
    SFB_M_UUID,
    SFB_M_BYTE,             /* an integer 0..255, or one written as a
                               string, as the reference's examples do */
    SFB_M_COUNT,            /* the same, 0..2^31-1 */
    SFB_M_DATE_TIME,        /* ISO 8601 date-time */
    SFB_M_DURATION,         /* ISO 8601 duration: P[nD][T[nH][nM][nS]] */
    SFB_M_DAYS,             /* an array of day names */
    SFB_M_TIMES,            /* an array of date-times, at least one */
    SFB_M_NAME,             /* a Service Fabric name, fabric:/... */
    SFB_M_POLICY_NAME,      /* a backup policy's (sfb_policy_name_valid()) */
    SFB_M_TEXT,             /* any string, "" too (a FriendlyName) */
    SFB_M_ENUM,             /* one of the member's values, as spelled */
    SFB_M_LOCATION,         /* a restore's BackupLocation */
    SFB_M_VARIANT           /* an object whose kind member picks its shape */
} sfb_member_type_e;


typedef struct sfb_variant_s  sfb_variant_t;

/* the words a string may be: an enum's values, the days of a week */
typedef struct {
    const char *const     *names;
    size_t                 n;
} sfb_words_t;

typedef struct {
    const char            *name;
    sfb_member_type_e      type;
    unsigned               required:1;
    union {
        const sfb_variant_t  *variant;  /* SFB_M_VARIANT */
        const sfb_words_t    *values;   /* SFB_M_ENUM */
    } of;
} sfb_member_t;

typedef struct {
    const char            *kind;
    const sfb_member_t    *members;
    size_t                 n;
} sfb_shape_t;

struct sfb_variant_s {
    const char            *kind_member;     /* "StorageKind", ... */
    const sfb_member_t    *common;          /* after it in every shape */
    const sfb_shape_t     *shapes;
    size_t                 n;
    unsigned               storage:1;       /* a BackupStorageDescription */
};


#define SFB_N(a)  (sizeof(a) / sizeof((a)[0]))


/* The members of a call's body of kind, *n of them; NULL for a call that
 * takes none (or EnableBackup's, which sfb_body.c reads). */
const sfb_member_t *sfb_body_members(sfb_body_kind_e kind, size_t *n);


#endif /* SFB_SCHEMA_IMPL_H */
