// t/sdk/calls.js: every backup and restore call of the official Service
// Fabric JavaScript SDK (azure-servicefabric, the 6.2 generation: it sends
// api-version=6.2-preview), made through the gate with the SDK as shipped,
// the cluster double behind it.  Run by t/sdk/run, which starts nginx and
// passes, in the environment:
//   SFB_SDK_MODULES  the node_modules directory npm ci filled
//   SFB_SDK_BASE     the gate's base URI (http://127.0.0.1:PORT)
//   SFB_SDK_LOG      nginx's error log, where the double writes one
//                    "sf-sim received: METHOD URI content-length=N body=..."
//                    line per request that reached it
//   SFB_SDK_ACCESS   the gate's access log: "$request $status", the
//                    request line as the SDK sent it
// Prints TAP lines from "ok 2" on (t/sdk/run prints the plan and "ok 1"), then
// "# calls N" with the number of TAP lines it printed.
'use strict';

const fs = require('fs');
const path = require('path');

const modules = process.env.SFB_SDK_MODULES;
const ServiceFabricClient = require(path.join(modules, 'azure-servicefabric'));
// the SDK's TimeSpan (a FrequencyBased schedule's Interval) is a moment
// duration; moment comes with the SDK (through ms-rest)
const moment = require(path.join(modules, 'moment'));

// noRetryPolicy: a refusal or a failure shows on the first request, not
// after the retry policy's back-off, and each call is one request, so the
// double's log lines map one to one onto calls
const client = new ServiceFabricClient(process.env.SFB_SDK_BASE,
                                       { noRetryPolicy: true });

// The double's entities (conf/sim/sf_cluster_sim.js): a partition of
// fabric:/TeamA/Orders/Store, that service and its application
const P = '1daae3f5-7fd6-42e9-b1ba-8c05f873994d';
const S = 'TeamA~Orders~Store';
const A = 'TeamA~Orders';
const BLOB = {
    storageKind: 'AzureBlobStore',
    friendlyName: 'sfsim-azure',
    connectionString: 'DefaultEndpointsProtocol=https;AccountName=sfsimfakebackups;'
        + 'AccountKey=c2Rrc2lkZWtleQ==;EndpointSuffix=core.windows.net',
    containerName: 'sf-backups'
};
const SHARE = {
    storageKind: 'FileShare',
    friendlyName: 'sfsim-share',
    path: '\\\\backupserver.sfsim.example\\sf-backups',
    primaryUserName: 'SFSIM\\svc-sfbackup',
    primaryPassword: 'sdk-test-password'
};

let n = 1;

function tap(good, name, diagnostics) {
    n += 1;
    console.log((good ? 'ok ' : 'not ok ') + n + ' - ' + name);
    (good ? [] : diagnostics).forEach(function (d) {
        String(d).split('\n').forEach(function (l) { console.log('#   ' + l); });
    });
}

// what a log file gained since the last look
function tail(file) {
    let size = fs.statSync(file).size;
    let from = tail.at[file] || 0;
    let fd, buf;

    tail.at[file] = size;
    if (size <= from) {
        return [];
    }
    buf = Buffer.alloc(size - from);
    fd = fs.openSync(file, 'r');
    fs.readSync(fd, buf, 0, buf.length, from);
    fs.closeSync(fd);
    return buf.toString('utf8').split('\n').filter(function (l) { return l; });
}
tail.at = {};

function received() {
    return tail(process.env.SFB_SDK_LOG)
        .filter(function (l) { return l.indexOf('sf-sim received: ') >= 0; })
        .map(function (l) {
            // up to nginx's ", client: ..." context
            return l.replace(/^.*sf-sim received: /, '').replace(/, client: .*$/, '');
        });
}

function describe(e) {
    let lines = [String(e && e.message || e).slice(0, 400)];

    if (e && e.statusCode) {
        lines.push('status ' + e.statusCode + ', error.body ' + JSON.stringify(e.body));
    }
    return lines;
}

// call NAME FN CHECK FORWARDED: FN() must resolve (no exception); CHECK
// (result) returns '' or what is wrong with the parsed result; FORWARDED
// (line() below) must match the one request the double received for it.
async function call(name, fn, check, forwarded) {
    let result, wrong, seen, sent, problems = [];

    received();
    tail(process.env.SFB_SDK_ACCESS);
    try {
        result = await fn();
    } catch (e) {
        problems.push('the SDK threw:');
        problems = problems.concat(describe(e));
    }
    if (!problems.length) {
        try {
            wrong = check(result);
        } catch (e) {
            wrong = String(e);
        }
        if (wrong) {
            problems.push('the result: ' + wrong,
                          'got ' + String(JSON.stringify(result)).slice(0, 600));
        }
    }
    seen = received();
    if (!(seen.length === 1 && forwarded.test(seen[0]))) {
        problems.push('the double should have received one request: ' + forwarded,
                      'it received ' + seen.length + ':');
        problems = problems.concat(seen);
    }
    if (problems.length) {
        sent = tail(process.env.SFB_SDK_ACCESS);
        problems.push('the SDK sent (request line, status):');
        problems = problems.concat(sent.length ? sent : ['nothing']);
    }
    tap(problems.length === 0, name, problems);
    return result;
}

// refused NAME FN STATUS CODE [FORWARDED]: FN() must reject with a
// FabricError, parsed by the SDK (error.statusCode, error.body.error.code:
// this SDK looks for a lower-case "error" member, so its error.code and
// error.message stay undefined for a FabricError's "Error", from a cluster
// as from the gate; error.body is the FabricError model it deserialised);
// without FORWARDED, the gate's: nothing may reach the double; with it,
// the double's: the one request it received must match FORWARDED
async function refused(name, fn, status, code, forwarded) {
    let problems = [], seen;

    received();
    tail(process.env.SFB_SDK_ACCESS);
    try {
        await fn();
        problems.push('the SDK call resolved; it should have been refused');
    } catch (e) {
        if (e.statusCode !== status || !e.body || !e.body.error
            || e.body.error.code !== code)
        {
            problems.push('expected ' + status + ' ' + code + ':');
            problems = problems.concat(describe(e));
        }
    }
    seen = received();
    if (forwarded ? !(seen.length === 1 && forwarded.test(seen[0])) : seen.length) {
        problems.push(forwarded ? 'the double should have received one request: ' + forwarded
                                : 'the double should have received nothing',
                      'it received ' + seen.length + ':');
        problems = problems.concat(seen);
    }
    if (problems.length) {
        problems.push('the SDK sent (request line, status):');
        problems = problems.concat(tail(process.env.SFB_SDK_ACCESS));
    }
    tap(problems.length === 0, name, problems);
}

function expect(cond, what) {
    return cond ? '' : what;
}

function listed(page, what) {
    return expect(page && Array.isArray(page.items) && page.items.length > 0
                  && page.items.every(what), 'items');
}

function re(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// the request the double should receive for a call of ours: METHOD and
// path, api-version=6.2-preview in the query, and each of BODY (strings)
// in the body it logged (the gate forwards the body re-serialised in its
// own member order, so the body is checked piece by piece)
// (and, with QUERY, that "name=value" in the query as the gate forwards it)
function line(method, p, body, query) {
    let head = new RegExp('^' + method + ' ' + re(p)
                          + '\\?(.*&)?api-version=6\\.2-preview(&[^ ]*)?'
                          + ' content-length=[0-9]+ body=');
    let param = new RegExp('^[^ ]+ [^ ?]+\\?([^ ]*&)?' + re(query || '') + '(&| )');

    return {
        toString: () => method + ' ' + p + '?...api-version=6.2-preview...'
                        + (query ? '&' + query + '...' : '') + ' body with '
                        + JSON.stringify(body || []),
        test: (l) => head.test(l) && (body || []).every((b) => l.indexOf(b) >= 0)
                     && (body !== undefined || / body=$/.test(l))
                     && (query === undefined || param.test(l))
    };
}

// a backup's key in its list, as the Backup Restore service gives it as a
// ContinuationToken: "<ServiceName>#<PartitionId>#<BackupId>"
function backupKey(b) {
    return b.serviceName + '#' + b.partitionInformation.id + '#' + b.backupId;
}

async function main() {
    let backups, latest, page;

    // ---- a partition ----
    await call('enablePartitionBackup (DailyAzureBackupPolicy): resolved, forwarded with its body',
        () => client.enablePartitionBackup(P, { backupPolicyName: 'DailyAzureBackupPolicy' }),
        () => '',
        line('POST', '/Partitions/' + P + '/$/EnableBackup',
             ['{"BackupPolicyName":"DailyAzureBackupPolicy"}']));

    await call('getPartitionBackupConfigurationInfo: the policy and the partition',
        () => client.getPartitionBackupConfigurationInfo(P),
        (r) => expect(r.kind === 'Partition' && r.policyName === 'DailyAzureBackupPolicy'
                      && r.partitionId === P && r.serviceName === 'fabric:/TeamA/Orders/Store',
                      'kind, policyName, partitionId, serviceName'),
        line('GET', '/Partitions/' + P + '/$/GetBackupConfigurationInfo'));

    await call('suspendPartitionBackup: resolved, forwarded',
        () => client.suspendPartitionBackup(P), () => '',
        line('POST', '/Partitions/' + P + '/$/SuspendBackup'));

    await call('resumePartitionBackup: resolved, forwarded',
        () => client.resumePartitionBackup(P), () => '',
        line('POST', '/Partitions/' + P + '/$/ResumeBackup'));

    backups = await call('getPartitionBackupList: the chain of three, Date objects parsed',
        () => client.getPartitionBackupList(P),
        (r) => expect(r.items && r.items.length === 3
                      && r.items[0].backupType === 'Full'
                      && r.items[2].backupType === 'Incremental'
                      && r.items[2].creationTimeUtc instanceof Date
                      && r.items[2].creationTimeUtc.toISOString() === '2026-12-01T09:00:11.000Z'
                      && r.items.every((b) => b.partitionInformation.id === P),
                      'three backups of ' + P + ', Full first, dates parsed'),
        line('GET', '/Partitions/' + P + '/$/GetBackups'));

    await call('getPartitionBackupList with latest and both date filters: one backup',
        () => client.getPartitionBackupList(P, {
            latest: true,
            startDateTimeFilter: new Date('2026-11-30T00:00:00Z'),
            endDateTimeFilter: new Date('2026-11-30T23:59:59Z')
        }),
        (r) => expect(r.items && r.items.length === 1
                      && r.items[0].creationTimeUtc.toISOString() === '2026-11-30T17:00:09.000Z',
                      "the 30 November's latest backup"),
        line('GET', '/Partitions/' + P + '/$/GetBackups'));

    await call('backupPartition (the policy\'s storage): resolved, forwarded',
        () => client.backupPartition(P), () => '',
        line('POST', '/Partitions/' + P + '/$/Backup'));

    await call('getPartitionBackupProgress: the backup just started is in progress',
        () => client.getPartitionBackupProgress(P),
        (r) => expect(r.backupState === 'BackupInProgress', 'backupState'),
        line('GET', '/Partitions/' + P + '/$/GetBackupProgress'));

    // the double allows one backup at a time: its FabricError, through the
    // gate, is what the SDK reports
    await refused('backupPartition again: the double\'s 409 FABRIC_E_BACKUP_IN_PROGRESS through the gate, parsed by the SDK',
        () => client.backupPartition(P), 409, 'FABRIC_E_BACKUP_IN_PROGRESS',
        line('POST', '/Partitions/' + P + '/$/Backup'));

    await call('backupPartition to a storage of its own (backupPartitionDescription), another partition',
        () => client.backupPartition('2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19', {
            backupPartitionDescription: { backupStorage: BLOB },
            backupTimeout: 30
        }), () => '',
        line('POST', '/Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/Backup',
             ['"BackupStorage":{', '"StorageKind":"AzureBlobStore"',
              '"ContainerName":"sf-backups"']));

    latest = backups && backups.items && backups.items[2];
    await call('restorePartition from the listed backup (its BackupId and BackupLocation)',
        () => client.restorePartition(P, {
            backupId: latest.backupId,
            backupLocation: latest.backupLocation
        }), () => '',
        line('POST', '/Partitions/' + P + '/$/Restore',
             [JSON.stringify({ BackupId: latest && latest.backupId,
                               BackupLocation: latest && latest.backupLocation })]));

    await call('restorePartition with a BackupStorage and a RestoreTimeout',
        () => client.restorePartition(P, {
            backupId: latest.backupId,
            backupLocation: latest.backupLocation,
            backupStorage: SHARE
        }, { restoreTimeout: 30 }), () => '',
        line('POST', '/Partitions/' + P + '/$/Restore',
             ['"BackupId":"' + (latest && latest.backupId) + '"',
              '"BackupStorage":{', '"StorageKind":"FileShare"']));

    // (not the epoch: the 6.2 specification's BackupEpoch, which this SDK
    // reads, has ConfigurationNumber and DataLossNumber; clusters and the
    // double answer 6.4's Epoch, ConfigurationVersion and DataLossVersion,
    // so the SDK gives {} for it whatever the gate does)
    await call('getPartitionRestoreProgress: Success, the restored LSN',
        () => client.getPartitionRestoreProgress(P),
        (r) => expect(r.restoreState === 'Success' && r.restoredLsn === '461'
                      && r.timeStampUtc instanceof Date,
                      'restoreState, restoredLsn, timeStampUtc'),
        line('GET', '/Partitions/' + P + '/$/GetRestoreProgress'));

    await call('disablePartitionBackup: resolved, forwarded with no body',
        () => client.disablePartitionBackup(P), () => '',
        line('POST', '/Partitions/' + P + '/$/DisableBackup'));

    // ---- a service ----
    await call('enableServiceBackup (WeeklyBackupPolicy): resolved, forwarded with its body',
        () => client.enableServiceBackup(S, { backupPolicyName: 'WeeklyBackupPolicy' }), () => '',
        line('POST', '/Services/' + S + '/$/EnableBackup',
             ['{"BackupPolicyName":"WeeklyBackupPolicy"}']));

    await call('getServiceBackupConfigurationInfo: the service\'s own policy',
        () => client.getServiceBackupConfigurationInfo(S),
        (r) => listed(r, (i) => i.kind === 'Service' && i.policyName === 'DailyAzureBackupPolicy'
                               && i.serviceName === 'fabric:/TeamA/Orders/Store'),
        line('GET', '/Services/' + S + '/$/GetBackupConfigurationInfo'));

    page = await call('getServiceBackupList (maxResults 2): a page and its continuation token, the last item\'s key',
        () => client.getServiceBackupList(S, { maxResults: 2 }),
        (r) => expect(r.items && r.items.length === 2
                      && r.continuationToken === backupKey(r.items[1])
                      && r.items[0].serviceName === 'fabric:/TeamA/Orders/Store',
                      'two items, continuationToken "<ServiceName>#<PartitionId>#<BackupId>" of the second'),
        line('GET', '/Services/' + S + '/$/GetBackups', undefined, 'MaxResults=2'));

    // the token passed back encoded: this SDK puts a ContinuationToken into
    // the query as given (Service Fabric asks for tokens unencoded: they
    // are names), and a backup list's token has '#'s, where the URL ends:
    // unencoded, the gate and the cluster would get
    // "fabric:/TeamA/Orders/Store" only
    await call('getServiceBackupList (the continuation token, encoded): the rest, after that key',
        () => client.getServiceBackupList(S, {
            continuationToken: encodeURIComponent(page.continuationToken)
        }),
        (r) => expect(r.items && r.items.length === 4 && r.continuationToken === ''
                      && r.items.every((b) => backupKey(b) > page.continuationToken),
                      'the last page: the four backups after the token'),
        line('GET', '/Services/' + S + '/$/GetBackups', undefined,
             'ContinuationToken=' + encodeURIComponent(page && page.continuationToken)));

    await call('suspendServiceBackup: resolved, forwarded',
        () => client.suspendServiceBackup(S), () => '',
        line('POST', '/Services/' + S + '/$/SuspendBackup'));

    await call('resumeServiceBackup: resolved, forwarded',
        () => client.resumeServiceBackup(S), () => '',
        line('POST', '/Services/' + S + '/$/ResumeBackup'));

    await call('disableServiceBackup: resolved, forwarded',
        () => client.disableServiceBackup(S), () => '',
        line('POST', '/Services/' + S + '/$/DisableBackup'));

    // ---- an application ----
    await call('enableApplicationBackup (DailyAzureBackupPolicy): resolved, forwarded with its body',
        () => client.enableApplicationBackup(A, { backupPolicyName: 'DailyAzureBackupPolicy' }), () => '',
        line('POST', '/Applications/' + A + '/$/EnableBackup',
             ['{"BackupPolicyName":"DailyAzureBackupPolicy"}']));

    await call('getApplicationBackupConfigurationInfo: its service\'s policy',
        () => client.getApplicationBackupConfigurationInfo(A),
        (r) => listed(r, (i) => i.policyName === 'DailyAzureBackupPolicy'),
        line('GET', '/Applications/' + A + '/$/GetBackupConfigurationInfo'));

    await call('getApplicationBackupList (latest): the latest backup of each partition',
        () => client.getApplicationBackupList(A, { latest: true }),
        (r) => listed(r, (b) => b.applicationName === 'fabric:/TeamA/Orders'
                               && b.backupType === 'Incremental'),
        line('GET', '/Applications/' + A + '/$/GetBackups'));

    await call('suspendApplicationBackup: resolved, forwarded',
        () => client.suspendApplicationBackup(A), () => '',
        line('POST', '/Applications/' + A + '/$/SuspendBackup'));

    await call('resumeApplicationBackup: resolved, forwarded',
        () => client.resumeApplicationBackup(A), () => '',
        line('POST', '/Applications/' + A + '/$/ResumeBackup'));

    await call('disableApplicationBackup: resolved, forwarded',
        () => client.disableApplicationBackup(A), () => '',
        line('POST', '/Applications/' + A + '/$/DisableBackup'));

    // ---- the policies ----
    await call('getBackupPolicyList: the two of the double\'s policies this caller uses, storages typed',
        () => client.getBackupPolicyList(),
        (r) => expect(r.items && r.items.map((p) => p.name).join(',')
                          === 'DailyAzureBackupPolicy,WeeklyBackupPolicy'
                      && r.items[0].storage.storageKind === 'AzureBlobStore'
                      && r.items[1].schedule.runDays.join() === 'Sunday',
                      'DailyAzureBackupPolicy then WeeklyBackupPolicy'),
        line('GET', '/BackupRestore/BackupPolicies'));

    await call('getBackupPolicyByName (WeeklyBackupPolicy): the name round-trips',
        () => client.getBackupPolicyByName('WeeklyBackupPolicy'),
        (r) => expect(r.name === 'WeeklyBackupPolicy' && r.maxIncrementalBackups === 6
                      && r.schedule.scheduleKind === 'TimeBased'
                      && r.storage.storageKind === 'FileShare'
                      && r.storage.path === '\\\\backupserver.sfsim.example\\sf-backups',
                      'name, maxIncrementalBackups, schedule, storage'),
        line('GET', '/BackupRestore/BackupPolicies/WeeklyBackupPolicy'));

    await call('getAllEntitiesBackedUpByPolicy (DailyAzureBackupPolicy): its entities',
        () => client.getAllEntitiesBackedUpByPolicy('DailyAzureBackupPolicy'),
        (r) => expect(r.items && r.items.length === 2
                      && r.items[0].entityKind === 'Service'
                      && r.items[0].serviceName === 'fabric:/TeamA/Orders/Store'
                      && r.items[1].entityKind === 'Partition',
                      'a service and a partition'),
        line('GET', '/BackupRestore/BackupPolicies/DailyAzureBackupPolicy/$/GetBackupEnabledEntities'));

    await call('createBackupPolicy (TimeBased, FileShare): resolved, forwarded with its body',
        () => client.createBackupPolicy({
            name: 'SdkNightlyPolicy',
            autoRestoreOnDataLoss: false,
            maxIncrementalBackups: 5,
            schedule: {
                scheduleKind: 'TimeBased',
                scheduleFrequencyType: 'Weekly',
                runDays: ['Monday', 'Thursday'],
                runTimes: [new Date('0001-01-01T01:30:00Z')]
            },
            storage: SHARE
        }), () => '',
        line('POST', '/BackupRestore/BackupPolicies/$/Create',
             ['"Name":"SdkNightlyPolicy"', '"ScheduleKind":"TimeBased"',
              '"RunDays":["Monday","Thursday"]', '"StorageKind":"FileShare"']));

    await call('updateBackupPolicy (FrequencyBased, AzureBlobStore): resolved, forwarded with its body',
        () => client.updateBackupPolicy({
            name: 'DailyAzureBackupPolicy',
            autoRestoreOnDataLoss: true,
            maxIncrementalBackups: 4,
            schedule: { scheduleKind: 'FrequencyBased', interval: moment.duration(4, 'hours') },
            storage: BLOB
        }, 'DailyAzureBackupPolicy'), () => '',
        line('POST', '/BackupRestore/BackupPolicies/DailyAzureBackupPolicy/$/Update',
             ['"Name":"DailyAzureBackupPolicy"', '"ScheduleKind":"FrequencyBased"',
              '"Interval":"PT4H"', '"StorageKind":"AzureBlobStore"']));

    await call('deleteBackupPolicy (WeeklyBackupPolicy): resolved, forwarded',
        () => client.deleteBackupPolicy('WeeklyBackupPolicy'), () => '',
        line('POST', '/BackupRestore/BackupPolicies/WeeklyBackupPolicy/$/Delete'));

    // ---- backups in a storage ----
    await call('getBackupsFromBackupLocation (a partition, latest): its latest backup',
        () => client.getBackupsFromBackupLocation({
            storage: BLOB,
            backupEntity: { entityKind: 'Partition',
                            serviceName: 'fabric:/TeamA/Orders/Store',
                            partitionId: P },
            latest: true
        }),
        (r) => expect(r.items && r.items.length === 1
                      && r.items[0].partitionInformation.id === P
                      && latest && r.items[0].backupId === latest.backupId,
                      'the latest backup of ' + P),
        line('POST', '/BackupRestore/$/GetBackups',
             ['"Storage":{', '"StorageKind":"AzureBlobStore"',
              '"EntityKind":"Partition"', '"PartitionId":"' + P + '"', '"Latest":true']));

    await call('getBackupsFromBackupLocation (a service, date filters, maxResults 1)',
        () => client.getBackupsFromBackupLocation({
            storage: SHARE,
            backupEntity: { entityKind: 'Service', serviceName: 'fabric:/TeamA/Orders/Store' },
            startDateTimeFilter: new Date('2026-11-30T12:00:00Z'),
            endDateTimeFilter: new Date('2026-12-31T00:00:00Z')
        }, { maxResults: 1 }),
        (r) => expect(r.items && r.items.length === 1
                      && r.continuationToken === backupKey(r.items[0])
                      && r.items[0].creationTimeUtc.toISOString() === '2026-11-30T17:00:09.000Z',
                      'the first backup after the start filter, its key the continuation token'),
        line('POST', '/BackupRestore/$/GetBackups',
             ['"StartDateTimeFilter":"2026-11-30T12:00:00', '"EndDateTimeFilter":"2026-12-31T00:00:00',
              '"StorageKind":"FileShare"', '"EntityKind":"Service"']));

    // ---- the gate refuses: the SDK surfaces the gate's FabricError ----
    await refused('enablePartitionBackup with a policy not allowed: the gate\'s 403 E_ACCESSDENIED as the SDK\'s error, nothing forwarded',
        () => client.enablePartitionBackup(P, { backupPolicyName: 'HourlyBackupPolicy' }),
        403, 'E_ACCESSDENIED');

    // every backup and restore method the SDK has was called above (a
    // newer SDK's new call would show here, not pass unseen)
    let sdk = Object.getOwnPropertyNames(ServiceFabricClient.prototype)
        .filter((m) => /backup|restore|backedup/i.test(m) && !/^_|WithHttpOperationResponse$/.test(m));
    let source = fs.readFileSync(__filename, 'utf8');
    let missing = sdk.filter((m) => source.indexOf('client.' + m + '(') < 0);
    tap(missing.length === 0 && sdk.length > 0,
        'every backup and restore method of the SDK was called: ' + sdk.length,
        ['not called: ' + missing.join(' ')]);

    console.log('# calls ' + (n - 1));
}

main().catch(function (e) {
    console.log('not ok ' + (n + 1) + ' - calls.js stopped: ' + String(e && e.stack || e).split('\n')[0]);
    process.exitCode = 1;
});
