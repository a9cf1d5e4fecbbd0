/*
 * sf-backup-gate: forward-secure sealing of the audit log
 * (sf_backup_audit_seal, read by _audit_conf.c; the keys and the state
 * file are src/core/sfb_seal*.c's).
 *
 * The master opens the state file while it reads the configuration (at
 * start, at each reload, and for nginx -t), checks it, moves it on to the
 * current epoch and keeps only the descriptor: it holds no sealing key
 * after configuration.  The workers inherit the descriptor, so they need
 * no right of their own on the file or its directory (root's, mode 0600,
 * is fine): nothing about the file can make a worker that does not start.
 * Each worker reads the state in init_process and moves it on to the
 * current epoch, then moves its key on at each epoch, by a timer (an idle
 * gateway holds no past epoch's key) and before each record: the older key
 * is erased from its memory and the file is updated in place (two slots,
 * fsync; sfb_seal.h), never moving back when several workers share it.
 *
 * A worker that cannot seal (the state unreadable at its start) does not
 * exit, which would leave the port accepting connections nobody serves:
 * it answers every governed request 503 (FabricError), said in the error
 * log, and writes no record it cannot seal.
 */

#include "ngx_http_sf_backup_audit.h"
#include "ngx_http_sf_backup_metrics.h"


typedef struct {
    int   fd;
} ngx_http_sf_backup_seal_file_t;


static void ngx_http_sf_backup_seal_close(void *data);
static void ngx_http_sf_backup_seal_free(void *data);
static int ngx_http_sf_backup_seal_now(sfb_seal_t *s);
static int64_t ngx_http_sf_backup_seal_ms(void);
static void ngx_http_sf_backup_seal_timer(ngx_http_sf_backup_audit_t *audit);
static void ngx_http_sf_backup_seal_epoch_handler(ngx_event_t *ev);
static ngx_int_t ngx_http_sf_backup_seal_save(
    ngx_http_sf_backup_audit_t *audit, ngx_log_t *log);


/*
 * The state file opened once for this configuration's workers, checked,
 * and moved on to the current epoch: an idle gateway restarted holds no
 * past epoch's key either.  What was read is erased.
 */
ngx_int_t
ngx_http_sf_backup_seal_open(ngx_conf_t *cf,
    ngx_http_sf_backup_audit_t *audit, time_t interval, ngx_str_t *given)
{
    int                              fd;
    char                             err[512];
    sfb_seal_t                       s;
    ngx_pool_cleanup_t              *cln;
    ngx_http_sf_backup_seal_file_t  *f;

    cln = ngx_pool_cleanup_add(cf->pool,
                               sizeof(ngx_http_sf_backup_seal_file_t));
    if (cln == NULL) {
        return NGX_ERROR;
    }

    f = cln->data;
    f->fd = -1;
    cln->handler = ngx_http_sf_backup_seal_close;

    if (sfb_seal_state_open((const char *) audit->seal_path.data, &fd, &s,
                            err, sizeof(err))
        != 0)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "%s%s", err,
                           access((const char *) audit->seal_path.data, F_OK)
                           == 0 ? ""
                           : " (sf-backup-audit-verify --setup-keys makes "
                             "one)");
        return NGX_ERROR;
    }

    f->fd = fd;
    audit->seal_fd = fd;

    if (interval && (int64_t) interval != s.interval) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "interval=%V, but \"%V\" was set up with epochs "
                           "of %L s (sf-backup-audit-verify --setup-keys "
                           "--interval)", given, &audit->seal_path,
                           s.interval);
        sfb_seal_clear(&s);
        return NGX_ERROR;
    }

    if (ngx_http_sf_backup_seal_now(&s) > 0
        && sfb_seal_state_write(fd, &s, err, sizeof(err)) < 0)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "seal state file \"%V\": %s", &audit->seal_path,
                           err);
        sfb_seal_clear(&s);
        return NGX_ERROR;
    }

    ngx_log_debug2(NGX_LOG_DEBUG_CORE, cf->log, 0,
                   "sf_backup seal state \"%V\" opened at epoch %uL",
                   &audit->seal_path, s.epoch);

    sfb_seal_clear(&s);

    return NGX_OK;
}


static void
ngx_http_sf_backup_seal_close(void *data)
{
    ngx_http_sf_backup_seal_file_t  *f = data;

    if (f->fd != -1) {
        (void) close(f->fd);
        f->fd = -1;
    }
}


/*
 * In a worker: its own copy of the state, moved on to now, and the chain.
 * NGX_OK even when it cannot: the worker lives to answer 503.
 */
ngx_int_t
ngx_http_sf_backup_seal_init_process(ngx_cycle_t *cycle,
    ngx_http_sf_backup_audit_t *audit)
{
    char                 err[512];
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

    audit->seal_broken = 1;

    if (sfb_seal_state_read(audit->seal_fd, audit->seal, err, sizeof(err))
        != 0)
    {
        ngx_log_error(NGX_LOG_EMERG, cycle->log, 0,
                      "sf_backup: seal state file \"%V\": %s: this worker "
                      "answers every governed request 503", &audit->seal_path,
                      err);
        return NGX_OK;
    }

    if (ngx_http_sf_backup_seal_now(audit->seal) < 0) {
        ngx_log_error(NGX_LOG_EMERG, cycle->log, 0,
                      "sf_backup: could not move the sealing key of \"%V\" "
                      "on: this worker answers every governed request 503",
                      &audit->name);
        return NGX_OK;
    }

    audit->chain = sfb_seal_chain_create(audit->seal);
    if (audit->chain == NULL) {
        ngx_log_error(NGX_LOG_EMERG, cycle->log, 0,
                      "sf_backup: could not set up the sealed audit chain of "
                      "\"%V\": this worker answers every governed request "
                      "503", &audit->name);
        return NGX_OK;
    }

    audit->seal_broken = 0;
    audit->seal_behind = 1;

    ngx_log_debug3(NGX_LOG_DEBUG_CORE, cycle->log, 0,
                   "sf_backup seal \"%V\" at epoch %uL, epochs of %L s",
                   &audit->name, audit->seal->epoch, audit->seal->interval);

    (void) ngx_http_sf_backup_seal_save(audit, cycle->log);

    audit->seal_epoch.handler = ngx_http_sf_backup_seal_epoch_handler;
    audit->seal_epoch.data = audit;
    audit->seal_epoch.log = cycle->log;
    audit->seal_epoch.cancelable = 1;

    ngx_http_sf_backup_seal_timer(audit);

    return NGX_OK;
}


/*
 * The next epoch's first millisecond; a second from now if that is past
 * already (the key could not be moved on, or the clock went back): never
 * a loop of timers.
 */
static void
ngx_http_sf_backup_seal_timer(ngx_http_sf_backup_audit_t *audit)
{
    int64_t  now, next;

    now = ngx_http_sf_backup_seal_ms();
    next = (audit->seal->start
            + ((int64_t) audit->seal->epoch + 1) * audit->seal->interval)
           * 1000;

    ngx_add_timer(&audit->seal_epoch,
                  next > now ? (ngx_msec_t) (next - now) + 1 : 1000);
}


static void
ngx_http_sf_backup_seal_epoch_handler(ngx_event_t *ev)
{
    ngx_http_sf_backup_audit_t  *audit = ev->data;

    if (ngx_exiting || ngx_quit || ngx_terminate) {
        return;
    }

    (void) ngx_http_sf_backup_seal_tick(audit, ev->log);

    ngx_http_sf_backup_seal_timer(audit);
}


/*
 * Before each record and at each epoch: a new epoch moves the key on (the
 * old one erased) and the state file after it.  A file that cannot be
 * updated is an alert, tried again a second later or more: the records are
 * sealed with the new key meanwhile, but the file still holds an older one.
 */
ngx_int_t
ngx_http_sf_backup_seal_tick(ngx_http_sf_backup_audit_t *audit,
    ngx_log_t *log)
{
    ngx_int_t  rc;

    if (audit->seal == NULL || audit->chain == NULL) {
        return NGX_OK;
    }

    rc = sfb_seal_tick(audit->seal, audit->chain,
                       ngx_http_sf_backup_seal_ms());

    if (rc < 0) {
        ngx_log_error(NGX_LOG_ALERT, log, 0,
                      "sf_backup: could not move the sealing key of \"%V\" "
                      "on to a new epoch", &audit->name);
        return NGX_ERROR;
    }

    if (rc == 1) {
        audit->seal_behind = 1;

        ngx_log_debug2(NGX_LOG_DEBUG_CORE, log, 0,
                       "sf_backup seal \"%V\" moved on to epoch %uL",
                       &audit->name, audit->seal->epoch);
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
    int   rc;
    char  err[512];

    /* 1: another worker has moved the file on to this epoch, or further;
     * 2: another process holds it now: tried again a second later rather
     * than wait here, in the event loop, for its fdatasync()s */

    rc = sfb_seal_state_try_write(audit->seal_fd, audit->seal, err,
                                  sizeof(err));

    if (rc == 2) {
        ngx_log_debug1(NGX_LOG_DEBUG_CORE, log, 0,
                       "sf_backup seal state \"%V\" busy, tried again later",
                       &audit->seal_path);
        audit->seal_retry = ngx_time() + 1;
        return NGX_AGAIN;
    }

    if (rc < 0) {
        ngx_http_sf_backup_metrics_seal_save_failed();
        ngx_log_error(NGX_LOG_ALERT, log, 0,
                      "sf_backup: seal state file \"%V\" still holds an "
                      "older epoch's key: %s", &audit->seal_path, err);
        audit->seal_retry = ngx_time() + 1;
        return NGX_ERROR;
    }

    audit->seal_behind = 0;

    ngx_log_debug3(NGX_LOG_DEBUG_CORE, log, 0,
                   "sf_backup seal state \"%V\" %s epoch %uL",
                   &audit->seal_path, rc == 1 ? "at or past" : "saved at",
                   audit->seal->epoch);

    return NGX_OK;
}


/* s moved on to the current epoch: sfb_seal_advance()'s 1, 0 or -1 */
static int
ngx_http_sf_backup_seal_now(sfb_seal_t *s)
{
    int64_t  epoch;

    epoch = sfb_seal_epoch_at(s, ngx_http_sf_backup_seal_ms());

    return epoch > 0 ? sfb_seal_advance(s, (uint64_t) epoch) : 0;
}


/* nginx's cached time, in Unix ms, as records carry it */
static int64_t
ngx_http_sf_backup_seal_ms(void)
{
    ngx_time_t  *tp;

    tp = ngx_timeofday();

    return (int64_t) tp->sec * 1000 + tp->msec;
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
