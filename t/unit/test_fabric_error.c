/*
 * FabricError: the status table, the exact bytes built, what recognise()
 * takes for a FabricError, the messages and the UTF-8 sanitiser.
 */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sfb_tap.h"
#include "sfb_fabric_error.h"


#define S(s)  (const unsigned char *) (s), sizeof(s) - 1


static void test_codes(void);
static void test_build(void);
static void test_build_jansson(void);
static void test_recognise(void);
static void test_deep(void);
static void test_messages(void);
static void test_sanitize(void);


int
main(void)
{
    test_codes();
    test_build();
    test_build_jansson();
    test_recognise();
    test_deep();
    test_messages();
    test_sanitize();

    return done_testing();
}


static void
test_codes(void)
{
    size_t  i;

    static const struct {
        int          status;
        const char  *code;
    } rows[] = {
        { 400, "E_INVALIDARG" },
        { 401, "E_ACCESSDENIED" },
        { 403, "E_ACCESSDENIED" },
        { 404, "FABRIC_E_NAME_DOES_NOT_EXIST" },
        { 405, "E_INVALIDARG" },
        { 409, "E_INVALIDARG" },
        { 413, "FABRIC_E_VALUE_TOO_LARGE" },
        { 415, "E_INVALIDARG" },
        { 429, "E_INVALIDARG" },
        { 499, "E_INVALIDARG" },
        { 500, "E_FAIL" },
        { 501, "E_FAIL" },
        { 502, "FABRIC_E_COMMUNICATION_ERROR" },
        { 503, "FABRIC_E_SERVICE_OFFLINE" },
        { 504, "FABRIC_E_TIMEOUT" },
        { 505, "E_FAIL" },
        { 599, "E_FAIL" },
        { 600, "E_FAIL" },
        { 399, "E_FAIL" },
        { 202, "E_FAIL" },
        { 200, "E_FAIL" },
        { 0,   "E_FAIL" },
        { -1,  "E_FAIL" },
    };

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        is_str(sfb_fabric_code_for_status(rows[i].status), rows[i].code,
               "status %d is %s", rows[i].status, rows[i].code);
    }
}


static void
test_build(void)
{
    size_t          n;
    unsigned char   out[512], *big, *dump;

    static const char  want[] =
        "{\"Error\":{\"Code\":\"E_ACCESSDENIED\",\"Message\":\"denied\"}}";

    n = sfb_fabric_error_build("E_ACCESSDENIED", S("denied"), out,
                               sizeof(out));
    is_mem(out, n, want, "build: exact compact bytes, Code then Message");

    is_int(sfb_fabric_error_build("E_ACCESSDENIED", S("denied"), NULL, 0),
           sizeof(want) - 1, "build: NULL, 0 gives the length needed");

    memset(out, 'x', sizeof(out));
    n = sfb_fabric_error_build("E_ACCESSDENIED", S("denied"), out, 10);
    is_int(n, sizeof(want) - 1, "build: too small still says what it needs");
    ok(out[10] == 'x', "build: nothing written past size");

    n = sfb_fabric_error_build("E_ACCESSDENIED", S("denied"), out,
                               sizeof(want) - 1);
    is_mem(out, n, want, "build: fits exactly without a NUL");

    n = sfb_fabric_error_build("E_FAIL", S("say \"hi\"\n\\ \r\t\0 end"), out,
                               sizeof(out));
    is_mem(out, n, "{\"Error\":{\"Code\":\"E_FAIL\",\"Message\":"
           "\"say \\\"hi\\\"\\n\\\\ \\r\\t\\u0000 end\"}}",
           "build: quote, newline, backslash, CR, tab and NUL escaped");
    ok(memchr(out, '\n', n) == NULL, "build: no raw newline in the body");

    n = sfb_fabric_error_build("E_ACCESSDENIED", S("CN=a\xff\xfe" "b"), out,
                               sizeof(out));
    is_mem(out, n, "{\"Error\":{\"Code\":\"E_ACCESSDENIED\",\"Message\":"
           "\"CN=a\xef\xbf\xbd\xef\xbf\xbd" "b\"}}",
           "build: invalid bytes become U+FFFD, one each");

    n = sfb_fabric_error_build("E_FAIL", S("cut \xe2\x82"), out, sizeof(out));
    is_mem(out, n, "{\"Error\":{\"Code\":\"E_FAIL\",\"Message\":"
           "\"cut \xef\xbf\xbd\"}}",
           "build: a truncated character becomes one U+FFFD");

    n = sfb_fabric_error_build("E_FAIL", S("\xe2\x82\xac \xf0\x9f\x98\x80"),
                               out, sizeof(out));
    is_mem(out, n, "{\"Error\":{\"Code\":\"E_FAIL\",\"Message\":"
           "\"\xe2\x82\xac \xf0\x9f\x98\x80\"}}",
           "build: valid UTF-8 kept as it is");

    n = sfb_fabric_error_build("E_FAIL", S("\xc0\xaf\xed\xa0\x80"), out,
                               sizeof(out));
    is_mem(out, n, "{\"Error\":{\"Code\":\"E_FAIL\",\"Message\":"
           "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"}}",
           "build: overlong and surrogate bytes replaced");

    n = sfb_fabric_error_build(NULL, NULL, 0, out, sizeof(out));
    is_mem(out, n, "{\"Error\":{\"Code\":\"E_FAIL\",\"Message\":\"\"}}",
           "build: no code is E_FAIL, no message is empty");

    n = sfb_fabric_error_build("E_FAIL", S("x\xff"), out, sizeof(out));
    ok(sfb_fabric_error_recognise(out, n), "build: output is recognised");

    /* a long message with invalid bytes takes the allocating path */

    big = malloc(100000);
    dump = malloc(400000);

    if (big != NULL && dump != NULL) {
        memset(big, 0xff, 100000);
        n = sfb_fabric_error_build("E_FAIL", big, 100000, dump, 400000);
        is_int(n, sizeof("{\"Error\":{\"Code\":\"E_FAIL\",\"Message\":\"\"}}")
                  - 1 + 300000, "build: 100000 invalid bytes, 300000 out");
        ok(sfb_fabric_error_recognise(dump, n), "build: and recognised");
    }

    free(big);
    free(dump);
}


/*
 * Plain messages are copied between fixed bytes, the rest printed by
 * jansson: random messages and every code held byte for byte equal to
 * jansson's json_dumpb() of the same object.
 */
static void
test_build_jansson(void)
{
    int             i, k, bad, pieces;
    char           *ref;
    size_t          n, len, mlen;
    json_t         *o;
    const char     *code, *part;
    unsigned char   msg[600], clean[1800], out[2400];

    static const char  *parts[] = {
        "Backup policy '", "DailyAzureBackupPolicy", "' is not allowed.",
        " (request 7f3a)", "\"", "\\", "\n", "\x01", "\x7f", "/",
        "\xc3\xa9", "\xe2\x80\xa8", "\xff", "\xe2\x82", "~{}:,"
    };

    srandom(415);
    bad = 0;

    for (i = 0; i < 20000; i++) {
        mlen = 0;
        pieces = (int) (random() % 8);

        for (k = 0; k < pieces; k++) {
            part = parts[random() % (sizeof(parts) / sizeof(parts[0]))];
            len = strlen(part);

            memcpy(msg + mlen, part, len);
            mlen += len;
        }

        code = (i % 11 == 0) ? NULL
               : sfb_fabric_code_for_status(400 + (int) (random() % 200));

        if (sfb_utf8_valid(msg, mlen)) {
            o = json_pack("{s:{s:s,s:s%}}", "Error", "Code",
                          code ? code : "E_FAIL", "Message",
                          mlen ? (const char *) msg : "", mlen);

        } else {
            n = sfb_utf8_sanitize(msg, mlen, clean, sizeof(clean), NULL);
            o = json_pack("{s:{s:s,s:s%}}", "Error", "Code",
                          code ? code : "E_FAIL", "Message",
                          (const char *) clean, n);
        }

        ref = json_dumps(o, JSON_COMPACT);
        n = sfb_fabric_error_build(code, mlen ? msg : NULL, mlen, out,
                                   sizeof(out));

        if (ref == NULL || n != strlen(ref) || memcmp(out, ref, n) != 0) {
            if (bad++ == 0) {
                printf("#     jansson: %s\n#     got: %.*s\n",
                       ref ? ref : "(null)", (int) n, (char *) out);
            }
        }

        free(ref);
        json_decref(o);
    }

    is_int(bad, 0, "build: 20000 random messages as jansson prints them");
}


static void
test_recognise(void)
{
    size_t  i;

    static const struct {
        const char  *body;
        size_t       len;
        int          want;
        const char  *what;
    } rows[] = {
#define R(b, w, t)  { b, sizeof(b) - 1, w, t }
        R("{\"Error\":{\"Code\":\"E_FAIL\",\"Message\":\"x\"}}", 1,
          "valid"),
        R("{\"Error\":{\"Code\":\"FABRIC_E_TIMEOUT\"}}", 1,
          "valid without Message"),
        R("{\"Error\":{\"Code\":\"X\",\"Message\":\"m\",\"Extra\":1},"
          "\"Other\":[1,2]}", 1, "valid with extra members"),
        R("{\"Other\":true,\"Error\":{\"Message\":\"m\",\"Code\":\"X\"}}", 1,
          "valid, other member order"),
        R(" \r\n\t{\"Error\" : { \"Code\" : \"X\" } }\r\n ", 1,
          "valid with whitespace around"),
        R("{\"Error\":{\"Code\":\"\"}}", 1, "empty Code string"),
        R("{\"Error\":{\"Code\":\"X\",\"Message\":\"a\\u0000b\"}}", 1,
          "escaped NUL in Message"),
        R("{\"Error\":1,\"Error\":{\"Code\":\"X\"}}", 1,
          "duplicate Error: the last one counts, as for clients"),
        R("{\"Error\":{\"Code\":5}}", 0, "Code a number"),
        R("{\"Error\":{\"Code\":null}}", 0, "Code null"),
        R("{\"Error\":{\"Code\":{\"a\":1}}}", 0, "Code an object"),
        R("{\"Error\":{\"Message\":\"m\"}}", 0, "Code missing"),
        R("{\"Error\":\"E_FAIL\"}", 0, "Error a string"),
        R("{\"Error\":[{\"Code\":\"X\"}]}", 0, "Error an array"),
        R("{\"Error\":null}", 0, "Error null"),
        R("{\"error\":{\"code\":\"X\"}}", 0, "lower-case names"),
        R("[{\"Error\":{\"Code\":\"X\"}}]", 0, "top-level array"),
        R("\"E_FAIL\"", 0, "top-level string"),
        R("null", 0, "top-level null"),
        R("{}", 0, "empty object"),
        R("<html><body><h1>502 Bad Gateway</h1></body></html>", 0, "HTML"),
        R("Service Unavailable", 0, "plain text"),
        R("", 0, "empty"),
        R("  \r\n ", 0, "whitespace only"),
        R("{\"Error\":{\"Code\":\"X\"", 0, "truncated JSON"),
        R("{\"Error\":{\"Code\":\"X\"}} trailing", 0, "trailing garbage"),
        R("{\"Error\":{\"Code\":\"X\"}}{\"Error\":{\"Code\":\"Y\"}}", 0,
          "two objects"),
        R("{\"Error\":{\"Code\":\"X\"}}\0", 0, "trailing NUL byte"),
        R("{\"Error\":{\"Code\":\"X\xff\"}}", 0, "invalid UTF-8"),
        R("\xef\xbb\xbf{\"Error\":{\"Code\":\"X\"}}", 0, "byte order mark"),
        R("{\"Error\":{\"Code\":'X'}}", 0, "single quotes"),
#undef R
    };

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        is_int(sfb_fabric_error_recognise((const unsigned char *) rows[i].body,
                                          rows[i].len),
               rows[i].want, "recognise: %s", rows[i].what);
    }

    /* the length bounds the read: what follows it is never looked at */

    is_int(sfb_fabric_error_recognise(
               (const unsigned char *) "{\"Error\":{\"Code\":\"X\"}}GARBAGE",
               22),
           1, "recognise: reads only len bytes");

    is_int(sfb_fabric_error_recognise(NULL, 0), 0, "recognise: NULL");
}


static void
test_deep(void)
{
    char    *body;
    size_t   i, n, depth, len;

    static const char  head[] = "{\"Error\":{\"Code\":\"X\"},\"a\":";

    /* allowed depth, then far past jansson's limit: no crash, no accept */

    for (n = 0; n < 2; n++) {
        depth = n == 0 ? 500 : 200000;
        len = sizeof(head) - 1 + 2 * depth + 1;

        body = malloc(len);
        if (body == NULL) {
            ok(0, "malloc");
            return;
        }

        memcpy(body, head, sizeof(head) - 1);

        for (i = 0; i < depth; i++) {
            body[sizeof(head) - 1 + i] = '[';
            body[sizeof(head) - 1 + depth + i] = ']';
        }

        body[len - 1] = '}';

        is_int(sfb_fabric_error_recognise((unsigned char *) body, len),
               n == 0 ? 1 : 0, "recognise: nesting %zu deep", depth);

        free(body);
    }
}


static void
test_messages(void)
{
    size_t         n;
    unsigned char  out[256];

    n = sfb_fabric_upstream_message(500, S("7f3a9c"), out, sizeof(out));
    is_mem(out, n, "The cluster answered 500 with a body that is not a "
           "FabricError (request id 7f3a9c).", "upstream message");

    n = sfb_fabric_upstream_message(503, NULL, 0, out, sizeof(out));
    is_mem(out, n, "The cluster answered 503 with a body that is not a "
           "FabricError.", "upstream message without a request id");

    n = sfb_fabric_gateway_message(502, S("ab12"), out, sizeof(out));
    is_mem(out, n, "The gateway got no answer from the cluster: the "
           "connection was refused, reset or closed, or the answer was "
           "invalid (request id ab12).", "gateway message 502");

    n = sfb_fabric_gateway_message(504, S("ab12"), out, sizeof(out));
    is_mem(out, n, "The gateway got no answer from the cluster: it timed "
           "out (request id ab12).", "gateway message 504");

    n = sfb_fabric_no_live_message(S("ab12"), out, sizeof(out));
    is_mem(out, n, "The gateway got no answer from the cluster: no upstream "
           "server is available (request id ab12).", "no live upstream");

    n = sfb_fabric_unmasked_message(1, S("ab12"), out, sizeof(out));
    is_mem(out, n, "The cluster's answer to this policy read is longer than "
           "the gateway holds to mask its secrets, so it was not sent "
           "(request id ab12).", "unmasked: too long");

    n = sfb_fabric_unmasked_message(0, S("ab12"), out, sizeof(out));
    is_mem(out, n, "The cluster's answer to this policy read is not JSON, so "
           "the gateway could not mask its secrets and did not send it "
           "(request id ab12).", "unmasked: not JSON");

    n = sfb_fabric_gateway_message(413, S("ab12"), out, sizeof(out));
    is_mem(out, n, "The request body is larger than the gateway accepts "
           "(request id ab12).", "gateway message 413");

    n = sfb_fabric_gateway_message(403, S("ab12"), out, sizeof(out));
    is_mem(out, n, "The gateway refused the request with status 403 "
           "(request id ab12).", "gateway message, other 4xx");

    n = sfb_fabric_gateway_message(503, S("ab12"), out, sizeof(out));
    is_mem(out, n, "The gateway failed with status 503 (request id ab12).",
           "gateway message 503: not a no-live upstream unless told");

    n = sfb_fabric_gateway_message(500, NULL, 0, out, sizeof(out));
    is_mem(out, n, "The gateway failed with status 500.",
           "gateway message, other 5xx, without a request id");

    memset(out, 'x', sizeof(out));
    n = sfb_fabric_gateway_message(504, S("ab12"), out, 20);
    is_int(n, sizeof("The gateway got no answer from the cluster: it timed "
                     "out (request id ab12).") - 1,
           "message too big for size: the length needed");
    ok(out[0] == 'x', "message too big for size: nothing written");

    is_int(sfb_fabric_no_live_message(NULL, 0, NULL, 0),
           sizeof("The gateway got no answer from the cluster: no upstream "
                  "server is available.") - 1,
           "no live upstream: NULL, 0 gives the length needed");

    is_int(sfb_fabric_upstream_message(500, S("7f"), NULL, 0),
           sizeof("The cluster answered 500 with a body that is not a "
                  "FabricError (request id 7f).") - 1,
           "message: NULL, 0 gives the length needed");

    n = sfb_fabric_upstream_message(502, S("a\0b"), out, sizeof(out));
    ok(n > 3 && memcmp(out + n - 5, "a\0b).", 5) == 0,
       "message: the id is a byte range, NUL included");
}


static void
test_sanitize(void)
{
    int            cut;
    size_t         n;
    unsigned char  out[64];

    n = sfb_utf8_sanitize(S("abcdef"), out, 6, &cut);
    is_mem(out, n, "abcdef", "sanitize: fits exactly, not cut");
    is_int(cut, 0, "sanitize: cut flag clear");

    n = sfb_utf8_sanitize(S("abcdefg"), out, 6, &cut);
    is_mem(out, n, "abc...", "sanitize: cut to max with the mark");
    is_int(cut, 1, "sanitize: cut flag set");

    n = sfb_utf8_sanitize(S("a\xe2\x82\xac\xe2\x82\xac" "x"), out, 7, &cut);
    is_mem(out, n, "a\xe2\x82\xac...", "sanitize: cut on a boundary");

    n = sfb_utf8_sanitize(S("ab\xe2\x82\xac" "cdef"), out, 7, &cut);
    is_mem(out, n, "ab...", "sanitize: never half a character");

    n = sfb_utf8_sanitize(S("\xff\xff\xff"), out, 8, &cut);
    is_mem(out, n, "\xef\xbf\xbd...", "sanitize: replacements count");

    n = sfb_utf8_sanitize(S("abcdef"), out, 2, &cut);
    is_mem(out, n, "ab", "sanitize: max below the mark cuts plainly");

    n = sfb_utf8_sanitize(S("x\xf4\x90\x80\x80"), out, sizeof(out), NULL);
    is_mem(out, n, "x\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
           "sanitize: above U+10FFFF replaced");

    ok(sfb_utf8_valid(S("\xf4\x8f\xbf\xbf \xed\x9f\xbf \xc2\x80")),
       "valid: U+10FFFF, U+D7FF, U+0080");
    ok(!sfb_utf8_valid(S("\xed\xbf\xbf")), "valid: a low surrogate is not");
    ok(!sfb_utf8_valid(S("\xe0\x9f\xbf")), "valid: an overlong 3-byte is not");
    ok(!sfb_utf8_valid(S("\xf0\x8f\xbf\xbf")),
       "valid: an overlong 4-byte is not");
    ok(!sfb_utf8_valid(S("\xc1\xbf")), "valid: C1 lead is not");
    ok(!sfb_utf8_valid(S("\x80")), "valid: a lone continuation is not");
    ok(sfb_utf8_valid(S("\0")), "valid: NUL is a character");
}
