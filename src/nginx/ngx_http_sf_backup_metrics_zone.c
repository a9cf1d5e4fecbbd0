/*
 * sf-backup-gate: the metrics zone, found, and the names of its labels:
 * what the file that counts (ngx_http_sf_backup_metrics.c) and the one
 * that serves (ngx_http_sf_backup_metrics_text.c) share.
 */

#include "ngx_http_sf_backup_metrics_zone.h"


/* FabricError Codes the gateway writes; the last slot counts the others. */
const char  *ngx_http_sf_backup_metrics_codes[] = {
    SFB_E_INVALIDARG,
    SFB_E_ACCESSDENIED,
    SFB_E_FAIL,
    SFB_FABRIC_E_NAME_DOES_NOT_EXIST,
    SFB_FABRIC_E_VALUE_TOO_LARGE,
    SFB_FABRIC_E_COMMUNICATION_ERROR,
    SFB_FABRIC_E_SERVICE_OFFLINE,
    SFB_FABRIC_E_TIMEOUT,
    SFB_FABRIC_E_INVALID_NAME_URI,
    "other"
};


/* upper bounds of the latency buckets, in milliseconds */
const ngx_msec_t  ngx_http_sf_backup_metrics_bounds[] = {
    5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, (ngx_msec_t) -1
};

const char  *ngx_http_sf_backup_metrics_le[] = {
    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5",
    "10", "+Inf"
};

const char  *ngx_http_sf_backup_metrics_entities[] = {
    "none", "partition", "service", "application", "backup_restore",
    "policy"
};

const char  *ngx_http_sf_backup_metrics_decisions[] = {
    "none", "allow", "deny", "report"
};


ngx_http_sf_backup_metrics_shm_t *
ngx_http_sf_backup_metrics_shm(void)
{
    ngx_http_sf_backup_metrics_main_conf_t  *mmcf;

    if (ngx_cycle->conf_ctx == NULL) {
        return NULL;
    }

    mmcf = ngx_http_cycle_get_module_main_conf(ngx_cycle,
                                          ngx_http_sf_backup_metrics_module);

    return mmcf ? mmcf->shm : NULL;
}
