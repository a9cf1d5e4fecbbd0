/*
 * sf-backup-gate: what a call carries, held to its caller's own data.
 *
 * Team scope (_scope.c) holds a call's target to the caller's entities;
 * this file holds what the call carries: the storage it names
 * (sf_backup_storages), the policy it changes (sf_backup_policies_owned),
 * the backup a restore reads (its BackupLocation's partition, resolved with
 * scope's lookup and cache) and a storage query's partition; and, with
 * sf_backup_passthrough off, what lies around the surface (_access.c
 * refuses it).
 *
 * Called by the gate (_access.c) before the body (the path's policy) and
 * after it (the rest), and by the body filter (_filter.c), which lists only
 * the caller's policies and entities in the answers it holds.  The
 * lookup's own location is _door.c's.
 */

#include "ngx_http_sf_backup_common.h"
#include "ngx_http_sf_backup_names.h"
#include "sfb_scope.h"


#define NGX_HTTP_SF_BACKUP_FILTER_POLICIES  1
#define NGX_HTTP_SF_BACKUP_FILTER_ENTITIES  2


static ngx_uint_t ngx_http_sf_backup_eq(const u_char *a, size_t alen,
    const u_char *b, size_t blen);
static ngx_int_t ngx_http_sf_backup_in_names(ngx_http_request_t *r,
    ngx_http_sf_backup_names_t *names,
    const ngx_http_sf_backup_name_rule_t *rule, const u_char *name,
    size_t len);
static ngx_int_t ngx_http_sf_backup_storage_allowed(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, const char *key);
static ngx_uint_t ngx_http_sf_backup_scoped(
    ngx_http_sf_backup_loc_conf_t *slcf);
static ngx_int_t ngx_http_sf_backup_source_decide(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx,
    sfb_reason_e lookup);


/*
 * Before the body: the policy a call names in its path.  Reading one takes
 * using or owning it; updating or deleting it, owning it.
 * NGX_OK: decided (ctx->d.reason); NGX_DECLINED: go on.
 */
ngx_int_t
ngx_http_sf_backup_data_head(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx)
{
    ngx_int_t           owns, uses;
    ngx_http_sf_backup_names_t  used;
    const sfb_route_t  *route;

    route = ctx->d.target.route;

    /* the path's policy is named already (_access.c, once it was matched) */
    if (ctx->d.target.entity != SFB_ENTITY_POLICY || !route->named) {
        return NGX_DECLINED;
    }

    owns = ngx_http_sf_backup_in_names(r, &slcf->policies_owned,
                                       &ngx_http_sf_backup_policy_owned_rule,
                                       ctx->d.target.id,
                                       ctx->d.target.id_len);
    if (owns == NGX_ERROR) {
        ctx->d.reason = SFB_REASON_INTERNAL_ERROR;
        return NGX_OK;
    }

    if (route->operation == SFB_OP_POLICY) {
        ngx_log_debug3(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "sf_backup policy \"%*s\" %s", ctx->d.target.id_len,
                       ctx->d.target.id,
                       owns == NGX_OK ? "owned" : "not owned");

        if (owns != NGX_OK) {
            ctx->d.reason = SFB_REASON_POLICY_NOT_OWNED;
            return NGX_OK;
        }

        return NGX_DECLINED;
    }

    used.fixed = slcf->policies;
    used.cv = slcf->policies_cv;

    uses = ngx_http_sf_backup_in_names(r, &used,
                                       &ngx_http_sf_backup_policy_rule,
                                       ctx->d.target.id,
                                       ctx->d.target.id_len);
    if (uses == NGX_ERROR) {
        ctx->d.reason = SFB_REASON_INTERNAL_ERROR;
        return NGX_OK;
    }

    ngx_log_debug3(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup policy \"%*s\" %s", ctx->d.target.id_len,
                   ctx->d.target.id,
                   owns == NGX_OK ? "owned"
                   : uses == NGX_OK ? "used" : "neither used nor owned");

    if (owns != NGX_OK && uses != NGX_OK) {
        ctx->d.reason = SFB_REASON_POLICY_NOT_ALLOWED;
        return NGX_OK;
    }

    return NGX_DECLINED;
}


/*
 * After the body, once everything else allowed the call: the policy it
 * creates or redefines, the storage it names, the partition whose backup
 * it restores or whose backups it queries.  NGX_OK: decided; NGX_DECLINED:
 * nothing against it; NGX_AGAIN: the partition's service is being asked.
 */
ngx_int_t
ngx_http_sf_backup_data_body(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx)
{
    ngx_int_t           rc;
    sfb_body_t         *b;
    const sfb_route_t  *route;

    b = &ctx->d.body;
    route = ctx->d.target.route;

    /* b->policy: named once the body was parsed (_access.c) */
    if (route->body == SFB_BODY_POLICY) {
        if (route->named
            && (b->name_len > SFB_POLICY_NAME_MAX
                || !ngx_http_sf_backup_eq(ctx->d.target.id,
                                          ctx->d.target.id_len,
                                          (u_char *) b->name, b->name_len)))
        {
            /* Update: the name in the path is the policy redefined */
            ngx_log_debug0(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                           "sf_backup policy body names another policy");
            ctx->d.reason = SFB_REASON_POLICY_NAME_MISMATCH;
            return NGX_OK;
        }

        rc = ngx_http_sf_backup_in_names(r, &slcf->policies_owned,
                                       &ngx_http_sf_backup_policy_owned_rule,
                                         b->policy, b->policy_len);
        if (rc == NGX_ERROR) {
            ctx->d.reason = SFB_REASON_INTERNAL_ERROR;
            return NGX_OK;
        }

        ngx_log_debug3(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "sf_backup policy \"%*s\" in body %s",
                       b->policy ? b->policy_len : 0,
                       b->policy ? b->policy : (u_char *) "",
                       rc == NGX_OK ? "owned" : "not owned");

        if (rc != NGX_OK) {
            ctx->d.reason = SFB_REASON_POLICY_NOT_OWNED;
            return NGX_OK;
        }
    }

    if (b->storage_key[0] != '\0') {
        rc = ngx_http_sf_backup_storage_allowed(r, slcf, b->storage_key);
        if (rc == NGX_ERROR) {
            ctx->d.reason = SFB_REASON_INTERNAL_ERROR;
            return NGX_OK;
        }

        /* its kind only: what names the place stays out of the log */
        ngx_log_debug3(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "sf_backup storage %*s %s", strcspn(b->storage, " "),
                       b->storage,
                       rc == NGX_OK ? "is the caller's"
                                    : "is not the caller's");

        if (rc != NGX_OK) {
            ctx->d.reason = SFB_REASON_STORAGE_NOT_ALLOWED;
            return NGX_OK;
        }
    }

    /* whose data: only where teams are told apart, and only for a call
     * whose own target is in scope (report_only reports that first) */
    if (!ngx_http_sf_backup_scoped(slcf)
        || ctx->scope_reason != SFB_REASON_NONE)
    {
        return NGX_DECLINED;
    }

    if ((route->body == SFB_BODY_RESTORE && b->source[0] != '\0')
        || (route->body == SFB_BODY_STORAGE_QUERY && b->partition[0] != '\0'))
    {
        return ngx_http_sf_backup_data_source(r, slcf, ctx);
    }

    return NGX_DECLINED;
}


/*
 * The partition a restore's BackupLocation names, or a storage query's
 * PartitionId: its service, from scope's cache or the cluster, must be the
 * caller's and agree with what the body says of it.  Called again while
 * the lookup is pending (NGX_AGAIN); NGX_OK once decided.
 */
ngx_int_t
ngx_http_sf_backup_data_source(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx)
{
    ngx_int_t     rc;
    sfb_reason_e  lookup;

    if (!ctx->source_pending) {
        /* a second lookup: the target's result is in ctx->d already */
        ctx->source_pending = 1;
        ctx->scope_state = NGX_HTTP_SF_BACKUP_SCOPE_NONE;
        ctx->scope_reason = SFB_REASON_NONE;
        ctx->scope_delay = 0;
        ctx->scope_id.data = (u_char *) (ctx->d.body.source[0] != '\0'
                                         ? ctx->d.body.source
                                         : ctx->d.body.partition);
        ctx->scope_id.len = SFB_ID_SIZE - 1;

        ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "sf_backup source partition \"%V\" of a %s",
                       &ctx->scope_id,
                       ctx->d.body.source[0] != '\0' ? "restore" : "query");
    }

    rc = ngx_http_sf_backup_scope_resolve_id(r, slcf, ctx);

    if (rc == NGX_AGAIN) {
        return NGX_AGAIN;
    }

    ctx->source_pending = 0;

    /* the source's verdict is the call's reason, never the scope's */
    lookup = ctx->scope_reason;
    ctx->scope_reason = SFB_REASON_NONE;

    if (ctx->d.reason == SFB_REASON_INTERNAL_ERROR) {
        return NGX_OK;
    }

    return ngx_http_sf_backup_source_decide(r, slcf, ctx, lookup);
}


static ngx_int_t
ngx_http_sf_backup_source_decide(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx,
    sfb_reason_e lookup)
{
    u_char                 *p, *end;
    ngx_int_t               rc;
    sfb_str_t               named;
    sfb_body_t             *b;
    const char             *why;
    sfb_backup_location_t   loc;

    if (lookup == SFB_REASON_SCOPE_UNRESOLVED) {
        /* the cluster could not say: fail closed, as for the target */
        ngx_log_debug0(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "sf_backup source unresolved");
        ctx->d.reason = SFB_REASON_SCOPE_UNRESOLVED;
        return NGX_OK;
    }

    b = &ctx->d.body;
    why = NULL;

    if (lookup == SFB_REASON_PARTITION_NOT_FOUND) {
        why = b->source[0] != '\0' ? ", which does not exist)"
                                   : ", which does not exist,";

    } else if (b->source[0] != '\0') {
        /* a location that names one service and a partition of another
         * is no one's backup (its segments as the body's check found them) */
        ngx_memzero(&loc, sizeof(sfb_backup_location_t));
        loc.app.data = (u_char *) b->location;
        loc.app.len = b->source_app;
        loc.service.data = (u_char *) b->location + b->source_app + 1;
        loc.service.len = b->source_service;

        rc = ngx_http_sf_backup_scope_covers(r, slcf, ctx->entity_name.data,
                                             ctx->entity_name.len);
        if (rc == NGX_ERROR) {
            ctx->d.reason = SFB_REASON_INTERNAL_ERROR;
            return NGX_OK;
        }

        /* covered, the name is valid: only the segments to compare */
        if (rc == NGX_OK
            && sfb_backup_location_of_valid(&loc, ctx->entity_name.data,
                                            ctx->entity_name.len))
        {
            ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                           "sf_backup source \"%V\" in scope",
                           &ctx->entity_name);
            return NGX_DECLINED;
        }

        why = sfb_backup_location_of(&loc, ctx->entity_name.data,
                                     ctx->entity_name.len)
              ? ")"
              : ", whose service the location's first segments do not "
                "name)";

    } else {
        /* a query's ServiceName (in scope already) must be the partition's,
         * the scheme in any case as names compare */
        named.data = ctx->d.entity_name.data;
        named.len = ctx->d.entity_name.len;

        if (named.len != ctx->entity_name.len
            || !sfb_scope_covers(ctx->entity_name.data, ctx->entity_name.len,
                                 &named, 1))
        {
            why = ", not one of its ServiceName's,";
        }
    }

    if (why == NULL) {
        rc = ngx_http_sf_backup_scope_covers(r, slcf, ctx->entity_name.data,
                                             ctx->entity_name.len);
        if (rc == NGX_ERROR) {
            ctx->d.reason = SFB_REASON_INTERNAL_ERROR;
            return NGX_OK;
        }

        if (rc == NGX_OK) {
            ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                           "sf_backup source \"%V\" in scope",
                           &ctx->entity_name);
            return NGX_DECLINED;
        }

        why = b->source[0] != '\0' ? ")" : "";
    }

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup source partition \"%V\" refused: %s",
                   &ctx->scope_id,
                   lookup == SFB_REASON_PARTITION_NOT_FOUND
                   ? "not found" : "not the caller's");

    /* refused: what the body named, in the message (sfb_describe()) */
    ctx->d.reason = SFB_REASON_SOURCE_OUT_OF_SCOPE;

    p = (u_char *) ctx->d.detail;
    end = p + sizeof(ctx->d.detail) - 1;

    if (b->source[0] != '\0') {
        p = ngx_snprintf(p, end - p, "Restoring the backup at "
                         "BackupLocation '%*s' (partition %s%s",
                         ngx_min(ngx_strlen(b->location), 96), b->location,
                         b->source, why);

    } else {
        p = ngx_snprintf(p, end - p, "Querying the backups of partition %s%s",
                         b->partition, why);
    }

    *p = '\0';

    return NGX_OK;
}


/*
 * The policy a call is about, for its record, its variable and its
 * messages: the path's, or the body's Name when it creates one.
 */
void
ngx_http_sf_backup_data_name(ngx_http_sf_backup_ctx_t *ctx)
{
    sfb_body_t  *b;

    if (ctx->d.target.entity != SFB_ENTITY_POLICY) {
        return;
    }

    b = &ctx->d.body;

    if (ctx->d.target.route->named) {
        b->policy = ctx->d.target.id;
        b->policy_len = ctx->d.target.id_len;

    } else if (b->name_len <= SFB_POLICY_NAME_MAX) {
        b->policy = (u_char *) b->name;
        b->policy_len = b->name_len;
    }
}


static ngx_uint_t
ngx_http_sf_backup_eq(const u_char *a, size_t alen, const u_char *b,
    size_t blen)
{
    return alen == blen && (alen == 0 || ngx_memcmp(a, b, alen) == 0);
}


/* NGX_OK: name is one of the names; NGX_DECLINED: not; NGX_ERROR */
static ngx_int_t
ngx_http_sf_backup_in_names(ngx_http_request_t *r,
    ngx_http_sf_backup_names_t *names,
    const ngx_http_sf_backup_name_rule_t *rule, const u_char *name,
    size_t len)
{
    size_t      n;
    sfb_str_t  *list;

    if (ngx_http_sf_backup_list(r, names->fixed, names->cv, rule, &list, &n)
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    /* exact bytes, as the allow-list: an empty list has nothing */
    return (len > 0 && sfb_check_policy(name, len, list, n)
                       == SFB_REASON_ALLOWED)
           ? NGX_OK : NGX_DECLINED;
}


/*
 * Whether key is one of the caller's storages: configured keys, or the
 * entries a variable gives this request, each read as nginx -t would (an
 * entry that is not one grants nothing).
 */
static ngx_int_t
ngx_http_sf_backup_storage_allowed(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, const char *key)
{
    char        entry[SFB_STORAGE_KEY_MAX], why[2];
    size_t      i, n, len;
    sfb_str_t  *list;

    if (ngx_http_sf_backup_list(r, slcf->storages.fixed, slcf->storages.cv,
                                NULL, &list, &n)
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    len = ngx_strlen(key);

    for (i = 0; i < n; i++) {
        if (slcf->storages.cv == NULL) {
            if (ngx_http_sf_backup_eq(list[i].data, list[i].len,
                                      (u_char *) key, len))
            {
                return NGX_OK;
            }

            continue;
        }

        if (sfb_storage_entry_key(list[i].data, list[i].len, entry,
                                  sizeof(entry), why, sizeof(why))
            == len
            && ngx_memcmp(entry, key, len) == 0)
        {
            return NGX_OK;
        }
    }

    return NGX_DECLINED;
}


static ngx_uint_t
ngx_http_sf_backup_scoped(ngx_http_sf_backup_loc_conf_t *slcf)
{
    return slcf->scope != NULL || slcf->scope_cv != NULL;
}


/* Which of the caller's answers the body filter cuts to the caller's own:
 * the policy list, a policy's entities (where teams are told apart). */
ngx_uint_t
ngx_http_sf_backup_data_filters(ngx_http_sf_backup_ctx_t *ctx)
{
    const sfb_route_t  *route;

    route = ctx->d.target.route;

    if (!ctx->governed || route == NULL || ctx->conf == NULL
        || ctx->conf->gate != NGX_HTTP_SF_BACKUP_ON
        || ctx->decision != NGX_HTTP_SF_BACKUP_DECISION_ALLOW
        || ctx->d.target.entity != SFB_ENTITY_POLICY
        || route->method != SFB_METHOD_GET)
    {
        return 0;
    }

    if (route->action == NULL && !route->named) {
        return NGX_HTTP_SF_BACKUP_FILTER_POLICIES;
    }

    if (route->action != NULL && ngx_http_sf_backup_scoped(ctx->conf)) {
        return NGX_HTTP_SF_BACKUP_FILTER_ENTITIES;
    }

    return 0;
}


/*
 * The answer (whole, in hand) with only the caller's policies or entities:
 * malloc()ed as the core gives it, or NULL if it cannot be read (then
 * nothing of it may be sent).
 */
char *
ngx_http_sf_backup_data_filter(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, u_char *in, size_t len, size_t *out_len)
{
    size_t                          n, m;
    sfb_str_t                      *list, *owned, *all;
    ngx_http_sf_backup_loc_conf_t  *slcf;

    slcf = ctx->conf;

    if (ngx_http_sf_backup_data_filters(ctx)
        == NGX_HTTP_SF_BACKUP_FILTER_ENTITIES)
    {
        if (ngx_http_sf_backup_list(r, slcf->scope, slcf->scope_cv,
                                    &ngx_http_sf_backup_scope_rule, &list,
                                    &n)
            != NGX_OK)
        {
            return NULL;
        }

        ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "sf_backup listing cut to %uz scope names", n);

        return sfb_filter_entity_list(in, len, list, n, out_len);
    }

    /* the policies the caller uses or owns */
    if (ngx_http_sf_backup_list(r, slcf->policies, slcf->policies_cv,
                                &ngx_http_sf_backup_policy_rule, &list, &n)
        != NGX_OK
        || ngx_http_sf_backup_list(r, slcf->policies_owned.fixed,
                                   slcf->policies_owned.cv,
                                   &ngx_http_sf_backup_policy_owned_rule,
                                   &owned, &m)
           != NGX_OK)
    {
        return NULL;
    }

    all = ngx_palloc(r->pool, (n + m + 1) * sizeof(sfb_str_t));
    if (all == NULL) {
        return NULL;
    }

    /* either list may be empty, and then NULL */
    if (n) {
        ngx_memcpy(all, list, n * sizeof(sfb_str_t));
    }

    if (m) {
        ngx_memcpy(all + n, owned, m * sizeof(sfb_str_t));
    }

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup listing cut to %uz used and %uz owned policies",
                   n, m);

    return sfb_filter_policy_list(in, len, all, n + m, out_len);
}


/* sf_backup_storages entry ...: each must name one place */
ngx_int_t
ngx_http_sf_backup_storage_entry(ngx_conf_t *cf, ngx_str_t *name,
    sfb_str_t *kept)
{
    u_char      *p;
    size_t       len;
    ngx_str_t   *args;
    char         key[SFB_STORAGE_KEY_MAX], why[256];

    args = cf->args->elts;

    len = sfb_storage_entry_key(name->data, name->len, key, sizeof(key), why,
                                sizeof(why));
    if (len == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\": invalid storage \"%V\": %s; a storage "
                           "is https://<account>.blob.<suffix>/<container>, "
                           "file://<server>/<share>[/<folder>...] or "
                           "dsms:<location>#<container>",
                           &args[0], name, why);
        return NGX_ERROR;
    }

    p = ngx_pnalloc(cf->pool, len);
    if (p == NULL) {
        return NGX_ERROR;
    }

    ngx_memcpy(p, key, len);
    kept->data = p;
    kept->len = len;

    return NGX_OK;
}


/* From merge_loc_conf: inherit; the lookup's location is noted for
 * nginx -t (_door.c) */
char *
ngx_http_sf_backup_data_merge(ngx_conf_t *cf,
    ngx_http_sf_backup_loc_conf_t *prev, ngx_http_sf_backup_loc_conf_t *conf)
{
    /* none at all: nothing is the caller's (fail closed) */
    ngx_http_sf_backup_merge_list(&conf->storages.fixed, &conf->storages.cv,
                                  prev->storages.fixed, prev->storages.cv);
    ngx_http_sf_backup_merge_list(&conf->policies_owned.fixed,
                                  &conf->policies_owned.cv,
                                  prev->policies_owned.fixed,
                                  prev->policies_owned.cv);
    ngx_conf_merge_value(conf->passthrough, prev->passthrough, 1);

    return ngx_http_sf_backup_door_merge(cf, conf);
}
