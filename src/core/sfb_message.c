/*
 * sf-backup-gate: the words of the gate's FabricErrors: one sentence per
 * reason, built in one pass that both sizes and fills, with request bytes
 * quoted only as printable ASCII.
 */

#include <stdio.h>
#include <string.h>

#include "sfb_message.h"
#include "sfb_types.h"
#include "sfb_route.h"
#include "sfb_query.h"
#include "sfb_path.h"


static void sfb_msg_not_allowed(sfb_msg_t *m, const sfb_str_t *identity);
static void sfb_msg_scope_entity(sfb_msg_t *m, const sfb_decision_t *d);


void
sfb_msg_init(sfb_msg_t *m, char *out, size_t size)
{
    m->out = out;
    m->size = size;
    m->len = 0;

    if (size) {
        out[0] = '\0';
    }
}


void
sfb_msg_add(sfb_msg_t *m, const char *data, size_t n)
{
    size_t  room;

    if (m->size && m->len < m->size - 1) {
        room = m->size - 1 - m->len;
        memcpy(m->out + m->len, data, n < room ? n : room);
    }

    m->len += n;
}


void
sfb_msg_str(sfb_msg_t *m, const char *s)
{
    sfb_msg_add(m, s, strlen(s));
}


void
sfb_msg_u64(sfb_msg_t *m, uint64_t v)
{
    int   n;
    char  num[sizeof("18446744073709551615")];

    n = snprintf(num, sizeof(num), "%llu", (unsigned long long) v);
    sfb_msg_add(m, num, (size_t) n);
}


/* request bytes: printable ASCII only, at most max of them, so that a
 * message is safe in JSON and in logs */

void
sfb_msg_safe(sfb_msg_t *m, const unsigned char *data, size_t n, size_t max)
{
    char    c;
    size_t  i;

    for (i = 0; i < n && i < max; i++) {
        c = (data[i] >= 0x20 && data[i] < 0x7f) ? (char) data[i] : '?';
        sfb_msg_add(m, &c, 1);
    }

    if (n > max) {
        sfb_msg_str(m, "...");
    }
}


void
sfb_msg_quote(sfb_msg_t *m, const sfb_str_t *s)
{
    sfb_msg_add(m, "'", 1);
    sfb_msg_safe(m, s->data, s->len, SFB_QUOTE_MAX);
    sfb_msg_add(m, "'", 1);
}


size_t
sfb_msg_end(sfb_msg_t *m)
{
    if (m->size) {
        m->out[m->len < m->size ? m->len : m->size - 1] = '\0';
    }

    return m->len;
}


/* " is not allowed for caller 'x'." or "... for this caller." */
static void
sfb_msg_not_allowed(sfb_msg_t *m, const sfb_str_t *identity)
{
    if (identity->len) {
        sfb_msg_str(m, " is not allowed for caller ");
        sfb_msg_quote(m, identity);
        sfb_msg_str(m, ".");

    } else {
        sfb_msg_str(m, " is not allowed for this caller.");
    }
}


/* "Partition '...'", "Service '...'", or a storage query's entity name */
static void
sfb_msg_scope_entity(sfb_msg_t *m, const sfb_decision_t *d)
{
    sfb_str_t  id;

    switch (d->target.entity) {

    case SFB_ENTITY_PARTITION:
        sfb_msg_str(m, "Partition ");
        break;

    case SFB_ENTITY_SERVICE:
        sfb_msg_str(m, "Service ");
        break;

    case SFB_ENTITY_APPLICATION:
        sfb_msg_str(m, "Application ");
        break;

    default:
        sfb_msg_str(m, "Backup entity ");
        sfb_msg_quote(m, &d->entity_name);
        return;
    }

    id.data = d->target.id;
    id.len = d->target.id_len;
    sfb_msg_quote(m, &id);
}


size_t
sfb_describe(sfb_reason_e reason, const sfb_decision_t *d,
    const sfb_rules_t *rules, char *out, size_t size)
{
    size_t            i, n, n_versions;
    sfb_str_t         id;
    sfb_msg_t         m;
    const char       *entity, *action, *method, *rule;
    const sfb_str_t  *versions;

    sfb_msg_init(&m, out, size);

    id.data = d->target.id;
    id.len = d->target.id_len;

    /* a path too far off to name its call is asked about as EnableBackup */
    action = d->target.route ? d->target.route->name : "EnableBackup";
    method = (d->target.route
              && d->target.route->method == SFB_METHOD_GET) ? "GET" : "POST";

    switch (reason) {

    case SFB_REASON_ALLOWED:
        sfb_msg_str(&m, "The request is allowed.");
        break;

    case SFB_REASON_METHOD_NOT_ALLOWED:
        if (d->method.len) {
            sfb_msg_str(&m, "Method ");
            sfb_msg_quote(&m, &d->method);
            sfb_msg_str(&m, " is not allowed on ");
            sfb_msg_str(&m, action);
            sfb_msg_str(&m, "; use ");
            sfb_msg_str(&m, method);
            sfb_msg_str(&m, ".");

        } else {
            sfb_msg_str(&m, "Only ");
            sfb_msg_str(&m, method);
            sfb_msg_str(&m, " is allowed on ");
            sfb_msg_str(&m, action);
            sfb_msg_str(&m, ".");
        }
        break;

    case SFB_REASON_PATH_INVALID:
        if (d->target.route == NULL
            || d->target.route->operation == SFB_OP_ENABLE)
        {
            sfb_msg_str(&m, "The path is not a valid EnableBackup path; use "
                        "/Partitions/{partitionId}/$/EnableBackup, "
                        "/Services/{serviceId}/$/EnableBackup or "
                        "/Applications/{applicationId}/$/EnableBackup.");
            break;
        }

        sfb_msg_str(&m, "The path is not a valid ");
        sfb_msg_str(&m, action);
        sfb_msg_str(&m, " path; use ");

        for (i = SFB_ENTITY_PARTITION, n = 0; i <= SFB_ENTITY_APPLICATION;
             i++)
        {
            if (d->target.route->entities & SFB_ENTITY_BIT(i)) {
                sfb_msg_str(&m, n++ ? ", /" : "/");
                sfb_msg_str(&m, sfb_entity_path_name((sfb_entity_e) i));
                sfb_msg_str(&m, "/{id}/$/");
                sfb_msg_str(&m, action);
            }
        }

        sfb_msg_str(&m, ".");
        break;

    case SFB_REASON_PARTITION_ID_INVALID:
        sfb_msg_str(&m, "The partition id must be a UUID such as "
                    "1daae3f5-7fd6-42e9-b1ba-8c05f873994d.");
        break;

    case SFB_REASON_ENTITY_NAME_INVALID:
        entity = sfb_entity_name(d->target.entity);
        sfb_msg_str(&m, "The ");
        sfb_msg_str(&m, *entity ? entity : "entity");
        sfb_msg_str(&m, " id must be its name without 'fabric:', segments "
                    "joined with '~', each made of letters, digits, '.', "
                    "'_' or '-' and not ending in '.', at most ");
        sfb_msg_u64(&m, SFB_ENTITY_ID_MAX);
        sfb_msg_str(&m, " bytes.");
        break;

    case SFB_REASON_QUERY_MALFORMED:
        if (d->query.bad.len) {
            sfb_msg_str(&m, "The query string is malformed near ");
            sfb_msg_quote(&m, &d->query.bad);
            sfb_msg_str(&m, ".");

        } else {
            sfb_msg_str(&m, "The query string is malformed.");
        }
        break;

    case SFB_REASON_QUERY_PARAM_UNKNOWN:
        sfb_msg_str(&m, "Query parameter ");
        sfb_msg_quote(&m, &d->query.bad);
        sfb_msg_str(&m, " is not allowed on ");
        sfb_msg_str(&m, action);
        sfb_msg_str(&m, ".");
        break;

    case SFB_REASON_API_VERSION_MISSING:
    case SFB_REASON_API_VERSION_UNSUPPORTED:
        if (reason == SFB_REASON_API_VERSION_MISSING) {
            sfb_msg_str(&m, "The api-version query parameter is required");

        } else {
            sfb_msg_str(&m, "api-version ");
            sfb_msg_quote(&m, &d->query.bad);
            sfb_msg_str(&m, " is not supported");
        }

        versions = sfb_route_api_versions(rules, d->target.route,
                                          &n_versions);

        if (n_versions == 0) {
            sfb_msg_str(&m, "; no version is enabled.");
            break;
        }

        sfb_msg_str(&m, "; supported versions: ");

        for (i = 0; i < n_versions; i++) {
            if (i) {
                sfb_msg_str(&m, ", ");
            }

            sfb_msg_safe(&m, versions[i].data, versions[i].len,
                         SFB_QUOTE_MAX);
        }

        sfb_msg_str(&m, ".");
        break;

    case SFB_REASON_API_VERSION_REPEATED:
        sfb_msg_str(&m, "The api-version query parameter must be given "
                    "once.");
        break;

    case SFB_REASON_TIMEOUT_INVALID:
    case SFB_REASON_TIMEOUT_OUT_OF_RANGE:
        sfb_msg_str(&m, "timeout must be an integer between ");
        sfb_msg_u64(&m, rules->timeout_min);
        sfb_msg_str(&m, " and ");
        sfb_msg_u64(&m, rules->timeout_max);
        sfb_msg_str(&m, ".");
        break;

    case SFB_REASON_TIMEOUT_REPEATED:
        sfb_msg_str(&m, "The timeout query parameter may be given at most "
                    "once.");
        break;

    case SFB_REASON_CONTENT_TYPE_UNSUPPORTED:
        sfb_msg_str(&m, "Content-Type must be application/json, optionally "
                    "with charset=utf-8.");
        break;

    case SFB_REASON_CONTENT_TYPE_REPEATED:
        sfb_msg_str(&m, "Content-Type must be given once.");
        break;

    case SFB_REASON_BODY_MISSING:
        if (d->target.route && d->target.route->body == SFB_BODY_RESTORE) {
            sfb_msg_str(&m, "A request body {\"BackupId\": \"<uuid>\", "
                        "\"BackupLocation\": \"<location>\"} is required, "
                        "unless query parameter 'Latest' is true.");
            break;
        }

        sfb_msg_str(&m, "A request body {\"BackupPolicyName\": \"<name>\"} "
                    "is required.");
        break;

    case SFB_REASON_BODY_TOO_LARGE:
        sfb_msg_str(&m, "The request body is larger than ");
        sfb_msg_u64(&m, rules->max_body);
        sfb_msg_str(&m, " bytes.");
        break;

    case SFB_REASON_BODY_INVALID_JSON:
        sfb_msg_str(&m, "Invalid JSON body: ");
        sfb_msg_safe(&m, (const unsigned char *) d->detail,
                     strnlen(d->detail, SFB_DETAIL_SIZE), SFB_DETAIL_SIZE);
        sfb_msg_str(&m, ".");
        break;

    case SFB_REASON_BODY_SCHEMA:
        sfb_msg_str(&m, "Invalid request body: ");
        sfb_msg_safe(&m, (const unsigned char *) d->detail,
                     strnlen(d->detail, SFB_DETAIL_SIZE), SFB_DETAIL_SIZE);
        sfb_msg_str(&m, ".");
        break;

    case SFB_REASON_POLICY_INVALID:
        sfb_msg_str(&m, "Invalid request body: member 'BackupPolicyName' "
                    "must be a backup policy name: " SFB_POLICY_NAME_RULE
                    ".");
        break;

    case SFB_REASON_POLICY_NOT_ALLOWED:
        /* name the policy and the caller, never what would be allowed */
        sfb_msg_str(&m, "Backup policy ");
        sfb_msg_add(&m, "'", 1);
        sfb_msg_safe(&m, d->body.policy, d->body.policy_len, SFB_QUOTE_MAX);
        sfb_msg_add(&m, "'", 1);

        sfb_msg_not_allowed(&m, &d->identity);
        break;

    case SFB_REASON_OPERATION_NOT_ALLOWED:
        /* name the operation and the caller, never what others may do */
        sfb_msg_str(&m, "Operation '");
        sfb_msg_str(&m, sfb_operation_name(d->operation));
        sfb_msg_str(&m, "' (");
        sfb_msg_str(&m, action);
        sfb_msg_str(&m, ")");

        sfb_msg_not_allowed(&m, &d->identity);
        break;

    case SFB_REASON_QUERY_PARAM_REPEATED:
        sfb_msg_str(&m, "Query parameter ");
        sfb_msg_quote(&m, &d->query.bad);
        sfb_msg_str(&m, " must be given at most once.");
        break;

    case SFB_REASON_QUERY_VALUE_INVALID:
        /* the parameter's own rule, never its value */
        rule = sfb_query_param_rule(d->query.bad.data, d->query.bad.len);

        sfb_msg_str(&m, "Query parameter ");
        sfb_msg_quote(&m, &d->query.bad);
        sfb_msg_str(&m, " has an invalid value: it must be ");
        sfb_msg_str(&m, rule ? rule : "valid");
        sfb_msg_str(&m, ".");
        break;

    case SFB_REASON_OUT_OF_SCOPE:
        /* name the entity and the caller, never the caller's scope */
        sfb_msg_scope_entity(&m, d);

        if (d->identity.len) {
            sfb_msg_str(&m, " is out of scope for caller ");
            sfb_msg_quote(&m, &d->identity);
            sfb_msg_str(&m, ".");

        } else {
            sfb_msg_str(&m, " is out of scope for this caller.");
        }
        break;

    case SFB_REASON_PARTITION_NOT_FOUND:
        sfb_msg_str(&m, "Partition ");
        sfb_msg_quote(&m, &id);
        sfb_msg_str(&m, " does not exist.");
        break;

    case SFB_REASON_SCOPE_UNRESOLVED:
        /* the target's, or the partition whose data the body names */
        if (d->body.source[0] != '\0' || d->body.partition[0] != '\0') {
            id.data = (const unsigned char *) (d->body.source[0] != '\0'
                                               ? d->body.source
                                               : d->body.partition);
            id.len = SFB_ID_SIZE - 1;
        }

        sfb_msg_str(&m, "The service of partition ");
        sfb_msg_quote(&m, &id);
        sfb_msg_str(&m, " could not be resolved; the request was not "
                    "forwarded.");
        break;

    case SFB_REASON_STORAGE_NOT_ALLOWED:
        /* where it is, never how to get in */
        sfb_msg_str(&m, "Backup storage '");
        sfb_msg_safe(&m, (const unsigned char *) d->body.storage_key,
                     strnlen(d->body.storage_key, SFB_STORAGE_KEY_MAX),
                     SFB_QUOTE_MAX);
        sfb_msg_str(&m, "'");
        sfb_msg_not_allowed(&m, &d->identity);
        break;

    case SFB_REASON_POLICY_NOT_OWNED:
        sfb_msg_str(&m, "Creating, updating or deleting backup policy '");
        sfb_msg_safe(&m, d->body.policy, d->body.policy_len, SFB_QUOTE_MAX);
        sfb_msg_str(&m, "' (only its owner may)");
        sfb_msg_not_allowed(&m, &d->identity);
        break;

    case SFB_REASON_POLICY_NAME_MISMATCH:
        sfb_msg_str(&m, "Invalid request body: member 'Name' must be the "
                    "policy of the path, '");
        sfb_msg_safe(&m, id.data, id.len, SFB_QUOTE_MAX);
        sfb_msg_str(&m, "'.");
        break;

    case SFB_REASON_SOURCE_OUT_OF_SCOPE:
        /* the glue's words: what the body named and whose it is */
        sfb_msg_safe(&m, (const unsigned char *) d->detail,
                     strnlen(d->detail, SFB_DETAIL_SIZE), SFB_DETAIL_SIZE);
        sfb_msg_not_allowed(&m, &d->identity);
        break;

    case SFB_REASON_OUTSIDE_SURFACE:
        sfb_msg_str(&m, "Only the backup and restore calls are served "
                    "through this gateway; the request was not forwarded.");
        break;

    case SFB_REASON_INTERNAL_LOCATION:
        sfb_msg_str(&m, "This location serves the gateway's own lookups "
                    "only; the request was not forwarded.");
        break;

    case SFB_REASON_BODY_NOT_EMPTY:
        sfb_msg_str(&m, action);
        sfb_msg_str(&m, (d->target.route
                         && d->target.route->body == SFB_BODY_RESTORE)
                        ? " with query parameter 'Latest' true takes no "
                          "request body: the latest backup is restored."
                        : " takes no request body.");
        break;

    case SFB_REASON_IDENTITY_MISSING:
        sfb_msg_str(&m, "The caller could not be identified.");
        break;

    case SFB_REASON_BACKUP_RESTORE_CLOSED:
        sfb_msg_str(&m, "The BackupRestore API is not available through "
                    "this gateway.");
        break;

    case SFB_REASON_AUDIT_UNAVAILABLE:
        sfb_msg_str(&m, "The audit log is unavailable; the request was not "
                    "forwarded.");
        break;

    case SFB_REASON_CLIENT_CLOSED:
        sfb_msg_str(&m, "The client closed the request.");
        break;

    case SFB_REASON_CLIENT_TIMEOUT:
        sfb_msg_str(&m, "The client did not send the request in time.");
        break;

    case SFB_REASON_REQUEST_MALFORMED:
        sfb_msg_str(&m, "The request is malformed HTTP; it was not "
                    "forwarded.");
        break;

    case SFB_REASON_CLIENT_CERT_MISSING:
        sfb_msg_str(&m, "The gateway requires a client certificate, and "
                    "none was sent.");
        break;

    case SFB_REASON_CLIENT_CERT_REJECTED:
        sfb_msg_str(&m, "The client certificate was not accepted by the "
                    "gateway.");
        break;

    case SFB_REASON_REFUSED_BEFORE_GATE:
        sfb_msg_str(&m, "The gateway refused the request before the backup "
                    "gate judged it.");
        break;

    default:
        sfb_msg_str(&m, "Internal error in the backup gate; the request was "
                    "not forwarded.");
        break;
    }

    return sfb_msg_end(&m);
}
