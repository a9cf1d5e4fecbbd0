/*
 * sf-backup-gate: the gate's body schema (EnableBackupDescription, read with
 * jansson, or without it when already canonical) and the policy allow-list.
 */

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "sfb_json.h"
#include "sfb_gate.h"
#include "sfb_gate_impl.h"


/* jansson's memory for parsing a body of common size (sfb_json.h) */
#define SFB_BODY_SCRATCH  2048


static const char *sfb_json_type(const json_t *json);


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


/* the bodies of the rest of the surface, schemas as data */


typedef enum {
    SFB_M_STRING = 0,
    SFB_M_SECRET,           /* a string never quoted, summarised or logged */
    SFB_M_BOOL,
    SFB_M_UUID,
    SFB_M_STORAGE           /* a BackupStorageDescription */
} sfb_member_type_e;


typedef struct {
    const char         *name;
    sfb_member_type_e   type;
    unsigned            required:1;
} sfb_member_t;


typedef struct {
    const char         *kind;
    const sfb_member_t *members;
    size_t              n;
} sfb_storage_kind_t;


#define SFB_N(a)  (sizeof(a) / sizeof((a)[0]))

static const sfb_member_t  sfb_disable_body[] = {
    { "CleanBackup", SFB_M_BOOL, 1 }
};

static const sfb_member_t  sfb_backup_body[] = {
    { "BackupStorage", SFB_M_STORAGE, 1 }
};

static const sfb_member_t  sfb_restore_body[] = {
    { "BackupId", SFB_M_UUID, 1 },
    { "BackupLocation", SFB_M_STRING, 1 },
    { "BackupStorage", SFB_M_STORAGE, 0 }
};

/* every kind's members follow StorageKind and FriendlyName */
static const sfb_member_t  sfb_azure_blob[] = {
    { "ConnectionString", SFB_M_SECRET, 1 },
    { "ContainerName", SFB_M_STRING, 1 }
};

static const sfb_member_t  sfb_file_share[] = {
    { "Path", SFB_M_STRING, 1 },
    { "PrimaryUserName", SFB_M_STRING, 0 },
    { "PrimaryPassword", SFB_M_SECRET, 0 },
    { "SecondaryUserName", SFB_M_STRING, 0 },
    { "SecondaryPassword", SFB_M_SECRET, 0 }
};

static const sfb_member_t  sfb_dsms_blob[] = {
    { "StorageCredentialsSourceLocation", SFB_M_STRING, 1 },
    { "ContainerName", SFB_M_STRING, 1 }
};

static const sfb_member_t  sfb_managed_blob[] = {
    { "ManagedIdentityType", SFB_M_STRING, 1 },
    { "BlobServiceUri", SFB_M_STRING, 1 },
    { "ContainerName", SFB_M_STRING, 1 }
};

static const sfb_storage_kind_t  sfb_storage_kinds[] = {
    { "AzureBlobStore", sfb_azure_blob, SFB_N(sfb_azure_blob) },
    { "FileShare", sfb_file_share, SFB_N(sfb_file_share) },
    { "DsmsAzureBlobStore", sfb_dsms_blob, SFB_N(sfb_dsms_blob) },
    { "ManagedIdentityAzureBlobStore", sfb_managed_blob,
      SFB_N(sfb_managed_blob) }
};

static const sfb_member_t  sfb_friendly_name = {
    "FriendlyName", SFB_M_STRING, 0
};


static sfb_reason_e sfb_object(json_t *in, const sfb_member_t *ms, size_t n,
    const sfb_member_t *extra, const char *handled, json_t *out,
    const char *what, sfb_msg_t *m, sfb_body_t *b);
static sfb_reason_e sfb_member(json_t *v, const sfb_member_t *ms,
    json_t **copy, sfb_msg_t *m, sfb_body_t *b);
static sfb_reason_e sfb_storage(json_t *in, json_t **out, sfb_msg_t *m,
    sfb_body_t *b);
static void sfb_storage_summary(sfb_body_t *b, const char *kind, json_t *s);
static void sfb_summary_add(sfb_body_t *b, const char *label,
    const char *v, size_t n);
static void sfb_json_error(sfb_msg_t *m, const json_error_t *err);


sfb_reason_e
sfb_parse_body_for(const sfb_rules_t *rules, sfb_body_kind_e kind,
    const unsigned char *body, size_t len, sfb_body_t *b, unsigned char *buf,
    size_t size, char *detail, size_t detail_size)
{
    size_t               n, need;
    json_t              *json, *out;
    sfb_msg_t            m;
    sfb_reason_e         rc;
    json_error_t         err;
    const sfb_member_t  *ms;

    if (kind == SFB_BODY_ENABLE) {
        b->clean = -1;
        b->has_storage = 0;
        b->storage[0] = '\0';
        b->canonical.data = buf;
        b->canonical.len = 0;
        return sfb_parse_body(rules, body, len, b, buf, size, detail,
                              detail_size);
    }

    memset(b, 0, sizeof(sfb_body_t));
    b->policy = buf;
    b->clean = -1;
    b->canonical.data = buf;

    sfb_msg_init(&m, detail, detail_size);

    if (len > rules->max_body) {
        (void) sfb_msg_end(&m);
        return SFB_REASON_BODY_TOO_LARGE;
    }

    switch (kind) {

    case SFB_BODY_DISABLE:
        ms = sfb_disable_body;
        n = SFB_N(sfb_disable_body);
        break;

    case SFB_BODY_BACKUP:
        ms = sfb_backup_body;
        n = SFB_N(sfb_backup_body);
        break;

    case SFB_BODY_RESTORE:
        ms = sfb_restore_body;
        n = SFB_N(sfb_restore_body);
        break;

    default: /* SFB_BODY_NONE */
        if (len != 0) {
            sfb_msg_str(&m, "this call takes no body");
            (void) sfb_msg_end(&m);
            return SFB_REASON_BODY_NOT_EMPTY;
        }

        (void) sfb_msg_end(&m);
        return SFB_REASON_NONE;
    }

    if (len == 0) {
        (void) sfb_msg_end(&m);
        return kind == SFB_BODY_RESTORE ? SFB_REASON_BODY_MISSING
                                        : SFB_REASON_NONE;
    }

    json = json_loadb((const char *) body, len, JSON_REJECT_DUPLICATES, &err);

    if (json == NULL) {
#if (JANSSON_VERSION_HEX >= 0x020e00)
        if (json_error_code(&err) == json_error_out_of_memory) {
            (void) sfb_msg_end(&m);
            return SFB_REASON_INTERNAL_ERROR;
        }
#endif
        sfb_json_error(&m, &err);
        (void) sfb_msg_end(&m);
        return SFB_REASON_BODY_INVALID_JSON;
    }

    out = json_object();

    rc = (out == NULL) ? SFB_REASON_INTERNAL_ERROR
                       : sfb_object(json, ms, n, NULL, NULL, out, "the body",
                                    &m, b);

    if (rc == SFB_REASON_NONE) {
        need = json_dumpb(out, (char *) buf, size,
                          JSON_COMPACT | JSON_ENSURE_ASCII);

        if (need == 0 || need > size) {
            rc = SFB_REASON_INTERNAL_ERROR;

        } else {
            b->canonical.len = need;
        }
    }

    json_decref(out);
    json_decref(json);
    (void) sfb_msg_end(&m);

    return rc;
}


/*
 * in must be an object of exactly the members ms (and extra, first if
 * given, and handled, which the caller checked), no other, each of its
 * type; out gets them in that order.
 */
static sfb_reason_e
sfb_object(json_t *in, const sfb_member_t *ms, size_t n,
    const sfb_member_t *extra, const char *handled, json_t *out,
    const char *what, sfb_msg_t *m, sfb_body_t *b)
{
    void                *iter;
    size_t               i;
    json_t              *v, *copy;
    sfb_str_t            key;
    const char          *k;
    sfb_reason_e         rc;
    const sfb_member_t  *mb;

    if (!json_is_object(in)) {
        sfb_msg_str(m, what);
        sfb_msg_str(m, " must be a JSON object, not ");
        sfb_msg_str(m, sfb_json_type(in));
        return SFB_REASON_BODY_SCHEMA;
    }

    for (iter = json_object_iter(in);
         iter != NULL;
         iter = json_object_iter_next(in, iter))
    {
        k = json_object_iter_key(iter);

        for (i = 0; i < n && strcmp(ms[i].name, k) != 0; i++) {
            /* void */
        }

        if (i < n || (extra && strcmp(extra->name, k) == 0)
            || (handled && strcmp(handled, k) == 0))
        {
            continue;
        }

        key.data = (const unsigned char *) k;
        key.len = strlen(k);

        /* names are the client's own bytes: quoted safely, never values */
        sfb_msg_str(m, "unknown member ");
        sfb_msg_quote(m, &key);
        sfb_msg_str(m, " in ");
        sfb_msg_str(m, what);
        return SFB_REASON_BODY_SCHEMA;
    }

    for (i = 0; i <= n; i++) {
        mb = (i == 0) ? extra : &ms[i - 1];

        if (mb == NULL) {
            continue;
        }

        v = json_object_get(in, mb->name);

        if (v == NULL) {
            if (mb->required) {
                sfb_msg_str(m, "member '");
                sfb_msg_str(m, mb->name);
                sfb_msg_str(m, "' is missing in ");
                sfb_msg_str(m, what);
                return SFB_REASON_BODY_SCHEMA;
            }

            continue;
        }

        rc = sfb_member(v, mb, &copy, m, b);
        if (rc != SFB_REASON_NONE) {
            return rc;
        }

        if (json_object_set_new(out, mb->name, copy) != 0) {
            return SFB_REASON_INTERNAL_ERROR;
        }
    }

    return SFB_REASON_NONE;
}


static sfb_reason_e
sfb_member(json_t *v, const sfb_member_t *mb, json_t **copy, sfb_msg_t *m,
    sfb_body_t *b)
{
    char         id[SFB_UUID_LEN];
    size_t       i, n;
    const char  *s;

    *copy = NULL;

    switch (mb->type) {

    case SFB_M_BOOL:
        if (!json_is_boolean(v)) {
            break;
        }

        if (strcmp(mb->name, "CleanBackup") == 0) {
            b->clean = json_is_true(v);
        }

        *copy = json_boolean(json_is_true(v));
        return *copy ? SFB_REASON_NONE : SFB_REASON_INTERNAL_ERROR;

    case SFB_M_STORAGE:
        b->has_storage = 1;
        return sfb_storage(v, copy, m, b);

    default: /* strings */
        if (!json_is_string(v)) {
            break;
        }

        s = json_string_value(v);
        n = json_string_length(v);

        if (n == 0 || n > SFB_STORAGE_VALUE_MAX) {
            sfb_msg_str(m, "member '");
            sfb_msg_str(m, mb->name);
            sfb_msg_str(m, "' must be 1 to ");
            sfb_msg_u64(m, SFB_STORAGE_VALUE_MAX);
            sfb_msg_str(m, " characters long");
            return SFB_REASON_BODY_SCHEMA;
        }

        if (mb->type == SFB_M_UUID) {
            for (i = 0; n == SFB_UUID_LEN && i < n; i++) {
                if ((i == 8 || i == 13 || i == 18 || i == 23)
                    ? s[i] != '-' : sfb_hex((unsigned char) s[i]) < 0)
                {
                    break;
                }

                id[i] = (char) sfb_lower((unsigned char) s[i]);
            }

            if (n != SFB_UUID_LEN || i != n) {
                sfb_msg_str(m, "member '");
                sfb_msg_str(m, mb->name);
                sfb_msg_str(m, "' must be a UUID");
                return SFB_REASON_BODY_SCHEMA;
            }

            *copy = json_stringn(id, SFB_UUID_LEN);

        } else {
            *copy = json_stringn(s, n);
        }

        return *copy ? SFB_REASON_NONE : SFB_REASON_INTERNAL_ERROR;
    }

    sfb_msg_str(m, "member '");
    sfb_msg_str(m, mb->name);
    sfb_msg_str(m, "' must be ");
    sfb_msg_str(m, mb->type == SFB_M_BOOL ? "true or false" : "a string");
    sfb_msg_str(m, ", not ");
    sfb_msg_str(m, sfb_json_type(v));

    return SFB_REASON_BODY_SCHEMA;
}


/* A BackupStorageDescription: StorageKind first, then its kind's members. */
static sfb_reason_e
sfb_storage(json_t *in, json_t **out, sfb_msg_t *m, sfb_body_t *b)
{
    size_t                     i;
    json_t                    *kind, *o;
    sfb_reason_e               rc;
    const sfb_storage_kind_t  *sk;

    *out = NULL;

    if (!json_is_object(in)) {
        sfb_msg_str(m, "member 'BackupStorage' must be a JSON object, not ");
        sfb_msg_str(m, sfb_json_type(in));
        return SFB_REASON_BODY_SCHEMA;
    }

    kind = json_object_get(in, "StorageKind");

    for (i = 0; i < SFB_N(sfb_storage_kinds); i++) {
        if (json_is_string(kind)
            && strcmp(json_string_value(kind), sfb_storage_kinds[i].kind)
               == 0
            && json_string_length(kind) == strlen(sfb_storage_kinds[i].kind))
        {
            break;
        }
    }

    if (i == SFB_N(sfb_storage_kinds)) {
        sfb_msg_str(m, "member 'StorageKind' of 'BackupStorage' must be "
                    "'AzureBlobStore', 'FileShare', 'DsmsAzureBlobStore' or "
                    "'ManagedIdentityAzureBlobStore'");
        return SFB_REASON_BODY_SCHEMA;
    }

    sk = &sfb_storage_kinds[i];

    o = json_object();
    if (o == NULL || json_object_set_new(o, "StorageKind",
                                         json_string(sk->kind)) != 0)
    {
        json_decref(o);
        return SFB_REASON_INTERNAL_ERROR;
    }

    rc = sfb_object(in, sk->members, sk->n, &sfb_friendly_name,
                    "StorageKind", o, "'BackupStorage'", m, b);
    if (rc != SFB_REASON_NONE) {
        json_decref(o);
        return rc;
    }

    sfb_storage_summary(b, sk->kind, o);

    *out = o;

    return SFB_REASON_NONE;
}


/*
 * Where the data goes or comes from, for the audit record: the kind, the
 * account and container, or the share path; never a key, a signature or a
 * password (the connection string gives only its AccountName, a URI is cut
 * before its query).
 */
static void
sfb_storage_summary(sfb_body_t *b, const char *kind, json_t *s)
{
    size_t       n;
    const char  *v, *p, *e, *end;

    b->storage[0] = '\0';
    sfb_summary_add(b, NULL, kind, strlen(kind));

    v = json_string_value(json_object_get(s, "ConnectionString"));

    if (v != NULL) {
        end = v + strlen(v);

        for (p = v; p < end; p = e + 1) {
            e = memchr(p, ';', end - p);
            if (e == NULL) {
                e = end;
            }

            n = (size_t) (e - p);

            if (n > 12 && strncasecmp(p, "AccountName=", 12) == 0) {
                sfb_summary_add(b, "account", p + 12, n - 12);
                break;
            }
        }
    }

    v = json_string_value(json_object_get(s, "BlobServiceUri"));
    if (v != NULL) {
        e = strchr(v, '?');
        sfb_summary_add(b, "uri", v, e ? (size_t) (e - v) : strlen(v));
    }

    v = json_string_value(json_object_get(s, "ContainerName"));
    if (v != NULL) {
        sfb_summary_add(b, "container", v, strlen(v));
    }

    v = json_string_value(json_object_get(s, "Path"));
    if (v != NULL) {
        sfb_summary_add(b, "path", v, strlen(v));
    }
}


/* " label=value", printable ASCII only (others become '?'), bounded */
static void
sfb_summary_add(sfb_body_t *b, const char *label, const char *v, size_t n)
{
    size_t  len, i;

    len = strlen(b->storage);

    if (label != NULL) {
        if (len + strlen(label) + 2 >= SFB_SUMMARY_MAX) {
            return;
        }

        b->storage[len++] = ' ';
        memcpy(b->storage + len, label, strlen(label));
        len += strlen(label);
        b->storage[len++] = '=';
    }

    for (i = 0; i < n && len + 1 < SFB_SUMMARY_MAX; i++) {
        b->storage[len++] = (v[i] > 0x20 && v[i] < 0x7f) ? v[i] : '?';
    }

    b->storage[len] = '\0';
}


/* jansson's reason and place, never its quote of the input (a secret) */
static void
sfb_json_error(sfb_msg_t *m, const json_error_t *err)
{
    const char  *near;
    size_t       n;

    near = strstr(err->text, " near ");
    n = near ? (size_t) (near - err->text)
             : strnlen(err->text, JSON_ERROR_TEXT_LENGTH - 1);

    sfb_msg_safe(m, (const unsigned char *) err->text, n,
                 JSON_ERROR_TEXT_LENGTH);
    sfb_msg_str(m, " (line ");
    sfb_msg_u64(m, (uint64_t) (err->line < 0 ? 0 : err->line));
    sfb_msg_str(m, ", column ");
    sfb_msg_u64(m, (uint64_t) (err->column < 0 ? 0 : err->column));
    sfb_msg_str(m, ")");
}


sfb_reason_e
sfb_check_operation(const sfb_route_t *route, const sfb_body_t *b,
    unsigned granted, sfb_operation_e *op)
{
    *op = route->operation;

    if (!(granted & SFB_OP_BIT(route->operation))) {
        return SFB_REASON_OPERATION_NOT_ALLOWED;
    }

    if (b == NULL) {
        return SFB_REASON_NONE;
    }

    if (b->clean == 1 && !(granted & SFB_OP_BIT(SFB_OP_CLEAN))) {
        *op = SFB_OP_CLEAN;
        return SFB_REASON_OPERATION_NOT_ALLOWED;
    }

    if (b->has_storage && !(granted & SFB_OP_BIT(SFB_OP_STORAGE))) {
        *op = SFB_OP_STORAGE;
        return SFB_REASON_OPERATION_NOT_ALLOWED;
    }

    return SFB_REASON_NONE;
}
