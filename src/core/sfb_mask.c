/*
 * sf-backup-gate: what of a storage may be shown.  Service Fabric answers
 * a policy read with the policy's storage, its connection string (account
 * key) and file share passwords included; a caller without the policy
 * operation gets them masked.  A storage a caller names is summarised for
 * the audit record without its secrets.
 */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "sfb_mask.h"
#include "sfb_types.h"


#define SFB_MASK  "****"


static void sfb_mask_walk(json_t *v, unsigned depth);
static json_t *sfb_mask_connection_string(const char *s, size_t n);
static void sfb_summary_add(sfb_body_t *b, const char *label,
    const char *v, size_t n);


char *
sfb_mask_secrets(const unsigned char *in, size_t len, size_t *out_len)
{
    char          *out;
    json_t        *json;
    json_error_t   err;

    json = json_loadb((const char *) in, len, JSON_REJECT_DUPLICATES, &err);
    if (json == NULL) {
        return NULL;
    }

    sfb_mask_walk(json, 0);

    out = json_dumps(json, JSON_COMPACT);
    json_decref(json);

    if (out != NULL) {
        *out_len = strlen(out);
    }

    return out;
}


/* every member of that name, wherever it is: a list, a policy, a storage */
static void
sfb_mask_walk(json_t *v, unsigned depth)
{
    size_t       i;
    json_t      *e;
    const char  *k;

    /* jansson's parser stops at 2048 levels; so does this walk */
    if (depth > 2048) {
        return;
    }

    if (json_is_array(v)) {
        json_array_foreach(v, i, e) {
            sfb_mask_walk(e, depth + 1);
        }

        return;
    }

    if (!json_is_object(v)) {
        return;
    }

    json_object_foreach(v, k, e) {
        if (strcmp(k, "PrimaryPassword") == 0
            || strcmp(k, "SecondaryPassword") == 0)
        {
            (void) json_object_set_new(v, k, json_string(SFB_MASK));

        } else if (strcmp(k, "ConnectionString") == 0 && json_is_string(e)) {
            (void) json_object_set_new(v, k,
                       sfb_mask_connection_string(json_string_value(e),
                                                  json_string_length(e)));

        } else if (strcmp(k, "ConnectionString") == 0) {
            (void) json_object_set_new(v, k, json_string(SFB_MASK));

        } else {
            sfb_mask_walk(e, depth + 1);
        }
    }
}


/*
 * "k=v;k=v": the values of AccountKey and SharedAccessSignature masked,
 * the rest (endpoints, account name) kept, so that a reader still sees
 * where the backups go.
 */
static json_t *
sfb_mask_connection_string(const char *s, size_t n)
{
    char        *out, *o;
    json_t      *json;
    const char  *p, *e, *end, *eq;

    /* a segment grows by "****" at the most: n + 1 segments at the most */
    out = malloc(5 * n + 8);
    if (out == NULL) {
        return json_string(SFB_MASK);
    }

    o = out;
    end = s + n;

    for (p = s; p <= end; p = e + 1) {
        e = memchr(p, ';', end - p);
        if (e == NULL) {
            e = end;
        }

        eq = memchr(p, '=', e - p);

        if (eq != NULL
            && (((size_t) (eq - p) == 10
                 && strncasecmp(p, "AccountKey", 10) == 0)
                || ((size_t) (eq - p) == 21
                    && strncasecmp(p, "SharedAccessSignature", 21) == 0)))
        {
            memcpy(o, p, eq - p + 1);
            o += eq - p + 1;
            memcpy(o, SFB_MASK, 4);
            o += 4;

        } else {
            memcpy(o, p, e - p);
            o += e - p;
        }

        if (e == end) {
            break;
        }

        *o++ = ';';
    }

    json = json_stringn(out, o - out);
    free(out);

    return json ? json : json_string(SFB_MASK);
}



/*
 * Where the data goes or comes from, for the audit record: the kind, the
 * account and container, or the share path; never a key, a signature or a
 * password (the connection string gives only its AccountName, a URI is cut
 * before its query).
 */
void
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
