/*
 * sf-backup-gate: the verifier's reading of one line: is it a record of the
 * writer's shape (members in the writer's order, sfb_check_layout[]), and
 * if not, is it a partial record with a whole one appended?
 */

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sfb_audit_check_impl.h"


/* how every record begins: where a line appended to a partial one starts */
#define SFB_CHECK_HEAD      "{\"time\":\""
#define SFB_CHECK_HEAD_LEN  (sizeof(SFB_CHECK_HEAD) - 1)

/* bounds the re-parsing of a hostile line full of record heads */
#define SFB_CHECK_PARTIAL_TRIES  8


typedef enum {
    SFB_CHECK_STR = 0,
    SFB_CHECK_STR_NULL,
    SFB_CHECK_INT,
    SFB_CHECK_INT_NULL,
    SFB_CHECK_ANY_NULL          /* string, integer or null */
} sfb_check_type_e;


typedef struct {
    const char        *name;
    sfb_check_type_e   type;
    unsigned           optional:1;      /* absent before 0.3 */
} sfb_check_member_t;


static void *sfb_check_retires(sfb_audit_check_t *ck, json_t *o, void *it,
    sfb_check_rec_t *rec, char *why, size_t whylen);
static int sfb_check_members(sfb_audit_check_t *ck, json_t *o,
    sfb_check_rec_t *rec, char *why, size_t whylen);
static int sfb_check_is(void *it, const char *name);
static int sfb_check_type(json_t *v, sfb_check_type_e type);
static int sfb_check_hex(json_t *v, size_t hex_len, unsigned char *out);


/* the writer's member order, up to the optional link and the mac */

static const sfb_check_member_t  sfb_check_layout[] = {
    { "time",             SFB_CHECK_STR, 0 },
    { "request_id",       SFB_CHECK_STR, 0 },
    { "client",           SFB_CHECK_STR, 0 },
    { "identity",         SFB_CHECK_STR, 0 },
    { "method",           SFB_CHECK_STR, 0 },
    { "uri",              SFB_CHECK_STR, 0 },
    { "entity",           SFB_CHECK_STR, 0 },
    { "entity_id",        SFB_CHECK_STR, 0 },
    { "entity_name",      SFB_CHECK_STR, 1 },
    { "operation",        SFB_CHECK_STR, 1 },
    { "policy",           SFB_CHECK_STR, 0 },
    { "storage",          SFB_CHECK_STR, 1 },
    /* a restore's source, since 0.4 */
    { "backup_id",        SFB_CHECK_STR, 1 },
    { "backup_location",  SFB_CHECK_STR, 1 },
    { "api_version",      SFB_CHECK_STR, 0 },
    { "timeout",          SFB_CHECK_INT_NULL, 0 },
    { "decision",         SFB_CHECK_STR, 0 },
    { "reason",           SFB_CHECK_STR, 0 },
    { "status",           SFB_CHECK_INT, 0 },
    /* a list since 0.2 (as $upstream_status), an integer before it */
    { "upstream_status",  SFB_CHECK_ANY_NULL, 0 },
    { "upstream_addr",    SFB_CHECK_STR_NULL, 0 },
    { "duration_ms",      SFB_CHECK_INT, 0 },
    { "phase",            SFB_CHECK_STR, 0 },
    { "node",             SFB_CHECK_STR, 1 },
    { "key_id",           SFB_CHECK_STR, 1 },
    /* forward-secure sealing only (sfb_seal.h) */
    { "epoch",            SFB_CHECK_INT, 1 },
    { "chain",            SFB_CHECK_STR, 0 },
    { "seq",              SFB_CHECK_INT, 0 },
    { "prev",             SFB_CHECK_STR, 0 }
};

#define SFB_CHECK_LAYOUT_N  (sizeof(sfb_check_layout)                         \
                             / sizeof(sfb_check_layout[0]))



/*
 * 1: a record of the writer's shape, rec filled and its MAC checked;
 * 0: not one, why says what is wrong; -1: allocation failure.
 */

int
sfb_check_record(sfb_audit_check_t *ck, const unsigned char *line,
    size_t len, sfb_check_rec_t *rec, char *why, size_t whylen)
{
    int            rc;
    json_t        *o;
    json_error_t   e;
    unsigned char  tail[SFB_AUDIT_MAC_LEN];

    if (len > SFB_CHECK_LINE_MAX) {
        snprintf(why, whylen, "line of %zu bytes, longer than any record",
                 len);
        return 0;
    }

    /* duplicate members could make the parse and the MAC disagree;
     * "\u0000" is how the writer escapes a NUL from a request */

    o = json_loadb((const char *) line, len,
                   JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &e);

    if (o == NULL) {
        snprintf(why, whylen, "not JSON: %s (column %d)", e.text, e.column);
        return 0;
    }

    if (!json_is_object(o)) {
        snprintf(why, whylen, "not a JSON object");
        json_decref(o);
        return 0;
    }

    rc = sfb_check_members(ck, o, rec, why, whylen);

    json_decref(o);

    if (rc != 1) {
        return rc;
    }

    /* B is the line less this exact suffix, so it must be the writer's */

    if (len <= SFB_AUDIT_MAC_SUFFIX_LEN
        || memcmp(line + len - SFB_AUDIT_MAC_SUFFIX_LEN, ",\"mac\":\"",
                  SFB_AUDIT_MAC_SUFFIX_LEN - SFB_CHECK_MAC_HEX - 2) != 0
        || line[len - 2] != '"' || line[len - 1] != '}'
        || sfb_hex_decode(line + len - 2 - SFB_CHECK_MAC_HEX,
                           SFB_CHECK_MAC_HEX, tail) != 0
        || memcmp(tail, rec->mac, SFB_AUDIT_MAC_LEN) != 0)
    {
        snprintf(why, whylen, "\"mac\" does not end the line in the writer's "
                 "form");
        return 0;
    }

    return sfb_check_mac(ck, line, len, rec, why, whylen);
}


static int
sfb_check_members(sfb_audit_check_t *ck, json_t *o, sfb_check_rec_t *rec,
    char *why, size_t whylen)
{
    void        *it;
    size_t       i;
    json_t      *v;
    json_int_t   n;

    it = json_object_iter(o);

    for (i = 0; i < SFB_CHECK_LAYOUT_N; i++) {

        /* "key_id", the first of the chain fields */
        if (strcmp(sfb_check_layout[i].name, "key_id") == 0
            && (it == NULL || sfb_check_is(it, "mac")))
        {
            snprintf(why, whylen, "no chain fields: with a key every record "
                     "must have chain, seq, prev and mac");
            return 0;
        }

        if (it == NULL) {
            snprintf(why, whylen, "record ends where \"%s\" is expected",
                     sfb_check_layout[i].name);
            return 0;
        }

        if (!sfb_check_is(it, sfb_check_layout[i].name)) {

            if (sfb_check_layout[i].optional) {
                continue;
            }

            snprintf(why, whylen, "member %zu is \"%.40s\", \"%s\" expected",
                     i + 1, json_object_iter_key(it),
                     sfb_check_layout[i].name);
            return 0;
        }

        if (!sfb_check_type(json_object_iter_value(it),
                            sfb_check_layout[i].type))
        {
            snprintf(why, whylen, "\"%s\" has the wrong type",
                     sfb_check_layout[i].name);
            return 0;
        }

        it = json_object_iter_next(o, it);
    }

    v = json_object_get(o, "key_id");

    if (v != NULL) {
        if (sfb_check_hex(v, SFB_AUDIT_KEY_ID_HEX, rec->key_id) != 0) {
            snprintf(why, whylen, "\"key_id\" is not %d hex digits",
                     SFB_AUDIT_KEY_ID_HEX);
            return 0;
        }

        rec->has_key_id = 1;
    }

    v = json_object_get(o, "epoch");

    if (v != NULL) {
        if (!json_is_integer(v) || json_integer_value(v) < 0) {
            snprintf(why, whylen, "\"epoch\" is not an integer >= 0");
            return 0;
        }

        rec->has_epoch = 1;
        rec->epoch = (uint64_t) json_integer_value(v);
    }

    if (sfb_check_hex(json_object_get(o, "chain"), SFB_CHECK_ID_HEX,
                      rec->chain_id)
        != 0)
    {
        snprintf(why, whylen, "\"chain\" is not %d hex digits",
                 SFB_CHECK_ID_HEX);
        return 0;
    }

    n = json_integer_value(json_object_get(o, "seq"));
    if (n < 1) {
        snprintf(why, whylen, "\"seq\" is not a positive integer");
        return 0;
    }

    rec->seq = (uint64_t) n;

    v = json_object_get(o, "time");
    rec->time_ms = sfb_check_time(json_string_value(v), json_string_length(v));

    v = json_object_get(o, "phase");
    rec->end = json_string_length(v) == 3
               && memcmp(json_string_value(v), "end", 3) == 0;

    v = json_object_get(o, "prev");

    if (rec->seq == 1 ? json_string_length(v) != 0
                      : sfb_check_hex(v, SFB_CHECK_MAC_HEX, rec->prev) != 0)
    {
        snprintf(why, whylen, "\"prev\" of seq %llu is not %s",
                 (unsigned long long) rec->seq,
                 rec->seq == 1 ? "empty" : "64 hex digits");
        return 0;
    }

    if (it != NULL && sfb_check_is(it, "prev_chain")) {

        /* on seq 1 after a reopen; on any record when it names another
         * process's chain, which may end after this one began */

        if (sfb_check_hex(json_object_iter_value(it), SFB_CHECK_ID_HEX,
                          rec->link_id)
            != 0)
        {
            snprintf(why, whylen, "\"prev_chain\" is not %d hex digits",
                     SFB_CHECK_ID_HEX);
            return 0;
        }

        it = json_object_iter_next(o, it);
        v = it ? json_object_iter_value(it) : NULL;

        if (it == NULL || !sfb_check_is(it, "prev_seq")
            || !json_is_integer(v) || json_integer_value(v) < 1)
        {
            snprintf(why, whylen, "\"prev_chain\" is not followed by a "
                     "positive \"prev_seq\"");
            return 0;
        }

        rec->link_seq = (uint64_t) json_integer_value(v);

        it = json_object_iter_next(o, it);
    }

    if (it != NULL && sfb_check_is(it, "retires")) {
        it = sfb_check_retires(ck, o, it, rec, why, whylen);

        if (it == NULL) {
            return 0;
        }
    }

    if (it == NULL || !sfb_check_is(it, "mac")
        || sfb_check_hex(json_object_iter_value(it), SFB_CHECK_MAC_HEX,
                         rec->mac)
           != 0)
    {
        snprintf(why, whylen, "the chain fields do not end with a \"mac\" of "
                 "64 hex digits");
        return 0;
    }

    if (json_object_iter_next(o, it) != NULL) {
        snprintf(why, whylen, "members after \"mac\"");
        return 0;
    }

    return 1;
}


/*
 * "retires" and "retiring_chains" (sfb_audit.h): the key this record's key
 * replaces and the chains it still seals, into rec and ck->retiring; the
 * member after them, or NULL with why.
 */

static void *
sfb_check_retires(sfb_audit_check_t *ck, json_t *o, void *it,
    sfb_check_rec_t *rec, char *why, size_t whylen)
{
    size_t   i, n;
    json_t  *chains;

    if (sfb_check_hex(json_object_iter_value(it), SFB_AUDIT_KEY_ID_HEX,
                      rec->retired)
        != 0)
    {
        snprintf(why, whylen, "\"retires\" is not %d hex digits",
                 SFB_AUDIT_KEY_ID_HEX);
        return NULL;
    }

    it = json_object_iter_next(o, it);
    chains = it ? json_object_iter_value(it) : NULL;
    n = json_array_size(chains);

    if (it == NULL || !sfb_check_is(it, "retiring_chains")
        || !json_is_array(chains) || n > SFB_AUDIT_RETIRING_MAX)
    {
        snprintf(why, whylen, "\"retires\" is not followed by "
                 "\"retiring_chains\", an array of at most %d chain ids",
                 SFB_AUDIT_RETIRING_MAX);
        return NULL;
    }

    for (i = 0; i < n; i++) {
        if (sfb_check_hex(json_array_get(chains, i), SFB_CHECK_ID_HEX,
                          ck->retiring[i])
            != 0)
        {
            snprintf(why, whylen, "\"retiring_chains\" holds something "
                     "other than %d hex digits", SFB_CHECK_ID_HEX);
            return NULL;
        }
    }

    rec->retires = 1;
    ck->nretiring = n;

    return json_object_iter_next(o, it);
}


/*
 * A line that is not a record may be a partial one with a complete,
 * authentic record appended: 1 (rec filled, *skipped its offset), 0, -1.
 */

int
sfb_check_partial(sfb_audit_check_t *ck, const unsigned char *line,
    size_t len, sfb_check_rec_t *rec, size_t *skipped)
{
    int                   rc, tries;
    char                  why[256];
    size_t                off;
    uint32_t              file;
    uint64_t              lineno;
    const unsigned char  *p;

    file = rec->file;
    lineno = rec->line;

    for (off = 1, tries = 0;
         off + SFB_CHECK_HEAD_LEN <= len && tries < SFB_CHECK_PARTIAL_TRIES;
         off = (size_t) (p - line) + 1)
    {
        p = memchr(line + off, '{', len - off);
        if (p == NULL) {
            break;
        }

        if ((size_t) (line + len - p) < SFB_CHECK_HEAD_LEN
            || memcmp(p, SFB_CHECK_HEAD, SFB_CHECK_HEAD_LEN) != 0)
        {
            continue;
        }

        tries++;

        memset(rec, 0, sizeof(sfb_check_rec_t));
        rec->file = file;
        rec->line = lineno;

        rc = sfb_check_record(ck, p, (size_t) (line + len - p), rec, why,
                              sizeof(why));
        if (rc == -1) {
            return -1;
        }

        /* only an authentic tail makes the head a partial record */

        if (rc == 1 && rec->mac_ok) {
            *skipped = (size_t) (p - line);
            return 1;
        }
    }

    return 0;
}


static int
sfb_check_is(void *it, const char *name)
{
    size_t  len;

    len = strlen(name);

    return json_object_iter_key_len(it) == len
           && memcmp(json_object_iter_key(it), name, len) == 0;
}


static int
sfb_check_type(json_t *v, sfb_check_type_e type)
{
    switch (type) {
    case SFB_CHECK_STR:
        return json_is_string(v);
    case SFB_CHECK_STR_NULL:
        return json_is_string(v) || json_is_null(v);
    case SFB_CHECK_INT:
        return json_is_integer(v);
    case SFB_CHECK_INT_NULL:
        return json_is_integer(v) || json_is_null(v);
    default:
        return json_is_string(v) || json_is_integer(v) || json_is_null(v);
    }
}


static int
sfb_check_hex(json_t *v, size_t hex_len, unsigned char *out)
{
    if (!json_is_string(v) || json_string_length(v) != hex_len) {
        return -1;
    }

    return sfb_hex_decode((const unsigned char *) json_string_value(v),
                           hex_len, out);
}


/* RFC 3339 as the writer prints it, "2026-11-25T01:38:19.123Z" (or without
 * the milliseconds), to Unix ms; -1 if it is not that */

int64_t
sfb_check_time(const char *s, size_t len)
{
    int          ms, n;
    char         buf[32];
    time_t       t;
    struct tm    tm;
    const char  *end;

    if (s == NULL || len >= sizeof(buf) || len < 20) {
        return -1;
    }

    memcpy(buf, s, len);
    buf[len] = '\0';

    memset(&tm, 0, sizeof(struct tm));
    n = 0;

    if (sscanf(buf, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
               &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n)
        != 6 || n != 19)
    {
        return -1;
    }

    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    end = buf + n;
    ms = 0;

    if (end[0] == '.' && end[1] >= '0' && end[1] <= '9' && end[2] >= '0'
        && end[2] <= '9' && end[3] >= '0' && end[3] <= '9')
    {
        ms = (end[1] - '0') * 100 + (end[2] - '0') * 10 + (end[3] - '0');
        end += 4;
    }

    if (end[0] != 'Z' || end[1] != '\0') {
        return -1;
    }

    t = timegm(&tm);
    if (t == (time_t) -1) {
        return -1;
    }

    return (int64_t) t * 1000 + ms;
}
