/*
 * Fuzz target: FabricError recognition of upstream bodies,
 * sfb_fabric_error_recognise() on any bytes, and what it relies on: the
 * FabricError builder and the UTF-8 sanitiser.
 *
 * Invariants:
 *  - recognise() agrees with a jansson oracle written apart from it: the
 *    whole body is one JSON value (NUL escapes allowed), an object whose
 *    member named exactly "Error" (the last one, if repeated) is an object
 *    whose member named exactly "Code" is a string;
 *  - sfb_utf8_valid() agrees with jansson's own UTF-8 check
 *    (json_stringn()); sfb_utf8_char() splits any input into valid
 *    characters and maximal invalid subparts that cover it exactly;
 *  - sfb_utf8_sanitize() gives valid UTF-8 within max, the input itself
 *    when it is valid and fits, a cut ending in "..." otherwise;
 *  - a FabricError built with the input as Message is compact JSON that
 *    recognise() takes, whose Code is the one given and whose Message is
 *    the sanitised input; a smaller buffer gets nothing and the length.
 */

#include <jansson.h>

#include "sfb_fabric_error.h"
#include "sfb_fuzz.h"


static int oracle(const unsigned char *body, size_t len);
static const json_t *member(const json_t *o, const char *name);
static void check_utf8(const unsigned char *p, size_t len);
static void check_build(const unsigned char *msg, size_t len);


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int             got, want;
    unsigned char  *body;

    body = sfb_fuzz_dup(data, size);

    got = sfb_fabric_error_recognise(body, size);
    want = oracle(body, size);

    SFB_FUZZ_CHECK(got == want, "recognise() says %d, the oracle %d for "
                   "'%.*s'", got, want, (int) size, body);

    check_utf8(body, size);
    check_build(body, size);

    free(body);

    return 0;
}


static int
oracle(const unsigned char *body, size_t len)
{
    int            rc;
    json_t        *json;
    const json_t  *error, *code;
    json_error_t   err;

    json = json_loadb((const char *) body, len,
                      JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (json == NULL) {
        return 0;
    }

    error = member(json, "Error");
    code = member(error, "Code");
    rc = json_is_string(code);

    json_decref(json);

    return rc;
}


/* the member whose key is exactly name, found by walking the object */

static const json_t *
member(const json_t *o, const char *name)
{
    void          *it;
    size_t         n;
    const json_t  *found;

    if (!json_is_object(o)) {
        return NULL;
    }

    n = strlen(name);
    found = NULL;

    for (it = json_object_iter((json_t *) o);
         it != NULL;
         it = json_object_iter_next((json_t *) o, it))
    {
        if (json_object_iter_key_len(it) == n
            && memcmp(json_object_iter_key(it), name, n) == 0)
        {
            found = json_object_iter_value(it);
        }
    }

    return found;
}


static void
check_utf8(const unsigned char *p, size_t len)
{
    int             c, cut, valid;
    size_t          i, n, max;
    json_t         *s;
    unsigned char  *out;

    s = json_stringn(len ? (const char *) p : "", len);
    valid = sfb_utf8_valid(p, len);

    SFB_FUZZ_CHECK(valid == (s != NULL), "utf8_valid() says %d, jansson %d",
                   valid, s != NULL);
    json_decref(s);

    for (i = 0; i < len; i += (size_t) (c > 0 ? c : -c)) {
        c = sfb_utf8_char(p + i, len - i);

        SFB_FUZZ_CHECK(c != 0 && c >= -4 && c <= 4
                       && (size_t) (c > 0 ? c : -c) <= len - i,
                       "utf8_char() at %zu of %zu gives %d", i, len, c);
        SFB_FUZZ_CHECK(c < 0 || sfb_utf8_valid(p + i, (size_t) c),
                       "utf8_char() at %zu calls %d bytes valid that are "
                       "not", i, c);
        SFB_FUZZ_CHECK(c > 0 || !valid, "utf8_char() finds an invalid "
                       "subpart at %zu in valid UTF-8", i);
    }

    /* max from 3 (room for the cut mark) to past the worst growth */
    for (max = 3; max <= 3 * len + 3; max = max * 2 + 1) {
        out = sfb_fuzz_alloc(max);
        n = sfb_utf8_sanitize(p, len, out, max, &cut);

        SFB_FUZZ_CHECK(n <= max && sfb_utf8_valid(out, n),
                       "sanitize() into %zu gives %zu bytes, valid %d", max,
                       n, sfb_utf8_valid(out, n));

        if (valid && len <= max) {
            SFB_FUZZ_CHECK(!cut && sfb_fuzz_eq(out, n, p, len),
                           "sanitize() changed valid UTF-8 that fits");
        }

        if (cut) {
            SFB_FUZZ_CHECK(n >= 3 && memcmp(out + n - 3, "...", 3) == 0,
                           "a cut does not end with ...");
        }

        free(out);
    }
}


static void
check_build(const unsigned char *msg, size_t len)
{
    int             cut;
    size_t          n, m, clean_len;
    json_t         *json;
    const json_t   *message;
    json_error_t    err;
    unsigned char  *out, *clean;

    n = sfb_fabric_error_build("FABRIC_E_TIMEOUT", msg, len, NULL, 0);
    SFB_FUZZ_CHECK(n > 0, "build() gives no length");

    out = sfb_fuzz_alloc(n);
    SFB_FUZZ_CHECK(sfb_fabric_error_build("FABRIC_E_TIMEOUT", msg, len, out,
                                          n) == n,
                   "build() into exactly %zu bytes", n);

    SFB_FUZZ_CHECK(sfb_fabric_error_recognise(out, n) == 1,
                   "a built FabricError is not recognised: %.*s", (int) n,
                   out);
    SFB_FUZZ_CHECK(memchr(out, '\n', n) == NULL, "a raw newline in %.*s",
                   (int) n, out);

    json = json_loadb((const char *) out, n, JSON_ALLOW_NUL, &err);
    SFB_FUZZ_CHECK(json != NULL, "built FabricError does not parse: %s",
                   err.text);

    clean = sfb_fuzz_alloc(3 * len);
    clean_len = sfb_utf8_sanitize(msg, len, clean, 3 * len, &cut);
    SFB_FUZZ_CHECK(!cut, "sanitize() cut with room for 3 bytes per byte");

    message = member(member(json, "Error"), "Message");

    SFB_FUZZ_CHECK(json_is_string(member(member(json, "Error"), "Code"))
                   && strcmp(json_string_value(member(member(json, "Error"),
                                                      "Code")),
                             "FABRIC_E_TIMEOUT") == 0
                   && json_is_string(message)
                   && sfb_fuzz_eq((const unsigned char *)
                                      json_string_value(message),
                                  json_string_length(message), clean,
                                  clean_len),
                   "built FabricError does not carry the code and the "
                   "sanitised message");

    json_decref(json);
    free(clean);
    free(out);

    /* one byte short: the length, nothing written (ASan) */
    out = sfb_fuzz_alloc(n - 1);
    m = sfb_fabric_error_build("FABRIC_E_TIMEOUT", msg, len, out, n - 1);
    SFB_FUZZ_CHECK(m == n, "build() one byte short gives %zu, not %zu", m,
                   n);
    free(out);
}
