/*
 * sf-backup-gate: the pure core's shared vocabulary.
 *
 * Nothing in src/core includes nginx headers: the core works on byte
 * ranges and is exercised directly by the unit tests and the fuzzers.
 */

#ifndef SFB_CORE_H
#define SFB_CORE_H

#include <stddef.h>
#include <stdint.h>


/* The FabricError Codes the gateway writes (Service Fabric's names), once. */
#define SFB_E_INVALIDARG                     "E_INVALIDARG"
#define SFB_E_ACCESSDENIED                   "E_ACCESSDENIED"
#define SFB_E_FAIL                           "E_FAIL"
#define SFB_FABRIC_E_NAME_DOES_NOT_EXIST     "FABRIC_E_NAME_DOES_NOT_EXIST"
#define SFB_FABRIC_E_VALUE_TOO_LARGE         "FABRIC_E_VALUE_TOO_LARGE"
#define SFB_FABRIC_E_COMMUNICATION_ERROR     "FABRIC_E_COMMUNICATION_ERROR"
#define SFB_FABRIC_E_SERVICE_OFFLINE         "FABRIC_E_SERVICE_OFFLINE"
#define SFB_FABRIC_E_TIMEOUT                 "FABRIC_E_TIMEOUT"
#define SFB_FABRIC_E_INVALID_NAME_URI        "FABRIC_E_INVALID_NAME_URI"
#define SFB_FABRIC_E_PARTITION_NOT_FOUND     "FABRIC_E_PARTITION_NOT_FOUND"


typedef struct {
    const unsigned char  *data;
    size_t                len;
} sfb_str_t;

#define sfb_str_lit(s)  { (const unsigned char *) (s), sizeof(s) - 1 }


typedef enum {
    SFB_ENTITY_NONE = 0,
    SFB_ENTITY_PARTITION,
    SFB_ENTITY_SERVICE,
    SFB_ENTITY_APPLICATION,
    SFB_ENTITY_BACKUP_RESTORE,      /* the Backup Restore service itself */
    SFB_ENTITY_POLICY               /* a backup policy, by name */
} sfb_entity_e;


/*
 * Why a governed request was decided the way it was.  The names
 * (sfb_reason_name) are stable: they appear in the audit log, in
 * $sf_backup_reason and in metrics.  Keep the table in sfb_reason.c in the
 * same order.
 */
typedef enum {
    SFB_REASON_NONE = 0,            /* not decided (yet) */
    SFB_REASON_ALLOWED,             /* forwarded */
    SFB_REASON_METHOD_NOT_ALLOWED,  /* 405 */
    SFB_REASON_PATH_INVALID,
    SFB_REASON_PARTITION_ID_INVALID,
    SFB_REASON_ENTITY_NAME_INVALID,
    SFB_REASON_QUERY_MALFORMED,
    SFB_REASON_QUERY_PARAM_UNKNOWN,
    SFB_REASON_API_VERSION_MISSING,
    SFB_REASON_API_VERSION_REPEATED,
    SFB_REASON_API_VERSION_UNSUPPORTED,
    SFB_REASON_TIMEOUT_INVALID,
    SFB_REASON_TIMEOUT_REPEATED,
    SFB_REASON_TIMEOUT_OUT_OF_RANGE,
    SFB_REASON_CONTENT_TYPE_UNSUPPORTED,  /* 415 */
    SFB_REASON_CONTENT_TYPE_REPEATED,
    SFB_REASON_BODY_MISSING,
    SFB_REASON_BODY_TOO_LARGE,            /* 413 */
    SFB_REASON_BODY_INVALID_JSON,
    SFB_REASON_BODY_SCHEMA,
    SFB_REASON_POLICY_INVALID,
    SFB_REASON_POLICY_NOT_ALLOWED,        /* 403 */
    SFB_REASON_IDENTITY_MISSING,          /* 403 */
    SFB_REASON_BACKUP_RESTORE_CLOSED,     /* 403 */
    SFB_REASON_AUDIT_UNAVAILABLE,         /* 503, fail-closed audit */
    SFB_REASON_INTERNAL_ERROR,            /* 500, fail closed */
    SFB_REASON_CLIENT_CLOSED,             /* client went away first */
    SFB_REASON_CLIENT_TIMEOUT,            /* 408: client too slow */
    SFB_REASON_REQUEST_MALFORMED,         /* 400 from nginx, e.g. chunks */
    SFB_REASON_CLIENT_CERT_MISSING,       /* 400: certificate required */
    SFB_REASON_CLIENT_CERT_REJECTED,      /* 400: certificate not verified */
    SFB_REASON_REFUSED_BEFORE_GATE,       /* deny, auth_request, limit_req */
    SFB_REASON_QUERY_PARAM_REPEATED,
    SFB_REASON_QUERY_VALUE_INVALID,
    SFB_REASON_BODY_NOT_EMPTY,            /* a call that takes no body */
    SFB_REASON_OPERATION_NOT_ALLOWED,     /* 403 */
    SFB_REASON_OUT_OF_SCOPE,              /* 403: another team's entity */
    SFB_REASON_PARTITION_NOT_FOUND,       /* 404: the lookup found none */
    SFB_REASON_SCOPE_UNRESOLVED,          /* 503: the lookup failed */
    SFB_REASON_STORAGE_NOT_ALLOWED,       /* 403: not one of the caller's */
    SFB_REASON_POLICY_NOT_OWNED,          /* 403: create, update, delete */
    SFB_REASON_POLICY_NAME_MISMATCH,      /* 400: path and body disagree */
    SFB_REASON_SOURCE_OUT_OF_SCOPE,       /* 403: a restore's backup, a
                                             query's partition: another
                                             team's */
    SFB_REASON_OUTSIDE_SURFACE,           /* 403: sf_backup_passthrough off */
    SFB_REASON_INTERNAL_LOCATION,         /* 403: the lookup's location,
                                             asked from outside */
    SFB_REASON__COUNT,
    SFB_REASON_PENDING       /* not a reason: a host's step will answer
                                later (sfb_decide_run()) */
} sfb_reason_e;


typedef struct {
    const char  *name;      /* stable reason code, e.g. "policy_not_allowed" */
    int          status;    /* HTTP status the gate answers with; 0: forward */
    const char  *code;      /* FabricError Code; NULL: forward */
} sfb_reason_info_t;


const sfb_reason_info_t *sfb_reason_info(sfb_reason_e reason);
const char *sfb_reason_name(sfb_reason_e reason);
const char *sfb_entity_name(sfb_entity_e entity);


#endif /* SFB_CORE_H */
