/*
 * sf-backup-gate: FabricError bodies and the UTF-8 sanitiser they need.
 *
 * The JSON is jansson's in both directions; this file only decides what goes
 * in and makes sure jansson is never handed invalid UTF-8 (it would refuse
 * the whole string, and a client certificate DN can carry any byte).
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sfb_fabric_error.h"
#include "sfb_json.h"


/* how every message about a cluster that did not answer begins */
#define SFB_NO_ANSWER  "The gateway got no answer from the cluster: "


typedef struct {
    const void  *data;
    size_t       len;
} sfb_piece_t;


static size_t sfb_fabric_message(const sfb_piece_t *pieces, size_t n,
    const unsigned char *request_id, size_t id_len, unsigned char *out,
    size_t size);
static void sfb_piece_str(sfb_piece_t *piece, const char *s);


const char *
sfb_fabric_code_for_status(int status)
{
    switch (status) {
    case 400:
        return SFB_E_INVALIDARG;
    case 401:
    case 403:
        return SFB_E_ACCESSDENIED;
    case 404:
        return SFB_FABRIC_E_NAME_DOES_NOT_EXIST;
    case 413:
        return SFB_FABRIC_E_VALUE_TOO_LARGE;
    case 500:
        return SFB_E_FAIL;
    case 502:
        return SFB_FABRIC_E_COMMUNICATION_ERROR;
    case 503:
        return SFB_FABRIC_E_SERVICE_OFFLINE;
    case 504:
        return SFB_FABRIC_E_TIMEOUT;
    default:
        break;
    }

    if (status >= 400 && status < 500) {
        return SFB_E_INVALIDARG;
    }

    return SFB_E_FAIL;
}


#define SFB_FABRIC_HEAD      "{\"Error\":{\"Code\":\""
#define SFB_FABRIC_MIDDLE    "\",\"Message\":\""
#define SFB_FABRIC_TAIL      "\"}}"
#define sfb_fabric_len(s)    (sizeof(s) - 1)


static size_t
sfb_fabric_error_plain(const char *code, const unsigned char *message,
    size_t message_len, unsigned char *out, size_t size)
{
    size_t          need, code_len;
    unsigned char  *p;

    code_len = strlen(code);
    need = sfb_fabric_len(SFB_FABRIC_HEAD) + code_len
           + sfb_fabric_len(SFB_FABRIC_MIDDLE) + message_len
           + sfb_fabric_len(SFB_FABRIC_TAIL);

    if (need > size) {
        return need;
    }

    p = out;
    memcpy(p, SFB_FABRIC_HEAD, sfb_fabric_len(SFB_FABRIC_HEAD));
    p += sfb_fabric_len(SFB_FABRIC_HEAD);
    memcpy(p, code, code_len);
    p += code_len;
    memcpy(p, SFB_FABRIC_MIDDLE, sfb_fabric_len(SFB_FABRIC_MIDDLE));
    p += sfb_fabric_len(SFB_FABRIC_MIDDLE);

    if (message_len) {
        memcpy(p, message, message_len);
        p += message_len;
    }

    memcpy(p, SFB_FABRIC_TAIL, sfb_fabric_len(SFB_FABRIC_TAIL));

    return need;
}


size_t
sfb_fabric_error_build(const char *code, const unsigned char *message,
    size_t message_len, unsigned char *out, size_t size)
{
    int             cut;
    size_t          n;
    json_t         *json;
    unsigned char  *clean;

    if (code == NULL) {
        code = SFB_E_FAIL;
    }

    if (message == NULL) {
        message = (const unsigned char *) "";
        message_len = 0;
    }

    /*
     * A message of printable ASCII without '"' or '\\' (the gate's own, as
     * a rule) is what jansson prints between the fixed bytes: copied here;
     * any other is printed by jansson (sfb_json.h).  The unit tests and
     * fuzz_fabric_error hold both equal to jansson's.
     */
    if (sfb_json_plain(message, message_len)) {
        return sfb_fabric_error_plain(code, message, message_len, out, size);
    }

    clean = NULL;

    if (!sfb_utf8_valid(message, message_len)) {

        /* the rare path: each invalid byte grows to at most 3 bytes */

        if (message_len > SIZE_MAX / SFB_UTF8_REPLACEMENT_LEN) {
            return 0;
        }

        clean = malloc(message_len * SFB_UTF8_REPLACEMENT_LEN);
        if (clean == NULL) {
            return 0;
        }

        message_len = sfb_utf8_sanitize(message, message_len, clean,
                                        message_len * SFB_UTF8_REPLACEMENT_LEN,
                                        &cut);
        message = clean;
    }

    json = json_pack("{s:{s:s,s:s%}}", "Error", "Code", code, "Message",
                     (const char *) message, message_len);

    free(clean);

    if (json == NULL) {
        return 0;
    }

    n = json_dumpb(json, (char *) out, size, JSON_COMPACT);

    json_decref(json);

    return n;
}


int
sfb_fabric_error_recognise(const unsigned char *body, size_t len)
{
    int           rc;
    json_t       *json, *error;
    json_error_t  err;

    if (body == NULL || len == 0) {
        return 0;
    }

    /*
     * JSON_ALLOW_NUL: "\u0000" in a Message is valid JSON that the clients
     * accept, so it must not make us replace the cluster's own error.
     */

    json = json_loadb((const char *) body, len, JSON_ALLOW_NUL, &err);
    if (json == NULL) {
        return 0;
    }

    /* json_object_get() is NULL-safe and NULL for a non-object */

    error = json_object_get(json, "Error");
    rc = json_is_object(error)
         && json_is_string(json_object_get(error, "Code"));

    json_decref(json);

    return rc;
}


size_t
sfb_fabric_upstream_message(int status, const unsigned char *request_id,
    size_t id_len, unsigned char *out, size_t size)
{
    int          n;
    char         num[16];
    sfb_piece_t  p[3];

    n = snprintf(num, sizeof(num), "%d", status);

    p[0].data = "The cluster answered ";
    p[0].len = sizeof("The cluster answered ") - 1;
    p[1].data = num;
    p[1].len = (size_t) n;
    p[2].data = " with a body that is not a FabricError";
    p[2].len = sizeof(" with a body that is not a FabricError") - 1;

    return sfb_fabric_message(p, 3, request_id, id_len, out, size);
}


size_t
sfb_fabric_gateway_message(int status, const unsigned char *request_id,
    size_t id_len, unsigned char *out, size_t size)
{
    int          n;
    char         num[16];
    sfb_piece_t  p[2];

    n = snprintf(num, sizeof(num), "%d", status);

    p[1].data = num;
    p[1].len = (size_t) n;

    switch (status) {
    case 502:
        sfb_piece_str(&p[0], SFB_NO_ANSWER "the connection was refused, "
                      "reset or closed, or the answer was invalid");
        return sfb_fabric_message(p, 1, request_id, id_len, out, size);

    case 504:
        sfb_piece_str(&p[0], SFB_NO_ANSWER "it timed out");
        return sfb_fabric_message(p, 1, request_id, id_len, out, size);

    case 413:
        sfb_piece_str(&p[0], "The request body is larger than the gateway "
                      "accepts");
        return sfb_fabric_message(p, 1, request_id, id_len, out, size);

    default:
        break;
    }

    /* not about the cluster: e.g. a limit or a "return 403" in the location */
    sfb_piece_str(&p[0], status < 500
                         ? "The gateway refused the request with status "
                         : "The gateway failed with status ");

    return sfb_fabric_message(p, 2, request_id, id_len, out, size);
}


size_t
sfb_fabric_no_live_message(const unsigned char *request_id, size_t id_len,
    unsigned char *out, size_t size)
{
    sfb_piece_t  p;

    sfb_piece_str(&p, SFB_NO_ANSWER "no upstream server is available");

    return sfb_fabric_message(&p, 1, request_id, id_len, out, size);
}


size_t
sfb_fabric_unmasked_message(int too_long, const unsigned char *request_id,
    size_t id_len, unsigned char *out, size_t size)
{
    sfb_piece_t  p;

    sfb_piece_str(&p, too_long
                      ? "The cluster's answer to this policy read is longer "
                        "than the gateway holds to mask its secrets, so it "
                        "was not sent"
                      : "The cluster's answer to this policy read is not "
                        "JSON, so the gateway could not mask its secrets "
                        "and did not send it");

    return sfb_fabric_message(&p, 1, request_id, id_len, out, size);
}


size_t
sfb_fabric_cert_message(int missing, const unsigned char *request_id,
    size_t id_len, unsigned char *out, size_t size)
{
    sfb_piece_t  p;

    sfb_piece_str(&p, missing
                      ? "The gateway requires a client certificate, and none "
                        "was sent"
                      : "The client certificate was not accepted by the "
                        "gateway");

    return sfb_fabric_message(&p, 1, request_id, id_len, out, size);
}


static void
sfb_piece_str(sfb_piece_t *piece, const char *s)
{
    piece->data = s;
    piece->len = strlen(s);
}


/* pieces + " (request id <id>)" + ".", written only when all of it fits */

static size_t
sfb_fabric_message(const sfb_piece_t *pieces, size_t n,
    const unsigned char *request_id, size_t id_len, unsigned char *out,
    size_t size)
{
    size_t          i, need;
    unsigned char  *p;

    static const char  id_head[] = " (request id ";

    need = 1;

    for (i = 0; i < n; i++) {
        need += pieces[i].len;
    }

    if (id_len > 0) {
        need += sizeof(id_head) - 1 + id_len + 1;
    }

    if (need > size) {
        return need;
    }

    p = out;

    for (i = 0; i < n; i++) {
        memcpy(p, pieces[i].data, pieces[i].len);
        p += pieces[i].len;
    }

    if (id_len > 0) {
        memcpy(p, id_head, sizeof(id_head) - 1);
        p += sizeof(id_head) - 1;
        memcpy(p, request_id, id_len);
        p += id_len;
        *p++ = ')';
    }

    *p = '.';

    return need;
}


int
sfb_utf8_char(const unsigned char *p, size_t len)
{
    size_t         i, need;
    unsigned char  c, lo, hi;

    /* the well-formed byte sequences of Unicode 15, table 3-7 */

    c = p[0];

    if (c < 0x80) {
        return 1;
    }

    lo = 0x80;
    hi = 0xBF;

    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;

    } else if (c == 0xE0) {
        need = 2;
        lo = 0xA0;

    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
        need = 2;

    } else if (c == 0xED) {
        need = 2;
        hi = 0x9F;

    } else if (c == 0xF0) {
        need = 3;
        lo = 0x90;

    } else if (c >= 0xF1 && c <= 0xF3) {
        need = 3;

    } else if (c == 0xF4) {
        need = 3;
        hi = 0x8F;

    } else {
        return -1;
    }

    for (i = 1; i <= need; i++) {

        if (i >= len || p[i] < lo || p[i] > hi) {
            return -(int) i;
        }

        lo = 0x80;
        hi = 0xBF;
    }

    return (int) need + 1;
}


int
sfb_utf8_valid(const unsigned char *p, size_t len)
{
    int     c;
    size_t  i;

    i = 0;

    while (i < len) {

        if (p[i] < 0x80) {
            i++;
            continue;
        }

        c = sfb_utf8_char(p + i, len - i);
        if (c < 0) {
            return 0;
        }

        i += (size_t) c;
    }

    return 1;
}


size_t
sfb_utf8_sanitize(const unsigned char *in, size_t len, unsigned char *out,
    size_t max, int *cut)
{
    int                   c;
    size_t                i, o, n, keep;
    const unsigned char  *src;

    i = 0;
    o = 0;
    keep = 0;

    if (cut != NULL) {
        *cut = 0;
    }

    while (i < len) {

        c = sfb_utf8_char(in + i, len - i);

        if (c > 0) {
            src = in + i;
            n = (size_t) c;
            i += n;

        } else {
            src = (const unsigned char *) SFB_UTF8_REPLACEMENT;
            n = SFB_UTF8_REPLACEMENT_LEN;
            i += (size_t) -c;
        }

        if (n > max - o) {

            /* back to the last boundary that leaves room for the mark */

            if (max >= SFB_UTF8_CUT_MARK_LEN) {
                o = keep;
                memcpy(out + o, SFB_UTF8_CUT_MARK, SFB_UTF8_CUT_MARK_LEN);
                o += SFB_UTF8_CUT_MARK_LEN;
            }

            if (cut != NULL) {
                *cut = 1;
            }

            return o;
        }

        memcpy(out + o, src, n);
        o += n;

        if (o + SFB_UTF8_CUT_MARK_LEN <= max) {
            keep = o;
        }
    }

    return o;
}
