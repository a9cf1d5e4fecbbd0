/*
 * sf-backup-gate: the gate's query and Content-Type rules: api-version and
 * timeout, each at most once, nothing unknown, and JSON only.
 */

#include <stdio.h>
#include <string.h>

#include "sfb_query.h"
#include "sfb_route.h"
#include "sfb_types.h"
#include "sfb_bytes.h"
#include "sfb_fabric_error.h"


static int sfb_is_ows(unsigned char c);
static int sfb_skip_ci(const unsigned char **p, const unsigned char *end,
    const char *s);
static size_t sfb_pct_decode(const unsigned char *src, size_t n,
    unsigned char *dst);
static sfb_reason_e sfb_query_value(size_t i, sfb_query_t *q);
static int sfb_digits(const unsigned char *p, size_t n, uint64_t max,
    uint64_t *v);
static size_t sfb_fraction(const unsigned char *p, size_t n);


#define SFB_FRACTION_BAD  ((size_t) -1)


/* the parameters beyond api-version and timeout, by SFB_Q_* bit index,
 * each with its rule as a refusal states it; the canonical query lists
 * them in this order */
static const struct {
    sfb_str_t             name;
    const char           *rule;
} sfb_qparams[SFB_QPARAMS] = {
    { sfb_str_lit("BackupTimeout"),
      "a whole number of minutes from 1 to 2147483647" },
    { sfb_str_lit("RestoreTimeout"),
      "a whole number of minutes from 1 to 2147483647" },
    { sfb_str_lit("Latest"), "true or false" },
    { sfb_str_lit("StartDateTimeFilter"),
      "an ISO 8601 date-time such as 2026-12-03T10:00:00Z" },
    { sfb_str_lit("EndDateTimeFilter"),
      "an ISO 8601 date-time such as 2026-12-03T10:00:00Z" },
    { sfb_str_lit("ContinuationToken"),
      "a non-empty UTF-8 string, as the previous answer gave it" },
    { sfb_str_lit("MaxResults"),
      "a whole number from 0 to 9223372036854775807" },
    { sfb_str_lit("ValidateConnection"), "true or false" }
};


/*
 * Precedence, first match wins:
 *   QUERY_MALFORMED (anywhere: empty piece, no '=', bad or NUL escape),
 *   QUERY_PARAM_UNKNOWN (leftmost), API_VERSION_REPEATED, TIMEOUT_REPEATED,
 *   API_VERSION_MISSING, API_VERSION_UNSUPPORTED, TIMEOUT_INVALID,
 *   TIMEOUT_OUT_OF_RANGE.
 */

sfb_reason_e
sfb_parse_query(const sfb_rules_t *rules, const unsigned char *args,
    size_t len, sfb_query_t *q, unsigned char *buf, size_t size)
{
    return sfb_parse_query_for(rules, NULL, 0, args, len, q, buf, size);
}


const char *
sfb_query_param_name(size_t i)
{
    return i < SFB_QPARAMS ? (const char *) sfb_qparams[i].name.data : "";
}


const char *
sfb_query_param_rule(const unsigned char *name, size_t len)
{
    size_t  i;

    for (i = 0; i < SFB_QPARAMS; i++) {
        if (sfb_str_eq(name, len, sfb_qparams[i].name.data,
                       sfb_qparams[i].name.len))
        {
            return sfb_qparams[i].rule;
        }
    }

    return NULL;
}


/*
 * Then, for the call's own parameters: QUERY_PARAM_REPEATED (after the two
 * above), QUERY_VALUE_INVALID (in the table's order, after the timeout's).
 */

sfb_reason_e
sfb_parse_query_for(const sfb_rules_t *rules, const sfb_route_t *route,
    unsigned params, const unsigned char *args, size_t len, sfb_query_t *q,
    unsigned char *buf, size_t size)
{
    size_t                i, k, n_api, n_timeout, dlen, n_extra[SFB_QPARAMS],
                          n_versions;
    const sfb_str_t      *versions;
    uint64_t              v;
    sfb_str_t             api, timeout, extra[SFB_QPARAMS];
    sfb_reason_e          rc;
    const unsigned char  *p, *end, *amp, *eq, *e;

    /* value[] and number[] mean something only where has says so */
    q->api_version.data = NULL;
    q->api_version.len = 0;
    q->has_timeout = 0;
    q->timeout = 0;
    q->has = 0;
    q->bad.data = NULL;
    q->bad.len = 0;

    if (params) {
        memset(n_extra, 0, sizeof(n_extra));
    }

    api.data = NULL;
    api.len = 0;
    timeout = api;
    n_api = 0;
    n_timeout = 0;

    if (len == 0) {
        return SFB_REASON_API_VERSION_MISSING;
    }

    end = args + len;

    /* structure first, so that no name is judged in a broken string */
    for (p = args; /* void */ ; p = amp + 1) {
        amp = memchr(p, '&', end - p);
        e = amp ? amp : end;

        q->bad.data = p;
        q->bad.len = e - p;

        /* "name" alone is a value without a key to .NET: refuse it */
        if (e == p || memchr(p, '=', e - p) == NULL) {
            return SFB_REASON_QUERY_MALFORMED;
        }

        for (i = 0; i < (size_t) (e - p); i++) {
            if (p[i] != '%') {
                continue;
            }

            if ((size_t) (e - p) - i < 3
                || sfb_hex(p[i + 1]) < 0 || sfb_hex(p[i + 2]) < 0
                || (p[i + 1] == '0' && p[i + 2] == '0'))
            {
                return SFB_REASON_QUERY_MALFORMED;
            }
        }

        if (amp == NULL) {
            break;
        }
    }

    for (p = args; /* void */ ; p = amp + 1) {
        amp = memchr(p, '&', end - p);
        e = amp ? amp : end;
        eq = memchr(p, '=', e - p);

        /* names are literal: an encoded or recased name is unknown */
        if (sfb_str_eq(p, eq - p, (const unsigned char *) "api-version", 11)) {
            if (n_api++ == 0) {
                api.data = eq + 1;
                api.len = e - eq - 1;
            }

        } else if (sfb_str_eq(p, eq - p, (const unsigned char *) "timeout", 7))
        {
            if (n_timeout++ == 0) {
                timeout.data = eq + 1;
                timeout.len = e - eq - 1;
            }

        } else {
            for (k = 0; k < SFB_QPARAMS; k++) {
                if ((params & (1u << k))
                    && sfb_str_eq(p, eq - p, sfb_qparams[k].name.data,
                                  sfb_qparams[k].name.len))
                {
                    break;
                }
            }

            if (k == SFB_QPARAMS) {
                q->bad.data = p;
                q->bad.len = eq - p;
                return SFB_REASON_QUERY_PARAM_UNKNOWN;
            }

            if (n_extra[k]++ == 0) {
                extra[k].data = eq + 1;
                extra[k].len = e - eq - 1;
            }
        }

        if (amp == NULL) {
            break;
        }
    }

    q->bad.data = NULL;
    q->bad.len = 0;

    if (n_api > 1) {
        return SFB_REASON_API_VERSION_REPEATED;
    }

    if (n_timeout > 1) {
        return SFB_REASON_TIMEOUT_REPEATED;
    }

    for (k = 0; params && k < SFB_QPARAMS; k++) {
        if (n_extra[k] > 1) {
            q->bad = sfb_qparams[k].name;
            return SFB_REASON_QUERY_PARAM_REPEATED;
        }
    }

    if (api.len == 0) {
        return SFB_REASON_API_VERSION_MISSING;
    }

    /* decoding never grows a value, so api + timeout fit in len bytes */
    if (api.len + timeout.len > size) {
        return SFB_REASON_INTERNAL_ERROR;
    }

    dlen = sfb_pct_decode(api.data, api.len, buf);

    q->bad.data = buf;
    q->bad.len = dlen;

    versions = sfb_route_api_versions(rules, route, &n_versions);

    for (i = 0; i < n_versions; i++) {
        if (sfb_str_eq(buf, dlen, versions[i].data, versions[i].len)) {
            break;
        }
    }

    if (i == n_versions) {
        return SFB_REASON_API_VERSION_UNSUPPORTED;
    }

    q->api_version.data = buf;
    q->api_version.len = dlen;

    q->bad.data = NULL;
    q->bad.len = 0;

    buf += dlen;

    if (n_timeout == 0) {
        goto extras;
    }

    dlen = sfb_pct_decode(timeout.data, timeout.len, buf);

    q->bad.data = buf;
    q->bad.len = dlen;

    if (dlen == 0) {
        return SFB_REASON_TIMEOUT_INVALID;
    }

    v = 0;

    for (i = 0; i < dlen; i++) {
        if (buf[i] < '0' || buf[i] > '9') {
            return SFB_REASON_TIMEOUT_INVALID;
        }

        /* refuse, never wrap */
        if (v > (UINT64_MAX - (uint64_t) (buf[i] - '0')) / 10) {
            return SFB_REASON_TIMEOUT_INVALID;
        }

        v = v * 10 + (uint64_t) (buf[i] - '0');
    }

    if (v < rules->timeout_min || v > rules->timeout_max) {
        return SFB_REASON_TIMEOUT_OUT_OF_RANGE;
    }

    q->has_timeout = 1;
    q->timeout = v;

    q->bad.data = NULL;
    q->bad.len = 0;

    buf += dlen;

extras:

    for (k = 0; params && k < SFB_QPARAMS; k++) {
        if (n_extra[k] == 0) {
            continue;
        }

        dlen = sfb_pct_decode(extra[k].data, extra[k].len, buf);

        q->value[k].data = buf;
        q->value[k].len = dlen;
        buf += dlen;

        /* the message names the parameter, never its value */
        rc = sfb_query_value(k, q);
        if (rc != SFB_REASON_NONE) {
            q->bad = sfb_qparams[k].name;
            return rc;
        }

        q->has |= 1u << k;
    }

    return SFB_REASON_NONE;
}


/* One of the call's own parameters, decoded into q->value[i]. */
static sfb_reason_e
sfb_query_value(size_t i, sfb_query_t *q)
{
    size_t                n;
    const unsigned char  *p;

    p = q->value[i].data;
    n = q->value[i].len;

    switch (1u << i) {

    case SFB_Q_BACKUP_TIMEOUT:
    case SFB_Q_RESTORE_TIMEOUT:
        /* minutes */
        if (!sfb_digits(p, n, SFB_OP_TIMEOUT_MAX, &q->number[i])
            || q->number[i] == 0)
        {
            return SFB_REASON_QUERY_VALUE_INVALID;
        }
        break;

    case SFB_Q_MAX_RESULTS:
        if (!sfb_digits(p, n, SFB_MAX_RESULTS_MAX, &q->number[i])) {
            return SFB_REASON_QUERY_VALUE_INVALID;
        }
        break;

    case SFB_Q_LATEST:
    case SFB_Q_VALIDATE:
        /* .NET's bool binding ignores case; what is forwarded does not */
        if (n == 4 && sfb_lower(p[0]) == 't' && sfb_lower(p[1]) == 'r'
            && sfb_lower(p[2]) == 'u' && sfb_lower(p[3]) == 'e')
        {
            q->number[i] = 1;

        } else if (n == 5 && sfb_lower(p[0]) == 'f'
                   && sfb_lower(p[1]) == 'a' && sfb_lower(p[2]) == 'l'
                   && sfb_lower(p[3]) == 's' && sfb_lower(p[4]) == 'e')
        {
            q->number[i] = 0;

        } else {
            return SFB_REASON_QUERY_VALUE_INVALID;
        }
        break;

    case SFB_Q_START:
    case SFB_Q_END:
        if (!sfb_date_time(p, n)) {
            return SFB_REASON_QUERY_VALUE_INVALID;
        }
        break;

    default: /* SFB_Q_CONTINUATION: opaque to the gate, forwarded encoded */
        /* .NET would read invalid UTF-8 as U+FFFD: another token; a NUL
         * ends it, to some (and is refused encoded, as malformed) */
        if (n == 0 || !sfb_utf8_valid(p, n) || memchr(p, '\0', n) != NULL) {
            return SFB_REASON_QUERY_VALUE_INVALID;
        }
    }

    return SFB_REASON_NONE;
}


/* 1..20 ASCII digits whose value is at most max; never wraps. */
static int
sfb_digits(const unsigned char *p, size_t n, uint64_t max, uint64_t *v)
{
    size_t  i;

    if (n == 0 || n > 20) {
        return 0;
    }

    *v = 0;

    for (i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9'
            || *v > (max - (uint64_t) (p[i] - '0')) / 10)
        {
            return 0;
        }

        *v = *v * 10 + (uint64_t) (p[i] - '0');
    }

    return 1;
}


/*
 * ISO 8601 as the REST reference writes it: YYYY-MM-DDThh:mm:ss, an
 * optional fraction of 1 to 7 digits, and Z or +hh:mm / -hh:mm.  A raw '+'
 * never gets here decoded from a space: the query is decoded without
 * form rules, and the canonical query encodes it.
 */
int
sfb_date_time(const unsigned char *p, size_t n)
{
    size_t    i, f;
    uint64_t  v[6];

    static const unsigned char  sep[] = "--T::";
    static const size_t         width[] = { 4, 2, 2, 2, 2, 2 };
    static const uint64_t       lo[] = { 1, 1, 1, 0, 0, 0 };
    static const uint64_t       hi[] = { 9999, 12, 31, 23, 59, 59 };

    for (i = 0; i < 6; i++) {
        if (n < width[i] || !sfb_digits(p, width[i], hi[i], &v[i])
            || v[i] < lo[i])
        {
            return 0;
        }

        p += width[i];
        n -= width[i];

        if (i < 5) {
            if (n == 0 || *p != sep[i]) {
                return 0;
            }

            p++;
            n--;
        }
    }

    f = sfb_fraction(p, n);
    if (f == SFB_FRACTION_BAD) {
        return 0;
    }

    p += f;
    n -= f;

    if (n == 1 && *p == 'Z') {
        return 1;
    }

    return n == 6 && (p[0] == '+' || p[0] == '-')
           && sfb_digits(p + 1, 2, 23, &v[0]) && p[3] == ':'
           && sfb_digits(p + 4, 2, 59, &v[0]);
}


int
sfb_time_of_day(const unsigned char *p, size_t n)
{
    size_t    h;
    uint64_t  v;

    h = (n > 1 && p[1] == ':') ? 1 : 2;

    if (n < h + 6 || !sfb_digits(p, h, 23, &v) || p[h] != ':'
        || !sfb_digits(p + h + 1, 2, 59, &v) || p[h + 3] != ':'
        || !sfb_digits(p + h + 4, 2, 59, &v))
    {
        return 0;
    }

    /* a fraction, or nothing, to its end */
    return sfb_fraction(p + h + 6, n - h - 6) == n - h - 6;
}


/* The ".fffffff" a time may end with: 0 without one, its length (2 to 8)
 * with one of 1 to 7 digits, SFB_FRACTION_BAD for another. */
static size_t
sfb_fraction(const unsigned char *p, size_t n)
{
    size_t  f;

    if (n == 0 || *p != '.') {
        return 0;
    }

    for (f = 1; f < n && f <= 8 && p[f] >= '0' && p[f] <= '9'; f++) {
        /* void */
    }

    return (f == 1 || f > 8) ? SFB_FRACTION_BAD : f;
}


/* escapes were validated by the caller */

static size_t
sfb_pct_decode(const unsigned char *src, size_t n, unsigned char *dst)
{
    size_t  i, d;

    for (i = 0, d = 0; i < n; d++) {
        if (src[i] == '%') {
            dst[d] = (unsigned char) (sfb_hex(src[i + 1]) << 4
                                      | sfb_hex(src[i + 2]));
            i += 3;

        } else {
            dst[d] = src[i++];
        }
    }

    return d;
}

/* Content-Type */


static int
sfb_is_ows(unsigned char c)
{
    return c == ' ' || c == '\t';
}


static int
sfb_skip_ci(const unsigned char **p, const unsigned char *end, const char *s)
{
    const unsigned char  *q;

    for (q = *p; *s; s++, q++) {
        if (q == end || sfb_lower(*q) != (unsigned char) *s) {
            return 0;
        }
    }

    *p = q;

    return 1;
}


sfb_reason_e
sfb_check_content_type(const unsigned char *v, size_t len)
{
    const unsigned char  *p, *end;

    if (len == 0) {
        return SFB_REASON_CONTENT_TYPE_UNSUPPORTED;
    }

    p = v;
    end = v + len;

    while (p < end && sfb_is_ows(*p)) {
        p++;
    }

    if (!sfb_skip_ci(&p, end, "application/json")) {
        return SFB_REASON_CONTENT_TYPE_UNSUPPORTED;
    }

    while (p < end && sfb_is_ows(*p)) {
        p++;
    }

    if (p == end) {
        return SFB_REASON_NONE;
    }

    if (*p++ != ';') {
        return SFB_REASON_CONTENT_TYPE_UNSUPPORTED;
    }

    while (p < end && sfb_is_ows(*p)) {
        p++;
    }

    if (!sfb_skip_ci(&p, end, "charset")) {
        return SFB_REASON_CONTENT_TYPE_UNSUPPORTED;
    }

    while (p < end && sfb_is_ows(*p)) {
        p++;
    }

    if (p == end || *p++ != '=') {
        return SFB_REASON_CONTENT_TYPE_UNSUPPORTED;
    }

    while (p < end && sfb_is_ows(*p)) {
        p++;
    }

    if (p < end && *p == '"') {
        p++;

        if (!sfb_skip_ci(&p, end, "utf-8\"")) {
            return SFB_REASON_CONTENT_TYPE_UNSUPPORTED;
        }

    } else if (!sfb_skip_ci(&p, end, "utf-8")) {
        return SFB_REASON_CONTENT_TYPE_UNSUPPORTED;
    }

    while (p < end && sfb_is_ows(*p)) {
        p++;
    }

    return (p == end) ? SFB_REASON_NONE : SFB_REASON_CONTENT_TYPE_UNSUPPORTED;
}
