/*
 * sf-backup-gate: the gate's query and Content-Type rules: api-version and
 * timeout, each at most once, nothing unknown, and JSON only.
 */

#include <stdio.h>
#include <string.h>

#include "sfb_gate.h"
#include "sfb_gate_impl.h"


static int sfb_is_ows(unsigned char c);
static int sfb_skip_ci(const unsigned char **p, const unsigned char *end,
    const char *s);
static size_t sfb_pct_decode(const unsigned char *src, size_t n,
    unsigned char *dst);


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
    size_t                i, n_api, n_timeout, dlen;
    uint64_t              v;
    sfb_str_t             api, timeout;
    const unsigned char  *p, *end, *amp, *eq, *e;

    memset(q, 0, sizeof(sfb_query_t));

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
            q->bad.data = p;
            q->bad.len = eq - p;
            return SFB_REASON_QUERY_PARAM_UNKNOWN;
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

    for (i = 0; i < rules->n_api_versions; i++) {
        if (sfb_str_eq(buf, dlen, rules->api_versions[i].data,
                       rules->api_versions[i].len))
        {
            break;
        }
    }

    if (i == rules->n_api_versions) {
        return SFB_REASON_API_VERSION_UNSUPPORTED;
    }

    q->api_version.data = buf;
    q->api_version.len = dlen;

    q->bad.data = NULL;
    q->bad.len = 0;

    if (n_timeout == 0) {
        return SFB_REASON_NONE;
    }

    buf += dlen;
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

    return SFB_REASON_NONE;
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
