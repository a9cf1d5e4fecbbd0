/*
 * sf-backup-gate: the names a list directive holds, and their rules.
 *
 * sf_backup_operations, sf_backup_policies, sf_backup_policies_owned and
 * sf_backup_scope hold names written in the directive, checked when nginx
 * reads it, or one variable whose value is a list read per request.  Each
 * kind of name has one rule, used both ways: a name written in the
 * directive that breaks it fails "nginx -t"; one in a variable's value
 * grants nothing, and is named in a warning (once per name and worker) so
 * that a typo in a map is not a silent 403.
 */

#ifndef NGX_HTTP_SF_BACKUP_NAMES_H
#define NGX_HTTP_SF_BACKUP_NAMES_H


#include "ngx_http_sf_backup_common.h"


typedef struct {
    const char   *directive;
    const char   *what;         /* "operation", "policy name", ... */
    const char   *rule;         /* what a valid one is, for the warning */
    const char   *effect;       /* what an invalid one in a value does */
    ngx_uint_t  (*valid)(const u_char *name, size_t len);
} ngx_http_sf_backup_name_rule_t;


extern const ngx_http_sf_backup_name_rule_t
    ngx_http_sf_backup_operation_rule;
extern const ngx_http_sf_backup_name_rule_t
    ngx_http_sf_backup_policy_rule;             /* sf_backup_policies */
extern const ngx_http_sf_backup_name_rule_t
    ngx_http_sf_backup_policy_owned_rule;       /* ..._policies_owned */
extern const ngx_http_sf_backup_name_rule_t
    ngx_http_sf_backup_scope_rule;


/*
 * A list in force: the names fixed at configuration, or this request's
 * value of the variable, split at spaces, tabs and commas.  With a rule,
 * a name of the value that breaks it is warned about (and kept: it
 * matches nothing an allow-list is compared with).
 */
ngx_int_t ngx_http_sf_backup_list(ngx_http_request_t *r, ngx_array_t *fixed,
    ngx_http_complex_value_t *cv, const ngx_http_sf_backup_name_rule_t *rule,
    sfb_str_t **list, size_t *n);

/* printable ASCII but space, '"', ',' and '\', 1 to SFB_POLICY_NAME_MAX
 * bytes: what sf_backup_api_versions takes */
ngx_uint_t ngx_http_sf_backup_token_valid(const u_char *p, size_t len);

/* a policy's name, by the one rule a path, a body and the allow-lists
 * share (sfb_policy_name_valid()) */
ngx_uint_t ngx_http_sf_backup_policy_name_valid(const u_char *p, size_t len);

/* A name written in sf_backup_policies or _policies_owned, kept: the same
 * rule, and no comma (a variable's value splits there); NGX_ERROR, said at
 * the directive, for one that breaks either. */
ngx_int_t ngx_http_sf_backup_policy_entry(ngx_conf_t *cf, ngx_str_t *name,
    sfb_str_t *kept);


#endif /* NGX_HTTP_SF_BACKUP_NAMES_H */
