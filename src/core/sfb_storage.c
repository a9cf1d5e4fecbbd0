/*
 * sf-backup-gate: storage keys, of a description and of an operator's entry.
 *
 * A connection string is read as Azure Storage's clients split it (pairs
 * at ';', each at its first '=', names in any case), a managed identity's
 * URI as a BlobEndpoint, a share path and a DSMS location by the rules of
 * sfb_storage_rules.c: where two readers could disagree (a name twice, an
 * endpoint elsewhere than the account) the description is refused, and the
 * key names one place or nothing.  Messages name members and keys of the
 * connection string, never a value of the description: it carries secrets.
 */

#include <string.h>

#include <jansson.h>

#include "sfb_storage_impl.h"
#include "sfb_storage.h"


#define SFB_BLOB_SUFFIX        "core.windows.net"
#define SFB_BLOB_HOST_MAX      (SFB_ACCOUNT_MAX + sizeof(".blob.")           \
                                + SFB_DNS_NAME_MAX)


/* the keys of a connection string that Azure Storage's clients know */
typedef enum {
    SFB_CS_PROTOCOL = 0,
    SFB_CS_ACCOUNT_NAME,
    SFB_CS_ACCOUNT_KEY,
    SFB_CS_SAS,
    SFB_CS_SUFFIX,
    SFB_CS_BLOB,
    SFB_CS_QUEUE,
    SFB_CS_TABLE,
    SFB_CS_FILE,
    SFB_CS__COUNT
} sfb_cs_key_e;

/* with their lengths: a pair's key is told from most by its length */
static const sfb_str_t  sfb_cs_keys[SFB_CS__COUNT] = {
    sfb_str_lit("DefaultEndpointsProtocol"), sfb_str_lit("AccountName"),
    sfb_str_lit("AccountKey"), sfb_str_lit("SharedAccessSignature"),
    sfb_str_lit("EndpointSuffix"), sfb_str_lit("BlobEndpoint"),
    sfb_str_lit("QueueEndpoint"), sfb_str_lit("TableEndpoint"),
    sfb_str_lit("FileEndpoint")
};

/* keys the clients know too, refused: they move the data, or read it from
 * a second place; named in messages (other unknown keys are not: a key
 * could be a fragment of a secret cut at a stray '=') */
static const char  *sfb_cs_refused[] = {
    "UseDevelopmentStorage", "DevelopmentStorageProxyUri",
    "BlobSecondaryEndpoint", "QueueSecondaryEndpoint",
    "TableSecondaryEndpoint", "FileSecondaryEndpoint"
};


static size_t sfb_key_done(int ok, sfb_msg_t *k, sfb_msg_t *w);
static int sfb_member_str(json_t *o, const char *name, sfb_str_t *v,
    sfb_msg_t *w);
static int sfb_key_azure(json_t *s, sfb_msg_t *k, sfb_msg_t *w);
static int sfb_connection_string(const unsigned char *s, size_t len,
    sfb_str_t *v, sfb_msg_t *w);
static int sfb_cs_key(const unsigned char *p, size_t n, const char *name);
static int sfb_key_container(const sfb_str_t *container, sfb_msg_t *w);
static int sfb_key_managed(json_t *s, sfb_msg_t *k, sfb_msg_t *w);
static int sfb_key_file_share(json_t *s, sfb_msg_t *k, sfb_msg_t *w);
static int sfb_key_dsms(json_t *s, sfb_msg_t *k, sfb_msg_t *w);
static void sfb_key_blob(sfb_msg_t *k, int https, const sfb_str_t *host,
    const sfb_str_t *container);
static void sfb_key_share(sfb_msg_t *k, const unsigned char *p, size_t n,
    unsigned char sep);
static void sfb_key_dsms_write(sfb_msg_t *k, const sfb_str_t *location,
    const sfb_str_t *container);


size_t
sfb_storage_key(const json_t *storage, char *key, size_t size, char *why,
    size_t why_size)
{
    int         ok;
    json_t     *s;
    sfb_str_t   kind;
    sfb_msg_t   k, w;

    sfb_msg_init(&k, key, size);
    sfb_msg_init(&w, why, why_size);

    /* jansson's getters take no const; nothing here changes the object */
    s = (json_t *) storage;

    if (!json_is_object(s)) {
        sfb_msg_str(&w, "the storage must be a JSON object");
        return sfb_key_done(0, &k, &w);
    }

    if (!sfb_member_str(s, "StorageKind", &kind, &w)) {
        return sfb_key_done(0, &k, &w);
    }

    if (sfb_str_eq(kind.data, kind.len,
                   (const unsigned char *) "AzureBlobStore", 14))
    {
        ok = sfb_key_azure(s, &k, &w);

    } else if (sfb_str_eq(kind.data, kind.len,
                          (const unsigned char *)
                          "ManagedIdentityAzureBlobStore", 29))
    {
        ok = sfb_key_managed(s, &k, &w);

    } else if (sfb_str_eq(kind.data, kind.len,
                          (const unsigned char *) "FileShare", 9))
    {
        ok = sfb_key_file_share(s, &k, &w);

    } else if (sfb_str_eq(kind.data, kind.len,
                          (const unsigned char *) "DsmsAzureBlobStore", 18))
    {
        ok = sfb_key_dsms(s, &k, &w);

    } else {
        sfb_msg_str(&w, "member 'StorageKind' must be one of "
                    "'AzureBlobStore', 'FileShare', 'DsmsAzureBlobStore', "
                    "'ManagedIdentityAzureBlobStore'");
        ok = 0;
    }

    return sfb_key_done(ok, &k, &w);
}


/*
 * The key as built, if it fits both SFB_STORAGE_KEY_MAX and the caller's
 * buffer (the same limit for every caller: a key is never cut, so no two
 * places share one); else 0, an empty key and the sentence in w.
 */
static size_t
sfb_key_done(int ok, sfb_msg_t *k, sfb_msg_t *w)
{
    if (ok && (k->len >= SFB_STORAGE_KEY_MAX || k->len >= k->size)) {
        sfb_msg_str(w, "the storage's key would be longer than ");
        sfb_msg_u64(w, SFB_STORAGE_KEY_MAX - 1);
        sfb_msg_str(w, " bytes");
        ok = 0;
    }

    (void) sfb_msg_end(w);

    if (!ok) {
        if (k->size) {
            k->out[0] = '\0';
        }

        return 0;
    }

    return sfb_msg_end(k);
}


static int
sfb_member_str(json_t *o, const char *name, sfb_str_t *v, sfb_msg_t *w)
{
    json_t  *j;

    j = json_object_get(o, name);

    if (!json_is_string(j)) {
        sfb_msg_str(w, "member '");
        sfb_msg_str(w, name);
        sfb_msg_str(w, "' must be a string");
        return 0;
    }

    v->data = (const unsigned char *) json_string_value(j);
    v->len = json_string_length(j);

    return 1;
}


/*
 * AzureBlobStore: the blob endpoint the connection string makes, then the
 * container.  An explicit BlobEndpoint is where Azure's clients send the
 * data, whatever AccountName says: so the two must agree when both are
 * given, and so must EndpointSuffix.
 */
static int
sfb_key_azure(json_t *s, sfb_msg_t *k, sfb_msg_t *w)
{
    int             https;
    size_t          n;
    sfb_str_t       cs, container, host, rest, v[SFB_CS__COUNT];
    sfb_url_t       u;
    const char     *rule;
    sfb_fault_t     f;
    unsigned char   buf[SFB_BLOB_HOST_MAX];

    if (!sfb_member_str(s, "ConnectionString", &cs, w)
        || !sfb_member_str(s, "ContainerName", &container, w)
        || !sfb_connection_string(cs.data, cs.len, v, w))
    {
        return 0;
    }

    https = 1;

    if (v[SFB_CS_PROTOCOL].data != NULL) {
        if (sfb_cs_key(v[SFB_CS_PROTOCOL].data, v[SFB_CS_PROTOCOL].len,
                       "https"))
        {
            https = 1;

        } else if (sfb_cs_key(v[SFB_CS_PROTOCOL].data,
                              v[SFB_CS_PROTOCOL].len, "http"))
        {
            https = 0;

        } else {
            sfb_msg_str(w, "member 'ConnectionString': key "
                        "'DefaultEndpointsProtocol' must be https or http");
            return 0;
        }
    }

    if (v[SFB_CS_ACCOUNT_NAME].data != NULL) {
        rule = sfb_account_rule(v[SFB_CS_ACCOUNT_NAME].data,
                                v[SFB_CS_ACCOUNT_NAME].len);
        if (rule != NULL) {
            sfb_msg_str(w, "member 'ConnectionString': key 'AccountName' ");
            sfb_msg_str(w, rule);
            return 0;
        }
    }

    if (v[SFB_CS_SUFFIX].data != NULL) {
        rule = sfb_dns_rule(v[SFB_CS_SUFFIX].data, v[SFB_CS_SUFFIX].len, 0);
        if (rule != NULL) {
            sfb_msg_str(w, "member 'ConnectionString': key 'EndpointSuffix' "
                        "must be a lowercase DNS name such as "
                        SFB_BLOB_SUFFIX ": it ");
            sfb_msg_str(w, rule);
            return 0;
        }
    }

    if (v[SFB_CS_BLOB].data != NULL) {
        f.part = NULL;
        f.segment = 0;

        if (!sfb_url(v[SFB_CS_BLOB].data, v[SFB_CS_BLOB].len, &u, &f)
            || !sfb_url_endpoint(&u, &f))
        {
            sfb_msg_str(w, "member 'ConnectionString': key 'BlobEndpoint'");
            sfb_fault_say(w, &f);
            return 0;
        }

        if (v[SFB_CS_PROTOCOL].data != NULL && u.https != https) {
            sfb_msg_str(w, "member 'ConnectionString': key 'BlobEndpoint' "
                        "and key 'DefaultEndpointsProtocol' disagree on the "
                        "scheme");
            return 0;
        }

        https = u.https;
        host = u.host;

        if (v[SFB_CS_ACCOUNT_NAME].data != NULL) {
            /* <AccountName>.blob.<EndpointSuffix>, or any suffix */
            n = v[SFB_CS_ACCOUNT_NAME].len;
            rest.data = NULL;
            rest.len = 0;

            if (host.len > n + 6
                && memcmp(host.data, v[SFB_CS_ACCOUNT_NAME].data, n) == 0
                && memcmp(host.data + n, ".blob.", 6) == 0)
            {
                rest.data = host.data + n + 6;
                rest.len = host.len - n - 6;
            }

            if (rest.data == NULL
                || (v[SFB_CS_SUFFIX].data != NULL
                    && !sfb_str_eq(rest.data, rest.len,
                                   v[SFB_CS_SUFFIX].data,
                                   v[SFB_CS_SUFFIX].len)))
            {
                sfb_msg_str(w, "member 'ConnectionString': key "
                            "'BlobEndpoint' sends the account elsewhere: its "
                            "host must be <AccountName>.blob.");
                sfb_msg_str(w, v[SFB_CS_SUFFIX].data ? "<EndpointSuffix>"
                                                     : "<suffix>");
                return 0;
            }

        } else if (v[SFB_CS_SUFFIX].data != NULL) {
            n = v[SFB_CS_SUFFIX].len;

            if (host.len <= n + 1 || host.data[host.len - n - 1] != '.'
                || memcmp(host.data + host.len - n, v[SFB_CS_SUFFIX].data, n)
                   != 0)
            {
                sfb_msg_str(w, "member 'ConnectionString': key "
                            "'BlobEndpoint' must be a host under key "
                            "'EndpointSuffix'");
                return 0;
            }
        }

    } else if (v[SFB_CS_ACCOUNT_NAME].data != NULL) {
        n = v[SFB_CS_ACCOUNT_NAME].len;
        memcpy(buf, v[SFB_CS_ACCOUNT_NAME].data, n);
        memcpy(buf + n, ".blob.", 6);
        n += 6;

        if (v[SFB_CS_SUFFIX].data != NULL) {
            memcpy(buf + n, v[SFB_CS_SUFFIX].data, v[SFB_CS_SUFFIX].len);
            n += v[SFB_CS_SUFFIX].len;

        } else {
            memcpy(buf + n, SFB_BLOB_SUFFIX, sizeof(SFB_BLOB_SUFFIX) - 1);
            n += sizeof(SFB_BLOB_SUFFIX) - 1;
        }

        host.data = buf;
        host.len = n;

        /* the same rules as a host written out, so that its entry agrees */
        rule = sfb_dns_rule(host.data, host.len, 0);
        if (rule != NULL) {
            sfb_msg_str(w, "member 'ConnectionString': the blob host that "
                        "key 'AccountName' and key 'EndpointSuffix' make ");
            sfb_msg_str(w, rule);
            return 0;
        }

    } else {
        sfb_msg_str(w, "member 'ConnectionString' names no blob endpoint: "
                    "key 'AccountName' or key 'BlobEndpoint' is required");
        return 0;
    }

    if (!sfb_key_container(&container, w)) {
        return 0;
    }

    sfb_key_blob(k, https, &host, &container);

    return 1;
}


/*
 * "k=v;k=v[;]" into v[], by key.  Each pair splits at its first '=' (a
 * value may hold '=': base64, a signature); a name is known in any case,
 * once.  A byte that one reader would trim or skip and another keep (an
 * empty pair, whitespace at an end, quotes) is refused.
 */
static int
sfb_connection_string(const unsigned char *s, size_t len, sfb_str_t *v,
    sfb_msg_t *w)
{
    size_t                i, pair, kl;
    const char           *bad;
    const unsigned char  *p, *e, *eq, *end, *val;

    for (i = 0; i < SFB_CS__COUNT; i++) {
        v[i].data = NULL;
        v[i].len = 0;
    }

    /* one trailing ';' is how the portal writes them */
    if (len > 0 && s[len - 1] == ';') {
        len--;
    }

    if (len == 0) {
        sfb_msg_str(w, "member 'ConnectionString' has no key=value pair");
        return 0;
    }

    end = s + len;

    for (p = s, pair = 1; /* void */; p = e + 1, pair++) {
        e = memchr(p, ';', (size_t) (end - p));
        if (e == NULL) {
            e = end;
        }

        eq = memchr(p, '=', (size_t) (e - p));

        if (e == p || eq == NULL || eq == p) {
            sfb_msg_str(w, "member 'ConnectionString': pair ");
            sfb_msg_u64(w, pair);
            sfb_msg_str(w, e == p ? " is empty"
                           : eq == NULL ? " has no '='"
                           : " has an empty key");
            return 0;
        }

        kl = (size_t) (eq - p);

        for (i = 0; i < kl; i++) {
            if (p[i] <= 0x20 || p[i] == 0x7f) {
                sfb_msg_str(w, "member 'ConnectionString': the key of pair ");
                sfb_msg_u64(w, pair);
                sfb_msg_str(w, " contains whitespace or a control "
                            "character");
                return 0;
            }
        }

        for (i = 0; i < SFB_CS__COUNT; i++) {
            if (kl == sfb_cs_keys[i].len
                && sfb_cs_key(p, kl, (const char *) sfb_cs_keys[i].data))
            {
                break;
            }
        }

        if (i == SFB_CS__COUNT) {
            for (i = 0; i < sizeof(sfb_cs_refused) / sizeof(char *); i++) {
                if (sfb_cs_key(p, kl, sfb_cs_refused[i])) {
                    sfb_msg_str(w, "member 'ConnectionString': key '");
                    sfb_msg_str(w, sfb_cs_refused[i]);
                    sfb_msg_str(w, "' is not accepted");
                    return 0;
                }
            }

            sfb_msg_str(w, "member 'ConnectionString': pair ");
            sfb_msg_u64(w, pair);
            sfb_msg_str(w, " has an unknown key");
            return 0;
        }

        val = eq + 1;

        /* some readers of connection strings unquote, others do not */
        bad = (v[i].data != NULL) ? "is given twice"
              : (val == e) ? "has an empty value"
              : (val[0] <= 0x20 || val[0] == 0x7f || e[-1] <= 0x20
                 || e[-1] == 0x7f)
                ? "has whitespace or a control character at an end of its "
                  "value"
              : (val[0] == '"' || val[0] == '\'') ? "has a quoted value"
              : NULL;

        if (bad != NULL) {
            sfb_msg_str(w, "member 'ConnectionString': key '");
            sfb_msg_add(w, (const char *) sfb_cs_keys[i].data,
                        sfb_cs_keys[i].len);
            sfb_msg_str(w, "' ");
            sfb_msg_str(w, bad);
            return 0;
        }

        v[i].data = val;
        v[i].len = (size_t) (e - val);

        if (e == end) {
            return 1;
        }
    }
}


/* a description's ContainerName, by Azure's rule, or a why */
static int
sfb_key_container(const sfb_str_t *container, sfb_msg_t *w)
{
    const char  *rule;

    rule = sfb_container_rule(container->data, container->len);
    if (rule == NULL) {
        return 1;
    }

    sfb_msg_str(w, "member 'ContainerName' ");
    sfb_msg_str(w, rule);

    return 0;
}


/* name in any ASCII case, as the clients compare keys (OrdinalIgnoreCase;
 * a non-ASCII byte matches nothing, so no Unicode case folding applies) */
static int
sfb_cs_key(const unsigned char *p, size_t n, const char *name)
{
    size_t  i;

    /* no strlen(): most names differ at their first letter */
    for (i = 0; i < n && name[i] != '\0'; i++) {
        if (sfb_lower(p[i]) != sfb_lower((unsigned char) name[i])) {
            return 0;
        }
    }

    return i == n && name[i] == '\0';
}


/* ManagedIdentityAzureBlobStore: the URI as a BlobEndpoint; the identity
 * type picks credentials, not the place */
static int
sfb_key_managed(json_t *s, sfb_msg_t *k, sfb_msg_t *w)
{
    sfb_str_t     uri, container;
    sfb_url_t     u;
    sfb_fault_t   f;

    if (!sfb_member_str(s, "BlobServiceUri", &uri, w)
        || !sfb_member_str(s, "ContainerName", &container, w))
    {
        return 0;
    }

    f.part = NULL;
    f.segment = 0;

    if (!sfb_url(uri.data, uri.len, &u, &f) || !sfb_url_endpoint(&u, &f)) {
        sfb_msg_str(w, "member 'BlobServiceUri'");
        sfb_fault_say(w, &f);
        return 0;
    }

    if (!sfb_key_container(&container, w)) {
        return 0;
    }

    sfb_key_blob(k, u.https, &u.host, &container);

    return 1;
}


/* FileShare: the UNC path; user names and passwords do not move data */
static int
sfb_key_file_share(json_t *s, sfb_msg_t *k, sfb_msg_t *w)
{
    sfb_str_t     path;
    sfb_fault_t   f;

    if (!sfb_member_str(s, "Path", &path, w)) {
        return 0;
    }

    sfb_fault(&f, "it", 0, NULL);

    if (path.len < 2 || path.data[0] != '\\' || path.data[1] != '\\') {
        f.rule = "must begin with two backslashes";

    } else if (path.len > 2 && path.data[2] == '\\') {
        /* \\\server is no UNC path: Windows would read it otherwise */
        f.rule = "must begin with exactly two backslashes";

    } else {
        (void) sfb_share_path(path.data + 2, path.len - 2, '\\', &f);
    }

    if (f.rule != NULL) {
        sfb_msg_str(w, "member 'Path' must be a UNC path "
                    "\\\\server\\share[\\dir...]");
        sfb_fault_say(w, &f);
        return 0;
    }

    sfb_key_share(k, path.data + 2, path.len - 2, '\\');

    return 1;
}


static int
sfb_key_dsms(json_t *s, sfb_msg_t *k, sfb_msg_t *w)
{
    sfb_str_t     location, container;
    const char   *rule;

    if (!sfb_member_str(s, "StorageCredentialsSourceLocation", &location, w)
        || !sfb_member_str(s, "ContainerName", &container, w))
    {
        return 0;
    }

    rule = sfb_location_rule(location.data, location.len);
    if (rule != NULL) {
        sfb_msg_str(w, "member 'StorageCredentialsSourceLocation' ");
        sfb_msg_str(w, rule);
        return 0;
    }

    if (!sfb_key_container(&container, w)) {
        return 0;
    }

    sfb_key_dsms_write(k, &location, &container);

    return 1;
}


/* the key writers: one each for a description and its entry */

static void
sfb_key_blob(sfb_msg_t *k, int https, const sfb_str_t *host,
    const sfb_str_t *container)
{
    sfb_msg_str(k, https ? "https://" : "http://");
    sfb_msg_add(k, (const char *) host->data, host->len);
    sfb_msg_add(k, "/", 1);
    sfb_msg_add(k, (const char *) container->data, container->len);
}


/* "server<sep>share<sep>dir" as file://server/share/dir */
static void
sfb_key_share(sfb_msg_t *k, const unsigned char *p, size_t n,
    unsigned char sep)
{
    size_t                i;
    const unsigned char  *e;

    sfb_msg_str(k, "file://");

    for (i = 0; i < n; i = (size_t) (e - p) + 1) {
        e = memchr(p + i, sep, n - i);
        if (e == NULL) {
            e = p + n;
        }

        if (i) {
            sfb_msg_add(k, "/", 1);
        }

        sfb_msg_add(k, (const char *) p + i, (size_t) (e - p) - i);
    }
}


static void
sfb_key_dsms_write(sfb_msg_t *k, const sfb_str_t *location,
    const sfb_str_t *container)
{
    sfb_msg_str(k, "dsms:");
    sfb_msg_add(k, (const char *) location->data, location->len);
    sfb_msg_add(k, "#", 1);
    sfb_msg_add(k, (const char *) container->data, container->len);
}


size_t
sfb_storage_entry_key(const unsigned char *entry, size_t len, char *key,
    size_t size, char *why, size_t why_size)
{
    int                   ok;
    sfb_str_t             e, location, container;
    sfb_url_t             u;
    sfb_msg_t             k, w;
    const char           *rule;
    sfb_fault_t           f;
    const unsigned char  *hash;

    sfb_msg_init(&k, key, size);
    sfb_msg_init(&w, why, why_size);

    e.data = entry;
    e.len = len;
    sfb_fault(&f, NULL, 0, NULL);
    ok = 0;

    if ((len >= 8 && memcmp(entry, "https://", 8) == 0)
        || (len >= 7 && memcmp(entry, "http://", 7) == 0))
    {
        if (!sfb_url(entry, len, &u, &f)) {
            goto failed;
        }

        if (u.rest.len < 2 || u.rest.data[0] != '/') {
            f.rule = "must name a container: https://<host>/<container>";
            goto failed;
        }

        container.data = u.rest.data + 1;
        container.len = u.rest.len - 1;

        if (memchr(container.data, '/', container.len) != NULL) {
            f.rule = "must have exactly one path segment, the container";
            goto failed;
        }

        rule = sfb_container_rule(container.data, container.len);
        if (rule != NULL) {
            sfb_fault(&f, "its container", 0, rule);
            goto failed;
        }

        sfb_key_blob(&k, u.https, &u.host, &container);
        ok = 1;

    } else if (len >= 7 && memcmp(entry, "file://", 7) == 0) {
        if (!sfb_share_path(entry + 7, len - 7, '/', &f)) {
            goto failed;
        }

        sfb_key_share(&k, entry + 7, len - 7, '/');
        ok = 1;

    } else if (len >= 5 && memcmp(entry, "dsms:", 5) == 0) {
        hash = memchr(entry + 5, '#', len - 5);

        if (hash == NULL) {
            f.rule = "must be dsms:<location>#<container>";
            goto failed;
        }

        location.data = entry + 5;
        location.len = (size_t) (hash - location.data);
        container.data = hash + 1;
        container.len = len - 5 - location.len - 1;

        rule = sfb_location_rule(location.data, location.len);
        if (rule != NULL) {
            sfb_fault(&f, "its location", 0, rule);
            goto failed;
        }

        rule = sfb_container_rule(container.data, container.len);
        if (rule != NULL) {
            sfb_fault(&f, "its container", 0, rule);
            goto failed;
        }

        sfb_key_dsms_write(&k, &location, &container);
        ok = 1;

    } else {
        f.rule = "must begin with https://, http://, file:// or dsms:";
    }

    /* an entry is its own key: too long for one, it is said so here */
    if (ok && (k.len >= SFB_STORAGE_KEY_MAX || k.len >= size)) {
        f.rule = "is longer than a key may be (1023 bytes)";
        ok = 0;
    }

failed:

    if (!ok) {
        sfb_msg_str(&w, "storage entry ");
        sfb_msg_quote(&w, &e);
        sfb_fault_say(&w, &f);
    }

    return sfb_key_done(ok, &k, &w);
}
