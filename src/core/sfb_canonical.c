/*
 * sf-backup-gate: the canonical forms of a governed call, which are what is
 * forwarded: the path, the query in a fixed order, and the body as jansson
 * prints it.
 */

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "sfb_json.h"
#include "sfb_canonical.h"
#include "sfb_hex.h"
#include "sfb_types.h"
#include "sfb_bytes.h"
#include "sfb_query.h"


static size_t sfb_query_param(unsigned char **o, const sfb_query_t *q,
    size_t k, char *num);
static size_t sfb_query_piece(unsigned char **o, const char *name,
    const unsigned char *value, size_t len, int amp);


size_t
sfb_canonical_path(const sfb_target_t *t, unsigned char *out, size_t size)
{
    size_t       nlen, alen, need;
    const char  *name, *action;

    if (t->route == NULL) {
        return 0;
    }

    switch (t->entity) {
    case SFB_ENTITY_PARTITION:
        name = "/Partitions/";
        break;
    case SFB_ENTITY_SERVICE:
        name = "/Services/";
        break;
    case SFB_ENTITY_APPLICATION:
        name = "/Applications/";
        break;
    case SFB_ENTITY_POLICY:
        name = t->id_len ? "/BackupRestore/BackupPolicies/"
                         : "/BackupRestore/BackupPolicies";
        break;
    case SFB_ENTITY_BACKUP_RESTORE:
        name = "/BackupRestore";
        break;
    default:
        return 0;
    }

    action = t->route->action;
    nlen = strlen(name);
    alen = action ? sizeof("/$/") - 1 + strlen(action) : 0;
    need = nlen + t->id_len + alen;

    if (need > size) {
        return need;
    }

    memcpy(out, name, nlen);

    if (t->id_len) {
        memcpy(out + nlen, t->id, t->id_len);
    }

    if (action) {
        memcpy(out + nlen + t->id_len, "/$/", sizeof("/$/") - 1);
        memcpy(out + nlen + t->id_len + sizeof("/$/") - 1, action,
               alen - (sizeof("/$/") - 1));
    }

    return need;
}


size_t
sfb_canonical_query(const sfb_rules_t *rules, const sfb_query_t *q,
    unsigned char *out, size_t size)
{
    int                   tlen;
    char                  tnum[sizeof("&timeout=18446744073709551615")];
    char                  num[sizeof("18446744073709551615")];
    size_t                i, k, need;
    unsigned char        *o, *w;
    const sfb_str_t      *v;

    v = rules->upstream_api_version.len ? &rules->upstream_api_version
                                        : &q->api_version;

    need = sizeof("api-version=") - 1;

    for (i = 0; i < v->len; i++) {
        need += sfb_is_unreserved(v->data[i]) ? 1 : 3;
    }

    tlen = 0;

    if (q->has_timeout) {
        tlen = snprintf(tnum, sizeof(tnum), "&timeout=%llu",
                        (unsigned long long) q->timeout);
        need += (size_t) tlen;
    }

    /* the call's own parameters, in the table's order: sized first */
    o = NULL;

    for (k = 0; q->has && k < SFB_QPARAMS; k++) {
        if (q->has & (1u << k)) {
            need += sfb_query_param(&o, q, k, num);
        }
    }

    if (need > size) {
        return need;
    }

    w = out;
    memcpy(w, "api-version=", sizeof("api-version=") - 1);
    w += sizeof("api-version=") - 1;

    for (i = 0; i < v->len; i++) {
        if (sfb_is_unreserved(v->data[i])) {
            *w++ = v->data[i];

        } else {
            w = sfb_hex_percent(w, v->data[i]);
        }
    }

    if (tlen) {
        memcpy(w, tnum, (size_t) tlen);
        w += tlen;
    }

    for (k = 0; q->has && k < SFB_QPARAMS; k++) {
        if (q->has & (1u << k)) {
            (void) sfb_query_param(&w, q, k, num);
        }
    }

    return need;
}


/* "&Name=value" of the call's parameter k, written at *o unless NULL */
static size_t
sfb_query_param(unsigned char **o, const sfb_query_t *q, size_t k,
    char *num)
{
    int          n;
    const char  *name;

    name = sfb_query_param_name(k);

    switch (1u << k) {

    case SFB_Q_START:
    case SFB_Q_END:
    case SFB_Q_CONTINUATION:
        return sfb_query_piece(o, name, q->value[k].data, q->value[k].len, 1);

    case SFB_Q_LATEST:
    case SFB_Q_VALIDATE:
        n = snprintf(num, 21, "%s", q->number[k] ? "true" : "false");
        break;

    default:
        n = snprintf(num, 21, "%llu", (unsigned long long) q->number[k]);
    }

    return sfb_query_piece(o, name, (const unsigned char *) num, (size_t) n,
                           1);
}


/* "[&]name=value", the value percent-encoded but for unreserved bytes;
 * written at *o (and *o moved on) unless *o is NULL; returns its length. */
static size_t
sfb_query_piece(unsigned char **o, const char *name,
    const unsigned char *value, size_t len, int amp)
{
    size_t                i, nlen, need;
    unsigned char        *w;

    nlen = strlen(name);
    need = (amp ? 1 : 0) + nlen + 1;

    for (i = 0; i < len; i++) {
        need += sfb_is_unreserved(value[i]) ? 1 : 3;
    }

    if (*o == NULL) {
        return need;
    }

    w = *o;

    if (amp) {
        *w++ = '&';
    }

    memcpy(w, name, nlen);
    w += nlen;
    *w++ = '=';

    for (i = 0; i < len; i++) {
        if (sfb_is_unreserved(value[i])) {
            *w++ = value[i];

        } else {
            w = sfb_hex_percent(w, value[i]);
        }
    }

    *o = w;

    return need;
}


size_t
sfb_canonical_body(const unsigned char *policy, size_t len,
    unsigned char *out, size_t size)
{
    size_t          need;
    unsigned char  *p;

    /*
     * Printable ASCII other than '"' and '\\' is the one case where
     * jansson's compact ASCII output is the name itself between fixed
     * bytes: the common case, made without building and printing an
     * object.  The unit tests and fuzz_body hold it equal to jansson's.
     */
    if (len > 0 && sfb_json_plain(policy, len)) {
        need = sizeof(SFB_BODY_HEAD) - 1 + len + sizeof(SFB_BODY_TAIL) - 1;

        if (need <= size) {
            p = out;
            memcpy(p, SFB_BODY_HEAD, sizeof(SFB_BODY_HEAD) - 1);
            p += sizeof(SFB_BODY_HEAD) - 1;
            memcpy(p, policy, len);
            p += len;
            memcpy(p, SFB_BODY_TAIL, sizeof(SFB_BODY_TAIL) - 1);
        }

        return need;
    }

    return sfb_canonical_body_json(policy, len, out, size);
}


size_t
sfb_canonical_body_json(const unsigned char *policy, size_t len,
    unsigned char *out, size_t size)
{
    size_t   need;
    json_t  *json, *name;

    /* ASCII only: the forwarded body then means the same in any charset */
    name = json_stringn(len ? (const char *) policy : "", len);

    if (name == NULL) {
        return 0;
    }

    json = json_object();

    if (json == NULL || json_object_set_new(json, "BackupPolicyName", name)) {
        if (json == NULL) {
            json_decref(name);
        }

        json_decref(json);
        return 0;
    }

    /*
     * json_dumpb() writes what fits as it goes: one pass straight into out
     * when it surely fits (at most 6 bytes a byte, \\uXXXX), else measure
     * first, so that out is left alone when it is too small.
     */
    if (size >= SFB_CANONICAL_BODY_MAX(len)) {
        need = json_dumpb(json, (char *) out, size,
                          JSON_COMPACT | JSON_ENSURE_ASCII);

    } else {
        need = json_dumpb(json, NULL, 0, JSON_COMPACT | JSON_ENSURE_ASCII);

        if (need != 0 && need <= size
            && json_dumpb(json, (char *) out, need,
                          JSON_COMPACT | JSON_ENSURE_ASCII)
               != need)
        {
            need = 0;
        }
    }

    json_decref(json);

    return need;
}
