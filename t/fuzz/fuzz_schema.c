/*
 * Fuzz target: the body of every call of the surface, sfb_parse_body_for()
 * on any bytes, and sfb_mask_secrets() on the same bytes as an answer.
 *
 * Input: one byte choosing the body kind (its value modulo the kinds),
 * then the body.
 *
 * Invariants:
 *  - the reason is one the body step may give for that kind;
 *  - the detail is a NUL-terminated printable ASCII sentence, empty when
 *    accepted, never empty when refused for JSON or schema;
 *  - an accepted body's canonical form (EnableBackup's is fuzz_body's)
 *    fits SFB_CANONICAL_JSON_MAX(len),
 *    is empty only for a kind that may be empty and an empty body, else is
 *    one JSON object; parsed again it is accepted and gives the very same
 *    bytes (a fixed point), the same clean flag and storage summary;
 *  - the storage summary is printable ASCII and names no secret
 *    (no AccountKey=, SharedAccessSignature=, password);
 *  - sfb_mask_secrets() gives NULL or a JSON text that masks to itself.
 */

#include <strings.h>

#include <jansson.h>

#include "sfb_fuzz_gate.h"
#include "sfb_json.h"


static const sfb_body_kind_e  kinds[] = {
    SFB_BODY_NONE, SFB_BODY_ENABLE, SFB_BODY_DISABLE, SFB_BODY_BACKUP,
    SFB_BODY_RESTORE, SFB_BODY_POLICY, SFB_BODY_STORAGE_QUERY
};


static sfb_reason_e parse(const sfb_rules_t *rules, sfb_body_kind_e kind,
    const unsigned char *body, size_t len, sfb_body_t *b,
    unsigned char **buf, char *detail, size_t detail_size);
static void check_accepted(const sfb_rules_t *rules, sfb_body_kind_e kind,
    const unsigned char *body, const sfb_body_t *b, size_t len);
static void check_no_secret(const unsigned char *body, size_t len,
    const char *summary);
static void secrets_in(json_t *v, json_t *root, const char *summary,
    unsigned depth);
static void secret(const char *v, size_t n, json_t *root,
    const char *summary);
static size_t occurrences(json_t *t, const char *v, size_t n,
    unsigned depth);
static void check_mask(const unsigned char *in, size_t len);


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char              detail[SFB_DETAIL_SIZE];
    size_t            len;
    sfb_body_t        b;
    sfb_rules_t       rules;
    sfb_reason_e      rc;
    unsigned char    *body, *buf;
    sfb_body_kind_e   kind;

    if (size == 0) {
        return 0;
    }

    sfb_json_scratch_install();

    kind = kinds[data[0] % (sizeof(kinds) / sizeof(kinds[0]))];
    len = size - 1;
    body = sfb_fuzz_dup(data + 1, len);

    sfb_rules_init(&rules);
    rules.max_body = 64 * 1024;

    rc = parse(&rules, kind, body, len, &b, &buf, detail, sizeof(detail));

    SFB_FUZZ_CHECK(rc == SFB_REASON_NONE || rc == SFB_REASON_BODY_MISSING
                   || rc == SFB_REASON_BODY_TOO_LARGE
                   || rc == SFB_REASON_BODY_INVALID_JSON
                   || rc == SFB_REASON_BODY_SCHEMA
                   || rc == SFB_REASON_BODY_NOT_EMPTY
                   || (kind == SFB_BODY_ENABLE
                       && rc == SFB_REASON_POLICY_INVALID),
                   "parse_body_for(%d) gave %s", (int) kind,
                   sfb_reason_name(rc));

    SFB_FUZZ_CHECK(rc != SFB_REASON_BODY_NOT_EMPTY
                   || (kind == SFB_BODY_NONE && len > 0),
                   "body_not_empty for kind %d and %zu bytes", (int) kind,
                   len);

    SFB_FUZZ_CHECK(sfb_fuzz_printable(detail, sizeof(detail)),
                   "detail is not NUL-terminated printable ASCII");

    SFB_FUZZ_CHECK(rc == SFB_REASON_NONE ? detail[0] == '\0'
                   : rc == SFB_REASON_BODY_INVALID_JSON
                     || rc == SFB_REASON_BODY_SCHEMA
                   ? detail[0] != '\0' : 1,
                   "%s with detail '%s'", sfb_reason_name(rc), detail);

    if (rc == SFB_REASON_NONE) {
        check_accepted(&rules, kind, body, &b, len);
    }

    free(buf);

    check_mask(body, len);

    free(body);

    return 0;
}


/* into a buffer of exactly what the header says suffices */

static sfb_reason_e
parse(const sfb_rules_t *rules, sfb_body_kind_e kind,
    const unsigned char *body, size_t len, sfb_body_t *b, unsigned char **buf,
    char *detail, size_t detail_size)
{
    *buf = sfb_fuzz_alloc(SFB_CANONICAL_JSON_MAX(len));

    memset(b, 0, sizeof(sfb_body_t));

    return sfb_parse_body_for(rules, kind, body, len, b, *buf,
                              SFB_CANONICAL_JSON_MAX(len), detail,
                              detail_size);
}


static void
check_accepted(const sfb_rules_t *rules, sfb_body_kind_e kind,
    const unsigned char *body, const sfb_body_t *b, size_t len)
{
    char            detail[SFB_DETAIL_SIZE];
    json_t         *json;
    sfb_body_t      b2;
    sfb_reason_e    rc;
    json_error_t    err;
    unsigned char  *copy, *buf2;

    SFB_FUZZ_CHECK(b->canonical.len <= SFB_CANONICAL_JSON_MAX(len),
                   "canonical body of %zu bytes from %zu", b->canonical.len,
                   len);

    SFB_FUZZ_CHECK(sfb_fuzz_printable(b->storage, sizeof(b->storage)),
                   "storage summary is not printable ASCII");

    check_no_secret(body, len, b->storage);

    /* EnableBackup's body is written by sfb_canonical_body(): fuzz_body */
    if (kind == SFB_BODY_ENABLE) {
        return;
    }

    if (b->canonical.len == 0) {
        SFB_FUZZ_CHECK(len == 0
                       && kind != SFB_BODY_POLICY
                       && kind != SFB_BODY_STORAGE_QUERY,
                       "empty canonical body for kind %d from %zu bytes",
                       (int) kind, len);
        return;
    }

    json = json_loadb((const char *) b->canonical.data, b->canonical.len, 0,
                      &err);
    SFB_FUZZ_CHECK(json != NULL && json_is_object(json),
                   "canonical body is not a JSON object: %.*s",
                   (int) b->canonical.len, b->canonical.data);
    json_decref(json);

    /* the canonical body, given again: accepted, the same bytes */
    copy = sfb_fuzz_dup(b->canonical.data, b->canonical.len);

    rc = parse(rules, kind, copy, b->canonical.len, &b2, &buf2, detail,
               sizeof(detail));

    SFB_FUZZ_CHECK(rc == SFB_REASON_NONE,
                   "canonical body refused: %s (%s): %.*s",
                   sfb_reason_name(rc), detail, (int) b->canonical.len,
                   b->canonical.data);

    SFB_FUZZ_CHECK(sfb_fuzz_eq(b->canonical.data, b->canonical.len,
                               b2.canonical.data, b2.canonical.len),
                   "canonical body is not a fixed point: %.*s -> %.*s",
                   (int) b->canonical.len, b->canonical.data,
                   (int) b2.canonical.len, b2.canonical.data);

    SFB_FUZZ_CHECK(b->clean == b2.clean && b->has_storage == b2.has_storage
                   && strcmp(b->storage, b2.storage) == 0,
                   "canonical body reads differently: clean %d/%d, "
                   "storage '%s'/'%s'", b->clean, b2.clean, b->storage,
                   b2.storage);

    free(buf2);
    free(copy);
}


static void
check_mask(const unsigned char *in, size_t len)
{
    char          *once, *twice;
    size_t         n, m;
    json_t        *json;
    json_error_t   err;

    n = 0;
    once = sfb_mask_secrets(in, len, &n);

    if (once == NULL) {
        return;
    }

    json = json_loadb(once, n, 0, &err);
    SFB_FUZZ_CHECK(json != NULL, "masked answer is not JSON: %.*s", (int) n,
                   once);
    json_decref(json);

    m = 0;
    twice = sfb_mask_secrets((const unsigned char *) once, n, &m);

    SFB_FUZZ_CHECK(twice != NULL
                   && sfb_fuzz_eq((const unsigned char *) once, n,
                                  (const unsigned char *) twice, m),
                   "masking is not a fixed point: %.*s -> %.*s", (int) n,
                   once, (int) m, twice != NULL ? twice : "(null)");

    free(twice);
    free(once);
}


/*
 * No secret of the body in the summary: each password, and each AccountKey
 * or SharedAccessSignature of a connection string, of 8 bytes or more with
 * a digit (the summary's own words have none) and found once in the
 * body's strings (so not also in a name the summary may show), is not in
 * it.
 */
static void
check_no_secret(const unsigned char *body, size_t len, const char *summary)
{
    json_t        *json;
    json_error_t   err;

    json = json_loadb((const char *) body, len, 0, &err);
    if (json == NULL) {
        return;
    }

    secrets_in(json, json, summary, 0);
    json_decref(json);
}


static void
secrets_in(json_t *v, json_t *root, const char *summary, unsigned depth)
{
    size_t       i, n, k;
    json_t      *e;
    const char  *key, *s, *p, *end, *eq;

    if (depth > 32) {
        return;
    }

    if (json_is_array(v)) {
        json_array_foreach(v, i, e) {
            secrets_in(e, root, summary, depth + 1);
        }
        return;
    }

    if (!json_is_object(v)) {
        return;
    }

    json_object_foreach(v, key, e) {
        if (!json_is_string(e)) {
            secrets_in(e, root, summary, depth + 1);
            continue;
        }

        s = json_string_value(e);
        n = json_string_length(e);

        if (strcasecmp(key, "PrimaryPassword") == 0
            || strcasecmp(key, "SecondaryPassword") == 0)
        {
            secret(s, n, root, summary);
            continue;
        }

        if (strcasecmp(key, "ConnectionString") != 0) {
            continue;
        }

        for (p = s, end = s + n; p < end; p += k + 1) {
            k = (size_t) (end - p);
            eq = memchr(p, ';', k);
            k = eq ? (size_t) (eq - p) : k;

            eq = memchr(p, '=', k);
            if (eq == NULL) {
                continue;
            }

            if ((eq - p == 10 && strncasecmp(p, "AccountKey", 10) == 0)
                || (eq - p == 21
                    && strncasecmp(p, "SharedAccessSignature", 21) == 0))
            {
                secret(eq + 1, k - (size_t) (eq + 1 - p), root, summary);
            }
        }
    }
}


static void
secret(const char *v, size_t n, json_t *root, const char *summary)
{
    size_t  i, seen, digits;

    /* the summary's own words (kinds, labels) have no digit */
    for (i = 0, digits = 0; i < n; i++) {
        digits += v[i] >= '0' && v[i] <= '9';
    }

    if (n < 8 || digits == 0 || occurrences(root, v, n, 0) != 1) {
        return;
    }

    for (i = 0, seen = 0; i + n <= strlen(summary); i++) {
        seen += memcmp(summary + i, v, n) == 0;
    }

    SFB_FUZZ_CHECK(seen == 0, "storage summary '%s' shows a secret of %zu "
                   "bytes", summary, n);
}


/* how often the n bytes at v are in the strings (keys too) of the tree */
static size_t
occurrences(json_t *t, const char *v, size_t n, unsigned depth)
{
    size_t       i, k, m, count;
    json_t      *e;
    const char  *key, *s;

    count = 0;

    if (depth > 32) {
        return 2;
    }

    if (json_is_string(t)) {
        s = json_string_value(t);
        m = json_string_length(t);

        for (k = 0; k + n <= m; k++) {
            count += memcmp(s + k, v, n) == 0;
        }

    } else if (json_is_array(t)) {
        json_array_foreach(t, i, e) {
            count += occurrences(e, v, n, depth + 1);
        }

    } else if (json_is_object(t)) {
        json_object_foreach(t, key, e) {
            m = strlen(key);

            for (k = 0; k + n <= m; k++) {
                count += memcmp(key + k, v, n) == 0;
            }

            count += occurrences(e, v, n, depth + 1);
        }
    }

    return count;
}
