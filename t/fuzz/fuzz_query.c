/*
 * Fuzz target: query parsing, sfb_parse_query() on any bytes.
 *
 * Input: one byte of rule flags; with flag 0x10, one byte of the SFB_Q_*
 * parameters the call takes besides (sfb_parse_query_for(), the other
 * calls of the surface); then the raw query string.
 *
 * Invariants:
 *  - the reason is one the query step may give (internal_error only with a
 *    buffer smaller than the query);
 *  - an accepted query has an api-version from the rules, in the decoded
 *    buffer, and a timeout inside the configured range if any; q->bad is
 *    empty;  a refused one points q->bad into the query or the buffer;
 *  - the canonical query of an accepted one re-parses to the same values
 *    (the call's own parameters too) and canonicalises to the same bytes
 *    (a fixed point); so does the same query with its parameters swapped
 *    or its api-version fully percent-encoded;
 *  - a parameter the call does not take is never accepted;
 *  - an extra unknown parameter, or a leading or trailing '&', is never
 *    accepted;
 *  - sfb_describe() of the reason is a printable sentence.
 */

#include "sfb_fuzz_gate.h"


static const sfb_str_t  versions3[] = {
    sfb_str_lit("6.2-preview"), sfb_str_lit("6.4"), sfb_str_lit("a b/%~")
};


/* the SFB_Q_* parameters of this input's call: 0 for EnableBackup */
static unsigned  params;


static void rules_from(unsigned char flags, sfb_rules_t *rules);
static sfb_reason_e parse(const sfb_rules_t *rules, const unsigned char *args,
    size_t len, sfb_query_t *q, unsigned char **buf);
static void check_accepted(const sfb_rules_t *rules, const sfb_query_t *q,
    const unsigned char *buf, size_t size);
static void check_canonical(const sfb_rules_t *rules, const sfb_query_t *q);
static void check_same_values(const sfb_query_t *a, const sfb_query_t *b,
    const char *what);
static int param_name(sfb_str_t v);
static void check_never_accepted(const sfb_rules_t *rules,
    const unsigned char *args, size_t len);


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t           skip;
    sfb_rules_t      rules;
    sfb_query_t      q;
    sfb_reason_e     rc;
    unsigned char   *args, *buf;
    sfb_decision_t   d;

    if (size == 0 || ((data[0] & 0x10) && size < 2)) {
        return 0;
    }

    rules_from(data[0], &rules);
    params = (data[0] & 0x10) ? data[1] & ((1u << SFB_QPARAMS) - 1) : 0;
    skip = (data[0] & 0x10) ? 2 : 1;

    data += skip - 1;
    size -= skip - 1;

    args = sfb_fuzz_dup(data + 1, size - 1);

    rc = parse(&rules, args, size - 1, &q, &buf);

    switch (rc) {
    case SFB_REASON_NONE:
        check_accepted(&rules, &q, buf, size - 1);
        check_canonical(&rules, &q);
        break;

    case SFB_REASON_QUERY_MALFORMED:
    case SFB_REASON_QUERY_PARAM_UNKNOWN:
    case SFB_REASON_API_VERSION_MISSING:
    case SFB_REASON_API_VERSION_REPEATED:
    case SFB_REASON_API_VERSION_UNSUPPORTED:
    case SFB_REASON_TIMEOUT_INVALID:
    case SFB_REASON_TIMEOUT_REPEATED:
    case SFB_REASON_TIMEOUT_OUT_OF_RANGE:
    case SFB_REASON_QUERY_PARAM_REPEATED:
    case SFB_REASON_QUERY_VALUE_INVALID:
        SFB_FUZZ_CHECK(sfb_fuzz_within(q.bad.data, q.bad.len, args, size - 1)
                       || sfb_fuzz_within(q.bad.data, q.bad.len, buf,
                                          size - 1)
                       || ((rc == SFB_REASON_QUERY_PARAM_REPEATED
                            || rc == SFB_REASON_QUERY_VALUE_INVALID)
                           && param_name(q.bad)),
                       "q->bad of %zu bytes points outside the query and "
                       "the buffer", q.bad.len);

        /* a refused value is named with its own parameter's rule */
        SFB_FUZZ_CHECK(rc != SFB_REASON_QUERY_VALUE_INVALID
                       || sfb_query_param_rule(q.bad.data, q.bad.len)
                          != NULL,
                       "query_value_invalid names '%.*s', which has no rule",
                       (int) q.bad.len, q.bad.data);

        sfb_decision_init(&d);
        d.kind = SFB_PATH_GOVERNED;
        d.query = q;
        sfb_fuzz_check_describe(rc, &d, &rules);
        break;

    default:
        SFB_FUZZ_CHECK(0, "parse_query gave %s", sfb_reason_name(rc));
    }

    check_never_accepted(&rules, args, size - 1);

    free(buf);
    free(args);

    return 0;
}


static void
rules_from(unsigned char flags, sfb_rules_t *rules)
{
    sfb_rules_init(rules);

    if (flags & 0x01) {
        rules->api_versions = versions3;
        rules->n_api_versions = 3;
    }

    if (flags & 0x02) {
        rules->timeout_min = 10;
        rules->timeout_max = 100;
    }

    if (flags & 0x04) {
        rules->timeout_min = 0;
        rules->timeout_max = UINT64_MAX;
    }

    if (flags & 0x08) {
        rules->n_api_versions = 0;
    }
}


/* into a decode buffer of exactly len bytes ("size >= len suffices") */

static sfb_reason_e
parse(const sfb_rules_t *rules, const unsigned char *args, size_t len,
    sfb_query_t *q, unsigned char **buf)
{
    *buf = sfb_fuzz_alloc(len);

    return params ? sfb_parse_query_for(rules, NULL, params, args, len, q,
                                        *buf, len)
                  : sfb_parse_query(rules, args, len, q, *buf, len);
}


static void
check_accepted(const sfb_rules_t *rules, const sfb_query_t *q,
    const unsigned char *buf, size_t size)
{
    size_t            i, n;
    const sfb_str_t  *versions;

    SFB_FUZZ_CHECK(q->bad.len == 0, "accepted query with q->bad set");
    SFB_FUZZ_CHECK((q->has & ~params) == 0,
                   "accepted parameters 0x%x of a call that takes 0x%x",
                   q->has, params);
    SFB_FUZZ_CHECK(q->api_version.len > 0
                   && sfb_fuzz_within(q->api_version.data, q->api_version.len,
                                      buf, size),
                   "accepted api-version of %zu bytes outside the buffer",
                   q->api_version.len);

    /* the operator's list, or the one a call of no route takes */
    versions = sfb_route_api_versions(rules, NULL, &n);

    for (i = 0; i < n; i++) {
        if (sfb_fuzz_eq(q->api_version.data, q->api_version.len,
                        versions[i].data, versions[i].len))
        {
            break;
        }
    }

    SFB_FUZZ_CHECK(i < n,
                   "accepted api-version '%.*s' is not configured",
                   (int) q->api_version.len, q->api_version.data);

    SFB_FUZZ_CHECK(!q->has_timeout
                   || (q->timeout >= rules->timeout_min
                       && q->timeout <= rules->timeout_max),
                   "accepted timeout %llu outside %llu..%llu",
                   (unsigned long long) q->timeout,
                   (unsigned long long) rules->timeout_min,
                   (unsigned long long) rules->timeout_max);
}


static void
check_canonical(const sfb_rules_t *rules, const sfb_query_t *q)
{
    int             tn;
    char            num[32];
    size_t          n, n2, i, vlen;
    sfb_query_t     q2;
    sfb_reason_e    rc;
    unsigned char  *canon, *canon2, *buf, *var;

    static const char  hex[] = "0123456789ABCDEF";

    n = sfb_canonical_query(rules, q, NULL, 0);
    canon = sfb_fuzz_alloc(n);
    SFB_FUZZ_CHECK(sfb_canonical_query(rules, q, canon, n) == n,
                   "canonical query length changed");

    rc = parse(rules, canon, n, &q2, &buf);
    SFB_FUZZ_CHECK(rc == SFB_REASON_NONE, "canonical query '%.*s' gives %s",
                   (int) n, canon, sfb_reason_name(rc));
    check_same_values(q, &q2, "canonical query re-parsed");

    n2 = sfb_canonical_query(rules, &q2, NULL, 0);
    canon2 = sfb_fuzz_alloc(n2);
    (void) sfb_canonical_query(rules, &q2, canon2, n2);

    SFB_FUZZ_CHECK(sfb_fuzz_eq(canon, n, canon2, n2),
                   "canonical query is not a fixed point: '%.*s' -> '%.*s'",
                   (int) n, canon, (int) n2, canon2);

    free(canon2);
    free(buf);

    /* timeout first: parameter order does not matter (the canonical query
     * ends with the timeout when the call has no other parameter) */
    if (q->has_timeout && q->has == 0) {
        tn = snprintf(num, sizeof(num), "timeout=%llu&",
                      (unsigned long long) q->timeout);
        var = sfb_fuzz_alloc((size_t) tn + n);
        memcpy(var, num, (size_t) tn);
        /* canon is "api-version=...&timeout=<t>", its tail tn bytes */
        vlen = n - (size_t) tn;
        memcpy(var + tn, canon, vlen);

        rc = parse(rules, var, (size_t) tn + vlen, &q2, &buf);
        SFB_FUZZ_CHECK(rc == SFB_REASON_NONE, "swapped query '%.*s' gives %s",
                       (int) ((size_t) tn + vlen), var, sfb_reason_name(rc));
        check_same_values(q, &q2, "swapped parameters");
        free(buf);
        free(var);
    }

    /* every byte of the value percent-encoded, hex in either case */
    vlen = q->api_version.len;
    var = sfb_fuzz_alloc(sizeof("api-version=") - 1 + 3 * vlen);
    memcpy(var, "api-version=", sizeof("api-version=") - 1);

    for (i = 0; i < vlen; i++) {
        var[12 + 3 * i] = '%';
        var[12 + 3 * i + 1] = (unsigned char) hex[q->api_version.data[i] >> 4];
        var[12 + 3 * i + 2] = (unsigned char) (hex[q->api_version.data[i]
                                                   & 0x0f]
                                               | (i & 1 ? 0x20 : 0));
    }

    rc = parse(rules, var, 12 + 3 * vlen, &q2, &buf);

    SFB_FUZZ_CHECK(rc == SFB_REASON_NONE
                   && sfb_fuzz_eq(q2.api_version.data, q2.api_version.len,
                                  q->api_version.data, q->api_version.len),
                   "fully encoded api-version '%.*s' gives %s",
                   (int) (12 + 3 * vlen), var, sfb_reason_name(rc));

    free(buf);
    free(var);
    free(canon);
}


static void
check_same_values(const sfb_query_t *a, const sfb_query_t *b,
    const char *what)
{
    size_t  i;

    SFB_FUZZ_CHECK(sfb_fuzz_eq(a->api_version.data, a->api_version.len,
                               b->api_version.data, b->api_version.len),
                   "%s: api-version '%.*s' became '%.*s'", what,
                   (int) a->api_version.len, a->api_version.data,
                   (int) b->api_version.len, b->api_version.data);
    SFB_FUZZ_CHECK(a->has_timeout == b->has_timeout
                   && (!a->has_timeout || a->timeout == b->timeout),
                   "%s: timeout %d:%llu became %d:%llu", what,
                   a->has_timeout, (unsigned long long) a->timeout,
                   b->has_timeout, (unsigned long long) b->timeout);

    SFB_FUZZ_CHECK(a->has == b->has, "%s: parameters 0x%x became 0x%x",
                   what, a->has, b->has);

    for (i = 0; i < SFB_QPARAMS; i++) {
        if (!(a->has & (1u << i))) {
            continue;
        }

        /* dates and the token as they came; the others as numbers */
        SFB_FUZZ_CHECK(((1u << i) & (SFB_Q_START | SFB_Q_END
                                     | SFB_Q_CONTINUATION))
                       ? sfb_fuzz_eq(a->value[i].data, a->value[i].len,
                                     b->value[i].data, b->value[i].len)
                       : a->number[i] == b->number[i],
                       "%s: %s '%.*s' became '%.*s'", what,
                       sfb_query_param_name(i), (int) a->value[i].len,
                       a->value[i].data, (int) b->value[i].len,
                       b->value[i].data);
    }
}


/* a call's own parameter, repeated or invalid, is named by the table's
 * name for it: the message never quotes its value */
static int
param_name(sfb_str_t v)
{
    size_t       i;
    const char  *name;

    for (i = 0; i < SFB_QPARAMS; i++) {
        name = sfb_query_param_name(i);

        if (sfb_fuzz_eq(v.data, v.len, (const unsigned char *) name,
                        strlen(name)))
        {
            return 1;
        }
    }

    return 0;
}


static void
check_never_accepted(const sfb_rules_t *rules, const unsigned char *args,
    size_t len)
{
    size_t           i, h, t;
    sfb_query_t      q;
    sfb_reason_e     rc;
    unsigned char   *var, *buf;

    static const struct {
        const char  *head;
        const char  *tail;
    } wraps[] = {
        { "", "&x=1" },
        { "x=1&", "" },
        { "&", "" },
        { "", "&" },
    };

    for (i = 0; i < sizeof(wraps) / sizeof(wraps[0]); i++) {
        h = strlen(wraps[i].head);
        t = strlen(wraps[i].tail);

        var = sfb_fuzz_alloc(h + len + t);
        memcpy(var, wraps[i].head, h);
        if (len) {
            memcpy(var + h, args, len);
        }
        memcpy(var + h + len, wraps[i].tail, t);

        rc = parse(rules, var, h + len + t, &q, &buf);

        SFB_FUZZ_CHECK(rc != SFB_REASON_NONE,
                       "'%s' + query + '%s' is accepted", wraps[i].head,
                       wraps[i].tail);

        free(buf);
        free(var);
    }
}
