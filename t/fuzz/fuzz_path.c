/*
 * Fuzz target: governed-path matching, sfb_match_path() on any bytes.
 *
 * Invariants:
 *  - sfb_match_path() and sfb_match_path_slow() (no shortcut) agree;
 *  - the result is well formed: OTHER and BACKUP_RESTORE carry no entity,
 *    reason or id; GOVERNED carries an entity, a call of the surface
 *    and one of the path reasons;
 *    a valid id is a lowercase UUID (partition) or '~'-joined name pieces
 *    of at most SFB_ENTITY_ID_MAX bytes, inside the caller's buffer;
 *  - the canonical path of a valid target re-matches to the same entity
 *    and id, and canonicalises to the same bytes again;
 *  - "/" + uri + "/", "/x/.." + uri (uri starting with '/') and uri with
 *    the case of every ASCII letter swapped match the same way (the id of
 *    a name swaps case with it; a partition id does not change);
 *  - an id buffer one byte short of the id fails closed (internal_error);
 *  - sfb_describe() of the reason is a printable sentence.
 */

#include "sfb_fuzz_gate.h"


typedef struct {
    sfb_path_kind_e   kind;
    sfb_target_t      t;
} match_t;


static void match(const unsigned char *uri, size_t len, match_t *m,
    unsigned char **buf);
static void check_shape(const match_t *m, const unsigned char *buf,
    size_t size);
static void check_same(const match_t *a, const match_t *b, int swapped,
    const char *what);
static void check_slow(const unsigned char *uri, size_t len,
    const match_t *m);
static void check_canonical(const match_t *m);
static void check_variants(const unsigned char *uri, size_t len,
    const match_t *m);
static void check_short_buffer(const unsigned char *uri, size_t len,
    const match_t *m);
static unsigned char swap_case(unsigned char c);


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    match_t          m;
    sfb_rules_t      rules;
    unsigned char   *uri, *buf;
    sfb_decision_t   d;

    uri = sfb_fuzz_dup(data, size);

    match(uri, size, &m, &buf);
    check_shape(&m, buf, size);
    check_slow(uri, size, &m);

    if (m.kind == SFB_PATH_GOVERNED && m.t.reason == SFB_REASON_NONE) {
        check_canonical(&m);

        if (m.t.id_len > 0) {
            check_short_buffer(uri, size, &m);
        }
    }

    check_variants(uri, size, &m);

    if (m.kind == SFB_PATH_GOVERNED && m.t.reason != SFB_REASON_NONE) {
        sfb_rules_init(&rules);
        sfb_decision_init(&d);
        d.kind = m.kind;
        d.target = m.t;
        sfb_fuzz_check_describe(m.t.reason, &d, &rules);
    }

    free(buf);
    free(uri);

    return 0;
}


/* match into an id buffer of exactly len bytes ("size >= len suffices") */

static void
match(const unsigned char *uri, size_t len, match_t *m, unsigned char **buf)
{
    *buf = sfb_fuzz_alloc(len);

    memset(&m->t, 0xa5, sizeof(m->t));
    m->kind = sfb_match_path(uri, len, &m->t, *buf, len);
}


static void
check_shape(const match_t *m, const unsigned char *buf, size_t size)
{
    size_t                i, n;
    unsigned char         c;
    const unsigned char  *p, *end, *tilde;

    if (m->kind != SFB_PATH_GOVERNED) {
        SFB_FUZZ_CHECK(m->kind == SFB_PATH_OTHER
                       || m->kind == SFB_PATH_BACKUP_RESTORE,
                       "kind %d", (int) m->kind);
        SFB_FUZZ_CHECK(m->t.entity == SFB_ENTITY_NONE
                       && m->t.reason == SFB_REASON_NONE
                       && m->t.id_len == 0,
                       "a path that is not governed has entity %d, reason "
                       "%s, id_len %zu", (int) m->t.entity,
                       sfb_reason_name(m->t.reason), m->t.id_len);
        return;
    }

    SFB_FUZZ_CHECK(m->t.entity == SFB_ENTITY_PARTITION
                   || m->t.entity == SFB_ENTITY_SERVICE
                   || m->t.entity == SFB_ENTITY_APPLICATION
                   || m->t.entity == SFB_ENTITY_BACKUP_RESTORE
                   || m->t.entity == SFB_ENTITY_POLICY,
                   "governed without an entity (%d)", (int) m->t.entity);

    SFB_FUZZ_CHECK(m->t.route != NULL, "governed without a call");

    SFB_FUZZ_CHECK(m->t.reason == SFB_REASON_NONE
                   || m->t.reason == SFB_REASON_PATH_INVALID
                   || m->t.reason == SFB_REASON_PARTITION_ID_INVALID
                   || m->t.reason == SFB_REASON_ENTITY_NAME_INVALID,
                   "governed with reason %s", sfb_reason_name(m->t.reason));

    SFB_FUZZ_CHECK(m->t.reason != SFB_REASON_PARTITION_ID_INVALID
                   || m->t.entity == SFB_ENTITY_PARTITION,
                   "partition_id_invalid for entity %d", (int) m->t.entity);
    SFB_FUZZ_CHECK(m->t.reason != SFB_REASON_ENTITY_NAME_INVALID
                   || m->t.entity != SFB_ENTITY_PARTITION,
                   "entity_name_invalid for a partition");

    if (m->t.reason != SFB_REASON_NONE) {
        SFB_FUZZ_CHECK(m->t.id_len == 0, "refused path with an id of %zu "
                       "bytes", m->t.id_len);
        return;
    }

    SFB_FUZZ_CHECK((m->t.route->entities & SFB_ENTITY_BIT(m->t.entity))
                   && (m->t.id_len > 0) == m->t.route->named,
                   "a valid call at a level it does not have, or with an "
                   "id it does not take (%zu bytes)", m->t.id_len);

    if (m->t.id_len == 0) {
        return;
    }

    SFB_FUZZ_CHECK(sfb_fuzz_within(m->t.id, m->t.id_len, buf, size),
                   "valid id of %zu bytes outside the id buffer",
                   m->t.id_len);

    if (m->t.entity == SFB_ENTITY_POLICY) {
        SFB_FUZZ_CHECK(m->t.id_len <= SFB_POLICY_NAME_MAX
                       && memchr(m->t.id, '~', m->t.id_len) == NULL,
                       "policy name of %zu bytes", m->t.id_len);
    }

    if (m->t.entity == SFB_ENTITY_PARTITION) {
        SFB_FUZZ_CHECK(m->t.id_len == 36, "partition id of %zu bytes",
                       m->t.id_len);

        for (i = 0; i < 36; i++) {
            c = m->t.id[i];

            if (i == 8 || i == 13 || i == 18 || i == 23) {
                SFB_FUZZ_CHECK(c == '-', "partition id byte %zu is 0x%02x",
                               i, c);

            } else {
                SFB_FUZZ_CHECK((c >= '0' && c <= '9') || (c >= 'a'
                                                          && c <= 'f'),
                               "partition id byte %zu is 0x%02x, not "
                               "lowercase hex", i, c);
            }
        }

        return;
    }

    SFB_FUZZ_CHECK(m->t.id_len <= SFB_ENTITY_ID_MAX, "name id of %zu bytes",
                   m->t.id_len);

    p = m->t.id;
    end = p + m->t.id_len;

    for ( ;; ) {
        tilde = memchr(p, '~', (size_t) (end - p));
        n = (size_t) ((tilde ? tilde : end) - p);

        SFB_FUZZ_CHECK(n > 0 && p[n - 1] != '.',
                       "empty piece or piece ending in '.' in id '%.*s'",
                       (int) m->t.id_len, m->t.id);

        for (i = 0; i < n; i++) {
            c = p[i];
            SFB_FUZZ_CHECK((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                           || (c >= '0' && c <= '9')
                           || c == '.' || c == '_' || c == '-',
                           "byte 0x%02x in id '%.*s'", c,
                           (int) m->t.id_len, m->t.id);
        }

        if (tilde == NULL) {
            break;
        }

        p = tilde + 1;
    }
}


static void
check_same(const match_t *a, const match_t *b, int swapped, const char *what)
{
    size_t  i;

    SFB_FUZZ_CHECK(a->kind == b->kind && a->t.entity == b->t.entity
                   && (a->kind != SFB_PATH_GOVERNED || a->t.route == b->t.route)
                   && a->t.reason == b->t.reason
                   && a->t.id_len == b->t.id_len,
                   "%s: kind %d/%d, entity %d/%d, reason %s/%s, id_len "
                   "%zu/%zu", what, (int) a->kind, (int) b->kind,
                   (int) a->t.entity, (int) b->t.entity,
                   sfb_reason_name(a->t.reason), sfb_reason_name(b->t.reason),
                   a->t.id_len, b->t.id_len);

    for (i = 0; i < a->t.id_len; i++) {
        SFB_FUZZ_CHECK(b->t.id[i] == (swapped ? swap_case(a->t.id[i])
                                              : a->t.id[i]),
                       "%s: id '%.*s' became '%.*s'", what,
                       (int) a->t.id_len, a->t.id, (int) b->t.id_len,
                       b->t.id);
    }
}


/* the shortcut for the seed's shape decides as the full walk does */

static void
check_slow(const unsigned char *uri, size_t len, const match_t *m)
{
    match_t         slow;
    unsigned char  *buf;

    buf = sfb_fuzz_alloc(len);

    memset(&slow.t, 0xa5, sizeof(slow.t));
    slow.kind = sfb_match_path_slow(uri, len, &slow.t, buf, len);

    check_same(m, &slow, 0, "sfb_match_path() and sfb_match_path_slow()");

    free(buf);
}


static void
check_canonical(const match_t *m)
{
    size_t          n, n2;
    match_t         again;
    unsigned char  *canon, *canon2, *buf;

    n = sfb_canonical_path(&m->t, NULL, 0);
    SFB_FUZZ_CHECK(n > 0, "no canonical path for a valid target");

    canon = sfb_fuzz_alloc(n);
    SFB_FUZZ_CHECK(sfb_canonical_path(&m->t, canon, n) == n,
                   "canonical path length changed");

    match(canon, n, &again, &buf);

    SFB_FUZZ_CHECK(again.kind == SFB_PATH_GOVERNED
                   && again.t.reason == SFB_REASON_NONE,
                   "canonical path '%.*s' is not a valid governed path "
                   "(kind %d, %s)", (int) n, canon, (int) again.kind,
                   sfb_reason_name(again.t.reason));
    check_same(m, &again, 0, "canonical path re-matched");

    n2 = sfb_canonical_path(&again.t, NULL, 0);
    canon2 = sfb_fuzz_alloc(n2);
    (void) sfb_canonical_path(&again.t, canon2, n2);

    SFB_FUZZ_CHECK(sfb_fuzz_eq(canon, n, canon2, n2),
                   "canonical path is not a fixed point: '%.*s' -> '%.*s'",
                   (int) n, canon, (int) n2, canon2);

    free(canon2);
    free(buf);
    free(canon);
}


static void
check_variants(const unsigned char *uri, size_t len, const match_t *m)
{
    size_t          i;
    match_t         v;
    unsigned char  *var, *buf;

    /* an empty first and last segment vanish */
    var = sfb_fuzz_alloc(len + 2);
    var[0] = '/';
    if (len) {
        memcpy(var + 1, uri, len);
    }
    var[len + 1] = '/';

    match(var, len + 2, &v, &buf);
    check_same(m, &v, 0, "surrounded by '/'");
    free(buf);
    free(var);

    /* ".." above the root is ignored, so x/.. in front cancels out */
    if (len > 0 && uri[0] == '/') {
        var = sfb_fuzz_alloc(len + 5);
        memcpy(var, "/x/..", 5);
        memcpy(var + 5, uri, len);

        match(var, len + 5, &v, &buf);
        check_same(m, &v, 0, "after /x/..");
        free(buf);
        free(var);
    }

    /* segment names compare ASCII case-insensitively, ids keep the case,
     * partition ids are canonicalised to lowercase */
    var = sfb_fuzz_alloc(len);

    for (i = 0; i < len; i++) {
        var[i] = swap_case(uri[i]);
    }

    match(var, len, &v, &buf);
    check_same(m, &v, m->t.entity != SFB_ENTITY_PARTITION, "case swapped");
    free(buf);
    free(var);
}


static void
check_short_buffer(const unsigned char *uri, size_t len, const match_t *m)
{
    sfb_target_t     t;
    unsigned char   *buf;
    sfb_path_kind_e  kind;

    buf = sfb_fuzz_alloc(m->t.id_len - 1);
    kind = sfb_match_path(uri, len, &t, buf, m->t.id_len - 1);

    SFB_FUZZ_CHECK(kind == SFB_PATH_GOVERNED
                   && t.reason == SFB_REASON_INTERNAL_ERROR
                   && t.id_len == 0,
                   "an id buffer one byte short gave %s, id_len %zu",
                   sfb_reason_name(t.reason), t.id_len);

    free(buf);
}


static unsigned char
swap_case(unsigned char c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
        return (unsigned char) (c ^ 0x20);
    }

    return c;
}
