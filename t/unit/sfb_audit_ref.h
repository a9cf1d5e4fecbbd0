/*
 * The audit record as jansson would print it, built here with jansson and
 * independently of the core: t/unit/test_audit.c and fuzz_audit_line hold
 * sfb_audit_format()'s lines byte for byte equal to json_dumps() of it.
 */

#ifndef SFB_AUDIT_REF_H
#define SFB_AUDIT_REF_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "sfb_audit.h"
#include "sfb_fabric_error.h"


static int reference_str(json_t *o, const char *key, const sfb_str_t *s,
    size_t max);


/* the record without its chain members, as documented in sfb_audit.h */
static json_t *
reference_object(const sfb_audit_record_t *r)
{
    int       rc;
    char      tm[64];
    json_t   *o;
    int64_t   ms;
    time_t    t;
    struct tm g;

    o = json_object();

    ms = r->time_ms < 0 ? 0 : r->time_ms;
    if (ms > INT64_C(253402300799999)) {
        ms = INT64_C(253402300799999);
    }

    t = (time_t) (ms / 1000);
    (void) gmtime_r(&t, &g);
    (void) snprintf(tm, sizeof(tm), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                    g.tm_year + 1900, g.tm_mon + 1, g.tm_mday, g.tm_hour,
                    g.tm_min, g.tm_sec, (int) (ms % 1000));

    rc = json_object_set_new(o, "time", json_string(tm));
    rc |= reference_str(o, "request_id", &r->request_id, SFB_AUDIT_VALUE_MAX);
    rc |= reference_str(o, "client", &r->client, SFB_AUDIT_VALUE_MAX);
    rc |= reference_str(o, "identity", &r->identity, SFB_AUDIT_IDENTITY_MAX);
    rc |= reference_str(o, "method", &r->method, SFB_AUDIT_VALUE_MAX);
    rc |= reference_str(o, "uri", &r->uri, SFB_AUDIT_URI_MAX);
    rc |= reference_str(o, "entity", &r->entity, SFB_AUDIT_VALUE_MAX);
    rc |= reference_str(o, "entity_id", &r->entity_id, SFB_AUDIT_VALUE_MAX);
    rc |= reference_str(o, "operation", &r->operation, SFB_AUDIT_VALUE_MAX);
    rc |= reference_str(o, "policy", &r->policy, SFB_AUDIT_VALUE_MAX);
    rc |= reference_str(o, "storage", &r->storage, SFB_AUDIT_VALUE_MAX);
    if (r->backup_id.len) {
        rc |= reference_str(o, "backup_id", &r->backup_id,
                            SFB_AUDIT_VALUE_MAX);
    }
    if (r->backup_location.len) {
        rc |= reference_str(o, "backup_location", &r->backup_location,
                            SFB_AUDIT_URI_MAX);
    }
    rc |= reference_str(o, "api_version", &r->api_version,
                        SFB_AUDIT_VALUE_MAX);
    rc |= json_object_set_new(o, "timeout",
              r->has_timeout
              ? json_integer(r->timeout > (uint64_t) INT64_MAX
                             ? INT64_MAX : (json_int_t) r->timeout)
              : json_null());
    rc |= reference_str(o, "decision", &r->decision, SFB_AUDIT_VALUE_MAX);
    rc |= reference_str(o, "reason", &r->reason, SFB_AUDIT_VALUE_MAX);
    rc |= json_object_set_new(o, "status", json_integer(r->status));
    if (r->upstream_status.len) {
        rc |= reference_str(o, "upstream_status", &r->upstream_status,
                            SFB_AUDIT_VALUE_MAX);

    } else {
        rc |= json_object_set_new(o, "upstream_status", json_null());
    }

    if (r->upstream_addr.len) {
        rc |= reference_str(o, "upstream_addr", &r->upstream_addr,
                            SFB_AUDIT_VALUE_MAX);

    } else {
        rc |= json_object_set_new(o, "upstream_addr", json_null());
    }

    rc |= json_object_set_new(o, "duration_ms",
                              json_integer((json_int_t) r->duration_ms));
    rc |= reference_str(o, "phase", &r->phase, SFB_AUDIT_VALUE_MAX);
    rc |= reference_str(o, "node", &r->node, SFB_AUDIT_VALUE_MAX);

    if (rc != 0) {
        json_decref(o);
        return NULL;
    }

    return o;
}


static int
reference_str(json_t *o, const char *key, const sfb_str_t *s, size_t max)
{
    size_t          n;
    unsigned char   buf[SFB_AUDIT_URI_MAX];

    if (s->len > max || !sfb_utf8_valid(s->data, s->len)) {
        n = sfb_utf8_sanitize(s->data, s->len, buf, max, NULL);
        return json_object_set_new(o, key,
                                   json_stringn((const char *) buf, n));
    }

    return json_object_set_new(o, key,
                               json_stringn(s->len ? (const char *) s->data
                                                   : "", s->len));
}

/*
 * The key_id of a key as sfb_audit.h documents it, computed here with
 * OpenSSL's one-shot digest: the first 16 hex digits of SHA-256 over the
 * domain (its NUL included) and the key.
 */
static inline void
reference_key_id(const unsigned char *key, size_t len, char *out)
{
    size_t          i, n;
    unsigned char  *buf, md[32];

    static const char  domain[] = "sf-backup-gate audit key id v1";

    n = sizeof(domain) + len;
    buf = malloc(n);
    out[0] = '\0';

    if (buf == NULL) {
        return;
    }

    memcpy(buf, domain, sizeof(domain));
    memcpy(buf + sizeof(domain), key, len);

    if (EVP_Digest(buf, n, md, NULL, EVP_sha256(), NULL) == 1) {
        for (i = 0; i < 8; i++) {
            snprintf(out + 2 * i, 3, "%02x", md[i]);
        }
    }

    free(buf);
}

#endif /* SFB_AUDIT_REF_H */
