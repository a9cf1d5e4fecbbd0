// sf-cluster-sim: a TEST DOUBLE of a Service Fabric cluster's HTTP gateway,
// for the demo and the test suites.  It is not a cluster: it answers the
// three EnableBackup calls the way the REST reference describes, knows two
// backup policies, and misbehaves on purpose for a few partition ids so
// that the gateway's error handling can be shown and tested.
//
// Every request it gets is written to nginx's error log at "warn" level as
// one line starting with "sf-sim received:", so that tests can assert
// exactly what reached the cluster (and that nothing did).

var KNOWN_POLICIES = { DailyAzureBackupPolicy: 1, WeeklyBackupPolicy: 1 };
var API_VERSIONS = { '6.2-preview': 1, '6.4': 1, '7.0': 1, '8.0': 1 };
var ENABLE_BACKUP = /^\/(Partitions|Services|Applications)\/([^\/]+)\/\$\/EnableBackup$/;

function fabricError(r, status, code, message) {
    r.headersOut['Content-Type'] = 'application/json; charset=utf-8';
    r.return(status, JSON.stringify({ Error: { Code: code, Message: message } }));
}

function received(r) {
    var body = r.requestText || '';
    r.warn('sf-sim received: ' + r.method + ' ' + r.variables.request_uri
           + ' content-length=' + body.length + ' body=' + body);
    return body;
}

function cluster(r) {
    var body = received(r);
    var m = ENABLE_BACKUP.exec(r.uri);
    var doc;

    if (!m) {
        if (r.uri === '/$/GetClusterVersion' && r.method === 'GET') {
            r.headersOut['Content-Type'] = 'application/json; charset=utf-8';
            r.return(200, '{"Version":"8.0.514.9590"}');
            return;
        }
        fabricError(r, 404, 'FABRIC_E_NAME_DOES_NOT_EXIST',
                    'sf-cluster-sim does not know ' + r.uri);
        return;
    }

    if (r.method !== 'POST') {
        fabricError(r, 405, 'E_INVALIDARG', 'EnableBackup takes POST');
        return;
    }

    if (!API_VERSIONS[r.args['api-version']]) {
        fabricError(r, 400, 'E_INVALIDARG', 'unsupported api-version');
        return;
    }

    try {
        doc = JSON.parse(body);
    } catch (e) {
        fabricError(r, 400, 'E_INVALIDARG', 'invalid EnableBackupDescription');
        return;
    }

    if (m[1] === 'Partitions' && m[2] === '00000000-0000-0000-0000-000000000404') {
        fabricError(r, 404, 'FABRIC_E_PARTITION_NOT_FOUND',
                    'Partition ' + m[2] + ' not found');
        return;
    }

    if (!doc || typeof doc.BackupPolicyName !== 'string'
        || !KNOWN_POLICIES[doc.BackupPolicyName])
    {
        fabricError(r, 404, 'FABRIC_E_BACKUP_POLICY_NOT_EXISTING',
                    'Backup policy does not exist');
        return;
    }

    r.return(202);
}

// ...0500: the cluster's front end fails with an HTML page.
function htmlError(r) {
    received(r);
    r.headersOut['Content-Type'] = 'text/html';
    r.return(500, '<html><body><h1>500 Internal Server Error</h1></body></html>\n');
}

// ...0503: a load balancer in front of the cluster answers in plain text.
function textError(r) {
    received(r);
    r.headersOut['Content-Type'] = 'text/plain';
    r.return(503, 'Service Unavailable: no healthy gateway node\n');
}

// ...0504: answers, correctly, but only after the gateway stopped waiting.
function slow(r) {
    var ms = parseInt(r.variables.sf_sim_slow_ms || '5000', 10);

    received(r);
    setTimeout(function () { r.return(202); }, ms);
}

export default { cluster, htmlError, textError, slow };
