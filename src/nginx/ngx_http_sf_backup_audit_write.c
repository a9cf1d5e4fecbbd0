/*
 * sf-backup-gate: the audit log's writer.
 *
 * Records of one event-loop iteration share one write(2) on the O_APPEND
 * descriptor nginx opened (so SIGUSR1 reopens it and workers never tear
 * each other's lines): the log phase appends to a per-worker buffer and
 * posts an event that writes it before the worker waits for events again.
 * There is no timer: a record waits for the end of the current iteration at
 * the most.
 *
 * A chain ends with an "end" record (reopen, graceful or fast exit), and a
 * live worker writes a "heartbeat" record every sf_backup_audit_heartbeat,
 * so that a verifier told the log is complete up to a time can tell a cut
 * tail.
 *
 * A write that fails is never silent: an error-log line says how many
 * records were lost and where in the chain.  When no byte reached the file
 * the chain is rewound past the lost lines, so that what was written still
 * verifies; when a write was cut short the chain ends there and a new one
 * starts, and the verifier reports the cut as a truncation.
 */

#include "ngx_http_sf_backup_audit.h"
#include "ngx_http_sf_backup_metrics.h"


static ngx_int_t ngx_http_sf_backup_audit_now(
    ngx_http_sf_backup_audit_t *audit, sfb_audit_record_t *rec,
    ngx_pool_t *pool, ngx_log_t *log);
static ngx_int_t ngx_http_sf_backup_audit_format(
    ngx_http_sf_backup_audit_t *audit, sfb_audit_record_t *rec, u_char *out,
    size_t size, size_t *len);
static void ngx_http_sf_backup_audit_mode(u_char *out, ngx_uint_t mode);


/* A new chain after the log was reopened (SIGUSR1): one chain, one file. */
ngx_int_t
ngx_http_sf_backup_audit_chain_check(ngx_log_t *log,
    ngx_http_sf_backup_audit_t *audit)
{
    if (audit->chain == NULL || audit->file == NULL
        || (audit->chain_fd != NGX_INVALID_FILE
            && audit->file->fd == audit->chain_fd))
    {
        return NGX_OK;
    }

    /* the old chain's records stay in the old file */
    (void) ngx_http_sf_backup_audit_flush(log, audit);

    if (sfb_audit_chain_start(audit->chain) != 0) {
        ngx_log_error(NGX_LOG_ALERT, log, 0,
                      "sf_backup: could not start an audit chain "
                      "(RAND_bytes failed)");
        return NGX_ERROR;
    }

    audit->chain_fd = audit->file->fd;
    audit->ended = 0;

    ngx_log_debug2(NGX_LOG_DEBUG_CORE, log, 0,
                   "sf_backup audit \"%V\" reopened: chain %s", &audit->name,
                   sfb_audit_chain_id(audit->chain));

    ngx_http_sf_backup_ledger_started(audit);

    return NGX_OK;
}


/*
 * The one way a record of the log phase comes in (ngx_http_sf_backup_log.c):
 * chained (a new chain after a reopen, a chain ended elsewhere named), its
 * epoch's key when sealed, then queued for the end of this event-loop
 * iteration, or written now (now: a fail-closed decision; or syslog).
 */
ngx_int_t
ngx_http_sf_backup_audit_put(ngx_http_sf_backup_audit_t *audit,
    sfb_audit_record_t *rec, ngx_uint_t now, ngx_pool_t *pool, ngx_log_t *log)
{
    size_t     len;
    ngx_int_t  rc;

    /* never a record of a sealed log without its seal */

    if (audit->seal_broken) {
        ngx_http_sf_backup_audit_count(audit, 0, 1);
        return NGX_ERROR;
    }

    if (audit->buffer == NULL) {
        ngx_http_sf_backup_audit_count(audit, 0, 1);
        ngx_log_error(NGX_LOG_ALERT, log, 0,
                      "sf_backup: audit record lost: \"%V\" is not set up "
                      "in this process", &audit->name);
        return NGX_ERROR;
    }

    if (ngx_http_sf_backup_audit_chain_check(log, audit) != NGX_OK) {
        ngx_http_sf_backup_audit_count(audit, 0, 1);
        return NGX_ERROR;
    }

    /* sealed: the key of this record's epoch */
    (void) ngx_http_sf_backup_seal_tick(audit, log);

    /* a chain that ended elsewhere is named by this record */
    ngx_http_sf_backup_ledger_claim(audit, 0);

    if (now || audit->syslog) {
        return ngx_http_sf_backup_audit_now(audit, rec, pool, log);
    }

    if (audit->pending_len == 0 && audit->chain) {
        /* a failed write of the buffer rewinds the chain to here */
        (void) sfb_audit_chain_mark(audit->chain);
    }

    rc = ngx_http_sf_backup_audit_format(audit, rec,
                                         audit->buffer + audit->pending_len,
                                         audit->size - audit->pending_len,
                                         &len);

    if (rc == NGX_DECLINED) {
        /* no room left: write what is there, then start the buffer anew */
        (void) ngx_http_sf_backup_audit_flush(log, audit);

        if (audit->chain) {
            (void) sfb_audit_chain_mark(audit->chain);
        }

        rc = ngx_http_sf_backup_audit_format(audit, rec, audit->buffer,
                                             audit->size, &len);
    }

    if (rc != NGX_OK) {
        ngx_http_sf_backup_audit_count(audit, 0, 1);
        ngx_log_error(NGX_LOG_ALERT, log, 0,
                      "sf_backup: audit record lost: it could not be made "
                      "for \"%V\" (%ui lost so far in this worker)",
                      &audit->name, audit->failed);
        return NGX_ERROR;
    }

    audit->pending_len += len;
    audit->pending_records++;

    ngx_log_debug4(NGX_LOG_DEBUG_HTTP, log, 0,
                   "sf_backup audit %*s record queued, seq:%uL, %uz bytes",
                   rec->phase.len, rec->phase.data,
                   audit->chain ? sfb_audit_chain_seq(audit->chain) : 0,
                   len);

    if (!audit->flush.posted) {
        ngx_post_event(&audit->flush, &ngx_posted_events);
    }

    return NGX_OK;
}


/* One record written on its own, now: the decision, or a syslog message. */
static ngx_int_t
ngx_http_sf_backup_audit_now(ngx_http_sf_backup_audit_t *audit,
    sfb_audit_record_t *rec, ngx_pool_t *pool, ngx_log_t *log)
{
    u_char     *p, *q;
    size_t      len, head;
    ngx_int_t   rc;

    /* records queued earlier in this iteration go first, in order */
    (void) ngx_http_sf_backup_audit_flush(log, audit);

    rc = ngx_http_sf_backup_audit_format(audit, rec, NULL, 0, &len);

    head = 0;

    if (audit->syslog) {
        /* "<PRI>Mmm dd hh:mm:ss host tag: " */
        head = sizeof("<255>Jan 01 00:00:00 ") - 1 + ngx_cycle->hostname.len
               + 1 + audit->syslog->tag.len + 2;
    }

    p = (rc == NGX_DECLINED) ? ngx_pnalloc(pool, head + len) : NULL;

    if (p == NULL) {
        ngx_http_sf_backup_audit_count(audit, 0, 1);
        ngx_log_error(NGX_LOG_ALERT, log, 0,
                      "sf_backup: audit record lost: it could not be made "
                      "for \"%V\" (%ui lost so far in this worker)",
                      &audit->name, audit->failed);
        return NGX_ERROR;
    }

    q = audit->syslog ? ngx_syslog_add_header(audit->syslog, p) : p;

    if (audit->chain) {
        (void) sfb_audit_chain_mark(audit->chain);
    }

    rc = ngx_http_sf_backup_audit_format(audit, rec, q, len, &len);

    if (rc != NGX_OK) {
        ngx_http_sf_backup_audit_count(audit, 0, 1);
        ngx_log_error(NGX_LOG_ALERT, log, 0,
                      "sf_backup: audit record lost: it could not be made "
                      "for \"%V\" (%ui lost so far in this worker)",
                      &audit->name, audit->failed);
        return NGX_ERROR;
    }

    ngx_log_debug4(NGX_LOG_DEBUG_HTTP, log, 0,
                   "sf_backup audit %*s record now, seq:%uL, %uz bytes",
                   rec->phase.len, rec->phase.data,
                   audit->chain ? sfb_audit_chain_seq(audit->chain) : 0,
                   len);

    return ngx_http_sf_backup_audit_write(log, audit, p, q - p + len, 1);
}


/*
 * The record, chained: NGX_OK with *len set; NGX_DECLINED when it does not
 * fit in size (then *len is what it needs and the chain did not advance).
 */
static ngx_int_t
ngx_http_sf_backup_audit_format(ngx_http_sf_backup_audit_t *audit,
    sfb_audit_record_t *rec, u_char *out, size_t size, size_t *len)
{
    size_t  n;

    rec->node.data = audit->node.data;
    rec->node.len = audit->node.len;

    n = sfb_audit_format(audit->chain, rec, out, size);

    if (n == 0) {
        return NGX_ERROR;
    }

    *len = n;

    /* sfb_audit_format() writes, and advances the chain, only if it fits */
    return n <= size ? NGX_OK : NGX_DECLINED;
}


/*
 * The audit file holds identities, targets and decisions: nobody but its
 * owner and group reads it (0640, as Debian's nginx logs).  nginx creates
 * its files 0644; the bits of "others" are taken away as the master opens
 * it and as a worker finds it reopened.
 */
ngx_int_t
ngx_http_sf_backup_audit_protect(ngx_log_t *log,
    ngx_http_sf_backup_audit_t *audit)
{
    u_char           was[5], now[5];
    ngx_uint_t       mode;
    ngx_file_info_t  fi;

    if (audit->file == NULL || audit->file->fd == NGX_INVALID_FILE) {
        return NGX_OK;
    }

    audit->protected_fd = audit->file->fd;

    if (ngx_fd_info(audit->file->fd, &fi) == NGX_FILE_ERROR) {
        ngx_log_error(NGX_LOG_ALERT, log, ngx_errno,
                      "sf_backup: fstat() of audit log \"%V\" failed",
                      &audit->file->name);
        return NGX_ERROR;
    }

    mode = fi.st_mode & 07777;

    if ((mode & 0007) == 0) {
        return NGX_OK;
    }

    ngx_http_sf_backup_audit_mode(was, mode);
    ngx_http_sf_backup_audit_mode(now, mode & 07770);

    if (fchmod(audit->file->fd, mode & 07770) == -1) {
        ngx_log_error(NGX_LOG_EMERG, log, ngx_errno,
                      "sf_backup: audit log \"%V\" is readable by others "
                      "(mode %s) and could not be made %s: run chmod o-rwx "
                      "on it in %V:%ui", &audit->file->name, was, now,
                      &audit->at.file, audit->at.line);
        return NGX_ERROR;
    }

    ngx_log_error(NGX_LOG_NOTICE, log, 0,
                  "sf_backup: audit log \"%V\" made %s (was %s): others may "
                  "not read it", &audit->file->name, now, was);

    return NGX_OK;
}


/* "0640": nginx's formats have no octal */
static void
ngx_http_sf_backup_audit_mode(u_char *out, ngx_uint_t mode)
{
    ngx_uint_t  i;

    for (i = 0; i < 4; i++) {
        out[3 - i] = (u_char) ('0' + ((mode >> (3 * i)) & 7));
    }

    out[4] = '\0';
}


void
ngx_http_sf_backup_audit_flush_handler(ngx_event_t *ev)
{
    (void) ngx_http_sf_backup_audit_flush(ev->log, ev->data);
}


ngx_int_t
ngx_http_sf_backup_audit_flush(ngx_log_t *log,
    ngx_http_sf_backup_audit_t *audit)
{
    size_t      len;
    ngx_uint_t  records;

    if (audit->pending_len == 0) {
        return NGX_OK;
    }

    len = audit->pending_len;
    records = audit->pending_records;

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, log, 0,
                   "sf_backup audit flush: %ui records, %uz bytes",
                   records, len);

    audit->pending_len = 0;
    audit->pending_records = 0;

    return ngx_http_sf_backup_audit_write(log, audit, audit->buffer, len,
                                          records);
}


/*
 * One write(2) (or one syslog datagram) of whole records.  Counts what was
 * written and what was lost; a loss is always an error-log line.
 */
ngx_int_t
ngx_http_sf_backup_audit_write(ngx_log_t *log,
    ngx_http_sf_backup_audit_t *audit, u_char *data, size_t len,
    ngx_uint_t records)
{
    u_char      *p;
    ssize_t      n;
    ngx_err_t    err;
    ngx_uint_t   whole;

    if (audit->syslog) {
        /* one datagram per record, without its newline */
        n = ngx_syslog_send(audit->syslog, data, len - 1);

        if (n == (ssize_t) len - 1) {
            ngx_log_debug2(NGX_LOG_DEBUG_HTTP, log, 0,
                           "sf_backup audit sent %z bytes to \"%V\"", n,
                           &audit->name);
            ngx_http_sf_backup_audit_count(audit, records, 0);
            return NGX_OK;
        }

        ngx_http_sf_backup_audit_count(audit, 0, records);

        if (audit->chain) {
            (void) sfb_audit_chain_rewind(audit->chain);
        }

        ngx_log_error(NGX_LOG_ALERT, log, 0,
                      "sf_backup: audit record lost: not sent to \"%V\" "
                      "(%ui lost so far in this worker)",
                      &audit->name, audit->failed);

        return NGX_ERROR;
    }

    /* a file reopened (SIGUSR1): nginx created it 0644 if logrotate did not */

    if (audit->file->fd != audit->protected_fd) {
        (void) ngx_http_sf_backup_audit_protect(log, audit);
    }

    n = ngx_write_fd(audit->file->fd, data, len);
    err = ngx_errno;

    if (n == (ssize_t) len) {
        ngx_log_debug3(NGX_LOG_DEBUG_HTTP, log, 0,
                       "sf_backup audit wrote %ui records, %z bytes to \"%V\"",
                       records, n, &audit->file->name);
        ngx_http_sf_backup_audit_count(audit, records, 0);
        ngx_http_sf_backup_ledger_wrote(audit);
        return NGX_OK;
    }

    if (n <= 0) {
        /*
         * Nothing reached the file: the chain goes back to before these
         * lines, and what was written before and after still verifies.
         */
        ngx_http_sf_backup_audit_count(audit, 0, records);

        if (audit->chain) {
            (void) sfb_audit_chain_rewind(audit->chain);

            ngx_log_error(NGX_LOG_ALERT, log, n == 0 ? 0 : err,
                          "sf_backup: %ui audit record(s) lost: write() to "
                          "\"%V\" failed (%ui lost so far in this worker); "
                          "chain %s goes on with seq %uL",
                          records, &audit->file->name, audit->failed,
                          sfb_audit_chain_id(audit->chain),
                          sfb_audit_chain_seq(audit->chain) + 1);

        } else {
            ngx_log_error(NGX_LOG_ALERT, log, n == 0 ? 0 : err,
                          "sf_backup: %ui audit record(s) lost: write() to "
                          "\"%V\" failed (%ui lost so far in this worker)",
                          records, &audit->file->name, audit->failed);
        }

        return NGX_ERROR;
    }

    /*
     * Cut short (disk full mid-write): the whole lines are in, the cut one
     * stays a stump that the next line written completes into one the
     * verifier reports as a truncation.  Nothing is appended to it: another
     * worker may have written in between.
     */
    whole = 0;

    for (p = data; p < data + n; p++) {
        if (*p == '\n') {
            whole++;
        }
    }

    ngx_http_sf_backup_audit_count(audit, whole, records - whole);

    ngx_log_error(NGX_LOG_ALERT, log, err,
                  "sf_backup: %ui audit record(s) lost: write() to \"%V\" "
                  "cut short, %z of %uz bytes written (%ui lost so far in "
                  "this worker)%s%s%s",
                  records - whole, &audit->file->name, n, len, audit->failed,
                  audit->chain ? "; chain " : "",
                  audit->chain ? sfb_audit_chain_id(audit->chain) : "",
                  audit->chain ? " ends here" : "");

    if (audit->chain) {
        /* the next record starts a new chain, which names where this one
         * ended: the verifier sees the missing tail as a truncation */
        audit->chain_fd = NGX_INVALID_FILE;
    }

    return NGX_ERROR;
}


/* Per worker for the error log, and across workers for the metrics. */
void
ngx_http_sf_backup_audit_count(ngx_http_sf_backup_audit_t *audit,
    ngx_uint_t written, ngx_uint_t failed)
{
    audit->written += written;
    audit->failed += failed;

    ngx_http_sf_backup_metrics_audit(written, failed);
}


/*
 * A record of the chain itself, written now: "heartbeat" (the worker is
 * alive), or "end" (reopen, exit).  Its request members are empty.
 */
ngx_int_t
ngx_http_sf_backup_audit_event(ngx_log_t *log,
    ngx_http_sf_backup_audit_t *audit, const char *phase, const char *reason)
{
    size_t               n;
    ngx_time_t          *tp;
    sfb_audit_record_t   rec;

    if (audit->chain == NULL || audit->file == NULL
        || audit->buffer == NULL)
    {
        return NGX_DECLINED;
    }

    (void) ngx_http_sf_backup_audit_flush(log, audit);
    (void) ngx_http_sf_backup_seal_tick(audit, log);

    ngx_memzero(&rec, sizeof(sfb_audit_record_t));

    tp = ngx_timeofday();
    rec.time_ms = (int64_t) tp->sec * 1000 + tp->msec;
    rec.phase.data = (const unsigned char *) phase;
    rec.phase.len = ngx_strlen(phase);
    rec.reason.data = (const unsigned char *) reason;
    rec.reason.len = ngx_strlen(reason);
    rec.node.data = audit->node.data;
    rec.node.len = audit->node.len;

    (void) sfb_audit_chain_mark(audit->chain);

    ngx_log_debug3(NGX_LOG_DEBUG_CORE, log, 0,
                   "sf_backup audit \"%V\": %s record, %s", &audit->name,
                   phase, reason);

    n = sfb_audit_format(audit->chain, &rec, audit->buffer, audit->size);

    if (n == 0 || n > audit->size) {
        ngx_http_sf_backup_audit_count(audit, 0, 1);
        ngx_log_error(NGX_LOG_ALERT, log, 0,
                      "sf_backup: audit %s record lost: it could not be "
                      "made for \"%V\" (%ui lost so far in this worker)",
                      phase, &audit->name, audit->failed);
        return NGX_ERROR;
    }

    return ngx_http_sf_backup_audit_write(log, audit, audit->buffer, n, 1);
}


void
ngx_http_sf_backup_audit_beat(ngx_event_t *ev)
{
    ngx_http_sf_backup_audit_t  *audit = ev->data;

    if (ngx_exiting || ngx_quit || ngx_terminate) {
        return;
    }

    if (ngx_http_sf_backup_audit_chain_check(ev->log, audit) == NGX_OK) {
        ngx_http_sf_backup_ledger_claim(audit, 1);
        (void) ngx_http_sf_backup_audit_event(ev->log, audit, "heartbeat",
                                              "heartbeat");
    }

    ngx_add_timer(ev, audit->heartbeat);
}


/*
 * Called by nginx before it reopens the file (SIGUSR1): the records still
 * in the buffer go to the old file, and the next one starts a new chain.
 * Also called when the process exits, where the chain just goes on.
 */
void
ngx_http_sf_backup_audit_reopen(ngx_open_file_t *file, ngx_log_t *log)
{
    ngx_http_sf_backup_audit_t  *audit = file->data;

    ngx_log_debug1(NGX_LOG_DEBUG_CORE, log, 0,
                   "sf_backup audit reopen \"%V\"", &file->name);

    (void) ngx_http_sf_backup_audit_flush(log, audit);

    if (ngx_terminate || ngx_quit || ngx_exiting) {
        return;
    }

    /* the chain ends in the old file, said so in so many words */

    if (audit->chain && !audit->ended
        && audit->chain_fd == file->fd
        && (sfb_audit_chain_seq(audit->chain) > 0
            || sfb_audit_chain_linking(audit->chain)))
    {
        if (ngx_http_sf_backup_audit_event(log, audit, "end", "reopen")
            == NGX_OK)
        {
            audit->ended = 1;
        }
    }

    audit->chain_fd = NGX_INVALID_FILE;
}
