/*
 * sf-backup-gate: team scope (sf_backup_scope, sf_backup_scope_resolve,
 * sf_backup_scope_cache).
 *
 * Called by the gate (precontent phase, _access.c) once a call's head is
 * checked and before its body is read.  A service or application call is
 * checked from the id in its path; a partition call needs the partition's
 * service, which only the cluster knows: the gate asks it with a subrequest
 * GET <resolve>/Partitions/{id}/$/GetServiceName?api-version=6.0 through
 * the operator's internal location (as auth_request does), reads the
 * answer in memory, and keeps it in a shared-memory cache.
 *
 * The cache (_scope_cache.c) holds one entry per partition: resolved,
 * pending (one request of one worker is asking the cluster) or failed.  A
 * request that finds a pending entry waits for it on a timer (limit_req's
 * way of delaying a request), looking again, so that concurrent first
 * requests for one partition make one lookup, across workers too; it waits
 * no longer than its own lookup may take (the resolve location's proxy
 * timeouts, _door.c), and fails as that lookup would.
 */

#include "ngx_http_sf_backup_common.h"
#include "ngx_http_sf_backup_names.h"
#include "ngx_http_sf_backup_metrics.h"
#include "sfb_scope.h"


#define NGX_HTTP_SF_BACKUP_SCOPE_VALID      86400   /* valid= default, s */
#define NGX_HTTP_SF_BACKUP_SCOPE_POLL_MIN   2       /* ms */
#define NGX_HTTP_SF_BACKUP_SCOPE_POLL_MAX   64      /* ms */


static ngx_int_t ngx_http_sf_backup_scope_decide(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx);
static ngx_int_t ngx_http_sf_backup_scope_lookup(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx);
static ngx_int_t ngx_http_sf_backup_scope_done(ngx_http_request_t *sr,
    void *data, ngx_int_t rc);
static ngx_int_t ngx_http_sf_backup_scope_wait(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx);
static void ngx_http_sf_backup_scope_wake(ngx_http_request_t *r);
static ngx_int_t ngx_http_sf_backup_scope_name(ngx_conf_t *cf,
    ngx_str_t *name, sfb_str_t *kept);


/*
 * NGX_DECLINED: in scope, or not scoped (go on to the body);
 * NGX_OK: decided, ctx->d.reason set;
 * NGX_AGAIN: waiting for the cluster or for another request's lookup;
 * the phase handler runs again when it is done.
 */
ngx_int_t
ngx_http_sf_backup_scope_check(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx)
{
    u_char     *p;
    size_t      len;
    ngx_int_t   rc;

    if (slcf->scope == NULL && slcf->scope_cv == NULL) {
        return NGX_DECLINED;
    }

    switch (ctx->d.target.entity) {

    case SFB_ENTITY_PARTITION:
        ctx->scope_id.data = (u_char *) ctx->d.target.id;
        ctx->scope_id.len = ctx->d.target.id_len;

        rc = ngx_http_sf_backup_scope_resolve_id(r, slcf, ctx);
        if (rc != NGX_OK) {
            return rc;
        }

        break;

    case SFB_ENTITY_SERVICE:
    case SFB_ENTITY_APPLICATION:
        len = sizeof("fabric:/") - 1 + ctx->d.target.id_len;

        p = ngx_pnalloc(r->pool, len);
        if (p == NULL) {
            ctx->d.reason = SFB_REASON_INTERNAL_ERROR;
            return NGX_OK;
        }

        ctx->entity_name.data = p;
        ctx->entity_name.len = sfb_scope_name_from_id(ctx->d.target.id,
                                                      ctx->d.target.id_len,
                                                      p, len);
        break;

    default:
        /* the policy calls have no entity; a storage query's is in its
         * body (ngx_http_sf_backup_scope_body()) */
        return NGX_DECLINED;
    }

    ctx->d.entity_name.data = ctx->entity_name.data;
    ctx->d.entity_name.len = ctx->entity_name.len;

    if (ctx->scope_reason != SFB_REASON_NONE) {
        /* the lookup failed: partition_not_found or scope_unresolved */
        return ngx_http_sf_backup_scope_decide(r, slcf, ctx);
    }

    rc = ngx_http_sf_backup_scope_covers(r, slcf, ctx->entity_name.data,
                                         ctx->entity_name.len);
    if (rc == NGX_ERROR) {
        ctx->d.reason = SFB_REASON_INTERNAL_ERROR;
        return NGX_OK;
    }

    if (rc == NGX_DECLINED) {
        ctx->scope_reason = SFB_REASON_OUT_OF_SCOPE;
    }

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup scope \"%V\" %s", &ctx->entity_name,
                   rc == NGX_OK ? "in scope" : "out of scope");

    return ngx_http_sf_backup_scope_decide(r, slcf, ctx);
}


/*
 * A storage query names its entity in its body: checked once the body is
 * read (ServiceName for a partition, as the backups in a storage are laid
 * out by service).  NGX_OK: in scope or not scoped; NGX_DECLINED: out of
 * scope; NGX_ERROR.
 */
ngx_int_t
ngx_http_sf_backup_scope_body(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx)
{
    u_char     *p;
    size_t      len;
    ngx_int_t   rc;

    if ((slcf->scope == NULL && slcf->scope_cv == NULL)
        || ctx->d.operation != SFB_OP_STORAGE_QUERY)
    {
        return NGX_OK;
    }

    p = ngx_pnalloc(r->pool, SFB_SCOPE_NAME_MAX);
    if (p == NULL) {
        return NGX_ERROR;
    }

    len = sfb_scope_query_entity(ctx->d.body.canonical.data,
                                 ctx->d.body.canonical.len, p,
                                 SFB_SCOPE_NAME_MAX);

    ctx->entity_name.data = p;
    ctx->entity_name.len = len;
    ctx->d.entity_name.data = p;
    ctx->d.entity_name.len = len;

    rc = ngx_http_sf_backup_scope_covers(r, slcf, p, len);

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup scope of query \"%V\" %s", &ctx->entity_name,
                   rc == NGX_OK ? "in scope"
                   : rc == NGX_DECLINED ? "out of scope" : "not known");

    return rc;
}


/* NGX_OK: one of the caller's scope names covers name; NGX_DECLINED: none
 * does; NGX_ERROR */
ngx_int_t
ngx_http_sf_backup_scope_covers(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, u_char *name, size_t len)
{
    size_t      n;
    sfb_str_t  *list;

    if (ngx_http_sf_backup_list(r, slcf->scope, slcf->scope_cv,
                                &ngx_http_sf_backup_scope_rule, &list, &n)
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    /* configured and empty for this request: nothing is in scope */
    return sfb_scope_covers(name, len, list, n) ? NGX_OK : NGX_DECLINED;
}


/*
 * Out of scope (or unresolved): refused now, before the body; under
 * report_only the request goes on, and the gate reports the scope's reason
 * if nothing else refuses it (ngx_http_sf_backup_scope_report()).
 */
static ngx_int_t
ngx_http_sf_backup_scope_decide(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx)
{
    if (ctx->scope_reason != SFB_REASON_NONE) {
        ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "sf_backup scope refuses: %s%s",
                       sfb_reason_name(ctx->scope_reason),
                       slcf->gate == NGX_HTTP_SF_BACKUP_REPORT_ONLY
                       ? ", reported only" : "");
    }

    if (ctx->scope_reason == SFB_REASON_NONE
        || slcf->gate == NGX_HTTP_SF_BACKUP_REPORT_ONLY)
    {
        return NGX_DECLINED;
    }

    ctx->d.reason = ctx->scope_reason;

    return NGX_OK;
}


/* report_only: what the scope said, once everything else allowed */
void
ngx_http_sf_backup_scope_report(ngx_http_sf_backup_ctx_t *ctx)
{
    if (ctx->d.reason == SFB_REASON_ALLOWED
        && ctx->scope_reason != SFB_REASON_NONE)
    {
        ctx->d.reason = ctx->scope_reason;
    }
}


/*
 * The service of partition ctx->scope_id (the target's, or the one a body
 * names): from the cache, from another request's lookup, or from our own.
 * NGX_OK once known (ctx->entity_name, or ctx->scope_reason for a failed
 * lookup); NGX_AGAIN while waiting.
 */
ngx_int_t
ngx_http_sf_backup_scope_resolve_id(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx)
{
    switch (ctx->scope_state) {

    case NGX_HTTP_SF_BACKUP_SCOPE_LOOKING:
        /* woken before the subrequest ended */
        ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "sf_backup scope lookup of \"%V\" still running",
                       &ctx->scope_id);
        return NGX_AGAIN;

    case NGX_HTTP_SF_BACKUP_SCOPE_KNOWN:
        return NGX_OK;

    default: /* NONE, WAITING: (again) to the cache */
        break;
    }

    if (slcf->scope_zone == NULL) {
        ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "sf_backup scope \"%V\": no cache", &ctx->scope_id);
        ngx_http_sf_backup_metrics_scope(NGX_HTTP_SF_BACKUP_M_SCOPE_MISS);
        return ngx_http_sf_backup_scope_lookup(r, slcf, ctx);
    }

    switch (ngx_http_sf_backup_scope_cache_find(r, slcf, ctx)) {

    case NGX_HTTP_SF_BACKUP_SCOPE_HIT:
        ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "sf_backup scope cache hit \"%V\": \"%V\"",
                       &ctx->scope_id, &ctx->entity_name);
        ngx_http_sf_backup_metrics_scope(NGX_HTTP_SF_BACKUP_M_SCOPE_HIT);
        ctx->scope_state = NGX_HTTP_SF_BACKUP_SCOPE_KNOWN;
        return NGX_OK;

    case NGX_HTTP_SF_BACKUP_SCOPE_SHARED_FAILURE:
        ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "sf_backup scope cache \"%V\": the lookup waited "
                       "for failed: %s", &ctx->scope_id,
                       sfb_reason_name(ctx->scope_reason));
        ctx->scope_state = NGX_HTTP_SF_BACKUP_SCOPE_KNOWN;
        return NGX_OK;

    case NGX_HTTP_SF_BACKUP_SCOPE_WAIT:
        return ngx_http_sf_backup_scope_wait(r, slcf, ctx);

    default: /* ASK */
        ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "sf_backup scope cache miss \"%V\"%s",
                       &ctx->scope_id,
                       ctx->scope_owner ? "" : ", lookup not shared");
        ngx_http_sf_backup_metrics_scope(NGX_HTTP_SF_BACKUP_M_SCOPE_MISS);
        return ngx_http_sf_backup_scope_lookup(r, slcf, ctx);
    }
}


/* GET <resolve>/Partitions/{id}/$/GetServiceName?api-version=6.0 */
static ngx_int_t
ngx_http_sf_backup_scope_lookup(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx)
{
    u_char                      *p;
    ngx_str_t                    uri, args;
    ngx_http_request_t          *sr;
    ngx_http_post_subrequest_t  *ps;

    uri.len = slcf->scope_resolve.len + sizeof("/Partitions/") - 1
              + ctx->scope_id.len + sizeof("/$/GetServiceName") - 1;

    uri.data = ngx_pnalloc(r->pool, uri.len);
    if (uri.data == NULL) {
        goto failed;
    }

    p = ngx_cpymem(uri.data, slcf->scope_resolve.data,
                   slcf->scope_resolve.len);
    p = ngx_cpymem(p, "/Partitions/", sizeof("/Partitions/") - 1);
    p = ngx_cpymem(p, ctx->scope_id.data, ctx->scope_id.len);
    ngx_memcpy(p, "/$/GetServiceName", sizeof("/$/GetServiceName") - 1);

    ngx_str_set(&args, "api-version=6.0");

    ps = ngx_palloc(r->pool, sizeof(ngx_http_post_subrequest_t));
    if (ps == NULL) {
        goto failed;
    }

    ps->handler = ngx_http_sf_backup_scope_done;
    ps->data = ctx;

    if (ngx_http_subrequest(r, &uri, &args, &sr, ps,
                            NGX_HTTP_SUBREQUEST_WAITED
                            |NGX_HTTP_SUBREQUEST_IN_MEMORY)
        != NGX_OK)
    {
        goto failed;
    }

    /* a GET of its own: none of the call's body, length or type */
    sr->request_body = ngx_pcalloc(r->pool, sizeof(ngx_http_request_body_t));
    if (sr->request_body == NULL) {
        goto failed;
    }

    sr->headers_in.content_length = NULL;
    sr->headers_in.content_length_n = -1;
    sr->headers_in.content_type = NULL;
    sr->headers_in.chunked = 0;

    ctx->scope_state = NGX_HTTP_SF_BACKUP_SCOPE_LOOKING;

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup scope lookup sent \"%V?%V\"", &uri, &args);

    return NGX_AGAIN;

failed:

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup scope lookup of \"%V\" not sent",
                   &ctx->scope_id);

    if (ctx->scope_owner) {
        ngx_http_sf_backup_scope_cache_abandon(slcf->scope_zone, &ctx->scope_id,
                                         ctx->scope_seq);
        ctx->scope_owner = 0;
    }

    ctx->d.reason = SFB_REASON_INTERNAL_ERROR;
    ctx->scope_state = NGX_HTTP_SF_BACKUP_SCOPE_KNOWN;
    ctx->scope_reason = SFB_REASON_INTERNAL_ERROR;

    return NGX_OK;
}


/* The lookup ended: its answer read, kept, shared with its waiters. */
static ngx_int_t
ngx_http_sf_backup_scope_done(ngx_http_request_t *sr, void *data,
    ngx_int_t rc)
{
    ngx_http_sf_backup_ctx_t  *ctx = data;

    u_char                         *name, *body;
    size_t                          len, body_len;
    ngx_int_t                       status;
    ngx_str_t                       resolved;
    sfb_lookup_e                    lookup;
    ngx_http_request_t             *r;
    ngx_http_sf_backup_loc_conf_t  *slcf;
    char                            detail[128];

    r = sr->parent;
    slcf = ctx->conf;

    if (ctx->scope_state != NGX_HTTP_SF_BACKUP_SCOPE_LOOKING) {
        /* once: a subrequest may be finalised more than once */
        return rc;
    }

    status = sr->headers_out.status;

    if (rc == NGX_ERROR || (rc >= NGX_HTTP_SPECIAL_RESPONSE && status < 300))
    {
        status = (rc >= NGX_HTTP_SPECIAL_RESPONSE) ? rc : 502;
    }

    body = NULL;
    body_len = 0;

    if (sr->out != NULL && sr->out->buf != NULL) {
        body = sr->out->buf->pos;
        body_len = sr->out->buf->last - sr->out->buf->pos;

    } else if (sr->upstream != NULL && sr->upstream->buffer.pos != NULL) {
        body = sr->upstream->buffer.pos;
        body_len = sr->upstream->buffer.last - sr->upstream->buffer.pos;
    }

    name = ngx_pnalloc(r->pool, SFB_SCOPE_NAME_MAX);
    if (name == NULL) {
        lookup = SFB_LOOKUP_UNREADABLE;
        len = 0;
        ngx_cpystrn((u_char *) detail, (u_char *) "out of memory",
                    sizeof(detail));

    } else {
        lookup = sfb_scope_read_answer((int) status, body, body_len, name,
                                       SFB_SCOPE_NAME_MAX, &len, detail,
                                       sizeof(detail));
    }

    ngx_log_debug4(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup scope lookup of \"%V\" answered s:%i rc:%i: %s",
                   &ctx->scope_id, status, rc,
                   lookup == SFB_LOOKUP_OK ? "resolved"
                   : lookup == SFB_LOOKUP_NOT_FOUND ? "not found"
                   : "unreadable");

    switch (lookup) {

    case SFB_LOOKUP_OK:
        ctx->entity_name.data = name;
        ctx->entity_name.len = len;
        ctx->scope_reason = SFB_REASON_NONE;

        ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "sf_backup scope partition \"%V\" is of \"%V\"",
                       &ctx->scope_id, &ctx->entity_name);
        break;

    case SFB_LOOKUP_NOT_FOUND:
        ctx->scope_reason = SFB_REASON_PARTITION_NOT_FOUND;
        ngx_http_sf_backup_metrics_scope(
                                       NGX_HTTP_SF_BACKUP_M_SCOPE_NOT_FOUND);
        break;

    default:
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "sf_backup: the service of partition \"%V\" could not "
                      "be resolved through \"%V\": %s; the request is "
                      "refused", &ctx->scope_id, &slcf->scope_resolve,
                      detail);
        ctx->scope_reason = SFB_REASON_SCOPE_UNRESOLVED;
        ngx_http_sf_backup_metrics_scope(NGX_HTTP_SF_BACKUP_M_SCOPE_FAILED);
        break;
    }

    if (ctx->scope_owner) {
        resolved = ctx->entity_name;
        ngx_http_sf_backup_scope_cache_store(slcf->scope_zone, &ctx->scope_id,
                                       ctx->scope_seq, ctx->scope_reason,
                                       &resolved, slcf->scope_valid);
        ctx->scope_owner = 0;

        ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "sf_backup scope cache: lookup seq:%ui done, %s",
                       ctx->scope_seq,
                       ctx->scope_reason == SFB_REASON_NONE
                       ? "resolved" : sfb_reason_name(ctx->scope_reason));
    }

    ctx->scope_state = NGX_HTTP_SF_BACKUP_SCOPE_KNOWN;

    return rc;
}


/*
 * Another request is asking the cluster: look again after a short delay,
 * doubling up to NGX_HTTP_SF_BACKUP_SCOPE_POLL_MAX, for as long as our own
 * lookup could take; past that, unresolved, as our own lookup's timeout
 * would be.  The connection's write event carries the timer, as
 * limit_req's delay does; a client that leaves meanwhile ends the request
 * (ngx_http_test_reading).
 */
static ngx_int_t
ngx_http_sf_backup_scope_wait(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx)
{
    ngx_msec_t    waited, left;
    ngx_event_t  *wev;

    if (ctx->scope_delay == 0) {
        ctx->scope_waited = ngx_current_msec;
    }

    waited = ngx_current_msec - ctx->scope_waited;

    if (waited >= *slcf->scope_lookup_time) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "sf_backup: the service of partition \"%V\" could not "
                      "be resolved through \"%V\": another request's lookup "
                      "did not answer in %M ms, what a lookup may take; the "
                      "request is refused", &ctx->scope_id,
                      &slcf->scope_resolve, waited);
        ctx->scope_state = NGX_HTTP_SF_BACKUP_SCOPE_KNOWN;
        ctx->scope_reason = SFB_REASON_SCOPE_UNRESOLVED;
        return NGX_OK;
    }

    left = *slcf->scope_lookup_time - waited;

    ctx->scope_delay = ctx->scope_delay == 0
                       ? NGX_HTTP_SF_BACKUP_SCOPE_POLL_MIN
                       : ngx_min(ctx->scope_delay * 2,
                                 NGX_HTTP_SF_BACKUP_SCOPE_POLL_MAX);
    ctx->scope_delay = ngx_min(ctx->scope_delay, left);
    ctx->scope_state = NGX_HTTP_SF_BACKUP_SCOPE_WAITING;

    if (ngx_handle_read_event(r->connection->read, 0) != NGX_OK) {
        ctx->d.reason = SFB_REASON_INTERNAL_ERROR;
        ctx->scope_state = NGX_HTTP_SF_BACKUP_SCOPE_KNOWN;
        ctx->scope_reason = SFB_REASON_INTERNAL_ERROR;
        return NGX_OK;
    }

    wev = r->connection->write;

    r->read_event_handler = ngx_http_test_reading;
    r->write_event_handler = ngx_http_sf_backup_scope_wake;

    wev->delayed = 1;
    ngx_add_timer(wev, ctx->scope_delay);

    ngx_log_debug3(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup scope cache wait %M ms for \"%V\", seq:%ui",
                   ctx->scope_delay, &ctx->scope_id, ctx->scope_seq);

    return NGX_AGAIN;
}


static void
ngx_http_sf_backup_scope_wake(ngx_http_request_t *r)
{
    ngx_event_t  *wev;

    wev = r->connection->write;

    if (wev->delayed) {
        /* the connection became writable before the timer */
        if (ngx_handle_write_event(wev, 0) != NGX_OK) {
            ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        }

        return;
    }

    if (ngx_handle_read_event(r->connection->read, 0) != NGX_OK) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    r->read_event_handler = ngx_http_block_reading;
    r->write_event_handler = ngx_http_core_run_phases;

    ngx_log_debug0(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup scope woken, looking again");

    ngx_http_core_run_phases(r);
}


/* sf_backup_scope name ... | $variable; */
char *
ngx_http_sf_backup_scope(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_sf_backup_loc_conf_t *slcf = conf;

    char  *rv;

    rv = ngx_http_sf_backup_names_set(cf, cmd, &slcf->scope, &slcf->scope_cv,
                                      ngx_http_sf_backup_scope_name);

    if (rv == NGX_CONF_OK) {
        ngx_http_sf_backup_conf_at(cf, &slcf->scope_at);
    }

    return rv;
}


static ngx_int_t
ngx_http_sf_backup_scope_name(ngx_conf_t *cf, ngx_str_t *name,
    sfb_str_t *kept)
{
    ngx_str_t  *args;

    if (!sfb_scope_name_valid(name->data, name->len)) {
        args = cf->args->elts;
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\": invalid application name \"%V\": "
                           "a Service Fabric name is %s", &args[0], name,
                           ngx_http_sf_backup_scope_rule.rule);
        return NGX_ERROR;
    }

    kept->data = name->data;
    kept->len = name->len;

    return NGX_OK;
}


/* sf_backup_scope_resolve /location; */
char *
ngx_http_sf_backup_scope_resolve(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_sf_backup_loc_conf_t *slcf = conf;

    ngx_str_t  *value;

    if (slcf->scope_resolve.data != NULL) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (value[1].len < 2 || value[1].data[0] != '/'
        || value[1].data[value[1].len - 1] == '/'
        || ngx_strlchr(value[1].data, value[1].data + value[1].len, '?')
        || ngx_http_script_variables_count(&value[1]))
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\": \"%V\" must be a location's URI "
                           "prefix such as /sf_scope_resolve, without "
                           "variables, query or trailing \"/\"",
                           &cmd->name, &value[1]);
        return NGX_CONF_ERROR;
    }

    slcf->scope_resolve = value[1];
    ngx_http_sf_backup_conf_at(cf, &slcf->scope_resolve_at);

    return NGX_CONF_OK;
}


/* From merge_loc_conf: inherit, and refuse a scope no partition can meet. */
char *
ngx_http_sf_backup_scope_merge(ngx_conf_t *cf,
    ngx_http_sf_backup_loc_conf_t *prev, ngx_http_sf_backup_loc_conf_t *conf)
{
    if (conf->scope_at.line == 0) {
        conf->scope_at = prev->scope_at;
    }

    ngx_http_sf_backup_merge_list(&conf->scope, &conf->scope_cv,
                                  prev->scope, prev->scope_cv);

    if (conf->scope_resolve.data == NULL) {
        conf->scope_resolve = prev->scope_resolve;
        conf->scope_resolve_at = prev->scope_resolve_at;
    }

    if (conf->scope_zone == NGX_CONF_UNSET_PTR) {
        conf->scope_zone = prev->scope_zone;
        conf->scope_valid = prev->scope_valid;
    }

    if (conf->scope_zone == NGX_CONF_UNSET_PTR) {
        conf->scope_zone = NULL;
    }

    if (conf->scope_valid == NGX_CONF_UNSET) {
        conf->scope_valid = NGX_HTTP_SF_BACKUP_SCOPE_VALID;
    }

    /* merged at the end of the http block: cf is there, not at the scope */
    if (conf->gate != NGX_HTTP_SF_BACKUP_OFF
        && (conf->scope != NULL || conf->scope_cv != NULL)
        && conf->scope_resolve.data == NULL)
    {
        ngx_log_error(NGX_LOG_EMERG, cf->log, 0,
                      "\"sf_backup_scope\" needs "
                      "\"sf_backup_scope_resolve\": a partition's service "
                      "can only be asked of the cluster in %V:%ui",
                      &conf->scope_at.file, conf->scope_at.line);
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}
