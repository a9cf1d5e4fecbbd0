/*
 * sf-backup-gate: $sf_backup_* variables, so that access_log, map and
 * limit_req can use what the gate parsed and decided.
 */

#include "ngx_http_sf_backup_common.h"


typedef enum {
    NGX_HTTP_SF_BACKUP_VAR_ENTITY = 0,
    NGX_HTTP_SF_BACKUP_VAR_ENTITY_ID,
    NGX_HTTP_SF_BACKUP_VAR_POLICY,
    NGX_HTTP_SF_BACKUP_VAR_API_VERSION,
    NGX_HTTP_SF_BACKUP_VAR_TIMEOUT,
    NGX_HTTP_SF_BACKUP_VAR_DECISION,
    NGX_HTTP_SF_BACKUP_VAR_REASON,
    NGX_HTTP_SF_BACKUP_VAR_IDENTITY,
    NGX_HTTP_SF_BACKUP_VAR_OPERATION,
    NGX_HTTP_SF_BACKUP_VAR_ENTITY_NAME
} ngx_http_sf_backup_var_e;


static ngx_int_t ngx_http_sf_backup_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);
static ngx_int_t ngx_http_sf_backup_target(ngx_http_request_t *r,
    ngx_str_t *entity, ngx_str_t *id);


static ngx_http_variable_t  ngx_http_sf_backup_vars[] = {

    { ngx_string("sf_backup_entity"), NULL, ngx_http_sf_backup_variable,
      NGX_HTTP_SF_BACKUP_VAR_ENTITY, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("sf_backup_entity_id"), NULL, ngx_http_sf_backup_variable,
      NGX_HTTP_SF_BACKUP_VAR_ENTITY_ID, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("sf_backup_policy"), NULL, ngx_http_sf_backup_variable,
      NGX_HTTP_SF_BACKUP_VAR_POLICY, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("sf_backup_api_version"), NULL, ngx_http_sf_backup_variable,
      NGX_HTTP_SF_BACKUP_VAR_API_VERSION, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("sf_backup_timeout"), NULL, ngx_http_sf_backup_variable,
      NGX_HTTP_SF_BACKUP_VAR_TIMEOUT, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("sf_backup_decision"), NULL, ngx_http_sf_backup_variable,
      NGX_HTTP_SF_BACKUP_VAR_DECISION, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("sf_backup_reason"), NULL, ngx_http_sf_backup_variable,
      NGX_HTTP_SF_BACKUP_VAR_REASON, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("sf_backup_identity"), NULL, ngx_http_sf_backup_variable,
      NGX_HTTP_SF_BACKUP_VAR_IDENTITY, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("sf_backup_operation"), NULL, ngx_http_sf_backup_variable,
      NGX_HTTP_SF_BACKUP_VAR_OPERATION, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("sf_backup_entity_name"), NULL, ngx_http_sf_backup_variable,
      NGX_HTTP_SF_BACKUP_VAR_ENTITY_NAME, NGX_HTTP_VAR_NOCACHEABLE, 0 },

      ngx_http_null_variable
};


ngx_int_t
ngx_http_sf_backup_add_variables(ngx_conf_t *cf)
{
    ngx_http_variable_t  *var, *v;

    for (v = ngx_http_sf_backup_vars; v->name.len; v++) {
        var = ngx_http_add_variable(cf, &v->name, v->flags);
        if (var == NULL) {
            return NGX_ERROR;
        }

        var->get_handler = v->get_handler;
        var->data = v->data;
    }

    return NGX_OK;
}


static ngx_int_t
ngx_http_sf_backup_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    ngx_str_t                  s, entity;
    const char                *c;
    ngx_http_sf_backup_ctx_t  *ctx;

    c = NULL;
    ngx_str_null(&s);

    ctx = ngx_http_sf_backup_get_ctx(r);

    if ((ctx == NULL || !ctx->decided)
        && (data == NGX_HTTP_SF_BACKUP_VAR_ENTITY
            || data == NGX_HTTP_SF_BACKUP_VAR_ENTITY_ID))
    {
        /* not decided yet, e.g. limit_req's key: the path alone says */
        if (ngx_http_sf_backup_target(r, &entity, &s) != NGX_OK) {
            return NGX_ERROR;
        }

        if (data == NGX_HTTP_SF_BACKUP_VAR_ENTITY) {
            s = entity;
        }

        goto done;
    }

    if (ctx == NULL || !ctx->governed) {
        v->not_found = 1;
        return NGX_OK;
    }

    switch ((ngx_http_sf_backup_var_e) data) {

    case NGX_HTTP_SF_BACKUP_VAR_ENTITY:
        c = ngx_http_sf_backup_entity(ctx);
        break;

    case NGX_HTTP_SF_BACKUP_VAR_ENTITY_ID:
        s.data = (u_char *) ctx->d.target.id;
        s.len = ctx->d.target.id_len;
        break;

    case NGX_HTTP_SF_BACKUP_VAR_POLICY:
        s.data = (u_char *) ctx->d.body.policy;
        s.len = ctx->d.body.policy_len;
        break;

    case NGX_HTTP_SF_BACKUP_VAR_API_VERSION:
        s = ngx_http_sf_backup_sfb_str(ctx->d.query.api_version);
        break;

    case NGX_HTTP_SF_BACKUP_VAR_TIMEOUT:
        if (!ctx->d.query.has_timeout) {
            break;
        }

        s.data = ngx_pnalloc(r->pool, NGX_INT64_LEN);
        if (s.data == NULL) {
            return NGX_ERROR;
        }

        s.len = ngx_sprintf(s.data, "%uL", ctx->d.query.timeout) - s.data;
        break;

    case NGX_HTTP_SF_BACKUP_VAR_DECISION:
        if (ctx->decision == NGX_HTTP_SF_BACKUP_DECISION_NONE) {
            v->not_found = 1;
            return NGX_OK;
        }

        c = ngx_http_sf_backup_decision_name(ctx->decision);
        break;

    case NGX_HTTP_SF_BACKUP_VAR_REASON:
        if (ctx->d.reason == SFB_REASON_NONE) {
            v->not_found = 1;
            return NGX_OK;
        }

        c = sfb_reason_name(ctx->d.reason);
        break;

    case NGX_HTTP_SF_BACKUP_VAR_IDENTITY:
        s = ngx_http_sf_backup_sfb_str(ctx->d.identity);
        break;

    case NGX_HTTP_SF_BACKUP_VAR_OPERATION:
        c = sfb_operation_name(ngx_http_sf_backup_operation(ctx));
        break;

    case NGX_HTTP_SF_BACKUP_VAR_ENTITY_NAME:
        /* the name team scope was checked on */
        s = ngx_http_sf_backup_sfb_str(ctx->d.entity_name);
        break;
    }

    if (c != NULL) {
        s.data = (u_char *) c;
        s.len = ngx_strlen(c);
    }

done:

    /* nothing to say is "not found": "-" in access_log, as for others */
    if (s.len == 0) {
        v->not_found = 1;
        return NGX_OK;
    }

    v->data = s.data;
    v->len = s.len;
    v->valid = 1;
    v->no_cacheable = 1;
    v->not_found = 0;

    return NGX_OK;
}


/*
 * The entity and id the gate will see, from the path alone: for variables
 * used before the gate decides (limit_req keys are computed in the preaccess
 * phase).  No ctx is made here: the gate's handler owns it.
 */
static ngx_int_t
ngx_http_sf_backup_target(ngx_http_request_t *r, ngx_str_t *entity,
    ngx_str_t *id)
{
    u_char                         *buf;
    sfb_target_t                    t;
    sfb_path_kind_e                 kind;
    ngx_http_request_t             *m;
    ngx_http_sf_backup_loc_conf_t  *slcf;

    ngx_str_null(entity);
    ngx_str_null(id);

    m = r->main;
    slcf = ngx_http_get_module_loc_conf(m, ngx_http_sf_backup_gate_module);

    if (slcf->gate == NGX_HTTP_SF_BACKUP_OFF) {
        return NGX_OK;
    }

    buf = ngx_pnalloc(r->pool, m->uri.len + 1);
    if (buf == NULL) {
        return NGX_ERROR;
    }

    kind = sfb_match_path(m->uri.data, m->uri.len, &t, buf, m->uri.len + 1);

    if (kind == SFB_PATH_BACKUP_RESTORE && !slcf->backup_restore) {
        ngx_str_set(entity, "backup_restore");

    } else if (kind == SFB_PATH_GOVERNED) {
        entity->data = (u_char *) sfb_entity_name(t.entity);
        entity->len = ngx_strlen(entity->data);

        if (t.reason == SFB_REASON_NONE) {
            id->data = (u_char *) t.id;
            id->len = t.id_len;
        }
    }

    return NGX_OK;
}


const char *
ngx_http_sf_backup_decision_name(ngx_http_sf_backup_decision_e decision)
{
    switch (decision) {
    case NGX_HTTP_SF_BACKUP_DECISION_ALLOW:
        return "allow";
    case NGX_HTTP_SF_BACKUP_DECISION_DENY:
        return "deny";
    case NGX_HTTP_SF_BACKUP_DECISION_REPORT:
        return "report";
    default:
        return "";
    }
}


ngx_str_t
ngx_http_sf_backup_sfb_str(sfb_str_t s)
{
    ngx_str_t  r;

    r.data = (u_char *) s.data;
    r.len = s.len;

    return r;
}
