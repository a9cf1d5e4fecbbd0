/*
 * sf-backup-gate: the audit log, log phase.
 *
 * One JSON line per governed request, whatever its fate, written from the
 * log phase; with sf_backup_audit_fail_closed, an allowed (or reported)
 * request's decision is also written, synchronously, before it is
 * forwarded.  Requests nginx refused before the gate could look at them
 * (client_max_body_size, auth_request, deny) get their line from the log
 * phase too, and those still in flight when a worker is told to exit at
 * once (SIGTERM) from the exit_process hook.
 *
 * A record's members are gathered here and handed to the writer
 * (ngx_http_sf_backup_audit_write.c) in one call, which chains and seals
 * it, queues it in the worker's buffer and writes the buffer at the end of
 * the event loop's turn.  With sf_backup_audit_key every record is chained
 * with HMAC-SHA256 (src/core/sfb_audit.c); a chain is per worker process
 * and starts anew after each reopen, and the ledger
 * (ngx_http_sf_backup_ledger.c) links the chains of every worker
 * generation.
 */

#include "ngx_http_sf_backup_audit.h"


/* what a record says about the request's end */
#define NGX_HTTP_SF_BACKUP_AUDIT_OUTCOME   0
#define NGX_HTTP_SF_BACKUP_AUDIT_DECISION  1    /* before forwarding */
#define NGX_HTTP_SF_BACKUP_AUDIT_EXITING   2    /* the worker exits first */


static ngx_int_t ngx_http_sf_backup_audit_add(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, ngx_uint_t phase);
static void ngx_http_sf_backup_audit_fill(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, ngx_uint_t phase, sfb_audit_record_t *rec);
static void ngx_http_sf_backup_audit_in_flight(ngx_cycle_t *cycle);
static void ngx_http_sf_backup_audit_free(void *data);


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

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup log handler, audit \"%V\"",
                   &ctx->conf->audit->name);

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


/*
 * One record: its members from the request, then one call into the writer,
 * which chains, seals and writes it (pre_forward: on disk before this
 * returns, as the decision record of a fail-closed call must be).
 */
static ngx_int_t
ngx_http_sf_backup_audit_add(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, ngx_uint_t phase)
{
    sfb_audit_record_t           rec;
    ngx_http_sf_backup_audit_t  *audit;

    audit = ctx->conf->audit;

    if (audit == NULL) {
        return NGX_OK;
    }

    if (phase != NGX_HTTP_SF_BACKUP_AUDIT_DECISION) {
        ctx->audited = 1;
    }

    ngx_http_sf_backup_audit_fill(r, ctx, phase, &rec);

    return ngx_http_sf_backup_audit_put(audit, &rec,
                                        phase
                                        == NGX_HTTP_SF_BACKUP_AUDIT_DECISION,
                                        r->pool, r->connection->log);
}


/* What a record says of the request: every member but the chain's. */
static void
ngx_http_sf_backup_audit_fill(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, ngx_uint_t phase, sfb_audit_record_t *rec)
{
    ngx_str_t            id, identity, upstream_addr, upstream_status;
    ngx_uint_t           status;
    ngx_time_t          *tp;
    const char          *s;
    sfb_reason_e         reason;

    ngx_memzero(rec, sizeof(sfb_audit_record_t));

    tp = ngx_timeofday();
    rec->time_ms = (int64_t) tp->sec * 1000 + tp->msec;
    rec->duration_ms = rec->time_ms
                      - ((int64_t) ctx->start_sec * 1000 + ctx->start_msec);

    if (ngx_http_sf_backup_request_id(r, &id) == NGX_OK) {
        rec->request_id.data = id.data;
        rec->request_id.len = id.len;
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

    rec->client.data = r->connection->addr_text.data;
    rec->client.len = r->connection->addr_text.len;
    rec->identity = ctx->d.identity;
    /* the client's: an error page's redirect makes r's method GET */
    rec->method = ctx->d.method;
    if (rec->method.len == 0) {
        rec->method.data = r->method_name.data;
        rec->method.len = r->method_name.len;
    }

    rec->uri.data = ctx->uri.data;
    rec->uri.len = ctx->uri.len;

    s = ngx_http_sf_backup_entity(ctx);
    rec->entity.data = (const unsigned char *) s;
    rec->entity.len = ngx_strlen(s);

    rec->entity_id.data = ctx->d.target.id;
    rec->entity_id.len = ctx->d.target.id_len;
    rec->entity_name = ctx->d.entity_name;
    s = sfb_operation_name(ngx_http_sf_backup_operation(ctx));
    rec->operation.data = (const unsigned char *) s;
    rec->operation.len = ngx_strlen(s);
    rec->storage.data = (const unsigned char *) ctx->d.body.storage;
    rec->storage.len = ngx_strlen(ctx->d.body.storage);
    rec->policy.data = ctx->d.body.policy;
    rec->policy.len = ctx->d.body.policy_len;
    rec->backup_id.data = (const unsigned char *) ctx->d.body.backup_id;
    rec->backup_id.len = ngx_strlen(ctx->d.body.backup_id);
    rec->backup_location.data = (const unsigned char *) ctx->d.body.location;
    rec->backup_location.len = ngx_strlen(ctx->d.body.location);
    rec->api_version = ctx->d.query.api_version;
    rec->has_timeout = ctx->d.query.has_timeout;
    rec->timeout = ctx->d.query.timeout;

    s = ngx_http_sf_backup_decision_name(ctx->decision);
    if (*s == '\0') {
        s = "deny";
    }

    rec->decision.data = (const unsigned char *) s;
    rec->decision.len = ngx_strlen(s);

    status = 0;

    switch (phase) {

    case NGX_HTTP_SF_BACKUP_AUDIT_DECISION:
        ngx_str_set(&rec->phase, "decision");
        break;

    case NGX_HTTP_SF_BACKUP_AUDIT_EXITING:
        /* what was sent before the worker left, if anything */
        ngx_str_set(&rec->phase, "outcome");
        status = r->header_sent ? r->headers_out.status : 0;
        break;

    default: /* NGX_HTTP_SF_BACKUP_AUDIT_OUTCOME, settled */
        ngx_str_set(&rec->phase, "outcome");
        status = ctx->final_status;
    }

    if (phase != NGX_HTTP_SF_BACKUP_AUDIT_DECISION) {
        ngx_http_sf_backup_upstreams(r, &upstream_addr, &upstream_status);

        rec->upstream_addr.data = upstream_addr.data;
        rec->upstream_addr.len = upstream_addr.len;
        rec->upstream_status.data = upstream_status.data;
        rec->upstream_status.len = upstream_status.len;
    }

    rec->status = (int) status;

    reason = ctx->d.reason;

    s = sfb_reason_name(reason);
    rec->reason.data = (const unsigned char *) s;
    rec->reason.len = ngx_strlen(s);

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

        ngx_log_debug1(NGX_LOG_DEBUG_HTTP, cycle->log, 0,
                       "sf_backup audit of a request in flight, *%uA",
                       c[i].number);

        (void) ngx_http_sf_backup_audit_add(r->main, ctx,
                                            NGX_HTTP_SF_BACKUP_AUDIT_EXITING);
    }
}


/* Per worker: the write buffer, the flush event and the HMAC chain. */
ngx_int_t
ngx_http_sf_backup_audit_init_process(ngx_cycle_t *cycle)
{
    ngx_uint_t                       i;
    ngx_pool_cleanup_t              *cln;
    ngx_http_sf_backup_audit_t     **audits, *audit;
    ngx_http_sf_backup_main_conf_t  *smcf;

    smcf = ngx_http_cycle_get_module_main_conf(cycle,
                                               ngx_http_sf_backup_gate_module);
    if (smcf == NULL) {
        return NGX_OK;
    }

    /*
     * jansson's allocations on the request path come from stack buffers the
     * core lends around each call (src/core/sfb_json.h); set per worker,
     * never in the master, whose reload may unload this module while
     * jansson stays.
     */
    sfb_json_scratch_install();

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

        if (audit->key.len == 0 && audit->seal_path.len == 0) {
            continue;
        }

        cln = ngx_pool_cleanup_add(cycle->pool, 0);
        if (cln == NULL) {
            return NGX_ERROR;
        }

        cln->handler = ngx_http_sf_backup_audit_free;
        cln->data = audit;

        if (audit->seal_path.len) {
            /* forward-secure: the key of this epoch, from the state file */
            if (ngx_http_sf_backup_seal_init_process(cycle, audit)
                != NGX_OK)
            {
                return NGX_ERROR;
            }

            if (audit->seal_broken) {
                /* said in the error log: governed calls are answered 503 */
                continue;
            }

        } else {
            audit->chain = sfb_audit_chain_create(audit->key.data,
                                                  audit->key.len);
        }

        if (audit->chain == NULL) {
            ngx_log_error(NGX_LOG_EMERG, cycle->log, 0,
                          "sf_backup: could not set up the audit chain");
            return NGX_ERROR;
        }

        if (sfb_audit_chain_start(audit->chain) != 0) {
            ngx_log_error(NGX_LOG_EMERG, cycle->log, 0,
                          "sf_backup: could not start an audit chain "
                          "(RAND_bytes failed)");
            return NGX_ERROR;
        }

        audit->chain_fd = audit->file ? audit->file->fd : NGX_INVALID_FILE;

        ngx_log_debug2(NGX_LOG_DEBUG_CORE, cycle->log, 0,
                       "sf_backup audit \"%V\": chain %s", &audit->name,
                       sfb_audit_chain_id(audit->chain));

        if (audit->zone == NULL || audit->file == NULL) {
            continue;
        }

        /* a row of our own, and the chains that ended before us (a worker
         * that died, a generation gone) named by our first record */

        ngx_http_sf_backup_ledger_take(audit, cycle->log);
        ngx_http_sf_backup_ledger_claim(audit, 1);

        /* the first worker of a new key retires the old one at once: no
         * record of the old key dated after now can be its own */

        if (sfb_audit_chain_retiring(audit->chain)) {
            (void) ngx_http_sf_backup_audit_event(cycle->log, audit,
                                                  "heartbeat", "key_retired");
        }

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


/* In the master (and nginx -t), the audit files just opened: 0640. */
ngx_int_t
ngx_http_sf_backup_audit_init_module(ngx_cycle_t *cycle)
{
    ngx_uint_t                       i;
    ngx_http_sf_backup_audit_t     **audits;
    ngx_http_sf_backup_main_conf_t  *smcf;

    smcf = ngx_http_cycle_get_module_main_conf(cycle,
                                               ngx_http_sf_backup_gate_module);
    if (smcf == NULL) {
        return NGX_OK;
    }

    audits = smcf->audits.elts;

    for (i = 0; i < smcf->audits.nelts; i++) {
        if (ngx_http_sf_backup_audit_protect(cycle->log, audits[i])
            != NGX_OK)
        {
            return NGX_ERROR;
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
    ngx_http_sf_backup_audit_t     **audits;
    ngx_http_sf_backup_main_conf_t  *smcf;

    smcf = ngx_http_cycle_get_module_main_conf(cycle,
                                               ngx_http_sf_backup_gate_module);
    if (smcf == NULL || smcf->audits.nelts == 0) {
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
                 || sfb_audit_chain_linking(audits[i]->chain)
                 || sfb_audit_chain_retiring(audits[i]->chain))
                && ngx_http_sf_backup_audit_event(cycle->log, audits[i],
                                                  "end", "exit")
                   == NGX_OK)
            {
                audits[i]->ended = 1;
            }
        }

        ngx_http_sf_backup_ledger_end(audits[i]);

        ngx_log_debug3(NGX_LOG_DEBUG_CORE, cycle->log, 0,
                       "sf_backup audit \"%V\": %ui written, %ui lost",
                       &audits[i]->name, audits[i]->written,
                       audits[i]->failed);

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
