/*
 * sf-backup-gate: what an allowed call is forwarded as.  Called by the
 * gate (_access.c) once it decided: the canonical path, query and body
 * replace the client's spelling, so that the cluster gets exactly what was
 * validated; and before it decides, the headers no client may send to the
 * cluster are taken out of every request.
 */

#include "ngx_http_sf_backup_common.h"


static ngx_int_t ngx_http_sf_backup_no_body(ngx_http_request_t *r);


/*
 * What was validated is what is forwarded: the canonical path and query
 * replace the client's spelling, and the canonical body replaces its bytes.
 */
ngx_int_t
ngx_http_sf_backup_canonicalise(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx)
{
    size_t        len;
    u_char       *p;
    ngx_buf_t    *b;
    ngx_chain_t  *cl;

    /* the core made them (sfb_decide_run()), in the request's pool */
    if (ctx->d.canonical_path.len == 0) {
        return NGX_ERROR;
    }

    r->uri.data = (u_char *) ctx->d.canonical_path.data;
    r->uri.len = ctx->d.canonical_path.len;
    r->args.data = (u_char *) ctx->d.canonical_query.data;
    r->args.len = ctx->d.canonical_query.len;

    /*
     * proxy_pass builds the request line from r->uri and r->args, escaping
     * the path (quoted_uri), unless the client's own bytes are already
     * exactly the canonical form (the common case): then it sends those,
     * the same bytes, as is.  A path with a byte to escape (a policy's
     * name may have a space or UTF-8) is always escaped by nginx: raw
     * UTF-8 in a request line is read by some servers in another code page.
     */
    if (!r->valid_unparsed_uri
        || ngx_escape_uri(NULL, r->uri.data, r->uri.len, NGX_ESCAPE_URI)
        || r->unparsed_uri.len != r->uri.len + 1 + r->args.len
        || ngx_memcmp(r->unparsed_uri.data, r->uri.data, r->uri.len) != 0
        || r->unparsed_uri.data[r->uri.len] != '?'
        || ngx_memcmp(r->unparsed_uri.data + r->uri.len + 1, r->args.data,
                      r->args.len) != 0)
    {
        r->valid_unparsed_uri = 0;
        r->quoted_uri = 1;
    }

    ngx_log_debug3(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup canonical path:%uz args:%uz, %s", r->uri.len,
                   r->args.len, r->valid_unparsed_uri ? "as sent" : "rebuilt");

    len = ctx->d.canonical_body.len;

    if (len == 0) {
        return ngx_http_sf_backup_no_body(r);
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_ERROR;
    }

    b->pos = (u_char *) ctx->d.canonical_body.data;
    b->start = b->pos;
    b->end = b->pos + len;
    b->memory = 1;

    b->last = b->pos + len;

    cl = r->request_body->bufs;

    if (cl != NULL && cl->next == NULL && !cl->buf->in_file
        && !r->headers_in.chunked
        && r->headers_in.content_length_n == (off_t) len
        && (size_t) (cl->buf->last - cl->buf->pos) == len
        && ngx_memcmp(cl->buf->pos, b->pos, len) == 0)
    {
        /* the client sent the canonical body: forward its buffer as is */
        ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "sf_backup canonical body:%uz, as sent", len);
        return NGX_OK;
    }

    b->last_buf = 1;

    cl = ngx_alloc_chain_link(r->pool);
    if (cl == NULL) {
        return NGX_ERROR;
    }

    cl->buf = b;
    cl->next = NULL;

    r->request_body->bufs = cl;
    r->request_body->buf = b;
    r->headers_in.content_length_n = len;
    r->headers_in.chunked = 0;

    if (r->headers_in.content_length) {
        p = ngx_pnalloc(r->pool, NGX_OFF_T_LEN);
        if (p == NULL) {
            return NGX_ERROR;
        }

        r->headers_in.content_length->value.data = p;
        r->headers_in.content_length->value.len =
                                          ngx_sprintf(p, "%uz", len) - p;
    }

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup canonical body:%uz, replaced", len);

    return NGX_OK;
}


/* A call that takes no body is forwarded with none, however it came. */
static ngx_int_t
ngx_http_sf_backup_no_body(ngx_http_request_t *r)
{
    ngx_log_debug0(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup canonical body: none");

    if (r->request_body != NULL) {
        r->request_body->bufs = NULL;
        r->request_body->buf = NULL;
    }

    if (r->headers_in.content_length_n > 0 || r->headers_in.chunked) {
        r->headers_in.content_length_n = 0;
        r->headers_in.chunked = 0;

        if (r->headers_in.content_length) {
            ngx_str_set(&r->headers_in.content_length->value, "0");
        }
    }

    return NGX_OK;
}


/*
 * X-Role and X-Request-Metadata steer the cluster's own backup routing
 * (the BackupRestore passthrough takes its target from them); a client
 * never gets to send them.  The list is rebuilt without them, since proxy
 * forwards every element it finds there.
 */
ngx_int_t
ngx_http_sf_backup_strip_headers(ngx_http_request_t *r)
{
    ngx_uint_t        i, found;
    ngx_list_t        headers;
    ngx_list_part_t  *part;
    ngx_table_elt_t  *h, *copy;

    found = 0;
    part = &r->headers_in.headers.part;
    h = part->elts;

    for (i = 0; /* void */; i++) {

        if (i >= part->nelts) {
            if (part->next == NULL) {
                break;
            }

            part = part->next;
            h = part->elts;
            i = 0;
        }

        if ((h[i].key.len == sizeof("X-Role") - 1
             && ngx_strncasecmp(h[i].key.data, (u_char *) "X-Role",
                                sizeof("X-Role") - 1) == 0)
            || (h[i].key.len == sizeof("X-Request-Metadata") - 1
                && ngx_strncasecmp(h[i].key.data,
                                   (u_char *) "X-Request-Metadata",
                                   sizeof("X-Request-Metadata") - 1) == 0))
        {
            h[i].hash = 0;
            found = 1;
        }
    }

    if (!found) {
        return NGX_OK;
    }

    ngx_log_debug0(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup routing headers taken out");

    if (ngx_list_init(&headers, r->pool, 20, sizeof(ngx_table_elt_t))
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    part = &r->headers_in.headers.part;
    h = part->elts;

    for (i = 0; /* void */; i++) {

        if (i >= part->nelts) {
            if (part->next == NULL) {
                break;
            }

            part = part->next;
            h = part->elts;
            i = 0;
        }

        if (h[i].hash == 0) {
            continue;
        }

        copy = ngx_list_push(&headers);
        if (copy == NULL) {
            return NGX_ERROR;
        }

        *copy = h[i];
    }

    r->headers_in.headers = headers;

    return NGX_OK;
}
