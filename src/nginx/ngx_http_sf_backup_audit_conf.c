/*
 * sf-backup-gate: the audit log's directives, sf_backup_audit_log,
 * sf_backup_audit_key and sf_backup_audit_fail_closed, read at
 * configuration time in the master (sf_backup_audit_seal is
 * ngx_http_sf_backup_seal.c's).
 */

#include "ngx_http_sf_backup_audit.h"


static ngx_open_file_t *ngx_http_sf_backup_audit_file(ngx_conf_t *cf,
    ngx_str_t *name);
static char *ngx_http_sf_backup_audit_sealable(ngx_conf_t *cf,
    ngx_command_t *cmd, ngx_http_sf_backup_loc_conf_t *slcf);
static ngx_http_sf_backup_audit_t *ngx_http_sf_backup_audit_get(
    ngx_conf_t *cf, ngx_str_t *name, ngx_open_file_t *file);


/* sf_backup_audit_log path | syslog:server=... | off; */
char *
ngx_http_sf_backup_audit_log(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_sf_backup_loc_conf_t *slcf = conf;

    ngx_str_t                        *value;
    ngx_open_file_t                  *file;
    ngx_http_sf_backup_audit_t       *audit;
    ngx_http_sf_backup_loc_conf_t   **block;
    ngx_http_sf_backup_main_conf_t   *smcf;

    if (slcf->audit != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (ngx_strcmp(value[1].data, "off") == 0) {
        slcf->audit = NULL;
        return NGX_CONF_OK;
    }

    file = NULL;

    if (ngx_strncmp(value[1].data, "syslog:", 7) != 0) {
        file = ngx_http_sf_backup_audit_file(cf, &value[1]);
        if (file == NULL) {
            return NGX_CONF_ERROR;
        }
    }

    audit = ngx_http_sf_backup_audit_get(cf, &value[1], file);
    if (audit == NULL) {
        return NGX_CONF_ERROR;
    }

    if (file != NULL) {
        file->flush = ngx_http_sf_backup_audit_reopen;
        file->data = audit;

    } else if (audit->syslog == NULL) {
        audit->syslog = ngx_pcalloc(cf->pool, sizeof(ngx_syslog_peer_t));
        if (audit->syslog == NULL) {
            return NGX_CONF_ERROR;
        }

        if (ngx_syslog_process_conf(cf, audit->syslog) != NGX_CONF_OK) {
            return NGX_CONF_ERROR;
        }
    }

    slcf->audit = audit;
    ngx_http_sf_backup_conf_at(cf, &slcf->audit_at);

    /* what the postconfiguration check compares: keyed or not, per block */

    smcf = ngx_http_conf_get_module_main_conf(cf,
                                              ngx_http_sf_backup_gate_module);

    block = ngx_array_push(&smcf->audit_blocks);
    if (block == NULL) {
        return NGX_CONF_ERROR;
    }

    *block = slcf;

    return NGX_CONF_OK;
}


/*
 * sf_backup_audit_key file; after sf_backup_audit_log, read once here.
 * A relative name is relative to the configuration's directory, like
 * ssl_certificate_key.
 */
char *
ngx_http_sf_backup_audit_key(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_sf_backup_loc_conf_t *slcf = conf;

    char       *rv;
    size_t      len;
    ngx_str_t  *value, name;
    u_char      key[SFB_AUDIT_KEY_MAX];
    char        err[256];

    value = cf->args->elts;

    rv = ngx_http_sf_backup_audit_sealable(cf, cmd, slcf);
    if (rv != NGX_CONF_OK) {
        return rv;
    }

    if (slcf->audit->seal_path.len) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "audit log \"%V\" is sealed with "
                           "\"sf_backup_audit_seal\" already",
                           &slcf->audit->name);
        return NGX_CONF_ERROR;
    }

    name = value[1];

    if (ngx_conf_full_name(cf->cycle, &name, 1) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    len = sizeof(key);

    if (sfb_audit_key_load((const char *) name.data, key, &len, err,
                           sizeof(err))
        != 0)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "%s", err);
        return NGX_CONF_ERROR;
    }

    if (slcf->audit->key.len
        && (slcf->audit->key.len != len
            || ngx_memcmp(slcf->audit->key.data, key, len) != 0))
    {
        ngx_explicit_memzero(key, sizeof(key));
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "audit log \"%V\" has another key already",
                           &slcf->audit->name);
        return NGX_CONF_ERROR;
    }

    if (slcf->audit->key.len == 0) {
        slcf->audit->key.data = ngx_pnalloc(cf->pool, len);
        if (slcf->audit->key.data == NULL) {
            return NGX_CONF_ERROR;
        }

        ngx_memcpy(slcf->audit->key.data, key, len);
        slcf->audit->key.len = len;
    }

    ngx_explicit_memzero(key, sizeof(key));

    slcf->audit_keyed = NGX_HTTP_SF_BACKUP_KEYED;

    if (slcf->audit->file == NULL) {
        return NGX_CONF_OK;
    }

    return ngx_http_sf_backup_ledger_add(cf, slcf->audit);
}


/*
 * sf_backup_audit_seal file [interval=time]; after sf_backup_audit_log,
 * instead of sf_backup_audit_key.  A relative name is relative to the
 * configuration's directory.
 */
char *
ngx_http_sf_backup_audit_seal(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_sf_backup_loc_conf_t *slcf = conf;

    char       *rv;
    time_t      interval;
    ngx_str_t  *value, name, v;

    value = cf->args->elts;

    rv = ngx_http_sf_backup_audit_sealable(cf, cmd, slcf);
    if (rv != NGX_CONF_OK) {
        return rv;
    }

    interval = 0;
    ngx_str_null(&v);

    if (cf->args->nelts == 3) {
        if (ngx_strncmp(value[2].data, "interval=", 9) != 0) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid parameter \"%V\"", &value[2]);
            return NGX_CONF_ERROR;
        }

        v.data = value[2].data + 9;
        v.len = value[2].len - 9;

        interval = ngx_parse_time(&v, 1);

        if (interval == (time_t) NGX_ERROR
            || interval < SFB_SEAL_INTERVAL_MIN)
        {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid interval \"%V\" (at least %d s)",
                               &v, SFB_SEAL_INTERVAL_MIN);
            return NGX_CONF_ERROR;
        }
    }

    name = value[1];

    if (ngx_conf_full_name(cf->cycle, &name, 1) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    if (slcf->audit->key.len
        || (slcf->audit->seal_path.len
            && (slcf->audit->seal_path.len != name.len
                || ngx_strncmp(slcf->audit->seal_path.data, name.data,
                               name.len)
                   != 0)))
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "audit log \"%V\" has another key already",
                           &slcf->audit->name);
        return NGX_CONF_ERROR;
    }

    if (slcf->audit->seal_path.len == 0) {
        slcf->audit->seal_path = name;

        /* nginx -s only signals the master: the file is the master's */

        if (ngx_process != NGX_PROCESS_SIGNALLER
            && ngx_http_sf_backup_seal_open(cf, slcf->audit, interval, &v)
            != NGX_OK)
        {
            return NGX_CONF_ERROR;
        }
    }

    slcf->audit_keyed = NGX_HTTP_SF_BACKUP_SEALED;

    if (slcf->audit->file == NULL) {
        return NGX_CONF_OK;
    }

    return ngx_http_sf_backup_ledger_add(cf, slcf->audit);
}


/* sf_backup_audit_fail_closed on | off; where, for the merge's check */
char *
ngx_http_sf_backup_audit_fail_closed(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_sf_backup_loc_conf_t *slcf = conf;

    char  *rv;

    rv = ngx_conf_set_flag_slot(cf, cmd, conf);

    if (rv == NGX_CONF_OK) {
        ngx_http_sf_backup_conf_at(cf, &slcf->audit_fail_closed_at);
    }

    return rv;
}


/*
 * What sf_backup_audit_key and sf_backup_audit_seal both need: an audit log
 * set before them in the same block, and no other key in this block.
 */
static char *
ngx_http_sf_backup_audit_sealable(ngx_conf_t *cf, ngx_command_t *cmd,
    ngx_http_sf_backup_loc_conf_t *slcf)
{
    if (slcf->audit_keyed) {
        if ((slcf->audit_keyed == NGX_HTTP_SF_BACKUP_SEALED)
            == (cmd->name.len == sizeof("sf_backup_audit_seal") - 1))
        {
            return "is duplicate";
        }

        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"sf_backup_audit_key\" and "
                           "\"sf_backup_audit_seal\" in one block: a log is "
                           "sealed with one of them");
        return NGX_CONF_ERROR;
    }

    if (slcf->audit == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\" has no audit log to seal: "
                           "\"sf_backup_audit_log\" is off in this block",
                           &cmd->name);
        return NGX_CONF_ERROR;
    }

    if (slcf->audit == NGX_CONF_UNSET_PTR) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\" needs \"sf_backup_audit_log\" before it "
                           "in the same block", &cmd->name);
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


/*
 * The audit file's entry in cycle->open_files: nginx opens it O_APPEND and
 * reopens it on SIGUSR1.  Until the http block is read the entry is hidden
 * from ngx_conf_open_file()'s lookup by name (its name.len counts the
 * terminating NUL, which no lookup's does), so that a log declared later
 * with the same path (access_log, error_log) gets an entry of its own,
 * which ngx_http_sf_backup_check_conf() then finds and refuses.
 */
static ngx_open_file_t *
ngx_http_sf_backup_audit_file(ngx_conf_t *cf, ngx_str_t *name)
{
    ngx_str_t                        full;
    ngx_uint_t                       i;
    ngx_list_part_t                 *part;
    ngx_open_file_t                 *file;
    ngx_http_sf_backup_audit_t     **audits;
    ngx_http_sf_backup_main_conf_t  *smcf;

    full = *name;

    if (ngx_conf_full_name(cf->cycle, &full, 0) != NGX_OK) {
        return NULL;
    }

    /* another block's sf_backup_audit_log of the same file */

    smcf = ngx_http_conf_get_module_main_conf(cf,
                                              ngx_http_sf_backup_gate_module);
    audits = smcf->audits.elts;

    for (i = 0; i < smcf->audits.nelts; i++) {
        file = audits[i]->file;

        if (file != NULL && file->name.len == full.len + 1
            && ngx_strcmp(file->name.data, full.data) == 0)
        {
            return file;
        }
    }

    /* a log declared before, whatever module's */

    part = &cf->cycle->open_files.part;
    file = part->elts;

    for (i = 0; /* void */ ; i++) {

        if (i >= part->nelts) {
            if (part->next == NULL) {
                break;
            }

            part = part->next;
            file = part->elts;
            i = 0;
        }

        if (file[i].name.len == full.len
            && ngx_strcmp(file[i].name.data, full.data) == 0)
        {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "audit log \"%V\" is used by another log "
                               "declared before it (access_log, error_log, "
                               "...): \"sf_backup_audit_log\" must have its "
                               "file to itself", name);
            return NULL;
        }
    }

    file = ngx_conf_open_file(cf->cycle, name);
    if (file == NULL) {
        return NULL;
    }

    file->name.len++;

    return file;
}


/*
 * One destination per file (whatever name reaches it) or syslog server,
 * shared by every location that names it.
 */
static ngx_http_sf_backup_audit_t *
ngx_http_sf_backup_audit_get(ngx_conf_t *cf, ngx_str_t *name,
    ngx_open_file_t *file)
{
    ngx_uint_t                       i;
    ngx_http_sf_backup_audit_t     **audits, *audit, **slot;
    ngx_http_sf_backup_main_conf_t  *smcf;

    smcf = ngx_http_conf_get_module_main_conf(cf,
                                              ngx_http_sf_backup_gate_module);

    audits = smcf->audits.elts;

    for (i = 0; i < smcf->audits.nelts; i++) {
        if (file != NULL ? audits[i]->file == file
                         : audits[i]->file == NULL
                           && audits[i]->name.len == name->len
                           && ngx_strncmp(audits[i]->name.data, name->data,
                                          name->len) == 0)
        {
            return audits[i];
        }
    }

    audit = ngx_pcalloc(cf->pool, sizeof(ngx_http_sf_backup_audit_t));
    if (audit == NULL) {
        return NULL;
    }

    audit->name = *name;
    ngx_http_sf_backup_conf_at(cf, &audit->at);
    audit->file = file;
    audit->chain_fd = NGX_INVALID_FILE;
    audit->seal_fd = -1;
    audit->row = -1;

    slot = ngx_array_push(&smcf->audits);
    if (slot == NULL) {
        return NULL;
    }

    *slot = audit;

    return audit;
}
