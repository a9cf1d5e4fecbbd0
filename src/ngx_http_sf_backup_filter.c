/*
 * sf-backup-gate: header and body filters.
 *
 * Every failure a client sees from a location where the module is on is
 * Service Fabric's FabricError JSON, whoever caused it: the gate's own
 * rejections (sent from the access phase with send_error()), nginx's own
 * error pages (upstream unreachable, timed out, body too large) and the
 * cluster's answers whose body is not already a FabricError.
 *
 * An error answer is held back until its body is known: a well-formed
 * FabricError (within a bounded buffer) goes out unchanged, anything else is
 * replaced.  Successful answers are never touched nor buffered.
 */

#include "ngx_http_sf_backup_gate_module.h"


static ngx_int_t ngx_http_sf_backup_header_filter(ngx_http_request_t *r);
static ngx_int_t ngx_http_sf_backup_body_filter(ngx_http_request_t *r,
    ngx_chain_t *in);
static ngx_int_t ngx_http_sf_backup_collect(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, ngx_chain_t *in, ngx_uint_t *last);
static ngx_int_t ngx_http_sf_backup_release(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx);
static ngx_int_t ngx_http_sf_backup_rewrite(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, ngx_uint_t send_body);
static ngx_int_t ngx_http_sf_backup_error_body(ngx_http_request_t *r,
    const char *code, ngx_str_t *message, ngx_uint_t append_id,
    ngx_buf_t **out);
static ngx_int_t ngx_http_sf_backup_set_json_headers(ngx_http_request_t *r,
    size_t len);
static ngx_int_t ngx_http_sf_backup_add_request_id(ngx_http_request_t *r);


static ngx_http_output_header_filter_pt  ngx_http_next_header_filter;
static ngx_http_output_body_filter_pt    ngx_http_next_body_filter;

static ngx_int_t  ngx_http_sf_backup_request_id_index = NGX_ERROR;


ngx_int_t
ngx_http_sf_backup_filter_init(ngx_conf_t *cf)
{
    ngx_str_t  name = ngx_string("request_id");

    ngx_http_sf_backup_request_id_index = ngx_http_get_variable_index(cf,
                                                                      &name);
    if (ngx_http_sf_backup_request_id_index == NGX_ERROR) {
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
    ngx_http_sf_backup_ctx_t       *ctx;
    ngx_http_sf_backup_loc_conf_t  *slcf;

    if (r != r->main || r->headers_out.status < NGX_HTTP_BAD_REQUEST) {
        return ngx_http_next_header_filter(r);
    }

    ctx = ngx_http_sf_backup_get_ctx(r);

    if (ctx != NULL && (ctx->own_response || ctx->rewritten)) {
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
        return ngx_http_sf_backup_rewrite(r, ctx, 0);
    }

    /* hold the header back until the body says what it is */
    ctx->buffering = 1;
    r->filter_need_in_memory = 1;

    return NGX_OK;
}


static ngx_int_t
ngx_http_sf_backup_body_filter(ngx_http_request_t *r, ngx_chain_t *in)
{
    ngx_int_t                  rc;
    ngx_uint_t                 last;
    ngx_http_sf_backup_ctx_t  *ctx;

    if (in == NULL || r != r->main) {
        return ngx_http_next_body_filter(r, in);
    }

    ctx = ngx_http_sf_backup_get_ctx(r);

    if (ctx == NULL || !ctx->buffering) {
        return ngx_http_next_body_filter(r, in);
    }

    last = 0;

    rc = ngx_http_sf_backup_collect(r, ctx, in, &last);
    if (rc != NGX_OK) {
        return rc;
    }

    if (!last) {
        return NGX_OK;
    }

    ctx->buffering = 0;

    if (!ctx->upstream_overflow
        && sfb_fabric_error_recognise(ctx->upstream_body.data,
                                      ctx->upstream_body.len))
    {
        return ngx_http_sf_backup_release(r, ctx);
    }

    return ngx_http_sf_backup_rewrite(r, ctx, 1);
}


/*
 * Copies the error body into one bounded buffer and marks the input as
 * sent, so that the upstream's buffers are reused at once.  What does not
 * fit only sets the overflow flag: such a body is not judged a FabricError.
 */
static ngx_int_t
ngx_http_sf_backup_collect(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, ngx_chain_t *in, ngx_uint_t *last)
{
    off_t        size;
    size_t       room, n;
    ssize_t      got;
    ngx_buf_t   *b;
    ngx_chain_t *cl;

    if (ctx->upstream_body.data == NULL) {
        ctx->upstream_body.data = ngx_pnalloc(r->pool,
                                              ctx->conf->fabric_error_buffer);
        if (ctx->upstream_body.data == NULL) {
            return NGX_ERROR;
        }
    }

    for (cl = in; cl; cl = cl->next) {
        b = cl->buf;
        room = ctx->conf->fabric_error_buffer - ctx->upstream_body.len;

        if (ngx_buf_in_memory(b)) {
            size = b->last - b->pos;
            n = ngx_min((size_t) size, room);

            ngx_memcpy(ctx->upstream_body.data + ctx->upstream_body.len,
                       b->pos, n);
            b->pos = b->last;

        } else if (b->in_file) {
            size = b->file_last - b->file_pos;
            n = ngx_min((size_t) size, room);

            if (n) {
                got = ngx_read_file(b->file,
                                    ctx->upstream_body.data
                                    + ctx->upstream_body.len,
                                    n, b->file_pos);
                if (got != (ssize_t) n) {
                    return NGX_ERROR;
                }
            }

            b->file_pos = b->file_last;

        } else {
            size = 0;
            n = 0;
        }

        ctx->upstream_body.len += n;

        if ((off_t) n < size) {
            ctx->upstream_overflow = 1;
        }

        if (b->last_buf || b->last_in_chain) {
            *last = 1;
        }
    }

    return NGX_OK;
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
    ngx_http_sf_backup_ctx_t *ctx, ngx_uint_t send_body)
{
    size_t        len;
    ngx_int_t     rc;
    ngx_str_t     id, message;
    ngx_buf_t    *b;
    ngx_uint_t    status, from_cluster, append_id;
    ngx_chain_t   out;
    const char   *code;

    status = r->headers_out.status;
    code = sfb_fabric_code_for_status((int) status);

    if (ngx_http_sf_backup_request_id(r, &id) != NGX_OK) {
        return NGX_ERROR;
    }

    from_cluster = r->upstream != NULL
                   && r->upstream->headers_in.status_n == status;

    if (ctx->governed && ctx->d.reason != SFB_REASON_NONE
        && ctx->d.reason != SFB_REASON_ALLOWED && !from_cluster)
    {
        /* e.g. client_max_body_size on a governed call: say why */
        code = sfb_reason_info(ctx->d.reason)->code
               ? sfb_reason_info(ctx->d.reason)->code : code;

        len = sfb_describe(ctx->d.reason, &ctx->d, &ctx->conf->rules, NULL, 0);
        message.data = ngx_pnalloc(r->pool, len + 1);
        if (message.data == NULL) {
            return NGX_ERROR;
        }

        (void) sfb_describe(ctx->d.reason, &ctx->d, &ctx->conf->rules,
                            (char *) message.data, len + 1);
        message.len = len;
        append_id = 1;

    } else {
        len = from_cluster
              ? sfb_fabric_upstream_message((int) status, id.data, id.len,
                                            NULL, 0)
              : sfb_fabric_gateway_message((int) status, id.data, id.len,
                                           NULL, 0);

        message.data = ngx_pnalloc(r->pool, len + 1);
        if (message.data == NULL) {
            return NGX_ERROR;
        }

        message.len = from_cluster
              ? sfb_fabric_upstream_message((int) status, id.data, id.len,
                                            message.data, len + 1)
              : sfb_fabric_gateway_message((int) status, id.data, id.len,
                                           message.data, len + 1);
        /* the core's own messages carry the request id already */
        append_id = 0;
    }

    if (ngx_http_sf_backup_error_body(r, code, &message, append_id, &b)
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    ctx->rewritten = 1;

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
 * The gate's own answers, from the access phase: a complete response.
 * The Message names the request id, which the audit record carries too.
 */
ngx_int_t
ngx_http_sf_backup_send_error(ngx_http_request_t *r, ngx_uint_t status,
    const char *code, ngx_str_t *message)
{
    ngx_int_t     rc;
    ngx_buf_t    *b;
    ngx_chain_t   out;

    if (ngx_http_sf_backup_error_body(r, code, message, 1, &b) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    r->headers_out.status = status;

    if (ngx_http_sf_backup_set_json_headers(r, b->last - b->pos) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}


/* {"Error":{"Code":...,"Message":"<message> (request id ...)"}} */
static ngx_int_t
ngx_http_sf_backup_error_body(ngx_http_request_t *r, const char *code,
    ngx_str_t *message, ngx_uint_t append_id, ngx_buf_t **out)
{
    u_char     *p;
    size_t      len;
    ngx_str_t   id, text;
    ngx_buf_t  *b;

    if (ngx_http_sf_backup_request_id(r, &id) != NGX_OK) {
        return NGX_ERROR;
    }

    text = *message;

    if (append_id) {
        text.len = message->len + sizeof(" (request id )") - 1 + id.len;
        text.data = ngx_pnalloc(r->pool, text.len);
        if (text.data == NULL) {
            return NGX_ERROR;
        }

        p = ngx_sprintf(text.data, "%V (request id %V)", message, &id);
        text.len = p - text.data;
    }

    len = sfb_fabric_error_build(code, text.data, text.len, NULL, 0);
    if (len == 0) {
        return NGX_ERROR;
    }

    b = ngx_create_temp_buf(r->pool, len + 1);
    if (b == NULL) {
        return NGX_ERROR;
    }

    if (sfb_fabric_error_build(code, text.data, text.len, b->pos, len + 1)
        != len)
    {
        return NGX_ERROR;
    }

    b->last = b->pos + len;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    *out = b;

    return NGX_OK;
}


static ngx_int_t
ngx_http_sf_backup_set_json_headers(ngx_http_request_t *r, size_t len)
{
    ngx_str_set(&r->headers_out.content_type,
                "application/json; charset=utf-8");
    r->headers_out.content_type_len = sizeof("application/json") - 1;
    r->headers_out.content_type_lowcase = NULL;
    r->headers_out.content_type_hash = 0;
    ngx_str_null(&r->headers_out.charset);

    r->headers_out.content_length_n = len;

    if (r->headers_out.content_length) {
        r->headers_out.content_length->hash = 0;
        r->headers_out.content_length = NULL;
    }

    if (r->headers_out.content_encoding) {
        r->headers_out.content_encoding->hash = 0;
        r->headers_out.content_encoding = NULL;
    }

    ngx_http_clear_accept_ranges(r);
    ngx_http_clear_last_modified(r);
    ngx_http_clear_etag(r);

    return ngx_http_sf_backup_add_request_id(r);
}


/* X-Request-Id: the $request_id that the Message and the audit carry. */
static ngx_int_t
ngx_http_sf_backup_add_request_id(ngx_http_request_t *r)
{
    ngx_str_t         id;
    ngx_table_elt_t  *h;

    if (ngx_http_sf_backup_request_id(r, &id) != NGX_OK) {
        return NGX_ERROR;
    }

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    h->hash = 1;
    ngx_str_set(&h->key, "X-Request-Id");
    h->value = id;

    return NGX_OK;
}


ngx_int_t
ngx_http_sf_backup_request_id(ngx_http_request_t *r, ngx_str_t *id)
{
    ngx_http_variable_value_t  *v;

    v = ngx_http_get_indexed_variable(r, ngx_http_sf_backup_request_id_index);

    if (v == NULL || v->not_found) {
        return NGX_ERROR;
    }

    id->data = v->data;
    id->len = v->len;

    return NGX_OK;
}
