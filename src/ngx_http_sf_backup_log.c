/*
 * sf-backup-gate: the audit log.
 *
 * One JSON line per governed request, whatever its fate, written from the
 * log phase; with sf_backup_audit_fail_closed, an allowed (or reported)
 * request's decision is also written, synchronously, before it is
 * forwarded.  Requests nginx refused before the gate could look at them
 * (client_max_body_size, auth_request, deny) get their line from the log
 * phase too, and those still in flight when a worker is told to exit at
 * once (SIGTERM) from the exit_process hook.
 *
 * Records of one event-loop iteration share one write(2) on the O_APPEND
 * descriptor nginx opened (so SIGUSR1 reopens it and workers never tear
 * each other's lines): the log handler appends to a per-worker buffer and
 * posts an event that writes it before the worker waits for events again.
 * There is no timer: a record waits for the end of the current iteration at
 * the most.  With sf_backup_audit_key every record is chained with
 * HMAC-SHA256 (src/sfb_audit.c); a chain is per worker process and starts
 * anew after each reopen.
 *
 * Chains are linked across worker generations through a shared zone per
 * audit file (the ledger), which survives reloads and worker respawns: each
 * worker notes its chain and the seq of its last record written there; a
 * chain ends with an "end" record (reopen, graceful or fast exit), and the
 * next record written by any worker names a chain that ended, or whose
 * worker died, in its prev_chain and prev_seq.  After a full restart the
 * ledger is seeded from the chains at the end of the file.  A live worker
 * writes a "heartbeat" record every sf_backup_audit_heartbeat, so that a
 * verifier told the log is complete up to a time can tell a cut tail.
 *
 * A write that fails is never silent: an error-log line says how many
 * records were lost and where in the chain.  When no byte reached the file
 * the chain is rewound past the lost lines, so that what was written still
 * verifies; when a write was cut short the chain ends there and a new one
 * starts, and the verifier reports the cut as a truncation.
 */

#include "ngx_http_sf_backup_gate_module.h"
#include "ngx_http_sf_backup_metrics.h"


#define NGX_HTTP_SF_BACKUP_AUDIT_BUFFER    (64 * 1024)

/* what a record says about the request's end */
#define NGX_HTTP_SF_BACKUP_AUDIT_OUTCOME   0
#define NGX_HTTP_SF_BACKUP_AUDIT_DECISION  1    /* before forwarding */
#define NGX_HTTP_SF_BACKUP_AUDIT_EXITING   2    /* the worker exits first */

#define NGX_HTTP_SF_BACKUP_HEARTBEAT       60000

/* the ledger: a row per chain that is live, or ended and not named yet */
#define NGX_HTTP_SF_BACKUP_LEDGER_ROWS     64
#define NGX_HTTP_SF_BACKUP_LEDGER_SEED     (64 * 1024)  /* file tail read */
#define NGX_HTTP_SF_BACKUP_LEDGER_FREE     0
#define NGX_HTTP_SF_BACKUP_LEDGER_LIVE     1
#define NGX_HTTP_SF_BACKUP_LEDGER_ENDED    2


typedef struct {
    ngx_pid_t                         pid;      /* 0: seeded from the file */
    ngx_uint_t                        state;
    uint64_t                          seq;      /* last record written */
    u_char                            id[2 * SFB_AUDIT_CHAIN_ID_LEN];
} ngx_http_sf_backup_ledger_row_t;


typedef struct {
    ngx_atomic_t                      ended;    /* bumped at every end */
    ngx_http_sf_backup_ledger_row_t   rows[NGX_HTTP_SF_BACKUP_LEDGER_ROWS];
} ngx_http_sf_backup_ledger_t;


static void ngx_http_sf_backup_audit_count(ngx_http_sf_backup_audit_t *audit,
    ngx_uint_t written, ngx_uint_t failed);
static ngx_int_t ngx_http_sf_backup_audit_add(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, ngx_uint_t phase);
static ngx_int_t ngx_http_sf_backup_audit_now(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, ngx_http_sf_backup_audit_t *audit,
    ngx_uint_t phase);
static ngx_int_t ngx_http_sf_backup_audit_format(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, ngx_http_sf_backup_audit_t *audit,
    ngx_uint_t phase, u_char *out, size_t size, size_t *len);
static ngx_int_t ngx_http_sf_backup_audit_chain_check(ngx_log_t *log,
    ngx_http_sf_backup_audit_t *audit);
static void ngx_http_sf_backup_audit_flush_handler(ngx_event_t *ev);
static ngx_int_t ngx_http_sf_backup_audit_flush(ngx_log_t *log,
    ngx_http_sf_backup_audit_t *audit);
static ngx_int_t ngx_http_sf_backup_audit_write(ngx_log_t *log,
    ngx_http_sf_backup_audit_t *audit, u_char *data, size_t len,
    ngx_uint_t records);
static void ngx_http_sf_backup_audit_reopen(ngx_open_file_t *file,
    ngx_log_t *log);
static void ngx_http_sf_backup_audit_in_flight(ngx_cycle_t *cycle);
static ngx_open_file_t *ngx_http_sf_backup_audit_file(ngx_conf_t *cf,
    ngx_str_t *name);
static ngx_http_sf_backup_audit_t *ngx_http_sf_backup_audit_get(
    ngx_conf_t *cf, ngx_str_t *name, ngx_open_file_t *file);
static void ngx_http_sf_backup_audit_free(void *data);
static ngx_int_t ngx_http_sf_backup_audit_event(ngx_log_t *log,
    ngx_http_sf_backup_audit_t *audit, const char *phase,
    const char *reason);
static void ngx_http_sf_backup_audit_beat(ngx_event_t *ev);
static ngx_int_t ngx_http_sf_backup_ledger_init_zone(ngx_shm_zone_t *zone,
    void *data);
static void ngx_http_sf_backup_ledger_seed(ngx_http_sf_backup_ledger_t *l,
    ngx_str_t *path, ngx_log_t *log);
static void ngx_http_sf_backup_ledger_take(ngx_http_sf_backup_audit_t *audit,
    ngx_log_t *log);
static void ngx_http_sf_backup_ledger_started(
    ngx_http_sf_backup_audit_t *audit);
static void ngx_http_sf_backup_ledger_wrote(ngx_http_sf_backup_audit_t *audit);
static void ngx_http_sf_backup_ledger_claim(ngx_http_sf_backup_audit_t *audit,
    ngx_uint_t dead);
static void ngx_http_sf_backup_ledger_end(ngx_http_sf_backup_audit_t *audit);


ngx_int_t
ngx_http_sf_backup_log_handler(ngx_http_request_t *r)
{
    ngx_http_sf_backup_ctx_t  *ctx;

    /* the gate's decision, or why nginx answered before it could decide */
    ctx = ngx_http_sf_backup_settle(r);

    if (ctx == NULL || ctx->audited || ctx->conf == NULL
        || ctx->conf->audit == NULL)
    {
        return NGX_OK;
    }

    (void) ngx_http_sf_backup_audit_add(r, ctx,
                                        NGX_HTTP_SF_BACKUP_AUDIT_OUTCOME);

    return NGX_OK;
}


/*
 * pre_forward: the fail-closed decision record, written now; otherwise the
 * outcome record, queued for the end of this event-loop iteration.
 */
ngx_int_t
ngx_http_sf_backup_audit_record(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, ngx_uint_t pre_forward)
{
    return ngx_http_sf_backup_audit_add(r, ctx,
                                        pre_forward
                                        ? NGX_HTTP_SF_BACKUP_AUDIT_DECISION
                                        : NGX_HTTP_SF_BACKUP_AUDIT_OUTCOME);
}


static ngx_int_t
ngx_http_sf_backup_audit_add(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, ngx_uint_t phase)
{
    size_t                       len;
    ngx_int_t                    rc;
    ngx_log_t                   *log;
    ngx_http_sf_backup_audit_t  *audit;

    audit = ctx->conf->audit;

    if (audit == NULL) {
        return NGX_OK;
    }

    if (phase != NGX_HTTP_SF_BACKUP_AUDIT_DECISION) {
        ctx->audited = 1;
    }

    log = r->connection->log;

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

    /* a chain that ended elsewhere is named by this record */
    ngx_http_sf_backup_ledger_claim(audit, 0);

    if (phase == NGX_HTTP_SF_BACKUP_AUDIT_DECISION || audit->syslog) {
        return ngx_http_sf_backup_audit_now(r, ctx, audit, phase);
    }

    if (audit->pending_len == 0 && audit->chain) {
        /* a failed write of the buffer rewinds the chain to here */
        (void) sfb_audit_chain_mark(audit->chain);
    }

    rc = ngx_http_sf_backup_audit_format(r, ctx, audit, phase,
                                         audit->buffer + audit->pending_len,
                                         audit->size - audit->pending_len,
                                         &len);

    if (rc == NGX_DECLINED) {
        /* no room left: write what is there, then start the buffer anew */
        (void) ngx_http_sf_backup_audit_flush(log, audit);

        if (audit->chain) {
            (void) sfb_audit_chain_mark(audit->chain);
        }

        rc = ngx_http_sf_backup_audit_format(r, ctx, audit, phase,
                                             audit->buffer, audit->size,
                                             &len);
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

    if (!audit->flush.posted) {
        ngx_post_event(&audit->flush, &ngx_posted_events);
    }

    return NGX_OK;
}


/* One record written on its own, now: the decision, or a syslog message. */
static ngx_int_t
ngx_http_sf_backup_audit_now(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, ngx_http_sf_backup_audit_t *audit,
    ngx_uint_t phase)
{
    u_char     *p, *q;
    size_t      len, head;
    ngx_int_t   rc;
    ngx_log_t  *log;

    log = r->connection->log;

    /* records queued earlier in this iteration go first, in order */
    (void) ngx_http_sf_backup_audit_flush(log, audit);

    rc = ngx_http_sf_backup_audit_format(r, ctx, audit, phase, NULL, 0,
                                         &len);

    head = 0;

    if (audit->syslog) {
        /* "<PRI>Mmm dd hh:mm:ss host tag: " */
        head = sizeof("<255>Jan 01 00:00:00 ") - 1 + ngx_cycle->hostname.len
               + 1 + audit->syslog->tag.len + 2;
    }

    p = (rc == NGX_DECLINED) ? ngx_pnalloc(r->pool, head + len) : NULL;

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

    rc = ngx_http_sf_backup_audit_format(r, ctx, audit, phase, q, len, &len);

    if (rc != NGX_OK) {
        ngx_http_sf_backup_audit_count(audit, 0, 1);
        ngx_log_error(NGX_LOG_ALERT, log, 0,
                      "sf_backup: audit record lost: it could not be made "
                      "for \"%V\" (%ui lost so far in this worker)",
                      &audit->name, audit->failed);
        return NGX_ERROR;
    }

    return ngx_http_sf_backup_audit_write(log, audit, p, q - p + len, 1);
}


/*
 * NGX_OK with *len set; NGX_DECLINED when it does not fit in size (then
 * *len is what it needs and the chain did not advance).
 */
static ngx_int_t
ngx_http_sf_backup_audit_format(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, ngx_http_sf_backup_audit_t *audit,
    ngx_uint_t phase, u_char *out, size_t size, size_t *len)
{
    size_t               n;
    ngx_str_t            id, identity, upstream_addr, upstream_status;
    ngx_uint_t           status;
    ngx_time_t          *tp;
    const char          *s;
    sfb_reason_e         reason;
    sfb_audit_record_t   rec;

    ngx_memzero(&rec, sizeof(sfb_audit_record_t));

    tp = ngx_timeofday();
    rec.time_ms = (int64_t) tp->sec * 1000 + tp->msec;
    rec.duration_ms = rec.time_ms
                      - ((int64_t) ctx->start_sec * 1000 + ctx->start_msec);

    if (ngx_http_sf_backup_request_id(r, &id) == NGX_OK) {
        rec.request_id.data = id.data;
        rec.request_id.len = id.len;
    }

    /*
     * Refused before the gate named the caller: name it here, unless
     * nginx refused the certificate the name would come from.
     */
    if (ctx->d.identity.len == 0 && ctx->conf->identity != NULL
        && ctx->d.reason != SFB_REASON_CLIENT_CERT_MISSING
        && ctx->d.reason != SFB_REASON_CLIENT_CERT_REJECTED
        && ngx_http_complex_value(r, ctx->conf->identity, &identity)
           == NGX_OK)
    {
        ctx->d.identity.data = identity.data;
        ctx->d.identity.len = identity.len;
    }

    rec.client.data = r->connection->addr_text.data;
    rec.client.len = r->connection->addr_text.len;
    rec.identity = ctx->d.identity;
    /* the client's: an error page's redirect makes r's method GET */
    rec.method = ctx->d.method;
    if (rec.method.len == 0) {
        rec.method.data = r->method_name.data;
        rec.method.len = r->method_name.len;
    }

    rec.uri.data = ctx->uri.data;
    rec.uri.len = ctx->uri.len;

    s = ngx_http_sf_backup_entity(ctx);
    rec.entity.data = (const unsigned char *) s;
    rec.entity.len = ngx_strlen(s);

    rec.entity_id.data = ctx->d.target.id;
    rec.entity_id.len = ctx->d.target.id_len;
    rec.entity_name = ctx->d.entity_name;
    s = sfb_operation_name(ngx_http_sf_backup_operation(ctx));
    rec.operation.data = (const unsigned char *) s;
    rec.operation.len = ngx_strlen(s);
    rec.storage.data = (const unsigned char *) ctx->d.body.storage;
    rec.storage.len = ngx_strlen(ctx->d.body.storage);
    rec.policy.data = ctx->d.body.policy;
    rec.policy.len = ctx->d.body.policy_len;
    rec.api_version = ctx->d.query.api_version;
    rec.has_timeout = ctx->d.query.has_timeout;
    rec.timeout = ctx->d.query.timeout;

    s = ngx_http_sf_backup_decision_name(ctx->decision);
    if (*s == '\0') {
        s = "deny";
    }

    rec.decision.data = (const unsigned char *) s;
    rec.decision.len = ngx_strlen(s);

    status = 0;

    switch (phase) {

    case NGX_HTTP_SF_BACKUP_AUDIT_DECISION:
        ngx_str_set(&rec.phase, "decision");
        break;

    case NGX_HTTP_SF_BACKUP_AUDIT_EXITING:
        /* what was sent before the worker left, if anything */
        ngx_str_set(&rec.phase, "outcome");
        status = r->header_sent ? r->headers_out.status : 0;
        break;

    default: /* NGX_HTTP_SF_BACKUP_AUDIT_OUTCOME, settled */
        ngx_str_set(&rec.phase, "outcome");
        status = ctx->final_status;
    }

    if (phase != NGX_HTTP_SF_BACKUP_AUDIT_DECISION) {
        ngx_http_sf_backup_upstreams(r, &upstream_addr, &upstream_status);

        rec.upstream_addr.data = upstream_addr.data;
        rec.upstream_addr.len = upstream_addr.len;
        rec.upstream_status.data = upstream_status.data;
        rec.upstream_status.len = upstream_status.len;
    }

    rec.status = (int) status;

    reason = ctx->d.reason;

    s = sfb_reason_name(reason);
    rec.reason.data = (const unsigned char *) s;
    rec.reason.len = ngx_strlen(s);

    rec.node.data = audit->node.data;
    rec.node.len = audit->node.len;

    n = sfb_audit_format(audit->chain, &rec, out, size);

    if (n == 0) {
        return NGX_ERROR;
    }

    *len = n;

    /* sfb_audit_format() writes, and advances the chain, only if it fits */
    return n <= size ? NGX_OK : NGX_DECLINED;
}


/* A new chain after the log was reopened (SIGUSR1): one chain, one file. */
static ngx_int_t
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

    ngx_http_sf_backup_ledger_started(audit);

    return NGX_OK;
}


static void
ngx_http_sf_backup_audit_flush_handler(ngx_event_t *ev)
{
    (void) ngx_http_sf_backup_audit_flush(ev->log, ev->data);
}


static ngx_int_t
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

    audit->pending_len = 0;
    audit->pending_records = 0;

    return ngx_http_sf_backup_audit_write(log, audit, audit->buffer, len,
                                          records);
}


/*
 * One write(2) (or one syslog datagram) of whole records.  Counts what was
 * written and what was lost; a loss is always an error-log line.
 */
static ngx_int_t
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

    n = ngx_write_fd(audit->file->fd, data, len);
    err = ngx_errno;

    if (n == (ssize_t) len) {
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


/*
 * Called by nginx before it reopens the file (SIGUSR1): the records still
 * in the buffer go to the old file, and the next one starts a new chain.
 * Also called when the process exits, where the chain just goes on.
 */
static void
ngx_http_sf_backup_audit_reopen(ngx_open_file_t *file, ngx_log_t *log)
{
    ngx_http_sf_backup_audit_t  *audit = file->data;

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


/*
 * A worker told to exit at once (SIGTERM, or the master gone) abandons its
 * requests without running their log phase; each governed one still gets a
 * record, with the status sent so far (0: nothing).
 */
static void
ngx_http_sf_backup_audit_in_flight(ngx_cycle_t *cycle)
{
    ngx_uint_t                 i;
    ngx_connection_t          *c;
    ngx_http_request_t        *r;
    ngx_http_sf_backup_ctx_t  *ctx;

    c = cycle->connections;

    for (i = 0; i < cycle->connection_n; i++) {

        if (c[i].fd == (ngx_socket_t) -1 || c[i].listening == NULL
            || c[i].listening->handler != ngx_http_init_connection
            || c[i].data == NULL || c[i].destroyed)
        {
            continue;
        }

        /* an HTTP/1 connection's data is its request once one started */
        r = c[i].data;

        if (r->signature != NGX_HTTP_MODULE || r->connection != &c[i]) {
            continue;
        }

        ctx = ngx_http_sf_backup_get_ctx(r->main);

        if (ctx == NULL || !ctx->governed || ctx->audited
            || ctx->conf == NULL || ctx->conf->audit == NULL)
        {
            continue;
        }

        (void) ngx_http_sf_backup_audit_add(r->main, ctx,
                                            NGX_HTTP_SF_BACKUP_AUDIT_EXITING);
    }
}


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

    size_t      len;
    ngx_str_t  *value, name;
    u_char      key[SFB_AUDIT_KEY_MAX];
    char        err[256];

    value = cf->args->elts;

    if (slcf->audit_keyed) {
        return "is duplicate";
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

    slcf->audit_keyed = 1;

    if (slcf->audit->file == NULL || slcf->audit->zone != NULL) {
        return NGX_CONF_OK;
    }

    /* the ledger: one zone per file, found again after a reload */

    name.len = sizeof("sf_backup_audit:") - 1 + slcf->audit->file->name.len;
    name.data = ngx_pnalloc(cf->pool, name.len);
    if (name.data == NULL) {
        return NGX_CONF_ERROR;
    }

    ngx_sprintf(name.data, "sf_backup_audit:%V", &slcf->audit->file->name);

    slcf->audit->zone = ngx_shared_memory_add(cf, &name, 8 * ngx_pagesize,
                                              &ngx_http_sf_backup_gate_module);
    if (slcf->audit->zone == NULL) {
        return NGX_CONF_ERROR;
    }

    slcf->audit->zone->init = ngx_http_sf_backup_ledger_init_zone;
    slcf->audit->zone->data = slcf->audit;

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
    audit->file = file;
    audit->chain_fd = NGX_INVALID_FILE;
    audit->row = -1;

    slot = ngx_array_push(&smcf->audits);
    if (slot == NULL) {
        return NULL;
    }

    *slot = audit;

    return audit;
}


/* Per worker: the write buffer, the flush event and the HMAC chain. */
ngx_int_t
ngx_http_sf_backup_audit_init_process(ngx_cycle_t *cycle)
{
    ngx_uint_t                       i;
    ngx_pool_cleanup_t              *cln;
    ngx_http_conf_ctx_t             *ctx;
    ngx_http_sf_backup_audit_t     **audits, *audit;
    ngx_http_sf_backup_main_conf_t  *smcf;

    ctx = (ngx_http_conf_ctx_t *) cycle->conf_ctx[ngx_http_module.index];
    if (ctx == NULL) {
        return NGX_OK;
    }

    /*
     * jansson's allocations on the request path come from stack buffers the
     * core lends around each call (src/sfb_json.h); set per worker, never in
     * the master, whose reload may unload this module while jansson stays.
     */
    sfb_json_scratch_install();

    smcf = ctx->main_conf[ngx_http_sf_backup_gate_module.ctx_index];
    audits = smcf->audits.elts;

    for (i = 0; i < smcf->audits.nelts; i++) {
        audit = audits[i];

        audit->size = NGX_HTTP_SF_BACKUP_AUDIT_BUFFER;
        audit->buffer = ngx_palloc(cycle->pool, audit->size);
        if (audit->buffer == NULL) {
            return NGX_ERROR;
        }

        /* the gateway's name, for a fleet's trails gathered in one place */
        audit->node = smcf->node.len ? smcf->node : cycle->hostname;
        audit->heartbeat = smcf->heartbeat == NGX_CONF_UNSET_MSEC
                           ? NGX_HTTP_SF_BACKUP_HEARTBEAT : smcf->heartbeat;

        audit->flush.handler = ngx_http_sf_backup_audit_flush_handler;
        audit->flush.data = audit;
        audit->flush.log = cycle->log;

        if (audit->key.len == 0) {
            continue;
        }

        audit->chain = sfb_audit_chain_create(audit->key.data,
                                              audit->key.len);
        if (audit->chain == NULL) {
            ngx_log_error(NGX_LOG_EMERG, cycle->log, 0,
                          "sf_backup: could not set up the audit chain");
            return NGX_ERROR;
        }

        cln = ngx_pool_cleanup_add(cycle->pool, 0);
        if (cln == NULL) {
            return NGX_ERROR;
        }

        cln->handler = ngx_http_sf_backup_audit_free;
        cln->data = audit;

        if (sfb_audit_chain_start(audit->chain) != 0) {
            ngx_log_error(NGX_LOG_EMERG, cycle->log, 0,
                          "sf_backup: could not start an audit chain "
                          "(RAND_bytes failed)");
            return NGX_ERROR;
        }

        audit->chain_fd = audit->file ? audit->file->fd : NGX_INVALID_FILE;

        if (audit->zone == NULL || audit->file == NULL) {
            continue;
        }

        /* a row of our own, and the chains that ended before us (a worker
         * that died, a generation gone) named by our first record */

        ngx_http_sf_backup_ledger_take(audit, cycle->log);
        ngx_http_sf_backup_ledger_claim(audit, 1);

        if (audit->heartbeat) {
            audit->beat.handler = ngx_http_sf_backup_audit_beat;
            audit->beat.data = audit;
            audit->beat.log = cycle->log;
            audit->beat.cancelable = 1;

            ngx_add_timer(&audit->beat, audit->heartbeat);
        }
    }

    return NGX_OK;
}


/*
 * A worker leaving (shutdown, reload) records the governed requests it
 * abandons and writes what it still holds.
 */
void
ngx_http_sf_backup_audit_exit_process(ngx_cycle_t *cycle)
{
    ngx_uint_t                       i;
    ngx_http_conf_ctx_t             *ctx;
    ngx_http_sf_backup_audit_t     **audits;
    ngx_http_sf_backup_main_conf_t  *smcf;

    ctx = (ngx_http_conf_ctx_t *) cycle->conf_ctx[ngx_http_module.index];
    if (ctx == NULL) {
        return;
    }

    smcf = ctx->main_conf[ngx_http_sf_backup_gate_module.ctx_index];

    if (smcf->audits.nelts == 0) {
        return;
    }

    ngx_http_sf_backup_audit_in_flight(cycle);

    audits = smcf->audits.elts;

    for (i = 0; i < smcf->audits.nelts; i++) {
        (void) ngx_http_sf_backup_audit_flush(cycle->log, audits[i]);

        /* the chain ends here, in so many words, naming on its way out a
         * chain that ended before it, if any */

        if (audits[i]->chain && audits[i]->zone && !audits[i]->ended
            && audits[i]->chain_fd != NGX_INVALID_FILE
            && audits[i]->chain_fd == audits[i]->file->fd)
        {
            ngx_http_sf_backup_ledger_claim(audits[i], 0);

            if ((sfb_audit_chain_seq(audits[i]->chain) > 0
                 || sfb_audit_chain_linking(audits[i]->chain))
                && ngx_http_sf_backup_audit_event(cycle->log, audits[i],
                                                  "end", "exit")
                   == NGX_OK)
            {
                audits[i]->ended = 1;
            }
        }

        ngx_http_sf_backup_ledger_end(audits[i]);

        if (audits[i]->failed) {
            ngx_log_error(NGX_LOG_ALERT, cycle->log, 0,
                          "sf_backup: this worker lost %ui audit record(s) "
                          "of \"%V\" and wrote %ui",
                          audits[i]->failed, &audits[i]->name,
                          audits[i]->written);
        }
    }
}


static void
ngx_http_sf_backup_audit_free(void *data)
{
    ngx_http_sf_backup_audit_t  *audit = data;

    sfb_audit_chain_destroy(audit->chain);
    audit->chain = NULL;
}


/* Per worker for the error log, and across workers for the metrics. */
static void
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
static ngx_int_t
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


static void
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


/* In the master, at each configuration: the ledger found again, or new. */
static ngx_int_t
ngx_http_sf_backup_ledger_init_zone(ngx_shm_zone_t *zone, void *data)
{
    ngx_http_sf_backup_audit_t  *old = data;

    ngx_slab_pool_t              *shpool;
    ngx_http_sf_backup_audit_t   *audit;
    ngx_http_sf_backup_ledger_t  *l;

    audit = zone->data;

    if (old != NULL) {
        audit->ledger = old->ledger;
        return NGX_OK;
    }

    shpool = (ngx_slab_pool_t *) zone->shm.addr;

    l = ngx_slab_calloc(shpool, sizeof(ngx_http_sf_backup_ledger_t));
    if (l == NULL) {
        return NGX_ERROR;
    }

    shpool->data = l;
    audit->ledger = l;

    /* a full restart: the chains that ended last are in the file */
    ngx_http_sf_backup_ledger_seed(l, &audit->file->name, zone->shm.log);

    return NGX_OK;
}


/*
 * The chains whose last records are at the end of the file, newest first,
 * to be named by the first records of the new workers.  Read as written:
 * the MACs are the verifier's to check.
 */
static void
ngx_http_sf_backup_ledger_seed(ngx_http_sf_backup_ledger_t *l,
    ngx_str_t *path, ngx_log_t *log)
{
    char             id[2 * SFB_AUDIT_CHAIN_ID_LEN];
    u_char          *buf, *p, *end, *line, *name;
    off_t            from;
    ssize_t          n;
    uint64_t         seq;
    ngx_fd_t         fd;
    ngx_uint_t       i, k, ok;
    ngx_file_info_t  fi;

    seq = 0;

    /* the C library's malloc(): the sanitizers watch what it does */
    name = malloc(path->len + 1);
    buf = malloc(NGX_HTTP_SF_BACKUP_LEDGER_SEED);

    if (name == NULL || buf == NULL) {
        free(name);
        free(buf);
        return;
    }

    ngx_cpystrn(name, path->data, path->len + 1);

    fd = ngx_open_file(name, NGX_FILE_RDONLY, NGX_FILE_OPEN, 0);
    free(name);

    if (fd == NGX_INVALID_FILE) {
        free(buf);
        return;
    }

    n = -1;

    if (ngx_fd_info(fd, &fi) != NGX_FILE_ERROR) {
        from = ngx_file_size(&fi) - NGX_HTTP_SF_BACKUP_LEDGER_SEED;
        n = pread(fd, buf, NGX_HTTP_SF_BACKUP_LEDGER_SEED,
                  from > 0 ? from : 0);
    }

    (void) ngx_close_file(fd);

    end = buf + (n > 0 ? n : 0);
    k = 0;

    /* whole lines from the last one back */

    while (end > buf && k < NGX_HTTP_SF_BACKUP_LEDGER_ROWS / 4) {

        if (end[-1] != '\n') {
            /* a partial last line: not a record */
            for (p = end; p > buf && p[-1] != '\n'; p--) { /* void */ }
            end = p;
            continue;
        }

        for (p = end - 1; p > buf && p[-1] != '\n'; p--) { /* void */ }

        line = p;

        /* the first line may be a piece of one, unless the file is whole */

        ok = (p > buf || n < NGX_HTTP_SF_BACKUP_LEDGER_SEED)
             && sfb_audit_line_chain(line, end - 1 - line, id, &seq) == 0;

        end = p;

        if (!ok) {
            continue;
        }

        for (i = 0; i < k; i++) {
            if (ngx_memcmp(l->rows[i].id, id, sizeof(id)) == 0) {
                break;
            }
        }

        if (i == k) {
            ngx_memcpy(l->rows[k].id, id, sizeof(id));
            l->rows[k].seq = seq;
            l->rows[k].state = NGX_HTTP_SF_BACKUP_LEDGER_ENDED;
            k++;
        }
    }

    l->ended = k;

    free(buf);
}


static void
ngx_http_sf_backup_ledger_take(ngx_http_sf_backup_audit_t *audit,
    ngx_log_t *log)
{
    ngx_uint_t                    i;
    ngx_slab_pool_t              *shpool;
    ngx_http_sf_backup_ledger_t  *l = audit->ledger;

    shpool = (ngx_slab_pool_t *) audit->zone->shm.addr;

    ngx_shmtx_lock(&shpool->mutex);

    for (i = 0; i < NGX_HTTP_SF_BACKUP_LEDGER_ROWS; i++) {
        if (l->rows[i].state == NGX_HTTP_SF_BACKUP_LEDGER_FREE) {
            l->rows[i].state = NGX_HTTP_SF_BACKUP_LEDGER_LIVE;
            l->rows[i].pid = ngx_pid;
            l->rows[i].seq = 0;
            ngx_memcpy(l->rows[i].id, sfb_audit_chain_id(audit->chain),
                       2 * SFB_AUDIT_CHAIN_ID_LEN);
            audit->row = i;
            break;
        }
    }

    ngx_shmtx_unlock(&shpool->mutex);

    if (audit->row == -1) {
        ngx_log_error(NGX_LOG_ALERT, log, 0,
                      "sf_backup: the chain ledger of \"%V\" is full: this "
                      "worker's chain will not be named when it ends",
                      &audit->name);
    }
}


/* a new chain in this worker (reopen, a cut write): it names the old one */
static void
ngx_http_sf_backup_ledger_started(ngx_http_sf_backup_audit_t *audit)
{
    ngx_slab_pool_t              *shpool;
    ngx_http_sf_backup_ledger_t  *l = audit->ledger;

    if (audit->row == -1) {
        return;
    }

    shpool = (ngx_slab_pool_t *) audit->zone->shm.addr;

    ngx_shmtx_lock(&shpool->mutex);

    l->rows[audit->row].seq = 0;
    ngx_memcpy(l->rows[audit->row].id, sfb_audit_chain_id(audit->chain),
               2 * SFB_AUDIT_CHAIN_ID_LEN);

    ngx_shmtx_unlock(&shpool->mutex);
}


/* only this worker writes its row's seq: no lock */
static void
ngx_http_sf_backup_ledger_wrote(ngx_http_sf_backup_audit_t *audit)
{
    ngx_http_sf_backup_ledger_t  *l = audit->ledger;

    if (audit->row != -1 && audit->chain) {
        l->rows[audit->row].seq = sfb_audit_chain_seq(audit->chain);
    }
}


/*
 * The next record names one chain that ended (or whose worker died:
 * dead, checked at start and at each heartbeat) and that no one named yet.
 * One per record: the others wait for the next.
 */
static void
ngx_http_sf_backup_ledger_claim(ngx_http_sf_backup_audit_t *audit,
    ngx_uint_t dead)
{
    ngx_int_t                         i;
    ngx_uint_t                        more;
    ngx_atomic_uint_t                 ended;
    ngx_slab_pool_t                  *shpool;
    ngx_http_sf_backup_ledger_t      *l = audit->ledger;
    ngx_http_sf_backup_ledger_row_t  *row;

    if (l == NULL || audit->chain == NULL
        || sfb_audit_chain_linking(audit->chain)
        || (!dead && l->ended == audit->seen_ended))
    {
        return;
    }

    shpool = (ngx_slab_pool_t *) audit->zone->shm.addr;

    ngx_shmtx_lock(&shpool->mutex);

    ended = l->ended;
    more = 0;

    for (i = 0; i < NGX_HTTP_SF_BACKUP_LEDGER_ROWS; i++) {
        row = &l->rows[i];

        if (i == audit->row || row->state == NGX_HTTP_SF_BACKUP_LEDGER_FREE) {
            continue;
        }

        if (row->state == NGX_HTTP_SF_BACKUP_LEDGER_LIVE
            && (!dead || row->pid <= 0 || kill(row->pid, 0) == 0
                || ngx_errno != NGX_ESRCH))
        {
            continue;
        }

        /* ended, or its worker is gone: seq is where it ended */

        if (row->seq == 0) {
            row->state = NGX_HTTP_SF_BACKUP_LEDGER_FREE;
            continue;
        }

        if (sfb_audit_chain_linking(audit->chain)) {
            more = 1;
            break;
        }

        /* named now (an id that is not one, from the file, never) */
        (void) sfb_audit_chain_link(audit->chain, (const char *) row->id,
                                    row->seq);
        row->state = NGX_HTTP_SF_BACKUP_LEDGER_FREE;
    }

    if (!more) {
        audit->seen_ended = ended;
    }

    ngx_shmtx_unlock(&shpool->mutex);
}


/* the worker leaves: its chain, if it wrote anything, waits to be named */
static void
ngx_http_sf_backup_ledger_end(ngx_http_sf_backup_audit_t *audit)
{
    ngx_slab_pool_t              *shpool;
    ngx_http_sf_backup_ledger_t  *l = audit->ledger;

    if (audit->row == -1 || l == NULL) {
        return;
    }

    shpool = (ngx_slab_pool_t *) audit->zone->shm.addr;

    ngx_shmtx_lock(&shpool->mutex);

    l->rows[audit->row].seq = sfb_audit_chain_seq(audit->chain);
    l->rows[audit->row].state = l->rows[audit->row].seq
                                ? NGX_HTTP_SF_BACKUP_LEDGER_ENDED
                                : NGX_HTTP_SF_BACKUP_LEDGER_FREE;
    l->ended++;

    ngx_shmtx_unlock(&shpool->mutex);

    audit->row = -1;
}
