/*
 * sf-backup-gate: the gate's phase handler.
 *
 * It runs in the precontent phase, after every access check (auth_request,
 * "satisfy any" and the like), so that the identity and allow-list those
 * establish are known, and before proxy_pass.
 *
 * For a governed call it checks what it can before the body (method, path,
 * query, content type, identity, declared length), reads the body, decides,
 * and then either answers with a FabricError or rewrites the request into
 * its canonical form, so that the upstream gets exactly what was validated.
 * Every other request in the location passes untouched, less the headers
 * that would let a client steer the cluster's own backup routing.
 */

#include "ngx_http_sf_backup_common.h"


static ngx_int_t ngx_http_sf_backup_classify(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx);
static ngx_int_t ngx_http_sf_backup_check_head(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx);
static ngx_int_t ngx_http_sf_backup_scope_then_body(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx);
static void ngx_http_sf_backup_body_handler(ngx_http_request_t *r);
static ngx_int_t ngx_http_sf_backup_decide(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx);
static ngx_int_t ngx_http_sf_backup_granted(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_uint_t *granted);
static ngx_int_t ngx_http_sf_backup_reject(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx,
    sfb_reason_e reason);
static ngx_int_t ngx_http_sf_backup_finish(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx);
static ngx_int_t ngx_http_sf_backup_refuse_door(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf);


ngx_int_t
ngx_http_sf_backup_access_handler(ngx_http_request_t *r)
{
    ngx_int_t                       rc;
    ngx_http_sf_backup_ctx_t       *ctx;
    ngx_http_sf_backup_loc_conf_t  *slcf;

    slcf = ngx_http_get_module_loc_conf(r, ngx_http_sf_backup_gate_module);

    if (slcf->resolve_location && ngx_http_sf_backup_door(r, slcf) == NGX_OK)
    {
        return ngx_http_sf_backup_refuse_door(r, slcf);
    }

    if (slcf->gate == NGX_HTTP_SF_BACKUP_OFF || r != r->main) {
        return NGX_DECLINED;
    }

    ctx = ngx_http_sf_backup_get_ctx(r);

    if (ctx != NULL && ctx->started) {
        /*
         * Back from reading the body, or a later access handler waited; or
         * an internal redirect after the decision (try_files, a named
         * location, X-Accel-Redirect), which never runs the gate again.
         */
        if (!ctx->decided) {
            if (ngx_http_sf_backup_error_redirect(r)) {
                /* nginx refused the body (a bad chunk): its error page */
                return NGX_DECLINED;
            }

            if (ctx->scope_pending) {
                /* back from the partition's lookup, or waiting on one */
                return ngx_http_sf_backup_scope_then_body(r, slcf, ctx);
            }

            if (!ctx->body_done) {
                return NGX_DONE;
            }

            if (ctx->source_pending) {
                /* the body's partition: its lookup, or waiting on one */
                rc = ngx_http_sf_backup_data_source(r, slcf, ctx);

            } else {
                rc = ngx_http_sf_backup_decide(r, slcf, ctx);
            }

            if (rc == NGX_AGAIN) {
                return NGX_AGAIN;
            }

            ngx_http_sf_backup_scope_report(ctx);

            /* an answer may free the request, and ctx with it */
            return ngx_http_sf_backup_finish(r, slcf, ctx);
        }

        return ctx->rc;
    }

    /* an error page is not a call: the refused request keeps its record */
    if (ngx_http_sf_backup_error_redirect(r)) {
        return NGX_DECLINED;
    }

    if (ctx == NULL) {
        ctx = ngx_http_sf_backup_create_ctx(r);
        if (ctx == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    ctx->conf = slcf;
    ctx->started = 1;

    rc = ngx_http_sf_backup_classify(r, slcf, ctx);

    if (rc != NGX_AGAIN) {
        /* decided without the body: not governed, or rejected early */
        return ngx_http_sf_backup_finish(r, slcf, ctx);
    }

    return ngx_http_sf_backup_scope_then_body(r, slcf, ctx);
}


/*
 * The caller's scope before its body: a call on another team's entity is
 * refused unread.  A partition call may wait for the cluster's answer
 * (NGX_AGAIN); the phase handler comes back here when it is in.
 */
static ngx_int_t
ngx_http_sf_backup_scope_then_body(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx)
{
    ngx_int_t  rc;

    ctx->scope_pending = 1;

    rc = ngx_http_sf_backup_scope_check(r, slcf, ctx);

    if (rc == NGX_AGAIN) {
        return NGX_AGAIN;
    }

    ctx->scope_pending = 0;

    if (rc == NGX_OK) {
        return ngx_http_sf_backup_finish(r, slcf, ctx);
    }

    r->request_body_in_single_buf = 1;

    rc = ngx_http_read_client_request_body(r,
                                           ngx_http_sf_backup_body_handler);

    if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
        /* e.g. 413 from client_max_body_size: the filter makes it JSON */
        ctx->d.reason = ngx_http_sf_backup_refusal_reason(r, rc);

        ctx->decision = NGX_HTTP_SF_BACKUP_DECISION_DENY;
        ctx->decided = 1;
        return rc;
    }

    if (rc == NGX_ERROR) {
        ctx->d.reason = SFB_REASON_CLIENT_CLOSED;
        ctx->decision = NGX_HTTP_SF_BACKUP_DECISION_DENY;
        ctx->decided = 1;
        return rc;
    }

    /* the body handler runs the phases again, now or when the body is in */
    ngx_http_finalize_request(r, NGX_DONE);
    return NGX_DONE;
}


/*
 * NGX_DECLINED: not governed (passes untouched);
 * NGX_AGAIN: governed and fine so far, the body decides;
 * NGX_OK: decided already (ctx->d.reason set).
 */
static ngx_int_t
ngx_http_sf_backup_classify(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx)
{
    u_char           *buf;
    sfb_target_t      target;
    sfb_path_kind_e   kind;

    /* post-read matched this very URI already, unless it was rewritten */
    kind = ctx->d.kind;
    target = ctx->d.target;

    sfb_decision_init(&ctx->d);

    if (ngx_http_sf_backup_strip_headers(r) != NGX_OK) {
        ctx->governed = 1;
        ctx->d.reason = SFB_REASON_INTERNAL_ERROR;
        return NGX_OK;
    }

    if (ctx->noted && r->uri.data == ctx->noted_uri.data
        && r->uri.len == ctx->noted_uri.len)
    {
        ctx->d.kind = kind;
        ctx->d.target = target;

    } else {
        buf = ngx_pnalloc(r->pool, r->uri.len + 1);
        if (buf == NULL) {
            ctx->governed = 1;
            ctx->d.reason = SFB_REASON_INTERNAL_ERROR;
            return NGX_OK;
        }

        ctx->d.kind = sfb_match_path(r->uri.data, r->uri.len,
                                     &ctx->d.target, buf, r->uri.len + 1);
    }

    switch (ctx->d.kind) {

    case SFB_PATH_OTHER:
        if (slcf->passthrough) {
            return NGX_DECLINED;
        }

        /* a gateway for the surface only: nothing else is forwarded */
        ctx->governed = 1;
        ctx->d.method.data = r->method_name.data;
        ctx->d.method.len = r->method_name.len;
        ctx->d.reason = SFB_REASON_OUTSIDE_SURFACE;
        return NGX_OK;

    case SFB_PATH_BACKUP_RESTORE:
        if (slcf->backup_restore && slcf->passthrough) {
            return NGX_DECLINED;
        }

        ctx->governed = 1;
        ctx->d.reason = slcf->passthrough
                        ? SFB_REASON_BACKUP_RESTORE_CLOSED
                        : SFB_REASON_OUTSIDE_SURFACE;
        return NGX_OK;

    default: /* SFB_PATH_GOVERNED */
        break;
    }

    ctx->governed = 1;
    ctx->d.method.data = r->method_name.data;
    ctx->d.method.len = r->method_name.len;

    if (!sfb_method_allowed(ctx->d.target.route, r->method_name.data,
                            r->method_name.len))
    {
        ctx->d.reason = SFB_REASON_METHOD_NOT_ALLOWED;
        return NGX_OK;
    }

    if (ctx->d.target.reason != SFB_REASON_NONE) {
        ctx->d.reason = ctx->d.target.reason;
        return NGX_OK;
    }

    /* the policy the path names is on record, refused or not */
    ngx_http_sf_backup_data_name(ctx);

    return ngx_http_sf_backup_check_head(r, slcf, ctx);
}


static ngx_int_t
ngx_http_sf_backup_check_head(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx)
{
    u_char           *buf;
    ngx_str_t         identity;
    ngx_uint_t        i, n;
    sfb_reason_e      reason;
    ngx_list_part_t  *part;
    ngx_table_elt_t  *h, *ct;

    buf = ngx_pnalloc(r->pool, r->args.len + 1);
    if (buf == NULL) {
        ctx->d.reason = SFB_REASON_INTERNAL_ERROR;
        return NGX_OK;
    }

    reason = sfb_parse_query_for(&slcf->rules,
                                 sfb_route_params(ctx->d.target.route,
                                                  ctx->d.target.entity),
                                 r->args.data, r->args.len, &ctx->d.query,
                                 buf, r->args.len + 1);

    if (reason != SFB_REASON_NONE) {
        ctx->d.reason = reason;
        return NGX_OK;
    }

    if (ctx->d.query.has_timeout) {
        ctx->timeout.data = ngx_pnalloc(r->pool, NGX_INT64_LEN);
        if (ctx->timeout.data == NULL) {
            ctx->d.reason = SFB_REASON_INTERNAL_ERROR;
            return NGX_OK;
        }

        ctx->timeout.len = ngx_sprintf(ctx->timeout.data, "%uL",
                                       ctx->d.query.timeout)
                           - ctx->timeout.data;
    }

    /* a repeated Content-Type is ambiguous: which one would bind? */
    n = 0;
    ct = NULL;
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

        if (h[i].key.len == sizeof("Content-Type") - 1
            && ngx_strncasecmp(h[i].key.data, (u_char *) "Content-Type",
                               sizeof("Content-Type") - 1) == 0)
        {
            n++;
            ct = &h[i];
        }
    }

    if (n > 1) {
        ctx->d.reason = SFB_REASON_CONTENT_TYPE_REPEATED;
        return NGX_OK;
    }

    /* a call without a body may come without a Content-Type */
    if (ct != NULL || sfb_body_required(ctx->d.target.route)) {
        reason = sfb_check_content_type(ct ? ct->value.data : NULL,
                                        ct ? ct->value.len : 0);
        if (reason != SFB_REASON_NONE) {
            ctx->d.reason = reason;
            return NGX_OK;
        }
    }

    if (slcf->identity != NULL) {
        if (ngx_http_complex_value(r, slcf->identity, &identity) != NGX_OK) {
            ctx->d.reason = SFB_REASON_INTERNAL_ERROR;
            return NGX_OK;
        }

        ctx->d.identity.data = identity.data;
        ctx->d.identity.len = identity.len;

        if (identity.len == 0) {
            ctx->d.reason = SFB_REASON_IDENTITY_MISSING;
            return NGX_OK;
        }
    }

    /* an operation the caller may not use is refused before its body */
    if (ngx_http_sf_backup_granted(r, slcf, &ctx->granted) != NGX_OK) {
        ctx->d.reason = SFB_REASON_INTERNAL_ERROR;
        return NGX_OK;
    }

    reason = sfb_check_operation(ctx->d.target.route, NULL, ctx->granted,
                                 &ctx->d.operation);
    if (reason != SFB_REASON_NONE) {
        ctx->d.reason = reason;
        return NGX_OK;
    }

    /* a policy by name: the caller's to read, or to change */
    if (ngx_http_sf_backup_data_head(r, slcf, ctx) == NGX_OK) {
        return NGX_OK;
    }

    if (r->headers_in.content_length_n > (off_t) slcf->max_body) {
        ctx->d.reason = SFB_REASON_BODY_TOO_LARGE;
        return NGX_OK;
    }

    return NGX_AGAIN;
}


static void
ngx_http_sf_backup_body_handler(ngx_http_request_t *r)
{
    ngx_http_sf_backup_ctx_t  *ctx;

    ctx = ngx_http_sf_backup_get_ctx(r);

    ctx->body_done = 1;

    /* the phase engine goes on from this handler, which decides now */
    r->preserve_body = 1;
    r->write_event_handler = ngx_http_core_run_phases;
    ngx_http_core_run_phases(r);
}


static ngx_int_t
ngx_http_sf_backup_decide(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx)
{
    u_char             *buf;
    size_t              n, size;
    const sfb_route_t  *route;
    ngx_int_t      rc;
    ngx_str_t      body;
    sfb_str_t     *list;
    sfb_reason_e   reason;

    rc = ngx_http_sf_backup_body_bytes(r, slcf->max_body, &body);

    if (rc == NGX_DECLINED) {
        ctx->d.reason = SFB_REASON_BODY_TOO_LARGE;
        return NGX_OK;
    }

    if (rc != NGX_OK) {
        ctx->d.reason = SFB_REASON_INTERNAL_ERROR;
        return NGX_OK;
    }

    route = ctx->d.target.route;
    size = (route->body == SFB_BODY_ENABLE) ? body.len + 1
                                            : SFB_CANONICAL_JSON_MAX(body.len);

    buf = ngx_pnalloc(r->pool, size);
    if (buf == NULL) {
        ctx->d.reason = SFB_REASON_INTERNAL_ERROR;
        return NGX_OK;
    }

    reason = sfb_parse_body_for(&slcf->rules, route->body, body.data,
                                body.len, &ctx->d.body, buf, size,
                                ctx->d.detail, sizeof(ctx->d.detail));

    /* parsing emptied it: the policy a path or a body names, on record */
    ngx_http_sf_backup_data_name(ctx);

    if (reason == SFB_REASON_NONE) {
        /* clean and storage: the dangerous forms need their own grant */
        reason = sfb_check_operation(route, &ctx->d.body, ctx->granted,
                                     &ctx->d.operation);
    }

    if (reason != SFB_REASON_NONE) {
        ctx->d.reason = reason;
        return NGX_OK;
    }

    if (route->body != SFB_BODY_ENABLE) {
        ctx->d.reason = SFB_REASON_ALLOWED;

        /* a storage query's entity is in its body */
        rc = ngx_http_sf_backup_scope_body(r, slcf, ctx);

        if (rc == NGX_ERROR) {
            ctx->d.reason = SFB_REASON_INTERNAL_ERROR;

        } else if (rc == NGX_DECLINED) {
            ctx->d.reason = SFB_REASON_OUT_OF_SCOPE;
        }

    } else if (ngx_http_sf_backup_list(r, slcf->policies, slcf->policies_cv,
                                       &list, &n)
               != NGX_OK)
    {
        ctx->d.reason = SFB_REASON_INTERNAL_ERROR;

    } else {
        ctx->d.reason = sfb_check_policy(ctx->d.body.policy,
                                         ctx->d.body.policy_len, list, n);
    }

    if (ctx->d.reason != SFB_REASON_ALLOWED) {
        return NGX_OK;
    }

    /* what it carries: storage, policy, the partition of its data */
    return ngx_http_sf_backup_data_body(r, slcf, ctx) == NGX_AGAIN
           ? NGX_AGAIN : NGX_OK;
}


/*
 * The operations granted: static, or this request's value of a variable,
 * where an unknown name grants nothing.
 */
static ngx_int_t
ngx_http_sf_backup_granted(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_uint_t *granted)
{
    size_t      i, n;
    sfb_str_t  *list;

    if (slcf->operations_cv == NULL) {
        *granted = slcf->operations;
        return NGX_OK;
    }

    if (ngx_http_sf_backup_list(r, NULL, slcf->operations_cv, &list, &n)
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    *granted = 0;

    for (i = 0; i < n; i++) {
        *granted |= SFB_OP_BIT(sfb_operation_by_name(list[i].data,
                                                     list[i].len))
                    & ~SFB_OP_BIT(SFB_OP_NONE);
    }

    return NGX_OK;
}


/*
 * The decision is made: answer it, or let the request go on to the
 * content phase (proxy_pass) in its canonical form.  ctx must not be
 * touched once this returns NGX_DONE: answering may have freed the request.
 */
static ngx_int_t
ngx_http_sf_backup_finish(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx)
{
    /* what a later run of this handler returns; reject() sets NGX_DONE */
    ctx->decided = 1;
    ctx->rc = NGX_DECLINED;

    if (!ctx->governed) {
        return NGX_DECLINED;
    }

    /* a worker that cannot seal its records serves no governed call */

    if (slcf->audit && slcf->audit->seal_broken) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "sf_backup: %s refused (was %s): audit log \"%V\" "
                      "cannot be sealed in this worker (its [emerg] at start "
                      "says why)", ngx_http_sf_backup_entity(ctx),
                      sfb_reason_name(ctx->d.reason), &slcf->audit->name);
        ctx->decision = NGX_HTTP_SF_BACKUP_DECISION_DENY;
        return ngx_http_sf_backup_reject(r, slcf, ctx,
                                         SFB_REASON_AUDIT_UNAVAILABLE);
    }

    if (ctx->d.reason == SFB_REASON_ALLOWED) {
        ctx->decision = NGX_HTTP_SF_BACKUP_DECISION_ALLOW;

        if (ngx_http_sf_backup_canonicalise(r, slcf, ctx) != NGX_OK) {
            ctx->decision = NGX_HTTP_SF_BACKUP_DECISION_DENY;
            return ngx_http_sf_backup_reject(r, slcf, ctx,
                                             SFB_REASON_INTERNAL_ERROR);
        }

        if (slcf->audit_fail_closed
            && ngx_http_sf_backup_audit_record(r, ctx, 1) != NGX_OK)
        {
            ctx->decision = NGX_HTTP_SF_BACKUP_DECISION_DENY;
            return ngx_http_sf_backup_reject(r, slcf, ctx,
                                             SFB_REASON_AUDIT_UNAVAILABLE);
        }

        return NGX_DECLINED;
    }

    if (slcf->gate == NGX_HTTP_SF_BACKUP_REPORT_ONLY
        && ctx->d.reason != SFB_REASON_INTERNAL_ERROR
        && ctx->d.reason != SFB_REASON_INTERNAL_LOCATION)
    {
        /* rolling out: record what would have been denied, forward as is */
        ctx->decision = NGX_HTTP_SF_BACKUP_DECISION_REPORT;

        ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                      "sf_backup: report only: %s would be denied (%s)",
                      ngx_http_sf_backup_entity(ctx),
                      sfb_reason_name(ctx->d.reason));

        if (slcf->audit_fail_closed
            && ngx_http_sf_backup_audit_record(r, ctx, 1) != NGX_OK)
        {
            ctx->decision = NGX_HTTP_SF_BACKUP_DECISION_DENY;
            return ngx_http_sf_backup_reject(r, slcf, ctx,
                                             SFB_REASON_AUDIT_UNAVAILABLE);
        }

        return NGX_DECLINED;
    }

    ctx->decision = NGX_HTTP_SF_BACKUP_DECISION_DENY;

    return ngx_http_sf_backup_reject(r, slcf, ctx, ctx->d.reason);
}


static ngx_int_t
ngx_http_sf_backup_reject(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx,
    sfb_reason_e reason)
{
    size_t                    len;
    ngx_int_t                 rc;
    ngx_table_elt_t          *allow;
    const sfb_reason_info_t  *info;

    ctx->d.reason = reason;
    ctx->rc = NGX_DONE;
    info = sfb_reason_info(reason);

    ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                  "sf_backup: denied %s: %s",
                  ngx_http_sf_backup_entity(ctx), info->name);

    len = sfb_describe(reason, &ctx->d, &slcf->rules, NULL, 0);

    ctx->detail.data = ngx_pnalloc(r->pool, len + 1);
    if (ctx->detail.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    (void) sfb_describe(reason, &ctx->d, &slcf->rules,
                        (char *) ctx->detail.data, len + 1);
    ctx->detail.len = len;

    if (ngx_http_discard_request_body(r) != NGX_OK) {
        r->keepalive = 0;
    }

    ctx->status = info->status;

    if (reason == SFB_REASON_METHOD_NOT_ALLOWED) {
        allow = ngx_list_push(&r->headers_out.headers);
        if (allow == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        allow->hash = 1;
        ngx_str_set(&allow->key, "Allow");
        allow->value.data = (u_char *) sfb_route_method(ctx->d.target.route);
        allow->value.len = ngx_strlen(allow->value.data);
    }

    rc = ngx_http_sf_backup_send_error(r, info->status, info->code,
                                       &ctx->detail);

    ngx_http_finalize_request(r, rc);

    return NGX_DONE;
}


/*
 * A request that reached the location of the gate's own lookups from
 * outside it (an internal redirect: error_page, X-Accel-Redirect): refused
 * with a record of its own, or, after a decision, as that call's answer.
 */
static ngx_int_t
ngx_http_sf_backup_refuse_door(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf)
{
    ngx_http_sf_backup_ctx_t  *ctx;

    if (r != r->main) {
        return NGX_HTTP_FORBIDDEN;
    }

    ctx = ngx_http_sf_backup_get_ctx(r);

    if (ctx != NULL && ctx->started) {
        return NGX_HTTP_FORBIDDEN;
    }

    if (ctx == NULL) {
        ctx = ngx_http_sf_backup_create_ctx(r);
        if (ctx == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    sfb_decision_init(&ctx->d);

    ctx->conf = slcf;
    ctx->started = 1;
    ctx->governed = 1;
    ctx->d.method.data = r->method_name.data;
    ctx->d.method.len = r->method_name.len;
    ctx->d.reason = SFB_REASON_INTERNAL_LOCATION;

    return ngx_http_sf_backup_finish(r, slcf, ctx);
}
