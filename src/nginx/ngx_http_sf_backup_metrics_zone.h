/*
 * sf-backup-gate: the metrics zone's layout (ngx_http_sf_backup_metrics_zone.c
 * finds it), shared by the file that counts into it
 * (ngx_http_sf_backup_metrics.c) and the one that serves it
 * (ngx_http_sf_backup_metrics_text.c); nothing else includes it.
 */

#ifndef NGX_HTTP_SF_BACKUP_METRICS_ZONE_H
#define NGX_HTTP_SF_BACKUP_METRICS_ZONE_H


#include "ngx_http_sf_backup_common.h"


/* FabricError Codes counted by name (the last, "other", counts the rest) */
#define NGX_HTTP_SF_BACKUP_M_CODES  10

/* what a scope lookup came to (ngx_http_sf_backup_metrics_scope()) */
#define NGX_HTTP_SF_BACKUP_M_SCOPE_HIT        0
#define NGX_HTTP_SF_BACKUP_M_SCOPE_MISS       1
#define NGX_HTTP_SF_BACKUP_M_SCOPE_NOT_FOUND  2
#define NGX_HTTP_SF_BACKUP_M_SCOPE_FAILED     3
#define NGX_HTTP_SF_BACKUP_M_SCOPE_N          4


#define NGX_HTTP_SF_BACKUP_M_ENTITIES   6   /* none, 3 entities, the
                                               service, a policy */
#define NGX_HTTP_SF_BACKUP_M_DECISIONS  4
#define NGX_HTTP_SF_BACKUP_M_BUCKETS    12

/* named team slots, and the longest team name kept */
#define NGX_HTTP_SF_BACKUP_M_TEAMS      16
#define NGX_HTTP_SF_BACKUP_M_TEAM_LEN   64

/* slots before the named ones: an empty value, and values beyond the rest */
#define NGX_HTTP_SF_BACKUP_M_TEAM_NONE  0
#define NGX_HTTP_SF_BACKUP_M_TEAM_OTHER 1
#define NGX_HTTP_SF_BACKUP_M_TEAM_FIRST 2


typedef struct {
    ngx_atomic_t    requests[NGX_HTTP_SF_BACKUP_M_DECISIONS]
                            [SFB_REASON__COUNT];
    size_t          len;
    u_char          name[NGX_HTTP_SF_BACKUP_M_TEAM_LEN];
} ngx_http_sf_backup_metrics_team_t;


/* the first word of the counters; never 0, which an older layout had there */
#define NGX_HTTP_SF_BACKUP_M_LAYOUT                                          \
    (0x5fb00000 + sizeof(ngx_http_sf_backup_metrics_shm_t))


typedef struct {
    ngx_atomic_t    layout;
    ngx_atomic_t    requests[NGX_HTTP_SF_BACKUP_M_ENTITIES]
                            [NGX_HTTP_SF_BACKUP_M_DECISIONS]
                            [SFB_REASON__COUNT];
    ngx_atomic_t    operations[SFB_OP__COUNT]   /* [0]: no call named */
                              [NGX_HTTP_SF_BACKUP_M_DECISIONS];
    ngx_atomic_t    upstream[6];                /* [status / 100], 0: other */
    ngx_atomic_t    rewrites[NGX_HTTP_SF_BACKUP_M_CODES];  /* the cluster's,
                                                       nginx's */
    ngx_atomic_t    answers[NGX_HTTP_SF_BACKUP_M_CODES];   /* the gate's */
    ngx_atomic_t    audit_written;
    ngx_atomic_t    audit_failed;
    ngx_atomic_t    seal_save_failed;
    ngx_atomic_t    scope[NGX_HTTP_SF_BACKUP_M_SCOPE_N];
    ngx_atomic_t    latency[NGX_HTTP_SF_BACKUP_M_BUCKETS];
    ngx_atomic_t    latency_count;
    ngx_atomic_t    latency_sum_ms;

    /* named slots claimed so far, under the zone's mutex, never given back */
    ngx_atomic_t    teams_used;
    ngx_http_sf_backup_metrics_team_t
                    teams[NGX_HTTP_SF_BACKUP_M_TEAM_FIRST
                          + NGX_HTTP_SF_BACKUP_M_TEAMS];
} ngx_http_sf_backup_metrics_shm_t;


/* the module's main conf: the zone ngx_http_sf_backup_metrics_shm() finds */
typedef struct {
    ngx_shm_zone_t                    *zone;
    ngx_http_sf_backup_metrics_shm_t  *shm;
} ngx_http_sf_backup_metrics_main_conf_t;


extern ngx_module_t       ngx_http_sf_backup_metrics_module;

/* label values, by index, and the latency buckets' bounds and "le"s */
extern const char        *ngx_http_sf_backup_metrics_codes[];
extern const char        *ngx_http_sf_backup_metrics_entities[];
extern const char        *ngx_http_sf_backup_metrics_decisions[];
extern const ngx_msec_t   ngx_http_sf_backup_metrics_bounds[];
extern const char        *ngx_http_sf_backup_metrics_le[];


/* the zone's counters, or NULL without sf_backup_metrics_zone */
ngx_http_sf_backup_metrics_shm_t *ngx_http_sf_backup_metrics_shm(void);

/* sf_backup_metrics's content handler */
ngx_int_t ngx_http_sf_backup_metrics_handler(ngx_http_request_t *r);


#endif /* NGX_HTTP_SF_BACKUP_METRICS_ZONE_H */
