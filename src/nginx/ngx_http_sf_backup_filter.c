/*
 * sf-backup-gate: header and body filters.
 *
 * Every failure a client sees from a location where the module is on is
 * Service Fabric's FabricError JSON, whoever caused it: the gate's own
 * rejections (sent by its phase handler with send_error()), nginx's own
 * error pages (upstream unreachable, timed out, body too large) and the
 * cluster's answers whose body is not already a FabricError.
 *
 * An error answer is held back until its body is known: a well-formed
 * FabricError (within a bounded buffer) goes out unchanged, anything else is
 * replaced.  Successful answers are never touched nor buffered.
 *
 * The replacement's Code follows its status; its Message says who failed:
 * the cluster (it answered, not with a FabricError), or the gateway (nginx
 * made the error page: no answer, no live upstream, a limit), never echoing
 * what the cluster sent.
 */

#include "ngx_http_sf_backup_common.h"
#include "ngx_http_sf_backup_metrics.h"


/* the longest policy read held to be masked (a list of many policies) */
#define NGX_HTTP_SF_BACKUP_MASK_MAX    (1024 * 1024)
/* ... and what is set aside first for one whose length is not said */
#define NGX_HTTP_SF_BACKUP_MASK_START  (16 * 1024)


/* Who failed, as the Message of a replacement says it. */
typedef enum {
    NGX_HTTP_SF_BACKUP_BY_CLUSTER = 0,  /* answered, not with a FabricError */
    NGX_HTTP_SF_BACKUP_BY_GATEWAY,      /* nginx's own error page */
    NGX_HTTP_SF_BACKUP_NO_LIVE,         /* nginx found no server up */
    NGX_HTTP_SF_BACKUP_NO_CERT,         /* no client certificate sent */
    NGX_HTTP_SF_BACKUP_BAD_CERT,        /* the certificate not accepted */
    NGX_HTTP_SF_BACKUP_TOO_LONG,        /* a policy read too long to mask */
    NGX_HTTP_SF_BACKUP_NOT_JSON         /* a policy read not JSON */
} ngx_http_sf_backup_failure_e;


static ngx_int_t ngx_http_sf_backup_header_filter(ngx_http_request_t *r);
static ngx_int_t ngx_http_sf_backup_body_filter(ngx_http_request_t *r,
    ngx_chain_t *in);
static ngx_int_t ngx_http_sf_backup_collect(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, ngx_chain_t *in, ngx_uint_t *last,
    ngx_uint_t *flush);
static void ngx_http_sf_backup_terminated(void *data);
static size_t ngx_http_sf_backup_mask_room(ngx_http_request_t *r);
static ngx_int_t ngx_http_sf_backup_grow(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, size_t more);
static ngx_uint_t ngx_http_sf_backup_masks(ngx_http_sf_backup_ctx_t *ctx);
static ngx_int_t ngx_http_sf_backup_mask(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx);
static ngx_int_t ngx_http_sf_backup_release(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx);
static ngx_int_t ngx_http_sf_backup_rewrite(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, ngx_uint_t send_body,
    ngx_uint_t cut_short);
static ngx_int_t ngx_http_sf_backup_message(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, ngx_uint_t cut_short, ngx_uint_t *status,
    ngx_str_t *message);
static size_t ngx_http_sf_backup_message_text(
    ngx_http_sf_backup_failure_e failure, ngx_uint_t status, ngx_str_t *id,
    u_char *out, size_t size);
static ngx_uint_t ngx_http_sf_backup_no_live_upstream(ngx_http_request_t *r);


static ngx_http_output_header_filter_pt  ngx_http_next_header_filter;
static ngx_http_output_body_filter_pt    ngx_http_next_body_filter;


ngx_int_t
ngx_http_sf_backup_filter_init(ngx_conf_t *cf)
{
    if (ngx_http_sf_backup_answer_init(cf) != NGX_OK) {
        return NGX_ERROR;
    }

    ngx_http_next_header_filter = ngx_http_top_header_filter;
    ngx_http_top_header_filter = ngx_http_sf_backup_header_filter;

    ngx_http_next_body_filter = ngx_http_top_body_filter;
    ngx_http_top_body_filter = ngx_http_sf_backup_body_filter;

    return NGX_OK;
}


static ngx_int_t
ngx_http_sf_backup_header_filter(ngx_http_request_t *r)
{
    ngx_http_cleanup_t             *cln;
    ngx_http_sf_backup_ctx_t       *ctx;
    ngx_http_sf_backup_loc_conf_t  *slcf;

    if (r != r->main) {
        return ngx_http_next_header_filter(r);
    }

    if (r->headers_out.status < NGX_HTTP_BAD_REQUEST) {
        ctx = (r->headers_out.status == NGX_HTTP_OK)
              ? ngx_http_sf_backup_get_ctx(r) : NULL;

        if (ctx == NULL || r->header_only
            || !(ngx_http_sf_backup_masks(ctx)
                 || ngx_http_sf_backup_data_filters(ctx)))
        {
            return ngx_http_next_header_filter(r);
        }

        /* a policy read for a caller without policy: hold it to mask it;
         * the policy list, a policy's entities: to cut them to the
         * caller's own */
        ctx->masking = 1;

        ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "sf_backup header filter: answer held to be %s",
                       ngx_http_sf_backup_masks(ctx) ? "masked" : "cut");
        goto hold;
    }

    ctx = ngx_http_sf_backup_get_ctx(r);

    /* a FabricError already: the gate's own answer, or one we made */
    if (ctx != NULL && ctx->rewritten) {
        return ngx_http_next_header_filter(r);
    }

    slcf = ngx_http_get_module_loc_conf(r, ngx_http_sf_backup_gate_module);

    /* after error_page, the location that saw the request still decides */
    if (!slcf->fabric_errors_on
        && (ctx == NULL || ctx->conf == NULL || !ctx->conf->fabric_errors_on))
    {
        return ngx_http_next_header_filter(r);
    }

    if (ctx == NULL) {
        ctx = ngx_http_sf_backup_create_ctx(r);
        if (ctx == NULL) {
            return NGX_ERROR;
        }

        ctx->conf = slcf;
    }

    if (r->header_only) {
        return ngx_http_sf_backup_rewrite(r, ctx, 0, 0);
    }

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup header filter: error s:%ui held",
                   r->headers_out.status);

hold:

    /* hold the header back until the body says what it is */
    cln = ngx_http_cleanup_add(r, 0);
    if (cln == NULL) {
        return NGX_ERROR;
    }

    cln->handler = ngx_http_sf_backup_terminated;
    cln->data = r;

    ctx->buffering = 1;
    r->filter_need_in_memory = 1;

    return NGX_OK;
}


static ngx_int_t
ngx_http_sf_backup_body_filter(ngx_http_request_t *r, ngx_chain_t *in)
{
    ngx_int_t                  rc;
    ngx_uint_t                 last, flush;
    ngx_http_sf_backup_ctx_t  *ctx;

    if (in == NULL || r != r->main) {
        return ngx_http_next_body_filter(r, in);
    }

    ctx = ngx_http_sf_backup_get_ctx(r);

    if (ctx == NULL || !ctx->buffering) {
        return ngx_http_next_body_filter(r, in);
    }

    last = 0;
    flush = 0;

    rc = ngx_http_sf_backup_collect(r, ctx, in, &last, &flush);
    if (rc != NGX_OK) {
        ctx->buffering = 0;
        return rc;
    }

    if (!last) {
        /*
         * The upstream module flushes, having closed the upstream, when the
         * cluster's error body broke off: no last buffer will ever come, and
         * the client would get nothing at all.
         */
        if (flush && r->upstream != NULL
            && r->upstream->peer.connection == NULL)
        {
            ctx->buffering = 0;
            return ngx_http_sf_backup_rewrite(r, ctx, 1, 1);
        }

        return NGX_OK;
    }

    ctx->buffering = 0;

    if (ctx->masking) {
        return ngx_http_sf_backup_mask(r, ctx);
    }

    if (!ctx->upstream_overflow
        && sfb_fabric_error_recognise(ctx->upstream_body.data,
                                      ctx->upstream_body.len))
    {
        ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "sf_backup body filter: a FabricError already, s:%ui",
                       r->headers_out.status);
        return ngx_http_sf_backup_release(r, ctx);
    }

    return ngx_http_sf_backup_rewrite(r, ctx, 1, 0);
}


/*
 * The request ends while its error answer is still held back.  A held
 * answer goes out with its last buffer, so this happens only when the
 * upstream module gives up with NGX_ERROR, not a word to the client, as it
 * does when the cluster's error body is malformed (e.g. invalid chunks);
 * the request is then terminated, and the client still gets its answer if
 * the connection can carry it.
 */
static void
ngx_http_sf_backup_terminated(void *data)
{
    ngx_http_request_t        *r = data;
    ngx_http_sf_backup_ctx_t  *ctx;

    ctx = ngx_http_sf_backup_get_ctx(r);

    if (ctx == NULL || !ctx->buffering || r->header_sent
        || r->connection->error)
    {
        return;
    }

    ctx->buffering = 0;
    r->keepalive = 0;

    ngx_log_debug0(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup answer still held as the request ends");

    (void) ngx_http_sf_backup_rewrite(r, ctx, 1, 1);
}


/*
 * Copies the error body into one bounded buffer and marks the input as
 * sent, so that the upstream's buffers are reused at once.  What does not
 * fit only sets the overflow flag: such a body is not judged a FabricError.
 */
static ngx_int_t
ngx_http_sf_backup_collect(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, ngx_chain_t *in, ngx_uint_t *last,
    ngx_uint_t *flush)
{
    off_t         size;
    size_t        room, n;
    ssize_t       got;
    ngx_buf_t    *b;
    ngx_chain_t  *cl;

    if (ctx->upstream_body.data == NULL) {
        ctx->upstream_body_cap = ctx->masking
                                 ? ngx_http_sf_backup_mask_room(r)
                                 : ctx->conf->fabric_error_buffer;

        ctx->upstream_body.data = ngx_pnalloc(r->pool,
                                              ctx->upstream_body_cap);
        if (ctx->upstream_body.data == NULL) {
            return NGX_ERROR;
        }
    }

    for (cl = in; cl; cl = cl->next) {
        b = cl->buf;

        size = ngx_buf_in_memory(b) ? b->last - b->pos
               : b->in_file ? b->file_last - b->file_pos : 0;

        if (ctx->masking
            && ngx_http_sf_backup_grow(r, ctx, (size_t) size) != NGX_OK)
        {
            return NGX_ERROR;
        }

        room = ctx->upstream_body_cap - ctx->upstream_body.len;

        if (ngx_buf_in_memory(b)) {
            n = ngx_min((size_t) size, room);

            ngx_memcpy(ctx->upstream_body.data + ctx->upstream_body.len,
                       b->pos, n);
            b->pos = b->last;

        } else if (b->in_file) {
            n = ngx_min((size_t) size, room);

            if (n) {
                got = ngx_read_file(b->file,
                                    ctx->upstream_body.data
                                    + ctx->upstream_body.len,
                                    n, b->file_pos);
                if (got != (ssize_t) n) {
                    ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                                  "sf_backup: could not read the error body "
                                  "from \"%V\"", &b->file->name);
                    return NGX_ERROR;
                }
            }

            b->file_pos = b->file_last;

        } else {
            n = 0;
        }

        ctx->upstream_body.len += n;

        if ((off_t) n < size && !ctx->upstream_overflow) {
            ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                           "sf_backup body filter: answer over %uz bytes",
                           ctx->upstream_body_cap);
            ctx->upstream_overflow = 1;
        }

        if (b->last_buf || b->last_in_chain) {
            *last = 1;
        }

        if (b->flush) {
            *flush = 1;
        }
    }

    return NGX_OK;
}


/*
 * A policy read is held whole to be masked, up to MASK_MAX: its own length
 * when the cluster says it, else a start that grows as the answer comes.
 */
static size_t
ngx_http_sf_backup_mask_room(ngx_http_request_t *r)
{
    off_t  len;

    len = r->headers_out.content_length_n;

    if (len > 0 && len <= NGX_HTTP_SF_BACKUP_MASK_MAX) {
        return (size_t) len;
    }

    return NGX_HTTP_SF_BACKUP_MASK_START;
}


/* room for more bytes of a held policy read: doubled, up to MASK_MAX */
static ngx_int_t
ngx_http_sf_backup_grow(ngx_http_request_t *r, ngx_http_sf_backup_ctx_t *ctx,
    size_t more)
{
    size_t   cap, want;
    u_char  *p;

    want = ctx->upstream_body.len + more;
    cap = ctx->upstream_body_cap;

    if (want <= cap || cap >= NGX_HTTP_SF_BACKUP_MASK_MAX) {
        return NGX_OK;
    }

    while (cap < want && cap < NGX_HTTP_SF_BACKUP_MASK_MAX) {
        cap *= 2;
    }

    cap = ngx_min(cap, NGX_HTTP_SF_BACKUP_MASK_MAX);

    p = ngx_pnalloc(r->pool, cap);
    if (p == NULL) {
        return NGX_ERROR;
    }

    ngx_memcpy(p, ctx->upstream_body.data, ctx->upstream_body.len);
    ngx_pfree(r->pool, ctx->upstream_body.data);

    ctx->upstream_body.data = p;
    ctx->upstream_body_cap = cap;

    return NGX_OK;
}


/*
 * Whether the answer is a policy read's for a caller who may not see the
 * storage secrets in it (without the policy operation).
 */
static ngx_uint_t
ngx_http_sf_backup_masks(ngx_http_sf_backup_ctx_t *ctx)
{
    return ctx->governed && ctx->d.target.route != NULL
           && ctx->d.target.route->masks
           && (ctx->decision == NGX_HTTP_SF_BACKUP_DECISION_ALLOW
               || ctx->decision == NGX_HTTP_SF_BACKUP_DECISION_REPORT)
           && !(ctx->d.granted & SFB_OP_BIT(SFB_OP_POLICY));
}


/*
 * The policy read, whole in hand, goes out with its secrets masked; one
 * that cannot be masked (too long, not JSON) does not go out at all.
 */
static ngx_int_t
ngx_http_sf_backup_mask(ngx_http_request_t *r, ngx_http_sf_backup_ctx_t *ctx)
{
    char    *masked, *filtered;
    u_char  *in;
    size_t   len;

    len = 0;
    masked = NULL;

    if (!ctx->upstream_overflow) {
        in = ctx->upstream_body.data;
        len = ctx->upstream_body.len;
        filtered = NULL;

        if (ngx_http_sf_backup_data_filters(ctx)) {
            filtered = ngx_http_sf_backup_data_filter(r, ctx, in, len, &len);
            in = (u_char *) filtered;

            ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                           "sf_backup listing cut: %uz of %uz bytes",
                           filtered ? len : 0, ctx->upstream_body.len);
        }

        if (in != NULL && ngx_http_sf_backup_masks(ctx)) {
            masked = sfb_mask_secrets(in, len, &len);
            free(filtered);

            ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                           "sf_backup policy read masked: %uz bytes",
                           masked ? len : 0);

        } else {
            masked = filtered;
        }
    }

    if (masked == NULL) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "sf_backup: a policy read could not be masked (%s), "
                      "it was not sent",
                      ctx->upstream_overflow ? "longer than the gateway "
                                               "holds" : "not JSON");
        /* the cluster's "200 OK" line must not go out with it */
        r->headers_out.status = NGX_HTTP_BAD_GATEWAY;
        r->headers_out.status_line.len = 0;
        ctx->unmasked = 1;
        return ngx_http_sf_backup_rewrite(r, ctx, 1, 1);
    }

    ctx->upstream_body.data = ngx_pnalloc(r->pool, len);
    if (ctx->upstream_body.data == NULL) {
        free(masked);
        return NGX_ERROR;
    }

    ngx_memcpy(ctx->upstream_body.data, masked, len);
    ctx->upstream_body.len = len;
    free(masked);

    return ngx_http_sf_backup_release(r, ctx);
}


/* The body was a FabricError already: send it as it came. */
static ngx_int_t
ngx_http_sf_backup_release(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx)
{
    ngx_int_t     rc;
    ngx_buf_t    *b;
    ngx_chain_t   out;

    ctx->rewritten = 1;

    /* the body is whole in hand: a length instead of chunks */
    r->headers_out.content_length_n = ctx->upstream_body.len;

    if (r->headers_out.content_length) {
        r->headers_out.content_length->hash = 0;
        r->headers_out.content_length = NULL;
    }

    if (ngx_http_sf_backup_add_request_id(r) != NGX_OK) {
        return NGX_ERROR;
    }

    rc = ngx_http_next_header_filter(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_ERROR;
    }

    b->pos = ctx->upstream_body.data;
    b->last = b->pos + ctx->upstream_body.len;
    b->memory = 1;
    b->last_buf = 1;

    out.buf = b;
    out.next = NULL;

    return ngx_http_next_body_filter(r, &out);
}


/*
 * Replaces the answer's body (or, for a header-only answer, announces the
 * body it would have had) with a FabricError for its status.
 */
static ngx_int_t
ngx_http_sf_backup_rewrite(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, ngx_uint_t send_body, ngx_uint_t cut_short)
{
    ngx_int_t     rc;
    ngx_str_t     message;
    ngx_buf_t    *b;
    ngx_uint_t    status;
    ngx_chain_t   out;
    const char   *code;

    status = r->headers_out.status;

    if (ngx_http_sf_backup_message(r, ctx, cut_short, &status, &message)
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    code = sfb_fabric_code_for_status((int) status);

    if (ngx_http_sf_backup_error_body(r, code, &message, 0, &b) != NGX_OK) {
        return NGX_ERROR;
    }

    ctx->rewritten = 1;
    ngx_http_sf_backup_metrics_rewrite(code);

    ngx_log_debug4(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup fabric error s:%ui (was %ui) code:%s%s",
                   status, r->headers_out.status, code,
                   cut_short ? ", cut short" : "");

    if (status != r->headers_out.status) {
        r->headers_out.status = status;
        r->headers_out.status_line.len = 0;
    }

    if (ngx_http_sf_backup_set_json_headers(r, b->last - b->pos) != NGX_OK) {
        return NGX_ERROR;
    }

    rc = ngx_http_next_header_filter(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only || !send_body) {
        return rc;
    }

    out.buf = b;
    out.next = NULL;

    return ngx_http_next_body_filter(r, &out);
}


/*
 * The Message, and the status to answer with: the cluster's own status when
 * it answered; 502 when its error body broke off; 503 when nginx found no
 * live server, which it reports as 502.
 */
static ngx_int_t
ngx_http_sf_backup_message(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, ngx_uint_t cut_short, ngx_uint_t *status,
    ngx_str_t *message)
{
    size_t                        len;
    ngx_str_t                     id;
    ngx_http_sf_backup_failure_e  failure;

    if (ngx_http_sf_backup_request_id(r, &id) != NGX_OK) {
        return NGX_ERROR;
    }

    if (ctx->unmasked) {
        failure = ctx->upstream_overflow ? NGX_HTTP_SF_BACKUP_TOO_LONG
                                         : NGX_HTTP_SF_BACKUP_NOT_JSON;
        *status = NGX_HTTP_BAD_GATEWAY;

    } else if (cut_short) {
        failure = NGX_HTTP_SF_BACKUP_BY_GATEWAY;
        *status = NGX_HTTP_BAD_GATEWAY;

    } else if (r->upstream != NULL
               && r->upstream->headers_in.status_n == *status)
    {
        /* the cluster's answer, or nginx's page for it (intercept_errors) */
        failure = NGX_HTTP_SF_BACKUP_BY_CLUSTER;

    } else if (*status == NGX_HTTP_BAD_GATEWAY
               && ngx_http_sf_backup_no_live_upstream(r))
    {
        failure = NGX_HTTP_SF_BACKUP_NO_LIVE;
        *status = NGX_HTTP_SERVICE_UNAVAILABLE;

    } else {
        failure = NGX_HTTP_SF_BACKUP_BY_GATEWAY;

        /* nginx answers 400 for a client certificate: say which problem */
        switch (ngx_http_sf_backup_refusal_reason(r, *status)) {

        case SFB_REASON_CLIENT_CERT_MISSING:
            failure = NGX_HTTP_SF_BACKUP_NO_CERT;
            break;

        case SFB_REASON_CLIENT_CERT_REJECTED:
            failure = NGX_HTTP_SF_BACKUP_BAD_CERT;
            break;

        default:
            break;
        }
    }

    len = ngx_http_sf_backup_message_text(failure, *status, &id, NULL, 0);

    message->data = ngx_pnalloc(r->pool, len);
    if (message->data == NULL) {
        return NGX_ERROR;
    }

    message->len = ngx_http_sf_backup_message_text(failure, *status, &id,
                                                   message->data, len);

    return NGX_OK;
}


/* The core's wording; like snprintf(), writes only when size suffices. */
static size_t
ngx_http_sf_backup_message_text(ngx_http_sf_backup_failure_e failure,
    ngx_uint_t status, ngx_str_t *id, u_char *out, size_t size)
{
    switch (failure) {

    case NGX_HTTP_SF_BACKUP_BY_CLUSTER:
        return sfb_fabric_upstream_message((int) status, id->data, id->len,
                                           out, size);

    case NGX_HTTP_SF_BACKUP_NO_LIVE:
        return sfb_fabric_no_live_message(id->data, id->len, out, size);

    case NGX_HTTP_SF_BACKUP_NO_CERT:
    case NGX_HTTP_SF_BACKUP_BAD_CERT:
        return sfb_fabric_cert_message(failure == NGX_HTTP_SF_BACKUP_NO_CERT,
                                       id->data, id->len, out, size);

    case NGX_HTTP_SF_BACKUP_TOO_LONG:
    case NGX_HTTP_SF_BACKUP_NOT_JSON:
        return sfb_fabric_unmasked_message(
                   failure == NGX_HTTP_SF_BACKUP_TOO_LONG,
                   id->data, id->len, out, size);

    default: /* NGX_HTTP_SF_BACKUP_BY_GATEWAY */
        return sfb_fabric_gateway_message((int) status, id->data, id->len,
                                          out, size);
    }
}


/*
 * nginx answers "no live upstreams" with 502 like a refused connection; the
 * difference is the peer it records: the balancer, finding no server up,
 * names the upstream block instead of a server.
 */
static ngx_uint_t
ngx_http_sf_backup_no_live_upstream(ngx_http_request_t *r)
{
    ngx_str_t            *peer, *group;
    ngx_http_upstream_t  *u;

    u = r->upstream;

    if (u == NULL || u->upstream == NULL || u->state == NULL
        || u->state->peer == NULL)
    {
        return 0;
    }

    peer = u->state->peer;
    group = &u->upstream->host;

    return peer->len == group->len
           && ngx_strncmp(peer->data, group->data, peer->len) == 0;
}
