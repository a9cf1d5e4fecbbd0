/*
 * sf-backup-gate: the types every step of the gate's core shares (a call's
 * route, target, query, body, request and decision, and the operator's
 * rules), and their limits.  No .c owns this header: it declares no
 * function, so that each step's header can declare that step's alone and
 * every arrow points down to here.
 *
 * Every function of the core works on byte ranges that are NOT
 * NUL-terminated and never reads past the given length.  Nothing allocates
 * except jansson while it parses or prints a body; results go into buffers
 * the caller owns, and these structs point into those buffers or into the
 * caller's input.
 */

#ifndef SFB_TYPES_H
#define SFB_TYPES_H

#include <stddef.h>
#include <stdint.h>

#include "sfb_core.h"


#define SFB_UUID_LEN         36

/* the defaults of sfb_rules_init(), which the glue starts from too */
#define SFB_API_VERSION_DEFAULT  "6.2-preview"   /* the REST reference's;
                                                   with 6.4, every call's
                                                   but SkipAutoRestore */
#define SFB_TIMEOUT_MIN          1               /* the REST contract: */
#define SFB_TIMEOUT_MAX          4294967295ULL   /* 1 to 2^32 - 1 seconds */
#define SFB_MAX_BODY_DEFAULT     4096
#define SFB_STORAGE_KEY_MAX  1024   /* longest storage key, with its NUL */

/* the canonical EnableBackup body around a name that needs no escaping */
#define SFB_BODY_HEAD  "{\"BackupPolicyName\":\""
#define SFB_BODY_TAIL  "\"}"

#define SFB_ENTITY_ID_MAX   1024    /* longest service/application id */
#define SFB_POLICY_NAME_MAX 256     /* longest policy name in a path */
#define SFB_QUOTE_MAX       128     /* request bytes quoted in a message */
#define SFB_DETAIL_SIZE     256     /* sfb_decision_t.detail, with its NUL */


typedef enum {
    SFB_PATH_OTHER = 0,             /* not ours: pass through untouched */
    SFB_PATH_GOVERNED,              /* an EnableBackup call or a look-alike */
    SFB_PATH_BACKUP_RESTORE         /* /BackupRestore/... */
} sfb_path_kind_e;


/* Operator settings, built once per location at configuration time. */
typedef struct {
    const sfb_str_t      *api_versions;     /* accepted api-version values;
                                               NULL: each call's own
                                               (sfb_route_api_versions()) */
    size_t                n_api_versions;   /* 0: every value is rejected */
    uint64_t              timeout_min;
    uint64_t              timeout_max;
    size_t                max_body;
    sfb_str_t             upstream_api_version;   /* len 0: client's value */
    unsigned              backup_restore_open:1;
    unsigned              closed:1;     /* refuse what is not the surface
                                           (sf_backup_passthrough off) */
} sfb_rules_t;


/*
 * What a caller may do: each call of the surface belongs to one operation;
 * clean and storage are permissions of their own for the dangerous forms of
 * an ordinary call (DisableBackup that deletes backups, a Backup or Restore
 * to or from storage the caller names).  The names are stable.
 */
typedef enum {
    SFB_OP_NONE = 0,
    SFB_OP_ENABLE,
    SFB_OP_DISABLE,
    SFB_OP_SUSPEND,
    SFB_OP_RESUME,
    SFB_OP_BACKUP,
    SFB_OP_RESTORE,
    SFB_OP_READ,
    SFB_OP_POLICY,
    SFB_OP_STORAGE_QUERY,
    SFB_OP_CLEAN,
    SFB_OP_STORAGE,
    SFB_OP__COUNT
} sfb_operation_e;

#define SFB_OP_BIT(op)     (1u << (op))
#define SFB_OPS_DEFAULT    (SFB_OP_BIT(SFB_OP_ENABLE) | SFB_OP_BIT(SFB_OP_READ))


/* what a call's body must be */
typedef enum {
    SFB_BODY_NONE = 0,      /* empty (the clients send Content-Length: 0) */
    SFB_BODY_ENABLE,        /* {"BackupPolicyName": string} */
    SFB_BODY_DISABLE,       /* empty, or {"CleanBackup": bool} */
    SFB_BODY_BACKUP,        /* empty, or {"BackupStorage": storage} */
    SFB_BODY_RESTORE,       /* {"BackupId", "BackupLocation",
                               "BackupStorage"?} */
    SFB_BODY_POLICY,        /* BackupPolicyDescription */
    SFB_BODY_STORAGE_QUERY  /* GetBackupByStorageQueryDescription */
} sfb_body_kind_e;


#define SFB_METHOD_GET   1
#define SFB_METHOD_POST  2

/* query parameters a call takes besides api-version and timeout; a bit's
 * index is the parameter's in sfb_query_t's value[] and number[] */
#define SFB_QI_LATEST          2
#define SFB_Q_BACKUP_TIMEOUT   0x01
#define SFB_Q_RESTORE_TIMEOUT  0x02
#define SFB_Q_LATEST           (1u << SFB_QI_LATEST)
#define SFB_Q_START            0x08
#define SFB_Q_END              0x10
#define SFB_Q_CONTINUATION     0x20
#define SFB_Q_MAX_RESULTS      0x40
#define SFB_Q_VALIDATE         0x80    /* ValidateConnection (8.0) */

#define SFB_ENTITY_BIT(e)  (1u << (e))

/* the entities a backup is of: partition, service, application */
#define SFB_ENTITIES                                                          \
    (SFB_ENTITY_BIT(SFB_ENTITY_PARTITION)                                     \
     | SFB_ENTITY_BIT(SFB_ENTITY_SERVICE)                                     \
     | SFB_ENTITY_BIT(SFB_ENTITY_APPLICATION))


/*
 * The api-version values Service Fabric's specification declares for a
 * call: the backup surface 6.2-preview (the 6.2 and 6.3 specifications)
 * and 6.4 (6.4 through 9.1); SkipAutoRestore, new in 9.1, 9.1.
 */
typedef enum {
    SFB_API_6_4 = 0,
    SFB_API_9_1
} sfb_api_e;


/* One call of the surface: a row of sfb_routes[] (sfb_route.c). */
typedef struct {
    const char           *action;       /* after "/$/", as forwarded; NULL:
                                           none (a policy read) */
    const char           *match;        /* the same, lowercase */
    const char           *name;         /* the call, in messages */
    unsigned              entities;     /* SFB_ENTITY_BIT()s */
    unsigned              named:1;      /* an id in the path (a policy's
                                           name; always for entities) */
    unsigned              masks:1;      /* its answers carry secrets */
    unsigned              method;       /* SFB_METHOD_* */
    unsigned              query;        /* SFB_Q_* at every level */
    unsigned              query_named;  /* SFB_Q_* for services, apps */
    sfb_body_kind_e       body;
    sfb_operation_e       operation;
    sfb_api_e             api;          /* its api-versions by default */
} sfb_route_t;


typedef struct {
    sfb_entity_e          entity;   /* NONE unless governed */
    sfb_reason_e          reason;   /* NONE: path and id are valid */
    const unsigned char  *id;       /* canonical id, in the caller's buf */
    size_t                id_len;
    const sfb_route_t    *route;    /* NULL: no call of the surface */
} sfb_target_t;


/* the ranges are the specification's types: BackupTimeout and
 * RestoreTimeout an int32 of minutes (at least 1), MaxResults an int64 (at
 * least 0); a ContinuationToken any non-empty string */
#define SFB_QPARAMS            8       /* the SFB_Q_* bits */
#define SFB_OP_TIMEOUT_MAX     2147483647
#define SFB_MAX_RESULTS_MAX    9223372036854775807ULL


typedef struct {
    sfb_str_t             api_version;  /* decoded, valid only if accepted */
    int                   has_timeout;
    uint64_t              timeout;      /* valid only if has_timeout */
    unsigned              has;          /* SFB_Q_* given and valid */
    sfb_str_t             value[SFB_QPARAMS];   /* decoded, by bit index */
    uint64_t              number[SFB_QPARAMS];  /* the integer ones */
    sfb_str_t             bad;          /* offending piece, name or value,
                                           for sfb_describe() */
} sfb_query_t;


#define SFB_STORAGE_VALUE_MAX  2048    /* any string of a body but names */
#define SFB_SUMMARY_MAX        512     /* sfb_body_t.storage */
#define SFB_LOCATION_MAX       1024    /* a restore's BackupLocation */
#define SFB_ID_SIZE            37      /* a UUID and its NUL */


typedef struct {
    const unsigned char  *policy;   /* BackupPolicyName, in sfb_parse_body()'s
                                       buf; never contains NUL */
    size_t                policy_len;
    int                   clean;    /* DisableBackup's CleanBackup; -1: none */
    int                   has_storage;  /* a BackupStorage the caller named */
    sfb_str_t             canonical;    /* sfb_parse_body_for(): what to
                                           forward, in its buf; len 0: empty */
    size_t                name_len;     /* a policy body's Name, whole */
    char                  storage[SFB_SUMMARY_MAX];  /* where the data goes
                                           or comes from, no secret: "" or
                                           e.g. "AzureBlobStore account=a
                                           container=c"; NUL-ended */
    char                  storage_key[SFB_STORAGE_KEY_MAX];  /* the same
                                           place as sfb_storage_key() names
                                           it, compared with the caller's
                                           storages; "" if none */
    char                  name[SFB_POLICY_NAME_MAX + 1];  /* its first
                                           SFB_POLICY_NAME_MAX bytes */
    char                  backup_id[SFB_ID_SIZE];   /* a restore's, lower */
    char                  source[SFB_ID_SIZE];      /* its BackupLocation's
                                           partition, lowercase */
    char                  location[SFB_LOCATION_MAX + 1];  /* BackupLocation,
                                           checked: printable ASCII */
    size_t                source_app;       /* its first segment's length */
    size_t                source_service;   /* its second's */
    char                  partition[SFB_ID_SIZE];   /* a storage query's
                                           BackupEntity PartitionId */
} sfb_body_t;


typedef struct {
    sfb_str_t             method;
    sfb_str_t             uri;          /* decoded, normalised, no args */
    sfb_str_t             args;         /* raw query string, no '?' */
    sfb_str_t             content_type;
    size_t                content_type_count;   /* Content-Type headers */
    sfb_str_t             body;
    const sfb_str_t      *allowed;      /* policies this caller may use */
    size_t                n_allowed;
    sfb_str_t             identity;     /* caller, for messages and audit */
    unsigned              operations;   /* SFB_OP_BIT()s granted; 0: the
                                           default, SFB_OPS_DEFAULT */
    int64_t               content_length;   /* declared; -1: none */
    sfb_path_kind_e       noted_kind;   /* with noted: the path matched */
    const sfb_target_t   *noted;        /* already (nginx's post-read phase);
                                           NULL: sfb_decide_run() matches */
} sfb_request_t;


/*
 * Everything known about one governed request, as sfb_decide_run() fills
 * it step by step; sfb_describe() words the answer from it.
 */
typedef struct {
    sfb_path_kind_e       kind;
    sfb_reason_e          reason;
    sfb_target_t          target;       /* entity, id */
    sfb_query_t           query;
    sfb_str_t             method;
    sfb_str_t             identity;
    sfb_operation_e       operation;    /* the call's, or the one refused */
    unsigned              step;         /* sfb_decide_run()'s, to resume */
    unsigned              granted;      /* SFB_OP_BIT()s the caller has */
    sfb_str_t             canonical_path;
    sfb_str_t             canonical_query;
    sfb_str_t             canonical_body;
    sfb_str_t             entity_name;  /* the name scope was checked on:
                                           from the id, the cluster or a
                                           storage query's body */
    /* last, its text arrays at the end: sfb_decision_init() clears what
     * comes before them and empties them */
    sfb_body_t            body;         /* policy */
    char                  detail[SFB_DETAIL_SIZE];  /* body error, NUL-ended */
} sfb_decision_t;


#endif /* SFB_TYPES_H */
