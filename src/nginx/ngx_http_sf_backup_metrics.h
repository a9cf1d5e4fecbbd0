/*
 * sf-backup-gate: what the other glue files tell the metrics module.
 * Each call is a no-op unless sf_backup_metrics_zone is configured.
 */

#ifndef NGX_HTTP_SF_BACKUP_METRICS_H
#define NGX_HTTP_SF_BACKUP_METRICS_H


#include "ngx_http_sf_backup_metrics_zone.h"


/* an error answer of the cluster (or of nginx) rewritten into a
 * FabricError with this Code */
void ngx_http_sf_backup_metrics_rewrite(const char *code);

/* a FabricError answer the gate made itself, with this Code */
void ngx_http_sf_backup_metrics_answer(const char *code);

/* team scope: a partition's service found in the cache (or by waiting
 * for another request's lookup), asked of the cluster, or not found or
 * not resolved by that lookup (NGX_HTTP_SF_BACKUP_M_SCOPE_*) */
void ngx_http_sf_backup_metrics_scope(ngx_uint_t what);

/* audit records written, and records that could not be written */
void ngx_http_sf_backup_metrics_audit(ngx_uint_t written, ngx_uint_t failed);

/* the seal state file could not be moved on to a new epoch */
void ngx_http_sf_backup_metrics_seal_save_failed(void);


#endif /* NGX_HTTP_SF_BACKUP_METRICS_H */
