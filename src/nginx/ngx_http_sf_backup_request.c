/*
 * sf-backup-gate: a request's state across internal redirects.
 *
 * The gate decides once per client request, and every later phase, filter
 * and log handler finds that decision again, whatever internal redirects
 * come in between: error_page (to a URI, "=code", a named location),
 * try_files, X-Accel-Redirect.  nginx clears r->ctx at each of them; the
 * pool cleanup entry that marks our context survives, and get_ctx() finds
 * it there.
 *
 * Two handlers note what a call asked for before anything may refuse it:
 * post-read notes the governed target of the client's own URI (an error
 * page's URI is never taken for it), and rewrite notes the location that
 * handles it, so that a call refused there by deny, auth_request,
 * limit_req or "return" is recorded with that location's gate and audit
 * log.  At the log phase settle() says, once, what the client got and why:
 * the audit record and the metrics read the same answer.
 */

#include "ngx_http_sf_backup_common.h"


static ngx_int_t ngx_http_sf_backup_post_read_handler(ngx_http_request_t *r);
static ngx_int_t ngx_http_sf_backup_rewrite_handler(ngx_http_request_t *r);
static ngx_int_t ngx_http_sf_backup_match(ngx_http_request_t *r,
    ngx_str_t *uri, sfb_path_kind_e *kind, sfb_target_t *target);
static ngx_int_t ngx_http_sf_backup_client_uri(ngx_http_request_t *r,
    ngx_str_t *uri);
static void ngx_http_sf_backup_client_method(ngx_http_request_t *r,
    sfb_str_t *method);
static ngx_uint_t ngx_http_sf_backup_governs(
    ngx_http_sf_backup_loc_conf_t *slcf, sfb_path_kind_e kind);
static ngx_http_sf_backup_ctx_t *ngx_http_sf_backup_settle_unnoted(
    ngx_http_request_t *r, ngx_http_sf_backup_ctx_t *ctx);
static void ngx_http_sf_backup_cleanup(void *data);


static ngx_int_t  ngx_http_sf_backup_upstream_addr_index = NGX_ERROR;
static ngx_int_t  ngx_http_sf_backup_upstream_status_index = NGX_ERROR;


ngx_int_t
ngx_http_sf_backup_request_init(ngx_conf_t *cf)
{
    ngx_str_t                   name;
    ngx_http_handler_pt        *h;
    ngx_http_core_main_conf_t  *cmcf;

    cmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module);

    h = ngx_array_push(&cmcf->phases[NGX_HTTP_POST_READ_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    *h = ngx_http_sf_backup_post_read_handler;

    /* registered after the rewrite module: it runs before "return" */
    h = ngx_array_push(&cmcf->phases[NGX_HTTP_REWRITE_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    *h = ngx_http_sf_backup_rewrite_handler;

    /* the record lists every upstream reached exactly as these two do */
    ngx_str_set(&name, "upstream_addr");
    ngx_http_sf_backup_upstream_addr_index =
                                        ngx_http_get_variable_index(cf, &name);

    ngx_str_set(&name, "upstream_status");
    ngx_http_sf_backup_upstream_status_index =
                                        ngx_http_get_variable_index(cf, &name);

    if (ngx_http_sf_backup_upstream_addr_index == NGX_ERROR
        || ngx_http_sf_backup_upstream_status_index == NGX_ERROR)
    {
        return NGX_ERROR;
    }

    return NGX_OK;
}


/* From merge_loc_conf: which location takes calls refused before one is. */
void
ngx_http_sf_backup_note_gate_location(ngx_conf_t *cf,
    ngx_http_sf_backup_loc_conf_t *slcf)
{
    ngx_http_sf_backup_srv_conf_t  *sscf;

    if (slcf->gate == NGX_HTTP_SF_BACKUP_OFF) {
        return;
    }

    sscf = ngx_http_conf_get_module_srv_conf(cf,
                                             ngx_http_sf_backup_gate_module);

    /* the server level is merged first, then its locations in order */
    if (sscf->gate_conf == NULL
        || (sscf->gate_conf->audit == NULL && slcf->audit != NULL))
    {
        sscf->gate_conf = slcf;
    }
}


/* The client's request target, before rewrite, try_files or error_page. */
static ngx_int_t
ngx_http_sf_backup_post_read_handler(ngx_http_request_t *r)
{
    sfb_target_t                    target;
    sfb_path_kind_e                 kind;
    ngx_http_sf_backup_ctx_t       *ctx;
    ngx_http_sf_backup_srv_conf_t  *sscf;

    sscf = ngx_http_get_module_srv_conf(r, ngx_http_sf_backup_gate_module);

    if (sscf->gate_conf == NULL || r != r->main
        || ngx_http_get_module_ctx(r, ngx_http_sf_backup_gate_module))
    {
        return NGX_DECLINED;
    }

    if (ngx_http_sf_backup_match(r, &r->uri, &kind, &target) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (kind == SFB_PATH_OTHER) {
        return NGX_DECLINED;
    }

    ngx_log_debug4(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup route %s %s \"%*s\"",
                   target.route ? target.route->name : "none",
                   sfb_entity_name(target.entity),
                   target.id ? target.id_len : 0,
                   target.id ? target.id : (u_char *) "");

    ctx = ngx_http_sf_backup_create_ctx(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->d.kind = kind;
    ctx->d.target = target;
    ctx->d.method.data = r->method_name.data;
    ctx->d.method.len = r->method_name.len;
    ctx->noted_uri = r->uri;
    ctx->conf = sscf->gate_conf;
    ctx->noted = 1;

    return NGX_DECLINED;
}


/* The location that handles the call, until the gate or an error page. */
static ngx_int_t
ngx_http_sf_backup_rewrite_handler(ngx_http_request_t *r)
{
    ngx_http_sf_backup_ctx_t  *ctx;

    if (r != r->main) {
        return NGX_DECLINED;
    }

    ctx = ngx_http_sf_backup_get_ctx(r);

    if (ctx == NULL || !ctx->noted || ctx->started
        || ngx_http_sf_backup_error_redirect(r))
    {
        return NGX_DECLINED;
    }

    ctx->conf = ngx_http_get_module_loc_conf(r,
                                             ngx_http_sf_backup_gate_module);
    ctx->located = 1;

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup rewrite handler, gate:%ui", ctx->conf->gate);

    return NGX_DECLINED;
}


ngx_http_sf_backup_ctx_t *
ngx_http_sf_backup_create_ctx(ngx_http_request_t *r)
{
    ngx_pool_cleanup_t        *cln;
    ngx_http_sf_backup_ctx_t  *ctx;

    ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_sf_backup_ctx_t));
    if (ctx == NULL) {
        return NULL;
    }

    /* the mark that outlives r->ctx, which every internal redirect clears */
    cln = ngx_pool_cleanup_add(r->pool, 0);
    if (cln == NULL) {
        return NULL;
    }

    cln->handler = ngx_http_sf_backup_cleanup;
    cln->data = ctx;

    sfb_decision_init(&ctx->d);

    ctx->start_sec = r->start_sec;
    ctx->start_msec = r->start_msec;
    ctx->uri.data = r->unparsed_uri.data;
    ctx->uri.len = r->unparsed_uri.len;

    ngx_http_set_ctx(r, ctx, ngx_http_sf_backup_gate_module);

    return ctx;
}


ngx_http_sf_backup_ctx_t *
ngx_http_sf_backup_get_ctx(ngx_http_request_t *r)
{
    ngx_pool_cleanup_t        *cln;
    ngx_http_sf_backup_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r->main, ngx_http_sf_backup_gate_module);
    if (ctx != NULL) {
        return ctx;
    }

    for (cln = r->main->pool->cleanup; cln; cln = cln->next) {
        if (cln->handler == ngx_http_sf_backup_cleanup) {
            ctx = cln->data;
            ngx_http_set_ctx(r->main, ctx, ngx_http_sf_backup_gate_module);
            return ctx;
        }
    }

    return NULL;
}


static void
ngx_http_sf_backup_cleanup(void *data)
{
    /* nothing to free: the entry only marks the ctx for get_ctx() */
}


/*
 * An error page's internal redirect (error_page to a URI or a named
 * location): the request was already answered with an error, and the
 * error page is not a call of its own.
 */
ngx_uint_t
ngx_http_sf_backup_error_redirect(ngx_http_request_t *r)
{
    return r->error_page || r->err_status != 0;
}


/*
 * Why nginx answered status before the gate decided: the same reason for
 * the same failure wherever it happened (the gate reading the body, or an
 * earlier phase) and however the bytes arrived.
 */
sfb_reason_e
ngx_http_sf_backup_refusal_reason(ngx_http_request_t *r, ngx_uint_t status)
{
#if (NGX_HTTP_SSL)
    long                     rc;
    X509                    *cert;
    ngx_http_ssl_srv_conf_t  *sslcf;

    /* nginx answers 400 for 495 and 496: tell them apart */
    if (status == NGX_HTTP_BAD_REQUEST && r->connection->ssl) {
        sslcf = ngx_http_get_module_srv_conf(r, ngx_http_ssl_module);

        if (sslcf->verify) {
            rc = SSL_get_verify_result(r->connection->ssl->connection);

            if (rc != X509_V_OK
                && (sslcf->verify != 3 || !ngx_ssl_verify_error_optional(rc)))
            {
                return SFB_REASON_CLIENT_CERT_REJECTED;
            }

            if (sslcf->verify == 1) {
                cert = SSL_get_peer_certificate(r->connection->ssl->connection);
                if (cert == NULL) {
                    return SFB_REASON_CLIENT_CERT_MISSING;
                }

                X509_free(cert);
            }
        }
    }
#endif

    switch (status) {

    case NGX_HTTP_BAD_REQUEST:
        return SFB_REASON_REQUEST_MALFORMED;

    case NGX_HTTP_REQUEST_TIME_OUT:
        return SFB_REASON_CLIENT_TIMEOUT;

    case NGX_HTTP_REQUEST_ENTITY_TOO_LARGE:
        return SFB_REASON_BODY_TOO_LARGE;

    case NGX_HTTP_CLIENT_CLOSED_REQUEST:
        return SFB_REASON_CLIENT_CLOSED;

    default:
        return SFB_REASON_REFUSED_BEFORE_GATE;
    }
}


/*
 * Once per request, at the log phase: the governed request's context with
 * final_status (what the client got, after every filter) and d.reason set,
 * or NULL when the request is not governed.
 */
ngx_http_sf_backup_ctx_t *
ngx_http_sf_backup_settle(ngx_http_request_t *r)
{
    ngx_uint_t                 status;
    ngx_http_sf_backup_ctx_t  *ctx;

    if (r != r->main) {
        return NULL;
    }

    ctx = ngx_http_sf_backup_get_ctx(r);

    if (ctx != NULL && ctx->settled) {
        return ctx->governed ? ctx : NULL;
    }

    if (ctx == NULL || (!ctx->noted && !ctx->started)) {
        ctx = ngx_http_sf_backup_settle_unnoted(r, ctx);
        if (ctx == NULL) {
            return NULL;
        }

    } else if (!ctx->started) {
        /* noted, and refused before the gate in the location it reached */
        ctx->governed = ngx_http_sf_backup_governs(ctx->conf, ctx->d.kind);
    }

    ctx->settled = 1;

    if (!ctx->governed) {
        return NULL;
    }

    if (r->header_sent) {
        status = r->headers_out.status;

    } else {
        status = r->err_status ? (ngx_uint_t) r->err_status
                               : r->headers_out.status;
    }

    if (status == 0 || (r->connection->error && !r->header_sent)) {
        status = NGX_HTTP_CLIENT_CLOSED_REQUEST;
    }

    ctx->final_status = status;

    if (!ctx->decided) {
        ctx->decided = 1;
        ctx->decision = NGX_HTTP_SF_BACKUP_DECISION_DENY;
    }

    if (ctx->d.reason == SFB_REASON_NONE) {
        ctx->d.reason = ngx_http_sf_backup_refusal_reason(r, status);
    }

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup settled s:%ui reason:%s", status,
                   sfb_reason_name(ctx->d.reason));

    return ctx;
}


/*
 * Nothing was noted: nginx refused the request before the phases (a client
 * certificate, a malformed header), or it is not governed.  The location
 * it reached says, unless an error page moved it or none was chosen.
 */
static ngx_http_sf_backup_ctx_t *
ngx_http_sf_backup_settle_unnoted(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx)
{
    ngx_str_t                       uri;
    sfb_target_t                    target;
    sfb_path_kind_e                 kind;
    ngx_http_sf_backup_loc_conf_t  *slcf;
    ngx_http_sf_backup_srv_conf_t  *sscf;

    sscf = ngx_http_get_module_srv_conf(r, ngx_http_sf_backup_gate_module);

    if (r->phase_handler == 0 || r->internal) {
        slcf = sscf->gate_conf;

    } else {
        slcf = ngx_http_get_module_loc_conf(r,
                                            ngx_http_sf_backup_gate_module);
    }

    if (slcf == NULL || slcf->gate == NGX_HTTP_SF_BACKUP_OFF) {
        goto not_governed;
    }

    if (ngx_http_sf_backup_client_uri(r, &uri) != NGX_OK
        || ngx_http_sf_backup_match(r, &uri, &kind, &target) != NGX_OK)
    {
        ngx_log_error(NGX_LOG_ALERT, r->connection->log, 0,
                      "sf_backup: audit record lost: no memory");
        goto not_governed;
    }

    if (!ngx_http_sf_backup_governs(slcf, kind)) {
        goto not_governed;
    }

    if (ctx == NULL) {
        ctx = ngx_http_sf_backup_create_ctx(r);
        if (ctx == NULL) {
            ngx_log_error(NGX_LOG_ALERT, r->connection->log, 0,
                          "sf_backup: audit record lost: no memory");
            return NULL;
        }
    }

    sfb_decision_init(&ctx->d);

    ctx->d.kind = kind;
    ctx->d.target = target;
    ngx_http_sf_backup_client_method(r, &ctx->d.method);
    ctx->conf = slcf;
    ctx->governed = 1;

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup refused before the phases, %s",
                   target.route ? target.route->name : "no route");

    return ctx;

not_governed:

    if (ctx != NULL) {
        ctx->settled = 1;
    }

    return NULL;
}


/* Where every upstream attempt went and what it answered, as nginx says. */
void
ngx_http_sf_backup_upstreams(ngx_http_request_t *r, ngx_str_t *addr,
    ngx_str_t *status)
{
    ngx_http_variable_value_t  *v;

    ngx_str_null(addr);
    ngx_str_null(status);

    if (r->upstream_states == NULL || r->upstream_states->nelts == 0) {
        return;
    }

    v = ngx_http_get_flushed_variable(r,
                                 ngx_http_sf_backup_upstream_addr_index);
    if (v != NULL && !v->not_found) {
        addr->data = v->data;
        addr->len = v->len;
    }

    v = ngx_http_get_flushed_variable(r,
                                 ngx_http_sf_backup_upstream_status_index);
    if (v != NULL && !v->not_found) {
        status->data = v->data;
        status->len = v->len;
    }
}


/* What the audit, the log lines and $sf_backup_entity call the target. */
const char *
ngx_http_sf_backup_entity(ngx_http_sf_backup_ctx_t *ctx)
{
    return ctx->d.kind == SFB_PATH_BACKUP_RESTORE
           ? "backup_restore" : sfb_entity_name(ctx->d.target.entity);
}


/* The call's operation, or the one refused; SFB_OP_NONE: no call named. */
sfb_operation_e
ngx_http_sf_backup_operation(ngx_http_sf_backup_ctx_t *ctx)
{
    if (ctx->d.operation != SFB_OP_NONE) {
        return ctx->d.operation;
    }

    return ctx->d.target.route ? ctx->d.target.route->operation
                               : SFB_OP_NONE;
}


static ngx_int_t
ngx_http_sf_backup_match(ngx_http_request_t *r, ngx_str_t *uri,
    sfb_path_kind_e *kind, sfb_target_t *target)
{
    u_char  *buf;

    buf = ngx_pnalloc(r->pool, uri->len + 1);
    if (buf == NULL) {
        return NGX_ERROR;
    }

    ngx_memzero(target, sizeof(sfb_target_t));

    *kind = sfb_match_path(uri->data, uri->len, target, buf, uri->len + 1);

    return NGX_OK;
}


/*
 * The path the client asked for.  After an internal redirect r->uri is the
 * error page's: then the client's own bytes, decoded the way nginx decodes
 * them (the gate's path rules do the rest).
 */
static ngx_int_t
ngx_http_sf_backup_client_uri(ngx_http_request_t *r, ngx_str_t *uri)
{
    u_char  *src, *dst, *end;

    if (!r->internal) {
        *uri = r->uri;
        return NGX_OK;
    }

    src = r->unparsed_uri.data;
    end = ngx_strlchr(src, src + r->unparsed_uri.len, '?');
    if (end == NULL) {
        end = src + r->unparsed_uri.len;
    }

    dst = ngx_pnalloc(r->pool, end - src + 1);
    if (dst == NULL) {
        return NGX_ERROR;
    }

    uri->data = dst;
    ngx_unescape_uri(&dst, &src, end - src, NGX_UNESCAPE_URI);
    uri->len = dst - uri->data;

    return NGX_OK;
}


/* The client's method: an error page's redirect turns a POST into GET. */
static void
ngx_http_sf_backup_client_method(ngx_http_request_t *r, sfb_str_t *method)
{
    u_char  *p, *last;

    method->data = r->method_name.data;
    method->len = r->method_name.len;

    if (!r->internal || r->request_line.len == 0) {
        return;
    }

    last = r->request_line.data + r->request_line.len;
    p = ngx_strlchr(r->request_line.data, last, ' ');

    if (p != NULL) {
        method->data = r->request_line.data;
        method->len = p - r->request_line.data;
    }
}


static ngx_uint_t
ngx_http_sf_backup_governs(ngx_http_sf_backup_loc_conf_t *slcf,
    sfb_path_kind_e kind)
{
    if (slcf == NULL || slcf->gate == NGX_HTTP_SF_BACKUP_OFF) {
        return 0;
    }

    return kind == SFB_PATH_GOVERNED
           || (kind == SFB_PATH_BACKUP_RESTORE && !slcf->backup_restore);
}


/*
 * The whole body as one byte range: in place when nginx kept it in one
 * memory buffer, otherwise gathered from its buffers and temporary file.
 * NGX_DECLINED when it is longer than max.
 */
ngx_int_t
ngx_http_sf_backup_body_bytes(ngx_http_request_t *r, size_t max,
    ngx_str_t *body)
{
    u_char       *p;
    off_t         len;
    ssize_t       n;
    ngx_buf_t    *b;
    ngx_chain_t  *cl;

    body->data = (u_char *) "";
    body->len = 0;

    if (r->request_body == NULL || r->request_body->bufs == NULL) {
        return NGX_OK;
    }

    len = 0;

    for (cl = r->request_body->bufs; cl; cl = cl->next) {
        b = cl->buf;
        len += b->in_file ? b->file_last - b->file_pos : b->last - b->pos;
    }

    if (len > (off_t) max) {
        return NGX_DECLINED;
    }

    cl = r->request_body->bufs;

    if (cl->next == NULL && !cl->buf->in_file) {
        body->data = cl->buf->pos;
        body->len = cl->buf->last - cl->buf->pos;
        return NGX_OK;
    }

    p = ngx_pnalloc(r->pool, (size_t) len + 1);
    if (p == NULL) {
        return NGX_ERROR;
    }

    body->data = p;

    for ( /* void */ ; cl; cl = cl->next) {
        b = cl->buf;

        if (!b->in_file) {
            /* a chunked body ends with an empty buffer whose pos is NULL */
            if (b->last != b->pos) {
                p = ngx_cpymem(p, b->pos, b->last - b->pos);
            }

            continue;
        }

        n = ngx_read_file(b->file, p, (size_t) (b->file_last - b->file_pos),
                          b->file_pos);
        if (n != b->file_last - b->file_pos) {
            ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                          "sf_backup: could not read the request body "
                          "from \"%V\"", &b->file->name);
            return NGX_ERROR;
        }

        p += n;
    }

    body->len = p - body->data;

    return NGX_OK;
}
