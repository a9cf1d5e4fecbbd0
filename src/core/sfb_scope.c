/*
 * sf-backup-gate: team scope, the pure part: names, coverage, and the
 * cluster's GetServiceName answer.
 */

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "sfb_scope.h"


#define SFB_SCHEME      "fabric:/"
#define SFB_SCHEME_LEN  (sizeof(SFB_SCHEME) - 1)


static int sfb_scope_scheme(const unsigned char *name, size_t len);
static void sfb_scope_detail(char *detail, size_t size, const char *fmt,
    int a, int b);


/* the bytes no name has: a name is checked at every scope comparison */
static unsigned char  sfb_name_bad[256];
static int            sfb_name_bad_ready;


static void
sfb_name_bad_init(void)
{
    int          c;
    const char  *b;

    for (c = 0; c < 256; c++) {
        sfb_name_bad[c] = (c <= 0x20 || c >= 0x7f);
    }

    /* '%': an escape another parser may decode, a name that is two */
    for (b = "\\?#\",%"; *b; b++) {
        sfb_name_bad[(unsigned char) *b] = 1;
    }

    sfb_name_bad_ready = 1;
}


/* "fabric:/" in any letter case, as Service Fabric reads a URI scheme */
static int
sfb_scope_scheme(const unsigned char *name, size_t len)
{
    size_t         i;
    unsigned char  c;

    if (len < SFB_SCHEME_LEN) {
        return 0;
    }

    for (i = 0; i < SFB_SCHEME_LEN; i++) {
        c = name[i];

        if (c >= 'A' && c <= 'Z') {
            c |= 0x20;
        }

        if (c != (unsigned char) SFB_SCHEME[i]) {
            return 0;
        }
    }

    return 1;
}


int
sfb_scope_name_valid(const unsigned char *name, size_t len)
{
    size_t         i, seg;
    unsigned char  c, prev;

    if (!sfb_name_bad_ready) {
        sfb_name_bad_init();
    }

    if (len > SFB_SCOPE_NAME_MAX || !sfb_scope_scheme(name, len)
        || len == SFB_SCHEME_LEN)
    {
        return 0;
    }

    prev = '/';
    seg = SFB_SCHEME_LEN;

    for (i = SFB_SCHEME_LEN; i <= len; i++) {
        c = (i < len) ? name[i] : '/';

        if (sfb_name_bad[c]) {
            return 0;
        }

        if (c == '/') {
            /* no empty segment, no trailing '/', no "." or ".." */
            if (prev == '/'
                || (i - seg == 1 && name[seg] == '.')
                || (i - seg == 2 && name[seg] == '.' && name[seg + 1] == '.'))
            {
                return 0;
            }

            seg = i + 1;
        }

        prev = c;
    }

    return 1;
}


size_t
sfb_scope_name_from_id(const unsigned char *id, size_t len,
    unsigned char *out, size_t size)
{
    size_t  i;

    if (len == 0 || SFB_SCHEME_LEN + len > size) {
        return 0;
    }

    memcpy(out, SFB_SCHEME, SFB_SCHEME_LEN);

    for (i = 0; i < len; i++) {
        out[SFB_SCHEME_LEN + i] = (id[i] == '~') ? '/' : id[i];
    }

    return SFB_SCHEME_LEN + len;
}


int
sfb_scope_covers(const unsigned char *name, size_t len,
    const sfb_str_t *scope, size_t n)
{
    size_t                i, sl;
    const unsigned char  *s;

    if (!sfb_scope_name_valid(name, len)) {
        return 0;
    }

    for (i = 0; i < n; i++) {
        s = scope[i].data;
        sl = scope[i].len;

        /* the scheme was matched in any case; the path, ordinally; an
         * invalid entry (checked once it could match) covers nothing */
        if (sl > len || sl < SFB_SCHEME_LEN
            || memcmp(s + SFB_SCHEME_LEN, name + SFB_SCHEME_LEN,
                      sl - SFB_SCHEME_LEN) != 0
            || !sfb_scope_name_valid(s, sl))
        {
            continue;
        }

        /* a segment boundary: fabric:/TeamA covers fabric:/TeamA/x, not
         * fabric:/TeamAB */
        if (sl == len || name[sl] == '/') {
            return 1;
        }
    }

    return 0;
}


size_t
sfb_scope_query_entity(const unsigned char *body, size_t len,
    unsigned char *out, size_t size)
{
    json_t      *root, *entity, *name;
    size_t       n;
    json_error_t err;

    if (body == NULL || len == 0) {
        return 0;
    }

    root = json_loadb((const char *) body, len, JSON_REJECT_DUPLICATES,
                      &err);
    if (root == NULL) {
        return 0;
    }

    n = 0;
    entity = json_object_get(root, "BackupEntity");
    name = json_object_get(entity, "ApplicationName");

    if (name == NULL) {
        name = json_object_get(entity, "ServiceName");
    }

    if (json_is_string(name) && json_string_length(name) <= size) {
        n = json_string_length(name);
        memcpy(out, json_string_value(name), n);
    }

    json_decref(root);

    return n;
}


static void
sfb_scope_detail(char *detail, size_t size, const char *fmt, int a, int b)
{
    if (size) {
        (void) snprintf(detail, size, fmt, a, b);
    }
}


sfb_lookup_e
sfb_scope_read_answer(int status, const unsigned char *body, size_t len,
    unsigned char *out, size_t size, size_t *out_len, char *detail,
    size_t detail_size)
{
    json_t        *root, *name, *error, *code;
    const char    *s;
    size_t         n;
    json_error_t   err;
    sfb_lookup_e   rc;

    *out_len = 0;
    sfb_scope_detail(detail, detail_size, "", 0, 0);

    if (status != 200 && status != 404) {
        sfb_scope_detail(detail, detail_size, "status %d", status, 0);
        return SFB_LOOKUP_UNREADABLE;
    }

    if (body == NULL) {
        body = (const unsigned char *) "";
        len = 0;
    }

    root = json_loadb((const char *) body, len,
                      JSON_REJECT_DUPLICATES,
                      &err);
    if (root == NULL) {
        sfb_scope_detail(detail, detail_size,
                         "not JSON (line %d, column %d)", err.line,
                         err.column);
        return SFB_LOOKUP_UNREADABLE;
    }

    rc = SFB_LOOKUP_UNREADABLE;

    if (!json_is_object(root)) {
        sfb_scope_detail(detail, detail_size, "not a JSON object", 0, 0);
        goto done;
    }

    if (status == 404) {
        error = json_object_get(root, "Error");
        code = json_is_object(error) ? json_object_get(error, "Code") : NULL;

        if (json_is_string(code)
            && strcmp(json_string_value(code), SFB_FABRIC_E_PARTITION_NOT_FOUND)
               == 0)
        {
            rc = SFB_LOOKUP_NOT_FOUND;

        } else {
            sfb_scope_detail(detail, detail_size, "status 404 without "
                             SFB_FABRIC_E_PARTITION_NOT_FOUND, 0, 0);
        }

        goto done;
    }

    name = json_object_get(root, "Name");

    if (!json_is_string(name)) {
        sfb_scope_detail(detail, detail_size, "no Name string", 0, 0);
        goto done;
    }

    s = json_string_value(name);
    n = json_string_length(name);

    if (!sfb_scope_name_valid((const unsigned char *) s, n) || n > size) {
        sfb_scope_detail(detail, detail_size, "Name is not a valid "
                         "Service Fabric name", 0, 0);
        goto done;
    }

    memcpy(out, s, n);
    *out_len = n;
    rc = SFB_LOOKUP_OK;

done:

    json_decref(root);

    return rc;
}
