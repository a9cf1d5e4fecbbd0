/*
 * sf-backup-gate: the gate's phase handler.
 *
 * It runs in the precontent phase, after every access check (auth_request,
 * "satisfy any" and the like), so that the identity and allow-list those
 * establish are known, and before proxy_pass.
 *
 * The decision itself is the core's, sfb_decide_run(): every step of a
 * call in order, the same function the unit tests, the fuzzers and the
 * bench run.  This file is its host (sfb_host_t): it gives the core the
 * request, the caller's identity, grants and lists, the body once read, and
 * the checks that need nginx (scope and its lookups, the data a body
 * carries), and resumes the core when an answer comes in.  Then it either
 * answers with a FabricError or rewrites the request into its canonical
 * form, so that the upstream gets exactly what was validated.
 * Every other request in the location passes untouched, less the headers
 * that would let a client steer the cluster's own backup routing.
 */

#include "ngx_http_sf_backup_common.h"
#include "ngx_http_sf_backup_names.h"
#include "ngx_http_sf_backup_audit.h"


/* what a run of the core leaves for the phase handler to return */
typedef struct {
    ngx_http_request_t             *r;
    ngx_http_sf_backup_ctx_t       *ctx;
    ngx_int_t                       rc;
} ngx_http_sf_backup_host_t;


static ngx_int_t ngx_http_sf_backup_start(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx);
static ngx_int_t ngx_http_sf_backup_run(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx);
static unsigned char *ngx_http_sf_backup_host_alloc(const sfb_host_t *h,
    size_t want, size_t *got);
static sfb_reason_e ngx_http_sf_backup_host_caller(const sfb_host_t *h,
    sfb_decision_t *d, unsigned *granted);
static void ngx_http_sf_backup_host_noted(const sfb_host_t *h,
    sfb_decision_t *d);
static sfb_reason_e ngx_http_sf_backup_host_path_data(const sfb_host_t *h,
    sfb_decision_t *d);
static sfb_reason_e ngx_http_sf_backup_host_scope(const sfb_host_t *h,
    sfb_decision_t *d);
static sfb_reason_e ngx_http_sf_backup_host_body(const sfb_host_t *h,
    sfb_decision_t *d, sfb_str_t *body);
static sfb_reason_e ngx_http_sf_backup_host_policies(const sfb_host_t *h,
    const sfb_str_t **list, size_t *n);
static sfb_reason_e ngx_http_sf_backup_host_body_scope(const sfb_host_t *h,
    sfb_decision_t *d);
static sfb_reason_e ngx_http_sf_backup_host_carried(const sfb_host_t *h,
    sfb_decision_t *d);
static void ngx_http_sf_backup_body_handler(ngx_http_request_t *r);
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
         * Back from reading the body or from a lookup, or a later access
         * handler waited; or an internal redirect after the decision
         * (try_files, a named location, X-Accel-Redirect), which never
         * runs the gate again.
         */
        if (ctx->decided) {
            return ctx->rc;
        }

        if (ngx_http_sf_backup_error_redirect(r)) {
            /* nginx refused the body (a bad chunk): its error page */
            return NGX_DECLINED;
        }

        ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "sf_backup gate resumes at step %ui",
                       (ngx_uint_t) ctx->d.step);

        return ngx_http_sf_backup_run(r, ctx->conf, ctx);
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

    return ngx_http_sf_backup_start(r, slcf, ctx);
}


/* What the core is given of the request, once. */
static ngx_int_t
ngx_http_sf_backup_start(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx)
{
    ngx_uint_t        i;
    sfb_target_t      target;
    sfb_request_t    *req;
    ngx_list_part_t  *part;
    ngx_table_elt_t  *h;
    sfb_path_kind_e   kind;

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup gate: %V \"%V\"", &r->method_name, &r->uri);

    /* post-read matched this very URI already, unless it was rewritten */
    kind = ctx->d.kind;
    target = ctx->d.target;

    sfb_decision_init(&ctx->d);

    if (ngx_http_sf_backup_strip_headers(r) != NGX_OK) {
        ctx->governed = 1;
        ctx->d.reason = SFB_REASON_INTERNAL_ERROR;
        return ngx_http_sf_backup_finish(r, slcf, ctx);
    }

    req = &ctx->req;
    ngx_memzero(req, sizeof(sfb_request_t));

    req->method.data = r->method_name.data;
    req->method.len = r->method_name.len;
    req->uri.data = r->uri.data;
    req->uri.len = r->uri.len;
    req->args.data = r->args.data;
    req->args.len = r->args.len;
    req->content_length = r->headers_in.content_length_n;

    if (ctx->noted && r->uri.data == ctx->noted_uri.data
        && r->uri.len == ctx->noted_uri.len)
    {
        ctx->noted_target = target;
        req->noted = &ctx->noted_target;
        req->noted_kind = kind;
    }

    /* every Content-Type: more than one is refused */
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
            req->content_type_count++;
            req->content_type.data = h[i].value.data;
            req->content_type.len = h[i].value.len;
        }
    }

    return ngx_http_sf_backup_run(r, slcf, ctx);
}


/*
 * The core, from where it stopped: NGX_AGAIN or NGX_DONE while a host's
 * step waits (a lookup, the body), else the decision answered or the
 * request let go on (ngx_http_sf_backup_finish()).
 */
static ngx_int_t
ngx_http_sf_backup_run(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx)
{
    sfb_host_t                 host;
    sfb_reason_e               reason;
    ngx_http_sf_backup_host_t  io;

    io.r = r;
    io.ctx = ctx;
    io.rc = NGX_AGAIN;

    host.data = &io;
    host.alloc = ngx_http_sf_backup_host_alloc;
    host.caller = ngx_http_sf_backup_host_caller;
    host.noted = ngx_http_sf_backup_host_noted;
    host.path_data = ngx_http_sf_backup_host_path_data;
    host.scope = ngx_http_sf_backup_host_scope;
    host.body = ngx_http_sf_backup_host_body;
    host.policies = ngx_http_sf_backup_host_policies;
    host.body_scope = ngx_http_sf_backup_host_body_scope;
    host.carried = ngx_http_sf_backup_host_carried;

    reason = sfb_decide_run(&slcf->rules, &ctx->req, &ctx->d, &host);

    if (reason == SFB_REASON_PENDING) {
        /* ctx may be gone: the body's reading may have answered already */
        return io.rc;
    }

    ctx->governed = (reason != SFB_REASON_NONE);

    ngx_log_debug3(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup gate: %s %s: %s",
                   ctx->governed ? "governed" : "not governed",
                   ctx->d.target.route ? ctx->d.target.route->name : "-",
                   sfb_reason_name(ctx->d.reason));

    /* under report_only, a scope refusal waits for the rest (scope.c) */
    ngx_http_sf_backup_scope_report(ctx);

    /* an answer may free the request, and ctx with it */
    return ngx_http_sf_backup_finish(r, slcf, ctx);
}


static unsigned char *
ngx_http_sf_backup_host_alloc(const sfb_host_t *h, size_t want, size_t *got)
{
    u_char                     *p;
    ngx_http_sf_backup_host_t  *io = h->data;

    p = ngx_pnalloc(io->r->pool, want ? want : 1);
    *got = p ? want : 0;

    return p;
}


/* the caller's name (sf_backup_identity) and the operations granted */
static sfb_reason_e
ngx_http_sf_backup_host_caller(const sfb_host_t *h, sfb_decision_t *d,
    unsigned *granted)
{
    ngx_str_t                       identity;
    ngx_uint_t                      g;
    ngx_http_request_t             *r;
    ngx_http_sf_backup_host_t      *io = h->data;
    ngx_http_sf_backup_loc_conf_t  *slcf;

    r = io->r;
    slcf = io->ctx->conf;

    if (slcf->identity != NULL) {
        if (ngx_http_complex_value(r, slcf->identity, &identity) != NGX_OK) {
            return SFB_REASON_INTERNAL_ERROR;
        }

        d->identity.data = identity.data;
        d->identity.len = identity.len;

        if (identity.len == 0) {
            return SFB_REASON_IDENTITY_MISSING;
        }
    }

    if (ngx_http_sf_backup_granted(r, slcf, &g) != NGX_OK) {
        return SFB_REASON_INTERNAL_ERROR;
    }

    *granted = (unsigned) g;

    return SFB_REASON_NONE;
}


/* the policy a path or a body names, on record */
static void
ngx_http_sf_backup_host_noted(const sfb_host_t *h, sfb_decision_t *d)
{
    ngx_http_sf_backup_host_t  *io = h->data;

    /* governed from here on, decided or not: the log phase records it
     * even if nginx ends it while its body is being read */
    io->ctx->governed = 1;

    ngx_http_sf_backup_data_name(io->ctx);
}


/* a policy by name: the caller's to read, or to change */
static sfb_reason_e
ngx_http_sf_backup_host_path_data(const sfb_host_t *h, sfb_decision_t *d)
{
    ngx_http_sf_backup_host_t  *io = h->data;

    if (ngx_http_sf_backup_data_head(io->r, io->ctx->conf, io->ctx)
        == NGX_OK)
    {
        return d->reason;
    }

    return SFB_REASON_NONE;
}


/*
 * The caller's scope before its body: a call on another team's entity is
 * refused unread.  A partition call may wait for the cluster's answer;
 * the phase handler comes back here when it is in.
 */
static sfb_reason_e
ngx_http_sf_backup_host_scope(const sfb_host_t *h, sfb_decision_t *d)
{
    ngx_int_t                   rc;
    ngx_http_sf_backup_host_t  *io = h->data;

    rc = ngx_http_sf_backup_scope_check(io->r, io->ctx->conf, io->ctx);

    if (rc == NGX_AGAIN) {
        io->rc = NGX_AGAIN;
        return SFB_REASON_PENDING;
    }

    return rc == NGX_OK ? d->reason : SFB_REASON_NONE;
}


/* The body, read whole into one buffer: the phases run again when it is. */
static sfb_reason_e
ngx_http_sf_backup_host_body(const sfb_host_t *h, sfb_decision_t *d,
    sfb_str_t *body)
{
    ngx_int_t                   rc;
    ngx_str_t                   bytes;
    ngx_http_request_t         *r;
    ngx_http_sf_backup_ctx_t   *ctx;
    ngx_http_sf_backup_host_t  *io = h->data;

    r = io->r;
    ctx = io->ctx;

    if (!ctx->body_started) {
        ctx->body_started = 1;
        r->request_body_in_single_buf = 1;

        rc = ngx_http_read_client_request_body(r,
                                            ngx_http_sf_backup_body_handler);

        if (rc >= NGX_HTTP_SPECIAL_RESPONSE || rc == NGX_ERROR) {
            /* e.g. 413 from client_max_body_size: the filter makes it
             * JSON; the phase handler returns nginx's answer as is */
            d->reason = (rc == NGX_ERROR)
                        ? SFB_REASON_CLIENT_CLOSED
                        : ngx_http_sf_backup_refusal_reason(r, rc);
            ctx->governed = 1;
            ctx->decision = NGX_HTTP_SF_BACKUP_DECISION_DENY;
            ctx->decided = 1;
            io->rc = rc;
            return SFB_REASON_PENDING;
        }

        /* the body handler runs the phases again, now or when it is in;
         * ctx may be gone once the request is finalized */
        io->rc = NGX_DONE;
        ngx_http_finalize_request(r, NGX_DONE);
        return SFB_REASON_PENDING;
    }

    if (!ctx->body_done) {
        io->rc = NGX_DONE;
        return SFB_REASON_PENDING;
    }

    rc = ngx_http_sf_backup_body_bytes(r, ctx->conf->max_body, &bytes);

    if (rc == NGX_DECLINED) {
        return SFB_REASON_BODY_TOO_LARGE;
    }

    if (rc != NGX_OK) {
        return SFB_REASON_INTERNAL_ERROR;
    }

    body->data = bytes.data;
    body->len = bytes.len;

    return SFB_REASON_NONE;
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


/* EnableBackup's allow-list: static, or this request's variable */
static sfb_reason_e
ngx_http_sf_backup_host_policies(const sfb_host_t *h, const sfb_str_t **list,
    size_t *n)
{
    sfb_str_t                      *l;
    ngx_http_sf_backup_host_t      *io = h->data;
    ngx_http_sf_backup_loc_conf_t  *slcf;

    slcf = io->ctx->conf;

    if (ngx_http_sf_backup_list(io->r, slcf->policies, slcf->policies_cv,
                                &ngx_http_sf_backup_policy_rule, &l, n)
        != NGX_OK)
    {
        return SFB_REASON_INTERNAL_ERROR;
    }

    *list = l;

    return SFB_REASON_NONE;
}


/* a storage query's entity is in its body */
static sfb_reason_e
ngx_http_sf_backup_host_body_scope(const sfb_host_t *h, sfb_decision_t *d)
{
    ngx_int_t                   rc;
    ngx_http_sf_backup_host_t  *io = h->data;

    rc = ngx_http_sf_backup_scope_body(io->r, io->ctx->conf, io->ctx);

    if (rc == NGX_ERROR) {
        return SFB_REASON_INTERNAL_ERROR;
    }

    return rc == NGX_DECLINED ? SFB_REASON_OUT_OF_SCOPE : SFB_REASON_NONE;
}


/* what the body carries: storage, policy, the partition of its data */
static sfb_reason_e
ngx_http_sf_backup_host_carried(const sfb_host_t *h, sfb_decision_t *d)
{
    ngx_int_t                   rc;
    ngx_http_sf_backup_ctx_t   *ctx;
    ngx_http_sf_backup_host_t  *io = h->data;

    ctx = io->ctx;

    if (ctx->source_pending) {
        /* the body's partition: its lookup, or waiting on one */
        rc = ngx_http_sf_backup_data_source(io->r, ctx->conf, ctx);

    } else {
        d->reason = SFB_REASON_ALLOWED;
        rc = ngx_http_sf_backup_data_body(io->r, ctx->conf, ctx);
    }

    if (rc == NGX_AGAIN) {
        io->rc = NGX_AGAIN;
        return SFB_REASON_PENDING;
    }

    return rc == NGX_OK ? d->reason : SFB_REASON_NONE;
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

    if (ngx_http_sf_backup_list(r, NULL, slcf->operations_cv,
                                &ngx_http_sf_backup_operation_rule, &list, &n)
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

        if (ngx_http_sf_backup_canonicalise(r, ctx) != NGX_OK) {
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
