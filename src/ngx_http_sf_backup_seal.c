/*
 * sf-backup-gate: forward-secure sealing of the audit log
 * (sf_backup_audit_seal; the keys are src/sfb_seal.c's).
 *
 * The master reads the state file only to check it, at configuration time,
 * and erases what it read: it holds no sealing key after configuration.
 * Each worker loads the state in init_process, moves it on to the current
 * epoch, and from then on, before each record, moves its own key on when
 * the epoch changes: the older key is erased from its memory, and the
 * state file is replaced (temporary file, fsync, rename) so that it holds
 * only the newest epoch's key, never an older one than any worker's.  The
 * workers therefore need to read and write the file and its directory:
 * both belong to the user nginx's workers run as (the "user" directive),
 * which nginx -t checks when it runs as root and "user" comes before the
 * http block.
 */

#include "ngx_http_sf_backup_audit.h"


static void ngx_http_sf_backup_seal_free(void *data);
static ngx_int_t ngx_http_sf_backup_seal_save(
    ngx_http_sf_backup_audit_t *audit, ngx_log_t *log);


/*
 * sf_backup_audit_seal file [interval=time]; after sf_backup_audit_log,
 * instead of sf_backup_audit_key.  A relative name is relative to the
 * configuration's directory.
 */
char *
ngx_http_sf_backup_audit_seal(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_sf_backup_loc_conf_t *slcf = conf;

    char              err[512], *rv;
    time_t            interval;
    ngx_str_t        *value, name, v;
    sfb_seal_t        s;
    ngx_file_info_t   fi;
    ngx_core_conf_t  *ccf;

    value = cf->args->elts;

    rv = ngx_http_sf_backup_audit_sealable(cf, cmd, slcf);
    if (rv != NGX_CONF_OK) {
        return rv;
    }

    interval = 0;

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

    /* checked, then forgotten: the master keeps no sealing key */

    if (sfb_seal_state_load((const char *) name.data, &s, err, sizeof(err))
        != 0)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "%s", err);
        return NGX_CONF_ERROR;
    }

    if (interval && (int64_t) interval != s.interval) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "interval=%V, but \"%V\" was set up with epochs "
                           "of %L s (sf-backup-audit-verify --setup-keys "
                           "--interval)", &v, &name, s.interval);
        sfb_seal_clear(&s);
        return NGX_CONF_ERROR;
    }

    sfb_seal_clear(&s);

    /* the workers replace the file: it must be theirs */

    ccf = (ngx_core_conf_t *) ngx_get_conf(cf->cycle->conf_ctx,
                                           ngx_core_module);

    if (geteuid() == 0 && ccf->user != (ngx_uid_t) NGX_CONF_UNSET_UINT
        && ngx_file_info(name.data, &fi) != NGX_FILE_ERROR
        && fi.st_uid != ccf->user)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "seal state file \"%V\" is owned by uid %d, but "
                           "nginx's worker processes run as uid %d (\"user\"):"
                           " they must own it and its directory, to replace "
                           "it at each epoch", &name, (int) fi.st_uid,
                           (int) ccf->user);
        return NGX_CONF_ERROR;
    }

    slcf->audit->seal_path = name;
    slcf->audit_keyed = NGX_HTTP_SF_BACKUP_SEALED;

    if (slcf->audit->file == NULL) {
        return NGX_CONF_OK;
    }

    return ngx_http_sf_backup_ledger_add(cf, slcf->audit);
}


/* In a worker: its own copy of the state, moved on to now, and the chain. */
ngx_int_t
ngx_http_sf_backup_seal_init_process(ngx_cycle_t *cycle,
    ngx_http_sf_backup_audit_t *audit)
{
    char                 err[512];
    int64_t              epoch;
    ngx_time_t          *tp;
    ngx_pool_cleanup_t  *cln;

    audit->seal = ngx_pcalloc(cycle->pool, sizeof(sfb_seal_t));
    if (audit->seal == NULL) {
        return NGX_ERROR;
    }

    cln = ngx_pool_cleanup_add(cycle->pool, 0);
    if (cln == NULL) {
        return NGX_ERROR;
    }

    cln->handler = ngx_http_sf_backup_seal_free;
    cln->data = audit;

    if (sfb_seal_state_load((const char *) audit->seal_path.data, audit->seal,
                            err, sizeof(err))
        != 0)
    {
        ngx_log_error(NGX_LOG_EMERG, cycle->log, 0,
                      "sf_backup: %s (the worker processes must own the "
                      "seal state file and its directory)", err);
        return NGX_ERROR;
    }

    tp = ngx_timeofday();
    epoch = sfb_seal_epoch_at(audit->seal,
                              (int64_t) tp->sec * 1000 + tp->msec);

    if (epoch > 0 && sfb_seal_advance(audit->seal, (uint64_t) epoch) < 0) {
        ngx_log_error(NGX_LOG_EMERG, cycle->log, 0,
                      "sf_backup: could not move the sealing key on");
        return NGX_ERROR;
    }

    /* written now, so that a file the workers cannot replace is a worker
     * that does not start, not a key left behind at the next epoch */

    audit->seal_behind = 1;

    if (ngx_http_sf_backup_seal_save(audit, cycle->log) != NGX_OK) {
        return NGX_ERROR;
    }

    audit->chain = sfb_seal_chain_create(audit->seal);
    if (audit->chain == NULL) {
        ngx_log_error(NGX_LOG_EMERG, cycle->log, 0,
                      "sf_backup: could not set up the sealed audit chain");
        return NGX_ERROR;
    }

    return NGX_OK;
}


/*
 * Before each record: a new epoch moves the key on (the old one erased)
 * and the state file after it.  A file that cannot be replaced is an
 * alert, tried again with a record a second later or more: the records
 * are sealed with the new key meanwhile, but the file still holds an
 * older one.
 */
ngx_int_t
ngx_http_sf_backup_seal_tick(ngx_http_sf_backup_audit_t *audit,
    ngx_log_t *log)
{
    ngx_int_t    rc;
    ngx_time_t  *tp;

    if (audit->seal == NULL || audit->chain == NULL) {
        return NGX_OK;
    }

    tp = ngx_timeofday();

    rc = sfb_seal_tick(audit->seal, audit->chain,
                       (int64_t) tp->sec * 1000 + tp->msec);

    if (rc < 0) {
        ngx_log_error(NGX_LOG_ALERT, log, 0,
                      "sf_backup: could not move the sealing key of \"%V\" "
                      "on to a new epoch", &audit->name);
        return NGX_ERROR;
    }

    if (rc == 1) {
        audit->seal_behind = 1;
    }

    if (audit->seal_behind && ngx_time() >= audit->seal_retry) {
        (void) ngx_http_sf_backup_seal_save(audit, log);
    }

    return NGX_OK;
}


static ngx_int_t
ngx_http_sf_backup_seal_save(ngx_http_sf_backup_audit_t *audit,
    ngx_log_t *log)
{
    char  err[512];

    /* 1: another worker has moved the file on to this epoch, or further */

    if (sfb_seal_state_save((const char *) audit->seal_path.data,
                            audit->seal, 0, err, sizeof(err))
        < 0)
    {
        ngx_log_error(NGX_LOG_ALERT, log, 0,
                      "sf_backup: the seal state file still holds an older "
                      "epoch's key: %s", err);
        audit->seal_retry = ngx_time() + 1;
        return NGX_ERROR;
    }

    audit->seal_behind = 0;

    return NGX_OK;
}


static void
ngx_http_sf_backup_seal_free(void *data)
{
    ngx_http_sf_backup_audit_t  *audit = data;

    if (audit->seal != NULL) {
        sfb_seal_clear(audit->seal);
        audit->seal = NULL;
    }
}
