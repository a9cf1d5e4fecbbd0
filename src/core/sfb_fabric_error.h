/*
 * sf-backup-gate: FabricError bodies, the only error shape Service Fabric
 * clients understand: {"Error":{"Code":"...","Message":"..."}}.
 *
 * Every function here is pure (no nginx headers, no global state) and works
 * on byte ranges.  Functions that fill a caller's buffer behave like
 * snprintf(): they return the length the whole output needs and write it
 * only when that length fits in size; nothing is NUL-terminated.
 */

#ifndef SFB_FABRIC_ERROR_H
#define SFB_FABRIC_ERROR_H

#include "sfb_core.h"


/* The UTF-8 replacement character U+FFFD, 3 bytes, put for invalid input. */
#define SFB_UTF8_REPLACEMENT      "\xEF\xBF\xBD"
#define SFB_UTF8_REPLACEMENT_LEN  3

/* What a value cut by sfb_utf8_sanitize() ends with. */
#define SFB_UTF8_CUT_MARK         "..."
#define SFB_UTF8_CUT_MARK_LEN     3


/* FabricError Code for an HTTP status (400 E_INVALIDARG ... 504 TIMEOUT). */
const char *sfb_fabric_code_for_status(int status);

/* Serialise {"Error":{"Code":code,"Message":message}}, compact, via jansson;
 * code: an ASCII constant (NULL: E_FAIL); invalid UTF-8 in message becomes
 * U+FFFD; 0 only on allocation failure. */
size_t sfb_fabric_error_build(const char *code, const unsigned char *message,
    size_t message_len, unsigned char *out, size_t size);

/* 1: body is exactly one JSON object whose "Error" is an object whose
 * "Code" is a string (the shape SF clients parse); 0 otherwise. */
int sfb_fabric_error_recognise(const unsigned char *body, size_t len);

/* Message for a cluster error whose body is not a FabricError: says the
 * status, never the body, and ends with the request id when one is given. */
size_t sfb_fabric_upstream_message(int status,
    const unsigned char *request_id, size_t id_len, unsigned char *out,
    size_t size);

/* Message for an error answer nginx made itself, worded from its status:
 * 502 no answer (refused, reset, closed, invalid), 504 timed out, 413 body
 * too large, any other 4xx refused, any other 5xx failed. */
size_t sfb_fabric_gateway_message(int status,
    const unsigned char *request_id, size_t id_len, unsigned char *out,
    size_t size);

/* Message for nginx's "no live upstreams": no server of the cluster is up. */
size_t sfb_fabric_no_live_message(const unsigned char *request_id,
    size_t id_len, unsigned char *out, size_t size);

/* Message for a request nginx refused for its client certificate: none
 * was sent (missing) or it was not verified; says nothing of the chain. */
size_t sfb_fabric_cert_message(int missing, const unsigned char *request_id,
    size_t id_len, unsigned char *out, size_t size);

/* Message for a policy read the gateway would not send because it could
 * not mask its secrets: too_long (past what it holds) or not JSON. */
size_t sfb_fabric_unmasked_message(int too_long,
    const unsigned char *request_id, size_t id_len, unsigned char *out,
    size_t size);

/* Length of the valid UTF-8 character at p (1..4), or -k when the k bytes
 * at p (k >= 1) are the maximal invalid subpart to replace with one U+FFFD. */
int sfb_utf8_char(const unsigned char *p, size_t len);

/* 1 when the whole range is valid UTF-8 (no overlongs, no surrogates). */
int sfb_utf8_valid(const unsigned char *p, size_t len);

/* Copy in to out (max bytes) as valid UTF-8, each invalid subpart replaced
 * by U+FFFD; if the result exceeds max (>= SFB_UTF8_CUT_MARK_LEN), cut it on
 * a character boundary and end it with "..." within max, *cut set to 1.
 * Returns the bytes written; out never needs more than max bytes. */
size_t sfb_utf8_sanitize(const unsigned char *in, size_t len,
    unsigned char *out, size_t max, int *cut);


#endif /* SFB_FABRIC_ERROR_H */
