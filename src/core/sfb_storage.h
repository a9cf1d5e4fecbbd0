/*
 * sf-backup-gate: which storage a description names, where a restore reads
 * from, and what of a listing a caller may see.
 *
 * A storage is reduced to one canonical string, its key, read the way Azure
 * Storage and Windows read the description; whatever two readers could
 * take for two different places is refused rather than guessed at.  Keys
 * compare byte for byte: a variant spelling of a place gives another key
 * (or is refused), so a comparison can only fail closed.
 */

#ifndef SFB_STORAGE_H
#define SFB_STORAGE_H

#include <jansson.h>

#include "sfb_types.h"




/*
 * Where a storage's data lives, as one canonical string (the "key"); two
 * storages are the same storage iff their keys are byte-equal.  Forms:
 *   https://<host>/<container>   an Azure blob container (AzureBlobStore,
 *                                ManagedIdentityAzureBlobStore); also http://
 *                                when the description says so
 *   file://<server>/<share>[/<dir>...]   the file share \\server\share\dir
 *   dsms:<location>#<container>  a DsmsAzureBlobStore
 * A key never contains a secret (AccountKey, SharedAccessSignature,
 * passwords).
 */

/* The key of a BackupStorageDescription as a jansson object (StorageKind
 * and members as the schema checked them: strings present where required).
 * Returns the key's length (NUL-terminated in key), or 0 when the
 * description cannot be trusted to name one place; then why holds one
 * NUL-ended sentence naming the member and the rule broken, never a value
 * (e.g. "member 'ConnectionString': key 'AccountName' is given twice"). */
size_t sfb_storage_key(const json_t *storage, char *key, size_t size,
    char *why, size_t why_size);

/* The key of an operator's storage entry (configuration syntax: a key as
 * above, written out); 0 and why (this one MAY quote the entry: it is
 * configuration) if it is malformed.  An accepted entry is its own key. */
size_t sfb_storage_entry_key(const unsigned char *entry, size_t len,
    char *key, size_t size, char *why, size_t why_size);


typedef struct {
    sfb_str_t   app;        /* first segment, in the caller's input */
    sfb_str_t   service;    /* second segment */
    char        partition[SFB_ID_SIZE];  /* the partition id, lowercase,
                                            NUL-ended */
    sfb_str_t   file;       /* last segment */
} sfb_backup_location_t;


/* A restore's BackupLocation: exactly <app>\<service>\<partition uuid>\<file>
 * (Service Fabric's layout, see the reference).  1 and loc filled, or 0 and
 * why (never quoting the value). */
int sfb_backup_location(const unsigned char *p, size_t len,
    sfb_backup_location_t *loc, char *why, size_t why_size);

/* Whether loc's first two segments are the first two path segments of the
 * service name "fabric:/A/B[/...]" (scheme in any case, segments byte for
 * byte); 0 if the name has fewer than two segments or is invalid. */
int sfb_backup_location_of(const sfb_backup_location_t *loc,
    const unsigned char *service, size_t len);

/* The same for a name already found valid (sfb_scope_name_valid(), as
 * sfb_scope_covers() checks it): only the two segments are compared. */
int sfb_backup_location_of_valid(const sfb_backup_location_t *loc,
    const unsigned char *service, size_t len);


/* A GetBackupPolicyList answer ({"ContinuationToken":..,"Items":[policy..]})
 * with only the Items whose "Name" equals one of names[] byte for byte; every
 * other member kept as it was, order kept; printed by jansson
 * (JSON_COMPACT | JSON_ENSURE_ASCII), malloc()ed (caller free()s), *out_len
 * set; NULL if in is not such a JSON object (the caller then sends nothing). */
char *sfb_filter_policy_list(const unsigned char *in, size_t len,
    const sfb_str_t *names, size_t n, size_t *out_len);

/* A GetBackupEnabledEntities answer (same paging shape, Items are
 * BackupEntity objects: {"EntityKind":"Application","ApplicationName":..} or
 * "Service"/"Partition" with "ServiceName") with only the entities whose
 * name (ApplicationName for Application, ServiceName otherwise) one of the
 * scope names covers (sfb_scope_covers()); n == 0 keeps none; NULL as above
 * (an item without a usable name is dropped, not an error). */
char *sfb_filter_entity_list(const unsigned char *in, size_t len,
    const sfb_str_t *scope, size_t n, size_t *out_len);


#endif /* SFB_STORAGE_H */
