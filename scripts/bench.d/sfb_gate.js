/*
 * The EnableBackup gate written the way njs allows, for scripts/bench's
 * "njs" variant (Debian's libnginx-mod-http-js, njs 0.7.9).  Same rules and
 * answers as sf_backup_gate with the demo's settings; see src/core/sfb_gate.c
 * for the reference.
 *
 * Why this shape: njs 0.7.9 has no access-phase handler (js_access came
 * later) and reads a request body only for js_content, where r.requestText
 * must fit client_body_buffer_size (reading from a temp file came in
 * 0.8.10).  So the location's content handler is js_content: it validates,
 * then answers a FabricError itself or hands the request, with its body
 * already in memory, to a named location by r.internalRedirect(), where
 * proxy_pass forwards the canonical form from js_var variables (js_var
 * survives redirects; `set` variables would be reset).  The other way,
 * r.subrequest() to an internal proxy location, costs a second request
 * object per call, buffers the cluster's answer in memory and would have
 * to copy its status and headers back by hand: counted under callgrind
 * as scripts/bench --profile counts the whole worker, it took 245k
 * instructions per allowed request against 229k for this design.  The
 * audit line is nginx's own log_format (escape=json) over those same
 * variables, written by a buffered access_log: no second trip into
 * JavaScript per request, as a js_set variable in the log format would
 * be.
 *
 * Known gaps, none of which the benchmark's requests touch: duplicate JSON
 * members (JSON.parse keeps the last, the gate refuses them), a repeated
 * Content-Type header, and the Unicode look-alikes of the path's names (the
 * gate refuses them as path_invalid).
 */

var MAX_BODY = 8192;
var TIMEOUT_MIN = 1;
var TIMEOUT_MAX = 4294967295;
var API_VERSIONS = { '6.2-preview': true };
var API_VERSIONS_TEXT = '6.2-preview';
var ALLOWED = { DailyAzureBackupPolicy: true, HourlyBackupPolicy: true };

var ENTITY = {              /* lower-cased segment: canonical, entity */
    partitions: ['Partitions', 'partition'],
    services: ['Services', 'service'],
    applications: ['Applications', 'application']
};

/* reason: status, FabricError Code (as src/core/sfb_reason.c) */
var REASON = {
    method_not_allowed: [405, 'E_INVALIDARG'],
    path_invalid: [400, 'E_INVALIDARG'],
    partition_id_invalid: [400, 'E_INVALIDARG'],
    entity_name_invalid: [400, 'FABRIC_E_INVALID_NAME_URI'],
    query_malformed: [400, 'E_INVALIDARG'],
    query_param_unknown: [400, 'E_INVALIDARG'],
    api_version_missing: [400, 'E_INVALIDARG'],
    api_version_repeated: [400, 'E_INVALIDARG'],
    api_version_unsupported: [400, 'E_INVALIDARG'],
    timeout_invalid: [400, 'E_INVALIDARG'],
    timeout_repeated: [400, 'E_INVALIDARG'],
    timeout_out_of_range: [400, 'E_INVALIDARG'],
    content_type_unsupported: [415, 'E_INVALIDARG'],
    body_missing: [400, 'E_INVALIDARG'],
    body_too_large: [413, 'FABRIC_E_VALUE_TOO_LARGE'],
    body_invalid_json: [400, 'E_INVALIDARG'],
    body_schema: [400, 'E_INVALIDARG'],
    policy_invalid: [400, 'E_INVALIDARG'],
    policy_not_allowed: [403, 'E_ACCESSDENIED'],
    backup_restore_closed: [403, 'E_ACCESSDENIED']
};

var TIMEOUT_TEXT = 'timeout must be an integer between 1 and 4294967295.';

var MESSAGE = {
    method_not_allowed: 'Only POST is allowed on EnableBackup.',
    path_invalid: 'The path is not a valid EnableBackup path; use '
        + '/Partitions/{partitionId}/$/EnableBackup, '
        + '/Services/{serviceId}/$/EnableBackup or '
        + '/Applications/{applicationId}/$/EnableBackup.',
    partition_id_invalid: 'The partition id must be a UUID such as '
        + '1daae3f5-7fd6-42e9-b1ba-8c05f873994d.',
    entity_name_invalid: "The entity id must be its name without "
        + "'fabric:', segments joined with '~', each made of letters, "
        + "digits, '.', '_' or '-' and not ending in '.', at most 1024 "
        + "bytes.",
    query_malformed: 'The query string is malformed.',
    query_param_unknown: 'A query parameter is not allowed on EnableBackup.',
    api_version_missing: 'The api-version query parameter is required; '
        + 'supported versions: ' + API_VERSIONS_TEXT + '.',
    api_version_repeated: 'The api-version query parameter must be given '
        + 'once.',
    api_version_unsupported: 'This api-version is not supported; '
        + 'supported versions: ' + API_VERSIONS_TEXT + '.',
    timeout_invalid: TIMEOUT_TEXT,
    timeout_repeated: 'The timeout query parameter may be given at most '
        + 'once.',
    timeout_out_of_range: TIMEOUT_TEXT,
    content_type_unsupported: 'Content-Type must be application/json, '
        + 'optionally with charset=utf-8.',
    body_missing: 'A request body {"BackupPolicyName": "<name>"} is '
        + 'required.',
    body_too_large: 'The request body is larger than ' + MAX_BODY
        + ' bytes.',
    policy_invalid: 'BackupPolicyName must not be empty.',
    backup_restore_closed: 'The BackupRestore API is not available through '
        + 'this gateway.'
};

/* literals: njs compiles them once with the script, new RegExp() per
 * request (measured: 60k more instructions a request) */
var RE_BACKUP_RESTORE = /^\/backuprestore(?:\/|$)/i;
var RE_GOVERNED =
    /^\/(partitions|services|applications)(?:\/(.*))?\/\$\/enablebackup\/?$/i;
var RE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
var RE_NAME =
    /^[A-Za-z0-9._-]*[A-Za-z0-9_-](?:[\/~][A-Za-z0-9._-]*[A-Za-z0-9_-])*$/;
var RE_QUERY = /^[^&=]*=[^&]*(?:&[^&=]*=[^&]*)*$/;
var RE_BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})|%00/;
var RE_DIGITS = /^[0-9]{1,20}$/;
var RE_CONTENT_TYPE =
    /^[ \t]*application\/json[ \t]*(;[ \t]*charset[ \t]*=[ \t]*("?)utf-8\2[ \t]*)?$/i;
var RE_OBJECT = /^[ \t\r\n]*\{/;


function reject(r, reason, message) {
    var info = REASON[reason];

    r.variables.sfb_reason = reason;
    r.variables.sfb_decision = 'deny';
    r.headersOut['Content-Type'] = 'application/json; charset=utf-8';
    r.return(info[0], JSON.stringify({
        Error: { Code: info[1], Message: message || MESSAGE[reason] }
    }));
}


/* [reason] or [null, api_version, timeout], in src/core/sfb_query.c's order */
function parseQuery(args) {
    var pieces, i, eq, name, value, api, timeout, nApi, nTimeout, t;

    if (!args) {
        return ['api_version_missing'];
    }

    if (!RE_QUERY.test(args)
        || (args.indexOf('%') >= 0 && RE_BAD_ESCAPE.test(args)))
    {
        return ['query_malformed'];
    }

    pieces = args.split('&');
    nApi = 0;
    nTimeout = 0;

    for (i = 0; i < pieces.length; i++) {
        eq = pieces[i].indexOf('=');
        name = pieces[i].substring(0, eq);
        value = pieces[i].substring(eq + 1);

        if (name === 'api-version') {
            if (nApi++ === 0) {
                api = value;
            }

        } else if (name === 'timeout') {
            if (nTimeout++ === 0) {
                timeout = value;
            }

        } else {
            return ['query_param_unknown'];
        }
    }

    if (nApi > 1) {
        return ['api_version_repeated'];
    }

    if (nTimeout > 1) {
        return ['timeout_repeated'];
    }

    if (!api) {
        return ['api_version_missing'];
    }

    if (api.indexOf('%') >= 0) {
        api = decodeURIComponent(api);
    }

    if (API_VERSIONS[api] !== true) {
        return ['api_version_unsupported'];
    }

    if (timeout === undefined) {
        return [null, api];
    }

    if (timeout.indexOf('%') >= 0) {
        timeout = decodeURIComponent(timeout);
    }

    if (!RE_DIGITS.test(timeout)) {
        return ['timeout_invalid'];
    }

    t = Number(timeout);

    if (t < TIMEOUT_MIN || t > TIMEOUT_MAX) {
        return ['timeout_out_of_range'];
    }

    return [null, api, t];
}


function gate(r) {
    var uri, m, entity, id, q, ct, body, json, k, policy, v, canonical;

    uri = r.uri;

    if (RE_BACKUP_RESTORE.test(uri)) {
        reject(r, 'backup_restore_closed');
        return;
    }

    m = RE_GOVERNED.exec(uri);

    if (m === null) {
        /* not ours: forwarded untouched */
        r.internalRedirect('@passthrough');
        return;
    }

    v = r.variables;
    entity = ENTITY[m[1].toLowerCase()];
    v.sfb_entity = entity[1];

    if (r.method !== 'POST') {
        reject(r, 'method_not_allowed');
        return;
    }

    /* names match in any ASCII case (forwarded canonical); a backslash is
     * ours to refuse, not the cluster's to reinterpret */
    if (uri.indexOf('\\') >= 0) {
        reject(r, 'path_invalid');
        return;
    }

    id = m[2];

    if (entity[1] === 'partition') {
        if (id === undefined || !RE_UUID.test(id)) {
            reject(r, 'partition_id_invalid');
            return;
        }

        id = id.toLowerCase();

    } else {
        if (id === undefined || id.length > 1024 || !RE_NAME.test(id)) {
            reject(r, 'entity_name_invalid');
            return;
        }

        id = id.split('/').join('~');
    }

    v.sfb_entity_id = id;

    q = parseQuery(v.args);

    if (q[0] !== null) {
        reject(r, q[0]);
        return;
    }

    v.sfb_api_version = q[1];

    if (q[2] !== undefined) {
        v.sfb_timeout = q[2];
    }

    ct = r.headersIn['Content-Type'];

    if (ct === undefined || !RE_CONTENT_TYPE.test(ct)) {
        reject(r, 'content_type_unsupported');
        return;
    }

    if (Number(r.headersIn['Content-Length']) > MAX_BODY) {
        reject(r, 'body_too_large');
        return;
    }

    try {
        body = r.requestText;

    } catch (e) {
        /* in a temp file: larger than client_body_buffer_size */
        reject(r, 'body_too_large');
        return;
    }

    if (!body) {
        reject(r, 'body_missing');
        return;
    }

    if (body.length > MAX_BODY) {
        reject(r, 'body_too_large');
        return;
    }

    try {
        json = JSON.parse(body);

    } catch (e) {
        reject(r, 'body_invalid_json', 'Invalid JSON body: ' + e.message
                                       + '.');
        return;
    }

    if (json === null || typeof json !== 'object' || !RE_OBJECT.test(body)) {
        reject(r, 'body_schema', 'Invalid request body: the body must be a '
                                 + 'JSON object.');
        return;
    }

    for (k in json) {
        if (k !== 'BackupPolicyName') {
            reject(r, 'body_schema', "Invalid request body: only "
                                     + "'BackupPolicyName' is allowed.");
            return;
        }
    }

    policy = json.BackupPolicyName;

    if (typeof policy !== 'string') {
        reject(r, 'body_schema', "Invalid request body: member "
                                 + "'BackupPolicyName' must be a string.");
        return;
    }

    if (policy === '') {
        reject(r, 'policy_invalid');
        return;
    }

    v.sfb_policy = policy;

    if (ALLOWED[policy] !== true) {
        reject(r, 'policy_not_allowed', "Backup policy '" + policy
                                        + "' is not allowed for this "
                                        + "caller.");
        return;
    }

    /* forward exactly what was validated */
    canonical = '/' + entity[0] + '/' + id + '/$/EnableBackup';
    v.sfb_uri = canonical;
    v.sfb_args = 'api-version=' + encodeURIComponent(q[1])
                 + (q[2] !== undefined ? '&timeout=' + q[2] : '');
    v.sfb_body = JSON.stringify({ BackupPolicyName: policy });
    v.sfb_reason = 'allowed';
    v.sfb_decision = 'allow';

    r.internalRedirect('@forward');
}


export default { gate };
