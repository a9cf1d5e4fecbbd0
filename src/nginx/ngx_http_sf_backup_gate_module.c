/*
 * sf-backup-gate: directives, configuration and module definition.
 *
 * The module governs Service Fabric's backup and restore calls in the
 * locations where sf_backup_gate is on: it validates each against its REST
 * contract and the caller's operations, policies, scope and storages,
 * forwards exactly what it validated, answers failures as FabricError JSON
 * and keeps a tamper-evident audit log.
 */

#include "ngx_http_sf_backup_common.h"
#include "ngx_http_sf_backup_names.h"


static ngx_int_t ngx_http_sf_backup_init(ngx_conf_t *cf);
static ngx_int_t ngx_http_sf_backup_init_process(ngx_cycle_t *cycle);
static ngx_int_t ngx_http_sf_backup_preconfiguration(ngx_conf_t *cf);
static void *ngx_http_sf_backup_create_main_conf(ngx_conf_t *cf);
static void *ngx_http_sf_backup_create_srv_conf(ngx_conf_t *cf);
static void *ngx_http_sf_backup_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_sf_backup_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child);
static char *ngx_http_sf_backup_gate(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static ngx_int_t ngx_http_sf_backup_check_conf(ngx_conf_t *cf);


static ngx_http_sf_backup_size_bounds_t  ngx_http_sf_backup_max_body_bounds = {
    ngx_http_sf_backup_check_size, 1, 1024 * 1024
};

static ngx_http_sf_backup_names_post_t  ngx_http_sf_backup_storage_check = {
    ngx_http_sf_backup_storage_entry
};

static ngx_http_sf_backup_names_post_t  ngx_http_sf_backup_policy_check = {
    ngx_http_sf_backup_policy_entry
};

/* nothing held: no upstream error body could be recognised */
static ngx_http_sf_backup_size_bounds_t
    ngx_http_sf_backup_fabric_error_buffer_bounds = {
    ngx_http_sf_backup_check_size, 1, 0
};


static ngx_command_t  ngx_http_sf_backup_commands[] = {

    { ngx_string("sf_backup_gate"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_sf_backup_gate,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("sf_backup_api_versions"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_sf_backup_api_versions,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("sf_backup_upstream_api_version"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_sf_backup_upstream_api_version,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("sf_backup_timeout"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE2,
      ngx_http_sf_backup_timeout,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("sf_backup_operations"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_sf_backup_operations,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("sf_backup_policies"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_sf_backup_policies,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("sf_backup_scope"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_sf_backup_scope,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("sf_backup_scope_resolve"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_sf_backup_scope_resolve,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("sf_backup_scope_cache"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE12,
      ngx_http_sf_backup_scope_cache,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("sf_backup_storages"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_sf_backup_names,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_sf_backup_loc_conf_t, storages),
      &ngx_http_sf_backup_storage_check },

    { ngx_string("sf_backup_policies_owned"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_sf_backup_names,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_sf_backup_loc_conf_t, policies_owned),
      &ngx_http_sf_backup_policy_check },

    { ngx_string("sf_backup_passthrough"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_sf_backup_loc_conf_t, passthrough),
      NULL },

    { ngx_string("sf_backup_identity"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_sf_backup_identity,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_sf_backup_loc_conf_t, identity),
      NULL },

    { ngx_string("sf_backup_max_body"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_size_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_sf_backup_loc_conf_t, max_body),
      &ngx_http_sf_backup_max_body_bounds },

    { ngx_string("sf_backup_backup_restore"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_sf_backup_loc_conf_t, backup_restore),
      NULL },

    { ngx_string("sf_backup_fabric_errors"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_sf_backup_loc_conf_t, fabric_errors),
      NULL },

    { ngx_string("sf_backup_fabric_error_buffer"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_size_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_sf_backup_loc_conf_t, fabric_error_buffer),
      &ngx_http_sf_backup_fabric_error_buffer_bounds },

    { ngx_string("sf_backup_audit_log"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_sf_backup_audit_log,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("sf_backup_audit_key"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_sf_backup_audit_key,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("sf_backup_audit_seal"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE12,
      ngx_http_sf_backup_audit_seal,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("sf_backup_audit_node"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_sf_backup_main_conf_t, node),
      NULL },

    { ngx_string("sf_backup_audit_heartbeat"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_msec_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_sf_backup_main_conf_t, heartbeat),
      NULL },

    { ngx_string("sf_backup_audit_fail_closed"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_http_sf_backup_audit_fail_closed,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_sf_backup_loc_conf_t, audit_fail_closed),
      NULL },

      ngx_null_command
};


static ngx_http_module_t  ngx_http_sf_backup_gate_module_ctx = {
    ngx_http_sf_backup_preconfiguration,   /* preconfiguration */
    ngx_http_sf_backup_init,               /* postconfiguration */

    ngx_http_sf_backup_create_main_conf,   /* create main configuration */
    NULL,                                  /* init main configuration */

    ngx_http_sf_backup_create_srv_conf,    /* create server configuration */
    NULL,                                  /* merge server configuration */

    ngx_http_sf_backup_create_loc_conf,    /* create location configuration */
    ngx_http_sf_backup_merge_loc_conf      /* merge location configuration */
};


ngx_module_t  ngx_http_sf_backup_gate_module = {
    NGX_MODULE_V1,
    &ngx_http_sf_backup_gate_module_ctx,   /* module context */
    ngx_http_sf_backup_commands,           /* module directives */
    NGX_HTTP_MODULE,                       /* module type */
    NULL,                                  /* init master */
    ngx_http_sf_backup_audit_init_module,  /* init module */
    ngx_http_sf_backup_init_process,       /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    ngx_http_sf_backup_audit_exit_process, /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};


/*
 * A worker's own state: its request ids, its stamp in the scope caches,
 * then its audit buffers and chains.
 */
static ngx_int_t
ngx_http_sf_backup_init_process(ngx_cycle_t *cycle)
{
    ngx_http_sf_backup_request_id_init_process();

    if (ngx_http_sf_backup_scope_cache_init_process(cycle) != NGX_OK) {
        return NGX_ERROR;
    }

    return ngx_http_sf_backup_audit_init_process(cycle);
}


static ngx_int_t
ngx_http_sf_backup_preconfiguration(ngx_conf_t *cf)
{
    return ngx_http_sf_backup_add_variables(cf);
}


static ngx_int_t
ngx_http_sf_backup_init(ngx_conf_t *cf)
{
    ngx_http_handler_pt        *h;
    ngx_http_core_main_conf_t  *cmcf;

    cmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module);

    /*
     * The gate decides after the access phase: the caller's identity and
     * allow-list may come from it (auth_request_set), and "satisfy any"
     * may end that phase before every one of its handlers has run.
     */
    h = ngx_array_push(&cmcf->phases[NGX_HTTP_PRECONTENT_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    *h = ngx_http_sf_backup_access_handler;

    h = ngx_array_push(&cmcf->phases[NGX_HTTP_LOG_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    *h = ngx_http_sf_backup_log_handler;

    if (ngx_http_sf_backup_request_init(cf) != NGX_OK) {
        return NGX_ERROR;
    }

    if (ngx_http_sf_backup_filter_init(cf) != NGX_OK) {
        return NGX_ERROR;
    }

    return ngx_http_sf_backup_check_conf(cf);
}


/*
 * Mistakes that only the whole http block shows.  Each message ends with
 * the file:line of the directive at fault, as ngx_conf_log_error()'s do.
 */
static ngx_int_t
ngx_http_sf_backup_check_conf(ngx_conf_t *cf)
{
    ngx_http_sf_backup_main_conf_t  *smcf;

    smcf = ngx_http_conf_get_module_main_conf(cf,
                                              ngx_http_sf_backup_gate_module);

    if (ngx_http_sf_backup_check_audit_files(cf, smcf) != NGX_OK
        || ngx_http_sf_backup_check_audit_keys(cf, smcf) != NGX_OK
        || ngx_http_sf_backup_check_resolve(cf) != NGX_OK)
    {
        return NGX_ERROR;
    }

    if (smcf->gate_at.line && !smcf->policies_set) {
        ngx_log_error(NGX_LOG_WARN, cf->log, 0,
                      "\"sf_backup_gate\" is on but no "
                      "\"sf_backup_policies\" is set anywhere: every "
                      "EnableBackup call, and every read of a policy not "
                      "in \"sf_backup_policies_owned\", will be denied "
                      "in %V:%ui",
                      &smcf->gate_at.file, smcf->gate_at.line);
    }

    return NGX_OK;
}


static char *
ngx_http_sf_backup_gate(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_sf_backup_loc_conf_t *slcf = conf;

    ngx_str_t                       *value;
    ngx_http_sf_backup_main_conf_t  *smcf;

    if (slcf->gate != NGX_CONF_UNSET_UINT) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (ngx_strcmp(value[1].data, "on") == 0) {
        slcf->gate = NGX_HTTP_SF_BACKUP_ON;

    } else if (ngx_strcmp(value[1].data, "off") == 0) {
        slcf->gate = NGX_HTTP_SF_BACKUP_OFF;

    } else if (ngx_strcmp(value[1].data, "report_only") == 0) {
        slcf->gate = NGX_HTTP_SF_BACKUP_REPORT_ONLY;

    } else {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid value \"%V\" in \"%V\" directive, "
                           "it must be \"on\", \"off\" or \"report_only\"",
                           &value[1], &cmd->name);
        return NGX_CONF_ERROR;
    }

    smcf = ngx_http_conf_get_module_main_conf(cf,
                                              ngx_http_sf_backup_gate_module);

    if (slcf->gate != NGX_HTTP_SF_BACKUP_OFF && smcf->gate_at.line == 0) {
        ngx_http_sf_backup_conf_at(cf, &smcf->gate_at);
    }

    return NGX_CONF_OK;
}


static void *
ngx_http_sf_backup_create_main_conf(ngx_conf_t *cf)
{
    ngx_http_sf_backup_main_conf_t  *smcf;

    smcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_sf_backup_main_conf_t));
    if (smcf == NULL) {
        return NULL;
    }

    if (ngx_array_init(&smcf->audits, cf->pool, 2,
                       sizeof(ngx_http_sf_backup_audit_t *))
        != NGX_OK)
    {
        return NULL;
    }

    if (ngx_array_init(&smcf->audit_blocks, cf->pool, 2,
                       sizeof(ngx_http_sf_backup_loc_conf_t *))
        != NGX_OK
        || ngx_array_init(&smcf->resolvers, cf->pool, 2,
                          sizeof(ngx_http_sf_backup_resolver_t))
           != NGX_OK)
    {
        return NULL;
    }
    smcf->heartbeat = NGX_CONF_UNSET_MSEC;

    return smcf;
}


static void *
ngx_http_sf_backup_create_srv_conf(ngx_conf_t *cf)
{
    /* gate_conf: set while the server's locations are merged */
    return ngx_pcalloc(cf->pool, sizeof(ngx_http_sf_backup_srv_conf_t));
}


static void *
ngx_http_sf_backup_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_sf_backup_loc_conf_t  *slcf;

    slcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_sf_backup_loc_conf_t));
    if (slcf == NULL) {
        return NULL;
    }

    /*
     * set by ngx_pcalloc():
     *
     *     slcf->upstream_api_version = { 0, NULL };
 *     slcf->scope_resolve = { 0, NULL };
     *     slcf->scope_lookup_time = NULL;
     *     slcf->audit_at = { { 0, NULL }, 0 };
     *     slcf->audit_keyed = 0;
     *     slcf->rules = { 0 };
     */

    slcf->gate = NGX_CONF_UNSET_UINT;
    slcf->api_versions = NGX_CONF_UNSET_PTR;
    slcf->timeout_min = NGX_CONF_UNSET_UINT;
    slcf->timeout_max = NGX_CONF_UNSET_UINT;
    slcf->max_body = NGX_CONF_UNSET_SIZE;
    slcf->policies = NGX_CONF_UNSET_PTR;
    slcf->policies_cv = NGX_CONF_UNSET_PTR;
    slcf->operations = NGX_CONF_UNSET_UINT;
    slcf->operations_cv = NGX_CONF_UNSET_PTR;
    slcf->identity = NGX_CONF_UNSET_PTR;
    slcf->backup_restore = NGX_CONF_UNSET;
    slcf->fabric_errors = NGX_CONF_UNSET;
    slcf->fabric_error_buffer = NGX_CONF_UNSET_SIZE;
    slcf->audit = NGX_CONF_UNSET_PTR;
    slcf->audit_fail_closed = NGX_CONF_UNSET;
    slcf->scope = NGX_CONF_UNSET_PTR;
    slcf->scope_cv = NGX_CONF_UNSET_PTR;
    slcf->scope_zone = NGX_CONF_UNSET_PTR;
    slcf->scope_valid = NGX_CONF_UNSET;
    slcf->storages.fixed = NGX_CONF_UNSET_PTR;
    slcf->storages.cv = NGX_CONF_UNSET_PTR;
    slcf->policies_owned.fixed = NGX_CONF_UNSET_PTR;
    slcf->policies_owned.cv = NGX_CONF_UNSET_PTR;
    slcf->passthrough = NGX_CONF_UNSET;

    return slcf;
}


static char *
ngx_http_sf_backup_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_http_sf_backup_loc_conf_t *prev = parent;
    ngx_http_sf_backup_loc_conf_t *conf = child;

    ngx_conf_merge_uint_value(conf->gate, prev->gate,
                              NGX_HTTP_SF_BACKUP_OFF);
    ngx_conf_merge_ptr_value(conf->api_versions, prev->api_versions, NULL);

    if (conf->upstream_api_version.data == NULL) {
        conf->upstream_api_version = prev->upstream_api_version;
    }

    if (conf->timeout_min == NGX_CONF_UNSET_UINT) {
        conf->timeout_min = prev->timeout_min;
        conf->timeout_max = prev->timeout_max;
    }

    if (conf->timeout_min == NGX_CONF_UNSET_UINT) {
        conf->timeout_min = SFB_TIMEOUT_MIN;
        conf->timeout_max = SFB_TIMEOUT_MAX;
    }

    ngx_conf_merge_size_value(conf->max_body, prev->max_body,
                              SFB_MAX_BODY_DEFAULT);

    /* no allow-list at all: every policy is denied (fail closed) */
    ngx_http_sf_backup_merge_list(&conf->policies, &conf->policies_cv,
                                  prev->policies, prev->policies_cv);

    if (conf->operations == NGX_CONF_UNSET_UINT
        && conf->operations_cv == NGX_CONF_UNSET_PTR)
    {
        conf->operations = prev->operations;
        conf->operations_cv = prev->operations_cv;
    }

    if (conf->operations == NGX_CONF_UNSET_UINT) {
        conf->operations = SFB_OPS_DEFAULT;
    }

    if (conf->operations_cv == NGX_CONF_UNSET_PTR) {
        conf->operations_cv = NULL;
    }

    ngx_conf_merge_ptr_value(conf->identity, prev->identity, NULL);
    ngx_conf_merge_value(conf->backup_restore, prev->backup_restore, 0);
    /* unset stays unset: then it follows this location's sf_backup_gate */
    ngx_conf_merge_value(conf->fabric_errors, prev->fabric_errors,
                         NGX_CONF_UNSET);
    conf->fabric_errors_on = conf->fabric_errors == NGX_CONF_UNSET
                             ? conf->gate != NGX_HTTP_SF_BACKUP_OFF
                             : conf->fabric_errors;
    ngx_conf_merge_size_value(conf->fabric_error_buffer,
                              prev->fabric_error_buffer, 16384);
    ngx_conf_merge_ptr_value(conf->audit, prev->audit, NULL);

    if (conf->audit_fail_closed == NGX_CONF_UNSET) {
        conf->audit_fail_closed_at = prev->audit_fail_closed_at;
    }

    ngx_conf_merge_value(conf->audit_fail_closed, prev->audit_fail_closed,
                         0);

    /* merged at the end of the http block: cf is there, not here */
    if (conf->audit_fail_closed && conf->audit == NULL
        && conf->gate != NGX_HTTP_SF_BACKUP_OFF)
    {
        ngx_log_error(NGX_LOG_EMERG, cf->log, 0,
                      "\"sf_backup_audit_fail_closed on\" needs "
                      "\"sf_backup_audit_log\" in %V:%ui",
                      &conf->audit_fail_closed_at.file,
                      conf->audit_fail_closed_at.line);
        return NGX_CONF_ERROR;
    }

    if (ngx_http_sf_backup_scope_merge(cf, prev, conf) != NGX_CONF_OK
        || ngx_http_sf_backup_data_merge(cf, prev, conf) != NGX_CONF_OK)
    {
        return NGX_CONF_ERROR;
    }

    sfb_rules_init(&conf->rules);

    /* else the core's default, SFB_API_VERSION_DEFAULT */
    if (conf->api_versions != NULL) {
        conf->rules.api_versions = conf->api_versions->elts;
        conf->rules.n_api_versions = conf->api_versions->nelts;
    }

    conf->rules.timeout_min = conf->timeout_min;
    conf->rules.timeout_max = conf->timeout_max;
    conf->rules.max_body = conf->max_body;
    conf->rules.upstream_api_version.data = conf->upstream_api_version.data;
    conf->rules.upstream_api_version.len = conf->upstream_api_version.len;
    conf->rules.backup_restore_open = conf->backup_restore ? 1 : 0;
    conf->rules.closed = conf->passthrough ? 0 : 1;

    ngx_http_sf_backup_note_gate_location(cf, conf);

    return NGX_CONF_OK;
}
