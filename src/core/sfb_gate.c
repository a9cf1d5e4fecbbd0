/*
 * sf-backup-gate: the policy gate's pure core, in the order a request meets
 * it: sfb_path.c (path), sfb_query.c (query, Content-Type), sfb_body.c and
 * sfb_schema.c (body, policy), sfb_canonical.c (what is forwarded),
 * sfb_message.c (the words of a FabricError).  Here: the rules and their
 * defaults, and sfb_decide_run(), every step of a call in production order,
 * which the nginx glue and sfb_decide() (the tests, fuzzers and bench) both
 * run.
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


static unsigned char *sfb_own_alloc(const sfb_host_t *h, size_t want,
    size_t *got);
static sfb_reason_e sfb_own_caller(const sfb_host_t *h, sfb_decision_t *d,
    unsigned *granted);
static sfb_reason_e sfb_own_body(const sfb_host_t *h, sfb_decision_t *d,
    sfb_str_t *body);
static sfb_reason_e sfb_own_policies(const sfb_host_t *h,
    const sfb_str_t **list, size_t *n);
static sfb_reason_e sfb_host_step(sfb_reason_e (*hook)(const sfb_host_t *h,
    sfb_decision_t *d), const sfb_host_t *host, sfb_decision_t *d);
static unsigned char *sfb_host_alloc(const sfb_host_t *host, size_t want);
static sfb_reason_e sfb_decide_path(const sfb_rules_t *rules,
    const sfb_request_t *req, sfb_decision_t *d, const sfb_host_t *host);
static sfb_reason_e sfb_decide_head(const sfb_rules_t *rules,
    const sfb_request_t *req, sfb_decision_t *d, const sfb_host_t *host);
static sfb_reason_e sfb_decide_body(const sfb_rules_t *rules,
    const sfb_request_t *req, sfb_decision_t *d, const sfb_host_t *host);
static sfb_reason_e sfb_decide_canonical(const sfb_rules_t *rules,
    const sfb_request_t *req, sfb_decision_t *d, const sfb_host_t *host);


void
sfb_rules_init(sfb_rules_t *rules)
{
    memset(rules, 0, sizeof(sfb_rules_t));

    /* api_versions NULL: each call's own (sfb_route_api_versions()) */
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
           + SFB_CANONICAL_QUERY_MAX(api, req->args.len)
           + SFB_CANONICAL_BODY_MAX(body);
}


/* sfb_decide()'s host: the request itself, and a block of scratch */

typedef struct {
    const sfb_request_t  *req;
    unsigned char        *p;
    size_t                left;
} sfb_decide_own_t;


static unsigned char *
sfb_own_alloc(const sfb_host_t *h, size_t want, size_t *got)
{
    unsigned char     *p;
    sfb_decide_own_t  *own = h->data;

    if (want > own->left) {
        want = own->left;
    }

    p = own->p;
    *got = want;
    own->p += want;
    own->left -= want;

    return p;
}


static sfb_reason_e
sfb_own_caller(const sfb_host_t *h, sfb_decision_t *d, unsigned *granted)
{
    const sfb_decide_own_t  *own = h->data;

    d->identity = own->req->identity;
    *granted = own->req->operations ? own->req->operations : SFB_OPS_DEFAULT;

    return SFB_REASON_NONE;
}


static sfb_reason_e
sfb_own_body(const sfb_host_t *h, sfb_decision_t *d, sfb_str_t *body)
{
    const sfb_decide_own_t  *own = h->data;

    (void) d;
    *body = own->req->body;

    return SFB_REASON_NONE;
}


static sfb_reason_e
sfb_own_policies(const sfb_host_t *h, const sfb_str_t **list, size_t *n)
{
    const sfb_decide_own_t  *own = h->data;

    *list = own->req->allowed;
    *n = own->req->n_allowed;

    return SFB_REASON_NONE;
}


sfb_reason_e
sfb_decide(const sfb_rules_t *rules, const sfb_request_t *req,
    sfb_decision_t *d, unsigned char *scratch, size_t scratch_size)
{
    sfb_host_t        host;
    sfb_decide_own_t  own;

    own.req = req;
    own.p = scratch;
    own.left = scratch_size;

    memset(&host, 0, sizeof(sfb_host_t));
    host.data = &own;
    host.alloc = sfb_own_alloc;
    host.caller = sfb_own_caller;
    host.body = sfb_own_body;
    host.policies = sfb_own_policies;

    sfb_decision_init(d);

    return sfb_decide_run(rules, req, d, &host);
}


/* the steps of sfb_decide_run(), where it resumes */
enum {
    SFB_STEP_PATH = 0,
    SFB_STEP_SCOPE,
    SFB_STEP_BODY,
    SFB_STEP_CARRIED,
    SFB_STEP_CANONICAL
};


sfb_reason_e
sfb_decide_run(const sfb_rules_t *rules, const sfb_request_t *req,
    sfb_decision_t *d, const sfb_host_t *host)
{
    sfb_reason_e  rc;

    switch (d->step) {

    case SFB_STEP_PATH:
        d->method = req->method;

        rc = sfb_decide_path(rules, req, d, host);
        if (rc != SFB_REASON_NONE || d->kind != SFB_PATH_GOVERNED) {
            break;
        }

        rc = sfb_decide_head(rules, req, d, host);
        if (rc != SFB_REASON_NONE) {
            break;
        }

        d->step = SFB_STEP_SCOPE;
        /* fall through */

    case SFB_STEP_SCOPE:
        rc = sfb_host_step(host->scope, host, d);
        if (rc != SFB_REASON_NONE) {
            break;
        }

        d->step = SFB_STEP_BODY;
        /* fall through */

    case SFB_STEP_BODY:
        rc = sfb_decide_body(rules, req, d, host);
        if (rc != SFB_REASON_NONE) {
            break;
        }

        d->step = SFB_STEP_CARRIED;
        /* fall through */

    case SFB_STEP_CARRIED:
        rc = sfb_host_step(host->carried, host, d);
        if (rc != SFB_REASON_NONE) {
            break;
        }

        d->step = SFB_STEP_CANONICAL;
        /* fall through */

    default: /* SFB_STEP_CANONICAL */
        rc = sfb_decide_canonical(rules, req, d, host);
    }

    if (rc != SFB_REASON_PENDING) {
        d->reason = rc;
    }

    return rc;
}


/* a host's hook that may wait: NONE (and ALLOWED) go on */
static sfb_reason_e
sfb_host_step(sfb_reason_e (*hook)(const sfb_host_t *h, sfb_decision_t *d),
    const sfb_host_t *host, sfb_decision_t *d)
{
    sfb_reason_e  rc;

    if (hook == NULL) {
        return SFB_REASON_NONE;
    }

    rc = hook(host, d);

    return rc == SFB_REASON_ALLOWED ? SFB_REASON_NONE : rc;
}


/* memory for a step: want bytes, or the call fails closed */
static unsigned char *
sfb_host_alloc(const sfb_host_t *host, size_t want)
{
    size_t          got;
    unsigned char  *p;

    p = host->alloc(host, want, &got);

    return (p != NULL && got >= want) ? p : NULL;
}


/* Which call the path names; NONE with d->kind OTHER: not the surface. */
static sfb_reason_e
sfb_decide_path(const sfb_rules_t *rules, const sfb_request_t *req,
    sfb_decision_t *d, const sfb_host_t *host)
{
    unsigned char  *buf;
    size_t          size;

    if (req->noted != NULL) {
        d->kind = req->noted_kind;
        d->target = *req->noted;

    } else {
        size = req->uri.len > SFB_UUID_LEN ? req->uri.len : SFB_UUID_LEN;

        buf = sfb_host_alloc(host, size);
        if (buf == NULL) {
            return SFB_REASON_INTERNAL_ERROR;
        }

        d->kind = sfb_match_path(req->uri.data, req->uri.len, &d->target,
                                 buf, size);
    }

    switch (d->kind) {

    case SFB_PATH_OTHER:
        /* a gateway for the surface only: nothing else is forwarded */
        return rules->closed ? SFB_REASON_OUTSIDE_SURFACE : SFB_REASON_NONE;

    case SFB_PATH_BACKUP_RESTORE:
        if (rules->closed) {
            return SFB_REASON_OUTSIDE_SURFACE;
        }

        return rules->backup_restore_open ? SFB_REASON_NONE
                                          : SFB_REASON_BACKUP_RESTORE_CLOSED;

    default: /* SFB_PATH_GOVERNED */
        break;
    }

    if (!sfb_method_allowed(d->target.route, req->method.data,
                            req->method.len))
    {
        return SFB_REASON_METHOD_NOT_ALLOWED;
    }

    if (d->target.reason != SFB_REASON_NONE) {
        return d->target.reason;
    }

    if (host->noted) {
        host->noted(host, d);
    }

    return SFB_REASON_NONE;
}


/* What is checked before the body is read, cheapest and least secret
 * first: a call the caller may not make is refused unread. */
static sfb_reason_e
sfb_decide_head(const sfb_rules_t *rules, const sfb_request_t *req,
    sfb_decision_t *d, const sfb_host_t *host)
{
    unsigned char      *buf;
    sfb_reason_e        rc;
    const sfb_route_t  *route;

    route = d->target.route;

    buf = sfb_host_alloc(host, req->args.len);
    if (buf == NULL && req->args.len) {
        return SFB_REASON_INTERNAL_ERROR;
    }

    rc = sfb_parse_query_for(rules, route,
                             sfb_route_params(route, d->target.entity),
                             req->args.data, req->args.len, &d->query, buf,
                             req->args.len);
    if (rc != SFB_REASON_NONE) {
        return rc;
    }

    /* a repeated Content-Type is ambiguous: which one would bind? */
    if (req->content_type_count > 1) {
        return SFB_REASON_CONTENT_TYPE_REPEATED;
    }

    /* a call without a body may come without a Content-Type */
    if (req->content_type_count || sfb_body_required(route)) {
        rc = sfb_check_content_type(req->content_type.data,
                                    req->content_type.len);
        if (rc != SFB_REASON_NONE) {
            return rc;
        }
    }

    d->granted = SFB_OPS_DEFAULT;

    if (host->caller) {
        rc = host->caller(host, d, &d->granted);
        if (rc != SFB_REASON_NONE) {
            return rc;
        }
    }

    rc = sfb_check_operation(route, NULL, d->granted, &d->operation);
    if (rc != SFB_REASON_NONE) {
        return rc;
    }

    rc = sfb_host_step(host->path_data, host, d);
    if (rc != SFB_REASON_NONE) {
        return rc;
    }

    if (req->content_length > 0
        && (uint64_t) req->content_length > rules->max_body)
    {
        return SFB_REASON_BODY_TOO_LARGE;
    }

    return SFB_REASON_NONE;
}


/* The body: its schema, the dangerous forms' own grants, and the policy
 * allow-list (EnableBackup) or a storage query's scope. */
static sfb_reason_e
sfb_decide_body(const sfb_rules_t *rules, const sfb_request_t *req,
    sfb_decision_t *d, const sfb_host_t *host)
{
    size_t              size, n;
    sfb_str_t           body;
    sfb_reason_e        rc;
    unsigned char      *buf;
    const sfb_str_t    *list;
    const sfb_route_t  *route;

    route = d->target.route;
    body.data = NULL;
    body.len = 0;

    if (host->body) {
        rc = host->body(host, d, &body);
        if (rc != SFB_REASON_NONE) {
            return rc;
        }
    }

    if (body.len > rules->max_body) {
        return SFB_REASON_BODY_TOO_LARGE;
    }

    /* a body, where one is optional, says what it is (a chunked one was
     * not known to be there before it was read) */
    if (body.len && req->content_type_count == 0) {
        return SFB_REASON_CONTENT_TYPE_UNSUPPORTED;
    }

    size = SFB_CANONICAL_JSON_MAX(body.len);

    buf = sfb_host_alloc(host, size);
    if (buf == NULL) {
        return SFB_REASON_INTERNAL_ERROR;
    }

    rc = sfb_parse_body_for(rules, route->body, body.data, body.len,
                            &d->body, buf, size, d->detail,
                            sizeof(d->detail));

    /* what the body names is on record, refused or not */
    if (host->noted) {
        host->noted(host, d);
    }

    if (rc != SFB_REASON_NONE) {
        return rc;
    }

    rc = sfb_check_restore_form(route, &d->query, body.len);
    if (rc != SFB_REASON_NONE) {
        return rc;
    }

    rc = sfb_check_operation(route, &d->body, d->granted, &d->operation);
    if (rc != SFB_REASON_NONE) {
        return rc;
    }

    if (route->body != SFB_BODY_ENABLE) {
        return sfb_host_step(host->body_scope, host, d);
    }

    list = NULL;
    n = 0;

    if (host->policies) {
        rc = host->policies(host, &list, &n);
        if (rc != SFB_REASON_NONE) {
            return rc;
        }
    }

    rc = sfb_check_policy(d->body.policy, d->body.policy_len, list, n);

    return rc == SFB_REASON_ALLOWED ? SFB_REASON_NONE : rc;
}


/* Only an allowed call needs its canonical forms: what it is forwarded as. */
static sfb_reason_e
sfb_decide_canonical(const sfb_rules_t *rules, const sfb_request_t *req,
    sfb_decision_t *d, const sfb_host_t *host)
{
    size_t          n, size;
    unsigned char  *p;

    n = sfb_canonical_path(&d->target, NULL, 0);
    p = sfb_host_alloc(host, n);
    if (n == 0 || p == NULL || sfb_canonical_path(&d->target, p, n) != n) {
        return SFB_REASON_INTERNAL_ERROR;
    }

    d->canonical_path.data = p;
    d->canonical_path.len = n;

    /* room for the longest it can be: written in one pass */
    size = SFB_CANONICAL_QUERY_MAX(rules->upstream_api_version.len
                                   ? rules->upstream_api_version.len
                                   : d->query.api_version.len,
                                   req->args.len);
    p = sfb_host_alloc(host, size);
    n = (p != NULL) ? sfb_canonical_query(rules, &d->query, p, size) : 0;
    if (p == NULL || n > size) {
        return SFB_REASON_INTERNAL_ERROR;
    }

    d->canonical_query.data = p;
    d->canonical_query.len = n;

    if (d->target.route->body != SFB_BODY_ENABLE) {
        /* sfb_parse_body_for() wrote it; empty for a call without one */
        d->canonical_body = d->body.canonical;
        return SFB_REASON_ALLOWED;
    }

    size = SFB_CANONICAL_BODY_MAX(d->body.policy_len);
    p = sfb_host_alloc(host, size);
    n = (p != NULL) ? sfb_canonical_body(d->body.policy, d->body.policy_len,
                                         p, size)
                    : 0;
    if (n == 0 || n > size) {
        return SFB_REASON_INTERNAL_ERROR;
    }

    d->canonical_body.data = p;
    d->canonical_body.len = n;

    return SFB_REASON_ALLOWED;
}


/*
 * A restore names its backup in its body, or (9.1) asks for the partition's
 * latest backup with Latest=true and no body: neither is a restore of
 * nothing, and both would leave the cluster to choose which one counts.
 */
sfb_reason_e
sfb_check_restore_form(const sfb_route_t *route, const sfb_query_t *q,
    size_t body_len)
{
    int  latest;

    if (route->body != SFB_BODY_RESTORE) {
        return SFB_REASON_NONE;
    }

    latest = (q->has & SFB_Q_LATEST) && q->number[SFB_QI_LATEST];

    if (body_len == 0 && !latest) {
        return SFB_REASON_BODY_MISSING;
    }

    if (body_len != 0 && latest) {
        return SFB_REASON_BODY_NOT_EMPTY;
    }

    return SFB_REASON_NONE;
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
