/*
 * sf-backup-gate: the names a list directive holds, and their rules
 * (see ngx_http_sf_backup_names.h).
 */

#include "ngx_http_sf_backup_names.h"
#include "sfb_scope.h"
#include "sfb_path.h"


/* distinct names warned about per worker; then one last line, and quiet */
#define NGX_HTTP_SF_BACKUP_WARNED_MAX   64

/* the longest part of a name a warning shows */
#define NGX_HTTP_SF_BACKUP_WARN_SHOWN   64


static ngx_uint_t ngx_http_sf_backup_operation_valid(const u_char *p,
    size_t len);
static ngx_uint_t ngx_http_sf_backup_scope_valid(const u_char *p,
    size_t len);
static void ngx_http_sf_backup_warn_name(ngx_http_request_t *r,
    ngx_http_complex_value_t *cv, const ngx_http_sf_backup_name_rule_t *rule,
    sfb_str_t *name);


const ngx_http_sf_backup_name_rule_t  ngx_http_sf_backup_operation_rule = {
    "sf_backup_operations", "operation",
    "enable, disable, suspend, resume, backup, restore, read, policy, "
    "storage_query, clean or storage",
    "grants nothing",
    ngx_http_sf_backup_operation_valid
};

/* one rule for a policy's name, wherever one is given (sfb_path.h) */
const ngx_http_sf_backup_name_rule_t  ngx_http_sf_backup_policy_rule = {
    "sf_backup_policies", "policy name", SFB_POLICY_NAME_RULE,
    "allows nothing",
    ngx_http_sf_backup_policy_name_valid
};

const ngx_http_sf_backup_name_rule_t  ngx_http_sf_backup_policy_owned_rule = {
    "sf_backup_policies_owned", "policy name", SFB_POLICY_NAME_RULE,
    "owns nothing",
    ngx_http_sf_backup_policy_name_valid
};

const ngx_http_sf_backup_name_rule_t  ngx_http_sf_backup_scope_rule = {
    "sf_backup_scope", "application name",
    "\"fabric:/\" and one or more segments separated by \"/\" "
    "(fabric:/TeamA)",
    "matches nothing",
    ngx_http_sf_backup_scope_valid
};


/* per worker: hashes of the names warned about, by directive */
static uint32_t    ngx_http_sf_backup_warned[NGX_HTTP_SF_BACKUP_WARNED_MAX];
static ngx_uint_t  ngx_http_sf_backup_nwarned;


ngx_int_t
ngx_http_sf_backup_list(ngx_http_request_t *r, ngx_array_t *fixed,
    ngx_http_complex_value_t *cv, const ngx_http_sf_backup_name_rule_t *rule,
    sfb_str_t **list, size_t *n)
{
    u_char     *p, *last, *start;
    size_t      count;
    ngx_str_t   value;
    sfb_str_t  *items;

    *list = NULL;
    *n = 0;

    if (cv == NULL) {
        if (fixed != NULL) {
            *list = fixed->elts;
            *n = fixed->nelts;
        }

        return NGX_OK;
    }

    if (ngx_http_complex_value(r, cv, &value) != NGX_OK) {
        return NGX_ERROR;
    }

    /* names are separated by spaces or commas, as in a map value */
    count = 1;
    last = value.data + value.len;

    for (p = value.data; p < last; p++) {
        if (*p == ' ' || *p == ',' || *p == '\t') {
            count++;
        }
    }

    items = ngx_palloc(r->pool, count * sizeof(sfb_str_t));
    if (items == NULL) {
        return NGX_ERROR;
    }

    count = 0;
    p = value.data;

    while (p < last) {
        while (p < last && (*p == ' ' || *p == ',' || *p == '\t')) {
            p++;
        }

        start = p;

        while (p < last && *p != ' ' && *p != ',' && *p != '\t') {
            p++;
        }

        if (p == start) {
            continue;
        }

        items[count].data = start;
        items[count].len = p - start;

        if (rule != NULL && !rule->valid(start, p - start)) {
            ngx_http_sf_backup_warn_name(r, cv, rule, &items[count]);
        }

        count++;
    }

    *list = items;
    *n = count;

    return NGX_OK;
}


/*
 * Once per directive and name in this worker, and for at most
 * NGX_HTTP_SF_BACKUP_WARNED_MAX of them: a value is the operator's map,
 * but may come from a client, who must not be able to fill the log.
 * Two names with one hash share their warning.
 */
static void
ngx_http_sf_backup_warn_name(ngx_http_request_t *r,
    ngx_http_complex_value_t *cv, const ngx_http_sf_backup_name_rule_t *rule,
    sfb_str_t *name)
{
    u_char      shown[NGX_HTTP_SF_BACKUP_WARN_SHOWN];
    size_t      i, len;
    uint32_t    hash;
    ngx_uint_t  k;

    ngx_crc32_init(hash);
    ngx_crc32_update(&hash, (u_char *) rule->directive,
                     ngx_strlen(rule->directive) + 1);
    ngx_crc32_update(&hash, (u_char *) name->data, name->len);
    ngx_crc32_final(hash);

    for (k = 0; k < ngx_http_sf_backup_nwarned; k++) {
        if (ngx_http_sf_backup_warned[k] == hash) {
            return;
        }
    }

    if (ngx_http_sf_backup_nwarned == NGX_HTTP_SF_BACKUP_WARNED_MAX) {
        return;
    }

    ngx_http_sf_backup_warned[ngx_http_sf_backup_nwarned++] = hash;

    /* what the log shows of it: printable ASCII, the rest as '?' */
    len = ngx_min(name->len, NGX_HTTP_SF_BACKUP_WARN_SHOWN);

    for (i = 0; i < len; i++) {
        shown[i] = (name->data[i] >= 0x20 && name->data[i] < 0x7f
                    && name->data[i] != '"')
                   ? name->data[i] : '?';
    }

    ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                  "sf_backup: \"%s %V\": \"%*s%s\" in its value is not a "
                  "valid %s (%s) and %s%s",
                  rule->directive, &cv->value, len, shown,
                  name->len > len ? "..." : "", rule->what, rule->rule,
                  rule->effect,
                  ngx_http_sf_backup_nwarned == NGX_HTTP_SF_BACKUP_WARNED_MAX
                  ? "; no more such names are reported by this worker"
                  : "");
}


ngx_uint_t
ngx_http_sf_backup_token_valid(const u_char *p, size_t len)
{
    size_t  i;

    if (len == 0 || len > SFB_POLICY_NAME_MAX) {
        return 0;
    }

    for (i = 0; i < len; i++) {
        if (p[i] <= 0x20 || p[i] >= 0x7f
            || p[i] == '"' || p[i] == ',' || p[i] == '\\')
        {
            return 0;
        }
    }

    return 1;
}


ngx_uint_t
ngx_http_sf_backup_policy_name_valid(const u_char *p, size_t len)
{
    return sfb_policy_name_valid(p, len) != 0;
}


/*
 * A policy's name written in sf_backup_policies or _policies_owned: its
 * rule, and no comma, which separates names in a variable's value: a
 * comma here is a list the operator meant, never one name.
 */
ngx_int_t
ngx_http_sf_backup_policy_entry(ngx_conf_t *cf, ngx_str_t *name,
    sfb_str_t *kept)
{
    ngx_str_t  *args;

    args = cf->args->elts;

    if (!ngx_http_sf_backup_policy_name_valid(name->data, name->len)) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\": invalid policy name \"%V\": %s",
                           &args[0], name, SFB_POLICY_NAME_RULE);
        return NGX_ERROR;
    }

    if (ngx_strlchr(name->data, name->data + name->len, ',') != NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\": invalid policy name \"%V\": a comma "
                           "separates names in a list; give each name as an "
                           "argument of its own", &args[0], name);
        return NGX_ERROR;
    }

    kept->data = name->data;
    kept->len = name->len;

    return NGX_OK;
}


static ngx_uint_t
ngx_http_sf_backup_operation_valid(const u_char *p, size_t len)
{
    return sfb_operation_by_name(p, len) != SFB_OP_NONE;
}


static ngx_uint_t
ngx_http_sf_backup_scope_valid(const u_char *p, size_t len)
{
    return sfb_scope_name_valid(p, len) != 0;
}
