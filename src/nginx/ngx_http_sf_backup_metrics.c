/*
 * sf-backup-gate: Prometheus metrics.
 *
 * A second module in the same shared object, so that metrics stay out of
 * the gate's own configuration: counters live in a shared-memory zone
 * (sf_backup_metrics_zone), so every worker process adds to the same
 * numbers and a reload keeps them; sf_backup_metrics serves them in the
 * text exposition format 0.0.4.  The gate's decisions and the upstream's
 * answers are counted from the log phase, where every request ends.
 *
 * Governed requests are also counted by team, a value the operator names
 * (sf_backup_metrics_team): a fixed number of slots in the zone, claimed
 * by the first values seen, so that no value, however many distinct ones
 * clients cause, can grow the zone or the exposition.
 */

#include "ngx_http_sf_backup_common.h"
#include "ngx_http_sf_backup_metrics.h"
#include "ngx_http_sf_backup_metrics_zone.h"


typedef struct {
    ngx_http_complex_value_t          *team;
} ngx_http_sf_backup_metrics_loc_conf_t;


static ngx_int_t ngx_http_sf_backup_metrics_init(ngx_conf_t *cf);
static void *ngx_http_sf_backup_metrics_create_main_conf(ngx_conf_t *cf);
static void *ngx_http_sf_backup_metrics_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_sf_backup_metrics_merge_loc_conf(ngx_conf_t *cf,
    void *parent, void *child);
static char *ngx_http_sf_backup_metrics_zone(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static char *ngx_http_sf_backup_metrics(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_sf_backup_metrics_team(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static ngx_int_t ngx_http_sf_backup_metrics_init_zone(ngx_shm_zone_t *zone,
    void *data);
static ngx_int_t ngx_http_sf_backup_metrics_log_handler(
    ngx_http_request_t *r);
static void ngx_http_sf_backup_metrics_count_team(ngx_http_request_t *r,
    ngx_http_sf_backup_metrics_shm_t *shm, ngx_uint_t decision,
    ngx_uint_t reason);
static ngx_http_sf_backup_metrics_team_t *
    ngx_http_sf_backup_metrics_team_slot(ngx_http_sf_backup_metrics_shm_t *shm,
    ngx_slab_pool_t *shpool, ngx_str_t *name);
static ngx_uint_t ngx_http_sf_backup_metrics_code(const char *code);


static ngx_command_t  ngx_http_sf_backup_metrics_commands[] = {

    { ngx_string("sf_backup_metrics_zone"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE2,
      ngx_http_sf_backup_metrics_zone,
      NGX_HTTP_MAIN_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("sf_backup_metrics"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_sf_backup_metrics,
      0,
      0,
      NULL },

    { ngx_string("sf_backup_metrics_team"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_sf_backup_metrics_team,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_sf_backup_metrics_loc_conf_t, team),
      NULL },

      ngx_null_command
};


static ngx_http_module_t  ngx_http_sf_backup_metrics_module_ctx = {
    NULL,                                          /* preconfiguration */
    ngx_http_sf_backup_metrics_init,               /* postconfiguration */

    ngx_http_sf_backup_metrics_create_main_conf,   /* create main conf */
    NULL,                                          /* init main conf */

    NULL,                                          /* create server conf */
    NULL,                                          /* merge server conf */

    ngx_http_sf_backup_metrics_create_loc_conf,    /* create location conf */
    ngx_http_sf_backup_metrics_merge_loc_conf      /* merge location conf */
};


ngx_module_t  ngx_http_sf_backup_metrics_module = {
    NGX_MODULE_V1,
    &ngx_http_sf_backup_metrics_module_ctx,        /* module context */
    ngx_http_sf_backup_metrics_commands,           /* module directives */
    NGX_HTTP_MODULE,                               /* module type */
    NULL,                                          /* init master */
    NULL,                                          /* init module */
    NULL,                                          /* init process */
    NULL,                                          /* init thread */
    NULL,                                          /* exit thread */
    NULL,                                          /* exit process */
    NULL,                                          /* exit master */
    NGX_MODULE_V1_PADDING
};


static ngx_int_t
ngx_http_sf_backup_metrics_init(ngx_conf_t *cf)
{
    ngx_http_handler_pt                     *h;
    ngx_http_core_main_conf_t               *cmcf;
    ngx_http_sf_backup_metrics_main_conf_t  *mmcf;

    mmcf = ngx_http_conf_get_module_main_conf(cf,
                                          ngx_http_sf_backup_metrics_module);
    if (mmcf->zone == NULL) {
        return NGX_OK;
    }

    cmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module);

    h = ngx_array_push(&cmcf->phases[NGX_HTTP_LOG_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    *h = ngx_http_sf_backup_metrics_log_handler;

    return NGX_OK;
}


static void *
ngx_http_sf_backup_metrics_create_main_conf(ngx_conf_t *cf)
{
    return ngx_pcalloc(cf->pool,
                       sizeof(ngx_http_sf_backup_metrics_main_conf_t));
}


static void *
ngx_http_sf_backup_metrics_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_sf_backup_metrics_loc_conf_t  *mlcf;

    mlcf = ngx_pcalloc(cf->pool,
                       sizeof(ngx_http_sf_backup_metrics_loc_conf_t));
    if (mlcf == NULL) {
        return NULL;
    }

    mlcf->team = NGX_CONF_UNSET_PTR;

    return mlcf;
}


static char *
ngx_http_sf_backup_metrics_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child)
{
    ngx_http_sf_backup_metrics_loc_conf_t  *prev = parent;
    ngx_http_sf_backup_metrics_loc_conf_t  *conf = child;

    ngx_conf_merge_ptr_value(conf->team, prev->team, NULL);

    return NGX_CONF_OK;
}


/* sf_backup_metrics_zone name size; */
static char *
ngx_http_sf_backup_metrics_zone(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_sf_backup_metrics_main_conf_t *mmcf = conf;

    ssize_t     size;
    ngx_str_t  *value;

    if (mmcf->zone != NULL) {
        return "is duplicate";
    }

    value = cf->args->elts;

    size = ngx_parse_size(&value[2]);

    if (size == NGX_ERROR
        || size < (ssize_t) (sizeof(ngx_http_sf_backup_metrics_shm_t)
                             + 8 * ngx_pagesize))
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\": zone \"%V\" is too small: at least %uzk",
                           &cmd->name, &value[1],
                           (sizeof(ngx_http_sf_backup_metrics_shm_t)
                            + 8 * ngx_pagesize) / 1024 + 1);
        return NGX_CONF_ERROR;
    }

    mmcf->zone = ngx_shared_memory_add(cf, &value[1], size,
                                       &ngx_http_sf_backup_metrics_module);
    if (mmcf->zone == NULL) {
        return NGX_CONF_ERROR;
    }

    if (mmcf->zone->data) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "zone \"%V\" is already used", &value[1]);
        return NGX_CONF_ERROR;
    }

    mmcf->zone->init = ngx_http_sf_backup_metrics_init_zone;
    mmcf->zone->data = mmcf;

    return NGX_CONF_OK;
}


/* sf_backup_metrics; */
static char *
ngx_http_sf_backup_metrics(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_core_loc_conf_t                *clcf;
    ngx_http_sf_backup_metrics_main_conf_t  *mmcf;

    mmcf = ngx_http_conf_get_module_main_conf(cf,
                                          ngx_http_sf_backup_metrics_module);
    if (mmcf->zone == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\" needs \"sf_backup_metrics_zone\" in the "
                           "http block before it", &cmd->name);
        return NGX_CONF_ERROR;
    }

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = ngx_http_sf_backup_metrics_handler;

    return NGX_CONF_OK;
}


/* sf_backup_metrics_team value; */
static char *
ngx_http_sf_backup_metrics_team(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_sf_backup_metrics_loc_conf_t *mlcf = conf;

    ngx_str_t                               *value;
    ngx_http_compile_complex_value_t         ccv;
    ngx_http_sf_backup_metrics_main_conf_t  *mmcf;

    if (mlcf->team != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    mmcf = ngx_http_conf_get_module_main_conf(cf,
                                          ngx_http_sf_backup_metrics_module);
    if (mmcf->zone == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\" needs \"sf_backup_metrics_zone\" in the "
                           "http block before it", &cmd->name);
        return NGX_CONF_ERROR;
    }

    value = cf->args->elts;

    mlcf->team = ngx_palloc(cf->pool, sizeof(ngx_http_complex_value_t));
    if (mlcf->team == NULL) {
        return NGX_CONF_ERROR;
    }

    ngx_memzero(&ccv, sizeof(ngx_http_compile_complex_value_t));

    ccv.cf = cf;
    ccv.value = &value[1];
    ccv.complex_value = mlcf->team;

    if (ngx_http_compile_complex_value(&ccv) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


/*
 * A reload finds the old zone's counters in data and keeps them, unless
 * they are laid out otherwise (a reload onto another build of the module):
 * then counting starts again in a new block of the zone.
 */
static ngx_int_t
ngx_http_sf_backup_metrics_init_zone(ngx_shm_zone_t *zone, void *data)
{
    ngx_slab_pool_t                         *shpool;
    ngx_http_sf_backup_metrics_shm_t        *shm;
    ngx_http_sf_backup_metrics_main_conf_t  *mmcf, *old;

    mmcf = zone->data;
    shpool = (ngx_slab_pool_t *) zone->shm.addr;
    shm = NULL;

    if (data) {
        old = data;
        shm = old->shm;

    } else if (zone->shm.exists) {
        shm = shpool->data;
    }

    if (shm != NULL && shm->layout == NGX_HTTP_SF_BACKUP_M_LAYOUT) {
        mmcf->shm = shm;
        return NGX_OK;
    }

    if (shm != NULL) {
        ngx_log_error(NGX_LOG_NOTICE, zone->shm.log, 0,
                      "sf_backup: metrics zone \"%V\" holds counters of "
                      "another build of the module: counting starts again",
                      &zone->shm.name);
    }

    mmcf->shm = ngx_slab_calloc(shpool,
                                sizeof(ngx_http_sf_backup_metrics_shm_t));
    if (mmcf->shm == NULL) {
        ngx_log_error(NGX_LOG_EMERG, zone->shm.log, 0,
                      "sf_backup: metrics zone \"%V\" has no room for new "
                      "counters: restart nginx, or give the zone a new name",
                      &zone->shm.name);
        return NGX_ERROR;
    }

    mmcf->shm->layout = NGX_HTTP_SF_BACKUP_M_LAYOUT;
    shpool->data = mmcf->shm;

    return NGX_OK;
}


/* Every request ends here: count the gate's decision and the upstream. */
static ngx_int_t
ngx_http_sf_backup_metrics_log_handler(ngx_http_request_t *r)
{
    ngx_uint_t                         i, entity, decision, reason, cls;
    ngx_msec_t                         ms;
    ngx_http_sf_backup_ctx_t          *ctx;
    ngx_http_upstream_state_t         *state;
    ngx_http_sf_backup_loc_conf_t     *slcf;
    ngx_http_sf_backup_metrics_shm_t  *shm;

    shm = ngx_http_sf_backup_metrics_shm();
    if (shm == NULL) {
        return NGX_OK;
    }

    /* the same answer the audit record gives: governed, and why */
    ctx = ngx_http_sf_backup_settle(r);

    if (ctx != NULL) {
        entity = ctx->d.kind == SFB_PATH_BACKUP_RESTORE
                 ? SFB_ENTITY_BACKUP_RESTORE
                 : (ngx_uint_t) ctx->d.target.entity;
        decision = ctx->decision;
        reason = ctx->d.reason;

        if (entity < NGX_HTTP_SF_BACKUP_M_ENTITIES
            && decision < NGX_HTTP_SF_BACKUP_M_DECISIONS
            && reason < SFB_REASON__COUNT)
        {
            (void) ngx_atomic_fetch_add(
                              &shm->requests[entity][decision][reason], 1);
            (void) ngx_atomic_fetch_add(
                &shm->operations[ngx_http_sf_backup_operation(ctx)][decision],
                1);

            ngx_http_sf_backup_metrics_count_team(r, shm, decision, reason);
        }
    }

    slcf = ngx_http_get_module_loc_conf(r, ngx_http_sf_backup_gate_module);

    if (r->upstream_states == NULL || r->upstream_states->nelts == 0
        || (slcf->gate == NGX_HTTP_SF_BACKUP_OFF && !slcf->fabric_errors_on))
    {
        return NGX_OK;
    }

    state = r->upstream_states->elts;
    state = &state[r->upstream_states->nelts - 1];

    cls = state->status / 100;
    (void) ngx_atomic_fetch_add(&shm->upstream[cls < 6 ? cls : 0], 1);

    if (ctx == NULL) {
        return NGX_OK;
    }

    ms = 0;
    state = r->upstream_states->elts;

    for (i = 0; i < r->upstream_states->nelts; i++) {
        if (state[i].response_time != (ngx_msec_t) -1) {
            ms += state[i].response_time;
        }
    }

    for (i = 0; ms > ngx_http_sf_backup_metrics_bounds[i]; i++) {
        /* void */
    }

    (void) ngx_atomic_fetch_add(&shm->latency[i], 1);
    (void) ngx_atomic_fetch_add(&shm->latency_count, 1);
    (void) ngx_atomic_fetch_add(&shm->latency_sum_ms, ms);

    return NGX_OK;
}


static void
ngx_http_sf_backup_metrics_count_team(ngx_http_request_t *r,
    ngx_http_sf_backup_metrics_shm_t *shm, ngx_uint_t decision,
    ngx_uint_t reason)
{
    ngx_str_t                                value;
    ngx_http_sf_backup_metrics_team_t       *team;
    ngx_http_sf_backup_metrics_loc_conf_t   *mlcf;
    ngx_http_sf_backup_metrics_main_conf_t  *mmcf;

    mlcf = ngx_http_get_module_loc_conf(r, ngx_http_sf_backup_metrics_module);
    if (mlcf->team == NULL) {
        return;
    }

    if (ngx_http_complex_value(r, mlcf->team, &value) != NGX_OK) {
        value.len = 0;
    }

    mmcf = ngx_http_get_module_main_conf(r, ngx_http_sf_backup_metrics_module);

    team = ngx_http_sf_backup_metrics_team_slot(shm,
                              (ngx_slab_pool_t *) mmcf->zone->shm.addr, &value);

    (void) ngx_atomic_fetch_add(&team->requests[decision][reason], 1);
}


/*
 * The slot counting this team.  A value that is not a label value of at
 * most NGX_HTTP_SF_BACKUP_M_TEAM_LEN bytes of printable ASCII, or that
 * comes when every named slot is taken, is counted as "other"; "none" and
 * "other" themselves are the reserved slots.  Slots are looked up without
 * a lock: a slot's name is written before teams_used counts it.
 */
static ngx_http_sf_backup_metrics_team_t *
ngx_http_sf_backup_metrics_team_slot(ngx_http_sf_backup_metrics_shm_t *shm,
    ngx_slab_pool_t *shpool, ngx_str_t *name)
{
    ngx_uint_t                          i, used;
    ngx_http_sf_backup_metrics_team_t  *team;

    if (name->len == 0
        || (name->len == 4 && ngx_strncmp(name->data, "none", 4) == 0))
    {
        return &shm->teams[NGX_HTTP_SF_BACKUP_M_TEAM_NONE];
    }

    if (name->len > NGX_HTTP_SF_BACKUP_M_TEAM_LEN
        || (name->len == 5 && ngx_strncmp(name->data, "other", 5) == 0))
    {
        return &shm->teams[NGX_HTTP_SF_BACKUP_M_TEAM_OTHER];
    }

    for (i = 0; i < name->len; i++) {
        if (name->data[i] < 0x20 || name->data[i] > 0x7e) {
            return &shm->teams[NGX_HTTP_SF_BACKUP_M_TEAM_OTHER];
        }
    }

    team = &shm->teams[NGX_HTTP_SF_BACKUP_M_TEAM_FIRST];

    used = shm->teams_used;
    ngx_memory_barrier();

    for (i = 0; i < used; i++) {
        if (team[i].len == name->len
            && ngx_memcmp(team[i].name, name->data, name->len) == 0)
        {
            return &team[i];
        }
    }

    if (used == NGX_HTTP_SF_BACKUP_M_TEAMS) {
        return &shm->teams[NGX_HTTP_SF_BACKUP_M_TEAM_OTHER];
    }

    ngx_shmtx_lock(&shpool->mutex);

    /* the slots other workers claimed since */
    for ( /* void */ ; i < shm->teams_used; i++) {
        if (team[i].len == name->len
            && ngx_memcmp(team[i].name, name->data, name->len) == 0)
        {
            ngx_shmtx_unlock(&shpool->mutex);
            return &team[i];
        }
    }

    if (i == NGX_HTTP_SF_BACKUP_M_TEAMS) {
        ngx_shmtx_unlock(&shpool->mutex);
        return &shm->teams[NGX_HTTP_SF_BACKUP_M_TEAM_OTHER];
    }

    ngx_memcpy(team[i].name, name->data, name->len);
    team[i].len = name->len;
    ngx_memory_barrier();
    shm->teams_used = i + 1;

    ngx_shmtx_unlock(&shpool->mutex);

    return &team[i];
}


void
ngx_http_sf_backup_metrics_rewrite(const char *code)
{
    ngx_http_sf_backup_metrics_shm_t  *shm;

    shm = ngx_http_sf_backup_metrics_shm();
    if (shm == NULL) {
        return;
    }

    (void) ngx_atomic_fetch_add(
                   &shm->rewrites[ngx_http_sf_backup_metrics_code(code)], 1);
}


void
ngx_http_sf_backup_metrics_answer(const char *code)
{
    ngx_http_sf_backup_metrics_shm_t  *shm;

    shm = ngx_http_sf_backup_metrics_shm();
    if (shm == NULL) {
        return;
    }

    (void) ngx_atomic_fetch_add(
                    &shm->answers[ngx_http_sf_backup_metrics_code(code)], 1);
}


/* a Code's counter; the last counts every Code not named */
static ngx_uint_t
ngx_http_sf_backup_metrics_code(const char *code)
{
    ngx_uint_t  i;

    for (i = 0; i < NGX_HTTP_SF_BACKUP_M_CODES - 1; i++) {
        if (ngx_strcmp(code, ngx_http_sf_backup_metrics_codes[i]) == 0) {
            break;
        }
    }

    return i;
}


void
ngx_http_sf_backup_metrics_audit(ngx_uint_t written, ngx_uint_t failed)
{
    ngx_http_sf_backup_metrics_shm_t  *shm;

    shm = ngx_http_sf_backup_metrics_shm();
    if (shm == NULL) {
        return;
    }

    if (written) {
        (void) ngx_atomic_fetch_add(&shm->audit_written, written);
    }

    if (failed) {
        (void) ngx_atomic_fetch_add(&shm->audit_failed, failed);
    }
}


void
ngx_http_sf_backup_metrics_seal_save_failed(void)
{
    ngx_http_sf_backup_metrics_shm_t  *shm;

    shm = ngx_http_sf_backup_metrics_shm();
    if (shm == NULL) {
        return;
    }

    (void) ngx_atomic_fetch_add(&shm->seal_save_failed, 1);
}


void
ngx_http_sf_backup_metrics_scope(ngx_uint_t what)
{
    ngx_http_sf_backup_metrics_shm_t  *shm;

    shm = ngx_http_sf_backup_metrics_shm();
    if (shm == NULL || what >= NGX_HTTP_SF_BACKUP_M_SCOPE_N) {
        return;
    }

    (void) ngx_atomic_fetch_add(&shm->scope[what], 1);
}
