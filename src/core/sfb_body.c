/*
 * sf-backup-gate: the gate's body schema (EnableBackupDescription, read with
 * jansson, or without it when already canonical) and the policy allow-list.
 */

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "sfb_json.h"
#include "sfb_body.h"
#include "sfb_types.h"
#include "sfb_bytes.h"
#include "sfb_message.h"
#include "sfb_path.h"


/* jansson's memory for parsing a body of common size (sfb_json.h) */
#define SFB_BODY_SCRATCH  2048




const char *
sfb_json_type(const json_t *json)
{
    switch (json_typeof(json)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a real number";
    case JSON_TRUE:
        return "true";
    case JSON_FALSE:
        return "false";
    default:
        return "null";
    }
}


/*
 * Duplicate members are refused by jansson while parsing and so are
 * BODY_INVALID_JSON; members are judged in document order: an unknown one
 * first, then a missing or mistyped BackupPolicyName, then one that breaks
 * a policy name's rule (sfb_policy_name_valid()).
 */

sfb_reason_e
sfb_parse_body(const sfb_rules_t *rules, const unsigned char *body,
    size_t len, sfb_body_t *b, unsigned char *buf, size_t size,
    char *detail, size_t detail_size)
{
    size_t  n;

    /*
     * A body that is byte for byte the canonical body of its name (what
     * sfb_canonical_body() writes, and jansson's json_dumpb() with it) is
     * that name: jansson reads its own output back as the value it printed.
     * Only names that jansson prints as they are qualify, so nothing is
     * unescaped or decoded here; every other body goes to jansson.  The
     * unit tests and fuzz_body hold the two equal, reason and detail.
     */
    n = sizeof(SFB_BODY_HEAD) - 1 + sizeof(SFB_BODY_TAIL) - 1;

    if (len > n && len <= rules->max_body && len - n <= size
        && memcmp(body, SFB_BODY_HEAD, sizeof(SFB_BODY_HEAD) - 1) == 0
        && memcmp(body + len - (sizeof(SFB_BODY_TAIL) - 1), SFB_BODY_TAIL,
                  sizeof(SFB_BODY_TAIL) - 1) == 0
        && sfb_json_plain(body + sizeof(SFB_BODY_HEAD) - 1, len - n)
        && sfb_policy_name_valid(body + sizeof(SFB_BODY_HEAD) - 1, len - n))
    {
        memcpy(buf, body + sizeof(SFB_BODY_HEAD) - 1, len - n);
        b->policy = buf;
        b->policy_len = len - n;

        if (detail_size > 0) {
            detail[0] = '\0';
        }

        return SFB_REASON_NONE;
    }

    return sfb_parse_body_json(rules, body, len, b, buf, size, detail,
                               detail_size);
}


sfb_reason_e
sfb_parse_body_json(const sfb_rules_t *rules, const unsigned char *body,
    size_t len, sfb_body_t *b, unsigned char *buf, size_t size,
    char *detail, size_t detail_size)
{
    void          *iter;
    size_t         klen, n;
    json_t        *json, *v;
    sfb_msg_t      m;
    sfb_str_t      key;
    const char    *k;
    sfb_reason_e   rc;
    json_error_t   err;
    unsigned char  mem[SFB_BODY_SCRATCH];
    sfb_json_scratch_t  scratch;

    b->policy = buf;
    b->policy_len = 0;
    scratch.active = 0;

    sfb_msg_init(&m, detail, detail_size);

    if (len == 0) {
        rc = SFB_REASON_BODY_MISSING;
        goto done;
    }

    if (len > rules->max_body) {
        rc = SFB_REASON_BODY_TOO_LARGE;
        goto done;
    }

    /* the parse lives on this stack: no malloc() for a body of common size */
    sfb_json_scratch_begin(&scratch, mem, sizeof(mem));

    json = json_loadb((const char *) body, len, JSON_REJECT_DUPLICATES, &err);

    if (json == NULL) {
#if (JANSSON_VERSION_HEX >= 0x020e00)
        if (json_error_code(&err) == json_error_out_of_memory) {
            rc = SFB_REASON_INTERNAL_ERROR;
            goto done;
        }
#endif

        /* jansson quotes the offending input in its text */
        sfb_msg_safe(&m, (const unsigned char *) err.text,
                     strnlen(err.text, JSON_ERROR_TEXT_LENGTH - 1),
                     JSON_ERROR_TEXT_LENGTH);
        sfb_msg_str(&m, " (line ");
        sfb_msg_u64(&m, (uint64_t) (err.line < 0 ? 0 : err.line));
        sfb_msg_str(&m, ", column ");
        sfb_msg_u64(&m, (uint64_t) (err.column < 0 ? 0 : err.column));
        sfb_msg_str(&m, ")");

        rc = SFB_REASON_BODY_INVALID_JSON;
        goto done;
    }

    rc = SFB_REASON_BODY_SCHEMA;

    if (!json_is_object(json)) {
        sfb_msg_str(&m, "the body must be a JSON object, not ");
        sfb_msg_str(&m, sfb_json_type(json));
        goto release;
    }

    for (iter = json_object_iter(json);
         iter != NULL;
         iter = json_object_iter_next(json, iter))
    {
        k = json_object_iter_key(iter);
        /* jansson refuses NUL in keys, so strlen() is the whole key */
        klen = strlen(k);

        if (klen == 16 && memcmp(k, "BackupPolicyName", 16) == 0) {
            continue;
        }

        key.data = (const unsigned char *) k;
        key.len = klen;

        sfb_msg_str(&m, "unknown member ");
        sfb_msg_quote(&m, &key);
        sfb_msg_str(&m, "; only 'BackupPolicyName' is allowed");
        goto release;
    }

    v = json_object_get(json, "BackupPolicyName");

    if (v == NULL) {
        sfb_msg_str(&m, "member 'BackupPolicyName' is missing");
        goto release;
    }

    if (!json_is_string(v)) {
        sfb_msg_str(&m, "member 'BackupPolicyName' must be a string, not ");
        sfb_msg_str(&m, sfb_json_type(v));
        goto release;
    }

    n = json_string_length(v);

    /* unescaping never grows a string: len bytes always suffice */
    if (n > size) {
        rc = SFB_REASON_INTERNAL_ERROR;
        goto release;
    }

    /* kept even when refused: the audit record says what was asked for */
    memcpy(buf, json_string_value(v), n);
    b->policy_len = n;
    rc = SFB_REASON_NONE;

    /* the one rule a policy's name has, wherever it is given */
    if (!sfb_policy_name_valid(buf, n)) {
        sfb_msg_str(&m, "member 'BackupPolicyName' must be a backup policy "
                    "name: " SFB_POLICY_NAME_RULE);
        rc = SFB_REASON_POLICY_INVALID;
    }

release:

    json_decref(json);

done:

    sfb_json_scratch_end(&scratch);

    (void) sfb_msg_end(&m);

    return rc;
}


/* policy */


sfb_reason_e
sfb_check_policy(const unsigned char *policy, size_t len,
    const sfb_str_t *allowed, size_t n)
{
    size_t  i;

    if (len == 0) {
        return SFB_REASON_POLICY_INVALID;
    }

    for (i = 0; i < n; i++) {
        if (sfb_str_eq(policy, len, allowed[i].data, allowed[i].len)) {
            return SFB_REASON_ALLOWED;
        }
    }

    return SFB_REASON_POLICY_NOT_ALLOWED;
}

