# sf-cluster-sim, the cluster test double, on its own (no gate): every call
# of the backup and restore surface answers the way a cluster does, at every
# entity level where it exists; the policy reads carry the storage secrets a
# cluster sends (the masking tests look for exactly these); a second
# on-demand Backup meanwhile is 409; GetServiceName answers from its table;
# the misbehaving partitions misbehave on every call.
#
# The test server proxies every request, as it came, to the simulator's
# server (so that a closed connection or a late answer shows as nginx's 502
# or 504 and its error-log line); each block is one row: request, status,
# an anchored regex over the body.
use Test::Nginx::Socket 'no_plan';
use Cwd qw(abs_path);
use File::Basename qw(dirname);

$ENV{TEST_NGINX_CONF_DIR} ||= abs_path(dirname(__FILE__) . '/../conf');
$ENV{TEST_NGINX_SIM_PORT} ||= 1985;

# The secrets of the simulator's two policies (conf/sim/sf_cluster_sim.js).
our $AccountKey = 'epM08n7slTQWKfC2TglJR1recN1iYxpYWBfJc7NevBuur9Y1tco9+sdCzrxWR+D2D2p+FhFc7xdHYzfxxfTkvg==';
our $PrimaryPassword = 'SimFake-Primary#7fQ2x!Lp9w';
our $SecondaryPassword = 'SimFake-Secondary#3kV8m!Zr4t';

# ...0504 answers 1.3 s late, after the proxy stopped waiting (1 s); a
# Backup "runs" 600 ms; the running backups are kept under the server root.
our $HttpConfig = <<'_EOC_';
js_path "$TEST_NGINX_CONF_DIR/sim";
js_import sfsim from sf_cluster_sim.js;

server {
    listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
    set $sf_sim_slow_ms 1300;
    set $sf_sim_backup_ms 600;
    set $sf_sim_state_dir $TEST_NGINX_SERVER_ROOT/logs;
    include $TEST_NGINX_CONF_DIR/sim/sf_cluster_sim.locations;
}
_EOC_

our $Config = <<'_EOC_';
location / {
    proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    proxy_read_timeout 1s;
}
_EOC_

add_block_preprocessor(sub {
    my $block = shift;

    $block->set_value(http_config => $HttpConfig)
        unless defined $block->http_config;

    $block->set_value(config => $Config)
        unless defined $block->config;

    # what the official clients send with every call, body or not
    $block->set_value(more_headers =>
                      'Content-Type: application/json; charset=utf-8')
        unless defined $block->more_headers;
});

no_shuffle();
no_root_location();
log_level('warn');
run_tests();

__DATA__

=== TEST 1: EnableBackup at each entity level: 202 with an empty body
--- pipelined_requests eval
[map { "POST /$_/\$/EnableBackup?api-version=6.4\n"
       . '{"BackupPolicyName":"DailyAzureBackupPolicy"}' }
     qw(Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d Services/TeamA~Orders~Store Applications/TeamA~Orders)]
--- error_code eval
[202, 202, 202]
--- response_body eval
['', '', '']



=== TEST 2: EnableBackup with a policy the cluster lacks: 404 FABRIC_E_BACKUP_POLICY_NOT_EXISTING at each level
--- pipelined_requests eval
[map { "POST /$_/\$/EnableBackup?api-version=6.4\n"
       . '{"BackupPolicyName":"HourlyBackupPolicy"}' }
     qw(Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d Services/TeamA~Orders~Store Applications/TeamA~Orders)]
--- error_code eval
[404, 404, 404]
--- response_body_like eval
[('^\{"Error":\{"Code":"FABRIC_E_BACKUP_POLICY_NOT_EXISTING","Message":"Backup policy does not exist"\}\}$') x 3]
--- response_headers_like eval
[("Content-Type: application/json; charset=utf-8") x 3]



=== TEST 3: EnableBackup without a body: 400 E_INVALIDARG
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.4
--- more_headers
Content-Type: application/json; charset=utf-8
Content-Length: 0
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"invalid EnableBackupDescription"\}\}$



=== TEST 4: DisableBackup with Content-Length 0 (6.2-preview clients) at each level: 202, empty
--- pipelined_requests eval
[map { "POST /$_/\$/DisableBackup?api-version=6.2-preview" }
     qw(Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d Services/TeamA~Orders~Store Applications/TeamA~Orders)]
--- more_headers
Content-Type: application/json; charset=utf-8
Content-Length: 0
--- error_code eval
[202, 202, 202]
--- response_body eval
['', '', '']



=== TEST 5: DisableBackup with CleanBackup true or false (7.0): 202, empty
--- pipelined_requests eval
["POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/DisableBackup?api-version=7.0\n{\"CleanBackup\":true}",
 "POST /Applications/TeamB~Billing/\$/DisableBackup?api-version=7.0\n{\"CleanBackup\":false}"]
--- error_code eval
[202, 202]
--- response_body eval
['', '']



=== TEST 6: DisableBackup with a CleanBackup that is not a boolean: 400 E_INVALIDARG
--- request
POST /Services/TeamA~Orders~Store/$/DisableBackup?api-version=7.0
{"CleanBackup":"yes"}
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"invalid DisableBackupDescription"\}\}$



=== TEST 7: SuspendBackup and ResumeBackup at each level: 202, empty
--- pipelined_requests eval
[map { my $e = $_; map { "POST /$e/\$/$_?api-version=8.0" } qw(SuspendBackup ResumeBackup) }
     qw(Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d Services/TeamA~Orders~Store Applications/TeamA~Orders)]
--- more_headers
Content-Type: application/json; charset=utf-8
Content-Length: 0
--- error_code eval
[(202) x 6]
--- response_body eval
[('') x 6]



=== TEST 8: GetBackupConfigurationInfo of a partition: a PartitionBackupConfigurationInfo, policy inherited from its service
--- request
GET /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/GetBackupConfigurationInfo?api-version=6.4
--- error_code: 200
--- response_headers
Content-Type: application/json; charset=utf-8
--- response_body_like: ^\{"Kind":"Partition","PolicyName":"DailyAzureBackupPolicy","PolicyInheritedFrom":"Service","ServiceName":"fabric:/TeamA/Orders/Store","PartitionId":"1daae3f5-7fd6-42e9-b1ba-8c05f873994d","SuspensionInfo":\{"IsSuspended":false,"SuspensionInheritedFrom":"Invalid"\}\}$



=== TEST 9: GetBackupConfigurationInfo of a service and of an application: a PagedBackupConfigurationInfoList
--- pipelined_requests eval
["GET /Services/TeamB~Billing~Ledger/\$/GetBackupConfigurationInfo?api-version=6.4",
 "GET /Applications/TeamB~Billing/\$/GetBackupConfigurationInfo?api-version=6.4",
 "GET /Applications/TeamA~Orders/\$/GetBackupConfigurationInfo?api-version=6.4&MaxResults=10",
 "GET /Services/Nobody~Svc/\$/GetBackupConfigurationInfo?api-version=6.4"]
--- error_code eval
[200, 200, 200, 200]
--- response_body_like eval
['^\{"ContinuationToken":"","Items":\[\{"Kind":"Service","PolicyName":"WeeklyBackupPolicy","PolicyInheritedFrom":"Application","ServiceName":"fabric:/TeamB/Billing/Ledger","SuspensionInfo":\{"IsSuspended":false,"SuspensionInheritedFrom":"Invalid"\}\}\]\}$',
 '^\{"ContinuationToken":"","Items":\[\{"Kind":"Application","PolicyName":"WeeklyBackupPolicy","PolicyInheritedFrom":"Application","ApplicationName":"fabric:/TeamB/Billing","SuspensionInfo":\{"IsSuspended":false,"SuspensionInheritedFrom":"Invalid"\}\}\]\}$',
 '^\{"ContinuationToken":"","Items":\[\{"Kind":"Service","PolicyName":"DailyAzureBackupPolicy","PolicyInheritedFrom":"Service","ServiceName":"fabric:/TeamA/Orders/Store",',
 '^\{"ContinuationToken":"","Items":\[\]\}$']



=== TEST 10: GetBackups of a partition: a PagedBackupInfoList of BackupInfo, a full backup and two incrementals
--- request
GET /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/GetBackups?api-version=6.4
--- error_code: 200
--- response_headers
Content-Type: application/json; charset=utf-8
--- response_body_like: ^\{"ContinuationToken":"","Items":\[\{"BackupId":"bac00000-7fd6-42e9-b1ba-8c05f873994d","BackupChainId":"bac00000-7fd6-42e9-b1ba-8c05f873994d","ApplicationName":"fabric:/TeamA/Orders","ServiceName":"fabric:/TeamA/Orders/Store","PartitionInformation":\{"ServicePartitionKind":"Int64Range","Id":"1daae3f5-7fd6-42e9-b1ba-8c05f873994d","LowKey":"-9223372036854775808","HighKey":"9223372036854775807"\},"BackupLocation":"TeamA\\\\Orders\\\\1daae3f5-7fd6-42e9-b1ba-8c05f873994d\\\\2026-11-30 09\.00\.12\.zip","BackupType":"Full","EpochOfLastBackupRecord":\{"ConfigurationVersion":"8589934592","DataLossVersion":"131462452931584510"\},"LsnOfLastBackupRecord":"261","CreationTimeUtc":"2026-11-30T09:00:12Z","ServiceManifestVersion":"1\.0\.0","FailureError":null\},\{"BackupId":"bac00001-[^\]]*"BackupType":"Incremental"[^\]]*\},\{"BackupId":"bac00002-[^\]]*"BackupType":"Incremental"[^\]]*\}\]\}$



=== TEST 11: GetBackups with Latest=true: only the latest backup
--- request
GET /Partitions/6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70/$/GetBackups?api-version=6.4&Latest=true
--- error_code: 200
--- response_body_like: ^\{"ContinuationToken":"","Items":\[\{"BackupId":"bac00002-4a4b-4c5e-9f1a-2b3c4d5e6f70",(?:(?!"BackupId").)*"ServiceName":"fabric:/TeamB/Billing/Ledger"(?:(?!"BackupId").)*"CreationTimeUtc":"2026-12-01T09:00:11Z"(?:(?!"BackupId").)*\}\]\}$



=== TEST 12: GetBackups with StartDateTimeFilter and EndDateTimeFilter (an offset too): only the backups between
--- pipelined_requests eval
["GET /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/GetBackups?api-version=6.4&StartDateTimeFilter=2026-11-30T12:00:00Z&EndDateTimeFilter=2026-12-01T09:00:10Z",
 "GET /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/GetBackups?api-version=6.4&StartDateTimeFilter=2026-11-30T18:00:00%2B01:00&Latest=false"]
--- error_code eval
[200, 200]
--- response_body_like eval
['^\{"ContinuationToken":"","Items":\[\{"BackupId":"bac00001-(?:(?!"BackupId").)*"CreationTimeUtc":"2026-11-30T17:00:09Z"(?:(?!"BackupId").)*\}\]\}$',
 '^\{"ContinuationToken":"","Items":\[\{"BackupId":"bac00001-(?:(?!"BackupId").)*\},\{"BackupId":"bac00002-(?:(?!"BackupId").)*\}\]\}$']



=== TEST 13: GetBackups of a service with MaxResults and ContinuationToken: pages in the order of "<ServiceName>#<PartitionId>#<BackupId>", each token the last item's, the last one empty
--- pipelined_requests eval
["GET /Services/TeamA~Orders~Store/\$/GetBackups?api-version=6.4&MaxResults=4",
 "GET /Services/TeamA~Orders~Store/\$/GetBackups?api-version=6.4&MaxResults=4&ContinuationToken=fabric%3A%2FTeamA%2FOrders%2FStore%231daae3f5-7fd6-42e9-b1ba-8c05f873994d%23bac00000-7fd6-42e9-b1ba-8c05f873994d",
 "GET /Applications/TeamA~Orders/\$/GetBackups?api-version=6.4&MaxResults=0"]
--- error_code eval
[200, 200, 200]
--- response_body_like eval
['^\{"ContinuationToken":"fabric:/TeamA/Orders/Store#1daae3f5-7fd6-42e9-b1ba-8c05f873994d#bac00000-7fd6-42e9-b1ba-8c05f873994d","Items":\['
 . '\{"BackupId":"bac00000-0000-0000-0000-000000000504",(?:(?!"BackupId").)*\},\{"BackupId":"bac00001-0000-0000-0000-000000000504",(?:(?!"BackupId").)*\},'
 . '\{"BackupId":"bac00002-0000-0000-0000-000000000504",(?:(?!"BackupId").)*\},\{"BackupId":"bac00000-7fd6-42e9-b1ba-8c05f873994d",(?:(?!"BackupId").)*\}\]\}$',
 '^\{"ContinuationToken":"","Items":\[\{"BackupId":"bac00001-7fd6-42e9-b1ba-8c05f873994d",(?:(?!"BackupId").)*\},\{"BackupId":"bac00002-7fd6-42e9-b1ba-8c05f873994d",(?:(?!"BackupId").)*\}\]\}$',
 '^\{"ContinuationToken":"","Items":\[(?:\{"BackupId":"bac0000[0-2]-(?:(?!"BackupId").)*\},?){6}\]\}$']



=== TEST 14: GetBackups of an entity without backups: an empty list
--- request
GET /Applications/Nobody~App/$/GetBackups?api-version=7.2
--- error_code: 200
--- response_body_like: ^\{"ContinuationToken":"","Items":\[\]\}$



=== TEST 15: GetBackups with a malformed filter, MaxResults or ContinuationToken (a backup list's is a backup's key): 400 E_INVALIDARG
--- pipelined_requests eval
[map { "GET /Services/TeamA~Orders~Store/\$/GetBackups?api-version=6.4&$_" }
     qw(Latest=yes StartDateTimeFilter=yesterday EndDateTimeFilter=2026-13-01 MaxResults=-1 ContinuationToken=bogus)]
--- error_code eval
[(400) x 5]
--- response_body_like eval
['^\{"Error":\{"Code":"E_INVALIDARG","Message":"Latest must be true or false"\}\}$',
 '^\{"Error":\{"Code":"E_INVALIDARG","Message":"a date filter is not an ISO 8601 date-time"\}\}$',
 '^\{"Error":\{"Code":"E_INVALIDARG","Message":"a date filter is not an ISO 8601 date-time"\}\}$',
 '^\{"Error":\{"Code":"E_INVALIDARG","Message":"MaxResults must be a non-negative integer"\}\}$',
 '^\{"Error":\{"Code":"E_INVALIDARG","Message":"invalid ContinuationToken"\}\}$']



=== TEST 16: an on-demand Backup: 202, then 409 FABRIC_E_BACKUP_IN_PROGRESS while it runs, another partition unaffected
--- pipelined_requests eval
["POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/Backup?BackupTimeout=10&api-version=6.4",
 "POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/Backup?api-version=6.4\n"
 . '{"BackupStorage":{"StorageKind":"AzureBlobStore","ConnectionString":"DefaultEndpointsProtocol=https;AccountName=other;AccountKey=eA==","ContainerName":"c"}}',
 "POST /Partitions/0f0e0d0c-0b0a-4908-8706-050403020100/\$/Backup?api-version=6.4"]
--- error_code eval
[202, 409, 202]
--- response_body_like eval
['^$',
 '^\{"Error":\{"Code":"FABRIC_E_BACKUP_IN_PROGRESS","Message":"A backup of partition 1daae3f5-7fd6-42e9-b1ba-8c05f873994d is in progress"\}\}$',
 '^$']
--- no_error_log
[error]



=== TEST 17: GetBackupProgress: BackupInProgress while a backup runs; once it ended ($sf_sim_backup_ms), Success with the latest backup and a new Backup is 202
--- request eval
["POST /Partitions/6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70/\$/Backup?api-version=7.0",
 "GET /Partitions/6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70/\$/GetBackupProgress?api-version=7.0",
 # (a Restore whose body comes 0.8 s late: the backup ends meanwhile)
 ["POST /Partitions/6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70/\$/Restore?api-version=7.0\n"
  . '{"BackupId":"bac00002-4a4b-4c5e-9f1a-2b3c4d5e6f70",',
  { value => '"BackupLocation":"x.zip"}', delay_before => 0.8 }],
 "GET /Partitions/6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70/\$/GetBackupProgress?api-version=7.0",
 "POST /Partitions/6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70/\$/Backup?api-version=7.0"]
--- error_code eval
[202, 200, 202, 200, 202]
--- response_body_like eval
['^$',
 '^\{"BackupState":"BackupInProgress","TimeStampUtc":"[0-9T:.-]+Z",',
 '^$',
 '^\{"BackupState":"Success","TimeStampUtc":"2026-12-01T09:00:11Z","BackupId":"bac00002-4a4b-4c5e-9f1a-2b3c4d5e6f70","BackupLocation":"TeamB\\\\\\\\Billing\\\\\\\\6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70\\\\\\\\2026-12-01 09\.00\.11\.zip","EpochOfLastBackupRecord":\{"ConfigurationVersion":"8589934592","DataLossVersion":"131462452931584510"\},"LsnOfLastBackupRecord":"461","FailureError":null\}$',
 '^$']



=== TEST 18: Restore with a BackupId and a BackupLocation (and a BackupStorage): 202, empty
--- pipelined_requests eval
["POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/Restore?RestoreTimeout=10&api-version=6.4\n"
 . '{"BackupId":"bac00002-7fd6-42e9-b1ba-8c05f873994d","BackupLocation":"TeamA\\\\Orders\\\\1daae3f5-7fd6-42e9-b1ba-8c05f873994d\\\\2026-12-01 09.00.11.zip"}',
 "POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/Restore?api-version=6.4\n"
 . '{"BackupId":"bac00002-7fd6-42e9-b1ba-8c05f873994d","BackupLocation":"x.zip","BackupStorage":{"StorageKind":"FileShare","Path":"\\\\\\\\srv\\\\share"}}']
--- error_code eval
[202, 202]
--- response_body eval
['', '']



=== TEST 19: Restore without a BackupId, or with one that is no UUID: 400 E_INVALIDARG
--- pipelined_requests eval
["POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/Restore?api-version=6.4\n"
 . '{"BackupLocation":"x.zip"}',
 "POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/Restore?api-version=6.4\n"
 . '{"BackupId":"latest","BackupLocation":"x.zip"}']
--- error_code eval
[400, 400]
--- response_body_like eval
[('^\{"Error":\{"Code":"E_INVALIDARG","Message":"invalid RestorePartitionDescription"\}\}$') x 2]



=== TEST 20: GetRestoreProgress: a RestoreProgressInfo
--- request
GET /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/GetRestoreProgress?api-version=6.4
--- error_code: 200
--- response_body_like: ^\{"RestoreState":"Success","TimeStampUtc":"2026-12-01T10:12:40Z","RestoredEpoch":\{"ConfigurationVersion":"8589934592","DataLossVersion":"131462452931584510"\},"RestoredLsn":"461","FailureError":null\}$



=== TEST 21: the partition-only calls do not exist on a service or an application: 404 FABRIC_E_NAME_DOES_NOT_EXIST
--- pipelined_requests eval
["POST /Services/TeamA~Orders~Store/\$/Backup?api-version=6.4",
 "POST /Applications/TeamA~Orders/\$/Restore?api-version=6.4",
 "GET /Services/TeamA~Orders~Store/\$/GetBackupProgress?api-version=6.4",
 "GET /Services/TeamA~Orders~Store/\$/GetServiceName?api-version=6.0"]
--- error_code eval
[404, 404, 404, 404]
--- response_body_like eval
['^\{"Error":\{"Code":"FABRIC_E_NAME_DOES_NOT_EXIST","Message":"sf-cluster-sim does not know /Services/TeamA~Orders~Store/\$/Backup"\}\}$',
 '^\{"Error":\{"Code":"FABRIC_E_NAME_DOES_NOT_EXIST",',
 '^\{"Error":\{"Code":"FABRIC_E_NAME_DOES_NOT_EXIST",',
 '^\{"Error":\{"Code":"FABRIC_E_NAME_DOES_NOT_EXIST",']



=== TEST 22: a call with the wrong method: 405 E_INVALIDARG with Allow
--- pipelined_requests eval
["GET /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.4",
 "POST /Services/TeamA~Orders~Store/\$/GetBackups?api-version=6.4",
 "DELETE /BackupRestore/BackupPolicies/DailyAzureBackupPolicy?api-version=6.4"]
--- error_code eval
[405, 405, 405]
--- response_headers_like eval
["Allow: POST", "Allow: GET", "Allow: GET"]
--- response_body_like eval
['^\{"Error":\{"Code":"E_INVALIDARG","Message":"EnableBackup takes POST"\}\}$',
 '^\{"Error":\{"Code":"E_INVALIDARG","Message":"GetBackups takes GET"\}\}$',
 '^\{"Error":\{"Code":"E_INVALIDARG","Message":"this call takes GET"\}\}$']



=== TEST 23: every api-version of the surface is accepted
--- pipelined_requests eval
[map { "GET /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/GetBackupProgress?api-version=$_" }
     qw(6.2-preview 6.4 7.0 7.1 7.2 8.0 8.1 8.2)]
--- error_code eval
[(200) x 8]
--- response_body_like eval
[('^\{"BackupState":"Success",') x 8]



=== TEST 24: an api-version before the surface (6.0), unknown or missing: 400 E_INVALIDARG
--- pipelined_requests eval
["GET /BackupRestore/BackupPolicies?api-version=6.0",
 "GET /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/GetBackups?api-version=9.9",
 "POST /Applications/TeamA~Orders/\$/SuspendBackup"]
--- error_code eval
[400, 400, 400]
--- response_body_like eval
[('^\{"Error":\{"Code":"E_INVALIDARG","Message":"unsupported api-version"\}\}$') x 3]



=== TEST 25: the policy list: a PagedBackupPolicyDescriptionList in the order of the names, each policy with its storage and its secrets
--- request
GET /BackupRestore/BackupPolicies?api-version=6.4
--- error_code: 200
--- response_headers
Content-Type: application/json; charset=utf-8
--- response_body_like eval
# (the names in order, then the secrets)
'^(?=\{"ContinuationToken":"","Items":\[\{"Name":"DailyAzureBackupPolicy",(?:(?!"Name").)*\},'
. '\{"Name":"DailyAzureMIBackupPolicy",(?:(?!"Name").)*\},\{"Name":"FileShare10MinBackupPolicy",(?:(?!"Name").)*\},'
. '\{"Name":"SampleBackupPolicy",(?:(?!"Name").)*\},\{"Name":"SampleDsmsBackupPolicy",(?:(?!"Name").)*\},'
. '\{"Name":"WeeklyBackupPolicy",(?:(?!"Name").)*\}\]\}$)'
. '\{"ContinuationToken":"","Items":\[\{"Name":"DailyAzureBackupPolicy",.*'
. '"Storage":\{"StorageKind":"AzureBlobStore","FriendlyName":"sfsim-azure","ConnectionString":"DefaultEndpointsProtocol=https;AccountName=sfsimfakebackups;AccountKey='
. quotemeta($main::AccountKey) . ';EndpointSuffix=core\.windows\.net","ContainerName":"sf-backups"\}.*'
. '\{"Name":"WeeklyBackupPolicy",.*"PrimaryPassword":"' . quotemeta($main::PrimaryPassword)
. '",.*"SecondaryPassword":"' . quotemeta($main::SecondaryPassword) . '"\}.*\}\]\}$'



=== TEST 26: the Azure policy: a BackupPolicyDescription whose connection string carries an 88-character AccountKey
--- request
GET /BackupRestore/BackupPolicies/DailyAzureBackupPolicy?api-version=6.4
--- error_code: 200
--- response_body_like: ^\{"Name":"DailyAzureBackupPolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":3,"Schedule":\{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Daily","RunTimes":\["0001-01-01T09:00:00Z","0001-01-01T17:00:00Z"\]\},"Storage":\{"StorageKind":"AzureBlobStore","FriendlyName":"sfsim-azure","ConnectionString":"DefaultEndpointsProtocol=https;AccountName=sfsimfakebackups;AccountKey=[A-Za-z0-9+/]{86}==;EndpointSuffix=core\.windows\.net","ContainerName":"sf-backups"\},"RetentionPolicy":\{"RetentionPolicyType":"Basic","RetentionDuration":"P29D","MinimumNumberOfBackups":20\}\}$
--- response_body_unlike
\\u



=== TEST 27: the FileShare policy: a BackupPolicyDescription with both users and passwords
--- request
GET /BackupRestore/BackupPolicies/WeeklyBackupPolicy?api-version=7.2
--- error_code: 200
--- response_body_like eval
'^\{"Name":"WeeklyBackupPolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":6,'
. '"Schedule":\{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Weekly","RunDays":\["Sunday"\],"RunTimes":\["0001-01-01T02:00:00Z"\]\},'
. '"Storage":\{"StorageKind":"FileShare","FriendlyName":"sfsim-share","Path":"\\\\\\\\\\\\\\\\backupserver\.sfsim\.example\\\\\\\\sf-backups",'
. '"PrimaryUserName":"SFSIM\\\\\\\\svc-sfbackup","PrimaryPassword":"' . quotemeta($main::PrimaryPassword) . '",'
. '"SecondaryUserName":"SFSIM\\\\\\\\svc-sfbackup2","SecondaryPassword":"' . quotemeta($main::SecondaryPassword) . '"\},'
. '"RetentionPolicy":\{"RetentionPolicyType":"Basic","RetentionDuration":"P90D","MinimumNumberOfBackups":4\}\}$'



=== TEST 28: the policy list in pages of one, then the rest: each token the last policy's name
--- pipelined_requests eval
["GET /BackupRestore/BackupPolicies?api-version=6.4&MaxResults=1",
 "GET /BackupRestore/BackupPolicies?api-version=6.4&MaxResults=1&ContinuationToken=DailyAzureBackupPolicy",
 "GET /BackupRestore/BackupPolicies?api-version=6.4&MaxResults=4&ContinuationToken=DailyAzureMIBackupPolicy"]
--- error_code eval
[200, 200, 200]
--- response_body_like eval
['^\{"ContinuationToken":"DailyAzureBackupPolicy","Items":\[\{"Name":"DailyAzureBackupPolicy",(?:(?!"Name").)*\}\]\}$',
 '^\{"ContinuationToken":"DailyAzureMIBackupPolicy","Items":\[\{"Name":"DailyAzureMIBackupPolicy",(?:(?!"Name").)*\}\]\}$',
 '^\{"ContinuationToken":"","Items":\[\{"Name":"FileShare10MinBackupPolicy",(?:(?!"Name").)*\},\{"Name":"SampleBackupPolicy",(?:(?!"Name").)*\},\{"Name":"SampleDsmsBackupPolicy",(?:(?!"Name").)*\},\{"Name":"WeeklyBackupPolicy",(?:(?!"Name").)*\}\]\}$']



=== TEST 29: a policy the cluster lacks, read, listed or changed: 404 FABRIC_E_BACKUP_POLICY_NOT_EXISTING
--- pipelined_requests eval
["GET /BackupRestore/BackupPolicies/HourlyBackupPolicy?api-version=6.4",
 "GET /BackupRestore/BackupPolicies/HourlyBackupPolicy/\$/GetBackupEnabledEntities?api-version=6.4",
 "POST /BackupRestore/BackupPolicies/HourlyBackupPolicy/\$/Delete?api-version=6.4",
 "POST /BackupRestore/BackupPolicies/HourlyBackupPolicy/\$/Update?api-version=6.4\n"
 . '{"Name":"HourlyBackupPolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":0,"Schedule":{"ScheduleKind":"FrequencyBased","Interval":"PT1H"},"Storage":{"StorageKind":"FileShare","Path":"\\\\\\\\srv\\\\share"}}']
--- error_code eval
[404, 404, 404, 404]
--- response_body_like eval
[('^\{"Error":\{"Code":"FABRIC_E_BACKUP_POLICY_NOT_EXISTING","Message":"Backup policy does not exist"\}\}$') x 4]



=== TEST 30: GetBackupEnabledEntities: a PagedBackupEntityList (DailyAzureBackupPolicy is both teams')
--- pipelined_requests eval
["GET /BackupRestore/BackupPolicies/DailyAzureBackupPolicy/\$/GetBackupEnabledEntities?api-version=6.4",
 "GET /BackupRestore/BackupPolicies/WeeklyBackupPolicy/\$/GetBackupEnabledEntities?api-version=6.4&MaxResults=5"]
--- error_code eval
[200, 200]
--- response_body eval
['{"ContinuationToken":"","Items":[{"EntityKind":"Service","ServiceName":"fabric:/TeamA/Orders/Store"},{"EntityKind":"Partition","ServiceName":"fabric:/TeamB/Archive/Cold","PartitionId":"7d1f3b20-5c6e-4a8b-9d0c-1e2f3a4b5c6d"}]}',
 '{"ContinuationToken":"","Items":[{"EntityKind":"Application","ApplicationName":"fabric:/TeamB/Billing"}]}']



=== TEST 31: policy Create 201, Update 200, Delete 200, each with an empty body
--- pipelined_requests eval
["POST /BackupRestore/BackupPolicies/\$/Create?api-version=6.4\n"
 . '{"Name":"HourlyBackupPolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":"3","Schedule":{"ScheduleKind":"FrequencyBased","Interval":"PT1H"},"Storage":{"StorageKind":"AzureBlobStore","ConnectionString":"DefaultEndpointsProtocol=https;AccountName=a;AccountKey=eA==","ContainerName":"c"},"RetentionPolicy":{"RetentionPolicyType":"Basic","RetentionDuration":"P7D"}}',
 "POST /BackupRestore/BackupPolicies/WeeklyBackupPolicy/\$/Update?ValidateConnection=false&api-version=7.0\n"
 . '{"Name":"WeeklyBackupPolicy","AutoRestoreOnDataLoss":true,"MaxIncrementalBackups":6,"Schedule":{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Weekly","RunDays":["Monday"],"RunTimes":["0001-01-01T03:00:00Z"]},"Storage":{"StorageKind":"FileShare","Path":"\\\\\\\\srv\\\\share","PrimaryUserName":"u","PrimaryPassword":"p"}}',
 "POST /BackupRestore/BackupPolicies/DailyAzureBackupPolicy/\$/Delete?api-version=6.4"]
--- error_code eval
[201, 200, 200]
--- response_body eval
['', '', '']



=== TEST 32: Create of a policy that exists: 409 FABRIC_E_BACKUP_POLICY_ALREADY_EXISTING; without a storage: 400
--- pipelined_requests eval
["POST /BackupRestore/BackupPolicies/\$/Create?api-version=6.4\n"
 . '{"Name":"DailyAzureBackupPolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":3,"Schedule":{"ScheduleKind":"FrequencyBased","Interval":"PT1H"},"Storage":{"StorageKind":"FileShare","Path":"\\\\\\\\srv\\\\share"}}',
 "POST /BackupRestore/BackupPolicies/\$/Create?api-version=6.4\n"
 . '{"Name":"NoStorage","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":3,"Schedule":{"ScheduleKind":"FrequencyBased","Interval":"PT1H"}}']
--- error_code eval
[409, 400]
--- response_body_like eval
['^\{"Error":\{"Code":"FABRIC_E_BACKUP_POLICY_ALREADY_EXISTING","Message":"Backup policy DailyAzureBackupPolicy already exists"\}\}$',
 '^\{"Error":\{"Code":"E_INVALIDARG","Message":"invalid BackupPolicyDescription"\}\}$']



=== TEST 33: GetBackups by storage (POST /BackupRestore/$/GetBackups): a PagedBackupInfoList of the entity named, in key order
--- pipelined_requests eval
["POST /BackupRestore/\$/GetBackups?api-version=6.4\n"
 . '{"Storage":{"StorageKind":"AzureBlobStore","ConnectionString":"DefaultEndpointsProtocol=https;AccountName=a;AccountKey=eA==","ContainerName":"c"},"BackupEntity":{"EntityKind":"Partition","ServiceName":"fabric:/TeamB/Billing/Ledger","PartitionId":"6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70"},"Latest":true}',
 "POST /BackupRestore/\$/GetBackups?api-version=6.4&MaxResults=2\n"
 . '{"Storage":{"StorageKind":"FileShare","Path":"\\\\\\\\srv\\\\share"},"BackupEntity":{"EntityKind":"Application","ApplicationName":"fabric:/TeamA/Orders"},"StartDateTimeFilter":"2026-11-30T12:00:00Z"}']
--- error_code eval
[200, 200]
--- response_body_like eval
['^\{"ContinuationToken":"","Items":\[\{"BackupId":"bac00002-4a4b-4c5e-9f1a-2b3c4d5e6f70",(?:(?!"BackupId").)*\}\]\}$',
 '^\{"ContinuationToken":"fabric:/TeamA/Orders/Store#00000000-0000-0000-0000-000000000504#bac00002-0000-0000-0000-000000000504","Items":\[\{"BackupId":"bac00001-0000-0000-0000-000000000504",(?:(?!"BackupId").)*\},\{"BackupId":"bac00002-0000-0000-0000-000000000504",(?:(?!"BackupId").)*\}\]\}$']



=== TEST 34: GetBackups by storage without a Storage or a BackupEntity: 400 E_INVALIDARG
--- pipelined_requests eval
["POST /BackupRestore/\$/GetBackups?api-version=6.4\n"
 . '{"BackupEntity":{"EntityKind":"Application","ApplicationName":"fabric:/TeamA/Orders"}}',
 "POST /BackupRestore/\$/GetBackups?api-version=6.4\n"
 . '{"Storage":{"StorageKind":"FileShare","Path":"\\\\\\\\srv\\\\share"},"BackupEntity":{"EntityKind":"Cluster"}}',
 "POST /BackupRestore/\$/GetBackups?api-version=6.4\n{not json"]
--- error_code eval
[400, 400, 400]
--- response_body_like eval
['^\{"Error":\{"Code":"E_INVALIDARG","Message":"invalid GetBackupByStorageQueryDescription"\}\}$',
 '^\{"Error":\{"Code":"E_INVALIDARG","Message":"invalid BackupEntity"\}\}$',
 '^\{"Error":\{"Code":"E_INVALIDARG","Message":"the body is not valid JSON"\}\}$']



=== TEST 35: anything else under /BackupRestore/ is unknown: 404 FABRIC_E_NAME_DOES_NOT_EXIST
--- request
GET /BackupRestore/Passthrough?api-version=6.4
--- error_code: 404
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_NAME_DOES_NOT_EXIST","Message":"sf-cluster-sim does not know /BackupRestore/Passthrough"\}\}$



=== TEST 36: GetServiceName of TeamA's partition (in any letter case): its service's id and name
--- pipelined_requests eval
["GET /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/GetServiceName?api-version=6.0",
 "GET /Partitions/1DAAE3F5-7FD6-42E9-B1BA-8C05F873994D/\$/GetServiceName?api-version=6.0"]
--- error_code eval
[200, 200]
--- response_headers_like eval
[("Content-Type: application/json; charset=utf-8") x 2]
--- response_body eval
[('{"Id":"TeamA~Orders~Store","Name":"fabric:/TeamA/Orders/Store"}') x 2]



=== TEST 37: GetServiceName of TeamB's partition, with a later api-version too
--- pipelined_requests eval
["GET /Partitions/6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70/\$/GetServiceName?api-version=6.0",
 "GET /Partitions/6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70/\$/GetServiceName?api-version=6.2-preview&timeout=60"]
--- error_code eval
[200, 200]
--- response_body eval
[('{"Id":"TeamB~Billing~Ledger","Name":"fabric:/TeamB/Billing/Ledger"}') x 2]



=== TEST 38: GetServiceName of ...0404, of a partition outside the table or of an id that is no UUID: 404 FABRIC_E_PARTITION_NOT_FOUND
--- pipelined_requests eval
[map { "GET /Partitions/$_/\$/GetServiceName?api-version=6.0" }
     qw(00000000-0000-0000-0000-000000000404 0f0e0d0c-0b0a-4908-8706-050403020100 not-a-partition)]
--- error_code eval
[404, 404, 404]
--- response_body_like eval
['^\{"Error":\{"Code":"FABRIC_E_PARTITION_NOT_FOUND","Message":"Partition 00000000-0000-0000-0000-000000000404 not found"\}\}$',
 '^\{"Error":\{"Code":"FABRIC_E_PARTITION_NOT_FOUND","Message":"Partition 0f0e0d0c-0b0a-4908-8706-050403020100 not found"\}\}$',
 '^\{"Error":\{"Code":"FABRIC_E_PARTITION_NOT_FOUND","Message":"Partition not-a-partition not found"\}\}$']



=== TEST 39: GetServiceName with an api-version before 6.0 or none: 400 E_INVALIDARG
--- pipelined_requests eval
["GET /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/GetServiceName?api-version=5.0",
 "GET /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/GetServiceName"]
--- error_code eval
[400, 400]
--- response_body_like eval
[('^\{"Error":\{"Code":"E_INVALIDARG","Message":"unsupported api-version"\}\}$') x 2]



=== TEST 40: ...0404 on every partition call: 404 FABRIC_E_PARTITION_NOT_FOUND
--- pipelined_requests eval
["POST /Partitions/00000000-0000-0000-0000-000000000404/\$/EnableBackup?api-version=6.4\n{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
 "POST /Partitions/00000000-0000-0000-0000-000000000404/\$/Backup?api-version=6.4",
 "POST /Partitions/00000000-0000-0000-0000-000000000404/\$/SuspendBackup?api-version=6.4",
 "GET /Partitions/00000000-0000-0000-0000-000000000404/\$/GetBackups?api-version=6.4",
 "GET /Partitions/00000000-0000-0000-0000-000000000404/\$/GetBackupProgress?api-version=6.4",
 "POST /Partitions/00000000-0000-0000-0000-000000000404/\$/Restore?api-version=6.4\n{\"BackupId\":\"bac00002-7fd6-42e9-b1ba-8c05f873994d\",\"BackupLocation\":\"x.zip\"}"]
--- error_code eval
[(404) x 6]
--- response_body_like eval
[('^\{"Error":\{"Code":"FABRIC_E_PARTITION_NOT_FOUND","Message":"Partition 00000000-0000-0000-0000-000000000404 not found"\}\}$') x 6]



=== TEST 41: ...0500 on every call, the lookup included: 500 with an HTML page
--- pipelined_requests eval
["GET /Partitions/00000000-0000-0000-0000-000000000500/\$/GetServiceName?api-version=6.0",
 "GET /Partitions/00000000-0000-0000-0000-000000000500/\$/GetBackups?api-version=6.4",
 "POST /Partitions/00000000-0000-0000-0000-000000000500/\$/Backup?api-version=6.4",
 "POST /Partitions/00000000-0000-0000-0000-000000000500/\$/DisableBackup?api-version=7.0\n{\"CleanBackup\":true}"]
--- error_code eval
[(500) x 4]
--- response_headers_like eval
[("Content-Type: text/html") x 4]
--- response_body eval
[("<html><body><h1>500 Internal Server Error</h1></body></html>\n") x 4]



=== TEST 42: ...0502 closes the connection without an answer on the lookup
--- request
GET /Partitions/00000000-0000-0000-0000-000000000502/$/GetServiceName?api-version=6.0
--- error_code: 502
--- error_log
upstream prematurely closed connection while reading response header from upstream



=== TEST 43: ...0502 closes the connection on GetBackups and on Restore too
--- pipelined_requests eval
["GET /Partitions/00000000-0000-0000-0000-000000000502/\$/GetBackups?api-version=6.4",
 "POST /Partitions/00000000-0000-0000-0000-000000000502/\$/Restore?api-version=6.4\n{\"BackupId\":\"bac00002-7fd6-42e9-b1ba-8c05f873994d\",\"BackupLocation\":\"x.zip\"}"]
--- error_code eval
[502, 502]



=== TEST 44: ...0503 on every call, the lookup included: 503 in plain text
--- pipelined_requests eval
["GET /Partitions/00000000-0000-0000-0000-000000000503/\$/GetServiceName?api-version=6.0",
 "GET /Partitions/00000000-0000-0000-0000-000000000503/\$/GetBackupConfigurationInfo?api-version=6.4",
 "POST /Partitions/00000000-0000-0000-0000-000000000503/\$/EnableBackup?api-version=6.4\n{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}"]
--- error_code eval
[503, 503, 503]
--- response_headers_like eval
[("Content-Type: text/plain") x 3]
--- response_body eval
[("Service Unavailable: no healthy gateway node\n") x 3]



=== TEST 45: ...0504 on the lookup: no answer before the proxy stops waiting (504)
--- request
GET /Partitions/00000000-0000-0000-0000-000000000504/$/GetServiceName?api-version=6.0
--- error_code: 504
--- error_log
sf-sim received: GET /Partitions/00000000-0000-0000-0000-000000000504/$/GetServiceName?api-version=6.0 content-length=0 body=
upstream timed out
--- wait: 0.4



=== TEST 46: ...0504 answers correctly, only late: TeamA's partition, and 202 for a Backup
--- config
location / {
    proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    proxy_read_timeout 3s;
}
--- pipelined_requests eval
["GET /Partitions/00000000-0000-0000-0000-000000000504/\$/GetServiceName?api-version=6.0",
 "POST /Partitions/00000000-0000-0000-0000-000000000504/\$/Backup?api-version=6.4"]
--- error_code eval
[200, 202]
--- response_body eval
['{"Id":"TeamA~Orders~Store","Name":"fabric:/TeamA/Orders/Store"}', '']
--- timeout: 6



=== TEST 47: ...0505 answers 200 with JSON cut short, on the lookup and on every other call
--- pipelined_requests eval
["GET /Partitions/00000000-0000-0000-0000-000000000505/\$/GetServiceName?api-version=6.0",
 "GET /Partitions/00000000-0000-0000-0000-000000000505/\$/GetBackups?api-version=6.4",
 "POST /Partitions/00000000-0000-0000-0000-000000000505/\$/EnableBackup?api-version=6.4\n{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}"]
--- error_code eval
[200, 200, 200]
--- response_headers_like eval
[("Content-Type: application/json; charset=utf-8") x 3]
--- response_body eval
[('{"Id":') x 3]



=== TEST 48: the misbehaving partitions in upper case misbehave too
--- pipelined_requests eval
["GET /PARTITIONS/00000000-0000-0000-0000-000000000500/\$/GetServiceName?api-version=6.0",
 "GET /partitions/00000000-0000-0000-0000-000000000505/\$/GetServiceName?api-version=6.0"]
--- error_code eval
[500, 200]
--- response_body eval
["<html><body><h1>500 Internal Server Error</h1></body></html>\n", '{"Id":']



=== TEST 49: a path the cluster does not know, or a call in another letter case: 404 FABRIC_E_NAME_DOES_NOT_EXIST
--- pipelined_requests eval
["GET /\$/GetClusterHealth?api-version=6.0",
 "GET /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/getbackups?api-version=6.4"]
--- error_code eval
[404, 404]
--- response_body_like eval
['^\{"Error":\{"Code":"FABRIC_E_NAME_DOES_NOT_EXIST","Message":"sf-cluster-sim does not know /\$/GetClusterHealth"\}\}$',
 '^\{"Error":\{"Code":"FABRIC_E_NAME_DOES_NOT_EXIST",']



=== TEST 50: GetClusterVersion answers, with or without an api-version
--- request
GET /$/GetClusterVersion
--- error_code: 200
--- response_body: {"Version":"8.0.514.9590"}
--- error_log
sf-sim received: GET /$/GetClusterVersion content-length=0 body=



=== TEST 51: every request is logged with its method, URI, length and body
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/DisableBackup?api-version=7.0
{"CleanBackup":true}
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/DisableBackup?api-version=7.0 content-length=20 body={"CleanBackup":true}
--- no_error_log
[error]



=== TEST 52: a misbehaving partition's request is logged too
--- request
POST /Partitions/00000000-0000-0000-0000-000000000500/$/DisableBackup?api-version=7.0
{"CleanBackup":true}
--- error_code: 500
--- error_log
sf-sim received: POST /Partitions/00000000-0000-0000-0000-000000000500/$/DisableBackup?api-version=7.0 content-length=20 body={"CleanBackup":true}



=== TEST 53: a body that is not JSON: 400 E_INVALIDARG
--- request
POST /Services/TeamA~Orders~Store/$/EnableBackup?api-version=6.4
{"BackupPolicyName":
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"the body is not valid JSON"\}\}$



=== TEST 54: a policy name that decodes to a lone percent sign: 404, and no script error
--- request
GET /BackupRestore/BackupPolicies/100%25?api-version=6.4
--- error_code: 404
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_BACKUP_POLICY_NOT_EXISTING","Message":"Backup policy does not exist"\}\}$
--- no_error_log
[error]



=== TEST 55: the policy list paged as the specification's examples page it: MaxResults, then ContinuationToken=FileShare10MinBackupPolicy
--- pipelined_requests eval
["GET /BackupRestore/BackupPolicies?api-version=6.4&MaxResults=2",
 "GET /BackupRestore/BackupPolicies?api-version=6.4&MaxResults=3&ContinuationToken=FileShare10MinBackupPolicy"]
--- error_code eval
[200, 200]
--- response_body_like eval
['^\{"ContinuationToken":"DailyAzureMIBackupPolicy","Items":\[\{"Name":"DailyAzureBackupPolicy",(?:(?!"Name").)*\},\{"Name":"DailyAzureMIBackupPolicy",(?:(?!"Name").)*"Storage":\{"StorageKind":"ManagedIdentityAzureBlobStore","FriendlyName":"sfsim-azure-mi","BlobServiceUri":"https://sfsimfakebackups\.blob\.core\.windows\.net/","ContainerName":"sf-backups-mi","ManagedIdentityType":"Cluster"\}(?:(?!"Name").)*\}\]\}$',
 '^\{"ContinuationToken":"","Items":\[\{"Name":"SampleBackupPolicy",(?:(?!"Name").)*"FriendlyName":"",(?:(?!"Name").)*\},\{"Name":"SampleDsmsBackupPolicy",(?:(?!"Name").)*"Storage":\{"StorageKind":"DsmsAzureBlobStore","FriendlyName":"sfsim-dsms","StorageCredentialsSourceLocation":"https://sfsim\.dsms\.sfsim\.example/[^"]*","ContainerName":"sf-backups-dsms"\}(?:(?!"Name").)*\},\{"Name":"WeeklyBackupPolicy",(?:(?!"Name").)*\}\]\}$']



=== TEST 56: a token that is no policy's name starts after it (ordinal order); MaxResults up to 2^63-1, 0 for all, past it 400
--- pipelined_requests eval
["GET /BackupRestore/BackupPolicies?api-version=6.4&ContinuationToken=Probe%20Policy",
 "GET /BackupRestore/BackupPolicies?api-version=6.4&ContinuationToken=dailyazurebackuppolicy",
 "GET /BackupRestore/BackupPolicies?api-version=6.4&MaxResults=9223372036854775807",
 "GET /BackupRestore/BackupPolicies?api-version=6.4&MaxResults=0&ContinuationToken=",
 "GET /BackupRestore/BackupPolicies?api-version=6.4&MaxResults=9223372036854775808",
 "GET /BackupRestore/BackupPolicies?api-version=6.4&MaxResults=%2B1"]
--- error_code eval
[200, 200, 200, 200, 400, 400]
--- response_body_like eval
['^\{"ContinuationToken":"","Items":\[\{"Name":"SampleBackupPolicy",(?:(?!"Name").)*\},\{"Name":"SampleDsmsBackupPolicy",(?:(?!"Name").)*\},\{"Name":"WeeklyBackupPolicy",(?:(?!"Name").)*\}\]\}$',
 '^\{"ContinuationToken":"","Items":\[\]\}$',
 '^\{"ContinuationToken":"","Items":\[(?:\{"Name":"[A-Za-z0-9]+",(?:(?!"Name").)*\},?){6}\]\}$',
 '^\{"ContinuationToken":"","Items":\[(?:\{"Name":"[A-Za-z0-9]+",(?:(?!"Name").)*\},?){6}\]\}$',
 '^\{"Error":\{"Code":"E_INVALIDARG","Message":"MaxResults must be a non-negative integer"\}\}$',
 '^\{"Error":\{"Code":"E_INVALIDARG","Message":"MaxResults must be a non-negative integer"\}\}$']



=== TEST 57: a partition's GetBackups paged (the 6.4 and 8.2 examples page it): the token is "<ServiceName>#<PartitionId>#<BackupId>"
--- pipelined_requests eval
["GET /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/GetBackups?api-version=6.4&MaxResults=2",
 "GET /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/GetBackups?api-version=6.4&MaxResults=2&ContinuationToken=fabric%3A%2FTeamA%2FOrders%2FStore%231daae3f5-7fd6-42e9-b1ba-8c05f873994d%23bac00001-7fd6-42e9-b1ba-8c05f873994d"]
--- error_code eval
[200, 200]
--- response_body_like eval
['^\{"ContinuationToken":"fabric:/TeamA/Orders/Store#1daae3f5-7fd6-42e9-b1ba-8c05f873994d#bac00001-7fd6-42e9-b1ba-8c05f873994d","Items":\[\{"BackupId":"bac00000-7fd6-42e9-b1ba-8c05f873994d",(?:(?!"BackupId").)*\},\{"BackupId":"bac00001-7fd6-42e9-b1ba-8c05f873994d",(?:(?!"BackupId").)*\}\]\}$',
 '^\{"ContinuationToken":"","Items":\[\{"BackupId":"bac00002-7fd6-42e9-b1ba-8c05f873994d",(?:(?!"BackupId").)*\}\]\}$']



=== TEST 58: GetBackupEnabledEntities paged: the token is the entity's name (a partition's "<ServiceName>/<PartitionId>")
--- pipelined_requests eval
["GET /BackupRestore/BackupPolicies/DailyAzureBackupPolicy/\$/GetBackupEnabledEntities?api-version=6.4&MaxResults=1",
 "GET /BackupRestore/BackupPolicies/DailyAzureBackupPolicy/\$/GetBackupEnabledEntities?api-version=6.4&MaxResults=1&ContinuationToken=fabric%3A%2FTeamA%2FOrders%2FStore",
 "GET /BackupRestore/BackupPolicies/DailyAzureBackupPolicy/\$/GetBackupEnabledEntities?api-version=6.4&ContinuationToken=fabric%3A%2FTeamB%2FArchive%2FCold%2F7d1f3b20-5c6e-4a8b-9d0c-1e2f3a4b5c6d"]
--- error_code eval
[200, 200, 200]
--- response_body eval
['{"ContinuationToken":"fabric:/TeamA/Orders/Store","Items":[{"EntityKind":"Service","ServiceName":"fabric:/TeamA/Orders/Store"}]}',
 '{"ContinuationToken":"","Items":[{"EntityKind":"Partition","ServiceName":"fabric:/TeamB/Archive/Cold","PartitionId":"7d1f3b20-5c6e-4a8b-9d0c-1e2f3a4b5c6d"}]}',
 '{"ContinuationToken":"","Items":[]}']



=== TEST 59: GetBackupConfigurationInfo of an application paged by the entity's name: its partition's ("<ServiceName>/<PartitionId>") after its service's name
--- pipelined_requests eval
["GET /Applications/TeamB~Archive/\$/GetBackupConfigurationInfo?api-version=6.4&MaxResults=1",
 "GET /Applications/TeamB~Archive/\$/GetBackupConfigurationInfo?api-version=6.4&MaxResults=1&ContinuationToken=fabric%3A%2FTeamB%2FArchive%2FCold",
 "GET /Applications/TeamB~Archive/\$/GetBackupConfigurationInfo?api-version=6.4&ContinuationToken=fabric%3A%2FTeamB%2FArchive%2FCold%2F7d1f3b20-5c6e-4a8b-9d0c-1e2f3a4b5c6d"]
--- error_code eval
[200, 200, 200]
--- response_body eval
['{"ContinuationToken":"","Items":[{"Kind":"Partition","PolicyName":"DailyAzureBackupPolicy","PolicyInheritedFrom":"Partition","ServiceName":"fabric:/TeamB/Archive/Cold","PartitionId":"7d1f3b20-5c6e-4a8b-9d0c-1e2f3a4b5c6d","SuspensionInfo":{"IsSuspended":false,"SuspensionInheritedFrom":"Invalid"}}]}',
 '{"ContinuationToken":"","Items":[{"Kind":"Partition","PolicyName":"DailyAzureBackupPolicy","PolicyInheritedFrom":"Partition","ServiceName":"fabric:/TeamB/Archive/Cold","PartitionId":"7d1f3b20-5c6e-4a8b-9d0c-1e2f3a4b5c6d","SuspensionInfo":{"IsSuspended":false,"SuspensionInheritedFrom":"Invalid"}}]}',
 '{"ContinuationToken":"","Items":[]}']



=== TEST 60: Backup with {} (BackupPartitionDescription has no required member), and to a storage of each kind: 202
--- pipelined_requests eval
["POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/\$/Backup?api-version=6.4\n{}",
 "POST /Partitions/0f0e0d0c-0b0a-4908-8706-050403020101/\$/Backup?api-version=6.4\n"
 . '{"BackupStorage":{"StorageKind":"ManagedIdentityAzureBlobStore","BlobServiceUri":"https://sfsimfakebackups.blob.core.windows.net/","ContainerName":"sf-backups","ManagedIdentityType":"VMSS"}}',
 "POST /Partitions/0f0e0d0c-0b0a-4908-8706-050403020102/\$/Backup?api-version=6.4\n"
 . '{"BackupStorage":{"StorageKind":"DsmsAzureBlobStore","StorageCredentialsSourceLocation":"https://sfsim.dsms.sfsim.example/dsms/sfsim","ContainerName":"sf-backups"}}',
 "POST /Partitions/0f0e0d0c-0b0a-4908-8706-050403020103/\$/Backup?api-version=6.4\n"
 . '{"BackupStorage":{"StorageKind":"ManagedIdentityAzureBlobStore","BlobServiceUri":"https://sfsimfakebackups.blob.core.windows.net/","ContainerName":"sf-backups","ManagedIdentityType":"User"}}',
 "POST /Partitions/0f0e0d0c-0b0a-4908-8706-050403020104/\$/Backup?api-version=6.4\n"
 . '{"BackupStorage":{"StorageKind":"AzureBlobStore","ConnectionString":"DefaultEndpointsProtocol=https;AccountName=a;AccountKey=eA=="}}',
 "POST /Partitions/0f0e0d0c-0b0a-4908-8706-050403020105/\$/Backup?api-version=6.4\n[]"]
--- error_code eval
[202, 202, 202, 400, 400, 400]
--- response_body_like eval
['^$', '^$', '^$',
 ('^\{"Error":\{"Code":"E_INVALIDARG","Message":"invalid BackupPartitionDescription"\}\}$') x 3]



=== TEST 61: Restore without a body and Latest=true (9.1, any case): 202; no body without it, or a body with it: 400
--- pipelined_requests eval
["POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/Restore?api-version=6.4&Latest=true",
 "POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/Restore?api-version=6.4&Latest=TRUE&RestoreTimeout=20",
 "POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/Restore?api-version=6.4",
 "POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/Restore?api-version=6.4&Latest=false",
 "POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/Restore?api-version=6.4&Latest=true\n"
 . '{"BackupId":"bac00002-7fd6-42e9-b1ba-8c05f873994d","BackupLocation":"x.zip"}',
 "POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/Restore?api-version=6.4&Latest=1"]
--- error_code eval
[202, 202, 400, 400, 400, 400]
--- response_body_like eval
['^$', '^$',
 '^\{"Error":\{"Code":"E_INVALIDARG","Message":"invalid RestorePartitionDescription"\}\}$',
 '^\{"Error":\{"Code":"E_INVALIDARG","Message":"invalid RestorePartitionDescription"\}\}$',
 '^\{"Error":\{"Code":"E_INVALIDARG","Message":"Latest=true restores the latest backup: no RestorePartitionDescription with it"\}\}$',
 '^\{"Error":\{"Code":"E_INVALIDARG","Message":"Latest must be true or false"\}\}$']



=== TEST 62: Create and Update take ValidateConnection (8.0), true or false in any case; another value: 400
--- pipelined_requests eval
["POST /BackupRestore/BackupPolicies/\$/Create?api-version=6.4&ValidateConnection=true\n"
 . '{"Name":"MiNightlyPolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":2,"Schedule":{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Daily","RunTimes":["1:30:00"]},"Storage":{"StorageKind":"ManagedIdentityAzureBlobStore","BlobServiceUri":"https://sfsimfakebackups.blob.core.windows.net/","ContainerName":"sf-backups","ManagedIdentityType":"Cluster"}}',
 "POST /BackupRestore/BackupPolicies/\$/Create?api-version=6.4&ValidateConnection=FALSE\n"
 . '{"Name":"DsmsNightlyPolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":2,"Schedule":{"ScheduleKind":"FrequencyBased","Interval":"PT6H"},"Storage":{"StorageKind":"DsmsAzureBlobStore","StorageCredentialsSourceLocation":"https://sfsim.dsms.sfsim.example/dsms/sfsim","ContainerName":"sf-backups"}}',
 "POST /BackupRestore/BackupPolicies/SampleDsmsBackupPolicy/\$/Update?api-version=6.4&ValidateConnection=true\n"
 . '{"Name":"SampleDsmsBackupPolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":2,"Schedule":{"ScheduleKind":"FrequencyBased","Interval":"PT6H"},"Storage":{"StorageKind":"DsmsAzureBlobStore","StorageCredentialsSourceLocation":"https://sfsim.dsms.sfsim.example/dsms/sfsim","ContainerName":"sf-backups"}}',
 "POST /BackupRestore/BackupPolicies/\$/Create?api-version=6.4&ValidateConnection=1\n"
 . '{"Name":"DsmsNightlyPolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":2,"Schedule":{"ScheduleKind":"FrequencyBased","Interval":"PT6H"},"Storage":{"StorageKind":"DsmsAzureBlobStore","StorageCredentialsSourceLocation":"https://sfsim.dsms.sfsim.example/dsms/sfsim","ContainerName":"sf-backups"}}']
--- error_code eval
[201, 201, 200, 400]
--- response_body_like eval
['^$', '^$', '^$',
 '^\{"Error":\{"Code":"E_INVALIDARG","Message":"ValidateConnection must be true or false"\}\}$']



=== TEST 63: GetBackups by storage with a BackupEntity of its EntityKind alone: every backup in the storage (of every partition), paged by key
--- pipelined_requests eval
["POST /BackupRestore/\$/GetBackups?api-version=6.4\n"
 . '{"Storage":{"StorageKind":"FileShare","Path":"\\\\\\\\srv\\\\share"},"BackupEntity":{"EntityKind":"Application"},"Latest":true}',
 "POST /BackupRestore/\$/GetBackups?api-version=6.4&MaxResults=2\n"
 . '{"Storage":{"StorageKind":"FileShare","Path":"\\\\\\\\srv\\\\share"},"BackupEntity":{"EntityKind":"Partition"}}',
 "POST /BackupRestore/\$/GetBackups?api-version=6.4\n"
 . '{"Storage":{"StorageKind":"FileShare","Path":"\\\\\\\\srv\\\\share"},"BackupEntity":{"EntityKind":"Service"}}',
 "POST /BackupRestore/\$/GetBackups?api-version=6.4\n"
 . '{"Storage":{"StorageKind":"FileShare","Path":"\\\\\\\\srv\\\\share"},"BackupEntity":{"EntityKind":"Service","ServiceName":7}}']
--- error_code eval
[200, 200, 200, 400]
--- response_body_like eval
['^\{"ContinuationToken":"","Items":\[\{"BackupId":"bac00002-0000-0000-0000-000000000504",(?:(?!"BackupId").)*\},\{"BackupId":"bac00002-7fd6-(?:(?!"BackupId").)*\},\{"BackupId":"bac00002-9b1d-(?:(?!"BackupId").)*\},\{"BackupId":"bac00002-5c6e-(?:(?!"BackupId").)*\},\{"BackupId":"bac00002-4a4b-(?:(?!"BackupId").)*\}\]\}$',
 '^\{"ContinuationToken":"fabric:/TeamA/Orders/Store#00000000-0000-0000-0000-000000000504#bac00001-0000-0000-0000-000000000504","Items":\[\{"BackupId":"bac00000-0000-0000-0000-000000000504",(?:(?!"BackupId").)*\},\{"BackupId":"bac00001-0000-0000-0000-000000000504",(?:(?!"BackupId").)*\}\]\}$',
 '^\{"ContinuationToken":"","Items":\[(?:\{"BackupId":"bac0000[0-2]-(?:(?!"BackupId").)*\},?){15}\]\}$',
 '^\{"Error":\{"Code":"E_INVALIDARG","Message":"invalid BackupEntity"\}\}$']
