/*
 * sf-backup-gate: the location of the gate's own lookups
 * (sf_backup_scope_resolve) is no door.  nginx -t finds the location
 * nginx would choose for a lookup, as nginx itself chooses one, and
 * requires it to be internal; the gate (_access.c) refuses there every
 * request that is not one of its lookups.  What a lookup through it may
 * take is read there too: how long a request waits on another's lookup
 * (_scope.c, _scope_cache.c).
 */

#include "ngx_http_sf_backup_common.h"


/* a partition no cluster has: what nginx -t looks up for the lookup */
#define NGX_HTTP_SF_BACKUP_PROBE                                              \
    "/Partitions/00000000-0000-0000-0000-000000000000/$/GetServiceName"

/* what a lookup may take where the proxy module is not: its defaults */
#define NGX_HTTP_SF_BACKUP_LOOKUP_TIME      (3 * 60000)


static ngx_http_core_loc_conf_t *ngx_http_sf_backup_find_location(
    ngx_http_core_loc_conf_t *pclcf, ngx_str_t *uri, ngx_uint_t *final);
static ngx_http_core_loc_conf_t *ngx_http_sf_backup_find_static(
    ngx_http_location_tree_node_t *node, ngx_str_t *uri, ngx_uint_t *exact);
static ngx_msec_t ngx_http_sf_backup_lookup_time(ngx_conf_t *cf,
    ngx_http_core_loc_conf_t *clcf);


/*
 * The lookup's own location: only the gate's lookups may pass.  NGX_OK:
 * refuse this request; NGX_DECLINED: not that location, or our lookup.
 */
ngx_int_t
ngx_http_sf_backup_door(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf)
{
    ngx_http_sf_backup_ctx_t  *pctx;

    if (!slcf->resolve_location) {
        return NGX_DECLINED;
    }

    if (r != r->main && r->parent == r->main) {
        pctx = ngx_http_sf_backup_get_ctx(r->parent);

        if (pctx != NULL
            && pctx->scope_state == NGX_HTTP_SF_BACKUP_SCOPE_LOOKING)
        {
            ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                           "sf_backup door: the gate's lookup \"%V\" passes",
                           &r->uri);
            return NGX_DECLINED;
        }
    }

    ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                  "sf_backup: \"%V\" reached the location of the gate's own "
                  "lookups (sf_backup_scope_resolve) from outside; refused",
                  &r->uri);

    return NGX_OK;
}


/*
 * From merge_loc_conf: a gate that asks the cluster through a prefix; where
 * it lands is known once every location is (ngx_http_sf_backup_check_resolve)
 */
char *
ngx_http_sf_backup_door_merge(ngx_conf_t *cf,
    ngx_http_sf_backup_loc_conf_t *conf)
{
    ngx_uint_t                       i;
    ngx_http_core_srv_conf_t        *cscf;
    ngx_http_sf_backup_resolver_t   *rs;
    ngx_http_sf_backup_main_conf_t  *smcf;

    if (conf->gate == NGX_HTTP_SF_BACKUP_OFF
        || conf->scope_resolve.data == NULL)
    {
        return NGX_CONF_OK;
    }

    smcf = ngx_http_conf_get_module_main_conf(cf,
                                              ngx_http_sf_backup_gate_module);
    cscf = ngx_http_conf_get_module_srv_conf(cf, ngx_http_core_module);

    rs = smcf->resolvers.elts;

    for (i = 0; i < smcf->resolvers.nelts; i++) {
        if (rs[i].cscf == cscf
            && rs[i].slcf->scope_resolve.len == conf->scope_resolve.len
            && ngx_strncmp(rs[i].slcf->scope_resolve.data,
                           conf->scope_resolve.data,
                           conf->scope_resolve.len) == 0)
        {
            conf->scope_lookup_time = rs[i].lookup_time;
            return NGX_CONF_OK;
        }
    }

    rs = ngx_array_push(&smcf->resolvers);
    if (rs == NULL) {
        return NGX_CONF_ERROR;
    }

    rs->cscf = cscf;
    rs->slcf = conf;

    rs->lookup_time = ngx_palloc(cf->pool, sizeof(ngx_msec_t));
    if (rs->lookup_time == NULL) {
        return NGX_CONF_ERROR;
    }

    *rs->lookup_time = NGX_HTTP_SF_BACKUP_LOOKUP_TIME;
    conf->scope_lookup_time = rs->lookup_time;

    return NGX_CONF_OK;
}


/*
 * At postconfiguration, with every location tree built: the location each
 * sf_backup_scope_resolve prefix reaches must be internal, or any client
 * could send any call through it; the gate marks it, and refuses there
 * every request that is not its own lookup.
 */
ngx_int_t
ngx_http_sf_backup_check_resolve(ngx_conf_t *cf)
{
    u_char                          *p;
    ngx_str_t                        uri;
    ngx_uint_t                       i, final;
    ngx_http_core_loc_conf_t        *pclcf, *clcf;
    ngx_http_sf_backup_resolver_t   *rs;
    ngx_http_sf_backup_loc_conf_t   *slcf;
    ngx_http_sf_backup_main_conf_t  *smcf;

    smcf = ngx_http_conf_get_module_main_conf(cf,
                                              ngx_http_sf_backup_gate_module);
    rs = smcf->resolvers.elts;

    for (i = 0; i < smcf->resolvers.nelts; i++) {
        slcf = rs[i].slcf;

        uri.len = slcf->scope_resolve.len + sizeof(NGX_HTTP_SF_BACKUP_PROBE)
                  - 1;
        uri.data = ngx_pnalloc(cf->pool, uri.len);
        if (uri.data == NULL) {
            return NGX_ERROR;
        }

        p = ngx_cpymem(uri.data, slcf->scope_resolve.data,
                       slcf->scope_resolve.len);
        ngx_memcpy(p, NGX_HTTP_SF_BACKUP_PROBE,
                   sizeof(NGX_HTTP_SF_BACKUP_PROBE) - 1);

        pclcf = rs[i].cscf->ctx->loc_conf[ngx_http_core_module.ctx_index];

        clcf = ngx_http_sf_backup_find_location(pclcf, &uri, &final);

        if (clcf == NULL) {
            ngx_log_error(NGX_LOG_EMERG, cf->log, 0,
                          "\"sf_backup_scope_resolve %V\": no location of "
                          "the server serves \"%V/...\": add an internal "
                          "location that proxies it to the cluster in "
                          "%V:%ui", &slcf->scope_resolve,
                          &slcf->scope_resolve,
                          &slcf->scope_resolve_at.file,
                          slcf->scope_resolve_at.line);
            return NGX_ERROR;
        }

        if (!clcf->internal) {
            ngx_log_error(NGX_LOG_EMERG, cf->log, 0,
                          "\"sf_backup_scope_resolve %V\": the location "
                          "\"%V\" that serves it is not internal: add "
                          "\"internal;\" to it, or any client could send "
                          "any call through it unchecked in %V:%ui",
                          &slcf->scope_resolve, &clcf->name,
                          &slcf->scope_resolve_at.file,
                          slcf->scope_resolve_at.line);
            return NGX_ERROR;
        }

        *rs[i].lookup_time = ngx_http_sf_backup_lookup_time(cf, clcf);

        slcf = clcf->loc_conf[ngx_http_sf_backup_gate_module.ctx_index];
        slcf->resolve_location = 1;
    }

    return NGX_OK;
}


/*
 * What a lookup through clcf may take: its proxy_connect_timeout,
 * proxy_send_timeout and proxy_read_timeout added up, read where the proxy
 * module's own directives put them (an ngx_conf_set_msec_slot's offset in
 * its location conf, merged by now).
 */
static ngx_msec_t
ngx_http_sf_backup_lookup_time(ngx_conf_t *cf, ngx_http_core_loc_conf_t *clcf)
{
    u_char         *conf;
    ngx_str_t      *name;
    ngx_uint_t      i;
    ngx_msec_t      time;
    ngx_module_t   *m;
    ngx_command_t  *cmd;

    static ngx_str_t  timeouts[] = {
        ngx_string("proxy_connect_timeout"),
        ngx_string("proxy_send_timeout"),
        ngx_string("proxy_read_timeout"),
        ngx_null_string
    };

    m = NULL;

    for (i = 0; cf->cycle->modules[i]; i++) {
        if (ngx_strcmp(cf->cycle->modules[i]->name, "ngx_http_proxy_module")
            == 0)
        {
            m = cf->cycle->modules[i];
            break;
        }
    }

    if (m == NULL || m->type != NGX_HTTP_MODULE) {
        return NGX_HTTP_SF_BACKUP_LOOKUP_TIME;
    }

    conf = clcf->loc_conf[m->ctx_index];
    time = 0;

    for (cmd = m->commands; cmd->name.len; cmd++) {

        if (cmd->set != ngx_conf_set_msec_slot
            || cmd->conf != NGX_HTTP_LOC_CONF_OFFSET)
        {
            continue;
        }

        for (name = timeouts; name->len; name++) {
            if (cmd->name.len == name->len
                && ngx_strncmp(cmd->name.data, name->data, name->len) == 0)
            {
                time += *(ngx_msec_t *) (conf + cmd->offset);
            }
        }
    }

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, cf->log, 0,
                   "sf_backup: a lookup through \"%V\" may take %M ms",
                   &clcf->name, time);

    return time ? time : NGX_HTTP_SF_BACKUP_LOOKUP_TIME;
}


/*
 * The location nginx would choose for uri among pclcf's, as its
 * ngx_http_core_find_location() does: the longest prefix (an exact one
 * ends the search, "^~" skips the regular expressions), its nested
 * locations, then the first regular expression that matches.  NULL: none
 * (the server itself serves it).  *final: exact or a regex.
 */
static ngx_http_core_loc_conf_t *
ngx_http_sf_backup_find_location(ngx_http_core_loc_conf_t *pclcf,
    ngx_str_t *uri, ngx_uint_t *final)
{
    ngx_uint_t                  exact, noregex, nested_final;
    ngx_http_core_loc_conf_t   *found, *nested;
#if (NGX_PCRE)
    ngx_http_core_loc_conf_t  **clcfp;
#endif

    *final = 0;
    noregex = 0;

    found = ngx_http_sf_backup_find_static(pclcf->static_locations, uri,
                                           &exact);
    if (found != NULL) {
        if (exact) {
            *final = 1;
            return found;
        }

        noregex = found->noregex;

        nested = ngx_http_sf_backup_find_location(found, uri, &nested_final);
        if (nested != NULL) {
            found = nested;

            if (nested_final) {
                *final = 1;
                return found;
            }
        }
    }

#if (NGX_PCRE)
    if (!noregex && pclcf->regex_locations) {
        for (clcfp = pclcf->regex_locations; *clcfp; clcfp++) {
            if (ngx_regex_exec((*clcfp)->regex->regex, uri, NULL, 0) < 0) {
                continue;
            }

            nested = ngx_http_sf_backup_find_location(*clcfp, uri,
                                                      &nested_final);
            *final = 1;

            return nested ? nested : *clcfp;
        }
    }
#endif

    return found;
}


/* ngx_http_core_find_static_location(), without a request */
static ngx_http_core_loc_conf_t *
ngx_http_sf_backup_find_static(ngx_http_location_tree_node_t *node,
    ngx_str_t *uri, ngx_uint_t *exact)
{
    size_t                     len, n;
    u_char                    *p;
    ngx_int_t                  rc;
    ngx_http_core_loc_conf_t  *found;

    p = uri->data;
    len = uri->len;
    found = NULL;
    *exact = 0;

    while (node != NULL) {
        n = (len <= (size_t) node->len) ? len : node->len;

        rc = ngx_filename_cmp(p, node->name, n);

        if (rc != 0) {
            node = (rc < 0) ? node->left : node->right;
            continue;
        }

        if (len > (size_t) node->len) {
            if (node->inclusive) {
                found = node->inclusive;
                node = node->tree;
                p += n;
                len -= n;
                continue;
            }

            /* exact only */
            node = node->right;
            continue;
        }

        if (len == (size_t) node->len) {
            if (node->exact) {
                *exact = 1;
                return node->exact;
            }

            return node->inclusive;
        }

        /* len < node->len */
        node = node->left;
    }

    return found;
}
