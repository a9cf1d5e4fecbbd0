/*
 * sf-backup-gate: team scope, the pure part.
 *
 * A scope is a list of application names ("fabric:/TeamA"); a name covers
 * itself and every name below it at a segment boundary.  Names are
 * compared as Service Fabric compares them: the scheme "fabric:" in any
 * letter case, the path after it byte for byte (case-sensitive, ordinal),
 * segment by segment.  Service and application calls are checked from the
 * id in their path; a partition's service comes from the cluster's
 * GetServiceName answer, read here.
 */

#ifndef SFB_SCOPE_H
#define SFB_SCOPE_H

#include "sfb_core.h"
#include "sfb_types.h"


/* the longest name: "fabric:/" and the longest id, '~' become '/' */
#define SFB_SCOPE_NAME_MAX  (sizeof("fabric:/") - 1 + SFB_ENTITY_ID_MAX)


typedef enum {
    SFB_LOOKUP_OK = 0,          /* a service name, in the caller's buffer */
    SFB_LOOKUP_NOT_FOUND,       /* 404 FABRIC_E_PARTITION_NOT_FOUND */
    SFB_LOOKUP_UNREADABLE       /* any other answer: fail closed */
} sfb_lookup_e;


/* Whether name (len bytes) is a valid Service Fabric name for a scope:
 * "fabric:/" (scheme in any case) then one or more non-empty segments of
 * printable ASCII other than '/', '\\', '?', '#', '"', ',', '%', ' ', none
 * of them "." or "..", no trailing '/'; at most SFB_SCOPE_NAME_MAX bytes.
 * A name in a body is held to the same rule. */
int sfb_scope_name_valid(const unsigned char *name, size_t len);

/* "fabric:/TeamA/Orders" from the canonical id "TeamA~Orders" (out needs
 * len + 8 bytes); returns the length written, 0 if it does not fit. */
size_t sfb_scope_name_from_id(const unsigned char *id, size_t len,
    unsigned char *out, size_t size);

/* Whether one of the n scope names covers name: equal to it, or a prefix
 * of it ending where one of its segments ends.  Invalid names (either
 * side) cover nothing; n == 0 covers nothing (fail closed). */
int sfb_scope_covers(const unsigned char *name, size_t len,
    const sfb_str_t *scope, size_t n);

/* The entity a storage query's body names (GetBackupByStorageQuery-
 * Description, as the gate forwards it): BackupEntity's ApplicationName,
 * or its ServiceName (for a service or a partition) into out; the length,
 * 0 if there is none or it does not fit. */
size_t sfb_scope_query_entity(const unsigned char *body, size_t len,
    unsigned char *out, size_t size);

/* Reads a GetServiceName answer of the given HTTP status: 200 with
 * {"Id": ..., "Name": "fabric:/..."} gives OK and the name in out (at most
 * SFB_SCOPE_NAME_MAX bytes, *out_len); 404 with a FabricError whose Code is
 * FABRIC_E_PARTITION_NOT_FOUND gives NOT_FOUND; anything else, UNREADABLE,
 * and a sanitised NUL-ended reason in detail (never the answer's bytes). */
sfb_lookup_e sfb_scope_read_answer(int status, const unsigned char *body,
    size_t len, unsigned char *out, size_t size, size_t *out_len,
    char *detail, size_t detail_size);


#endif /* SFB_SCOPE_H */
