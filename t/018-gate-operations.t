# The rest of the backup and restore surface through the gate: each call is
# governed by its operation (sf_backup_operations, default enable read), the
# dangerous forms need clean or storage besides, a call not granted is
# refused before its body with 403 operation_not_allowed and never reaches
# the cluster, and what the cluster receives is exactly the canonical call
# (the cluster double logs each request: "sf-sim received: METHOD URI
# content-length=N body=...").  A storage secret sent by a caller never
# reaches an answer, the error log or the audit log.
use Test::Nginx::Socket 'no_plan';
use Cwd qw(abs_path);
use File::Basename qw(dirname);

$ENV{TEST_NGINX_CONF_DIR} ||= abs_path(dirname(__FILE__) . '/../conf');
$ENV{TEST_NGINX_SIM_PORT} ||= 1985;

our $Key = 'c2VjcmV0LWtleS1vZi10aGUtY2FsbGVyLW5ldmVyLXRvLWJlLWxvZ2dlZC0wMDAwMDAwMDAwMDAwMDA=';
our $Blob = '{"StorageKind":"AzureBlobStore","ConnectionString":'
            . '"DefaultEndpointsProtocol=https;AccountName=evil;AccountKey='
            . $Key . ';EndpointSuffix=core.windows.net","ContainerName":"loot"}';
our $P = '/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$';
our $Q = 'api-version=6.2-preview';

my $http = <<'_EOC_';
    js_path "$TEST_NGINX_CONF_DIR/sim";
    js_import sfsim from sf_cluster_sim.js;
    sf_backup_metrics_zone sfb_metrics 128k;

    server {
        listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
        set $sf_sim_state_dir $TEST_NGINX_SERVER_ROOT/logs;
        include $TEST_NGINX_CONF_DIR/sim/sf_cluster_sim.locations;
    }

    map $http_x_team $team_operations {
        team-a   "enable read suspend resume";
        team-b   "enable,disable,clean";
        default  "";
    }
_EOC_

# a block brings the gate's operations line (or none: the default)
add_block_preprocessor(sub {
    my $block = shift;
    my $ops = $block->operations // '';

    $block->set_value('http_config', $http) unless defined $block->http_config;

    $block->set_value('config', <<"_EOC_") unless defined $block->config;
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_policies_owned WeeklyBackupPolicy Nightly;
        sf_backup_storages https://evil.blob.core.windows.net/loot;
        sf_backup_audit_log logs/audit.log;
        $ops
        add_header X-Operation \$sf_backup_operation always;
        proxy_pass http://127.0.0.1:\$TEST_NGINX_SIM_PORT;
    }
    location = /audit {
        alias logs/audit.log;
    }
    location = /metrics {
        sf_backup_metrics;
    }
_EOC_

    $block->set_value('more_headers',
                      'Content-Type: application/json; charset=utf-8')
        unless defined $block->more_headers;
});

no_shuffle();
no_root_location();
log_level('warn');
run_tests();

__DATA__

=== TEST 1: SuspendBackup is refused by default, before its body, naming the operation
--- request eval
"POST $main::P/SuspendBackup?$main::Q\nnot even JSON"
--- error_code: 403
--- response_headers
X-Operation: suspend
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Operation 'suspend' \(SuspendBackup\) is not allowed for this caller\. \(request id [0-9a-f]{32}\)"\}\}$
--- no_error_log
sf-sim received



=== TEST 2: SuspendBackup granted: forwarded canonical, with no body
--- operations: sf_backup_operations enable suspend;
--- request eval
"POST /partitions/1DAAE3F5-7FD6-42E9-B1BA-8C05F873994D//\$/./SuspendBackup?timeout=30&$main::Q\n"
--- error_code: 202
--- response_headers
X-Operation: suspend
--- error_log eval
"sf-sim received: POST $main::P/SuspendBackup?$main::Q&timeout=30 content-length=0 body="



=== TEST 3: ResumeBackup granted, on a service: forwarded
--- operations: sf_backup_operations resume;
--- request eval
"POST /Services/TeamA~Orders~Store/\$/ResumeBackup?$main::Q\n"
--- error_code: 202
--- error_log eval
"sf-sim received: POST /Services/TeamA~Orders~Store/\$/ResumeBackup?$main::Q content-length=0 body="



=== TEST 4: a call that takes no body refuses one, even when granted
--- operations: sf_backup_operations resume;
--- request eval
"POST /Applications/TeamA~Orders/\$/ResumeBackup?$main::Q\n{}"
--- error_code: 400
--- response_body_like: "Message":"ResumeBackup takes no request body\.
--- no_error_log
sf-sim received



=== TEST 5: DisableBackup with CleanBackup true needs clean besides disable
--- operations: sf_backup_operations disable;
--- request eval
"POST $main::P/DisableBackup?$main::Q\n{\"CleanBackup\":true}"
--- error_code: 403
--- response_headers
X-Operation: clean
--- response_body_like: "Message":"Operation 'clean' \(DisableBackup\) is not allowed for this caller\.
--- no_error_log
sf-sim received



=== TEST 6: DisableBackup with clean granted: the body re-serialised
--- operations: sf_backup_operations disable clean;
--- request eval
"POST $main::P/DisableBackup?$main::Q\n{ \"CleanBackup\" :\n true }"
--- error_code: 202
--- response_headers
X-Operation: disable
--- error_log eval
"sf-sim received: POST $main::P/DisableBackup?$main::Q content-length=20 body={\"CleanBackup\":true}"



=== TEST 7: DisableBackup without a body, as 6.2 clients send it
--- operations: sf_backup_operations disable;
--- request eval
"POST $main::P/DisableBackup?$main::Q\n"
--- error_code: 202
--- error_log eval
"sf-sim received: POST $main::P/DisableBackup?$main::Q content-length=0 body="



=== TEST 8: Backup to the policy's storage, BackupTimeout forwarded in its place
--- operations: sf_backup_operations backup;
--- request eval
"POST $main::P/Backup?BackupTimeout=15&$main::Q\n"
--- error_code: 202
--- response_headers
X-Operation: backup
--- error_log eval
"sf-sim received: POST $main::P/Backup?$main::Q&BackupTimeout=15 content-length=0 body="



=== TEST 9: Backup to a storage the caller names needs storage: refused, the secret nowhere
--- operations: sf_backup_operations backup;
--- request eval
["POST $main::P/Backup?$main::Q\n{\"BackupStorage\":$main::Blob}", "GET /audit"]
--- more_headers eval
["Content-Type: application/json", ""]
--- error_code eval
[403, 200]
--- response_body_unlike eval
[qr/\Q$main::Key\E|AccountKey/, qr/\Q$main::Key\E|AccountKey/]
--- response_body_like eval
[qr/"Message":"Operation 'storage' \(Backup\) is not allowed for this caller\./,
qr/"reason":"operation_not_allowed"/]
--- no_error_log eval
["sf-sim received", $main::Key]



=== TEST 10: Backup to a named storage with storage granted: forwarded canonical
--- operations: sf_backup_operations backup storage;
--- request eval
"POST $main::P/Backup?$main::Q\n{\"BackupStorage\": $main::Blob}"
--- error_code: 202
--- error_log eval
"sf-sim received: POST $main::P/Backup?$main::Q content-length=" . (length($main::Blob) + 18) . " body={\"BackupStorage\":$main::Blob}"



=== TEST 11: a cut body with a secret in it: the JSON error quotes none of it
--- operations: sf_backup_operations backup storage;
--- request eval
["POST $main::P/Backup?$main::Q\n{\"BackupStorage\":{\"StorageKind\":\"AzureBlobStore\",\"ConnectionString\":\"AccountKey=$main::Key", "GET /audit"]
--- more_headers eval
["Content-Type: application/json", ""]
--- error_code eval
[400, 200]
--- response_body_unlike eval
[qr/\Q$main::Key\E|AccountKey/, qr/\Q$main::Key\E|AccountKey/]
--- response_body_like eval
[qr/"Message":"Invalid JSON body: premature end of input/,
qr/"reason":"body_invalid_json"/]
--- no_error_log eval
["sf-sim received", $main::Key]



=== TEST 12: Restore granted: BackupId in lowercase, members in schema order
--- operations: sf_backup_operations restore;
--- request eval
"POST $main::P/Restore?RestoreTimeout=20&$main::Q\n{\"BackupLocation\":\"TeamA\\\\Orders\\\\1daae3f5-7fd6-42e9-b1ba-8c05f873994d\\\\b.zip\",\"BackupId\":\"6C3D0A10-4A4B-4C5E-9F1A-2B3C4D5E6F70\"}"
--- error_code: 202
--- error_log eval
"sf-sim received: POST $main::P/Restore?$main::Q&RestoreTimeout=20 content-length=129 body={\"BackupId\":\"6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70\",\"BackupLocation\":\"TeamA\\\\Orders\\\\1daae3f5-7fd6-42e9-b1ba-8c05f873994d\\\\b.zip\"}"



=== TEST 13: Restore is refused by default, before its body
--- request eval
"POST $main::P/Restore?$main::Q\n{\"BackupId\":\"x\"}"
--- error_code: 403
--- response_body_like: "Message":"Operation 'restore' \(Restore\) is not allowed
--- no_error_log
sf-sim received



=== TEST 14: GetBackups is read, granted by default: filters forwarded in a fixed order
--- request eval
"GET $main::P/GetBackups?Latest=True&$main::Q&StartDateTimeFilter=2026-01-01T00:00:00Z"
--- more_headers
--- error_code: 200
--- response_headers
X-Operation: read
--- response_body_like: ^\{"ContinuationToken":
--- error_log eval
"sf-sim received: GET $main::P/GetBackups?$main::Q&Latest=true&StartDateTimeFilter=2026-01-01T00%3A00%3A00Z content-length=0 body="



=== TEST 15: GetBackupProgress and GetRestoreProgress are read
--- request eval
["GET $main::P/GetBackupProgress?$main::Q", "GET $main::P/GetRestoreProgress?$main::Q"]
--- error_code eval
[200, 200]
--- response_body_like eval
[qr/"BackupState"/, qr/"RestoreState"/]



=== TEST 16: read refused where only enable is granted
--- operations: sf_backup_operations enable;
--- request eval
"GET $main::P/GetBackupConfigurationInfo?$main::Q"
--- error_code: 403
--- response_body_like: "Message":"Operation 'read' \(GetBackupConfigurationInfo\) is not allowed
--- no_error_log
sf-sim received



=== TEST 17: GET on Backup is 405 with Allow: POST; POST on GetBackups is 405 with Allow: GET
--- request eval
["GET $main::P/Backup?$main::Q", "POST $main::P/GetBackups?$main::Q\n"]
--- error_code eval
[405, 405]
--- response_headers eval
["Allow: POST", "Allow: GET"]
--- no_error_log
sf-sim received



=== TEST 18: a query parameter of another call, or one given twice, is refused
--- operations: sf_backup_operations backup restore;
--- request eval
["POST $main::P/Backup?$main::Q&RestoreTimeout=5\n", "POST $main::P/Backup?$main::Q&BackupTimeout=5&BackupTimeout=5\n", "POST $main::P/Backup?$main::Q&BackupTimeout=0\n"]
--- error_code eval
[400, 400, 400]
--- response_body_like eval
[qr/"Message":"Query parameter 'RestoreTimeout' is not allowed on Backup\./,
qr/"Message":"Query parameter 'BackupTimeout' must be given at most once\./,
qr/"Message":"Query parameter 'BackupTimeout' has an invalid value/]
--- no_error_log
sf-sim received



=== TEST 19: Backup on a service is not a call: refused, not passed on
--- operations: sf_backup_operations backup;
--- request eval
"POST /Services/TeamA~Orders~Store/\$/Backup?$main::Q\n"
--- error_code: 400
--- response_body_like: "Message":"The path is not a valid Backup path; use /Partitions/\{id\}/\$/Backup\.
--- no_error_log
sf-sim received



=== TEST 20: operations from a map on the caller: team-a may suspend, team-b may not
--- operations: sf_backup_operations $team_operations;
--- request eval
["POST $main::P/SuspendBackup?$main::Q\n", "POST $main::P/SuspendBackup?$main::Q\n", "POST $main::P/DisableBackup?$main::Q\n{\"CleanBackup\":true}", "POST $main::P/DisableBackup?$main::Q\n"]
--- more_headers eval
["X-Team: team-a", "X-Team: team-b", "X-Team: team-b\nContent-Type: application/json", "X-Team: nobody"]
--- error_code eval
[202, 403, 202, 403]



=== TEST 21: report_only: an operation not granted is forwarded and reported
--- config
    location / {
        sf_backup_gate report_only;
        add_header X-Decision $sf_backup_decision always;
        add_header X-Reason $sf_backup_reason always;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
"POST $main::P/SuspendBackup?$main::Q\n"
--- error_code: 202
--- response_headers
X-Decision: report
X-Reason: operation_not_allowed
--- error_log eval
"sf-sim received: POST $main::P/SuspendBackup?$main::Q content-length=0 body="



=== TEST 22: the metrics count requests by operation and decision
--- operations: sf_backup_operations suspend;
--- request eval
["POST $main::P/SuspendBackup?$main::Q\n", "POST $main::P/ResumeBackup?$main::Q\n", "GET /metrics"]
--- error_code eval
[202, 403, 200]
--- response_body_like eval
["", qr/"Code":"E_ACCESSDENIED"/,
qr/^sf_backup_operation_requests_total\{operation="suspend",decision="allow"\} 1\nsf_backup_operation_requests_total\{operation="resume",decision="deny"\} 1$/m]



=== TEST 23: a policy read by a caller without policy: every secret masked, the rest as the cluster sent it
--- request eval
["GET /BackupRestore/BackupPolicies?$main::Q", "GET /BackupRestore/BackupPolicies/WeeklyBackupPolicy?$main::Q"]
--- more_headers
--- error_code eval
[200, 200]
--- response_headers eval
["X-Operation: read", "X-Operation: read"]
--- response_body_like eval
[qr/^\{"ContinuationToken":"[^"]*","Items":\[\{"Name":"DailyAzureBackupPolicy",.*"ConnectionString":"DefaultEndpointsProtocol=https;AccountName=sfsimfakebackups;AccountKey=\*\*\*\*;EndpointSuffix=core\.windows\.net".*"PrimaryPassword":"\*\*\*\*".*"SecondaryPassword":"\*\*\*\*"/,
qr/^\{"Name":"WeeklyBackupPolicy",.*"StorageKind":"FileShare".*"PrimaryUserName":"SFSIM\\\\svc-sfbackup","PrimaryPassword":"\*\*\*\*"/]
--- response_body_unlike eval
[qr/epM08n7slTQ|SimFake-/, qr/epM08n7slTQ|SimFake-/]



=== TEST 24: a policy read by a caller with policy: as the cluster sent it
--- operations: sf_backup_operations read policy;
--- request eval
"GET /BackupRestore/BackupPolicies/DailyAzureBackupPolicy?$main::Q"
--- more_headers
--- error_code: 200
--- response_body_like: AccountKey=epM08n7slTQWKfC2TglJR1recN1iYxpYWBfJc7NevBuur9Y1tco9\+sdCzrxWR\+D2D2p\+FhFc7xdHYzfxxfTkvg==;



=== TEST 25: creating a policy is refused by default, before its body
--- request eval
"POST /BackupRestore/BackupPolicies/\$/Create?$main::Q\n{}"
--- error_code: 403
--- response_body_like: "Message":"Operation 'policy' \(CreateBackupPolicy\) is not allowed for this caller\.
--- no_error_log
sf-sim received



=== TEST 26: creating a policy with policy granted: forwarded canonical
--- operations: sf_backup_operations policy;
--- request eval
"POST /BackupRestore/BackupPolicies/\$/Create?$main::Q\n{\"Storage\":$main::Blob,\"Name\":\"Nightly\",\"AutoRestoreOnDataLoss\":false,\"MaxIncrementalBackups\":\"3\",\"Schedule\":{\"Interval\":\"PT4H\",\"ScheduleKind\":\"FrequencyBased\"}}"
--- error_code_like: ^20[01]$
--- error_log eval
qr/sf-sim received: POST \/BackupRestore\/BackupPolicies\/\$\/Create\?api-version=6\.2-preview content-length=\d+ body=\{"Name":"Nightly","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":3,"Schedule":\{"ScheduleKind":"FrequencyBased","Interval":"PT4H"\},"Storage":\{"StorageKind":"AzureBlobStore",/



=== TEST 27: a storage query needs storage_query; granted, forwarded
--- operations: sf_backup_operations storage_query;
--- request eval
"POST /BackupRestore/\$/GetBackups?$main::Q\n{\"Storage\":$main::Blob,\"BackupEntity\":{\"EntityKind\":\"Application\",\"ApplicationName\":\"fabric:/TeamA\"}}"
--- error_code: 200
--- response_headers
X-Operation: storage_query
--- error_log eval
qr/sf-sim received: POST \/BackupRestore\/\$\/GetBackups\?api-version=6\.2-preview content-length=\d+ body=\{"Storage":\{"StorageKind":"AzureBlobStore",.*"BackupEntity":\{"EntityKind":"Application","ApplicationName":"fabric:\/TeamA"\}\}/



=== TEST 28: any other path under /BackupRestore/ stays closed
--- request eval
"GET /BackupRestore/Generic?$main::Q"
--- more_headers
--- error_code: 403
--- response_body_like: "Code":"E_ACCESSDENIED"
--- no_error_log
sf-sim received



=== TEST 29: the audit record names the operation, and where a named storage is, without its secret
--- operations: sf_backup_operations backup storage;
--- request eval
["POST $main::P/Backup?$main::Q\n{\"BackupStorage\":$main::Blob}", "GET /audit"]
--- more_headers eval
["Content-Type: application/json", ""]
--- error_code eval
[202, 200]
--- response_body_like eval
["", qr/^\{[^\n]*"entity_id":"1daae3f5-7fd6-42e9-b1ba-8c05f873994d","operation":"backup","policy":"","storage":"AzureBlobStore account=evil container=loot",[^\n]*"decision":"allow","reason":"allowed","status":202,[^\n]*\}\n\z/]
--- response_body_unlike eval
["", qr/\Q$main::Key\E|AccountKey/]



=== TEST 30: by default each call takes the api-versions its specification declares: 6.2-preview and 6.4, SkipAutoRestore 9.1 alone
--- operations: sf_backup_operations enable restore;
--- request eval
["POST $main::P/EnableBackup?api-version=6.4\n{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
 "POST $main::P/SkipAutoRestore?api-version=9.1\n",
 "POST $main::P/SkipAutoRestore?api-version=6.4\n",
 "POST $main::P/EnableBackup?api-version=9.1\n{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}"]
--- error_code eval
[202, 202, 400, 400]
--- response_body_like eval
["", "",
 qr/^\{"Error":\{"Code":"E_INVALIDARG","Message":"api-version '6\.4' is not supported; supported versions: 9\.1\.[^"]*"\}\}$/,
 qr/^\{"Error":\{"Code":"E_INVALIDARG","Message":"api-version '9\.1' is not supported; supported versions: 6\.2-preview, 6\.4\.[^"]*"\}\}$/]



=== TEST 31: Restore of the latest backup (9.1): Latest=true, no body, no Content-Type; forwarded with its meaning
--- operations: sf_backup_operations restore;
--- more_headers
X-None: 1
--- request eval
"POST $main::P/Restore?Latest=True&api-version=6.4"
--- error_code: 202
--- error_log eval
"sf-sim received: POST $main::P/Restore?api-version=6.4&Latest=true content-length=0 body="



=== TEST 32: Restore with Latest=true and a body: refused, the message saying why
--- operations: sf_backup_operations restore;
--- request eval
"POST $main::P/Restore?Latest=true&api-version=6.4\n{\"BackupLocation\":\"TeamA\\\\Orders\\\\1daae3f5-7fd6-42e9-b1ba-8c05f873994d\\\\b.zip\",\"BackupId\":\"6C3D0A10-4A4B-4C5E-9F1A-2B3C4D5E6F70\"}"
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Restore with query parameter 'Latest' true takes no request body: the latest backup is restored\. \(request id [0-9a-f]{32}\)"\}\}$
--- no_error_log
sf-sim received



=== TEST 33: Restore with neither a body nor Latest=true: refused, naming both ways
--- operations: sf_backup_operations restore;
--- request eval
"POST $main::P/Restore?Latest=false&api-version=6.4"
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"A request body \{\\"BackupId\\": \\"<uuid>\\", \\"BackupLocation\\": \\"<location>\\"\} is required, unless query parameter 'Latest' is true\. \(request id [0-9a-f]{32}\)"\}\}$
--- no_error_log
sf-sim received



=== TEST 34: a schedule's RunTimes as times of day, as the 6.2 example writes them: forwarded as given
--- operations: sf_backup_operations policy;
--- request eval
"POST /BackupRestore/BackupPolicies/\$/Create?ValidateConnection=true&api-version=6.4\n{\"Storage\":$main::Blob,\"Name\":\"Nightly\",\"AutoRestoreOnDataLoss\":false,\"MaxIncrementalBackups\":3,\"Schedule\":{\"ScheduleKind\":\"TimeBased\",\"ScheduleFrequencyType\":\"Daily\",\"RunTimes\":[\"9:00:00\",\"0001-01-01T17:00:00Z\"]}}"
--- error_code_like: ^20[01]$
--- error_log eval
qr/sf-sim received: POST \/BackupRestore\/BackupPolicies\/\$\/Create\?api-version=6\.4&ValidateConnection=true content-length=\d+ body=\{"Name":"Nightly","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":3,"Schedule":\{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Daily","RunTimes":\["9:00:00","0001-01-01T17:00:00Z"\]\},"Storage":\{"StorageKind":"AzureBlobStore",/



=== TEST 35: a RunTimes item that is no time of day: refused, naming the item and the rule, without contradiction
--- operations: sf_backup_operations policy;
--- request eval
"POST /BackupRestore/BackupPolicies/\$/Create?api-version=6.4\n{\"Storage\":$main::Blob,\"Name\":\"Nightly\",\"AutoRestoreOnDataLoss\":false,\"MaxIncrementalBackups\":3,\"Schedule\":{\"ScheduleKind\":\"TimeBased\",\"ScheduleFrequencyType\":\"Daily\",\"RunTimes\":[\"9:00:00\",\"24:00:00\"]}}"
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid request body: member 'RunTimes' item 1 must be a time of day such as 9:00:00, or a date-time such as 0001-01-01T09:00:00Z\. \(request id [0-9a-f]{32}\)"\}\}$
--- no_error_log
sf-sim received



=== TEST 36: RunTimes not an array: the type named once
--- operations: sf_backup_operations policy;
--- request eval
"POST /BackupRestore/BackupPolicies/\$/Create?api-version=6.4\n{\"Storage\":$main::Blob,\"Name\":\"Nightly\",\"AutoRestoreOnDataLoss\":false,\"MaxIncrementalBackups\":3,\"Schedule\":{\"ScheduleKind\":\"TimeBased\",\"ScheduleFrequencyType\":\"Daily\",\"RunTimes\":\"9:00:00\"}}"
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid request body: member 'RunTimes' must be an array of times of day, not a string\. \(request id [0-9a-f]{32}\)"\}\}$
--- no_error_log
sf-sim received



=== TEST 37: Backup with {}, as the 8.2 example sends it: the policy's storage, forwarded as {}
--- operations: sf_backup_operations backup;
--- request eval
"POST $main::P/Backup?api-version=6.4\n{}"
--- error_code: 202
--- error_log eval
"sf-sim received: POST $main::P/Backup?api-version=6.4 content-length=2 body={}"



=== TEST 38: a body without a Content-Type where the body is optional: refused, not forwarded
--- operations: sf_backup_operations backup;
--- more_headers
X-None: 1
--- request eval
"POST $main::P/Backup?api-version=6.4\n{}"
--- error_code: 415
--- response_body_like: "Code":"E_INVALIDARG","Message":"Content-Type must be application/json
--- no_error_log
sf-sim received



=== TEST 39: RunTimes of 100 items: the specification bounds it by nothing, nor does the gate but by the body's size
--- operations: sf_backup_operations policy;
--- request eval
"POST /BackupRestore/BackupPolicies/\$/Create?api-version=6.4\n{\"Storage\":$main::Blob,\"Name\":\"Nightly\",\"AutoRestoreOnDataLoss\":false,\"MaxIncrementalBackups\":3,\"Schedule\":{\"ScheduleKind\":\"TimeBased\",\"ScheduleFrequencyType\":\"Daily\",\"RunTimes\":["
. CORE::join(',', map { sprintf '"%d:%02d:00"', int($_ / 60), $_ % 60 } 0 .. 99) . "]}}"
--- error_code_like: ^20[01]$
--- error_log eval
qr/sf-sim received: POST \/BackupRestore\/BackupPolicies\/\$\/Create\?api-version=6\.4 content-length=\d+ body=\{"Name":"Nightly",.*"RunTimes":\["0:00:00","0:01:00",.*,"1:39:00"\]\}/



=== TEST 40: MaxIncrementalBackups out of range: the range named, without a contradiction about its type
--- operations: sf_backup_operations policy;
--- request eval
"POST /BackupRestore/BackupPolicies/\$/Create?api-version=6.4\n{\"Storage\":$main::Blob,\"Name\":\"Nightly\",\"AutoRestoreOnDataLoss\":false,\"MaxIncrementalBackups\":256,\"Schedule\":{\"ScheduleKind\":\"FrequencyBased\",\"Interval\":\"PT4H\"}}"
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid request body: member 'MaxIncrementalBackups' must be a whole number from 0 to 255\. \(request id [0-9a-f]{32}\)"\}\}$
--- no_error_log
sf-sim received



=== TEST 41: a BackupLocation out of Service Fabric's layout: the member named once
--- operations: sf_backup_operations restore;
--- request eval
"POST $main::P/Restore?api-version=6.4\n{\"BackupLocation\":\"TeamA\\\\Orders\\\\b.zip\",\"BackupId\":\"6C3D0A10-4A4B-4C5E-9F1A-2B3C4D5E6F70\"}"
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid request body: member 'BackupLocation' (?:(?!member)[^"])*\. \(request id [0-9a-f]{32}\)"\}\}$
--- no_error_log
sf-sim received
