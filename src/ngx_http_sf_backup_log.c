/*
 * sf-backup-gate: the audit log.
 *
 * One JSON line per governed request, whatever its fate, written from the
 * log phase; with sf_backup_audit_fail_closed, an allowed (or reported)
 * request's decision is also written, synchronously, before it is
 * forwarded.
 *
 * Records of one event-loop iteration share one write(2) on the O_APPEND
 * descriptor nginx opened (so SIGUSR1 reopens it and workers never tear
 * each other's lines): the log handler appends to a per-worker buffer and
 * posts an event that writes it before the worker waits for events again.
 * There is no timer: a record waits for the end of the current iteration at
 * the most.  With sf_backup_audit_key every record is chained with
 * HMAC-SHA256 (src/sfb_audit.c); a chain is per worker process and starts
 * anew after each reopen.
 */

#include "ngx_http_sf_backup_gate_module.h"


#define NGX_HTTP_SF_BACKUP_AUDIT_BUFFER  (64 * 1024)


static ngx_http_sf_backup_audit_t *ngx_http_sf_backup_audit_get(
    ngx_conf_t *cf, ngx_str_t *name);
static ngx_int_t ngx_http_sf_backup_audit_format(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, ngx_http_sf_backup_audit_t *audit,
    ngx_uint_t pre_forward, u_char *out, size_t size, size_t *len);
static ngx_int_t ngx_http_sf_backup_audit_write(ngx_log_t *log,
    ngx_http_sf_backup_audit_t *audit, u_char *data, size_t len);
static void ngx_http_sf_backup_audit_flush_handler(ngx_event_t *ev);
static ngx_int_t ngx_http_sf_backup_audit_flush(ngx_log_t *log,
    ngx_http_sf_backup_audit_t *audit);
static ngx_int_t ngx_http_sf_backup_audit_chain_check(ngx_log_t *log,
    ngx_http_sf_backup_audit_t *audit);
static void ngx_http_sf_backup_audit_free(void *data);


ngx_int_t
ngx_http_sf_backup_log_handler(ngx_http_request_t *r)
{
    ngx_http_sf_backup_ctx_t  *ctx;

    ctx = ngx_http_sf_backup_get_ctx(r);

    if (ctx == NULL || !ctx->governed || ctx->audited || ctx->conf == NULL
        || ctx->conf->audit == NULL)
    {
        return NGX_OK;
    }

    (void) ngx_http_sf_backup_audit_record(r, ctx, 0);

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
    u_char                      *p;
    size_t                       len;
    ngx_int_t                    rc;
    ngx_http_sf_backup_audit_t  *audit;

    audit = ctx->conf->audit;

    if (audit == NULL) {
        return NGX_OK;
    }

    if (!pre_forward) {
        ctx->audited = 1;
    }

    if (audit->buffer == NULL) {
        /* the worker could not set the log up: counted, never silent */
        audit->failed++;
        return NGX_ERROR;
    }

    if (ngx_http_sf_backup_audit_chain_check(r->connection->log, audit)
        != NGX_OK)
    {
        audit->failed++;
        return NGX_ERROR;
    }

    if (pre_forward || audit->syslog) {
        /* written now, on its own: a small line from the request pool */
        rc = ngx_http_sf_backup_audit_format(r, ctx, audit, pre_forward,
                                             NULL, 0, &len);
        if (rc != NGX_DECLINED) {
            audit->failed++;
            return NGX_ERROR;
        }

        p = ngx_pnalloc(r->pool, len + 1);
        if (p == NULL) {
            audit->failed++;
            return NGX_ERROR;
        }

        rc = ngx_http_sf_backup_audit_format(r, ctx, audit, pre_forward,
                                             p, len, &len);
        if (rc != NGX_OK) {
            audit->failed++;
            return NGX_ERROR;
        }

        /* earlier records of this iteration go first, in order */
        if (audit->pending_len
            && ngx_http_sf_backup_audit_flush(r->connection->log, audit)
               != NGX_OK)
        {
            audit->failed++;
            return NGX_ERROR;
        }

        if (ngx_http_sf_backup_audit_write(r->connection->log, audit, p, len)
            != NGX_OK)
        {
            audit->failed++;
            return NGX_ERROR;
        }

        audit->written++;

        if (pre_forward) {
            ctx->pre_recorded = 1;
        }

        return NGX_OK;
    }

    rc = ngx_http_sf_backup_audit_format(r, ctx, audit, 0,
                                         audit->buffer + audit->pending_len,
                                         audit->size - audit->pending_len,
                                         &len);

    if (rc == NGX_DECLINED) {
        /* no room left: write what is there, then try once more */
        if (ngx_http_sf_backup_audit_flush(r->connection->log, audit)
            != NGX_OK)
        {
            audit->failed++;
            return NGX_ERROR;
        }

        rc = ngx_http_sf_backup_audit_format(r, ctx, audit, 0,
                                             audit->buffer, audit->size,
                                             &len);
    }

    if (rc != NGX_OK) {
        audit->failed++;
        return NGX_ERROR;
    }

    audit->pending_len += len;
    audit->pending_records++;

    if (!audit->flush.posted) {
        ngx_post_event(&audit->flush, &ngx_posted_events);
    }

    return NGX_OK;
}


/*
 * NGX_OK with *len set; NGX_DECLINED when it does not fit in size (then
 * *len is what it needs and the chain did not advance).
 */
static ngx_int_t
ngx_http_sf_backup_audit_format(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, ngx_http_sf_backup_audit_t *audit,
    ngx_uint_t pre_forward, u_char *out, size_t size, size_t *len)
{
    size_t                      n;
    ngx_str_t                   id;
    ngx_uint_t                  status;
    ngx_time_t                 *tp;
    const char                 *s;
    sfb_reason_e                reason;
    sfb_audit_record_t          rec;
    ngx_http_upstream_state_t  *state;

    ngx_memzero(&rec, sizeof(sfb_audit_record_t));

    tp = ngx_timeofday();
    rec.time_ms = (int64_t) tp->sec * 1000 + tp->msec;
    rec.duration_ms = rec.time_ms
                      - ((int64_t) ctx->start_sec * 1000 + ctx->start_msec);

    if (ngx_http_sf_backup_request_id(r, &id) == NGX_OK) {
        rec.request_id.data = id.data;
        rec.request_id.len = id.len;
    }

    rec.client.data = r->connection->addr_text.data;
    rec.client.len = r->connection->addr_text.len;
    rec.identity = ctx->d.identity;
    rec.method.data = r->method_name.data;
    rec.method.len = r->method_name.len;
    rec.uri.data = ctx->uri.data;
    rec.uri.len = ctx->uri.len;

    s = ctx->d.kind == SFB_PATH_BACKUP_RESTORE
        ? "backup_restore" : sfb_entity_name(ctx->d.target.entity);
    rec.entity.data = (const unsigned char *) s;
    rec.entity.len = ngx_strlen(s);

    rec.entity_id.data = ctx->d.target.id;
    rec.entity_id.len = ctx->d.target.id_len;
    rec.policy.data = ctx->d.body.policy;
    rec.policy.len = ctx->d.body.policy_len;
    rec.api_version = ctx->d.query.api_version;
    rec.has_timeout = ctx->d.query.has_timeout;
    rec.timeout = ctx->d.query.timeout;

    reason = ctx->d.reason;

    if (reason == SFB_REASON_NONE) {
        /* the request ended before the gate could decide */
        reason = SFB_REASON_CLIENT_CLOSED;
    }

    s = ngx_http_sf_backup_decision_name(ctx->decision);
    if (*s == '\0') {
        s = "deny";
    }

    rec.decision.data = (const unsigned char *) s;
    rec.decision.len = ngx_strlen(s);

    s = sfb_reason_name(reason);
    rec.reason.data = (const unsigned char *) s;
    rec.reason.len = ngx_strlen(s);

    if (pre_forward) {
        ngx_str_set(&rec.phase, "decision");
        rec.status = 0;

    } else {
        ngx_str_set(&rec.phase, "outcome");

        status = r->err_status ? r->err_status : r->headers_out.status;
        if (status == 0 || (r->connection->error && !r->header_sent)) {
            status = 499;
        }

        rec.status = (int) status;

        if (r->upstream_states && r->upstream_states->nelts) {
            state = r->upstream_states->elts;
            state = &state[r->upstream_states->nelts - 1];

            rec.upstream_status = (int) state->status;

            if (state->peer) {
                rec.upstream_addr.data = state->peer->data;
                rec.upstream_addr.len = state->peer->len;
            }
        }
    }

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
        || audit->file->fd == audit->chain_fd)
    {
        return NGX_OK;
    }

    if (sfb_audit_chain_start(audit->chain) != 0) {
        ngx_log_error(NGX_LOG_ALERT, log, 0,
                      "sf_backup: could not start an audit chain "
                      "(RAND_bytes failed)");
        return NGX_ERROR;
    }

    audit->chain_fd = audit->file->fd;

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
    ngx_int_t  rc;

    if (audit->pending_len == 0) {
        return NGX_OK;
    }

    rc = ngx_http_sf_backup_audit_write(log, audit, audit->buffer,
                                        audit->pending_len);

    if (rc == NGX_OK) {
        audit->written += audit->pending_records;

    } else {
        audit->failed += audit->pending_records;
    }

    audit->pending_len = 0;
    audit->pending_records = 0;

    return rc;
}


static ngx_int_t
ngx_http_sf_backup_audit_write(ngx_log_t *log,
    ngx_http_sf_backup_audit_t *audit, u_char *data, size_t len)
{
    ssize_t  n;

    if (audit->syslog) {
        /* one datagram per record, without its newline */
        n = ngx_syslog_send(audit->syslog, data, len - 1);
        if (n < 0) {
            ngx_log_error(NGX_LOG_ERR, log, 0,
                          "sf_backup: audit record not sent to syslog");
            return NGX_ERROR;
        }

        return NGX_OK;
    }

    n = ngx_write_fd(audit->file->fd, data, len);

    if (n == (ssize_t) len) {
        return NGX_OK;
    }

    if (n == -1) {
        ngx_log_error(NGX_LOG_ALERT, log, ngx_errno,
                      "sf_backup: audit records not written to \"%V\"",
                      &audit->file->name);
    } else {
        ngx_log_error(NGX_LOG_ALERT, log, 0,
                      "sf_backup: audit records cut short in \"%V\" "
                      "(%z of %uz bytes)", &audit->file->name, n, len);

        /* end the cut line, so the next record starts on its own */
        (void) ngx_write_fd(audit->file->fd, "\n", 1);
    }

    /*
     * Lines none of which reached the file leave a gap in seq that the
     * verifier reports; start a new chain so that what follows verifies.
     */
    if (audit->chain && sfb_audit_chain_start(audit->chain) != 0) {
        audit->chain_fd = NGX_INVALID_FILE;
    }

    return NGX_ERROR;
}


/* sf_backup_audit_log path | syslog:server=... | off; */
char *
ngx_http_sf_backup_audit_log(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_sf_backup_loc_conf_t *slcf = conf;

    ngx_str_t                   *value;
    ngx_http_sf_backup_audit_t  *audit;

    if (slcf->audit != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (ngx_strcmp(value[1].data, "off") == 0) {
        slcf->audit = NULL;
        return NGX_CONF_OK;
    }

    audit = ngx_http_sf_backup_audit_get(cf, &value[1]);
    if (audit == NULL) {
        return NGX_CONF_ERROR;
    }

    if (audit->file == NULL && audit->syslog == NULL) {

        if (ngx_strncmp(value[1].data, "syslog:", 7) == 0) {
            audit->syslog = ngx_pcalloc(cf->pool, sizeof(ngx_syslog_peer_t));
            if (audit->syslog == NULL) {
                return NGX_CONF_ERROR;
            }

            if (ngx_syslog_process_conf(cf, audit->syslog) != NGX_CONF_OK) {
                return NGX_CONF_ERROR;
            }

        } else {
            /* nginx opens it O_APPEND, reopens it on SIGUSR1 */
            audit->file = ngx_conf_open_file(cf->cycle, &value[1]);
            if (audit->file == NULL) {
                return NGX_CONF_ERROR;
            }
        }
    }

    slcf->audit = audit;

    return NGX_CONF_OK;
}


/* sf_backup_audit_key file; after sf_backup_audit_log, read once here. */
char *
ngx_http_sf_backup_audit_key(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_sf_backup_loc_conf_t *slcf = conf;

    size_t      len;
    ngx_str_t  *value, name;
    u_char      key[SFB_AUDIT_KEY_MAX];
    char        err[256];

    value = cf->args->elts;

    if (slcf->audit == NGX_CONF_UNSET_PTR || slcf->audit == NULL) {
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

    return NGX_CONF_OK;
}


/* One destination per name, shared by every location that names it. */
static ngx_http_sf_backup_audit_t *
ngx_http_sf_backup_audit_get(ngx_conf_t *cf, ngx_str_t *name)
{
    ngx_uint_t                       i;
    ngx_http_sf_backup_audit_t     **audits, *audit, **slot;
    ngx_http_sf_backup_main_conf_t  *smcf;

    smcf = ngx_http_conf_get_module_main_conf(cf,
                                              ngx_http_sf_backup_gate_module);

    audits = smcf->audits.elts;

    for (i = 0; i < smcf->audits.nelts; i++) {
        if (audits[i]->name.len == name->len
            && ngx_strncmp(audits[i]->name.data, name->data, name->len) == 0)
        {
            return audits[i];
        }
    }

    audit = ngx_pcalloc(cf->pool, sizeof(ngx_http_sf_backup_audit_t));
    if (audit == NULL) {
        return NULL;
    }

    audit->name = *name;
    audit->chain_fd = NGX_INVALID_FILE;

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

    smcf = ctx->main_conf[ngx_http_sf_backup_gate_module.ctx_index];
    audits = smcf->audits.elts;

    for (i = 0; i < smcf->audits.nelts; i++) {
        audit = audits[i];

        audit->size = NGX_HTTP_SF_BACKUP_AUDIT_BUFFER;
        audit->buffer = ngx_palloc(cycle->pool, audit->size);
        if (audit->buffer == NULL) {
            return NGX_ERROR;
        }

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
    }

    return NGX_OK;
}


/* A worker leaving (shutdown, reload) writes what it still holds. */
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
    audits = smcf->audits.elts;

    for (i = 0; i < smcf->audits.nelts; i++) {
        (void) ngx_http_sf_backup_audit_flush(cycle->log, audits[i]);
    }
}


static void
ngx_http_sf_backup_audit_free(void *data)
{
    ngx_http_sf_backup_audit_t  *audit = data;

    sfb_audit_chain_destroy(audit->chain);
    audit->chain = NULL;
}
