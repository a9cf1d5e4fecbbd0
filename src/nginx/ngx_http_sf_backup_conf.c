/*
 * sf-backup-gate: the directive setters and configuration checks of the
 * gate's rules (the contract's versions, timeout range, allow-lists and
 * identity), and the checks that only the whole http block shows (audit
 * files and keys).  The command table is in _gate_module.c.
 */

#include "ngx_http_sf_backup_common.h"
#include "ngx_http_sf_backup_names.h"
#include "ngx_http_sf_backup_audit.h"


static ngx_int_t ngx_http_sf_backup_check_token(ngx_conf_t *cf,
    ngx_str_t *value, const char *what);
static ngx_int_t ngx_http_sf_backup_check_api_version(ngx_conf_t *cf,
    ngx_str_t *value);
static ngx_int_t ngx_http_sf_backup_operation_name(ngx_conf_t *cf,
    ngx_str_t *name, sfb_str_t *kept);
/*
 * An audit file no other log writes into: its entry in cycle->open_files,
 * hidden from lookups by name while the block was read (see
 * ngx_http_sf_backup_audit_file()), is visible again, and any other entry
 * with its name is a log declared after it.
 */
ngx_int_t
ngx_http_sf_backup_check_audit_files(ngx_conf_t *cf,
    ngx_http_sf_backup_main_conf_t *smcf)
{
    ngx_uint_t                       i, j, k;
    ngx_list_part_t                 *part;
    ngx_open_file_t                 *file, *own;
    ngx_http_sf_backup_audit_t     **audits;
    ngx_http_sf_backup_loc_conf_t  **blocks;

    audits = smcf->audits.elts;

    for (i = 0; i < smcf->audits.nelts; i++) {
        if (audits[i]->file != NULL) {
            audits[i]->file->name.len--;
        }
    }

    blocks = smcf->audit_blocks.elts;

    for (i = 0; i < smcf->audits.nelts; i++) {
        own = audits[i]->file;

        if (own == NULL) {
            continue;
        }

        part = &cf->cycle->open_files.part;
        file = part->elts;

        for (j = 0; /* void */ ; j++) {

            if (j >= part->nelts) {
                if (part->next == NULL) {
                    break;
                }

                part = part->next;
                file = part->elts;
                j = 0;
            }

            if (&file[j] == own || file[j].name.len != own->name.len
                || ngx_strncmp(file[j].name.data, own->name.data,
                               own->name.len) != 0)
            {
                continue;
            }

            for (k = 0; blocks[k]->audit != audits[i]; k++) {
                /* void: every audit has the block that named it first */
            }

            ngx_log_error(NGX_LOG_EMERG, cf->log, 0,
                          "audit log \"%V\" is used by another log "
                          "declared after it (access_log, error_log, ...): "
                          "\"sf_backup_audit_log\" must have its file to "
                          "itself in %V:%ui",
                          &audits[i]->name, &blocks[k]->audit_at.file,
                          blocks[k]->audit_at.line);
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}


/* one audit file, one chain: sealed in every block that names it, or none */
ngx_int_t
ngx_http_sf_backup_check_audit_keys(ngx_conf_t *cf,
    ngx_http_sf_backup_main_conf_t *smcf)
{
    ngx_uint_t                       i, j;
    ngx_http_sf_backup_loc_conf_t  **blocks, *keyed, *unkeyed;

    blocks = smcf->audit_blocks.elts;

    for (i = 0; i < smcf->audit_blocks.nelts; i++) {
        for (j = i + 1; j < smcf->audit_blocks.nelts; j++) {

            if (blocks[i]->audit != blocks[j]->audit
                || (blocks[i]->audit_keyed != 0)
                   == (blocks[j]->audit_keyed != 0))
            {
                continue;
            }

            keyed = blocks[i]->audit_keyed ? blocks[i] : blocks[j];
            unkeyed = blocks[i]->audit_keyed ? blocks[j] : blocks[i];

            ngx_log_error(NGX_LOG_EMERG, cf->log, 0,
                          "audit log \"%V\" is sealed with \"%s\" in "
                          "%V:%ui but not where \"sf_backup_audit_log\" "
                          "names it again: every block that names an audit "
                          "file must give the same key, or none, in %V:%ui",
                          &blocks[i]->audit->name,
                          blocks[i]->audit->seal_path.len
                          ? "sf_backup_audit_seal" : "sf_backup_audit_key",
                          &keyed->audit_at.file,
                          keyed->audit_at.line, &unkeyed->audit_at.file,
                          unkeyed->audit_at.line);
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}


/*
 * api-version values: printable ASCII without spaces, quotes or
 * separators, so that what the operator wrote is what is compared.
 */
static ngx_int_t
ngx_http_sf_backup_check_token(ngx_conf_t *cf, ngx_str_t *value,
    const char *what)
{
    ngx_str_t  *args;

    args = cf->args->elts;

    if (value->len == 0 || value->len > SFB_POLICY_NAME_MAX) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\": invalid %s \"%V\": must be 1 to %d "
                           "characters", &args[0], what, value,
                           SFB_POLICY_NAME_MAX);
        return NGX_ERROR;
    }

    if (!ngx_http_sf_backup_token_valid(value->data, value->len)) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\": invalid %s \"%V\": only printable "
                           "ASCII without spaces, quotes, commas or "
                           "backslashes", &args[0], what, value);
        return NGX_ERROR;
    }

    return NGX_OK;
}


/*
 * Service Fabric's REST api-versions: MAJOR.MINOR, "-preview" for a version
 * that was (6.2-preview, 6.4, 7.0, 8.2), so that a typo is not a version no
 * client ever sends.
 */
static ngx_int_t
ngx_http_sf_backup_check_api_version(ngx_conf_t *cf, ngx_str_t *value)
{
    u_char      *p, *last;
    ngx_str_t   *args;
    ngx_uint_t   part, digits;

    if (ngx_http_sf_backup_check_token(cf, value, "api-version") != NGX_OK) {
        return NGX_ERROR;
    }

    p = value->data;
    last = p + value->len;

    if (value->len > sizeof("-preview") - 1
        && ngx_strncmp(last - (sizeof("-preview") - 1), "-preview",
                       sizeof("-preview") - 1)
           == 0)
    {
        last -= sizeof("-preview") - 1;
    }

    for (part = 0; part < 2; part++) {

        for (digits = 0; p < last && *p >= '0' && *p <= '9'; p++) {
            digits++;
        }

        if (digits == 0 || digits > 3) {
            goto invalid;
        }

        if (part == 0) {
            if (p == last || *p != '.') {
                goto invalid;
            }

            p++;
        }
    }

    if (p == last) {
        return NGX_OK;
    }

invalid:

    args = cf->args->elts;

    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                       "\"%V\": invalid api-version \"%V\": a Service "
                       "Fabric REST version is MAJOR.MINOR, optionally "
                       "with \"-preview\" (6.2-preview, 6.4, 7.0)",
                       &args[0], value);
    return NGX_ERROR;
}


/*
 * The bounds of a size directive, said in bytes and with the value given,
 * e.g. "sf_backup_max_body" must be between 1 and 1048576 bytes (1m).
 */
char *
ngx_http_sf_backup_check_size(ngx_conf_t *cf, void *post, void *data)
{
    ngx_http_sf_backup_size_bounds_t  *bounds = post;
    size_t                            *sp = data;

    u_char      buf[NGX_INT_T_LEN + 2], *end;
    ngx_str_t  *value;

    if (*sp >= bounds->low && (bounds->high == 0 || *sp <= bounds->high)) {
        return NGX_CONF_OK;
    }

    value = cf->args->elts;

    if (bounds->high == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\" must be at least %uz byte%s, not \"%V\"",
                           &value[0], bounds->low,
                           bounds->low == 1 ? "" : "s", &value[1]);
        return NGX_CONF_ERROR;
    }

    if (bounds->high % (1024 * 1024) == 0) {
        end = ngx_sprintf(buf, "%uzm", bounds->high / (1024 * 1024));

    } else if (bounds->high % 1024 == 0) {
        end = ngx_sprintf(buf, "%uzk", bounds->high / 1024);

    } else {
        end = ngx_sprintf(buf, "%uz", bounds->high);
    }

    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                       "\"%V\" must be between %uz and %uz bytes (%*s), "
                       "not \"%V\"", &value[0], bounds->low, bounds->high,
                       (size_t) (end - buf), buf, &value[1]);
    return NGX_CONF_ERROR;
}


char *
ngx_http_sf_backup_api_versions(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_sf_backup_loc_conf_t *slcf = conf;

    ngx_str_t   *value;
    sfb_str_t   *v;
    ngx_uint_t   i;

    if (slcf->api_versions != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;

    slcf->api_versions = ngx_array_create(cf->pool, cf->args->nelts - 1,
                                          sizeof(sfb_str_t));
    if (slcf->api_versions == NULL) {
        return NGX_CONF_ERROR;
    }

    for (i = 1; i < cf->args->nelts; i++) {
        if (ngx_http_sf_backup_check_api_version(cf, &value[i]) != NGX_OK) {
            return NGX_CONF_ERROR;
        }

        v = ngx_array_push(slcf->api_versions);
        if (v == NULL) {
            return NGX_CONF_ERROR;
        }

        v->data = value[i].data;
        v->len = value[i].len;
    }

    return NGX_CONF_OK;
}


char *
ngx_http_sf_backup_upstream_api_version(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_sf_backup_loc_conf_t *slcf = conf;

    ngx_str_t  *value;

    if (slcf->upstream_api_version.data != NULL) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (ngx_http_sf_backup_check_api_version(cf, &value[1]) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    slcf->upstream_api_version = value[1];

    return NGX_CONF_OK;
}


char *
ngx_http_sf_backup_timeout(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_sf_backup_loc_conf_t *slcf = conf;

    u_char      *p;
    uint64_t     n[2];
    ngx_str_t   *value;
    ngx_uint_t   i;

    if (slcf->timeout_min != NGX_CONF_UNSET_UINT) {
        return "is duplicate";
    }

    value = cf->args->elts;

    for (i = 0; i < 2; i++) {
        n[i] = 0;

        if (value[i + 1].len == 0 || value[i + 1].len > 10) {
            goto invalid;
        }

        for (p = value[i + 1].data; p < value[i + 1].data + value[i + 1].len;
             p++)
        {
            if (*p < '0' || *p > '9') {
                goto invalid;
            }

            n[i] = n[i] * 10 + (*p - '0');
        }

        /* the REST contract */
        if (n[i] < SFB_TIMEOUT_MIN || n[i] > SFB_TIMEOUT_MAX) {
            goto invalid;
        }
    }

    if (n[0] > n[1]) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\": the minimum %V is above the maximum %V",
                           &cmd->name, &value[1], &value[2]);
        return NGX_CONF_ERROR;
    }

    slcf->timeout_min = n[0];
    slcf->timeout_max = n[1];

    return NGX_CONF_OK;

invalid:

    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                       "\"%V\": \"%V\" is not a number of seconds "
                       "between %uL and %uL",
                       &cmd->name, &value[i + 1],
                       (uint64_t) SFB_TIMEOUT_MIN, (uint64_t) SFB_TIMEOUT_MAX);
    return NGX_CONF_ERROR;
}


/* A list directive's one argument with variables: compiled. */
ngx_http_complex_value_t *
ngx_http_sf_backup_list_variable(ngx_conf_t *cf, ngx_str_t *value)
{
    ngx_http_complex_value_t          *cv;
    ngx_http_compile_complex_value_t   ccv;

    cv = ngx_palloc(cf->pool, sizeof(ngx_http_complex_value_t));
    if (cv == NULL) {
        return NULL;
    }

    ngx_memzero(&ccv, sizeof(ngx_http_compile_complex_value_t));

    ccv.cf = cf;
    ccv.value = value;
    ccv.complex_value = cv;

    if (ngx_http_compile_complex_value(&ccv) != NGX_OK) {
        return NULL;
    }

    return cv;
}


/*
 * The operations a caller may use: names (checked now) or one variable,
 * a space- or comma-separated list per request, as a map gives it.
 */
char *
ngx_http_sf_backup_operations(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_sf_backup_loc_conf_t *slcf = conf;

    char         *rv;
    sfb_str_t    *name;
    ngx_uint_t    i;
    ngx_array_t  *fixed;

    if (slcf->operations != NGX_CONF_UNSET_UINT) {
        return "is duplicate";
    }

    fixed = NGX_CONF_UNSET_PTR;

    rv = ngx_http_sf_backup_names_set(cf, cmd, &fixed, &slcf->operations_cv,
                                      ngx_http_sf_backup_operation_name);
    if (rv != NGX_CONF_OK) {
        return rv;
    }

    slcf->operations = 0;

    if (fixed == NULL) {
        return NGX_CONF_OK;
    }

    name = fixed->elts;

    for (i = 0; i < fixed->nelts; i++) {
        slcf->operations |= SFB_OP_BIT(sfb_operation_by_name(name[i].data,
                                                             name[i].len));
    }

    return NGX_CONF_OK;
}


static ngx_int_t
ngx_http_sf_backup_operation_name(ngx_conf_t *cf, ngx_str_t *name,
    sfb_str_t *kept)
{
    ngx_str_t  *args;

    if (sfb_operation_by_name(name->data, name->len) == SFB_OP_NONE) {
        args = cf->args->elts;
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "unknown operation \"%V\" in \"%V\": it "
                           "must be %s", name, &args[0],
                           ngx_http_sf_backup_operation_rule.rule);
        return NGX_ERROR;
    }

    kept->data = name->data;
    kept->len = name->len;

    return NGX_OK;
}


char *
ngx_http_sf_backup_policies(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_sf_backup_loc_conf_t *slcf = conf;

    ngx_http_sf_backup_main_conf_t  *smcf;

    smcf = ngx_http_conf_get_module_main_conf(cf,
                                              ngx_http_sf_backup_gate_module);
    smcf->policies_set = 1;

    return ngx_http_sf_backup_names_set(cf, cmd, &slcf->policies,
                                        &slcf->policies_cv,
                                        ngx_http_sf_backup_policy_entry);
}


/*
 * A list directive: names (each checked by cmd->post now) or one variable,
 * a space- or comma-separated list per request.
 */
char *
ngx_http_sf_backup_names(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    char  *p = conf;

    ngx_http_sf_backup_names_t       *names;
    ngx_http_sf_backup_names_post_t  *post;

    names = (ngx_http_sf_backup_names_t *) (p + cmd->offset);
    post = cmd->post;

    return ngx_http_sf_backup_names_set(cf, cmd, &names->fixed, &names->cv,
                                        post->check);
}


/* A list directive inherited whole, names or variable; unset: none */
void
ngx_http_sf_backup_merge_list(ngx_array_t **fixed,
    ngx_http_complex_value_t **cv, ngx_array_t *prev_fixed,
    ngx_http_complex_value_t *prev_cv)
{
    if (*fixed == NGX_CONF_UNSET_PTR && *cv == NGX_CONF_UNSET_PTR) {
        *fixed = prev_fixed;
        *cv = prev_cv;
    }

    if (*fixed == NGX_CONF_UNSET_PTR) {
        *fixed = NULL;
    }

    if (*cv == NGX_CONF_UNSET_PTR) {
        *cv = NULL;
    }
}


/*
 * What every list directive does (sf_backup_policies, sf_backup_scope,
 * sf_backup_storages, ...): names checked one by one by check, which gives
 * what is kept of each, or one variable whose value is read per request.
 */
char *
ngx_http_sf_backup_names_set(ngx_conf_t *cf, ngx_command_t *cmd,
    ngx_array_t **fixed, ngx_http_complex_value_t **cv,
    ngx_http_sf_backup_name_check_pt check)
{
    sfb_str_t   *kept;
    ngx_str_t   *value;
    ngx_uint_t   i;

    if (*fixed != NGX_CONF_UNSET_PTR || *cv != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (cf->args->nelts == 2 && ngx_http_script_variables_count(&value[1])) {
        *cv = ngx_http_sf_backup_list_variable(cf, &value[1]);
        if (*cv == NULL) {
            return NGX_CONF_ERROR;
        }

        *fixed = NULL;

        return NGX_CONF_OK;
    }

    *cv = NULL;
    *fixed = ngx_array_create(cf->pool, cf->args->nelts - 1,
                              sizeof(sfb_str_t));
    if (*fixed == NULL) {
        return NGX_CONF_ERROR;
    }

    for (i = 1; i < cf->args->nelts; i++) {
        if (ngx_http_script_variables_count(&value[i])) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "\"%V\": a variable must be the only "
                               "argument", &cmd->name);
            return NGX_CONF_ERROR;
        }

        kept = ngx_array_push(*fixed);
        if (kept == NULL) {
            return NGX_CONF_ERROR;
        }

        if (check(cf, &value[i], kept) != NGX_OK) {
            return NGX_CONF_ERROR;
        }
    }

    return NGX_CONF_OK;
}


/* an identity that is always empty would deny every request */
char *
ngx_http_sf_backup_identity(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_str_t  *value;

    value = cf->args->elts;

    if (value[1].len == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\" must not be empty", &cmd->name);
        return NGX_CONF_ERROR;
    }

    return ngx_http_set_complex_value_slot(cf, cmd, conf);
}


/* where the directive being read is, for a check made later */
void
ngx_http_sf_backup_conf_at(ngx_conf_t *cf, ngx_http_sf_backup_conf_at_t *at)
{
    at->file = cf->conf_file->file.name;
    at->line = cf->conf_file->line;
}
