/*
 * sf-backup-gate: which call of the surface a decoded URI path names
 * (a row of sfb_route.c's table), and its entity id, whatever spelling the
 * client chose (letter case, percent-encoding, merged slashes, dot
 * segments, look-alikes).
 */

#include <stdio.h>
#include <string.h>

#include "sfb_path.h"
#include "sfb_route.h"
#include "sfb_types.h"
#include "sfb_bytes.h"
#include "sfb_fabric_error.h"


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


static void sfb_seg_iter_init(sfb_seg_iter_t *it, const unsigned char *uri,
    size_t len);
static int sfb_seg_prev(sfb_seg_iter_t *it, sfb_str_t *seg);
static int sfb_seg_resembles(const sfb_str_t *seg, const char *name,
    int *exact);
static const sfb_route_t *sfb_route_find(const sfb_str_t *seg,
    unsigned entities, int *exact);
static sfb_path_kind_e sfb_match_service(const unsigned char *uri,
    size_t len, size_t n, int exact, sfb_target_t *t, unsigned char *buf,
    size_t size);
static sfb_reason_e sfb_match_partition(const unsigned char *uri, size_t len,
    sfb_target_t *t, unsigned char *buf, size_t size);
static int sfb_name_piece_valid(const unsigned char *p, size_t n);
static sfb_reason_e sfb_match_name(const unsigned char *uri, size_t len,
    size_t m, sfb_target_t *t, unsigned char *buf, size_t size);


static const sfb_fold_t  sfb_folds[] = {
    { 'i', "\xc4\xb1", 2 },         /* U+0131 dotless i */
    { 'i', "\xc4\xb0", 2 },         /* U+0130 capital I with dot */
    { 's', "\xc5\xbf", 2 },         /* U+017F long s */
    { 'k', "\xe2\x84\xaa", 3 }      /* U+212A Kelvin sign */
};


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
 * The route whose action the segment names: the one it names exactly
 * (*exact = 1), or else the first one it resembles, a look-alike to refuse
 * (*exact = 0); NULL when it resembles none.
 */
static const sfb_route_t *
sfb_route_find(const sfb_str_t *seg, unsigned entities, int *exact)
{
    int                 e;
    size_t              i;
    const sfb_route_t  *r, *first;

    first = NULL;
    *exact = 0;

    for (i = 0; (r = sfb_route_at(i)) != NULL; i++) {
        if (!(r->entities & entities) || r->match == NULL
            || !sfb_seg_resembles(seg, r->match, &e))
        {
            continue;
        }

        if (e) {
            *exact = 1;
            return r;
        }

        if (first == NULL) {
            first = r;
        }
    }

    return first;
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
    t->route = sfb_route_enable();

    return SFB_PATH_GOVERNED;
}


sfb_path_kind_e
sfb_match_path_slow(const unsigned char *uri, size_t len, sfb_target_t *t,
    unsigned char *buf, size_t size)
{
    int                 exact, all_exact;
    size_t              n;
    sfb_str_t           seg, first, last, prev;
    sfb_entity_e        entity;
    sfb_seg_iter_t      it;
    const sfb_route_t  *route;

    t->entity = SFB_ENTITY_NONE;
    t->reason = SFB_REASON_NONE;
    t->id = buf;
    t->id_len = 0;
    t->route = NULL;

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
        return sfb_match_service(uri, len, n, exact, t, buf, size);
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

    route = sfb_route_find(&last, SFB_ENTITIES, &exact);

    if (route == NULL) {
        return SFB_PATH_OTHER;
    }

    t->entity = entity;
    t->route = route;

    /*
     * A look-alike, or a call this entity level does not have, is ours to
     * refuse, not the cluster's to reinterpret.
     */
    if (!exact || !all_exact || !(route->entities & SFB_ENTITY_BIT(entity))
        || memchr(uri, '\\', len) != NULL)
    {
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

    t->route = route;

    return SFB_PATH_GOVERNED;
}


/*
 * The Backup Restore service's own calls: /BackupRestore/BackupPolicies
 * [/{name}] [/$/{action}], and /BackupRestore/$/GetBackups.  Any other
 * path under /BackupRestore/ is the service's generic passthrough, closed
 * unless sf_backup_backup_restore opens it.
 */
static sfb_path_kind_e
sfb_match_service(const unsigned char *uri, size_t len, size_t n, int exact,
    sfb_target_t *t, unsigned char *buf, size_t size)
{
    int                 e, all_exact, named;
    size_t              i;
    sfb_str_t           s[5], *name, *action;
    sfb_entity_e        entity;
    sfb_seg_iter_t      it;
    const sfb_route_t  *route, *r;

    if (n < 2 || n > 5) {
        return SFB_PATH_BACKUP_RESTORE;
    }

    sfb_seg_iter_init(&it, uri, len);

    for (i = n; i > 0; i--) {
        (void) sfb_seg_prev(&it, &s[i - 1]);
    }

    all_exact = exact;
    name = NULL;
    action = NULL;

    if (sfb_seg_resembles(&s[1], "$", &e)) {
        if (n != 3) {
            return SFB_PATH_BACKUP_RESTORE;
        }

        entity = SFB_ENTITY_BACKUP_RESTORE;
        action = &s[2];

    } else if (sfb_seg_resembles(&s[1], "backuppolicies", &e)) {
        entity = SFB_ENTITY_POLICY;

        if (n == 3) {
            name = &s[2];

        } else if (n == 4 || n == 5) {
            if (!sfb_seg_resembles(&s[n - 2], "$", &exact)) {
                return SFB_PATH_BACKUP_RESTORE;
            }

            all_exact = all_exact && exact;
            name = (n == 5) ? &s[2] : NULL;
            action = &s[n - 1];
        }

    } else {
        return SFB_PATH_BACKUP_RESTORE;
    }

    all_exact = all_exact && e;
    named = (name != NULL);
    route = NULL;
    exact = 1;

    if (action == NULL) {
        for (i = 0; (r = sfb_route_at(i)) != NULL; i++) {
            if ((r->entities & SFB_ENTITY_BIT(entity)) && r->action == NULL
                && r->named == (unsigned) named)
            {
                route = r;
                break;
            }
        }

    } else {
        route = sfb_route_find(action, SFB_ENTITY_BIT(entity), &exact);
    }

    if (route == NULL) {
        return SFB_PATH_BACKUP_RESTORE;
    }

    t->entity = entity;
    t->route = route;

    if (!exact || !all_exact || route->named != (unsigned) named
        || memchr(uri, '\\', len) != NULL)
    {
        t->reason = SFB_REASON_PATH_INVALID;
        return SFB_PATH_GOVERNED;
    }

    if (name != NULL) {
        /* a policy name: the one rule, as a body gives it too */
        if (!sfb_policy_name_valid(name->data, name->len)) {
            t->reason = SFB_REASON_ENTITY_NAME_INVALID;
            return SFB_PATH_GOVERNED;
        }

        if (name->len > size) {
            t->reason = SFB_REASON_INTERNAL_ERROR;
            return SFB_PATH_GOVERNED;
        }

        memcpy(buf, name->data, name->len);
        t->id = buf;
        t->id_len = name->len;
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


int
sfb_policy_name_valid(const unsigned char *p, size_t n)
{
    int            k;
    size_t         i;
    unsigned char  c;

    /* the ASCII bytes refused: controls, DEL, '%', '/', '\\', '~' */
    static const uint32_t  refused[4] = {
        0xffffffff,     /* 0x00..0x1f */
        0x00008020,     /* '%' 0x25, '/' 0x2f */
        0x10000000,     /* '\\' 0x5c */
        0xc0000000      /* '~' 0x7e, DEL 0x7f */
    };

    if (n == 0 || n > SFB_POLICY_NAME_MAX || p[0] == ' ' || p[n - 1] == ' '
        || p[n - 1] == '.' || (n == 1 && p[0] == '$'))
    {
        return 0;
    }

    /* one pass: ASCII by the table, the rest as whole UTF-8 characters */
    for (i = 0; i < n; i += (size_t) k) {
        c = p[i];

        if (c < 0x80) {
            if (refused[c >> 5] & (1u << (c & 0x1f))) {
                return 0;
            }

            k = 1;
            continue;
        }

        k = sfb_utf8_char(p + i, n - i);

        /* invalid, or a C1 control (U+0080..U+009F: C2 80..C2 9F) */
        if (k <= 0 || (c == 0xc2 && p[i + 1] <= 0x9f)) {
            return 0;
        }
    }

    return 1;
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
