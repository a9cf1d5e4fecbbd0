// sf-cluster-sim: a TEST DOUBLE of a Service Fabric cluster's HTTP gateway,
// for the demo and the test suites.  It is not a cluster: it answers every
// call of the backup and restore surface (../../../shared/reference/
// backup-restore-api.md, summed up in CALLS below) the way the REST
// reference describes, knows a few backup policies (those the specification's
// examples address among them) and a few partitions, and
// misbehaves on purpose for a few partition ids (sf_cluster_sim.locations)
// so that the gateway's error handling can be shown and tested.
//
// Every request it gets is written to nginx's error log at "warn" level as
// one line starting with "sf-sim received:", so that tests can assert
// exactly what reached the cluster (and that nothing did).
//
// Written for njs 0.7.9 (Debian 12): no for...of, no shared dictionaries,
// and every request runs in a fresh copy of the script's globals, so the
// one piece of state (which on-demand backups are still running) is kept
// in a small file per nginx worker process; see runningBackups().

import fs from 'fs';

// Answers use the member names of the Service Fabric REST reference's
// models, which the official clients deserialise, in the reference's
// order (njs 0.7.9 enumerates an object of more than ten members in no
// useful order, so toJson() writes members in the order of these lists).  64-bit integers
// (versions, LSNs, keys) are JSON strings, as the reference writes them.
// The lists (PagedBackupInfoList, PagedBackupPolicyDescriptionList,
// PagedBackupConfigurationInfoList, PagedBackupEntityList) are
// {ContinuationToken, Items: [...]}, in the order of their keys and paged
// by them, as the Backup Restore service keys its stores (see page()).
var MODELS = {
    BackupInfo: ['BackupId', 'BackupChainId', 'ApplicationName', 'ServiceName',
                 'PartitionInformation', 'BackupLocation', 'BackupType',
                 'EpochOfLastBackupRecord', 'LsnOfLastBackupRecord',
                 'CreationTimeUtc', 'ServiceManifestVersion', 'FailureError'],
    // Int64RangePartitionInformation
    PartitionInformation: ['ServicePartitionKind', 'Id', 'LowKey', 'HighKey'],
    Epoch: ['ConfigurationVersion', 'DataLossVersion'],
    BackupProgressInfo: ['BackupState', 'TimeStampUtc', 'BackupId',
                         'BackupLocation', 'EpochOfLastBackupRecord',
                         'LsnOfLastBackupRecord', 'FailureError'],
    RestoreProgressInfo: ['RestoreState', 'TimeStampUtc', 'RestoredEpoch',
                          'RestoredLsn', 'FailureError'],
    // Partition-, Service- and ApplicationBackupConfigurationInfo
    BackupConfigurationInfo: ['Kind', 'PolicyName', 'PolicyInheritedFrom',
                              'ApplicationName', 'ServiceName', 'PartitionId',
                              'SuspensionInfo'],
    BackupPolicyDescription: ['Name', 'AutoRestoreOnDataLoss',
                              'MaxIncrementalBackups', 'Schedule', 'Storage',
                              'RetentionPolicy'],
    // PartitionBackupEntity, ServiceBackupEntity, ApplicationBackupEntity
    BackupEntity: ['EntityKind', 'ApplicationName', 'ServiceName', 'PartitionId'],
    // AzureBlobStore, FileShare, DsmsAzureBlobStore and
    // ManagedIdentityAzureBlobStore BackupStorageDescription
    BackupStorageDescription: ['StorageKind', 'FriendlyName', 'ConnectionString',
                               'StorageCredentialsSourceLocation',
                               'BlobServiceUri', 'ContainerName',
                               'ManagedIdentityType', 'Path', 'PrimaryUserName',
                               'PrimaryPassword', 'SecondaryUserName',
                               'SecondaryPassword']
};

var API_VERSIONS = {
    '6.2-preview': 1, '6.4': 1, '7.0': 1, '7.1': 1, '7.2': 1,
    '8.0': 1, '8.1': 1, '8.2': 1, '9.0': 1, '9.1': 1
};
// SkipAutoRestore came with 9.1
var API_VERSIONS_91 = { '9.1': 1 };
// GetServiceName exists since 6.0; later versions serve it too.
var API_VERSIONS_60 = Object.assign({ '6.0': 1 }, API_VERSIONS);

// Obviously fake, realistic-looking secrets: a 64-byte base64 AccountKey
// (88 characters, "==" at the end, as Azure's are) and FileShare
// passwords.  Masking tests grep every output for these exact values.
var ACCOUNT_KEY = 'epM08n7slTQWKfC2TglJR1recN1iYxpYWBfJc7NevBuur9Y1tco9+sdCzrxWR+D2D2p+FhFc7xdHYzfxxfTkvg==';
var PRIMARY_PASSWORD = 'SimFake-Primary#7fQ2x!Lp9w';
var SECONDARY_PASSWORD = 'SimFake-Secondary#3kV8m!Zr4t';

var POLICIES = {
    DailyAzureBackupPolicy: {
        Name: 'DailyAzureBackupPolicy',
        AutoRestoreOnDataLoss: false,
        MaxIncrementalBackups: 3,
        Schedule: {
            ScheduleKind: 'TimeBased',
            ScheduleFrequencyType: 'Daily',
            RunTimes: ['0001-01-01T09:00:00Z', '0001-01-01T17:00:00Z']
        },
        Storage: {
            StorageKind: 'AzureBlobStore',
            FriendlyName: 'sfsim-azure',
            ConnectionString: 'DefaultEndpointsProtocol=https;'
                + 'AccountName=sfsimfakebackups;AccountKey=' + ACCOUNT_KEY
                + ';EndpointSuffix=core.windows.net',
            ContainerName: 'sf-backups'
        },
        RetentionPolicy: {
            RetentionPolicyType: 'Basic',
            RetentionDuration: 'P29D',
            MinimumNumberOfBackups: 20
        }
    },
    WeeklyBackupPolicy: {
        Name: 'WeeklyBackupPolicy',
        AutoRestoreOnDataLoss: false,
        MaxIncrementalBackups: 6,
        Schedule: {
            ScheduleKind: 'TimeBased',
            ScheduleFrequencyType: 'Weekly',
            RunDays: ['Sunday'],
            RunTimes: ['0001-01-01T02:00:00Z']
        },
        Storage: {
            StorageKind: 'FileShare',
            FriendlyName: 'sfsim-share',
            Path: '\\\\backupserver.sfsim.example\\sf-backups',
            PrimaryUserName: 'SFSIM\\svc-sfbackup',
            PrimaryPassword: PRIMARY_PASSWORD,
            SecondaryUserName: 'SFSIM\\svc-sfbackup2',
            SecondaryPassword: SECONDARY_PASSWORD
        },
        RetentionPolicy: {
            RetentionPolicyType: 'Basic',
            RetentionDuration: 'P90D',
            MinimumNumberOfBackups: 4
        }
    }
};
// The policies the specification's examples address besides
// DailyAzureBackupPolicy: the policy list pages through them
// (MaxResults=3&ContinuationToken=FileShare10MinBackupPolicy, 8.2),
// DeleteBackupPolicy deletes SampleBackupPolicy, and the 8.2 list shows
// DailyAzureMIBackupPolicy (ManagedIdentityAzureBlobStore) and
// SampleDsmsBackupPolicy (DsmsAzureBlobStore); the FileShare ones with the
// double's fake passwords.  (The examples also create some of these names:
// the double keeps no state, so a Create of a name it knows is 409.)
POLICIES.DailyAzureMIBackupPolicy = {
    Name: 'DailyAzureMIBackupPolicy',
    AutoRestoreOnDataLoss: false,
    MaxIncrementalBackups: 3,
    Schedule: {
        ScheduleKind: 'TimeBased',
        ScheduleFrequencyType: 'Daily',
        RunTimes: ['0001-01-01T09:00:00Z', '0001-01-01T17:00:00Z']
    },
    Storage: {
        StorageKind: 'ManagedIdentityAzureBlobStore',
        FriendlyName: 'sfsim-azure-mi',
        BlobServiceUri: 'https://sfsimfakebackups.blob.core.windows.net/',
        ContainerName: 'sf-backups-mi',
        ManagedIdentityType: 'Cluster'
    },
    RetentionPolicy: {
        RetentionPolicyType: 'Basic',
        RetentionDuration: 'P29D',
        MinimumNumberOfBackups: 30
    }
};
POLICIES.SampleDsmsBackupPolicy = {
    Name: 'SampleDsmsBackupPolicy',
    AutoRestoreOnDataLoss: false,
    MaxIncrementalBackups: 3,
    Schedule: {
        ScheduleKind: 'TimeBased',
        ScheduleFrequencyType: 'Daily',
        RunTimes: ['0001-01-01T09:00:00Z', '0001-01-01T17:00:00Z']
    },
    Storage: {
        StorageKind: 'DsmsAzureBlobStore',
        FriendlyName: 'sfsim-dsms',
        StorageCredentialsSourceLocation: 'https://sfsim.dsms.sfsim.example/dsms/sfsim'
            + '/storageaccounts/sfsimfakebackups/servicefabricbackup/sf-backups',
        ContainerName: 'sf-backups-dsms'
    },
    RetentionPolicy: {
        RetentionPolicyType: 'Basic',
        RetentionDuration: 'P3M',
        MinimumNumberOfBackups: 10
    }
};
POLICIES.FileShare10MinBackupPolicy = {
    Name: 'FileShare10MinBackupPolicy',
    AutoRestoreOnDataLoss: false,
    MaxIncrementalBackups: 3,
    Schedule: { ScheduleKind: 'FrequencyBased', Interval: 'PT10M' },
    Storage: {
        StorageKind: 'FileShare',
        FriendlyName: 'sfsim-share-10min',
        Path: '\\\\backupserver.sfsim.example\\sf-backups-10min',
        PrimaryUserName: 'SFSIM\\svc-sfbackup',
        PrimaryPassword: PRIMARY_PASSWORD
    },
    RetentionPolicy: {
        RetentionPolicyType: 'Basic',
        RetentionDuration: 'P20D',
        MinimumNumberOfBackups: 20
    }
};
POLICIES.SampleBackupPolicy = {
    Name: 'SampleBackupPolicy',
    AutoRestoreOnDataLoss: false,
    MaxIncrementalBackups: 5,
    Schedule: { ScheduleKind: 'FrequencyBased', Interval: 'PT4H5M' },
    Storage: {
        StorageKind: 'FileShare',
        FriendlyName: '',
        Path: '\\\\backupserver.sfsim.example\\sample-backups',
        PrimaryUserName: 'SFSIM\\svc-sfsample',
        PrimaryPassword: PRIMARY_PASSWORD,
        SecondaryUserName: 'SFSIM\\svc-sfsample2',
        SecondaryPassword: SECONDARY_PASSWORD
    },
    RetentionPolicy: {
        RetentionPolicyType: 'Basic',
        RetentionDuration: 'P20D',
        MinimumNumberOfBackups: 0
    }
};

// The partitions GetServiceName knows (ids in lower case), and where each
// policy is enabled.  Every other partition id is accepted by the backup
// calls, as if it belonged to fabric:/SimApp/SimService, but GetServiceName
// answers 404 for it.  ...0504 is TeamA's too, only late (.locations).
var PARTITIONS = {
    '1daae3f5-7fd6-42e9-b1ba-8c05f873994d': 'fabric:/TeamA/Orders/Store',
    '6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70': 'fabric:/TeamB/Billing/Ledger',
    '00000000-0000-0000-0000-000000000504': 'fabric:/TeamA/Orders/Store',
    // a second service of each team: restores across a team's own services
    '2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19': 'fabric:/TeamA/Reports/Daily',
    '7d1f3b20-5c6e-4a8b-9d0c-1e2f3a4b5c6d': 'fabric:/TeamB/Archive/Cold'
};
var OTHER_SERVICE = 'fabric:/SimApp/SimService';
// DailyAzureBackupPolicy is used by both teams: its entity list has both
var ENABLED = [
    { entity: { EntityKind: 'Service', ServiceName: 'fabric:/TeamA/Orders/Store' },
      policy: 'DailyAzureBackupPolicy' },
    { entity: { EntityKind: 'Application', ApplicationName: 'fabric:/TeamB/Billing' },
      policy: 'WeeklyBackupPolicy' },
    { entity: { EntityKind: 'Partition', ServiceName: 'fabric:/TeamB/Archive/Cold',
                PartitionId: '7d1f3b20-5c6e-4a8b-9d0c-1e2f3a4b5c6d' },
      policy: 'DailyAzureBackupPolicy' }
];
var MISSING_PARTITION = '00000000-0000-0000-0000-000000000404';

// Each partition's backups: one chain, a full backup and two incrementals.
var BACKUP_TIMES = ['2026-11-30T09:00:12Z', '2026-11-30T17:00:09Z',
                    '2026-12-01T09:00:11Z'];
var EPOCH = { ConfigurationVersion: '8589934592',
              DataLossVersion: '131462452931584510' };
var BACKUP_MS = 2000;           // how long an on-demand backup "runs"

// The surface, one row per call: entity levels (P, S, A), method, action,
// the api-versions it takes, and what answers it.
var CALLS = [
    { levels: 'PSA', method: 'POST', action: 'EnableBackup', answer: enableBackup },
    { levels: 'PSA', method: 'POST', action: 'DisableBackup', answer: disableBackup },
    { levels: 'PSA', method: 'POST', action: 'SuspendBackup', answer: accepted },
    { levels: 'PSA', method: 'POST', action: 'ResumeBackup', answer: accepted },
    { levels: 'PSA', method: 'GET', action: 'GetBackupConfigurationInfo', answer: configurationInfo },
    { levels: 'PSA', method: 'GET', action: 'GetBackups', answer: entityBackups },
    { levels: 'P', method: 'POST', action: 'Backup', answer: backupNow },
    { levels: 'P', method: 'GET', action: 'GetBackupProgress', answer: backupProgress },
    { levels: 'P', method: 'POST', action: 'Restore', answer: restore },
    { levels: 'P', method: 'GET', action: 'GetRestoreProgress', answer: restoreProgress },
    { levels: 'P', method: 'POST', action: 'SkipAutoRestore', versions: API_VERSIONS_91, answer: skipAutoRestore },
    { levels: 'P', method: 'GET', action: 'GetServiceName', versions: API_VERSIONS_60, answer: serviceName },
    { path: /^\/BackupRestore\/BackupPolicies$/, method: 'GET', answer: policyList },
    { path: /^\/BackupRestore\/BackupPolicies\/\$\/Create$/, method: 'POST', answer: policyCreate },
    { path: /^\/BackupRestore\/BackupPolicies\/([^\/$][^\/]*)$/, method: 'GET', answer: policyRead },
    { path: /^\/BackupRestore\/BackupPolicies\/([^\/$][^\/]*)\/\$\/GetBackupEnabledEntities$/, method: 'GET', answer: policyEntities },
    { path: /^\/BackupRestore\/BackupPolicies\/([^\/$][^\/]*)\/\$\/Update$/, method: 'POST', answer: policyUpdate },
    { path: /^\/BackupRestore\/BackupPolicies\/([^\/$][^\/]*)\/\$\/Delete$/, method: 'POST', answer: policyDelete },
    { path: /^\/BackupRestore\/\$\/GetBackups$/, method: 'POST', answer: storageBackups }
];
var ENTITY_CALL = /^\/(Partitions|Services|Applications)\/([^\/]+)\/\$\/([A-Za-z]+)$/;
var LEVEL = { Partitions: 'P', Services: 'S', Applications: 'A' };
var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
var DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d+)?(Z|([+-])(\d\d):(\d\d))$/;


function fabricError(r, status, code, message) {
    r.headersOut['Content-Type'] = 'application/json; charset=utf-8';
    r.return(status, JSON.stringify({ Error: { Code: code, Message: message } }));
}

function json(r, status, doc) {
    r.headersOut['Content-Type'] = 'application/json; charset=utf-8';
    r.return(status, toJson(doc));
}

// JSON.stringify, with an object's members in the order of the model
// that has most of them (members it lacks last, as they came)
function toJson(v) {
    var keys, order;

    if (Array.isArray(v)) {
        return '[' + v.map(toJson).join(',') + ']';
    }
    if (v === null || typeof v !== 'object') {
        return JSON.stringify(v);
    }
    keys = Object.keys(v).filter(function (k) { return v[k] !== undefined; });
    order = modelOf(keys);
    keys = keys.map(function (k, i) {
        var n = order.indexOf(k);
        return { k: k, rank: (n >= 0 ? n : order.length) * 1000 + i };
    }).sort(function (a, b) { return a.rank - b.rank; });
    return '{' + keys.map(function (e) {
        return JSON.stringify(e.k) + ':' + toJson(v[e.k]);
    }).join(',') + '}';
}

function modelOf(keys) {
    var best = [];
    var most = 0;

    Object.keys(MODELS).forEach(function (name) {
        var n = keys.filter(function (k) {
            return MODELS[name].indexOf(k) >= 0;
        }).length;

        if (n > most) {
            most = n;
            best = MODELS[name];
        }
    });
    return best;
}

function received(r) {
    var body = r.requestText || '';
    r.warn('sf-sim received: ' + r.method + ' ' + r.variables.request_uri
           + ' content-length=' + body.length + ' body=' + body);
    return body;
}

// The call a request is, with its entity: { call, level, id, match } or null.
function route(uri) {
    var m = ENTITY_CALL.exec(uri);
    var i, c, p;

    for (i = 0; i < CALLS.length; i++) {
        c = CALLS[i];
        if (c.path) {
            p = c.path.exec(uri);
            if (p) {
                return { call: c, match: p };
            }
        } else if (m && c.action === m[3] && c.levels.indexOf(LEVEL[m[1]]) >= 0) {
            return { call: c, level: LEVEL[m[1]], id: m[2] };
        }
    }
    return null;
}

function cluster(r) {
    answer(r, received(r));
}

function answer(r, body) {
    var found, call, doc;

    if (r.uri === '/$/GetClusterVersion' && r.method === 'GET') {
        json(r, 200, { Version: '8.0.514.9590' });
        return;
    }

    found = route(r.uri);
    if (!found) {
        fabricError(r, 404, 'FABRIC_E_NAME_DOES_NOT_EXIST',
                    'sf-cluster-sim does not know ' + r.uri);
        return;
    }
    call = found.call;

    if (r.method !== call.method) {
        r.headersOut['Allow'] = call.method;
        fabricError(r, 405, 'E_INVALIDARG',
                    (call.action || 'this call') + ' takes ' + call.method);
        return;
    }

    if (!(call.versions || API_VERSIONS)[r.args['api-version']]) {
        fabricError(r, 400, 'E_INVALIDARG', 'unsupported api-version');
        return;
    }

    // the calls without a body take an empty one; the others JSON
    doc = null;
    if (body.length) {
        try {
            doc = JSON.parse(body);
        } catch (e) {
            fabricError(r, 400, 'E_INVALIDARG', 'the body is not valid JSON');
            return;
        }
    }

    if (found.level === 'P' && found.id.toLowerCase() === MISSING_PARTITION) {
        fabricError(r, 404, 'FABRIC_E_PARTITION_NOT_FOUND',
                    'Partition ' + found.id + ' not found');
        return;
    }

    call.answer(r, found, doc);
}


// ---- the calls on an entity ----

function accepted(r) {
    r.return(202);
}

function enableBackup(r, found, doc) {
    if (!doc || typeof doc !== 'object') {
        fabricError(r, 400, 'E_INVALIDARG', 'invalid EnableBackupDescription');
        return;
    }
    if (typeof doc.BackupPolicyName !== 'string'
        || !POLICIES[doc.BackupPolicyName])
    {
        fabricError(r, 404, 'FABRIC_E_BACKUP_POLICY_NOT_EXISTING',
                    'Backup policy does not exist');
        return;
    }
    r.return(202);
}

// no body (6.2-preview clients), or {"CleanBackup": bool} from 7.0
function disableBackup(r, found, doc) {
    if (doc !== null
        && (typeof doc !== 'object' || Array.isArray(doc)
            || (doc.CleanBackup !== undefined
                && typeof doc.CleanBackup !== 'boolean')))
    {
        fabricError(r, 400, 'E_INVALIDARG', 'invalid DisableBackupDescription');
        return;
    }
    r.return(202);
}

// no body, {} or {"BackupStorage": <storage>} (a BackupPartitionDescription
// has no required member: {} backs up to the policy's storage, as no body
// does); one at a time per partition
function backupNow(r, found, doc) {
    var id = found.id.toLowerCase();
    var running = runningBackups(r);

    if (doc !== null
        && (typeof doc !== 'object' || Array.isArray(doc)
            || (doc.BackupStorage !== undefined && !validStorage(doc.BackupStorage))))
    {
        fabricError(r, 400, 'E_INVALIDARG', 'invalid BackupPartitionDescription');
        return;
    }
    if (running[id]) {
        fabricError(r, 409, 'FABRIC_E_BACKUP_IN_PROGRESS',
                    'A backup of partition ' + found.id + ' is in progress');
        return;
    }
    running[id] = Date.now();
    saveRunningBackups(r, running);
    r.return(202);
}

// a RestorePartitionDescription; or, from 9.1, no body and Latest=true (in
// any case): the latest backup of the partition (Latest=true with a body
// too names two backups: refused, as no body without Latest=true is)
function restore(r, found, doc) {
    var latest = r.args.Latest;

    if (latest !== undefined && !/^(true|false)$/i.test(latest)) {
        fabricError(r, 400, 'E_INVALIDARG', 'Latest must be true or false');
        return;
    }
    latest = latest !== undefined && latest.toLowerCase() === 'true';

    if (doc === null && latest) {
        r.return(202);
        return;
    }
    if (doc !== null && latest) {
        fabricError(r, 400, 'E_INVALIDARG',
                    'Latest=true restores the latest backup: no RestorePartitionDescription with it');
        return;
    }
    if (!doc || typeof doc !== 'object'
        || typeof doc.BackupId !== 'string' || !UUID.test(doc.BackupId)
        || typeof doc.BackupLocation !== 'string'
        || (doc.BackupStorage !== undefined && !validStorage(doc.BackupStorage)))
    {
        fabricError(r, 400, 'E_INVALIDARG', 'invalid RestorePartitionDescription');
        return;
    }
    r.return(202);
}

// 9.1: no body; a data loss will not restore the partition by itself
/* 202, as the 9.1 specification's SkipRestorePartition answers */
function skipAutoRestore(r) {
    r.return(202);
}

function configurationInfo(r, found) {
    var items = [];
    var name, i, e;

    if (found.level === 'P') {
        json(r, 200, partitionConfiguration(found.id));
        return;
    }

    // a service: its own (perhaps inherited) policy; an application: the
    // policies enabled on it and on the services below it
    name = entityName(found.id);
    e = found.level === 'S' ? enabledFor(name) : null;
    if (e) {
        items.push(configuration('Service', e, { ServiceName: name }));
    }
    for (i = 0; found.level === 'A' && i < ENABLED.length; i++) {
        e = ENABLED[i];
        if (applicationOf(e) === name) {
            items.push(configuration(e.entity.EntityKind, e,
                                     e.entity.PartitionId
                                     ? { ServiceName: e.entity.ServiceName,
                                         PartitionId: e.entity.PartitionId }
                                     : e.entity.ServiceName
                                     ? { ServiceName: e.entity.ServiceName }
                                     : { ApplicationName: name }));
        }
    }
    page(r, items, entityKey);
}

function entityBackups(r, found) {
    var filter = backupFilter(r, r.args);

    if (filter) {
        page(r, backupsOf(found.level, found.id, filter), backupKey, BACKUP_TOKEN);
    }
}

function backupProgress(r, found) {
    var id = found.id.toLowerCase();
    var last = backupsOf('P', id, {})[BACKUP_TIMES.length - 1];

    if (runningBackups(r)[id]) {
        json(r, 200, {
            BackupState: 'BackupInProgress',
            TimeStampUtc: new Date().toISOString(),
            BackupId: '', BackupLocation: '',
            EpochOfLastBackupRecord: last.EpochOfLastBackupRecord,
            LsnOfLastBackupRecord: '0',
            FailureError: null
        });
        return;
    }
    json(r, 200, {
        BackupState: 'Success',
        TimeStampUtc: last.CreationTimeUtc,
        BackupId: last.BackupId,
        BackupLocation: last.BackupLocation,
        EpochOfLastBackupRecord: last.EpochOfLastBackupRecord,
        LsnOfLastBackupRecord: last.LsnOfLastBackupRecord,
        FailureError: null
    });
}

function restoreProgress(r, found) {
    var last = backupsOf('P', found.id, {})[BACKUP_TIMES.length - 1];

    json(r, 200, {
        RestoreState: 'Success',
        TimeStampUtc: '2026-12-01T10:12:40Z',
        RestoredEpoch: last.EpochOfLastBackupRecord,
        RestoredLsn: last.LsnOfLastBackupRecord,
        FailureError: null
    });
}

// Issue 14's lookup: only the partitions of the table exist for it.
function serviceName(r, found) {
    var name = PARTITIONS[found.id.toLowerCase()];

    if (!name || !UUID.test(found.id)) {
        fabricError(r, 404, 'FABRIC_E_PARTITION_NOT_FOUND',
                    'Partition ' + found.id + ' not found');
        return;
    }
    json(r, 200, { Id: name.slice('fabric:/'.length).split('/').join('~'),
                   Name: name });
}


// ---- the calls on the Backup Restore Service ----

function policyList(r) {
    page(r, Object.keys(POLICIES).map(function (name) { return POLICIES[name]; }),
         policyKey);
}

function policyRead(r, found) {
    var policy = knownPolicy(r, found.match[1]);

    if (policy) {
        json(r, 200, policy);
    }
}

function policyEntities(r, found) {
    var policy = knownPolicy(r, found.match[1]);

    if (policy) {
        page(r, ENABLED.filter(function (e) { return e.policy === policy.Name; })
                       .map(function (e) { return e.entity; }),
             entityKey);
    }
}

// The double keeps no policies across requests: Create answers 201 for a
// new name (which later reads will not know), 409 for a known one.
function policyCreate(r, found, doc) {
    if (!validateConnection(r)) {
        return;
    }
    if (!validPolicy(doc)) {
        fabricError(r, 400, 'E_INVALIDARG', 'invalid BackupPolicyDescription');
        return;
    }
    if (POLICIES[doc.Name]) {
        fabricError(r, 409, 'FABRIC_E_BACKUP_POLICY_ALREADY_EXISTING',
                    'Backup policy ' + doc.Name + ' already exists');
        return;
    }
    r.return(201);
}

function policyUpdate(r, found, doc) {
    if (!knownPolicy(r, found.match[1]) || !validateConnection(r)) {
        return;
    }
    if (!validPolicy(doc)) {
        fabricError(r, 400, 'E_INVALIDARG', 'invalid BackupPolicyDescription');
        return;
    }
    r.return(200);
}

function policyDelete(r, found) {
    if (knownPolicy(r, found.match[1])) {
        r.return(200);
    }
}

// GetBackupByStorageQueryDescription: the filters in the body, paging in
// the query; the storage named is "read" as if it held the usual backups
// (those of every partition of the table).  A BackupEntity names what to
// list: a partition (its PartitionId; or a ServiceName alone: that
// service's partitions), a service, an application; one with its
// EntityKind alone (EntityKind is its only required member) lists every
// backup of that kind in the storage: all of them.
function storageBackups(r, found, doc) {
    var e = doc && doc.BackupEntity;
    var filter, names;

    if (!doc || typeof doc !== 'object' || !validStorage(doc.Storage)
        || !e || typeof e !== 'object')
    {
        fabricError(r, 400, 'E_INVALIDARG', 'invalid GetBackupByStorageQueryDescription');
        return;
    }
    names = ['ApplicationName', 'ServiceName', 'PartitionId'].filter(function (k) {
        return e[k] !== undefined;
    });
    if (!/^(Partition|Service|Application)$/.test(e.EntityKind)
        || !names.every(function (k) { return typeof e[k] === 'string'; }))
    {
        fabricError(r, 400, 'E_INVALIDARG', 'invalid BackupEntity');
        return;
    }
    filter = backupFilter(r, {
        Latest: doc.Latest === undefined ? undefined : String(doc.Latest),
        StartDateTimeFilter: doc.StartDateTimeFilter,
        EndDateTimeFilter: doc.EndDateTimeFilter
    });
    if (!filter) {
        return;
    }

    if (e.EntityKind === 'Partition' && e.PartitionId !== undefined) {
        page(r, backupsOf('P', e.PartitionId, filter), backupKey, BACKUP_TOKEN);
    } else if ((e.EntityKind === 'Partition' || e.EntityKind === 'Service')
               && e.ServiceName !== undefined)
    {
        page(r, backupsOf('S', e.ServiceName, filter), backupKey, BACKUP_TOKEN);
    } else if (e.EntityKind === 'Application' && e.ApplicationName !== undefined) {
        page(r, backupsOf('A', e.ApplicationName, filter), backupKey, BACKUP_TOKEN);
    } else {
        page(r, backupsOf('*', null, filter), backupKey, BACKUP_TOKEN);
    }
}


// ---- helpers ----

function knownPolicy(r, name) {
    var policy = POLICIES[name];

    if (!policy) {
        fabricError(r, 404, 'FABRIC_E_BACKUP_POLICY_NOT_EXISTING',
                    'Backup policy does not exist');
    }
    return policy;
}

// a BackupStorageDescription: its kind and the members that kind requires
var STORAGE_MEMBERS = {
    AzureBlobStore: ['ConnectionString', 'ContainerName'],
    FileShare: ['Path'],
    DsmsAzureBlobStore: ['StorageCredentialsSourceLocation', 'ContainerName'],
    ManagedIdentityAzureBlobStore: ['BlobServiceUri', 'ContainerName',
                                    'ManagedIdentityType']
};

function validStorage(s) {
    var members;

    if (s === null || typeof s !== 'object' || Array.isArray(s)
        || typeof s.StorageKind !== 'string'
        || !Object.prototype.hasOwnProperty.call(STORAGE_MEMBERS, s.StorageKind))
    {
        return false;
    }
    members = STORAGE_MEMBERS[s.StorageKind];
    return members.every(function (k) { return typeof s[k] === 'string'; })
           && (s.ManagedIdentityType === undefined
               || /^(Invalid|VMSS|Cluster)$/.test(s.ManagedIdentityType));
}

// ValidateConnection (8.0), on Create and Update: true or false in any
// case.  The double validates nothing: either way the policy is taken.
function validateConnection(r) {
    var v = r.args.ValidateConnection;

    if (v !== undefined && !/^(true|false)$/i.test(v)) {
        fabricError(r, 400, 'E_INVALIDARG', 'ValidateConnection must be true or false');
        return false;
    }
    return true;
}

function validPolicy(doc) {
    return doc !== null && typeof doc === 'object'
           && typeof doc.Name === 'string' && doc.Name.length > 0
           && doc.Schedule !== null && typeof doc.Schedule === 'object'
           && validStorage(doc.Storage);
}

// "fabric:/TeamA/Orders" from "TeamA~Orders" (r.uri, already decoded) or
// the name itself (a BackupEntity)
function entityName(id) {
    return id.indexOf('fabric:/') === 0 ? id : 'fabric:/' + id.split('~').join('/');
}

function applicationName(service) {
    return service.slice(0, service.lastIndexOf('/'));
}

function serviceOf(e) {
    return e.entity.ServiceName;
}

function applicationOf(e) {
    return e.entity.ApplicationName || applicationName(e.entity.ServiceName);
}

function enabledFor(service) {
    var i, e;

    for (i = 0; i < ENABLED.length; i++) {
        e = ENABLED[i];
        if (serviceOf(e) === service
            || (e.entity.EntityKind === 'Application'
                && applicationOf(e) === applicationName(service)))
        {
            return e;
        }
    }
    return null;
}

function configuration(kind, e, names) {
    return Object.assign({
        Kind: kind,
        PolicyName: e.policy,
        PolicyInheritedFrom: e.entity.EntityKind,
        SuspensionInfo: { IsSuspended: false, SuspensionInheritedFrom: 'Invalid' }
    }, names);
}

function partitionConfiguration(id) {
    var service = PARTITIONS[id.toLowerCase()] || OTHER_SERVICE;
    var e = enabledFor(service)
            || { entity: { EntityKind: 'Partition' }, policy: 'DailyAzureBackupPolicy' };

    return configuration('Partition', e, { ServiceName: service, PartitionId: id });
}

// The partitions of an entity: a partition is itself; a service or an
// application has the partitions of the table below it.
function partitionsOf(level, id) {
    var name;

    if (level === 'P') {
        return [id.toLowerCase()];
    }
    if (level === '*') {
        return Object.keys(PARTITIONS);
    }
    name = entityName(id);
    return Object.keys(PARTITIONS).filter(function (p) {
        var service = PARTITIONS[p];
        return level === 'S' ? service === name : applicationName(service) === name;
    });
}

function backupsOf(level, id, filter) {
    var items = [];

    partitionsOf(level, id).forEach(function (p) {
        var service = PARTITIONS[p] || OTHER_SERVICE;
        var application = applicationName(service);
        var chain = 'bac00000' + p.slice(8);
        var list = BACKUP_TIMES.map(function (t, n) {
            return {
                BackupId: 'bac0000' + n + p.slice(8),
                BackupChainId: chain,
                ApplicationName: application,
                ServiceName: service,
                PartitionInformation: {
                    ServicePartitionKind: 'Int64Range', Id: p,
                    LowKey: '-9223372036854775808',
                    HighKey: '9223372036854775807'
                },
                BackupLocation: backupFolder(service, p) + '\\'
                    + t.replace('T', ' ').replace(/:/g, '.').replace('Z', '') + '.zip',
                BackupType: n === 0 ? 'Full' : 'Incremental',
                EpochOfLastBackupRecord: EPOCH,
                LsnOfLastBackupRecord: String(261 + 100 * n),
                CreationTimeUtc: t,
                ServiceManifestVersion: '1.0.0',
                FailureError: null
            };
        }).filter(function (b) {
            var t = Date.parse(b.CreationTimeUtc);
            return (filter.start === undefined || t >= filter.start)
                   && (filter.end === undefined || t <= filter.end);
        });

        items = items.concat(filter.latest ? list.slice(-1) : list);
    });
    return items;
}

// Where the Backup Restore service puts a partition's backups: the service
// name's first two segments, then the partition id
// (fabric:/CalcApp/CalcService -> CalcApp\CalcService\<id>)
function backupFolder(service, partition) {
    var segments = service.slice('fabric:/'.length).split('/');

    return segments[0] + '\\' + segments[1] + '\\' + partition;
}

// Latest, StartDateTimeFilter, EndDateTimeFilter, from the query or a body;
// null (and a 400 sent) if one is malformed
function backupFilter(r, args) {
    var filter = { latest: false };

    if (args.Latest !== undefined) {
        if (!/^(true|false)$/i.test(args.Latest)) {
            fabricError(r, 400, 'E_INVALIDARG', 'Latest must be true or false');
            return null;
        }
        filter.latest = args.Latest.toLowerCase() === 'true';
    }
    if (args.StartDateTimeFilter !== undefined) {
        filter.start = parseDateTime(args.StartDateTimeFilter);
    }
    if (args.EndDateTimeFilter !== undefined) {
        filter.end = parseDateTime(args.EndDateTimeFilter);
    }
    if (filter.start === null || filter.end === null) {
        fabricError(r, 400, 'E_INVALIDARG', 'a date filter is not an ISO 8601 date-time');
        return null;
    }
    return filter;
}

// njs 0.7.9's Date.parse refuses offsets: milliseconds, or null
function parseDateTime(s) {
    var m = typeof s === 'string' ? DATE_TIME.exec(s) : null;
    var ms;

    if (!m) {
        return null;
    }
    ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
    if (m[8]) {
        ms -= (m[8] === '+' ? 1 : -1) * (+m[9] * 60 + +m[10]) * 60000;
    }
    return isNaN(ms) ? null : ms;
}

// The keys of the lists, as the Backup Restore service keys its stores
// and its answers show them as ContinuationTokens: a policy by its Name
// (the policy list examples: the page that ends with
// FileShare10MinBackupPolicy gives ContinuationToken=
// FileShare10MinBackupPolicy, and the next starts after it), a backup by
// "<ServiceName>#<PartitionId>#<BackupId>" (the backup list examples:
// fabric:/CalcApp/CalcService#1daae3f5-...#7903dc2a-...), an entity (a
// BackupEntity, a backup configuration) by its name: an application's
// ApplicationName (GetAllEntitiesBackedUpByPolicy: fabric:/DemoApp), a
// service's ServiceName (GetApplicationBackupConfigurationInfo:
// fabric:/CalcApp/CalcService), a partition's "<ServiceName>/<PartitionId>"
// (the examples show none; this is how Service Fabric names a partition in
// its backup mappings, and it sorts after its service, before the next).
function policyKey(p) {
    return p.Name;
}

function backupKey(b) {
    return b.ServiceName + '#' + b.PartitionInformation.Id + '#' + b.BackupId;
}

function entityKey(e) {
    switch (e.EntityKind || e.Kind) {
    case 'Application':
        return e.ApplicationName;
    case 'Service':
        return e.ServiceName;
    default:
        return e.ServiceName + '/' + e.PartitionId;
    }
}

// a backup list's token is a backup's key; another is refused
var BACKUP_TOKEN = new RegExp('^fabric:/[^#]+#' + UUID.source.slice(1, -1)
                              + '#' + UUID.source.slice(1, -1) + '$', 'i');
var INT64_MAX = '9223372036854775807';

// A page of items, in the (ordinal) order of key(item): those whose key is
// greater than the ContinuationToken (none or "": from the first), at most
// MaxResults of them (0 or none: all; any whole number up to 2^63-1, as
// Service Fabric's int64 takes it).  The answer's ContinuationToken is the
// last item's key while more follow, "" on the last page.  form, when
// given, is the token's form (a backup list's): another is a 400.
function page(r, items, key, form) {
    var max = r.args.MaxResults;
    var token = r.args.ContinuationToken;
    var keyed, start, end, digits;

    if (max !== undefined) {
        digits = /^[0-9]+$/.test(max) ? max.replace(/^0+(?=.)/, '') : null;
        if (digits === null || digits.length > INT64_MAX.length
            || (digits.length === INT64_MAX.length && digits > INT64_MAX))
        {
            fabricError(r, 400, 'E_INVALIDARG', 'MaxResults must be a non-negative integer');
            return;
        }
    }
    /* past 2^53 Number() is not exact, and past every list all the same */
    max = max === undefined ? 0 : Number(digits);

    if (token !== undefined && token !== '' && form && !form.test(token)) {
        fabricError(r, 400, 'E_INVALIDARG', 'invalid ContinuationToken');
        return;
    }

    keyed = items.map(function (item) {
        return { key: key(item), item: item };
    }).sort(function (a, b) {
        return a.key < b.key ? -1 : (a.key > b.key ? 1 : 0);
    });

    start = 0;
    while (token !== undefined && token !== '' && start < keyed.length
           && keyed[start].key <= token)
    {
        start++;
    }
    end = max === 0 ? keyed.length : Math.min(keyed.length, start + max);

    json(r, 200, {
        ContinuationToken: end < keyed.length ? keyed[end - 1].key : '',
        Items: keyed.slice(start, end).map(function (e) { return e.item; })
    });
}

// The on-demand backups still running in this worker process: { id: ms }.
// njs 0.7.9 forgets globals between requests and has no shared dictionary
// (js_shared_dict_zone is 0.8.0), so they live in
// $sf_sim_state_dir/sf-cluster-sim-backups.<pid>.json (default /tmp),
// removed once none runs; a backup runs $sf_sim_backup_ms (default 2000).
function statePath(r) {
    return (r.variables.sf_sim_state_dir || '/tmp')
           + '/sf-cluster-sim-backups.' + process.pid + '.json';
}

function runningBackups(r) {
    var ms = parseInt(r.variables.sf_sim_backup_ms || String(BACKUP_MS), 10);
    var now = Date.now();
    var running = {};
    var saved;

    try {
        saved = JSON.parse(fs.readFileSync(statePath(r), 'utf8'));
    } catch (e) {
        return running;
    }
    Object.keys(saved).forEach(function (id) {
        if (now - saved[id] < ms) {
            running[id] = saved[id];
        }
    });
    if (Object.keys(running).length === 0) {
        saveRunningBackups(r, running);
    }
    return running;
}

function saveRunningBackups(r, running) {
    var path = statePath(r);

    try {
        if (Object.keys(running).length === 0) {
            fs.unlinkSync(path);
        } else {
            fs.writeFileSync(path + '.new', JSON.stringify(running));
            fs.renameSync(path + '.new', path);
        }
    } catch (e) {
        r.error('sf-sim: cannot keep its running backups in ' + path + ': ' + e);
    }
}


// ---- the misbehaving partitions (sf_cluster_sim.locations) ----

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
    var body = received(r);

    setTimeout(function () { answer(r, body); }, ms);
}

// ...0505: a JSON answer cut short, "200" and all.
function cutJson(r) {
    received(r);
    r.headersOut['Content-Type'] = 'application/json; charset=utf-8';
    r.return(200, '{"Id":');
}

export default { cluster, htmlError, textError, slow, cutJson };
