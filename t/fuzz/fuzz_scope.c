/*
 * Fuzz target: team scope's pure core (src/core/sfb_scope.c) on any bytes.
 *
 * The first byte picks the GetServiceName answer's status (200, 404, 500,
 * or the byte itself); the rest is the answer's body, and also, split at
 * the first newline, a name and a scope list (names separated by commas).
 *
 * Invariants:
 *  - sfb_scope_read_answer() gives OK only for status 200 and a body that
 *    jansson reads as an object whose "Name" (given once) is a string
 *    equal to the name returned, which sfb_scope_name_valid() takes and
 *    which fits SFB_SCOPE_NAME_MAX; NOT_FOUND only for 404; its detail is
 *    a NUL-ended printable string that never quotes the body;
 *  - sfb_scope_covers() agrees with a reference written apart from it:
 *    both names valid, the scope's path a prefix of the name's at a '/'
 *    or the end; a name always covers itself; nothing covers with n == 0;
 *  - sfb_scope_name_from_id() of a '/'-free id gives "fabric:/" and the id
 *    with '~' turned into '/'.
 */

#include <jansson.h>

#include "sfb_scope.h"
#include "sfb_fuzz.h"


#define MAX_NAMES  8


static int reference_covers(const unsigned char *name, size_t len,
    const sfb_str_t *scope, size_t n);
static void check_answer(int status, const unsigned char *body, size_t len);
static void check_covers(const unsigned char *p, size_t len);
static void check_from_id(const unsigned char *p, size_t len);


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int             status;
    unsigned char  *body;

    if (size == 0) {
        return 0;
    }

    status = data[0] < 128 ? 200 : data[0] < 192 ? 404
             : data[0] < 224 ? 500 : data[0];

    body = sfb_fuzz_dup(data + 1, size - 1);

    check_answer(status, body, size - 1);
    check_covers(body, size - 1);
    check_from_id(body, size - 1);

    free(body);

    return 0;
}


static void
check_answer(int status, const unsigned char *body, size_t len)
{
    size_t           n, i;
    char             detail[128];
    json_t          *root, *name;
    sfb_lookup_e     rc;
    json_error_t     err;
    unsigned char   *out;

    out = sfb_fuzz_alloc(SFB_SCOPE_NAME_MAX);

    rc = sfb_scope_read_answer(status, body, len, out, SFB_SCOPE_NAME_MAX,
                               &n, detail, sizeof(detail));

    SFB_FUZZ_CHECK(memchr(detail, '\0', sizeof(detail)) != NULL,
                   "detail not NUL-ended");

    for (i = 0; detail[i]; i++) {
        SFB_FUZZ_CHECK(detail[i] >= 0x20 && detail[i] < 0x7f,
                       "detail byte %zu not printable", i);
    }

    if (rc == SFB_LOOKUP_NOT_FOUND) {
        SFB_FUZZ_CHECK(status == 404, "not found from status %d", status);
    }

    if (rc != SFB_LOOKUP_OK) {
        SFB_FUZZ_CHECK(n == 0, "a length without a name");
        free(out);
        return;
    }

    SFB_FUZZ_CHECK(status == 200, "a name from status %d", status);
    SFB_FUZZ_CHECK(n <= SFB_SCOPE_NAME_MAX && sfb_scope_name_valid(out, n),
                   "an invalid name of %zu bytes", n);

    root = json_loadb((const char *) body, len, JSON_REJECT_DUPLICATES, &err);
    SFB_FUZZ_CHECK(root != NULL && json_is_object(root),
                   "a name from what jansson does not read as an object");

    name = json_object_get(root, "Name");
    SFB_FUZZ_CHECK(json_is_string(name)
                   && sfb_fuzz_eq(out, n,
                                  (const unsigned char *)
                                  json_string_value(name),
                                  json_string_length(name)),
                   "the name is not the answer's Name");

    json_decref(root);
    free(out);
}


static int
reference_covers(const unsigned char *name, size_t len,
    const sfb_str_t *scope, size_t n)
{
    size_t  i, k;

    if (!sfb_scope_name_valid(name, len)) {
        return 0;
    }

    for (i = 0; i < n; i++) {
        if (!sfb_scope_name_valid(scope[i].data, scope[i].len)
            || scope[i].len > len)
        {
            continue;
        }

        /* both start with "fabric:/" in some case: compare after it */
        for (k = 8; k < scope[i].len; k++) {
            if (scope[i].data[k] != name[k]) {
                break;
            }
        }

        if (k == scope[i].len && (k == len || name[k] == '/')) {
            return 1;
        }
    }

    return 0;
}


static void
check_covers(const unsigned char *p, size_t len)
{
    size_t            nl, i, n, start;
    sfb_str_t         scope[MAX_NAMES];
    const unsigned char  *name, *list;
    size_t            name_len, list_len;

    for (nl = 0; nl < len && p[nl] != '\n'; nl++) {
        /* void */
    }

    name = p;
    name_len = nl;
    list = p + (nl < len ? nl + 1 : len);
    list_len = len - (size_t) (list - p);

    n = 0;
    start = 0;

    for (i = 0; i <= list_len && n < MAX_NAMES; i++) {
        if (i == list_len || list[i] == ',') {
            scope[n].data = list + start;
            scope[n].len = i - start;
            n++;
            start = i + 1;
        }
    }

    SFB_FUZZ_CHECK(sfb_scope_covers(name, name_len, scope, n)
                   == reference_covers(name, name_len, scope, n),
                   "covers() disagrees with the reference");

    SFB_FUZZ_CHECK(!sfb_scope_covers(name, name_len, scope, 0),
                   "an empty scope covers something");

    if (sfb_scope_name_valid(name, name_len)) {
        scope[0].data = name;
        scope[0].len = name_len;
        SFB_FUZZ_CHECK(sfb_scope_covers(name, name_len, scope, 1),
                       "a valid name does not cover itself");
    }
}


static void
check_from_id(const unsigned char *p, size_t len)
{
    size_t          i, n;
    unsigned char  *out;

    if (len > SFB_ENTITY_ID_MAX || memchr(p, '/', len) != NULL) {
        return;
    }

    out = sfb_fuzz_alloc(len + 8);
    n = sfb_scope_name_from_id(p, len, out, len + 8);

    if (len == 0) {
        SFB_FUZZ_CHECK(n == 0, "a name from an empty id");
        free(out);
        return;
    }

    SFB_FUZZ_CHECK(n == len + 8 && memcmp(out, "fabric:/", 8) == 0,
                   "no fabric:/ prefix");

    for (i = 0; i < len; i++) {
        SFB_FUZZ_CHECK(out[8 + i] == (p[i] == '~' ? '/' : p[i]),
                       "byte %zu changed", i);
    }

    free(out);
}
