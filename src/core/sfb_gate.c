/*
 * sf-backup-gate: the policy gate's pure core, in the order a request meets
 * it: sfb_route.c (path), sfb_query.c (query, Content-Type), sfb_body.c
 * (body, policy), sfb_canonical.c (what is forwarded), sfb_message.c (the
 * words of a FabricError).  Here: the rules and decision defaults, the
 * byte helpers they share, and sfb_decide(), all the steps at once.
 */

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "sfb_gate.h"
#include "sfb_types.h"
#include "sfb_bytes.h"
#include "sfb_path.h"
#include "sfb_route.h"
#include "sfb_query.h"
#include "sfb_body.h"
#include "sfb_schema.h"
#include "sfb_canonical.h"
#include "sfb_json.h"


static void sfb_take(unsigned char **p, size_t *left, size_t want,
    unsigned char **buf, size_t *size);


static const sfb_str_t  sfb_default_api_versions[] = {
    sfb_str_lit(SFB_API_VERSION_DEFAULT)
};


void
sfb_rules_init(sfb_rules_t *rules)
{
    memset(rules, 0, sizeof(sfb_rules_t));

    rules->api_versions = sfb_default_api_versions;
    rules->n_api_versions = 1;
    rules->timeout_min = SFB_TIMEOUT_MIN;
    rules->timeout_max = SFB_TIMEOUT_MAX;
    rules->max_body = SFB_MAX_BODY_DEFAULT;
}


void
sfb_decision_init(sfb_decision_t *d)
{
    /* not the text at the end: empty is enough there */
    memset(d, 0, offsetof(sfb_decision_t, body)
                 + offsetof(sfb_body_t, storage));
    sfb_body_texts_empty(&d->body);
    d->detail[0] = '\0';

    d->kind = SFB_PATH_OTHER;
    d->reason = SFB_REASON_NONE;
    d->target.entity = SFB_ENTITY_NONE;
    d->target.reason = SFB_REASON_NONE;
}

/* one shot */


size_t
sfb_decide_scratch_size(const sfb_rules_t *rules, const sfb_request_t *req)
{
    size_t  body, api;

    body = req->body.len < rules->max_body ? req->body.len : rules->max_body;
    api = req->args.len > rules->upstream_api_version.len
          ? req->args.len : rules->upstream_api_version.len;

    /* id, decoded query, body (canonical JSON), then the three canonical
     * forms; a policy byte takes at most 6 bytes as \u00XX in the
     * ASCII-only body, a query byte 3 */
    return req->uri.len + SFB_UUID_LEN + req->args.len
           + SFB_CANONICAL_JSON_MAX(body)
           + sizeof("/Applications//$/GetBackupConfigurationInfo")
           + req->uri.len + SFB_UUID_LEN
           + sizeof("api-version=&timeout=18446744073709551615") + 3 * api
           + 256 + 3 * req->args.len
           + sizeof("{\"BackupPolicyName\":\"\"}") + 6 * body;
}


static void
sfb_take(unsigned char **p, size_t *left, size_t want, unsigned char **buf,
    size_t *size)
{
    if (want > *left) {
        want = *left;
    }

    *buf = *p;
    *size = want;
    *p += want;
    *left -= want;
}


sfb_reason_e
sfb_decide(const sfb_rules_t *rules, const sfb_request_t *req,
    sfb_decision_t *d, unsigned char *scratch, size_t scratch_size)
{
    size_t              left, size, n;
    unsigned            granted;
    sfb_reason_e        rc;
    unsigned char      *p, *buf;
    const sfb_route_t  *route;

    sfb_decision_init(d);

    d->method = req->method;
    d->identity = req->identity;

    p = scratch;
    left = scratch_size;

    sfb_take(&p, &left, req->uri.len > SFB_UUID_LEN ? req->uri.len
                                                     : SFB_UUID_LEN,
             &buf, &size);

    d->kind = sfb_match_path(req->uri.data, req->uri.len, &d->target,
                             buf, size);

    if (d->kind == SFB_PATH_OTHER) {
        rc = SFB_REASON_NONE;
        goto done;
    }

    if (d->kind == SFB_PATH_BACKUP_RESTORE) {
        rc = rules->backup_restore_open ? SFB_REASON_NONE
                                        : SFB_REASON_BACKUP_RESTORE_CLOSED;
        goto done;
    }

    route = d->target.route;

    if (!sfb_method_allowed(route, req->method.data, req->method.len)) {
        rc = SFB_REASON_METHOD_NOT_ALLOWED;
        goto done;
    }

    if (d->target.reason != SFB_REASON_NONE) {
        rc = d->target.reason;
        goto done;
    }

    sfb_take(&p, &left, req->args.len, &buf, &size);

    rc = sfb_parse_query_for(rules, sfb_route_params(route, d->target.entity),
                             req->args.data, req->args.len, &d->query, buf,
                             size);
    if (rc != SFB_REASON_NONE) {
        goto done;
    }

    granted = req->operations ? req->operations : SFB_OPS_DEFAULT;

    /* what the caller may not do is refused before its body is read */
    rc = sfb_check_operation(route, NULL, granted, &d->operation);
    if (rc != SFB_REASON_NONE) {
        goto done;
    }

    if (req->content_type_count > 1) {
        rc = SFB_REASON_CONTENT_TYPE_REPEATED;
        goto done;
    }

    if (sfb_body_required(route) || req->content_type_count) {
        rc = sfb_check_content_type(req->content_type.data,
                                    req->content_type.len);
        if (rc != SFB_REASON_NONE) {
            goto done;
        }
    }

    sfb_take(&p, &left, SFB_CANONICAL_JSON_MAX(req->body.len), &buf, &size);

    rc = sfb_parse_body_for(rules, route->body, req->body.data, req->body.len,
                            &d->body, buf, size, d->detail,
                            sizeof(d->detail));
    if (rc != SFB_REASON_NONE) {
        goto done;
    }

    rc = sfb_check_operation(route, &d->body, granted, &d->operation);
    if (rc != SFB_REASON_NONE) {
        goto done;
    }

    if (route->body == SFB_BODY_ENABLE) {
        rc = sfb_check_policy(d->body.policy, d->body.policy_len,
                              req->allowed, req->n_allowed);
        if (rc != SFB_REASON_ALLOWED) {
            goto done;
        }
    }

    rc = SFB_REASON_ALLOWED;

    /* only a forwarded request needs its canonical forms */
    n = sfb_canonical_path(&d->target, p, left);
    if (n == 0 || n > left) {
        rc = SFB_REASON_INTERNAL_ERROR;
        goto done;
    }

    d->canonical_path.data = p;
    d->canonical_path.len = n;
    p += n;
    left -= n;

    n = sfb_canonical_query(rules, &d->query, p, left);
    if (n > left) {
        rc = SFB_REASON_INTERNAL_ERROR;
        goto done;
    }

    d->canonical_query.data = p;
    d->canonical_query.len = n;
    p += n;
    left -= n;

    if (route->body != SFB_BODY_ENABLE) {
        /* sfb_parse_body_for() wrote it; empty for a call without one */
        d->canonical_body = d->body.canonical;
        goto done;
    }

    n = sfb_canonical_body(d->body.policy, d->body.policy_len, p, left);
    if (n == 0 || n > left) {
        rc = SFB_REASON_INTERNAL_ERROR;
        goto done;
    }

    d->canonical_body.data = p;
    d->canonical_body.len = n;

done:

    d->reason = rc;

    return rc;
}


sfb_reason_e
sfb_check_operation(const sfb_route_t *route, const sfb_body_t *b,
    unsigned granted, sfb_operation_e *op)
{
    *op = route->operation;

    if (!(granted & SFB_OP_BIT(route->operation))) {
        return SFB_REASON_OPERATION_NOT_ALLOWED;
    }

    if (b == NULL) {
        return SFB_REASON_NONE;
    }

    if (b->clean == 1 && !(granted & SFB_OP_BIT(SFB_OP_CLEAN))) {
        *op = SFB_OP_CLEAN;
        return SFB_REASON_OPERATION_NOT_ALLOWED;
    }

    /* a policy or a storage query names a storage by nature */
    if (b->has_storage
        && (route->body == SFB_BODY_BACKUP || route->body == SFB_BODY_RESTORE)
        && !(granted & SFB_OP_BIT(SFB_OP_STORAGE)))
    {
        *op = SFB_OP_STORAGE;
        return SFB_REASON_OPERATION_NOT_ALLOWED;
    }

    return SFB_REASON_NONE;
}
