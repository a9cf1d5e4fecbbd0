/*
 * sf-backup-gate: the policy gate's pure core.
 *
 * Every function works on byte ranges that are NOT NUL-terminated and never
 * reads past the given length.  Nothing here allocates except jansson while
 * it parses or prints a body; results go into buffers the caller owns (the
 * nginx glue passes request pool memory), and the structs below point into
 * those buffers or into the caller's input.
 *
 * The glue runs the steps one by one: sfb_match_path(), sfb_parse_query()
 * and sfb_check_content_type() before the body is read, sfb_parse_body() and
 * sfb_check_policy() after it; sfb_decide() is exactly those steps in order,
 * for the unit tests, the fuzzers and the benchmark.
 */

#ifndef SFB_GATE_H
#define SFB_GATE_H

#include "sfb_core.h"
#include "sfb_storage.h"


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
    const sfb_str_t      *api_versions;     /* accepted api-version values */
    size_t                n_api_versions;   /* 0: every value is rejected */
    uint64_t              timeout_min;
    uint64_t              timeout_max;
    size_t                max_body;
    sfb_str_t             upstream_api_version;   /* len 0: client's value */
    unsigned              backup_restore_open:1;
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

/* query parameters a call takes besides api-version and timeout */
#define SFB_Q_BACKUP_TIMEOUT   0x01
#define SFB_Q_RESTORE_TIMEOUT  0x02
#define SFB_Q_LATEST           0x04
#define SFB_Q_START            0x08
#define SFB_Q_END              0x10
#define SFB_Q_CONTINUATION     0x20
#define SFB_Q_MAX_RESULTS      0x40

#define SFB_ENTITY_BIT(e)  (1u << (e))


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
} sfb_route_t;


typedef struct {
    sfb_entity_e          entity;   /* NONE unless governed */
    sfb_reason_e          reason;   /* NONE: path and id are valid */
    const unsigned char  *id;       /* canonical id, in the caller's buf */
    size_t                id_len;
    const sfb_route_t    *route;    /* NULL: no call of the surface */
} sfb_target_t;


#define SFB_QPARAMS            7       /* the SFB_Q_* bits */
#define SFB_OP_TIMEOUT_MAX     1440    /* BackupTimeout, RestoreTimeout */
#define SFB_MAX_RESULTS_MAX    2147483647
#define SFB_TOKEN_MAX          1024    /* ContinuationToken */


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
} sfb_request_t;


/*
 * Everything known about one governed request.  sfb_decide() fills it all;
 * the glue fills the same fields step by step so that sfb_describe() can
 * word the answer.
 */
typedef struct {
    sfb_path_kind_e       kind;
    sfb_reason_e          reason;
    sfb_target_t          target;       /* entity, id */
    sfb_query_t           query;
    sfb_str_t             method;
    sfb_str_t             identity;
    sfb_operation_e       operation;    /* the call's, or the one refused */
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


/* Sets the documented defaults: api-version 6.2-preview, timeout 1..2^32-1,
 * max_body 4096, upstream api-version from the client, BackupRestore closed. */
void sfb_rules_init(sfb_rules_t *rules);

/* Empties a decision: kind OTHER, reason NONE, every range empty. */
void sfb_decision_init(sfb_decision_t *d);

/* The stable name of an operation ("enable", ..., "storage"); "" for NONE. */
const char *sfb_operation_name(sfb_operation_e op);

/* The operation called name (len bytes), or SFB_OP_NONE. */
sfb_operation_e sfb_operation_by_name(const unsigned char *name, size_t len);

/* The route of a call that does EnableBackup (the seed's call). */
const sfb_route_t *sfb_route_enable(void);

/* Whether the method (e.g. "POST") is the route's; NULL route: POST. */
int sfb_method_allowed(const sfb_route_t *route, const unsigned char *method,
    size_t len);

/* "GET" or "POST": what the route takes (an Allow header's value). */
const char *sfb_route_method(const sfb_route_t *route);

/* The SFB_Q_* parameters the route takes at this entity level. */
unsigned sfb_route_params(const sfb_route_t *route, sfb_entity_e entity);

/* Whether the route's body may not be empty (and so needs JSON). */
int sfb_body_required(const sfb_route_t *route);

/* Classifies a decoded URI path; for GOVERNED, writes the canonical id into
 * buf (size >= len always suffices) and sets t->reason. */
sfb_path_kind_e sfb_match_path(const unsigned char *uri, size_t len,
    sfb_target_t *t, unsigned char *buf, size_t size);

/* The same without the shortcut for /Partitions/<uuid>/$/EnableBackup: the
 * reference that the tests hold sfb_match_path() equal to. */
sfb_path_kind_e sfb_match_path_slow(const unsigned char *uri, size_t len,
    sfb_target_t *t, unsigned char *buf, size_t size);

/* Validates the raw query string of EnableBackup; decoded values go into
 * buf (size >= len always suffices).  SFB_REASON_NONE when acceptable. */
sfb_reason_e sfb_parse_query(const sfb_rules_t *rules,
    const unsigned char *args, size_t len, sfb_query_t *q,
    unsigned char *buf, size_t size);

/* The same for a call that also takes the SFB_Q_* parameters in params,
 * each at most once and typed. */
sfb_reason_e sfb_parse_query_for(const sfb_rules_t *rules, unsigned params,
    const unsigned char *args, size_t len, sfb_query_t *q,
    unsigned char *buf, size_t size);

/* The name of the parameter with bit index i ("BackupTimeout", ...). */
const char *sfb_query_param_name(size_t i);

/* Accepts "application/json" with at most "; charset=utf-8": NONE or
 * SFB_REASON_CONTENT_TYPE_UNSUPPORTED. */
sfb_reason_e sfb_check_content_type(const unsigned char *v, size_t len);

/* Parses {"BackupPolicyName":"..."}; the name goes into buf (size >= len
 * always suffices), a sanitised NUL-terminated explanation into detail. */
sfb_reason_e sfb_parse_body(const sfb_rules_t *rules,
    const unsigned char *body, size_t len, sfb_body_t *b,
    unsigned char *buf, size_t size, char *detail, size_t detail_size);

/* The same, always through jansson (sfb_parse_body() takes a shortcut for a
 * body already in canonical form; the tests hold the two equal). */
sfb_reason_e sfb_parse_body_json(const sfb_rules_t *rules,
    const unsigned char *body, size_t len, sfb_body_t *b,
    unsigned char *buf, size_t size, char *detail, size_t detail_size);

/* The body of a call of kind: validated against its schema and written in
 * canonical form (jansson, members in schema order) into buf, which needs
 * SFB_CANONICAL_JSON_MAX(len) bytes; EnableBackup's as sfb_parse_body().
 * detail never quotes a value of the body, only member names. */
sfb_reason_e sfb_parse_body_for(const sfb_rules_t *rules,
    sfb_body_kind_e kind, const unsigned char *body, size_t len,
    sfb_body_t *b, unsigned char *buf, size_t size, char *detail,
    size_t detail_size);

#define SFB_CANONICAL_JSON_MAX(len)  (3 * (len) + 64)

/* Whether granted (SFB_OP_BIT()s) covers the call and, once its body is
 * known (b not NULL), the clean and storage forms; *op: the operation
 * refused.  SFB_REASON_NONE or SFB_REASON_OPERATION_NOT_ALLOWED. */
sfb_reason_e sfb_check_operation(const sfb_route_t *route,
    const sfb_body_t *b, unsigned granted, sfb_operation_e *op);

/* The answer to a policy read with every secret masked: the AccountKey
 * and SharedAccessSignature values of a connection string, and FileShare
 * passwords, become "****"; printed by jansson, malloc()ed (free() it), or
 * NULL when the answer is not JSON (then nothing may be sent). */
char *sfb_mask_secrets(const unsigned char *in, size_t len, size_t *out_len);

/* Exact byte match against the caller's allowed list; an empty list denies:
 * SFB_REASON_ALLOWED, POLICY_NOT_ALLOWED or POLICY_INVALID (empty name). */
sfb_reason_e sfb_check_policy(const unsigned char *policy, size_t len,
    const sfb_str_t *allowed, size_t n);

/* Writes "/Partitions/<id>/$/EnableBackup" (or Services, Applications);
 * returns the length needed, writes nothing if it exceeds size, 0 if t has
 * no entity. */
size_t sfb_canonical_path(const sfb_target_t *t, unsigned char *out,
    size_t size);

/* Writes "api-version=<v>[&timeout=<n>]", <v> percent-encoded; returns the
 * length needed, writes nothing if it exceeds size. */
size_t sfb_canonical_query(const sfb_rules_t *rules, const sfb_query_t *q,
    unsigned char *out, size_t size);

/* Writes {"BackupPolicyName":"<name>"} via jansson, ASCII only; returns the
 * length needed, writes nothing if it exceeds size, 0 if the name is not
 * valid UTF-8 or jansson fails. */
size_t sfb_canonical_body(const unsigned char *policy, size_t len,
    unsigned char *out, size_t size);

/* The same, always through jansson (sfb_canonical_body() takes a shortcut
 * for names that need no escaping; the tests hold the two equal). */
size_t sfb_canonical_body_json(const unsigned char *policy, size_t len,
    unsigned char *out, size_t size);

/* Enough room for any canonical body of a name of len bytes. */
#define SFB_CANONICAL_BODY_MAX(len)  (6 * (len) + 32)

/* Words the FabricError Message for reason: sanitised, NUL-terminated,
 * truncated like snprintf; returns the full length without the NUL. */
size_t sfb_describe(sfb_reason_e reason, const sfb_decision_t *d,
    const sfb_rules_t *rules, char *out, size_t size);

/* An upper bound of the scratch bytes sfb_decide() needs for req. */
size_t sfb_decide_scratch_size(const sfb_rules_t *rules,
    const sfb_request_t *req);

/* Runs every step in order and fills d; SFB_REASON_NONE if not governed
 * (or BackupRestore while open), SFB_REASON_ALLOWED if forwarded. */
sfb_reason_e sfb_decide(const sfb_rules_t *rules, const sfb_request_t *req,
    sfb_decision_t *d, unsigned char *scratch, size_t scratch_size);


#endif /* SFB_GATE_H */
