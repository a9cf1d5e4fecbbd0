/*
 * sf-backup-gate: the answers the gateway writes itself.
 *
 * A FabricError body and its headers, for the gate's own refusals
 * (send_error(), from the access phase) and for the replacements the
 * filters make; and the request id every answer and record carries
 * ($request_id, X-Request-Id), drawn from this worker's pool of
 * RAND_bytes() output.  Used by the phase files; it uses none of them,
 * only counts its answers into the metrics.
 */

#include "ngx_http_sf_backup_common.h"
#include "ngx_http_sf_backup_metrics.h"


static ngx_int_t  ngx_http_sf_backup_request_id_index = NGX_ERROR;

/* per worker: emptied at its start, never shared with the master or siblings */
static sfb_random_t  ngx_http_sf_backup_random;


ngx_int_t
ngx_http_sf_backup_answer_init(ngx_conf_t *cf)
{
    ngx_str_t  name = ngx_string("request_id");

    ngx_http_sf_backup_request_id_index = ngx_http_get_variable_index(cf,
                                                                      &name);
    if (ngx_http_sf_backup_request_id_index == NGX_ERROR) {
        return NGX_ERROR;
    }

    return NGX_OK;
}


/*
 * The gate's own answers, from its phase handler: a complete response.
 * The Message names the request id, which the audit record carries too.
 */
ngx_int_t
ngx_http_sf_backup_send_error(ngx_http_request_t *r, ngx_uint_t status,
    const char *code, ngx_str_t *message)
{
    ngx_int_t                  rc;
    ngx_buf_t                 *b;
    ngx_chain_t                out;
    ngx_http_sf_backup_ctx_t  *ctx;

    if (ngx_http_sf_backup_error_body(r, code, message, 1, &b) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_http_sf_backup_metrics_answer(code);

    /* the header filter lets it through as it is */
    ctx = ngx_http_sf_backup_get_ctx(r);
    if (ctx != NULL) {
        ctx->rewritten = 1;
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
ngx_int_t
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

    /* one pass: room for every byte escaped (\\u00XX) or replaced (U+FFFD) */
    len = 6 * text.len + ngx_strlen(code) + 64;

    b = ngx_create_temp_buf(r->pool, len);
    if (b == NULL) {
        return NGX_ERROR;
    }

    len = sfb_fabric_error_build(code, text.data, text.len, b->pos, len);
    if (len == 0 || len > (size_t) (b->end - b->pos)) {
        return NGX_ERROR;
    }

    b->last = b->pos + len;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    *out = b;

    return NGX_OK;
}


ngx_int_t
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
ngx_int_t
ngx_http_sf_backup_add_request_id(ngx_http_request_t *r)
{
    ngx_str_t         id;
    ngx_uint_t        i;
    ngx_list_part_t  *part;
    ngx_table_elt_t  *h;

    if (ngx_http_sf_backup_request_id(r, &id) != NGX_OK) {
        return NGX_ERROR;
    }

    /* the cluster's own X-Request-Id would contradict the Message's */
    part = &r->headers_out.headers.part;
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

        if (h[i].hash != 0
            && h[i].key.len == sizeof("X-Request-Id") - 1
            && ngx_strncasecmp(h[i].key.data, (u_char *) "X-Request-Id",
                               sizeof("X-Request-Id") - 1) == 0)
        {
            h[i].hash = 0;
        }
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


/*
 * $request_id, the one id of a governed request in its audit record, its
 * FabricError and every other place nginx shows it (access_log, headers).
 * Unless something asked for it already, the value comes from this worker's
 * pool of RAND_bytes() output (src/core/sfb_random.h) rather than nginx's own
 * RAND_bytes() call per request: the same generator and form (32 hex
 * digits), put where nginx caches the variable, so that every later reader
 * of $request_id gets it.  Should the pool fail, nginx makes the value.
 */
ngx_int_t
ngx_http_sf_backup_request_id(ngx_http_request_t *r, ngx_str_t *id)
{
    u_char                     *p;
    ngx_http_variable_value_t  *v;

    v = &r->variables[ngx_http_sf_backup_request_id_index];

    if (!v->valid && !v->not_found) {
        p = ngx_pnalloc(r->pool, SFB_RANDOM_ID_LEN);

        if (p != NULL && sfb_random_id(&ngx_http_sf_backup_random, p) == 0) {
            v->len = SFB_RANDOM_ID_LEN;
            v->valid = 1;
            v->no_cacheable = 0;
            v->not_found = 0;
            v->escape = 0;
            v->data = p;
        }
    }

    v = ngx_http_get_indexed_variable(r, ngx_http_sf_backup_request_id_index);

    if (v == NULL || v->not_found) {
        return NGX_ERROR;
    }

    id->data = v->data;
    id->len = v->len;

    return NGX_OK;
}


void
ngx_http_sf_backup_request_id_init_process(void)
{
    sfb_random_reset(&ngx_http_sf_backup_random);
}
