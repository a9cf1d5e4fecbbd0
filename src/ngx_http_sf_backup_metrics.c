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

#include "ngx_http_sf_backup_gate_module.h"
#include "ngx_http_sf_backup_metrics.h"


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
    ngx_atomic_t    rewrites[NGX_HTTP_SF_BACKUP_M_CODES];
    ngx_atomic_t    audit_written;
    ngx_atomic_t    audit_failed;
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


typedef struct {
    ngx_shm_zone_t                    *zone;
    ngx_http_sf_backup_metrics_shm_t  *shm;
} ngx_http_sf_backup_metrics_main_conf_t;


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
static ngx_int_t ngx_http_sf_backup_metrics_handler(ngx_http_request_t *r);
static u_char *ngx_http_sf_backup_metrics_label(u_char *p, u_char *last,
    u_char *value, size_t len);
static ngx_http_sf_backup_metrics_shm_t *ngx_http_sf_backup_metrics_shm(
    void);


/* FabricError Codes the gateway writes; the last slot counts the others. */
static const char  *ngx_http_sf_backup_metrics_codes[] = {
    "E_INVALIDARG",
    "E_ACCESSDENIED",
    "E_FAIL",
    "FABRIC_E_NAME_DOES_NOT_EXIST",
    "FABRIC_E_VALUE_TOO_LARGE",
    "FABRIC_E_COMMUNICATION_ERROR",
    "FABRIC_E_SERVICE_OFFLINE",
    "FABRIC_E_TIMEOUT",
    "FABRIC_E_INVALID_NAME_URI",
    "other"
};


/* upper bounds of the latency buckets, in milliseconds */
static const ngx_msec_t  ngx_http_sf_backup_metrics_bounds[] = {
    5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, (ngx_msec_t) -1
};

static const char  *ngx_http_sf_backup_metrics_le[] = {
    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5",
    "10", "+Inf"
};

static const char  *ngx_http_sf_backup_metrics_entities[] = {
    "none", "partition", "service", "application", "backup_restore",
    "policy"
};

static const char  *ngx_http_sf_backup_metrics_decisions[] = {
    "none", "allow", "deny", "report"
};


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


static ngx_http_sf_backup_metrics_shm_t *
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
    ngx_uint_t                         i;
    ngx_http_sf_backup_metrics_shm_t  *shm;

    shm = ngx_http_sf_backup_metrics_shm();
    if (shm == NULL) {
        return;
    }

    for (i = 0; i < NGX_HTTP_SF_BACKUP_M_CODES - 1; i++) {
        if (ngx_strcmp(code, ngx_http_sf_backup_metrics_codes[i]) == 0) {
            break;
        }
    }

    (void) ngx_atomic_fetch_add(&shm->rewrites[i], 1);
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
ngx_http_sf_backup_metrics_scope(ngx_uint_t what)
{
    ngx_http_sf_backup_metrics_shm_t  *shm;

    shm = ngx_http_sf_backup_metrics_shm();
    if (shm == NULL || what >= NGX_HTTP_SF_BACKUP_M_SCOPE_N) {
        return;
    }

    (void) ngx_atomic_fetch_add(&shm->scope[what], 1);
}


static ngx_int_t
ngx_http_sf_backup_metrics_handler(ngx_http_request_t *r)
{
    u_char                             *p;
    size_t                              size;
    ngx_int_t                           rc;
    ngx_buf_t                          *b;
    ngx_uint_t                          e, d, i, k, n, t, teams;
    ngx_chain_t                         out;
    ngx_atomic_uint_t                   v, cumulative;
    ngx_http_sf_backup_metrics_shm_t   *shm;
    ngx_http_sf_backup_metrics_team_t  *team;

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        return NGX_HTTP_NOT_ALLOWED;
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    shm = ngx_http_sf_backup_metrics_shm();
    if (shm == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    /* one line per series at most 160 bytes, plus the HELP/TYPE lines */
    n = 0;

    for (e = 0; e < NGX_HTTP_SF_BACKUP_M_ENTITIES; e++) {
        for (d = 0; d < NGX_HTTP_SF_BACKUP_M_DECISIONS; d++) {
            for (i = 0; i < SFB_REASON__COUNT; i++) {
                n += shm->requests[e][d][i] != 0;
            }
        }
    }

    /* a team's line: its label escaped, at most twice as long */
    t = 0;
    teams = NGX_HTTP_SF_BACKUP_M_TEAM_FIRST + shm->teams_used;

    for (k = 0; k < teams; k++) {
        for (d = 0; d < NGX_HTTP_SF_BACKUP_M_DECISIONS; d++) {
            for (i = 0; i < SFB_REASON__COUNT; i++) {
                t += shm->teams[k].requests[d][i] != 0;
            }
        }
    }

    size = 4096 + 160 * (n + 10 + NGX_HTTP_SF_BACKUP_M_CODES
                         + NGX_HTTP_SF_BACKUP_M_BUCKETS
                         + SFB_OP__COUNT * NGX_HTTP_SF_BACKUP_M_DECISIONS)
           + (160 + 2 * NGX_HTTP_SF_BACKUP_M_TEAM_LEN) * t;

    b = ngx_create_temp_buf(r->pool, size);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = b->last;

    p = ngx_slprintf(p, b->end,
            "# HELP sf_backup_requests_total Governed requests by entity, "
            "decision and reason.\n"
            "# TYPE sf_backup_requests_total counter\n");

    for (e = 0; e < NGX_HTTP_SF_BACKUP_M_ENTITIES; e++) {
        for (d = 0; d < NGX_HTTP_SF_BACKUP_M_DECISIONS; d++) {
            for (i = 0; i < SFB_REASON__COUNT; i++) {
                v = shm->requests[e][d][i];
                if (v == 0) {
                    continue;
                }

                p = ngx_slprintf(p, b->end,
                        "sf_backup_requests_total{entity=\"%s\","
                        "decision=\"%s\",reason=\"%s\"} %uA\n",
                        ngx_http_sf_backup_metrics_entities[e],
                        ngx_http_sf_backup_metrics_decisions[d],
                        sfb_reason_name((sfb_reason_e) i), v);
            }
        }
    }

    p = ngx_slprintf(p, b->end,
            "# HELP sf_backup_operation_requests_total Governed requests by "
            "operation (\"\": the path named no call) and decision.\n"
            "# TYPE sf_backup_operation_requests_total counter\n");

    for (i = 0; i < SFB_OP__COUNT; i++) {
        for (d = 0; d < NGX_HTTP_SF_BACKUP_M_DECISIONS; d++) {
            v = shm->operations[i][d];
            if (v == 0) {
                continue;
            }

            p = ngx_slprintf(p, b->end,
                    "sf_backup_operation_requests_total{operation=\"%s\","
                    "decision=\"%s\"} %uA\n",
                    sfb_operation_name((sfb_operation_e) i),
                    ngx_http_sf_backup_metrics_decisions[d], v);
        }
    }

    p = ngx_slprintf(p, b->end,
            "# HELP sf_backup_team_requests_total Governed requests by "
            "team (sf_backup_metrics_team), decision and reason.\n"
            "# TYPE sf_backup_team_requests_total counter\n");

    for (k = 0; k < teams; k++) {
        team = &shm->teams[k];

        for (d = 0; d < NGX_HTTP_SF_BACKUP_M_DECISIONS; d++) {
            for (i = 0; i < SFB_REASON__COUNT; i++) {
                v = team->requests[d][i];
                if (v == 0) {
                    continue;
                }

                p = ngx_slprintf(p, b->end,
                                 "sf_backup_team_requests_total{team=\"");

                if (k == NGX_HTTP_SF_BACKUP_M_TEAM_NONE) {
                    p = ngx_slprintf(p, b->end, "none");

                } else if (k == NGX_HTTP_SF_BACKUP_M_TEAM_OTHER) {
                    p = ngx_slprintf(p, b->end, "other");

                } else {
                    p = ngx_http_sf_backup_metrics_label(p, b->end,
                                                         team->name,
                                                         team->len);
                }

                p = ngx_slprintf(p, b->end,
                        "\",decision=\"%s\",reason=\"%s\"} %uA\n",
                        ngx_http_sf_backup_metrics_decisions[d],
                        sfb_reason_name((sfb_reason_e) i), v);
            }
        }
    }

    p = ngx_slprintf(p, b->end,
            "# HELP sf_backup_upstream_responses_total Upstream answers "
            "by status class.\n"
            "# TYPE sf_backup_upstream_responses_total counter\n");

    for (i = 1; i < 6; i++) {
        p = ngx_slprintf(p, b->end,
                "sf_backup_upstream_responses_total{class=\"%uixx\"} %uA\n",
                i, shm->upstream[i]);
    }

    p = ngx_slprintf(p, b->end,
            "sf_backup_upstream_responses_total{class=\"none\"} %uA\n",
            shm->upstream[0]);

    p = ngx_slprintf(p, b->end,
            "# HELP sf_backup_fabric_error_rewrites_total Error answers "
            "rewritten into FabricError, by Code.\n"
            "# TYPE sf_backup_fabric_error_rewrites_total counter\n");

    for (i = 0; i < NGX_HTTP_SF_BACKUP_M_CODES; i++) {
        p = ngx_slprintf(p, b->end,
                "sf_backup_fabric_error_rewrites_total{code=\"%s\"} %uA\n",
                ngx_http_sf_backup_metrics_codes[i], shm->rewrites[i]);
    }

    p = ngx_slprintf(p, b->end,
            "# HELP sf_backup_audit_records_total Audit records written.\n"
            "# TYPE sf_backup_audit_records_total counter\n"
            "sf_backup_audit_records_total %uA\n"
            "# HELP sf_backup_audit_write_failures_total Audit records "
            "that could not be written.\n"
            "# TYPE sf_backup_audit_write_failures_total counter\n"
            "sf_backup_audit_write_failures_total %uA\n",
            shm->audit_written, shm->audit_failed);

    p = ngx_slprintf(p, b->end,
            "# HELP sf_backup_scope_cache_total Partition calls under team "
            "scope, by where the partition's service came from.\n"
            "# TYPE sf_backup_scope_cache_total counter\n"
            "sf_backup_scope_cache_total{result=\"hit\"} %uA\n"
            "sf_backup_scope_cache_total{result=\"miss\"} %uA\n"
            "# HELP sf_backup_scope_lookup_failures_total GetServiceName "
            "lookups that did not give a service.\n"
            "# TYPE sf_backup_scope_lookup_failures_total counter\n"
            "sf_backup_scope_lookup_failures_total"
            "{reason=\"partition_not_found\"} %uA\n"
            "sf_backup_scope_lookup_failures_total"
            "{reason=\"scope_unresolved\"} %uA\n",
            shm->scope[NGX_HTTP_SF_BACKUP_M_SCOPE_HIT],
            shm->scope[NGX_HTTP_SF_BACKUP_M_SCOPE_MISS],
            shm->scope[NGX_HTTP_SF_BACKUP_M_SCOPE_NOT_FOUND],
            shm->scope[NGX_HTTP_SF_BACKUP_M_SCOPE_FAILED]);

    p = ngx_slprintf(p, b->end,
            "# HELP sf_backup_upstream_latency_seconds Upstream response "
            "time of governed calls.\n"
            "# TYPE sf_backup_upstream_latency_seconds histogram\n");

    cumulative = 0;

    for (i = 0; i < NGX_HTTP_SF_BACKUP_M_BUCKETS; i++) {
        cumulative += shm->latency[i];
        p = ngx_slprintf(p, b->end,
                "sf_backup_upstream_latency_seconds_bucket{le=\"%s\"} %uA\n",
                ngx_http_sf_backup_metrics_le[i], cumulative);
    }

    v = shm->latency_sum_ms;

    p = ngx_slprintf(p, b->end,
            "sf_backup_upstream_latency_seconds_sum %uA.%03uA\n"
            "sf_backup_upstream_latency_seconds_count %uA\n",
            v / 1000, v % 1000, shm->latency_count);

    b->last = p;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    r->headers_out.status = NGX_HTTP_OK;
    r->headers_out.content_length_n = b->last - b->pos;
    ngx_str_set(&r->headers_out.content_type, "text/plain; version=0.0.4");
    r->headers_out.content_type_len = sizeof("text/plain") - 1;

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}


/* a label value as the exposition format wants it: \ and " escaped */
static u_char *
ngx_http_sf_backup_metrics_label(u_char *p, u_char *last, u_char *value,
    size_t len)
{
    size_t  i;

    for (i = 0; i < len && p + 2 <= last; i++) {
        if (value[i] == '\\' || value[i] == '"') {
            *p++ = '\\';
        }

        *p++ = value[i];
    }

    return p;
}
