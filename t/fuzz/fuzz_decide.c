/*
 * Fuzz target: the whole decision, sfb_decide() and sfb_decide_run(), the
 * function the nginx glue runs.
 *
 * Input: a flags byte, a scratch byte (its high bit: every operation
 * granted, else the default), then the fields method, uri, args,
 * Content-Type, body, identity and allowed policies, each ended by 0x1e
 * (the last one by the end of the input); see decode() for the flags.
 *
 * Invariants:
 *  - with the advertised sfb_decide_scratch_size() it never fails as
 *    internal_error, and d->reason is what it returns;
 *  - it is exactly the steps run one by one, in production's order;
 *  - run as production runs it, through a host whose answers come later
 *    (sfb_decide_run() stopped with SFB_REASON_PENDING and resumed), it
 *    decides the same, with the same canonical forms;
 *  - anything the matcher does not take as a valid governed path is never
 *    "allowed"; a path that is not governed is always left alone;
 *  - an allowed request has canonical forms inside the scratch buffer that
 *    re-match, re-parse and re-decide to the same target, values, policy
 *    and canonical bytes; the canonical body is ASCII;
 *  - a scratch buffer short of the advertised size gives the same answer
 *    or internal_error, never a different one;
 *  - sfb_describe() of any answer is a printable sentence, and a denied
 *    policy never names a policy of the allowed list.
 */

#include "sfb_fuzz_gate.h"
#include "sfb_json.h"


#define FIELD_SEP     0x1e
#define FIELDS_MAX    16
#define SECRET        "Zq9-secret-policy"


typedef struct {
    sfb_rules_t      rules;
    sfb_request_t    req;
    sfb_str_t        allowed[FIELDS_MAX + 1];
    unsigned char   *copies[FIELDS_MAX];
    size_t           ncopies;
    size_t           shortfall;
    sfb_str_t        versions[2];
} input_t;


static int decode(const uint8_t *data, size_t size, input_t *in);
static void release(input_t *in);
static sfb_reason_e decide(const sfb_rules_t *rules,
    const sfb_request_t *req, size_t shortfall, sfb_decision_t *d,
    unsigned char **scratch, size_t *scratch_size);
static sfb_reason_e steps(const sfb_rules_t *rules, const sfb_request_t *req,
    sfb_path_kind_e *kind);
static void check_allowed(const input_t *in, const sfb_decision_t *d,
    const unsigned char *scratch, size_t scratch_size);
static void check_same_canonical(const sfb_decision_t *a,
    const sfb_decision_t *b, const char *what);
static void check_no_secret(const input_t *in, sfb_reason_e rc,
    const sfb_decision_t *d);
static int has(const sfb_str_t *s, const char *needle);
static sfb_reason_e resumed(const input_t *in, unsigned waits,
    sfb_decision_t *d, unsigned *runs);


/* the host of resumed(): the request's own answers, given after waits */
typedef struct {
    const sfb_request_t  *req;
    unsigned char        *p;
    size_t                left;
    unsigned              waits;
} fuzz_host_t;

static unsigned char  *resumed_scratch;


static const sfb_str_t  versions2[] = {
    sfb_str_lit("6.2-preview"), sfb_str_lit("6.4")
};


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t           scratch_size, short_size;
    input_t          in;
    unsigned         waits, runs;
    sfb_reason_e     rc, want, rc_short, rc_resumed;
    unsigned char   *scratch, *short_scratch;
    sfb_decision_t   d, d_short, d_resumed;
    sfb_path_kind_e  kind;

    /* jansson in scratch memory, as in the module (sfb_json.h) */
    sfb_json_scratch_install();

    if (decode(data, size, &in) != 0) {
        return 0;
    }

    rc = decide(&in.rules, &in.req, 0, &d, &scratch, &scratch_size);

    SFB_FUZZ_CHECK(sfb_fuzz_reason_known(rc) && rc == d.reason,
                   "decide returned %d, d.reason %d", (int) rc,
                   (int) d.reason);
    SFB_FUZZ_CHECK(rc != SFB_REASON_INTERNAL_ERROR,
                   "internal_error with the advertised scratch size %zu",
                   scratch_size);

    want = steps(&in.rules, &in.req, &kind);

    SFB_FUZZ_CHECK(rc == want && d.kind == kind,
                   "decide says %s (kind %d), the steps one by one %s "
                   "(kind %d)", sfb_reason_name(rc), (int) d.kind,
                   sfb_reason_name(want), (int) kind);

    SFB_FUZZ_CHECK(rc != SFB_REASON_ALLOWED
                   || (d.kind == SFB_PATH_GOVERNED
                       && d.target.reason == SFB_REASON_NONE),
                   "allowed although the matcher refused the path");
    SFB_FUZZ_CHECK(d.kind != SFB_PATH_OTHER || rc == SFB_REASON_NONE,
                   "a path that is not governed got %s", sfb_reason_name(rc));

    if (rc == SFB_REASON_ALLOWED) {
        check_allowed(&in, &d, scratch, scratch_size);
    }

    /* the production way: a host whose answers come later (a lookup, the
     * body) makes the run stop and resume, and decides the same */
    waits = (unsigned) (size % 5);
    rc_resumed = resumed(&in, waits, &d_resumed, &runs);

    SFB_FUZZ_CHECK(rc_resumed == rc && d_resumed.kind == d.kind
                   && d_resumed.operation == d.operation,
                   "resumed %u times: %s instead of %s", runs - 1,
                   sfb_reason_name(rc_resumed), sfb_reason_name(rc));

    if (rc == SFB_REASON_ALLOWED) {
        check_same_canonical(&d, &d_resumed, "resumed");
    }

    free(resumed_scratch);
    resumed_scratch = NULL;

    sfb_fuzz_check_describe(rc, &d, &in.rules);
    check_no_secret(&in, rc, &d);

    /* any scratch short of the advertised size: same answer or fail
     * closed, and never a write past it (ASan) */
    if (in.shortfall > 0 && in.shortfall <= scratch_size) {
        rc_short = decide(&in.rules, &in.req, in.shortfall, &d_short,
                          &short_scratch, &short_size);

        SFB_FUZZ_CHECK(rc_short == rc
                       || rc_short == SFB_REASON_INTERNAL_ERROR,
                       "scratch %zu bytes short: %s instead of %s",
                       in.shortfall, sfb_reason_name(rc_short),
                       sfb_reason_name(rc));

        if (rc_short == SFB_REASON_ALLOWED) {
            check_same_canonical(&d, &d_short, "short scratch");
        }

        free(short_scratch);
    }

    free(scratch);
    release(&in);

    return 0;
}


/*
 * flags: bits 0-1 Content-Type count, 2 BackupRestore open, 3 upstream
 * api-version 6.4, 4 api-versions 6.2-preview and 6.4, 5 timeout 10..100,
 * 6 max_body 64, 7 no allowed policies.
 */

static int
decode(const uint8_t *data, size_t size, input_t *in)
{
    size_t     i, n, a;
    sfb_str_t  f[FIELDS_MAX];

    if (size < 2) {
        return -1;
    }

    memset(in, 0, sizeof(input_t));
    sfb_rules_init(&in->rules);

    in->req.content_type_count = data[0] & 0x03;

    if (data[0] & 0x04) {
        in->rules.backup_restore_open = 1;
    }

    if (data[0] & 0x08) {
        in->rules.upstream_api_version.data = (const unsigned char *) "6.4";
        in->rules.upstream_api_version.len = 3;
    }

    if (data[0] & 0x10) {
        in->rules.api_versions = versions2;
        in->rules.n_api_versions = 2;
    }

    if (data[0] & 0x20) {
        in->rules.timeout_min = 10;
        in->rules.timeout_max = 100;
    }

    if (data[0] & 0x40) {
        in->rules.max_body = 64;
    }

    /* the scratch byte's high bit grants every operation */
    in->shortfall = data[1] & 0x7f;
    in->req.operations = (data[1] & 0x80) ? ~0u : 0;

    n = sfb_fuzz_split(data + 2, size - 2, FIELD_SEP, f, FIELDS_MAX);

    /* each field in its own exact heap block */
    for (i = 0; i < n; i++) {
        in->copies[i] = sfb_fuzz_dup(f[i].data, f[i].len);
        f[i].data = in->copies[i];
    }

    in->ncopies = n;

    for ( /* void */ ; i < FIELDS_MAX; i++) {
        f[i].data = NULL;
        f[i].len = 0;
    }

    in->req.method = f[0];
    in->req.uri = f[1];
    in->req.args = f[2];
    in->req.content_type = f[3];
    in->req.body = f[4];
    in->req.identity = f[5];

    a = 0;

    if (!(data[0] & 0x80)) {
        for (i = 6; i < n; i++) {
            in->allowed[a++] = f[i];
        }

        in->allowed[a].data = (const unsigned char *) SECRET;
        in->allowed[a].len = sizeof(SECRET) - 1;
        a++;
    }

    in->req.allowed = in->allowed;
    in->req.n_allowed = a;

    return 0;
}


static void
release(input_t *in)
{
    size_t  i;

    for (i = 0; i < in->ncopies; i++) {
        free(in->copies[i]);
    }
}


/* with a scratch block of exactly the advertised size less shortfall */

static sfb_reason_e
decide(const sfb_rules_t *rules, const sfb_request_t *req, size_t shortfall,
    sfb_decision_t *d, unsigned char **scratch, size_t *scratch_size)
{
    *scratch_size = sfb_decide_scratch_size(rules, req) - shortfall;
    *scratch = sfb_fuzz_alloc(*scratch_size);

    memset(d, 0xa5, sizeof(sfb_decision_t));

    return sfb_decide(rules, req, d, *scratch, *scratch_size);
}


/* the steps one by one, each with its own exact buffers */

static sfb_reason_e
steps(const sfb_rules_t *rules, const sfb_request_t *req,
    sfb_path_kind_e *kind)
{
    char                detail[SFB_DETAIL_SIZE];
    size_t              n;
    unsigned            granted;
    sfb_body_t          b;
    sfb_query_t         q;
    sfb_reason_e        rc;
    sfb_target_t        t;
    unsigned char      *buf;
    sfb_operation_e     op;
    const sfb_route_t  *route;

    n = req->uri.len > 36 ? req->uri.len : 36;
    buf = sfb_fuzz_alloc(n);
    *kind = sfb_match_path(req->uri.data, req->uri.len, &t, buf, n);
    free(buf);

    if (*kind == SFB_PATH_OTHER) {
        return SFB_REASON_NONE;
    }

    if (*kind == SFB_PATH_BACKUP_RESTORE) {
        return rules->backup_restore_open ? SFB_REASON_NONE
                                          : SFB_REASON_BACKUP_RESTORE_CLOSED;
    }

    route = t.route;

    if (!sfb_method_allowed(route, req->method.data, req->method.len)) {
        return SFB_REASON_METHOD_NOT_ALLOWED;
    }

    if (t.reason != SFB_REASON_NONE) {
        return t.reason;
    }

    buf = sfb_fuzz_alloc(req->args.len);
    rc = sfb_parse_query_for(rules, route, sfb_route_params(route, t.entity),
                             req->args.data, req->args.len, &q, buf,
                             req->args.len);
    free(buf);

    if (rc != SFB_REASON_NONE) {
        return rc;
    }

    if (req->content_type_count > 1) {
        return SFB_REASON_CONTENT_TYPE_REPEATED;
    }

    if (sfb_body_required(route) || req->content_type_count) {
        rc = sfb_check_content_type(req->content_type.data,
                                    req->content_type.len);
        if (rc != SFB_REASON_NONE) {
            return rc;
        }
    }

    granted = req->operations ? req->operations : SFB_OPS_DEFAULT;

    rc = sfb_check_operation(route, NULL, granted, &op);
    if (rc != SFB_REASON_NONE) {
        return rc;
    }

    /* a body where one is optional still says it is JSON */
    if (req->body.len && req->body.len <= rules->max_body
        && req->content_type_count == 0)
    {
        return SFB_REASON_CONTENT_TYPE_UNSUPPORTED;
    }

    n = SFB_CANONICAL_JSON_MAX(req->body.len);
    buf = sfb_fuzz_alloc(n);
    rc = sfb_parse_body_for(rules, route->body, req->body.data,
                            req->body.len, &b, buf, n, detail,
                            sizeof(detail));

    if (rc == SFB_REASON_NONE) {
        rc = sfb_check_restore_form(route, &q, req->body.len);
    }

    if (rc == SFB_REASON_NONE) {
        rc = sfb_check_operation(route, &b, granted, &op);
    }

    if (rc == SFB_REASON_NONE) {
        rc = (route->body == SFB_BODY_ENABLE)
             ? sfb_check_policy(b.policy, b.policy_len, req->allowed,
                                req->n_allowed)
             : SFB_REASON_ALLOWED;
    }

    free(buf);

    return rc;
}


static void
check_allowed(const input_t *in, const sfb_decision_t *d,
    const unsigned char *scratch, size_t scratch_size)
{
    size_t           i, scratch2_size;
    sfb_rules_t      rules;
    sfb_reason_e     rc;
    sfb_request_t    req;
    unsigned char   *scratch2;
    sfb_decision_t   d2;

    SFB_FUZZ_CHECK(d->target.route != NULL && d->canonical_path.len > 0
                   && d->canonical_query.len > 0
                   && (d->canonical_body.len > 0
                       || !sfb_body_required(d->target.route)),
                   "allowed with an empty canonical form");

    SFB_FUZZ_CHECK(sfb_fuzz_within(d->canonical_path.data,
                                   d->canonical_path.len, scratch,
                                   scratch_size)
                   && sfb_fuzz_within(d->canonical_query.data,
                                      d->canonical_query.len, scratch,
                                      scratch_size)
                   && sfb_fuzz_within(d->canonical_body.data,
                                      d->canonical_body.len, scratch,
                                      scratch_size),
                   "a canonical form lies outside the scratch buffer");

    for (i = 0; i < d->canonical_body.len; i++) {
        SFB_FUZZ_CHECK(d->canonical_body.data[i] >= 0x20
                       && d->canonical_body.data[i] < 0x80,
                       "canonical body byte %zu is 0x%02x", i,
                       d->canonical_body.data[i]);
    }

    /* the forwarded request, sent again, is allowed as it is: the
     * upstream api-version must be accepted and the escaped body may
     * exceed a small max_body */
    rules = in->rules;

    if (rules.upstream_api_version.len) {
        rules.api_versions = &rules.upstream_api_version;
        rules.n_api_versions = 1;
    }

    if (rules.max_body < d->canonical_body.len) {
        rules.max_body = d->canonical_body.len;
    }

    req = in->req;
    req.method.data = (const unsigned char *)
                      sfb_route_method(d->target.route);
    req.method.len = strlen((const char *) req.method.data);
    req.uri = d->canonical_path;
    req.args = d->canonical_query;
    req.content_type.data = (const unsigned char *) "application/json";
    req.content_type.len = sizeof("application/json") - 1;
    req.content_type_count = 1;
    req.body = d->canonical_body;

    rc = decide(&rules, &req, 0, &d2, &scratch2, &scratch2_size);

    SFB_FUZZ_CHECK(rc == SFB_REASON_ALLOWED,
                   "the canonical request %.*s?%.*s %.*s gives %s",
                   (int) req.uri.len, req.uri.data, (int) req.args.len,
                   req.args.data, (int) req.body.len, req.body.data,
                   sfb_reason_name(rc));

    SFB_FUZZ_CHECK(d2.target.entity == d->target.entity
                   && sfb_fuzz_eq(d2.target.id, d2.target.id_len,
                                  d->target.id, d->target.id_len)
                   && sfb_fuzz_eq(d2.body.policy, d2.body.policy_len,
                                  d->body.policy, d->body.policy_len)
                   && d2.query.has_timeout == d->query.has_timeout
                   && d2.query.timeout == d->query.timeout
                   && d2.query.has == d->query.has
                   && d2.target.route == d->target.route
                   && d2.operation == d->operation,
                   "the canonical request decides for another call, "
                   "target, policy, query or operation");

    check_same_canonical(d, &d2, "canonical request");

    free(scratch2);
}


static void
check_same_canonical(const sfb_decision_t *a, const sfb_decision_t *b,
    const char *what)
{
    SFB_FUZZ_CHECK(sfb_fuzz_eq(a->canonical_path.data, a->canonical_path.len,
                               b->canonical_path.data, b->canonical_path.len)
                   && sfb_fuzz_eq(a->canonical_query.data,
                                  a->canonical_query.len,
                                  b->canonical_query.data,
                                  b->canonical_query.len)
                   && sfb_fuzz_eq(a->canonical_body.data,
                                  a->canonical_body.len,
                                  b->canonical_body.data,
                                  b->canonical_body.len),
                   "%s: canonical forms differ: '%.*s?%.*s' '%.*s' vs "
                   "'%.*s?%.*s' '%.*s'", what,
                   (int) a->canonical_path.len, a->canonical_path.data,
                   (int) a->canonical_query.len, a->canonical_query.data,
                   (int) a->canonical_body.len, a->canonical_body.data,
                   (int) b->canonical_path.len, b->canonical_path.data,
                   (int) b->canonical_query.len, b->canonical_query.data,
                   (int) b->canonical_body.len, b->canonical_body.data);
}


/* a denial names the policy asked for and the caller, never the list */

static void
check_no_secret(const input_t *in, sfb_reason_e rc, const sfb_decision_t *d)
{
    char  msg[SFB_FUZZ_MSG_MAX];

    /* the message may quote any request bytes, escapes decoded */
    if (has(&in->req.method, "Zq9") || has(&in->req.uri, "Zq9")
        || has(&in->req.args, "Zq9") || has(&in->req.args, "%")
        || has(&in->req.content_type, "Zq9")
        || has(&in->req.body, "Zq9") || has(&in->req.body, "\\u")
        || has(&in->req.identity, "Zq9"))
    {
        return;
    }

    (void) sfb_describe(rc, d, &in->rules, msg, sizeof(msg));

    SFB_FUZZ_CHECK(strstr(msg, "Zq9") == NULL,
                   "the message names an allowed policy: %s", msg);
}


static int
has(const sfb_str_t *s, const char *needle)
{
    size_t  i, n;

    n = strlen(needle);

    for (i = 0; i + n <= s->len; i++) {
        if (memcmp(s->data + i, needle, n) == 0) {
            return 1;
        }
    }

    return 0;
}


static unsigned char *
host_alloc(const sfb_host_t *h, size_t want, size_t *got)
{
    unsigned char  *p;
    fuzz_host_t    *fh = h->data;

    if (want > fh->left) {
        want = fh->left;
    }

    p = fh->p;
    fh->p += want;
    fh->left -= want;
    *got = want;

    return p;
}


static int
host_waits(const sfb_host_t *h)
{
    fuzz_host_t  *fh = h->data;

    if (fh->waits == 0) {
        return 0;
    }

    fh->waits--;

    return 1;
}


static sfb_reason_e
host_caller(const sfb_host_t *h, sfb_decision_t *d, unsigned *granted)
{
    const fuzz_host_t  *fh = h->data;

    d->identity = fh->req->identity;
    *granted = fh->req->operations ? fh->req->operations : SFB_OPS_DEFAULT;

    return SFB_REASON_NONE;
}


static sfb_reason_e
host_later(const sfb_host_t *h, sfb_decision_t *d)
{
    (void) d;

    return host_waits(h) ? SFB_REASON_PENDING : SFB_REASON_NONE;
}


static sfb_reason_e
host_body(const sfb_host_t *h, sfb_decision_t *d, sfb_str_t *body)
{
    const fuzz_host_t  *fh = h->data;

    (void) d;

    if (host_waits(h)) {
        return SFB_REASON_PENDING;
    }

    *body = fh->req->body;

    return SFB_REASON_NONE;
}


static sfb_reason_e
host_policies(const sfb_host_t *h, const sfb_str_t **list, size_t *n)
{
    const fuzz_host_t  *fh = h->data;

    *list = fh->req->allowed;
    *n = fh->req->n_allowed;

    return SFB_REASON_NONE;
}


/* sfb_decide_run() as the glue runs it: stopped by each wait, resumed */
static sfb_reason_e
resumed(const input_t *in, unsigned waits, sfb_decision_t *d,
    unsigned *runs)
{
    size_t        size;
    sfb_host_t    host;
    fuzz_host_t   fh;
    sfb_reason_e  rc;

    size = sfb_decide_scratch_size(&in->rules, &in->req);
    resumed_scratch = sfb_fuzz_alloc(size);

    fh.req = &in->req;
    fh.p = resumed_scratch;
    fh.left = size;
    fh.waits = waits;

    memset(&host, 0, sizeof(sfb_host_t));
    host.data = &fh;
    host.alloc = host_alloc;
    host.caller = host_caller;
    host.scope = host_later;
    host.body = host_body;
    host.policies = host_policies;
    host.carried = host_later;

    memset(d, 0xa5, sizeof(sfb_decision_t));
    sfb_decision_init(d);

    *runs = 0;

    do {
        rc = sfb_decide_run(&in->rules, &in->req, d, &host);
        (*runs)++;

        SFB_FUZZ_CHECK(*runs <= waits + 1, "%u runs for %u waits", *runs,
                       waits);
    } while (rc == SFB_REASON_PENDING);

    SFB_FUZZ_CHECK(rc == d->reason, "resumed: returned %s, d.reason %s",
                   sfb_reason_name(rc), sfb_reason_name(d->reason));

    return rc;
}
