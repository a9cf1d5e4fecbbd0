/*
 * Fuzz target: storage keys, restore locations and filtered listings
 * (src/core/sfb_storage.c, _rules.c, sfb_location.c, sfb_listing.c) on any
 * bytes.
 *
 * The first byte picks the mode (its value modulo 8); the rest, cut at
 * newlines where a mode takes several fields, is:
 *   0  an AzureBlobStore: connection string, container
 *   1  a FileShare: Path, PrimaryUserName, PrimaryPassword,
 *      SecondaryUserName, SecondaryPassword
 *   2  a ManagedIdentityAzureBlobStore: BlobServiceUri, container
 *   3  a DsmsAzureBlobStore: location, container
 *   4  a storage entry
 *   5  a BackupLocation, then a service name
 *   6  policy names (',' between them), then a GetBackupPolicyList answer
 *   7  scope names (',' between them), then a GetBackupEnabledEntities
 *      answer
 *
 * Invariants:
 *  - a description gives a key or a reason, never both: the key printable
 *    ASCII of the kind's form, shorter than SFB_STORAGE_KEY_MAX; the
 *    reason a printable sentence naming a member;
 *  - no key and no reason holds a secret (AccountKey, SharedAccess-
 *    Signature, passwords) of 4 bytes or more, unless the same bytes come
 *    from elsewhere: the description with every secret's letters and
 *    digits changed gives the very same key and reason;
 *  - a key given as an entry gives itself; an accepted entry is its own
 *    key and the description it writes out gives it too (both ways);
 *  - a BackupLocation gives its four segments, in the input, the partition
 *    id lowercase; changing the case of letters and the digits changes no
 *    reason; sfb_backup_location_of() agrees with a reference;
 *  - a filter gives NULL exactly when jansson does not read an object with
 *    an Items array; else ASCII JSON (no control byte) whose Items are
 *    the input's kept ones, every other member as it was, and filtering
 *    it again gives the same bytes; n == 0 keeps no item.
 */

#include <strings.h>

#include <jansson.h>

#include "sfb_storage.h"
#include "sfb_scope.h"
#include "sfb_fuzz.h"


#define MAX_FIELDS  5
#define MAX_NAMES   8
#define WHY_SIZE    512

#define AZ  "AzureBlobStore"
#define FS  "FileShare"
#define MI  "ManagedIdentityAzureBlobStore"
#define DS  "DsmsAzureBlobStore"


typedef struct {
    size_t          n;
    char            key[SFB_STORAGE_KEY_MAX];
    char            why[WHY_SIZE];
} result_t;


static json_t *description(unsigned mode, const sfb_str_t *f, size_t nf);
static void check_description(unsigned mode, const sfb_str_t *f, size_t nf);
static void check_result(unsigned mode, const result_t *r);
static size_t secrets(unsigned mode, const sfb_str_t *f, size_t nf,
    sfb_str_t *s, size_t max);
static void disguise(unsigned char *p, size_t n);
static int holds(const char *hay, const sfb_str_t *s);
static void check_entry(const unsigned char *p, size_t len);
static void check_location(const unsigned char *p, size_t len);
static void check_filter(unsigned mode, const unsigned char *p, size_t len);
static size_t names(const unsigned char *p, size_t len, sfb_str_t *list);
static int reference_keep(unsigned mode, json_t *item,
    const sfb_str_t *list, size_t n);


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t          nf;
    unsigned        mode;
    sfb_str_t       f[MAX_FIELDS];
    unsigned char  *p;

    if (size == 0) {
        return 0;
    }

    mode = data[0] % 8;
    p = sfb_fuzz_dup(data + 1, size - 1);

    switch (mode) {

    case 0:
    case 2:
    case 3:
        nf = sfb_fuzz_split(p, size - 1, '\n', f, 2);
        check_description(mode, f, nf);
        break;

    case 1:
        nf = sfb_fuzz_split(p, size - 1, '\n', f, MAX_FIELDS);
        check_description(mode, f, nf);
        break;

    case 4:
        check_entry(p, size - 1);
        break;

    case 5:
        check_location(p, size - 1);
        break;

    default:
        check_filter(mode, p, size - 1);
        break;
    }

    free(p);

    return 0;
}


/* NULL when a field is not UTF-8 (jansson would not have read it) */
static json_t *
description(unsigned mode, const sfb_str_t *f, size_t nf)
{
    size_t         i;
    json_t        *s, *v;
    const char    *kind;
    static const char  *members[4][MAX_FIELDS] = {
        { "ConnectionString", "ContainerName", NULL, NULL, NULL },
        { "Path", "PrimaryUserName", "PrimaryPassword", "SecondaryUserName",
          "SecondaryPassword" },
        { "BlobServiceUri", "ContainerName", NULL, NULL, NULL },
        { "StorageCredentialsSourceLocation", "ContainerName", NULL, NULL,
          NULL }
    };

    kind = mode == 0 ? AZ : mode == 1 ? FS : mode == 2 ? MI : DS;

    s = json_pack("{s:s, s:s}", "StorageKind", kind, "FriendlyName", "f");
    if (s == NULL) {
        abort();
    }

    if (mode == 2) {
        (void) json_object_set_new(s, "ManagedIdentityType",
                                   json_string("Cluster"));
    }

    for (i = 0; i < nf && i < MAX_FIELDS && members[mode][i]; i++) {
        v = json_stringn((const char *) f[i].data, f[i].len);

        if (v == NULL) {
            json_decref(s);
            return NULL;
        }

        (void) json_object_set_new(s, members[mode][i], v);
    }

    return s;
}


static void
check_description(unsigned mode, const sfb_str_t *f, size_t nf)
{
    size_t          i, ns;
    json_t         *s;
    result_t       *r, *d, *e;
    sfb_str_t       sec[64], g[MAX_FIELDS];
    unsigned char  *copy[MAX_FIELDS];

    s = description(mode, f, nf);
    if (s == NULL) {
        return;
    }

    r = calloc(3, sizeof(result_t));
    if (r == NULL) {
        abort();
    }

    d = r + 1;
    e = r + 2;

    r->n = sfb_storage_key(s, r->key, sizeof(r->key), r->why,
                           sizeof(r->why));
    json_decref(s);

    check_result(mode, r);

    /* an accepted key, as an entry, is itself */
    if (r->n) {
        e->n = sfb_storage_entry_key((const unsigned char *) r->key, r->n,
                                     e->key, sizeof(e->key), e->why,
                                     sizeof(e->why));
        SFB_FUZZ_CHECK(e->n == r->n && strcmp(e->key, r->key) == 0,
                       "key '%s' as an entry gives '%s' (%s)", r->key,
                       e->key, e->why);
    }

    /* the same description with its secrets disguised */
    for (i = 0; i < nf; i++) {
        copy[i] = sfb_fuzz_dup(f[i].data, f[i].len);
        g[i].data = copy[i];
        g[i].len = f[i].len;
    }

    ns = secrets(mode, g, nf, sec, 64);

    for (i = 0; i < ns; i++) {
        disguise((unsigned char *) sec[i].data, sec[i].len);
    }

    s = description(mode, g, nf);
    SFB_FUZZ_CHECK(s != NULL, "a disguise that is not UTF-8");

    d->n = sfb_storage_key(s, d->key, sizeof(d->key), d->why,
                           sizeof(d->why));
    json_decref(s);

    SFB_FUZZ_CHECK(d->n == r->n && strcmp(d->key, r->key) == 0
                   && strcmp(d->why, r->why) == 0,
                   "the secrets change the answer: '%s' '%s' / '%s' '%s'",
                   r->key, r->why, d->key, d->why);

    /* and so no secret from the input: a secret's bytes in the answer
     * are the answer's own words or another member's */
    ns = secrets(mode, f, nf, sec, 64);

    for (i = 0; i < ns; i++) {
        if (sec[i].len < 4) {
            continue;
        }

        SFB_FUZZ_CHECK((!holds(r->key, &sec[i]) && !holds(r->why, &sec[i]))
                       || holds(d->key, &sec[i]) || holds(d->why, &sec[i]),
                       "secret %zu (%zu bytes) in '%s' '%s'", i, sec[i].len,
                       r->key, r->why);
    }

    for (i = 0; i < nf; i++) {
        free(copy[i]);
    }

    free(r);
}


static void
check_result(unsigned mode, const result_t *r)
{
    size_t       i;
    const char  *form;

    SFB_FUZZ_CHECK(sfb_fuzz_printable(r->why, sizeof(r->why)),
                   "why not a printable NUL-ended sentence");
    SFB_FUZZ_CHECK(sfb_fuzz_printable(r->key, sizeof(r->key)),
                   "key not printable NUL-ended");

    if (r->n == 0) {
        SFB_FUZZ_CHECK(r->key[0] == '\0', "a key when refused");
        SFB_FUZZ_CHECK(r->why[0] != '\0', "refused without a reason");
        SFB_FUZZ_CHECK(strncmp(r->why, "member '", 8) == 0
                       || strncmp(r->why, "the storage's key", 17) == 0,
                       "a reason naming no member: %s", r->why);
        return;
    }

    SFB_FUZZ_CHECK(r->why[0] == '\0', "a reason when accepted: %s", r->why);
    SFB_FUZZ_CHECK(r->n == strlen(r->key) && r->n < SFB_STORAGE_KEY_MAX,
                   "key length %zu", r->n);

    for (i = 0; i < r->n; i++) {
        SFB_FUZZ_CHECK(r->key[i] > 0x20 || (mode == 1 && r->key[i] == ' '),
                       "a space or control in key '%s'", r->key);
    }

    form = (mode == 1) ? "file://" : (mode == 3) ? "dsms:" : NULL;

    if (form != NULL) {
        SFB_FUZZ_CHECK(strncmp(r->key, form, strlen(form)) == 0,
                       "key '%s' is not %s", r->key, form);

    } else {
        SFB_FUZZ_CHECK(strncmp(r->key, "https://", 8) == 0
                       || strncmp(r->key, "http://", 7) == 0,
                       "key '%s' is not a URL", r->key);
    }
}


/*
 * The secrets of the fields: AccountKey and SharedAccessSignature values
 * (pairs at ';', the name before the first '=' in any case), passwords.
 */
static size_t
secrets(unsigned mode, const sfb_str_t *f, size_t nf, sfb_str_t *s,
    size_t max)
{
    size_t                n, kl;
    const unsigned char  *p, *e, *eq, *end;

    n = 0;

    if (mode == 1) {
        if (nf > 2) {
            s[n++] = f[2];
        }

        if (nf > 4) {
            s[n++] = f[4];
        }

        return n;
    }

    if (mode != 0 || nf == 0) {
        return 0;
    }

    end = f[0].data + f[0].len;

    for (p = f[0].data; p < end && n < max; p = e + 1) {
        e = memchr(p, ';', (size_t) (end - p));
        if (e == NULL) {
            e = end;
        }

        eq = memchr(p, '=', (size_t) (e - p));

        if (eq != NULL) {
            kl = (size_t) (eq - p);

            if ((kl == 10 && strncasecmp((const char *) p, "AccountKey", 10)
                             == 0)
                || (kl == 21
                    && strncasecmp((const char *) p, "SharedAccessSignature",
                                   21) == 0))
            {
                s[n].data = eq + 1;
                s[n].len = (size_t) (e - eq - 1);
                n++;
            }
        }

        if (e == end) {
            break;
        }
    }

    return n;
}


/* other letters and digits, every other byte kept: what a reader splits
 * at, trims or unquotes stays where it was */
static void
disguise(unsigned char *p, size_t n)
{
    size_t  i;

    for (i = 0; i < n; i++) {
        if (p[i] >= 'a' && p[i] <= 'z') {
            p[i] = (unsigned char) ('a' + (p[i] - 'a' + 13) % 26);

        } else if (p[i] >= 'A' && p[i] <= 'Z') {
            p[i] = (unsigned char) ('A' + (p[i] - 'A' + 13) % 26);

        } else if (p[i] >= '0' && p[i] <= '9') {
            p[i] = (unsigned char) ('0' + (p[i] - '0' + 5) % 10);
        }
    }
}


static int
holds(const char *hay, const sfb_str_t *s)
{
    size_t  i, n;

    n = strlen(hay);

    for (i = 0; s->len && i + s->len <= n; i++) {
        if (memcmp(hay + i, s->data, s->len) == 0) {
            return 1;
        }
    }

    return 0;
}


static void
check_entry(const unsigned char *p, size_t len)
{
    size_t          i, n, k;
    json_t         *s;
    result_t       *r, *d;
    sfb_str_t       f[2];
    unsigned char  *w;
    const char     *hash, *slash;

    r = calloc(2, sizeof(result_t));
    if (r == NULL) {
        abort();
    }

    d = r + 1;

    r->n = sfb_storage_entry_key(p, len, r->key, sizeof(r->key), r->why,
                                 sizeof(r->why));

    SFB_FUZZ_CHECK(sfb_fuzz_printable(r->why, sizeof(r->why)),
                   "why not a printable NUL-ended sentence");

    if (r->n == 0) {
        SFB_FUZZ_CHECK(r->key[0] == '\0', "a key when refused");
        SFB_FUZZ_CHECK(strncmp(r->why, "storage entry '", 15) == 0,
                       "a reason not naming the entry: %s", r->why);
        free(r);
        return;
    }

    SFB_FUZZ_CHECK(r->why[0] == '\0', "a reason when accepted: %s", r->why);
    SFB_FUZZ_CHECK(sfb_fuzz_eq((const unsigned char *) r->key, r->n, p, len),
                   "an accepted entry is not its own key");

    d->n = sfb_storage_entry_key((const unsigned char *) r->key, r->n,
                                 d->key, sizeof(d->key), d->why,
                                 sizeof(d->why));
    SFB_FUZZ_CHECK(d->n == r->n && strcmp(d->key, r->key) == 0,
                   "the key as an entry is not a fixed point");

    /* the description the entry writes out gives the same key */
    w = sfb_fuzz_alloc(len + 2);

    if (strncmp(r->key, "file://", 7) == 0) {
        w[0] = '\\';
        w[1] = '\\';

        for (i = 7; i < len; i++) {
            w[i - 5] = p[i] == '/' ? '\\' : p[i];
        }

        f[0].data = w;
        f[0].len = len - 5;
        s = description(1, f, 1);

    } else if (strncmp(r->key, "dsms:", 5) == 0) {
        hash = strchr(r->key, '#');
        SFB_FUZZ_CHECK(hash != NULL, "a dsms key without '#'");
        k = (size_t) (hash - r->key);
        f[0].data = p + 5;
        f[0].len = k - 5;
        f[1].data = p + k + 1;
        f[1].len = len - k - 1;
        s = description(3, f, 2);

    } else {
        /* the endpoint with its '/', then the container */
        slash = strchr(r->key + 8, '/');
        SFB_FUZZ_CHECK(slash != NULL, "a URL key without a container");
        k = (size_t) (slash - r->key);
        f[0].data = p;
        f[0].len = k + 1;
        f[1].data = p + k + 1;
        f[1].len = len - k - 1;
        s = description(2, f, 2);
    }

    SFB_FUZZ_CHECK(s != NULL, "an entry's description is not UTF-8");

    n = sfb_storage_key(s, d->key, sizeof(d->key), d->why, sizeof(d->why));
    json_decref(s);

    SFB_FUZZ_CHECK(n == r->n && strcmp(d->key, r->key) == 0,
                   "entry '%s' written out gives '%s' (%s)", r->key, d->key,
                   d->why);

    free(w);
    free(r);
}


static void
check_location(const unsigned char *p, size_t len)
{
    int                     rc, rc2, want;
    char                    why[WHY_SIZE], why2[WHY_SIZE];
    size_t                  i, nf;
    sfb_str_t               f[2], seg[5];
    unsigned char          *q;
    sfb_backup_location_t   loc, loc2;

    nf = sfb_fuzz_split(p, len, '\n', f, 2);

    if (nf < 2) {
        f[1].data = p + len;
        f[1].len = 0;
    }

    rc = sfb_backup_location(f[0].data, f[0].len, &loc, why, sizeof(why));

    SFB_FUZZ_CHECK(sfb_fuzz_printable(why, sizeof(why)),
                   "why not a printable NUL-ended sentence");

    /* a reason is its own words: other letters and digits, the same one */
    q = sfb_fuzz_dup(f[0].data, f[0].len);

    for (i = 0; i < f[0].len; i++) {
        if ((q[i] >= 'a' && q[i] <= 'z') || (q[i] >= 'A' && q[i] <= 'Z')) {
            q[i] ^= 0x20;

        } else if (q[i] >= '0' && q[i] <= '9') {
            q[i] = (unsigned char) ('0' + (q[i] - '0' + 1) % 10);
        }
    }

    rc2 = sfb_backup_location(q, f[0].len, &loc2, why2, sizeof(why2));
    SFB_FUZZ_CHECK(rc == rc2 && strcmp(why, why2) == 0,
                   "letters or digits change the answer: %s / %s", why,
                   why2);
    free(q);

    if (!rc) {
        SFB_FUZZ_CHECK(strncmp(why, "member 'BackupLocation' ", 24) == 0,
                       "a reason naming no member: %s", why);
        SFB_FUZZ_CHECK(loc.app.len == 0 && loc.partition[0] == '\0',
                       "loc filled when refused");
        SFB_FUZZ_CHECK(!sfb_backup_location_of(&loc, f[1].data, f[1].len),
                       "a refused location belongs to a service");
        return;
    }

    SFB_FUZZ_CHECK(why[0] == '\0', "a reason when accepted: %s", why);

    seg[0] = loc.app;
    seg[1] = loc.service;
    seg[2].data = f[0].data + loc.app.len + loc.service.len + 2;
    seg[2].len = 36;
    seg[3] = loc.file;

    SFB_FUZZ_CHECK(loc.app.data == f[0].data
                   && loc.service.data == f[0].data + loc.app.len + 1
                   && loc.file.data == seg[2].data + 37
                   && loc.file.data + loc.file.len == f[0].data + f[0].len
                   && f[0].data[loc.app.len] == '\\'
                   && seg[2].data[-1] == '\\' && seg[2].data[36] == '\\',
                   "the segments are not the input's four");

    SFB_FUZZ_CHECK(strlen(loc.partition) == 36, "a partition id of %zu",
                   strlen(loc.partition));

    for (i = 0; i < 36; i++) {
        SFB_FUZZ_CHECK(loc.partition[i] == (char) ((seg[2].data[i] >= 'A'
                                                    && seg[2].data[i] <= 'Z')
                                                   ? seg[2].data[i] | 0x20
                                                   : seg[2].data[i])
                       && ((loc.partition[i] >= '0'
                            && loc.partition[i] <= '9')
                           || (loc.partition[i] >= 'a'
                               && loc.partition[i] <= 'f')
                           || loc.partition[i] == '-'),
                       "partition id byte %zu", i);
    }

    for (i = 0; i < 4; i++) {
        SFB_FUZZ_CHECK(seg[i].len > 0
                       && memchr(seg[i].data, '/', seg[i].len) == NULL
                       && memchr(seg[i].data, ':', seg[i].len) == NULL
                       && seg[i].data[seg[i].len - 1] != '.'
                       && seg[i].data[seg[i].len - 1] != ' ',
                       "segment %zu breaks a rule", i + 1);
    }

    /* the reference: the service name's first two segments, byte for byte */
    want = 0;

    if (nf == 2 && sfb_scope_name_valid(f[1].data, f[1].len)) {
        nf = sfb_fuzz_split(f[1].data + 8, f[1].len - 8, '/', seg, 3);
        want = nf >= 2
               && sfb_fuzz_eq(seg[0].data, seg[0].len, loc.app.data,
                              loc.app.len)
               && sfb_fuzz_eq(seg[1].data, seg[1].len, loc.service.data,
                              loc.service.len);
    }

    SFB_FUZZ_CHECK(sfb_backup_location_of(&loc, f[1].data, f[1].len) == want,
                   "backup_location_of disagrees with the reference");
}


/* names at ',' (the first line), at most MAX_NAMES */
static size_t
names(const unsigned char *p, size_t len, sfb_str_t *list)
{
    if (len == 0) {
        return 0;
    }

    return sfb_fuzz_split(p, len, ',', list, MAX_NAMES);
}


static int
reference_keep(unsigned mode, json_t *item, const sfb_str_t *list, size_t n)
{
    size_t       i;
    json_t      *v, *kind;
    const char  *k;

    if (mode == 6) {
        v = json_object_get(item, "Name");

        for (i = 0; json_is_string(v) && i < n; i++) {
            if (sfb_fuzz_eq((const unsigned char *) json_string_value(v),
                            json_string_length(v), list[i].data,
                            list[i].len))
            {
                return 1;
            }
        }

        return 0;
    }

    kind = json_object_get(item, "EntityKind");
    k = json_string_value(kind);

    if (k == NULL || strlen(k) != json_string_length(kind)) {
        return 0;
    }

    if (strcmp(k, "Application") == 0) {
        v = json_object_get(item, "ApplicationName");

    } else if (strcmp(k, "Service") == 0 || strcmp(k, "Partition") == 0) {
        v = json_object_get(item, "ServiceName");

    } else {
        return 0;
    }

    return json_is_string(v)
           && sfb_scope_covers((const unsigned char *) json_string_value(v),
                               json_string_length(v), list, n);
}


static void
check_filter(unsigned mode, const unsigned char *p, size_t len)
{
    char                 *out, *again, *none;
    size_t                i, k, n, out_len, again_len, none_len;
    json_t               *in, *got, *items, *kept, *item;
    sfb_str_t             f[2], list[MAX_NAMES];
    json_error_t          err;
    char               *(*filter)(const unsigned char *, size_t,
                                  const sfb_str_t *, size_t, size_t *);

    filter = (mode == 6) ? sfb_filter_policy_list : sfb_filter_entity_list;

    if (sfb_fuzz_split(p, len, '\n', f, 2) < 2) {
        return;
    }

    n = names(f[0].data, f[0].len, list);

    out = filter(f[1].data, f[1].len, list, n, &out_len);

    in = json_loadb((const char *) f[1].data, f[1].len,
                    JSON_REJECT_DUPLICATES, &err);
    items = json_object_get(in, "Items");

    if (!json_is_object(in) || !json_is_array(items)) {
        SFB_FUZZ_CHECK(out == NULL, "an answer from what is no list");
        json_decref(in);
        return;
    }

    /* jansson ran out of memory is the only other way to NULL */
    SFB_FUZZ_CHECK(out != NULL, "no answer from a list");
    SFB_FUZZ_CHECK(out_len == strlen(out), "out_len %zu", out_len);

    for (i = 0; i < out_len; i++) {
        /* JSON_ENSURE_ASCII escapes controls and non-ASCII, not DEL */
        SFB_FUZZ_CHECK((unsigned char) out[i] >= 0x20
                       && (unsigned char) out[i] < 0x80,
                       "output byte %zu not ASCII", i);
    }

    got = json_loadb(out, out_len, JSON_REJECT_DUPLICATES, &err);
    SFB_FUZZ_CHECK(json_is_object(got), "the output is no JSON object");
    SFB_FUZZ_CHECK(json_object_size(got) == json_object_size(in),
                   "members added or lost");

    /* the kept items are the reference's, in order; the rest as it was */
    kept = json_array();
    json_array_foreach(items, i, item) {
        if (reference_keep(mode, item, list, n)) {
            (void) json_array_append(kept, item);
        }
    }

    SFB_FUZZ_CHECK(json_equal(json_object_get(got, "Items"), kept),
                   "the items kept are not the reference's");
    (void) json_object_set_new(in, "Items", kept);
    SFB_FUZZ_CHECK(json_equal(got, in), "other members changed");

    again = filter((const unsigned char *) out, out_len, list, n,
                   &again_len);
    SFB_FUZZ_CHECK(again != NULL
                   && sfb_fuzz_eq((const unsigned char *) again, again_len,
                                  (const unsigned char *) out, out_len),
                   "filtering the output again changes it");

    none = filter(f[1].data, f[1].len, list, 0, &none_len);
    SFB_FUZZ_CHECK(none != NULL, "n == 0 gives NULL");
    json_decref(got);
    got = json_loadb(none, none_len, 0, &err);
    k = json_array_size(json_object_get(got, "Items"));
    SFB_FUZZ_CHECK(json_is_array(json_object_get(got, "Items")) && k == 0,
                   "n == 0 keeps %zu items", k);

    json_decref(got);
    json_decref(in);
    free(none);
    free(again);
    free(out);
}
