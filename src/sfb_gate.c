/*
 * sf-backup-gate: the policy gate's pure core, in the order a request meets
 * it: path, query, Content-Type, body, policy, then the canonical forms that
 * are forwarded and the words of a FabricError.
 */

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "sfb_gate.h"
#include "sfb_json.h"


#define SFB_UUID_LEN  36

/* jansson's memory for parsing a body of common size (sfb_json.h) */
#define SFB_BODY_SCRATCH  2048

/* the canonical body around a name that needs no escaping */
#define SFB_BODY_HEAD  "{\"BackupPolicyName\":\""
#define SFB_BODY_TAIL  "\"}"


/* Counts the full length and writes what fits, so that one pass both sizes
 * and fills a message. */
typedef struct {
    char                 *out;
    size_t                size;
    size_t                len;
} sfb_msg_t;


/* Walks the surviving segments of a path from its end, so that dot segments
 * resolve without storage: ".." removes the nearest surviving segment before
 * it, "." and empty segments vanish. */
typedef struct {
    const unsigned char  *uri;
    size_t                pos;      /* uri[0..pos) not visited yet */
    size_t                skip;     /* ".." segments still to apply */
    unsigned              done:1;
} sfb_seg_iter_t;


/* Non-ASCII letters that .NET's case-insensitive comparisons fold onto an
 * ASCII letter of our segment names: another parser may see them as equal. */
typedef struct {
    unsigned char         letter;
    const char           *utf8;
    size_t                len;
} sfb_fold_t;


static unsigned char sfb_lower(unsigned char c);
static int sfb_hex(unsigned char c);
static int sfb_is_unreserved(unsigned char c);
static void sfb_seg_iter_init(sfb_seg_iter_t *it, const unsigned char *uri,
    size_t len);
static int sfb_seg_prev(sfb_seg_iter_t *it, sfb_str_t *seg);
static int sfb_seg_resembles(const sfb_str_t *seg, const char *name,
    int *exact);
static sfb_reason_e sfb_match_partition(const unsigned char *uri, size_t len,
    sfb_target_t *t, unsigned char *buf, size_t size);
static int sfb_name_piece_valid(const unsigned char *p, size_t n);
static sfb_reason_e sfb_match_name(const unsigned char *uri, size_t len,
    size_t m, sfb_target_t *t, unsigned char *buf, size_t size);
static int sfb_is_ows(unsigned char c);
static int sfb_skip_ci(const unsigned char **p, const unsigned char *end,
    const char *s);
static size_t sfb_pct_decode(const unsigned char *src, size_t n,
    unsigned char *dst);
static int sfb_str_eq(const unsigned char *a, size_t alen,
    const unsigned char *b, size_t blen);
static const char *sfb_json_type(const json_t *json);
static void sfb_msg_init(sfb_msg_t *m, char *out, size_t size);
static void sfb_msg_add(sfb_msg_t *m, const char *data, size_t n);
static void sfb_msg_str(sfb_msg_t *m, const char *s);
static void sfb_msg_u64(sfb_msg_t *m, uint64_t v);
static void sfb_msg_safe(sfb_msg_t *m, const unsigned char *data, size_t n,
    size_t max);
static void sfb_msg_quote(sfb_msg_t *m, const sfb_str_t *s);
static size_t sfb_msg_end(sfb_msg_t *m);
static void sfb_take(unsigned char **p, size_t *left, size_t want,
    unsigned char **buf, size_t *size);


static const sfb_str_t  sfb_default_api_versions[] = {
    sfb_str_lit("6.2-preview")
};


static const sfb_fold_t  sfb_folds[] = {
    { 'i', "\xc4\xb1", 2 },         /* U+0131 dotless i */
    { 'i', "\xc4\xb0", 2 },         /* U+0130 capital I with dot */
    { 's', "\xc5\xbf", 2 },         /* U+017F long s */
    { 'k', "\xe2\x84\xaa", 3 }      /* U+212A Kelvin sign */
};


void
sfb_rules_init(sfb_rules_t *rules)
{
    memset(rules, 0, sizeof(sfb_rules_t));

    rules->api_versions = sfb_default_api_versions;
    rules->n_api_versions = 1;
    rules->timeout_min = 1;
    rules->timeout_max = 4294967295ULL;
    rules->max_body = 4096;
}


void
sfb_decision_init(sfb_decision_t *d)
{
    memset(d, 0, sizeof(sfb_decision_t));

    d->kind = SFB_PATH_OTHER;
    d->reason = SFB_REASON_NONE;
    d->target.entity = SFB_ENTITY_NONE;
    d->target.reason = SFB_REASON_NONE;
}


static unsigned char
sfb_lower(unsigned char c)
{
    /* not tolower(): the locale must not change what matches */
    return (c >= 'A' && c <= 'Z') ? (unsigned char) (c | 0x20) : c;
}


static int
sfb_hex(unsigned char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }

    c = sfb_lower(c);

    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }

    return -1;
}


static int
sfb_is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
           || (c >= '0' && c <= '9')
           || c == '-' || c == '.' || c == '_' || c == '~';
}


/* path */


static void
sfb_seg_iter_init(sfb_seg_iter_t *it, const unsigned char *uri, size_t len)
{
    it->uri = uri;
    it->pos = len;
    it->skip = 0;
    it->done = 0;
}


static int
sfb_seg_prev(sfb_seg_iter_t *it, sfb_str_t *seg)
{
    size_t                s, e;
    const unsigned char  *p;

    while (!it->done) {
        e = it->pos;
        s = e;

        /* '\' too: Windows-side parsers turn it into '/' */
        while (s > 0 && it->uri[s - 1] != '/' && it->uri[s - 1] != '\\') {
            s--;
        }

        if (s == 0) {
            it->done = 1;

        } else {
            it->pos = s - 1;
        }

        p = it->uri + s;

        if (e == s || (e - s == 1 && p[0] == '.')) {
            continue;
        }

        if (e - s == 2 && p[0] == '.' && p[1] == '.') {
            it->skip++;
            continue;
        }

        if (it->skip) {
            it->skip--;
            continue;
        }

        seg->data = p;
        seg->len = e - s;

        return 1;
    }

    return 0;
}


/*
 * Whether seg begins with name (lowercase ASCII) under any folding another
 * parser might apply; *exact is set when it is the name itself, ASCII
 * case-insensitively, and nothing more.
 */

static int
sfb_seg_resembles(const sfb_str_t *seg, const char *name, int *exact)
{
    int            folded;
    size_t         i, k;
    unsigned char  c;

    folded = 0;
    i = 0;

    for ( /* void */ ; *name; name++) {
        c = (unsigned char) *name;

        if (i < seg->len && sfb_lower(seg->data[i]) == c) {
            i++;
            continue;
        }

        for (k = 0; k < sizeof(sfb_folds) / sizeof(sfb_folds[0]); k++) {
            if (sfb_folds[k].letter == c
                && seg->len - i >= sfb_folds[k].len
                && memcmp(seg->data + i, sfb_folds[k].utf8, sfb_folds[k].len)
                   == 0)
            {
                break;
            }
        }

        if (k == sizeof(sfb_folds) / sizeof(sfb_folds[0])) {
            return 0;
        }

        i += sfb_folds[k].len;
        folded = 1;
    }

    *exact = (!folded && i == seg->len);

    return 1;
}


/*
 * The common case first: /Partitions/<uuid>/$/EnableBackup, ASCII letters
 * in any case, nothing else.  Four plain segments and a well-formed id leave
 * the walk below nothing to fold, skip or refuse, so its answer is known:
 * what it would decide, without walking the segments twice.  The unit tests
 * and fuzz_path hold the two equal.
 */

#define SFB_PARTITION_HEAD      "/partitions/"
#define SFB_PARTITION_HEAD_LEN  (sizeof(SFB_PARTITION_HEAD) - 1)
#define SFB_ENABLE_TAIL         "/$/enablebackup"
#define SFB_ENABLE_TAIL_LEN     (sizeof(SFB_ENABLE_TAIL) - 1)
#define SFB_PARTITION_PATH_LEN                                                \
    (SFB_PARTITION_HEAD_LEN + SFB_UUID_LEN + SFB_ENABLE_TAIL_LEN)

sfb_path_kind_e
sfb_match_path(const unsigned char *uri, size_t len, sfb_target_t *t,
    unsigned char *buf, size_t size)
{
    size_t                i;
    const char           *w;
    const unsigned char  *id;

    if (len != SFB_PARTITION_PATH_LEN || size < SFB_UUID_LEN) {
        return sfb_match_path_slow(uri, len, t, buf, size);
    }

    for (i = 0, w = SFB_PARTITION_HEAD; i < SFB_PARTITION_HEAD_LEN; i++) {
        if (sfb_lower(uri[i]) != (unsigned char) w[i]) {
            return sfb_match_path_slow(uri, len, t, buf, size);
        }
    }

    id = uri + SFB_PARTITION_HEAD_LEN;

    for (i = 0, w = SFB_ENABLE_TAIL; i < SFB_ENABLE_TAIL_LEN; i++) {
        if (sfb_lower(id[SFB_UUID_LEN + i]) != (unsigned char) w[i]) {
            return sfb_match_path_slow(uri, len, t, buf, size);
        }
    }

    for (i = 0; i < SFB_UUID_LEN; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (id[i] != '-') {
                return sfb_match_path_slow(uri, len, t, buf, size);
            }

        } else if (sfb_hex(id[i]) < 0) {
            return sfb_match_path_slow(uri, len, t, buf, size);
        }

        buf[i] = sfb_lower(id[i]);
    }

    t->entity = SFB_ENTITY_PARTITION;
    t->reason = SFB_REASON_NONE;
    t->id = buf;
    t->id_len = SFB_UUID_LEN;

    return SFB_PATH_GOVERNED;
}


sfb_path_kind_e
sfb_match_path_slow(const unsigned char *uri, size_t len, sfb_target_t *t,
    unsigned char *buf, size_t size)
{
    int             exact, all_exact;
    size_t          n;
    sfb_str_t       seg, first, last, prev;
    sfb_entity_e    entity;
    sfb_seg_iter_t  it;

    t->entity = SFB_ENTITY_NONE;
    t->reason = SFB_REASON_NONE;
    t->id = buf;
    t->id_len = 0;

    /* {NULL, 0} is an empty range too: no pointer arithmetic on NULL */
    if (len == 0) {
        return SFB_PATH_OTHER;
    }

    all_exact = 0;
    first.data = NULL;
    first.len = 0;
    last = first;
    prev = first;
    n = 0;

    sfb_seg_iter_init(&it, uri, len);

    while (sfb_seg_prev(&it, &seg)) {
        if (n == 0) {
            last = seg;

        } else if (n == 1) {
            prev = seg;
        }

        first = seg;
        n++;
    }

    if (n == 0) {
        return SFB_PATH_OTHER;
    }

    if (sfb_seg_resembles(&first, "backuprestore", &exact)) {
        return SFB_PATH_BACKUP_RESTORE;
    }

    if (sfb_seg_resembles(&first, "partitions", &all_exact)) {
        entity = SFB_ENTITY_PARTITION;

    } else if (sfb_seg_resembles(&first, "services", &all_exact)) {
        entity = SFB_ENTITY_SERVICE;

    } else if (sfb_seg_resembles(&first, "applications", &all_exact)) {
        entity = SFB_ENTITY_APPLICATION;

    } else {
        return SFB_PATH_OTHER;
    }

    if (n < 3) {
        return SFB_PATH_OTHER;
    }

    if (!sfb_seg_resembles(&prev, "$", &exact)) {
        return SFB_PATH_OTHER;
    }

    all_exact = all_exact && exact;

    if (!sfb_seg_resembles(&last, "enablebackup", &exact)) {
        return SFB_PATH_OTHER;
    }

    all_exact = all_exact && exact;

    t->entity = entity;

    /* a look-alike is ours to refuse, not the cluster's to reinterpret */
    if (!all_exact || memchr(uri, '\\', len) != NULL) {
        t->reason = SFB_REASON_PATH_INVALID;
        return SFB_PATH_GOVERNED;
    }

    if (entity == SFB_ENTITY_PARTITION) {
        t->reason = (n == 4) ? sfb_match_partition(uri, len, t, buf, size)
                             : SFB_REASON_PARTITION_ID_INVALID;

    } else {
        t->reason = sfb_match_name(uri, len, n - 3, t, buf, size);
    }

    if (t->reason != SFB_REASON_NONE) {
        t->id_len = 0;
    }

    return SFB_PATH_GOVERNED;
}


static sfb_reason_e
sfb_match_partition(const unsigned char *uri, size_t len, sfb_target_t *t,
    unsigned char *buf, size_t size)
{
    size_t          i;
    sfb_str_t       seg;
    sfb_seg_iter_t  it;

    /* the id is the third segment from the end */
    sfb_seg_iter_init(&it, uri, len);

    for (i = 0; i < 3; i++) {
        if (!sfb_seg_prev(&it, &seg)) {
            return SFB_REASON_PARTITION_ID_INVALID;
        }
    }

    if (seg.len != SFB_UUID_LEN) {
        return SFB_REASON_PARTITION_ID_INVALID;
    }

    for (i = 0; i < SFB_UUID_LEN; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (seg.data[i] != '-') {
                return SFB_REASON_PARTITION_ID_INVALID;
            }

        } else if (sfb_hex(seg.data[i]) < 0) {
            return SFB_REASON_PARTITION_ID_INVALID;
        }
    }

    if (size < SFB_UUID_LEN) {
        return SFB_REASON_INTERNAL_ERROR;
    }

    for (i = 0; i < SFB_UUID_LEN; i++) {
        buf[i] = sfb_lower(seg.data[i]);
    }

    t->id = buf;
    t->id_len = SFB_UUID_LEN;

    return SFB_REASON_NONE;
}


static int
sfb_name_piece_valid(const unsigned char *p, size_t n)
{
    size_t         i;
    unsigned char  c;

    /* a trailing dot covers "." and "..", and names .NET would trim */
    if (n == 0 || p[n - 1] == '.') {
        return 0;
    }

    for (i = 0; i < n; i++) {
        c = p[i];

        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
        {
            return 0;
        }
    }

    return 1;
}


/*
 * m segments between the entity name and "$" make the id, joined with '~'
 * as the cluster's gateway does; '~' inside a segment splits pieces too.
 */

static sfb_reason_e
sfb_match_name(const unsigned char *uri, size_t len, size_t m,
    sfb_target_t *t, unsigned char *buf, size_t size)
{
    size_t                i, total, w;
    sfb_str_t             seg;
    const unsigned char  *p, *end, *tilde;
    sfb_seg_iter_t        it;

    if (m == 0) {
        return SFB_REASON_ENTITY_NAME_INVALID;
    }

    sfb_seg_iter_init(&it, uri, len);
    (void) sfb_seg_prev(&it, &seg);
    (void) sfb_seg_prev(&it, &seg);

    total = m - 1;

    for (i = 0; i < m; i++) {
        if (!sfb_seg_prev(&it, &seg)) {
            return SFB_REASON_ENTITY_NAME_INVALID;
        }

        p = seg.data;
        end = seg.data + seg.len;

        for ( ;; ) {
            tilde = memchr(p, '~', end - p);

            if (!sfb_name_piece_valid(p, (tilde ? tilde : end) - p)) {
                return SFB_REASON_ENTITY_NAME_INVALID;
            }

            if (tilde == NULL) {
                break;
            }

            p = tilde + 1;
        }

        total += seg.len;
    }

    if (total > SFB_ENTITY_ID_MAX) {
        return SFB_REASON_ENTITY_NAME_INVALID;
    }

    if (total > size) {
        return SFB_REASON_INTERNAL_ERROR;
    }

    /* the segments come last first: fill the id from its end */
    sfb_seg_iter_init(&it, uri, len);
    (void) sfb_seg_prev(&it, &seg);
    (void) sfb_seg_prev(&it, &seg);

    w = total;

    for (i = 0; i < m; i++) {
        (void) sfb_seg_prev(&it, &seg);

        w -= seg.len;
        memcpy(buf + w, seg.data, seg.len);

        if (i + 1 < m) {
            buf[--w] = '~';
        }
    }

    t->id = buf;
    t->id_len = total;

    return SFB_REASON_NONE;
}


/* query */


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


static int
sfb_str_eq(const unsigned char *a, size_t alen, const unsigned char *b,
    size_t blen)
{
    return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
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


/* body */


static const char *
sfb_json_type(const json_t *json)
{
    switch (json_typeof(json)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a real number";
    case JSON_TRUE:
        return "true";
    case JSON_FALSE:
        return "false";
    default:
        return "null";
    }
}


/*
 * Duplicate members are refused by jansson while parsing and so are
 * BODY_INVALID_JSON; members are judged in document order: an unknown one
 * first, then a missing or mistyped BackupPolicyName, then an empty one.
 */

sfb_reason_e
sfb_parse_body(const sfb_rules_t *rules, const unsigned char *body,
    size_t len, sfb_body_t *b, unsigned char *buf, size_t size,
    char *detail, size_t detail_size)
{
    size_t  n;

    /*
     * A body that is byte for byte the canonical body of its name (what
     * sfb_canonical_body() writes, and jansson's json_dumpb() with it) is
     * that name: jansson reads its own output back as the value it printed.
     * Only names that jansson prints as they are qualify, so nothing is
     * unescaped or decoded here; every other body goes to jansson.  The
     * unit tests and fuzz_body hold the two equal, reason and detail.
     */
    n = sizeof(SFB_BODY_HEAD) - 1 + sizeof(SFB_BODY_TAIL) - 1;

    if (len > n && len <= rules->max_body && len - n <= size
        && memcmp(body, SFB_BODY_HEAD, sizeof(SFB_BODY_HEAD) - 1) == 0
        && memcmp(body + len - (sizeof(SFB_BODY_TAIL) - 1), SFB_BODY_TAIL,
                  sizeof(SFB_BODY_TAIL) - 1) == 0
        && sfb_json_plain(body + sizeof(SFB_BODY_HEAD) - 1, len - n))
    {
        memcpy(buf, body + sizeof(SFB_BODY_HEAD) - 1, len - n);
        b->policy = buf;
        b->policy_len = len - n;

        if (detail_size > 0) {
            detail[0] = '\0';
        }

        return SFB_REASON_NONE;
    }

    return sfb_parse_body_json(rules, body, len, b, buf, size, detail,
                               detail_size);
}


sfb_reason_e
sfb_parse_body_json(const sfb_rules_t *rules, const unsigned char *body,
    size_t len, sfb_body_t *b, unsigned char *buf, size_t size,
    char *detail, size_t detail_size)
{
    void          *iter;
    size_t         klen, n;
    json_t        *json, *v;
    sfb_msg_t      m;
    sfb_str_t      key;
    const char    *k;
    sfb_reason_e   rc;
    json_error_t   err;
    unsigned char  mem[SFB_BODY_SCRATCH];
    sfb_json_scratch_t  scratch;

    b->policy = buf;
    b->policy_len = 0;
    scratch.active = 0;

    sfb_msg_init(&m, detail, detail_size);

    if (len == 0) {
        rc = SFB_REASON_BODY_MISSING;
        goto done;
    }

    if (len > rules->max_body) {
        rc = SFB_REASON_BODY_TOO_LARGE;
        goto done;
    }

    /* the parse lives on this stack: no malloc() for a body of common size */
    sfb_json_scratch_begin(&scratch, mem, sizeof(mem));

    json = json_loadb((const char *) body, len, JSON_REJECT_DUPLICATES, &err);

    if (json == NULL) {
#if (JANSSON_VERSION_HEX >= 0x020e00)
        if (json_error_code(&err) == json_error_out_of_memory) {
            rc = SFB_REASON_INTERNAL_ERROR;
            goto done;
        }
#endif

        /* jansson quotes the offending input in its text */
        sfb_msg_safe(&m, (const unsigned char *) err.text,
                     strnlen(err.text, JSON_ERROR_TEXT_LENGTH - 1),
                     JSON_ERROR_TEXT_LENGTH);
        sfb_msg_str(&m, " (line ");
        sfb_msg_u64(&m, (uint64_t) (err.line < 0 ? 0 : err.line));
        sfb_msg_str(&m, ", column ");
        sfb_msg_u64(&m, (uint64_t) (err.column < 0 ? 0 : err.column));
        sfb_msg_str(&m, ")");

        rc = SFB_REASON_BODY_INVALID_JSON;
        goto done;
    }

    rc = SFB_REASON_BODY_SCHEMA;

    if (!json_is_object(json)) {
        sfb_msg_str(&m, "the body must be a JSON object, not ");
        sfb_msg_str(&m, sfb_json_type(json));
        goto release;
    }

    for (iter = json_object_iter(json);
         iter != NULL;
         iter = json_object_iter_next(json, iter))
    {
        k = json_object_iter_key(iter);
        /* jansson refuses NUL in keys, so strlen() is the whole key */
        klen = strlen(k);

        if (klen == 16 && memcmp(k, "BackupPolicyName", 16) == 0) {
            continue;
        }

        key.data = (const unsigned char *) k;
        key.len = klen;

        sfb_msg_str(&m, "unknown member ");
        sfb_msg_quote(&m, &key);
        sfb_msg_str(&m, "; only 'BackupPolicyName' is allowed");
        goto release;
    }

    v = json_object_get(json, "BackupPolicyName");

    if (v == NULL) {
        sfb_msg_str(&m, "member 'BackupPolicyName' is missing");
        goto release;
    }

    if (!json_is_string(v)) {
        sfb_msg_str(&m, "member 'BackupPolicyName' must be a string, not ");
        sfb_msg_str(&m, sfb_json_type(v));
        goto release;
    }

    n = json_string_length(v);

    if (n == 0) {
        sfb_msg_str(&m, "member 'BackupPolicyName' is empty");
        rc = SFB_REASON_POLICY_INVALID;
        goto release;
    }

    /* unescaping never grows a string: len bytes always suffice */
    if (n > size) {
        rc = SFB_REASON_INTERNAL_ERROR;
        goto release;
    }

    memcpy(buf, json_string_value(v), n);
    b->policy_len = n;
    rc = SFB_REASON_NONE;

release:

    json_decref(json);

done:

    sfb_json_scratch_end(&scratch);

    (void) sfb_msg_end(&m);

    return rc;
}


/* policy */


sfb_reason_e
sfb_check_policy(const unsigned char *policy, size_t len,
    const sfb_str_t *allowed, size_t n)
{
    size_t  i;

    if (len == 0) {
        return SFB_REASON_POLICY_INVALID;
    }

    for (i = 0; i < n; i++) {
        if (sfb_str_eq(policy, len, allowed[i].data, allowed[i].len)) {
            return SFB_REASON_ALLOWED;
        }
    }

    return SFB_REASON_POLICY_NOT_ALLOWED;
}


/* canonical forms */


size_t
sfb_canonical_path(const sfb_target_t *t, unsigned char *out, size_t size)
{
    size_t       nlen, need;
    const char  *name;

    switch (t->entity) {
    case SFB_ENTITY_PARTITION:
        name = "/Partitions/";
        break;
    case SFB_ENTITY_SERVICE:
        name = "/Services/";
        break;
    case SFB_ENTITY_APPLICATION:
        name = "/Applications/";
        break;
    default:
        return 0;
    }

    nlen = strlen(name);
    need = nlen + t->id_len + sizeof("/$/EnableBackup") - 1;

    if (need > size) {
        return need;
    }

    memcpy(out, name, nlen);

    if (t->id_len) {
        memcpy(out + nlen, t->id, t->id_len);
    }

    memcpy(out + nlen + t->id_len, "/$/EnableBackup",
           sizeof("/$/EnableBackup") - 1);

    return need;
}


size_t
sfb_canonical_query(const sfb_rules_t *rules, const sfb_query_t *q,
    unsigned char *out, size_t size)
{
    int                   tlen;
    char                  num[sizeof("&timeout=18446744073709551615")];
    size_t                i, need;
    unsigned char        *o;
    const sfb_str_t      *v;
    static const char     hex[] = "0123456789ABCDEF";

    v = rules->upstream_api_version.len ? &rules->upstream_api_version
                                        : &q->api_version;

    need = sizeof("api-version=") - 1;

    for (i = 0; i < v->len; i++) {
        need += sfb_is_unreserved(v->data[i]) ? 1 : 3;
    }

    tlen = 0;

    if (q->has_timeout) {
        tlen = snprintf(num, sizeof(num), "&timeout=%llu",
                        (unsigned long long) q->timeout);
        need += (size_t) tlen;
    }

    if (need > size) {
        return need;
    }

    o = out;
    memcpy(o, "api-version=", sizeof("api-version=") - 1);
    o += sizeof("api-version=") - 1;

    for (i = 0; i < v->len; i++) {
        if (sfb_is_unreserved(v->data[i])) {
            *o++ = v->data[i];

        } else {
            *o++ = '%';
            *o++ = (unsigned char) hex[v->data[i] >> 4];
            *o++ = (unsigned char) hex[v->data[i] & 0x0f];
        }
    }

    if (tlen) {
        memcpy(o, num, (size_t) tlen);
    }

    return need;
}


size_t
sfb_canonical_body(const unsigned char *policy, size_t len,
    unsigned char *out, size_t size)
{
    size_t          need;
    unsigned char  *p;

    /*
     * Printable ASCII other than '"' and '\\' is the one case where
     * jansson's compact ASCII output is the name itself between fixed
     * bytes: the common case, made without building and printing an
     * object.  The unit tests and fuzz_body hold it equal to jansson's.
     */
    if (len > 0 && sfb_json_plain(policy, len)) {
        need = sizeof(SFB_BODY_HEAD) - 1 + len + sizeof(SFB_BODY_TAIL) - 1;

        if (need <= size) {
            p = out;
            memcpy(p, SFB_BODY_HEAD, sizeof(SFB_BODY_HEAD) - 1);
            p += sizeof(SFB_BODY_HEAD) - 1;
            memcpy(p, policy, len);
            p += len;
            memcpy(p, SFB_BODY_TAIL, sizeof(SFB_BODY_TAIL) - 1);
        }

        return need;
    }

    return sfb_canonical_body_json(policy, len, out, size);
}


size_t
sfb_canonical_body_json(const unsigned char *policy, size_t len,
    unsigned char *out, size_t size)
{
    size_t   need;
    json_t  *json, *name;

    /* ASCII only: the forwarded body then means the same in any charset */
    name = json_stringn(len ? (const char *) policy : "", len);

    if (name == NULL) {
        return 0;
    }

    json = json_object();

    if (json == NULL || json_object_set_new(json, "BackupPolicyName", name)) {
        if (json == NULL) {
            json_decref(name);
        }

        json_decref(json);
        return 0;
    }

    /*
     * json_dumpb() writes what fits as it goes: one pass straight into out
     * when it surely fits (at most 6 bytes a byte, \\uXXXX), else measure
     * first, so that out is left alone when it is too small.
     */
    if (size >= SFB_CANONICAL_BODY_MAX(len)) {
        need = json_dumpb(json, (char *) out, size,
                          JSON_COMPACT | JSON_ENSURE_ASCII);

    } else {
        need = json_dumpb(json, NULL, 0, JSON_COMPACT | JSON_ENSURE_ASCII);

        if (need != 0 && need <= size
            && json_dumpb(json, (char *) out, need,
                          JSON_COMPACT | JSON_ENSURE_ASCII)
               != need)
        {
            need = 0;
        }
    }

    json_decref(json);

    return need;
}


/* messages */


static void
sfb_msg_init(sfb_msg_t *m, char *out, size_t size)
{
    m->out = out;
    m->size = size;
    m->len = 0;

    if (size) {
        out[0] = '\0';
    }
}


static void
sfb_msg_add(sfb_msg_t *m, const char *data, size_t n)
{
    size_t  room;

    if (m->size && m->len < m->size - 1) {
        room = m->size - 1 - m->len;
        memcpy(m->out + m->len, data, n < room ? n : room);
    }

    m->len += n;
}


static void
sfb_msg_str(sfb_msg_t *m, const char *s)
{
    sfb_msg_add(m, s, strlen(s));
}


static void
sfb_msg_u64(sfb_msg_t *m, uint64_t v)
{
    int   n;
    char  num[sizeof("18446744073709551615")];

    n = snprintf(num, sizeof(num), "%llu", (unsigned long long) v);
    sfb_msg_add(m, num, (size_t) n);
}


/* request bytes: printable ASCII only, at most max of them, so that a
 * message is safe in JSON and in logs */

static void
sfb_msg_safe(sfb_msg_t *m, const unsigned char *data, size_t n, size_t max)
{
    char    c;
    size_t  i;

    for (i = 0; i < n && i < max; i++) {
        c = (data[i] >= 0x20 && data[i] < 0x7f) ? (char) data[i] : '?';
        sfb_msg_add(m, &c, 1);
    }

    if (n > max) {
        sfb_msg_str(m, "...");
    }
}


static void
sfb_msg_quote(sfb_msg_t *m, const sfb_str_t *s)
{
    sfb_msg_add(m, "'", 1);
    sfb_msg_safe(m, s->data, s->len, SFB_QUOTE_MAX);
    sfb_msg_add(m, "'", 1);
}


static size_t
sfb_msg_end(sfb_msg_t *m)
{
    if (m->size) {
        m->out[m->len < m->size ? m->len : m->size - 1] = '\0';
    }

    return m->len;
}


size_t
sfb_describe(sfb_reason_e reason, const sfb_decision_t *d,
    const sfb_rules_t *rules, char *out, size_t size)
{
    size_t       i;
    sfb_msg_t    m;
    const char  *entity;

    sfb_msg_init(&m, out, size);

    switch (reason) {

    case SFB_REASON_ALLOWED:
        sfb_msg_str(&m, "The request is allowed.");
        break;

    case SFB_REASON_METHOD_NOT_ALLOWED:
        if (d->method.len) {
            sfb_msg_str(&m, "Method ");
            sfb_msg_quote(&m, &d->method);
            sfb_msg_str(&m, " is not allowed on EnableBackup; use POST.");

        } else {
            sfb_msg_str(&m, "Only POST is allowed on EnableBackup.");
        }
        break;

    case SFB_REASON_PATH_INVALID:
        sfb_msg_str(&m, "The path is not a valid EnableBackup path; use "
                    "/Partitions/{partitionId}/$/EnableBackup, "
                    "/Services/{serviceId}/$/EnableBackup or "
                    "/Applications/{applicationId}/$/EnableBackup.");
        break;

    case SFB_REASON_PARTITION_ID_INVALID:
        sfb_msg_str(&m, "The partition id must be a UUID such as "
                    "1daae3f5-7fd6-42e9-b1ba-8c05f873994d.");
        break;

    case SFB_REASON_ENTITY_NAME_INVALID:
        entity = sfb_entity_name(d->target.entity);
        sfb_msg_str(&m, "The ");
        sfb_msg_str(&m, *entity ? entity : "entity");
        sfb_msg_str(&m, " id must be its name without 'fabric:', segments "
                    "joined with '~', each made of letters, digits, '.', "
                    "'_' or '-' and not ending in '.', at most ");
        sfb_msg_u64(&m, SFB_ENTITY_ID_MAX);
        sfb_msg_str(&m, " bytes.");
        break;

    case SFB_REASON_QUERY_MALFORMED:
        if (d->query.bad.len) {
            sfb_msg_str(&m, "The query string is malformed near ");
            sfb_msg_quote(&m, &d->query.bad);
            sfb_msg_str(&m, ".");

        } else {
            sfb_msg_str(&m, "The query string is malformed.");
        }
        break;

    case SFB_REASON_QUERY_PARAM_UNKNOWN:
        sfb_msg_str(&m, "Query parameter ");
        sfb_msg_quote(&m, &d->query.bad);
        sfb_msg_str(&m, " is not allowed on EnableBackup.");
        break;

    case SFB_REASON_API_VERSION_MISSING:
    case SFB_REASON_API_VERSION_UNSUPPORTED:
        if (reason == SFB_REASON_API_VERSION_MISSING) {
            sfb_msg_str(&m, "The api-version query parameter is required");

        } else {
            sfb_msg_str(&m, "api-version ");
            sfb_msg_quote(&m, &d->query.bad);
            sfb_msg_str(&m, " is not supported");
        }

        if (rules->n_api_versions == 0) {
            sfb_msg_str(&m, "; no version is enabled.");
            break;
        }

        sfb_msg_str(&m, "; supported versions: ");

        for (i = 0; i < rules->n_api_versions; i++) {
            if (i) {
                sfb_msg_str(&m, ", ");
            }

            sfb_msg_safe(&m, rules->api_versions[i].data,
                         rules->api_versions[i].len, SFB_QUOTE_MAX);
        }

        sfb_msg_str(&m, ".");
        break;

    case SFB_REASON_API_VERSION_REPEATED:
        sfb_msg_str(&m, "The api-version query parameter must be given "
                    "once.");
        break;

    case SFB_REASON_TIMEOUT_INVALID:
    case SFB_REASON_TIMEOUT_OUT_OF_RANGE:
        sfb_msg_str(&m, "timeout must be an integer between ");
        sfb_msg_u64(&m, rules->timeout_min);
        sfb_msg_str(&m, " and ");
        sfb_msg_u64(&m, rules->timeout_max);
        sfb_msg_str(&m, ".");
        break;

    case SFB_REASON_TIMEOUT_REPEATED:
        sfb_msg_str(&m, "The timeout query parameter may be given at most "
                    "once.");
        break;

    case SFB_REASON_CONTENT_TYPE_UNSUPPORTED:
        sfb_msg_str(&m, "Content-Type must be application/json, optionally "
                    "with charset=utf-8.");
        break;

    case SFB_REASON_CONTENT_TYPE_REPEATED:
        sfb_msg_str(&m, "Content-Type must be given once.");
        break;

    case SFB_REASON_BODY_MISSING:
        sfb_msg_str(&m, "A request body {\"BackupPolicyName\": \"<name>\"} "
                    "is required.");
        break;

    case SFB_REASON_BODY_TOO_LARGE:
        sfb_msg_str(&m, "The request body is larger than ");
        sfb_msg_u64(&m, rules->max_body);
        sfb_msg_str(&m, " bytes.");
        break;

    case SFB_REASON_BODY_INVALID_JSON:
        sfb_msg_str(&m, "Invalid JSON body: ");
        sfb_msg_safe(&m, (const unsigned char *) d->detail,
                     strnlen(d->detail, SFB_DETAIL_SIZE), SFB_DETAIL_SIZE);
        sfb_msg_str(&m, ".");
        break;

    case SFB_REASON_BODY_SCHEMA:
        sfb_msg_str(&m, "Invalid request body: ");
        sfb_msg_safe(&m, (const unsigned char *) d->detail,
                     strnlen(d->detail, SFB_DETAIL_SIZE), SFB_DETAIL_SIZE);
        sfb_msg_str(&m, ".");
        break;

    case SFB_REASON_POLICY_INVALID:
        sfb_msg_str(&m, "BackupPolicyName must not be empty.");
        break;

    case SFB_REASON_POLICY_NOT_ALLOWED:
        /* name the policy and the caller, never what would be allowed */
        sfb_msg_str(&m, "Backup policy ");
        sfb_msg_add(&m, "'", 1);
        sfb_msg_safe(&m, d->body.policy, d->body.policy_len, SFB_QUOTE_MAX);
        sfb_msg_add(&m, "'", 1);

        if (d->identity.len) {
            sfb_msg_str(&m, " is not allowed for caller ");
            sfb_msg_quote(&m, &d->identity);
            sfb_msg_str(&m, ".");

        } else {
            sfb_msg_str(&m, " is not allowed for this caller.");
        }
        break;

    case SFB_REASON_IDENTITY_MISSING:
        sfb_msg_str(&m, "The caller could not be identified.");
        break;

    case SFB_REASON_BACKUP_RESTORE_CLOSED:
        sfb_msg_str(&m, "The BackupRestore API is not available through "
                    "this gateway.");
        break;

    case SFB_REASON_AUDIT_UNAVAILABLE:
        sfb_msg_str(&m, "The audit log is unavailable; the request was not "
                    "forwarded.");
        break;

    case SFB_REASON_CLIENT_CLOSED:
        sfb_msg_str(&m, "The client closed the request.");
        break;

    case SFB_REASON_CLIENT_TIMEOUT:
        sfb_msg_str(&m, "The client did not send the request in time.");
        break;

    case SFB_REASON_REQUEST_MALFORMED:
        sfb_msg_str(&m, "The request is malformed HTTP; it was not "
                    "forwarded.");
        break;

    case SFB_REASON_CLIENT_CERT_MISSING:
        sfb_msg_str(&m, "The gateway requires a client certificate, and "
                    "none was sent.");
        break;

    case SFB_REASON_CLIENT_CERT_REJECTED:
        sfb_msg_str(&m, "The client certificate was not accepted by the "
                    "gateway.");
        break;

    case SFB_REASON_REFUSED_BEFORE_GATE:
        sfb_msg_str(&m, "The gateway refused the request before the backup "
                    "gate judged it.");
        break;

    default:
        sfb_msg_str(&m, "Internal error in the backup gate; the request was "
                    "not forwarded.");
        break;
    }

    return sfb_msg_end(&m);
}


/* one shot */


size_t
sfb_decide_scratch_size(const sfb_rules_t *rules, const sfb_request_t *req)
{
    size_t  body, api;

    body = req->body.len < rules->max_body ? req->body.len : rules->max_body;
    api = req->args.len > rules->upstream_api_version.len
          ? req->args.len : rules->upstream_api_version.len;

    /* id, decoded query, policy, then the three canonical forms; a policy
     * byte takes at most 6 bytes as \u00XX in the ASCII-only body */
    return req->uri.len + SFB_UUID_LEN + req->args.len + body
           + sizeof("/Applications//$/EnableBackup") + req->uri.len
           + SFB_UUID_LEN
           + sizeof("api-version=&timeout=18446744073709551615") + 3 * api
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
    size_t          left, size, n;
    sfb_reason_e    rc;
    unsigned char  *p, *buf;

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

    if (!sfb_str_eq(req->method.data, req->method.len,
                    (const unsigned char *) "POST", 4))
    {
        rc = SFB_REASON_METHOD_NOT_ALLOWED;
        goto done;
    }

    if (d->target.reason != SFB_REASON_NONE) {
        rc = d->target.reason;
        goto done;
    }

    sfb_take(&p, &left, req->args.len, &buf, &size);

    rc = sfb_parse_query(rules, req->args.data, req->args.len, &d->query,
                         buf, size);
    if (rc != SFB_REASON_NONE) {
        goto done;
    }

    if (req->content_type_count > 1) {
        rc = SFB_REASON_CONTENT_TYPE_REPEATED;
        goto done;
    }

    rc = sfb_check_content_type(req->content_type.data,
                                req->content_type.len);
    if (rc != SFB_REASON_NONE) {
        goto done;
    }

    sfb_take(&p, &left, req->body.len, &buf, &size);

    rc = sfb_parse_body(rules, req->body.data, req->body.len, &d->body,
                        buf, size, d->detail, sizeof(d->detail));
    if (rc != SFB_REASON_NONE) {
        goto done;
    }

    rc = sfb_check_policy(d->body.policy, d->body.policy_len, req->allowed,
                          req->n_allowed);
    if (rc != SFB_REASON_ALLOWED) {
        goto done;
    }

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
