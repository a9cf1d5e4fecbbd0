/*
 * sf-backup-gate: policy and entity listings cut to a caller's: a paged
 * answer keeps only the Items that the caller's policy names or scope
 * cover, every other member as it was.
 */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sfb_bytes.h"
#include "sfb_scope.h"
#include "sfb_storage.h"


static char *sfb_filter(const unsigned char *in, size_t len,
    int (*keep)(json_t *item, const sfb_str_t *list, size_t n),
    const sfb_str_t *list, size_t n, size_t *out_len);
static int sfb_keep_policy(json_t *item, const sfb_str_t *names, size_t n);
static int sfb_keep_entity(json_t *item, const sfb_str_t *scope, size_t n);


char *
sfb_filter_policy_list(const unsigned char *in, size_t len,
    const sfb_str_t *names, size_t n, size_t *out_len)
{
    return sfb_filter(in, len, sfb_keep_policy, names, n, out_len);
}


char *
sfb_filter_entity_list(const unsigned char *in, size_t len,
    const sfb_str_t *scope, size_t n, size_t *out_len)
{
    return sfb_filter(in, len, sfb_keep_entity, scope, n, out_len);
}


/*
 * A paged answer with its Items filtered.  The text is copied into plain
 * malloc() memory: jansson may be allocating from a scratch block (see
 * sfb_json.h) and the caller free()s.
 */
static char *
sfb_filter(const unsigned char *in, size_t len,
    int (*keep)(json_t *item, const sfb_str_t *list, size_t n),
    const sfb_str_t *list, size_t n, size_t *out_len)
{
    char          *out;
    size_t         i, need;
    json_t        *root, *items, *kept, *item;
    json_error_t   err;

    *out_len = 0;

    if (in == NULL) {
        return NULL;
    }

    root = json_loadb((const char *) in, len, JSON_REJECT_DUPLICATES, &err);
    if (root == NULL) {
        return NULL;
    }

    out = NULL;
    items = json_object_get(root, "Items");

    if (!json_is_object(root) || !json_is_array(items)) {
        goto done;
    }

    kept = json_array();
    if (kept == NULL) {
        goto done;
    }

    json_array_foreach(items, i, item) {
        if (keep(item, list, n) && json_array_append(kept, item) != 0) {
            json_decref(kept);
            goto done;
        }
    }

    /* in place: the member keeps its position */
    if (json_object_set_new(root, "Items", kept) != 0) {
        goto done;
    }

    need = json_dumpb(root, NULL, 0, JSON_COMPACT | JSON_ENSURE_ASCII);
    if (need == 0) {
        goto done;
    }

    out = malloc(need + 1);
    if (out == NULL) {
        goto done;
    }

    if (json_dumpb(root, out, need, JSON_COMPACT | JSON_ENSURE_ASCII)
        != need)
    {
        free(out);
        out = NULL;
        goto done;
    }

    out[need] = '\0';
    *out_len = need;

done:

    json_decref(root);

    return out;
}


static int
sfb_keep_policy(json_t *item, const sfb_str_t *names, size_t n)
{
    size_t       i;
    json_t      *name;
    const char  *s;

    name = json_object_get(item, "Name");

    if (!json_is_string(name)) {
        return 0;
    }

    s = json_string_value(name);

    for (i = 0; i < n; i++) {
        if (sfb_str_eq((const unsigned char *) s, json_string_length(name),
                       names[i].data, names[i].len))
        {
            return 1;
        }
    }

    return 0;
}


static int
sfb_keep_entity(json_t *item, const sfb_str_t *scope, size_t n)
{
    json_t      *kind, *name;
    const char  *k;

    kind = json_object_get(item, "EntityKind");

    if (!json_is_string(kind)) {
        return 0;
    }

    k = json_string_value(kind);

    if (strcmp(k, "Application") == 0
        && json_string_length(kind) == sizeof("Application") - 1)
    {
        name = json_object_get(item, "ApplicationName");

    } else if ((strcmp(k, "Service") == 0
                && json_string_length(kind) == sizeof("Service") - 1)
               || (strcmp(k, "Partition") == 0
                   && json_string_length(kind) == sizeof("Partition") - 1))
    {
        name = json_object_get(item, "ServiceName");

    } else {
        return 0;
    }

    return json_is_string(name)
           && sfb_scope_covers((const unsigned char *)
                               json_string_value(name),
                               json_string_length(name), scope, n);
}
