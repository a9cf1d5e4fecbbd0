/*
 * sf-backup-gate: directives, configuration and module definition.
 *
 * The module governs Service Fabric's EnableBackup calls (partition,
 * service, application) in the locations where sf_backup_gate is on: it
 * validates them against the REST contract and a per-team allow-list,
 * forwards exactly what it validated, answers failures as FabricError JSON
 * and keeps a tamper-evident audit log.
 */

#include "ngx_http_sf_backup_gate_module.h"


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
static char *ngx_http_sf_backup_api_versions(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static char *ngx_http_sf_backup_upstream_api_version(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static char *ngx_http_sf_backup_timeout(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_sf_backup_policies(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_sf_backup_identity(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_sf_backup_operations(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static ngx_http_complex_value_t *ngx_http_sf_backup_list_variable(
    ngx_conf_t *cf, ngx_str_t *value);
static ngx_int_t ngx_http_sf_backup_check_token(ngx_conf_t *cf,
    ngx_str_t *value, const char *what);
static ngx_int_t ngx_http_sf_backup_check_api_version(ngx_conf_t *cf,
    ngx_str_t *value);
static char *ngx_http_sf_backup_check_size(ngx_conf_t *cf, void *post,
    void *data);
static ngx_int_t ngx_http_sf_backup_check_conf(ngx_conf_t *cf);
static ngx_int_t ngx_http_sf_backup_check_audit_files(ngx_conf_t *cf,
    ngx_http_sf_backup_main_conf_t *smcf);
static ngx_int_t ngx_http_sf_backup_check_audit_keys(ngx_conf_t *cf,
    ngx_http_sf_backup_main_conf_t *smcf);


/* a size directive's bounds, in bytes; high 0: none */
typedef struct {
    ngx_conf_post_handler_pt  post_handler;
    size_t                    low;
    size_t                    high;
} ngx_http_sf_backup_size_bounds_t;


static ngx_http_sf_backup_size_bounds_t  ngx_http_sf_backup_max_body_bounds = {
    ngx_http_sf_backup_check_size, 1, 1024 * 1024
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
      ngx_conf_set_flag_slot,
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
    NULL,                                  /* init module */
    ngx_http_sf_backup_init_process,       /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    ngx_http_sf_backup_audit_exit_process, /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};


/* A worker's own state: its request ids, then its audit buffers and chains. */
static ngx_int_t
ngx_http_sf_backup_init_process(ngx_cycle_t *cycle)
{
    ngx_http_sf_backup_request_id_init_process();

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
        || ngx_http_sf_backup_check_audit_keys(cf, smcf) != NGX_OK)
    {
        return NGX_ERROR;
    }

    if (smcf->gate_at.line && !smcf->policies_set) {
        ngx_log_error(NGX_LOG_WARN, cf->log, 0,
                      "\"sf_backup_gate\" is on but no "
                      "\"sf_backup_policies\" is set anywhere: every "
                      "EnableBackup call will be denied in %V:%ui",
                      &smcf->gate_at.file, smcf->gate_at.line);
    }

    return NGX_OK;
}


/*
 * An audit file no other log writes into: its entry in cycle->open_files,
 * hidden from lookups by name while the block was read (see
 * ngx_http_sf_backup_audit_file()), is visible again, and any other entry
 * with its name is a log declared after it.
 */
static ngx_int_t
ngx_http_sf_backup_check_audit_files(ngx_conf_t *cf,
    ngx_http_sf_backup_main_conf_t *smcf)
{
    ngx_uint_t                       i, j, k;
    ngx_list_part_t                 *part;
    ngx_open_file_t                 *file, *own;
    ngx_http_sf_backup_audit_t     **audits;
    ngx_http_sf_backup_loc_conf_t  **blocks;

    audits = smcf->audits.elts;

    for (i = 0; i < smcf->audits.nelts; i++) {
        if (audits[i]->file != NULL) {
            audits[i]->file->name.len--;
        }
    }

    blocks = smcf->audit_blocks.elts;

    for (i = 0; i < smcf->audits.nelts; i++) {
        own = audits[i]->file;

        if (own == NULL) {
            continue;
        }

        part = &cf->cycle->open_files.part;
        file = part->elts;

        for (j = 0; /* void */ ; j++) {

            if (j >= part->nelts) {
                if (part->next == NULL) {
                    break;
                }

                part = part->next;
                file = part->elts;
                j = 0;
            }

            if (&file[j] == own || file[j].name.len != own->name.len
                || ngx_strncmp(file[j].name.data, own->name.data,
                               own->name.len) != 0)
            {
                continue;
            }

            for (k = 0; blocks[k]->audit != audits[i]; k++) {
                /* void: every audit has the block that named it first */
            }

            ngx_log_error(NGX_LOG_EMERG, cf->log, 0,
                          "audit log \"%V\" is used by another log "
                          "declared after it (access_log, error_log, ...): "
                          "\"sf_backup_audit_log\" must have its file to "
                          "itself in %V:%ui",
                          &audits[i]->name, &blocks[k]->audit_at.file,
                          blocks[k]->audit_at.line);
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}


/* one audit file, one chain: sealed in every block that names it, or none */
static ngx_int_t
ngx_http_sf_backup_check_audit_keys(ngx_conf_t *cf,
    ngx_http_sf_backup_main_conf_t *smcf)
{
    ngx_uint_t                       i, j;
    ngx_http_sf_backup_loc_conf_t  **blocks, *keyed, *unkeyed;

    blocks = smcf->audit_blocks.elts;

    for (i = 0; i < smcf->audit_blocks.nelts; i++) {
        for (j = i + 1; j < smcf->audit_blocks.nelts; j++) {

            if (blocks[i]->audit != blocks[j]->audit
                || (blocks[i]->audit_keyed != 0)
                   == (blocks[j]->audit_keyed != 0))
            {
                continue;
            }

            keyed = blocks[i]->audit_keyed ? blocks[i] : blocks[j];
            unkeyed = blocks[i]->audit_keyed ? blocks[j] : blocks[i];

            ngx_log_error(NGX_LOG_EMERG, cf->log, 0,
                          "audit log \"%V\" is sealed with \"%s\" in "
                          "%V:%ui but not where \"sf_backup_audit_log\" "
                          "names it again: every block that names an audit "
                          "file must give the same key, or none, in %V:%ui",
                          &blocks[i]->audit->name,
                          blocks[i]->audit->seal_path.len
                          ? "sf_backup_audit_seal" : "sf_backup_audit_key",
                          &keyed->audit_at.file,
                          keyed->audit_at.line, &unkeyed->audit_at.file,
                          unkeyed->audit_at.line);
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}


/* where the directive being read is, for a check made later */
void
ngx_http_sf_backup_conf_at(ngx_conf_t *cf, ngx_http_sf_backup_conf_at_t *at)
{
    at->file = cf->conf_file->file.name;
    at->line = cf->conf_file->line;
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


/*
 * api-version values, policy names: printable ASCII without spaces, quotes
 * or separators, so that what the operator wrote is what is compared.
 */
static ngx_int_t
ngx_http_sf_backup_check_token(ngx_conf_t *cf, ngx_str_t *value,
    const char *what)
{
    size_t      i;
    ngx_str_t  *args;

    args = cf->args->elts;

    if (value->len == 0 || value->len > 256) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\": invalid %s \"%V\": must be 1 to 256 "
                           "characters", &args[0], what, value);
        return NGX_ERROR;
    }

    for (i = 0; i < value->len; i++) {
        if (value->data[i] <= 0x20 || value->data[i] >= 0x7f
            || value->data[i] == '"' || value->data[i] == ','
            || value->data[i] == '\\')
        {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "\"%V\": invalid %s \"%V\": only printable "
                               "ASCII without spaces, quotes, commas or "
                               "backslashes", &args[0], what, value);
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}


/*
 * Service Fabric's REST api-versions: MAJOR.MINOR, "-preview" for a version
 * that was (6.2-preview, 6.4, 7.0, 8.2), so that a typo is not a version no
 * client ever sends.
 */
static ngx_int_t
ngx_http_sf_backup_check_api_version(ngx_conf_t *cf, ngx_str_t *value)
{
    u_char      *p, *last;
    ngx_str_t   *args;
    ngx_uint_t   part, digits;

    if (ngx_http_sf_backup_check_token(cf, value, "api-version") != NGX_OK) {
        return NGX_ERROR;
    }

    p = value->data;
    last = p + value->len;

    if (value->len > sizeof("-preview") - 1
        && ngx_strncmp(last - (sizeof("-preview") - 1), "-preview",
                       sizeof("-preview") - 1)
           == 0)
    {
        last -= sizeof("-preview") - 1;
    }

    for (part = 0; part < 2; part++) {

        for (digits = 0; p < last && *p >= '0' && *p <= '9'; p++) {
            digits++;
        }

        if (digits == 0 || digits > 3) {
            goto invalid;
        }

        if (part == 0) {
            if (p == last || *p != '.') {
                goto invalid;
            }

            p++;
        }
    }

    if (p == last) {
        return NGX_OK;
    }

invalid:

    args = cf->args->elts;

    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                       "\"%V\": invalid api-version \"%V\": a Service "
                       "Fabric REST version is MAJOR.MINOR, optionally "
                       "with \"-preview\" (6.2-preview, 6.4, 7.0)",
                       &args[0], value);
    return NGX_ERROR;
}


/*
 * The bounds of a size directive, said in bytes and with the value given,
 * e.g. "sf_backup_max_body" must be between 1 and 1048576 bytes (1m).
 */
static char *
ngx_http_sf_backup_check_size(ngx_conf_t *cf, void *post, void *data)
{
    ngx_http_sf_backup_size_bounds_t  *bounds = post;
    size_t                            *sp = data;

    u_char      buf[NGX_INT_T_LEN + 2], *end;
    ngx_str_t  *value;

    if (*sp >= bounds->low && (bounds->high == 0 || *sp <= bounds->high)) {
        return NGX_CONF_OK;
    }

    value = cf->args->elts;

    if (bounds->high == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\" must be at least %uz byte%s, not \"%V\"",
                           &value[0], bounds->low,
                           bounds->low == 1 ? "" : "s", &value[1]);
        return NGX_CONF_ERROR;
    }

    if (bounds->high % (1024 * 1024) == 0) {
        end = ngx_sprintf(buf, "%uzm", bounds->high / (1024 * 1024));

    } else if (bounds->high % 1024 == 0) {
        end = ngx_sprintf(buf, "%uzk", bounds->high / 1024);

    } else {
        end = ngx_sprintf(buf, "%uz", bounds->high);
    }

    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                       "\"%V\" must be between %uz and %uz bytes (%*s), "
                       "not \"%V\"", &value[0], bounds->low, bounds->high,
                       (size_t) (end - buf), buf, &value[1]);
    return NGX_CONF_ERROR;
}


static char *
ngx_http_sf_backup_api_versions(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_sf_backup_loc_conf_t *slcf = conf;

    ngx_str_t   *value;
    sfb_str_t   *v;
    ngx_uint_t   i;

    if (slcf->api_versions != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;

    slcf->api_versions = ngx_array_create(cf->pool, cf->args->nelts - 1,
                                          sizeof(sfb_str_t));
    if (slcf->api_versions == NULL) {
        return NGX_CONF_ERROR;
    }

    for (i = 1; i < cf->args->nelts; i++) {
        if (ngx_http_sf_backup_check_api_version(cf, &value[i]) != NGX_OK) {
            return NGX_CONF_ERROR;
        }

        v = ngx_array_push(slcf->api_versions);
        if (v == NULL) {
            return NGX_CONF_ERROR;
        }

        v->data = value[i].data;
        v->len = value[i].len;
    }

    return NGX_CONF_OK;
}


static char *
ngx_http_sf_backup_upstream_api_version(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_sf_backup_loc_conf_t *slcf = conf;

    ngx_str_t  *value;

    if (slcf->upstream_api_version.data != NULL) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (ngx_http_sf_backup_check_api_version(cf, &value[1]) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    slcf->upstream_api_version = value[1];

    return NGX_CONF_OK;
}


static char *
ngx_http_sf_backup_timeout(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_sf_backup_loc_conf_t *slcf = conf;

    u_char      *p;
    uint64_t     n[2];
    ngx_str_t   *value;
    ngx_uint_t   i;

    if (slcf->timeout_min != NGX_CONF_UNSET_UINT) {
        return "is duplicate";
    }

    value = cf->args->elts;

    for (i = 0; i < 2; i++) {
        n[i] = 0;

        if (value[i + 1].len == 0 || value[i + 1].len > 10) {
            goto invalid;
        }

        for (p = value[i + 1].data; p < value[i + 1].data + value[i + 1].len;
             p++)
        {
            if (*p < '0' || *p > '9') {
                goto invalid;
            }

            n[i] = n[i] * 10 + (*p - '0');
        }

        /* the REST contract: an int64 between 1 and 4294967295 */
        if (n[i] < 1 || n[i] > 4294967295ULL) {
            goto invalid;
        }
    }

    if (n[0] > n[1]) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\": the minimum %V is above the maximum %V",
                           &cmd->name, &value[1], &value[2]);
        return NGX_CONF_ERROR;
    }

    slcf->timeout_min = n[0];
    slcf->timeout_max = n[1];

    return NGX_CONF_OK;

invalid:

    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                       "\"%V\": \"%V\" is not a number of seconds "
                       "between 1 and 4294967295",
                       &cmd->name, &value[i + 1]);
    return NGX_CONF_ERROR;
}


/* A list directive's one argument with variables: compiled. */
static ngx_http_complex_value_t *
ngx_http_sf_backup_list_variable(ngx_conf_t *cf, ngx_str_t *value)
{
    ngx_http_complex_value_t          *cv;
    ngx_http_compile_complex_value_t   ccv;

    cv = ngx_palloc(cf->pool, sizeof(ngx_http_complex_value_t));
    if (cv == NULL) {
        return NULL;
    }

    ngx_memzero(&ccv, sizeof(ngx_http_compile_complex_value_t));

    ccv.cf = cf;
    ccv.value = value;
    ccv.complex_value = cv;

    if (ngx_http_compile_complex_value(&ccv) != NGX_OK) {
        return NULL;
    }

    return cv;
}


/*
 * The operations a caller may use: names (checked now) or one variable,
 * a space- or comma-separated list per request, as a map gives it.
 */
static char *
ngx_http_sf_backup_operations(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_sf_backup_loc_conf_t *slcf = conf;

    ngx_str_t                         *value;
    ngx_uint_t                         i;
    sfb_operation_e                    op;

    if (slcf->operations != NGX_CONF_UNSET_UINT
        || slcf->operations_cv != NGX_CONF_UNSET_PTR)
    {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (cf->args->nelts == 2 && ngx_http_script_variables_count(&value[1])) {
        slcf->operations_cv = ngx_http_sf_backup_list_variable(cf, &value[1]);
        if (slcf->operations_cv == NULL) {
            return NGX_CONF_ERROR;
        }

        slcf->operations = 0;

        return NGX_CONF_OK;
    }

    slcf->operations_cv = NULL;
    slcf->operations = 0;

    for (i = 1; i < cf->args->nelts; i++) {
        if (ngx_http_script_variables_count(&value[i])) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "\"%V\": a variable must be the only "
                               "argument", &cmd->name);
            return NGX_CONF_ERROR;
        }

        op = sfb_operation_by_name(value[i].data, value[i].len);

        if (op == SFB_OP_NONE) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "unknown operation \"%V\" in \"%V\": it "
                               "must be enable, disable, suspend, resume, "
                               "backup, restore, read, policy, "
                               "storage_query, clean or storage",
                               &value[i], &cmd->name);
            return NGX_CONF_ERROR;
        }

        slcf->operations |= SFB_OP_BIT(op);
    }

    return NGX_CONF_OK;
}


static char *
ngx_http_sf_backup_policies(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_sf_backup_loc_conf_t *slcf = conf;

    sfb_str_t                         *p;
    ngx_str_t                         *value;
    ngx_uint_t                         i;
    ngx_http_sf_backup_main_conf_t    *smcf;

    if (slcf->policies != NGX_CONF_UNSET_PTR
        || slcf->policies_cv != NGX_CONF_UNSET_PTR)
    {
        return "is duplicate";
    }

    value = cf->args->elts;

    smcf = ngx_http_conf_get_module_main_conf(cf,
                                              ngx_http_sf_backup_gate_module);
    smcf->policies_set = 1;

    if (cf->args->nelts == 2 && ngx_http_script_variables_count(&value[1])) {
        slcf->policies_cv = ngx_http_sf_backup_list_variable(cf, &value[1]);
        if (slcf->policies_cv == NULL) {
            return NGX_CONF_ERROR;
        }

        slcf->policies = NULL;

        return NGX_CONF_OK;
    }

    slcf->policies_cv = NULL;
    slcf->policies = ngx_array_create(cf->pool, cf->args->nelts - 1,
                                      sizeof(sfb_str_t));
    if (slcf->policies == NULL) {
        return NGX_CONF_ERROR;
    }

    for (i = 1; i < cf->args->nelts; i++) {
        if (ngx_http_script_variables_count(&value[i])) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "\"%V\": a variable must be the only "
                               "argument", &cmd->name);
            return NGX_CONF_ERROR;
        }

        if (ngx_http_sf_backup_check_token(cf, &value[i], "policy name")
            != NGX_OK)
        {
            return NGX_CONF_ERROR;
        }

        p = ngx_array_push(slcf->policies);
        if (p == NULL) {
            return NGX_CONF_ERROR;
        }

        p->data = value[i].data;
        p->len = value[i].len;
    }

    return NGX_CONF_OK;
}


/* an identity that is always empty would deny every request */
static char *
ngx_http_sf_backup_identity(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_str_t  *value;

    value = cf->args->elts;

    if (value[1].len == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\" must not be empty", &cmd->name);
        return NGX_CONF_ERROR;
    }

    return ngx_http_set_complex_value_slot(cf, cmd, conf);
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

    return slcf;
}


static char *
ngx_http_sf_backup_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_http_sf_backup_loc_conf_t *prev = parent;
    ngx_http_sf_backup_loc_conf_t *conf = child;

    sfb_str_t  *v;

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
        conf->timeout_min = 1;
        conf->timeout_max = 4294967295ULL;
    }

    ngx_conf_merge_size_value(conf->max_body, prev->max_body, 4096);

    if (conf->policies == NGX_CONF_UNSET_PTR
        && conf->policies_cv == NGX_CONF_UNSET_PTR)
    {
        conf->policies = prev->policies;
        conf->policies_cv = prev->policies_cv;
    }

    /* no allow-list at all: every policy is denied (fail closed) */
    if (conf->policies == NGX_CONF_UNSET_PTR) {
        conf->policies = NULL;
    }

    if (conf->policies_cv == NGX_CONF_UNSET_PTR) {
        conf->policies_cv = NULL;
    }

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
    ngx_conf_merge_value(conf->audit_fail_closed, prev->audit_fail_closed,
                         0);

    if (conf->audit_fail_closed && conf->audit == NULL
        && conf->gate != NGX_HTTP_SF_BACKUP_OFF)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"sf_backup_audit_fail_closed on\" needs "
                           "\"sf_backup_audit_log\"");
        return NGX_CONF_ERROR;
    }

    sfb_rules_init(&conf->rules);

    if (conf->api_versions != NULL) {
        conf->rules.api_versions = conf->api_versions->elts;
        conf->rules.n_api_versions = conf->api_versions->nelts;

    } else {
        /* the REST reference: the value must be '6.2-preview' */
        v = ngx_palloc(cf->pool, sizeof(sfb_str_t));
        if (v == NULL) {
            return NGX_CONF_ERROR;
        }

        v->data = (const unsigned char *) "6.2-preview";
        v->len = sizeof("6.2-preview") - 1;

        conf->rules.api_versions = v;
        conf->rules.n_api_versions = 1;
    }

    conf->rules.timeout_min = conf->timeout_min;
    conf->rules.timeout_max = conf->timeout_max;
    conf->rules.max_body = conf->max_body;
    conf->rules.upstream_api_version.data = conf->upstream_api_version.data;
    conf->rules.upstream_api_version.len = conf->upstream_api_version.len;
    conf->rules.backup_restore_open = conf->backup_restore ? 1 : 0;

    ngx_http_sf_backup_note_gate_location(cf, conf);

    return NGX_CONF_OK;
}
