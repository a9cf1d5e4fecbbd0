/*
 * sf-backup-gate: the bodies of the backup and restore surface beyond
 * EnableBackup, checked against their schemas (sfb_schema_tables.c): no
 * unknown, duplicate or case-variant member, every type and bound; then
 * written anew by jansson with the members in schema order: what is
 * forwarded is exactly what was checked.  No message quotes a value, only
 * member names; a storage is summarised without its secrets, and named by
 * its key (sfb_storage.c).
 */

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "sfb_schema.h"
#include "sfb_types.h"
#include "sfb_bytes.h"
#include "sfb_query.h"
#include "sfb_body.h"
#include "sfb_mask.h"
#include "sfb_message.h"
#include "sfb_schema_impl.h"
#include "sfb_scope.h"
#include "sfb_storage.h"
#include "sfb_path.h"


static const char *const  sfb_day_names[] = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday"
};

static const sfb_words_t  sfb_days = {
    sfb_day_names, SFB_N(sfb_day_names)
};


static sfb_reason_e sfb_object(json_t *in, const sfb_member_t *ms, size_t n,
    const sfb_member_t *common, const char *handled, json_t *out,
    const char *what, sfb_msg_t *m, sfb_body_t *b);
static sfb_reason_e sfb_member(json_t *v, const sfb_member_t *mb,
    json_t **copy, sfb_msg_t *m, sfb_body_t *b);
static int sfb_word(const sfb_words_t *words, const char *s, size_t n);
static void sfb_msg_words(sfb_msg_t *m, const sfb_words_t *words);
static sfb_reason_e sfb_variant(json_t *in, const sfb_member_t *mb,
    json_t **out, sfb_msg_t *m, sfb_body_t *b);
static sfb_reason_e sfb_member_location(json_t *v, const sfb_member_t *mb,
    json_t **copy, sfb_msg_t *m, sfb_body_t *b);
static int sfb_duration(const char *p, size_t n);
static void sfb_member_error(sfb_msg_t *m, const char *name,
    const char *must, json_t *v);
static void sfb_json_error(sfb_msg_t *m, const json_error_t *err);


sfb_reason_e
sfb_parse_body_for(const sfb_rules_t *rules, sfb_body_kind_e kind,
    const unsigned char *body, size_t len, sfb_body_t *b, unsigned char *buf,
    size_t size, char *detail, size_t detail_size)
{
    size_t               n, need;
    json_t              *json, *out;
    sfb_msg_t            m;
    sfb_reason_e         rc;
    json_error_t         err;
    const sfb_member_t  *ms;

    if (kind == SFB_BODY_ENABLE) {
        b->clean = -1;
        b->has_storage = 0;
        b->name_len = 0;
        sfb_body_texts_empty(b);
        b->canonical.data = buf;
        b->canonical.len = 0;
        return sfb_parse_body(rules, body, len, b, buf, size, detail,
                              detail_size);
    }

    memset(b, 0, sizeof(sfb_body_t));
    b->policy = buf;
    b->clean = -1;
    b->canonical.data = buf;

    sfb_msg_init(&m, detail, detail_size);

    if (len > rules->max_body) {
        (void) sfb_msg_end(&m);
        return SFB_REASON_BODY_TOO_LARGE;
    }

    ms = sfb_body_members(kind, &n);

    if (ms == NULL) {
        /* SFB_BODY_NONE */
        if (len != 0) {
            sfb_msg_str(&m, "this call takes no body");
            (void) sfb_msg_end(&m);
            return SFB_REASON_BODY_NOT_EMPTY;
        }

        (void) sfb_msg_end(&m);
        return SFB_REASON_NONE;
    }

    /* DisableBackup, Backup and (9.1, with Latest=true: the gate's
     * sfb_decide_body() holds the two together) Restore may come without
     * one */
    if (len == 0) {
        (void) sfb_msg_end(&m);
        return (kind == SFB_BODY_POLICY || kind == SFB_BODY_STORAGE_QUERY)
               ? SFB_REASON_BODY_MISSING : SFB_REASON_NONE;
    }

    json = json_loadb((const char *) body, len, JSON_REJECT_DUPLICATES, &err);

    if (json == NULL) {
#if (JANSSON_VERSION_HEX >= 0x020e00)
        if (json_error_code(&err) == json_error_out_of_memory) {
            (void) sfb_msg_end(&m);
            return SFB_REASON_INTERNAL_ERROR;
        }
#endif
        sfb_json_error(&m, &err);
        (void) sfb_msg_end(&m);
        return SFB_REASON_BODY_INVALID_JSON;
    }

    out = json_object();

    rc = (out == NULL) ? SFB_REASON_INTERNAL_ERROR
                       : sfb_object(json, ms, n, NULL, NULL, out, "the body",
                                    &m, b);

    if (rc == SFB_REASON_NONE) {
        need = json_dumpb(out, (char *) buf, size,
                          JSON_COMPACT | JSON_ENSURE_ASCII);

        if (need == 0 || need > size) {
            rc = SFB_REASON_INTERNAL_ERROR;

        } else {
            b->canonical.len = need;
        }
    }

    json_decref(out);
    json_decref(json);
    (void) sfb_msg_end(&m);

    return rc;
}


/*
 * in must be an object of exactly the members ms (after common, and
 * handled, which the caller checked), no other, each of its type; out gets
 * them in that order.
 */
static sfb_reason_e
sfb_object(json_t *in, const sfb_member_t *ms, size_t n,
    const sfb_member_t *common, const char *handled, json_t *out,
    const char *what, sfb_msg_t *m, sfb_body_t *b)
{
    void                *iter;
    size_t               i;
    json_t              *v, *copy;
    sfb_str_t            key;
    const char          *k;
    sfb_reason_e         rc;
    const sfb_member_t  *mb;

    if (!json_is_object(in)) {
        sfb_msg_str(m, what);
        sfb_msg_str(m, " must be a JSON object, not ");
        sfb_msg_str(m, sfb_json_type(in));
        return SFB_REASON_BODY_SCHEMA;
    }

    for (iter = json_object_iter(in);
         iter != NULL;
         iter = json_object_iter_next(in, iter))
    {
        k = json_object_iter_key(iter);

        for (i = 0; i < n && strcmp(ms[i].name, k) != 0; i++) {
            /* void */
        }

        if (i < n || (common && strcmp(common->name, k) == 0)
            || (handled && strcmp(handled, k) == 0))
        {
            continue;
        }

        key.data = (const unsigned char *) k;
        key.len = strlen(k);

        /* names are the client's own bytes: quoted safely, never values */
        sfb_msg_str(m, "unknown member ");
        sfb_msg_quote(m, &key);
        sfb_msg_str(m, " in ");
        sfb_msg_str(m, what);
        return SFB_REASON_BODY_SCHEMA;
    }

    for (i = 0; i <= n; i++) {
        mb = (i == 0) ? common : &ms[i - 1];

        if (mb == NULL) {
            continue;
        }

        v = json_object_get(in, mb->name);

        if (v == NULL) {
            if (mb->required) {
                sfb_msg_str(m, "member '");
                sfb_msg_str(m, mb->name);
                sfb_msg_str(m, "' is missing in ");
                sfb_msg_str(m, what);
                return SFB_REASON_BODY_SCHEMA;
            }

            continue;
        }

        rc = sfb_member(v, mb, &copy, m, b);
        if (rc != SFB_REASON_NONE) {
            return rc;
        }

        if (json_object_set_new(out, mb->name, copy) != 0) {
            return SFB_REASON_INTERNAL_ERROR;
        }
    }

    return SFB_REASON_NONE;
}


static sfb_reason_e
sfb_member(json_t *v, const sfb_member_t *mb, json_t **copy, sfb_msg_t *m,
    sfb_body_t *b)
{
    char           id[SFB_UUID_LEN];
    size_t         i, n;
    json_t        *e;
    uint64_t       max, num;
    const char    *s, *range;

    *copy = NULL;

    switch (mb->type) {

    case SFB_M_BOOL:
        if (!json_is_boolean(v)) {
            sfb_member_error(m, mb->name, "true or false", v);
            return SFB_REASON_BODY_SCHEMA;
        }

        if (strcmp(mb->name, "CleanBackup") == 0) {
            b->clean = json_is_true(v);
        }

        *copy = json_boolean(json_is_true(v));
        break;

    case SFB_M_BYTE:
    case SFB_M_COUNT:
        max = (mb->type == SFB_M_BYTE) ? 255 : 2147483647;
        range = (mb->type == SFB_M_BYTE) ? "a whole number from 0 to 255"
                : "a whole number from 0 to 2147483647";

        if (json_is_integer(v)) {
            if (json_integer_value(v) < 0
                || (uint64_t) json_integer_value(v) > max)
            {
                /* the range alone: its type was right */
                sfb_member_error(m, mb->name, range, NULL);
                return SFB_REASON_BODY_SCHEMA;
            }

            num = (uint64_t) json_integer_value(v);

        } else if (!json_is_string(v) || json_string_length(v) == 0
                   || json_string_length(v) > 10)
        {
            sfb_member_error(m, mb->name, range,
                             json_is_string(v) ? NULL : v);
            return SFB_REASON_BODY_SCHEMA;

        } else {
            /* "3", as the reference writes it: forwarded as the number */
            s = json_string_value(v);
            num = 0;

            for (i = 0; s[i]; i++) {
                if (s[i] < '0' || s[i] > '9') {
                    break;
                }

                num = num * 10 + (uint64_t) (s[i] - '0');
            }

            if (s[i] != '\0' || num > max) {
                sfb_member_error(m, mb->name, range, NULL);
                return SFB_REASON_BODY_SCHEMA;
            }
        }

        *copy = json_integer((json_int_t) num);
        break;

    case SFB_M_VARIANT:
        return sfb_variant(v, mb, copy, m, b);

    case SFB_M_DAYS:
    case SFB_M_TIMES:
        if (!json_is_array(v)) {
            sfb_member_error(m, mb->name, mb->type == SFB_M_DAYS
                                          ? "an array of day names"
                                          : "an array of times of day", v);
            return SFB_REASON_BODY_SCHEMA;
        }

        /* no bound but the body's (sf_backup_max_body): the
         * specification sets none */
        if (mb->type == SFB_M_TIMES && json_array_size(v) == 0) {
            sfb_member_error(m, mb->name, "a non-empty array", NULL);
            return SFB_REASON_BODY_SCHEMA;
        }

        *copy = json_array();
        if (*copy == NULL) {
            return SFB_REASON_INTERNAL_ERROR;
        }

        json_array_foreach(v, i, e) {
            s = json_string_value(e);
            n = json_is_string(e) ? json_string_length(e) : 0;

            if (s == NULL
                || (mb->type == SFB_M_DAYS && !sfb_word(&sfb_days, s, n))
                || (mb->type == SFB_M_TIMES
                    && !sfb_date_time((const unsigned char *) s, n)
                    && !sfb_time_of_day((const unsigned char *) s, n)))
            {
                json_decref(*copy);
                *copy = NULL;
                /* the element at fault; its type only when not a string */
                sfb_msg_str(m, "member '");
                sfb_msg_str(m, mb->name);
                sfb_msg_str(m, "' item ");
                sfb_msg_u64(m, (uint64_t) i);
                sfb_msg_str(m, " must be ");
                sfb_msg_str(m, mb->type == SFB_M_DAYS
                               ? "a day name such as Monday"
                               : "a time of day such as 9:00:00, or a "
                                 "date-time such as 0001-01-01T09:00:00Z");

                if (s == NULL) {
                    sfb_msg_str(m, ", not ");
                    sfb_msg_str(m, sfb_json_type(e));
                }

                return SFB_REASON_BODY_SCHEMA;
            }

            if (json_array_append_new(*copy, json_stringn(s, n)) != 0) {
                return SFB_REASON_INTERNAL_ERROR;
            }
        }

        return SFB_REASON_NONE;

    default: /* strings */
        if (!json_is_string(v)) {
            sfb_member_error(m, mb->name, "a string", v);
            return SFB_REASON_BODY_SCHEMA;
        }

        s = json_string_value(v);
        n = json_string_length(v);

        if (mb->type == SFB_M_POLICY_NAME
            && !sfb_policy_name_valid((const unsigned char *) s, n))
        {
            sfb_member_error(m, mb->name, "a backup policy name: "
                             SFB_POLICY_NAME_RULE, NULL);
            return SFB_REASON_BODY_SCHEMA;
        }

        if ((n == 0 && mb->type != SFB_M_TEXT)
            || n > SFB_STORAGE_VALUE_MAX)
        {
            sfb_msg_str(m, "member '");
            sfb_msg_str(m, mb->name);
            sfb_msg_str(m, mb->type == SFB_M_TEXT ? "' must be at most "
                                                  : "' must be 1 to ");
            sfb_msg_u64(m, SFB_STORAGE_VALUE_MAX);
            sfb_msg_str(m, " characters long");
            return SFB_REASON_BODY_SCHEMA;
        }

        if (mb->type == SFB_M_UUID) {
            for (i = 0; n == SFB_UUID_LEN && i < n; i++) {
                if ((i == 8 || i == 13 || i == 18 || i == 23)
                    ? s[i] != '-' : sfb_hex((unsigned char) s[i]) < 0)
                {
                    break;
                }

                id[i] = (char) sfb_lower((unsigned char) s[i]);
            }

            if (n != SFB_UUID_LEN || i != n) {
                sfb_member_error(m, mb->name, "a UUID", NULL);
                return SFB_REASON_BODY_SCHEMA;
            }

            /* what the glue checks: a restore's BackupId, a storage
             * query's partition */
            if (strcmp(mb->name, "BackupId") == 0) {
                memcpy(b->backup_id, id, SFB_UUID_LEN);
                b->backup_id[SFB_UUID_LEN] = '\0';

            } else if (strcmp(mb->name, "PartitionId") == 0) {
                memcpy(b->partition, id, SFB_UUID_LEN);
                b->partition[SFB_UUID_LEN] = '\0';
            }

            *copy = json_stringn(id, SFB_UUID_LEN);
            break;
        }

        if (mb->type == SFB_M_NAME && !sfb_scope_name_valid(
                                          (const unsigned char *) s, n))
        {
            /* as strict as a name in a path: no dot segment, no escape */
            sfb_member_error(m, mb->name, "a Service Fabric name such as "
                             "fabric:/App/Service, without empty, '.' or "
                             "'..' segments, '%' or '\\'", NULL);
            return SFB_REASON_BODY_SCHEMA;
        }

        if (mb->type == SFB_M_LOCATION) {
            return sfb_member_location(v, mb, copy, m, b);
        }

        if (strcmp(mb->name, "Name") == 0) {
            /* a policy's: the glue holds it to the path and the owner */
            b->name_len = n;
            memcpy(b->name, s, n < SFB_POLICY_NAME_MAX ? n
                                                       : SFB_POLICY_NAME_MAX);
        }

        if ((mb->type == SFB_M_DATE_TIME
             && !sfb_date_time((const unsigned char *) s, n))
            || (mb->type == SFB_M_DURATION && !sfb_duration(s, n)))
        {
            sfb_member_error(m, mb->name,
                             mb->type == SFB_M_DATE_TIME
                             ? "an ISO 8601 date-time"
                             : "an ISO 8601 duration such as P1DT2H", NULL);
            return SFB_REASON_BODY_SCHEMA;
        }

        if (mb->type == SFB_M_ENUM && !sfb_word(mb->of.values, s, n)) {
            sfb_msg_str(m, "member '");
            sfb_msg_str(m, mb->name);
            sfb_msg_str(m, "' must be ");
            sfb_msg_words(m, mb->of.values);
            return SFB_REASON_BODY_SCHEMA;
        }

        *copy = json_stringn(s, n);
    }

    return *copy ? SFB_REASON_NONE : SFB_REASON_INTERNAL_ERROR;
}


/* Whether s (n bytes, NUL-free) is one of words, as spelled. */
static int
sfb_word(const sfb_words_t *words, const char *s, size_t n)
{
    size_t  i;

    for (i = 0; i < words->n; i++) {
        if (strlen(words->names[i]) == n
            && memcmp(words->names[i], s, n) == 0)
        {
            return 1;
        }
    }

    return 0;
}


/* "'A', 'B' or 'C'" */
static void
sfb_msg_words(sfb_msg_t *m, const sfb_words_t *words)
{
    size_t  i;

    for (i = 0; i < words->n; i++) {
        if (i > 0) {
            sfb_msg_str(m, i + 1 == words->n ? " or " : ", ");
        }

        sfb_msg_str(m, "'");
        sfb_msg_str(m, words->names[i]);
        sfb_msg_str(m, "'");
    }
}


/* An object whose kind member picks its shape: the kind first, in out. */
static sfb_reason_e
sfb_variant(json_t *in, const sfb_member_t *mb, json_t **out, sfb_msg_t *m,
    sfb_body_t *b)
{
    char                    what[96], why[SFB_DETAIL_SIZE];
    size_t                  i;
    json_t                 *kind, *o;
    sfb_reason_e            rc;
    const sfb_shape_t      *sh;
    const sfb_variant_t    *va;

    *out = NULL;
    va = mb->of.variant;

    if (!json_is_object(in)) {
        sfb_member_error(m, mb->name, "a JSON object", in);
        return SFB_REASON_BODY_SCHEMA;
    }

    kind = json_object_get(in, va->kind_member);

    for (i = 0; i < va->n; i++) {
        if (json_is_string(kind)
            && json_string_length(kind) == strlen(va->shapes[i].kind)
            && strcmp(json_string_value(kind), va->shapes[i].kind) == 0)
        {
            break;
        }
    }

    if (i == va->n) {
        sfb_msg_str(m, "member '");
        sfb_msg_str(m, va->kind_member);
        sfb_msg_str(m, "' of '");
        sfb_msg_str(m, mb->name);
        sfb_msg_str(m, "' must be one of ");

        for (i = 0; i < va->n; i++) {
            sfb_msg_str(m, i ? ", '" : "'");
            sfb_msg_str(m, va->shapes[i].kind);
            sfb_msg_str(m, "'");
        }

        return SFB_REASON_BODY_SCHEMA;
    }

    sh = &va->shapes[i];

    o = json_object();
    if (o == NULL
        || json_object_set_new(o, va->kind_member, json_string(sh->kind))
           != 0)
    {
        json_decref(o);
        return SFB_REASON_INTERNAL_ERROR;
    }

    (void) snprintf(what, sizeof(what), "'%s'", mb->name);

    rc = sfb_object(in, sh->members, sh->n, va->common, va->kind_member, o,
                    what, m, b);
    if (rc != SFB_REASON_NONE) {
        json_decref(o);
        return rc;
    }

    if (va->storage) {
        b->has_storage = 1;

        /* the first storage named: the one that moves the data */
        if (b->storage[0] == '\0') {
            sfb_storage_summary(b, sh->kind, o);

            /* one place, named one way, or nothing is forwarded */
            if (sfb_storage_key(o, b->storage_key, sizeof(b->storage_key),
                                why, sizeof(why)) == 0)
            {
                json_decref(o);
                sfb_msg_str(m, "'");
                sfb_msg_str(m, mb->name);
                sfb_msg_str(m, "': ");
                sfb_msg_str(m, why);
                return SFB_REASON_BODY_SCHEMA;
            }
        }
    }

    *out = o;

    return SFB_REASON_NONE;
}


/*
 * A restore's BackupLocation: Service Fabric's own layout, whose partition
 * the glue resolves and holds to the caller's scope; kept in b->location.
 */
static sfb_reason_e
sfb_member_location(json_t *v, const sfb_member_t *mb, json_t **copy,
    sfb_msg_t *m, sfb_body_t *b)
{
    char                    why[SFB_DETAIL_SIZE];
    size_t                  n;
    const char             *s;
    sfb_backup_location_t   loc;

    s = json_string_value(v);
    n = json_string_length(v);

    if (n > SFB_LOCATION_MAX
        || !sfb_backup_location((const unsigned char *) s, n, &loc, why,
                                sizeof(why)))
    {
        if (n > SFB_LOCATION_MAX) {
            sfb_msg_str(m, "member '");
            sfb_msg_str(m, mb->name);
            sfb_msg_str(m, "' must be at most ");
            sfb_msg_u64(m, SFB_LOCATION_MAX);
            sfb_msg_str(m, " characters long");

        } else if (strncmp(why, "member '", sizeof("member '") - 1) == 0) {
            /* the location's rules name the member themselves */
            sfb_msg_str(m, why);

        } else {
            sfb_msg_str(m, "member '");
            sfb_msg_str(m, mb->name);
            sfb_msg_str(m, "': ");
            sfb_msg_str(m, why);
        }

        return SFB_REASON_BODY_SCHEMA;
    }

    memcpy(b->location, s, n);
    b->location[n] = '\0';
    memcpy(b->source, loc.partition, sizeof(b->source));
    b->source_app = loc.app.len;
    b->source_service = loc.service.len;

    *copy = json_stringn(s, n);

    return *copy ? SFB_REASON_NONE : SFB_REASON_INTERNAL_ERROR;
}


/* P[nY][nM][nW][nD][T[nH][nM][n[.n]S]], at least one part, as .NET's
 * XmlConvert reads TimeSpan durations */
static int
sfb_duration(const char *p, size_t n)
{
    int          time, parts, digits;
    size_t       i;
    const char  *units;

    if (n < 3 || p[0] != 'P') {
        return 0;
    }

    time = 0;
    parts = 0;
    digits = 0;
    units = "YMWD";

    for (i = 1; i < n; i++) {
        if (p[i] >= '0' && p[i] <= '9') {
            if (++digits > 9) {
                return 0;
            }

            continue;
        }

        if (p[i] == 'T' && !time && digits == 0) {
            time = 1;
            units = "HMS";
            continue;
        }

        if (p[i] == '.' && time && digits && strchr(units, 'S')) {
            digits = 0;
            units = "S";
            continue;
        }

        /* each unit once, in order */
        if (digits == 0 || (units = strchr(units, p[i])) == NULL
            || p[i] == '\0')
        {
            return 0;
        }

        units++;
        digits = 0;
        parts++;
    }

    return parts > 0 && digits == 0;
}


static void
sfb_member_error(sfb_msg_t *m, const char *name, const char *must, json_t *v)
{
    sfb_msg_str(m, "member '");
    sfb_msg_str(m, name);
    sfb_msg_str(m, "' must be ");
    sfb_msg_str(m, must);

    if (v != NULL) {
        sfb_msg_str(m, ", not ");
        sfb_msg_str(m, sfb_json_type(v));
    }
}





/* jansson's reason and place, never its quote of the input (a secret) */
static void
sfb_json_error(sfb_msg_t *m, const json_error_t *err)
{
    const char  *near;
    size_t       n;

    near = strstr(err->text, " near ");
    n = near ? (size_t) (near - err->text)
             : strnlen(err->text, JSON_ERROR_TEXT_LENGTH - 1);

    sfb_msg_safe(m, (const unsigned char *) err->text, n,
                 JSON_ERROR_TEXT_LENGTH);
    sfb_msg_str(m, " (line ");
    sfb_msg_u64(m, (uint64_t) (err->line < 0 ? 0 : err->line));
    sfb_msg_str(m, ", column ");
    sfb_msg_u64(m, (uint64_t) (err->column < 0 ? 0 : err->column));
    sfb_msg_str(m, ")");
}
