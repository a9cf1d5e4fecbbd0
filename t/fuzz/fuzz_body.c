/*
 * Fuzz target: body validation, sfb_parse_body() on any bytes.
 *
 * Invariants:
 *  - the reason is one the body step may give (internal_error only with a
 *    buffer smaller than the body);
 *  - it agrees with a jansson oracle written apart from the parser: an
 *    object whose only member is a non-empty "BackupPolicyName" string is
 *    accepted with exactly that string, everything else is refused;
 *  - the detail is a NUL-terminated printable ASCII sentence, empty when
 *    accepted; cut into a smaller buffer it is a prefix of itself;
 *  - an accepted policy has no NUL, is valid UTF-8, is allowed by a list
 *    holding it and by no empty list; its canonical body is ASCII, parses
 *    back to the same policy and canonicalises to the same bytes;
 *  - sfb_describe() of a refusal is a printable sentence.
 */

#include <jansson.h>

#include "sfb_fabric_error.h"
#include "sfb_fuzz_gate.h"
#include "sfb_json.h"
#include "sfb_path.h"


static sfb_reason_e parse(const sfb_rules_t *rules, const unsigned char *body,
    size_t len, sfb_body_t *b, unsigned char **buf, char *detail,
    size_t detail_size);
static int oracle(const unsigned char *body, size_t len, json_t **policy);
static void check_accepted(const sfb_rules_t *rules, const sfb_body_t *b);
static void check_small_detail(const sfb_rules_t *rules,
    const unsigned char *body, size_t len, const char *detail);


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int              want;
    char             detail[SFB_DETAIL_SIZE];
    json_t          *policy;
    sfb_body_t       b;
    sfb_rules_t      rules;
    sfb_reason_e     rc;
    unsigned char   *body, *buf;
    sfb_decision_t   d;

    /* jansson in scratch memory, as in the module (sfb_json.h) */
    sfb_json_scratch_install();

    sfb_rules_init(&rules);
    body = sfb_fuzz_dup(data, size);

    rc = parse(&rules, body, size, &b, &buf, detail, sizeof(detail));

    SFB_FUZZ_CHECK(rc == SFB_REASON_NONE || rc == SFB_REASON_BODY_MISSING
                   || rc == SFB_REASON_BODY_TOO_LARGE
                   || rc == SFB_REASON_BODY_INVALID_JSON
                   || rc == SFB_REASON_BODY_SCHEMA
                   || rc == SFB_REASON_POLICY_INVALID,
                   "parse_body gave %s", sfb_reason_name(rc));

    SFB_FUZZ_CHECK(sfb_fuzz_printable(detail, sizeof(detail)),
                   "detail is not NUL-terminated printable ASCII");

    SFB_FUZZ_CHECK(rc == SFB_REASON_NONE ? detail[0] == '\0'
                   : rc == SFB_REASON_BODY_INVALID_JSON
                     || rc == SFB_REASON_BODY_SCHEMA
                   ? detail[0] != '\0' : 1,
                   "%s with detail '%s'", sfb_reason_name(rc), detail);

    SFB_FUZZ_CHECK((rc == SFB_REASON_BODY_MISSING) == (size == 0)
                   && (rc == SFB_REASON_BODY_TOO_LARGE)
                      == (size > rules.max_body),
                   "%s for a body of %zu bytes", sfb_reason_name(rc), size);

    policy = NULL;
    want = size <= rules.max_body && oracle(body, size, &policy);

    SFB_FUZZ_CHECK(want == (rc == SFB_REASON_NONE),
                   "parse_body says %s (%s), the oracle %s",
                   sfb_reason_name(rc), detail,
                   want ? "accepts" : "refuses");

    if (rc == SFB_REASON_NONE) {
        SFB_FUZZ_CHECK(sfb_fuzz_within(b.policy, b.policy_len, buf, size)
                       && sfb_fuzz_eq(b.policy, b.policy_len,
                                      (const unsigned char *)
                                          json_string_value(policy),
                                      json_string_length(policy)),
                       "policy '%.*s' is not the oracle's '%s'",
                       (int) b.policy_len, b.policy,
                       json_string_value(policy));

        check_accepted(&rules, &b);

    } else if (size <= rules.max_body) {
        sfb_decision_init(&d);
        d.kind = SFB_PATH_GOVERNED;
        memcpy(d.detail, detail, sizeof(detail));
        sfb_fuzz_check_describe(rc, &d, &rules);
    }

    check_small_detail(&rules, body, size, detail);

    json_decref(policy);
    free(buf);
    free(body);

    return 0;
}


/* into a policy buffer of exactly len bytes ("size >= len suffices") */

static sfb_reason_e
parse(const sfb_rules_t *rules, const unsigned char *body, size_t len,
    sfb_body_t *b, unsigned char **buf, char *detail, size_t detail_size)
{
    *buf = sfb_fuzz_alloc(len);

    if (detail_size) {
        memset(detail, 'Z', detail_size);
    }

    return sfb_parse_body(rules, body, len, b, *buf, len, detail,
                          detail_size);
}


/* 1 and *policy (a new reference) when the body is what the gate takes */

static int
oracle(const unsigned char *body, size_t len, json_t **policy)
{
    json_t        *json, *v;
    json_error_t   err;

    /* a duplicate member is refused: the last one would hide the first */
    json = json_loadb((const char *) body, len,
                      JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &err);

    if (!json_is_object(json) || json_object_size(json) != 1) {
        json_decref(json);
        return 0;
    }

    v = json_object_get(json, "BackupPolicyName");

    if (!json_is_string(v)
        || !sfb_policy_name_valid((const unsigned char *) json_string_value(v),
                                  json_string_length(v)))
    {
        json_decref(json);
        return 0;
    }

    *policy = json_incref(v);
    json_decref(json);

    return 1;
}


static void
check_accepted(const sfb_rules_t *rules, const sfb_body_t *b)
{
    char            detail[SFB_DETAIL_SIZE];
    size_t          i, n, n2;
    sfb_str_t       list[2];
    sfb_body_t      b2;
    sfb_reason_e    rc;
    unsigned char  *canon, *canon2, *buf;

    SFB_FUZZ_CHECK(b->policy_len > 0
                   && memchr(b->policy, '\0', b->policy_len) == NULL,
                   "accepted policy is empty or holds a NUL");
    SFB_FUZZ_CHECK(sfb_utf8_valid(b->policy, b->policy_len),
                   "accepted policy is not valid UTF-8");

    list[0].data = (const unsigned char *) "x";
    list[0].len = 1;
    list[1].data = b->policy;
    list[1].len = b->policy_len;

    SFB_FUZZ_CHECK(sfb_check_policy(b->policy, b->policy_len, list, 2)
                   == SFB_REASON_ALLOWED, "a listed policy is not allowed");
    SFB_FUZZ_CHECK(sfb_check_policy(b->policy, b->policy_len, NULL, 0)
                   == SFB_REASON_POLICY_NOT_ALLOWED,
                   "an empty list allows a policy");

    n = sfb_canonical_body(b->policy, b->policy_len, NULL, 0);
    SFB_FUZZ_CHECK(n > 0, "no canonical body for '%.*s'",
                   (int) b->policy_len, b->policy);

    canon = sfb_fuzz_alloc(n);
    SFB_FUZZ_CHECK(sfb_canonical_body(b->policy, b->policy_len, canon, n)
                   == n, "canonical body length changed");

    for (i = 0; i < n; i++) {
        /* DEL is ASCII and JSON needs no escape for it */
        SFB_FUZZ_CHECK(canon[i] >= 0x20 && canon[i] < 0x80,
                       "canonical body byte %zu is 0x%02x", i, canon[i]);
    }

    /* the canonical body may be longer than max_body: it is not a request */
    rc = sfb_parse_body(rules, canon, n > rules->max_body ? 0 : n, &b2,
                        (buf = sfb_fuzz_alloc(n)), n, detail,
                        sizeof(detail));

    if (n <= rules->max_body) {
        SFB_FUZZ_CHECK(rc == SFB_REASON_NONE
                       && sfb_fuzz_eq(b2.policy, b2.policy_len, b->policy,
                                      b->policy_len),
                       "canonical body '%.*s' gives %s, policy '%.*s'",
                       (int) n, canon, sfb_reason_name(rc),
                       (int) b2.policy_len, b2.policy);

        n2 = sfb_canonical_body(b2.policy, b2.policy_len, NULL, 0);
        canon2 = sfb_fuzz_alloc(n2);
        (void) sfb_canonical_body(b2.policy, b2.policy_len, canon2, n2);

        SFB_FUZZ_CHECK(sfb_fuzz_eq(canon, n, canon2, n2),
                       "canonical body is not a fixed point");
        free(canon2);
    }

    free(buf);
    free(canon);
}


static void
check_small_detail(const sfb_rules_t *rules, const unsigned char *body,
    size_t len, const char *detail)
{
    char            small[17];
    size_t          k, n;
    sfb_body_t      b;
    unsigned char  *buf;

    n = strlen(detail);

    for (k = 1; k <= sizeof(small); k += 8) {
        (void) parse(rules, body, len, &b, &buf, small, k);

        SFB_FUZZ_CHECK(memchr(small, '\0', k) != NULL
                       && strlen(small) == (n < k ? n : k - 1)
                       && memcmp(small, detail, strlen(small)) == 0,
                       "a detail cut to %zu bytes is not a prefix of '%s'",
                       k, detail);
        free(buf);
    }
}
