# Conformance: every backup and restore call of the surface, in the request
# shape the Service Fabric REST specification's examples give it (6.2
# through 9.1: specification/servicefabric/data-plane/Microsoft.ServiceFabric/
# stable/<version>/examples in Azure/azure-rest-api-specs; our own values,
# the same parameters and body members), once for each api-version the
# specification declares for the call (6.2-preview and 6.4; 9.1 alone for
# SkipAutoRestore), through a gate granting every operation, the storages
# and the policies the calls name.  Each block asserts the status the
# specification gives and, with --- error_log, exactly what the cluster
# double received: method, canonical URI, content-length and body (so the
# body's every byte).  The entity calls use the double's entities
# (fabric:/TeamA/Reports/Daily's partition, fabric:/TeamB/Billing and its
# service Ledger), the policy calls the policies the examples address.
#
# Then the shapes the gate refused before issue 21, each accepted and
# forwarded with its meaning, each beside a neighbour that is still invalid
# and is refused with a FabricError naming the member or parameter at
# fault; a version of the specification the call does not declare (refused
# naming the call's versions); and what the gate keeps stricter than the
# specification (a ContainerName in capitals, as the examples write it).
#
# A block that expects an error status and names no error_log line is a
# refusal by the gate: a FabricError, and nothing reaches the double.

use Test::Nginx::Socket 'no_plan';
use Cwd qw(abs_path);
use File::Basename qw(dirname);

$ENV{TEST_NGINX_CONF_DIR} ||= abs_path(dirname(__FILE__) . '/../conf');
$ENV{TEST_NGINX_SIM_PORT} ||= 1985;

# sf-cluster-sim: logs "sf-sim received: METHOD URI content-length=N body=..."
my $sim = <<'_EOC_';
    js_path "$TEST_NGINX_CONF_DIR/sim";
    js_import sfsim from sf_cluster_sim.js;

    server {
        listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
        set $sf_sim_state_dir $TEST_NGINX_SERVER_ROOT/logs;
        include $TEST_NGINX_CONF_DIR/sim/sf_cluster_sim.locations;
    }
_EOC_

# every operation; the policies the calls use (the examples' and ours, one
# named with a space and UTF-8) and own (those they create, update or
# delete); a storage of each kind (README: sf_backup_storages)
my $gate = <<'_EOC_';
    location / {
        sf_backup_gate on;
        sf_backup_operations enable disable suspend resume backup restore
                             read policy storage_query clean storage;
        sf_backup_policies DailyAzureBackupPolicy DailyAzureMIBackupPolicy
                           FileShare10MinBackupPolicy SampleBackupPolicy
                           SampleDsmsBackupPolicy WeeklyBackupPolicy
                           "Nightly Backups ü" "Probe Policy";
        sf_backup_policies_owned DailyAzureBackupPolicy SampleBackupPolicy
                                 ConformanceAzurePolicy ConformanceSharePolicy
                                 ConformanceMiPolicy ConformanceDsmsPolicy
                                 "Nightly Backups ü";
        sf_backup_storages
            https://sfconformance.blob.core.windows.net/backups
            https://sfconformancemi.blob.core.windows.net/backups
            file://fileserver.conformance.example/backups
            "dsms:https://conformance.dsms.example/dsms/conformance/storageaccounts/sfconformance/servicefabricbackup/backups#backups";
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
_EOC_

add_block_preprocessor(sub {
    my $block = shift;
    my (@h, @n);

    $block->set_value(http_config => $sim) unless defined $block->http_config;
    $block->set_value(config => $gate) unless defined $block->config;

    return unless ($block->error_code // '') =~ /^[45]\d\d$/
                  && !defined $block->error_log;

    # a refusal: a FabricError, and nothing forwarded (without a last
    # newline: the real Test::Nginx takes an empty line for a header)
    @h = grep { length } map { s/\s+\z//r } ($block->response_headers // '');
    push @h, 'Content-Type: application/json; charset=utf-8';
    $block->set_value(response_headers => join "\n", @h);

    @n = grep { length } ($block->no_error_log // '');
    push @n, 'sf-sim received';
    $block->set_value(no_error_log => join "\n", @n);
});

no_shuffle();
no_root_location();
log_level('warn');
run_tests();


__DATA__

=== TEST 1: EnableBackup of a partition, 6.2-preview: {"BackupPolicyName"}: 202
--- request
POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 2: EnableBackup of a partition, 6.4: {"BackupPolicyName"}: 202
--- request
POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/EnableBackup?api-version=6.4
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/EnableBackup?api-version=6.4 content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 3: DisableBackup of a partition, 6.2-preview: no body: 202
--- request
POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/DisableBackup?api-version=6.2-preview
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/DisableBackup?api-version=6.2-preview content-length=0 body=



=== TEST 4: DisableBackup of a partition, 6.4: {"CleanBackup": false}: 202
--- request
POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/DisableBackup?api-version=6.4
{"CleanBackup":false}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/DisableBackup?api-version=6.4 content-length=21 body={"CleanBackup":false}



=== TEST 5: SuspendBackup of a partition, 6.2-preview: no body: 202
--- request
POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/SuspendBackup?api-version=6.2-preview
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/SuspendBackup?api-version=6.2-preview content-length=0 body=



=== TEST 6: SuspendBackup of a partition, 6.4: no body: 202
--- request
POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/SuspendBackup?api-version=6.4
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/SuspendBackup?api-version=6.4 content-length=0 body=



=== TEST 7: ResumeBackup of a partition, 6.2-preview: no body: 202
--- request
POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/ResumeBackup?api-version=6.2-preview
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/ResumeBackup?api-version=6.2-preview content-length=0 body=



=== TEST 8: ResumeBackup of a partition, 6.4: no body: 202
--- request
POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/ResumeBackup?api-version=6.4
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/ResumeBackup?api-version=6.4 content-length=0 body=



=== TEST 9: GetBackupConfigurationInfo of a partition, 6.2-preview: 200
--- request
GET /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/GetBackupConfigurationInfo?api-version=6.2-preview
--- error_code: 200
--- error_log
sf-sim received: GET /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/GetBackupConfigurationInfo?api-version=6.2-preview content-length=0 body=



=== TEST 10: GetBackupConfigurationInfo of a partition, 6.4: 200
--- request
GET /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/GetBackupConfigurationInfo?api-version=6.4
--- error_code: 200
--- error_log
sf-sim received: GET /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/GetBackupConfigurationInfo?api-version=6.4 content-length=0 body=



=== TEST 11: EnableBackup of a service, 6.2-preview: {"BackupPolicyName"}: 202
--- request
POST /Services/TeamB~Billing~Ledger/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 202
--- error_log
sf-sim received: POST /Services/TeamB~Billing~Ledger/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 12: EnableBackup of a service, 6.4: {"BackupPolicyName"}: 202
--- request
POST /Services/TeamB~Billing~Ledger/$/EnableBackup?api-version=6.4
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 202
--- error_log
sf-sim received: POST /Services/TeamB~Billing~Ledger/$/EnableBackup?api-version=6.4 content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 13: DisableBackup of a service, 6.2-preview: no body: 202
--- request
POST /Services/TeamB~Billing~Ledger/$/DisableBackup?api-version=6.2-preview
--- error_code: 202
--- error_log
sf-sim received: POST /Services/TeamB~Billing~Ledger/$/DisableBackup?api-version=6.2-preview content-length=0 body=



=== TEST 14: DisableBackup of a service, 6.4: {"CleanBackup": true}: 202
--- request
POST /Services/TeamB~Billing~Ledger/$/DisableBackup?api-version=6.4
{"CleanBackup":true}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 202
--- error_log
sf-sim received: POST /Services/TeamB~Billing~Ledger/$/DisableBackup?api-version=6.4 content-length=20 body={"CleanBackup":true}



=== TEST 15: SuspendBackup of a service, 6.2-preview: no body: 202
--- request
POST /Services/TeamB~Billing~Ledger/$/SuspendBackup?api-version=6.2-preview
--- error_code: 202
--- error_log
sf-sim received: POST /Services/TeamB~Billing~Ledger/$/SuspendBackup?api-version=6.2-preview content-length=0 body=



=== TEST 16: SuspendBackup of a service, 6.4: no body: 202
--- request
POST /Services/TeamB~Billing~Ledger/$/SuspendBackup?api-version=6.4
--- error_code: 202
--- error_log
sf-sim received: POST /Services/TeamB~Billing~Ledger/$/SuspendBackup?api-version=6.4 content-length=0 body=



=== TEST 17: ResumeBackup of a service, 6.2-preview: no body: 202
--- request
POST /Services/TeamB~Billing~Ledger/$/ResumeBackup?api-version=6.2-preview
--- error_code: 202
--- error_log
sf-sim received: POST /Services/TeamB~Billing~Ledger/$/ResumeBackup?api-version=6.2-preview content-length=0 body=



=== TEST 18: ResumeBackup of a service, 6.4: no body: 202
--- request
POST /Services/TeamB~Billing~Ledger/$/ResumeBackup?api-version=6.4
--- error_code: 202
--- error_log
sf-sim received: POST /Services/TeamB~Billing~Ledger/$/ResumeBackup?api-version=6.4 content-length=0 body=



=== TEST 19: GetBackupConfigurationInfo of a service, 6.2-preview: MaxResults: 200
--- request
GET /Services/TeamB~Billing~Ledger/$/GetBackupConfigurationInfo?api-version=6.2-preview&MaxResults=2
--- error_code: 200
--- error_log
sf-sim received: GET /Services/TeamB~Billing~Ledger/$/GetBackupConfigurationInfo?api-version=6.2-preview&MaxResults=2 content-length=0 body=



=== TEST 20: GetBackupConfigurationInfo of a service, 6.4: MaxResults and the ContinuationToken a previous page gave (an entity's name): 200
--- request
GET /Services/TeamB~Billing~Ledger/$/GetBackupConfigurationInfo?api-version=6.4&MaxResults=2&ContinuationToken=fabric:/TeamB/Billing/Ledger
--- error_code: 200
--- error_log
sf-sim received: GET /Services/TeamB~Billing~Ledger/$/GetBackupConfigurationInfo?api-version=6.4&ContinuationToken=fabric%3A%2FTeamB%2FBilling%2FLedger&MaxResults=2 content-length=0 body=



=== TEST 21: EnableBackup of an application, 6.2-preview: {"BackupPolicyName"}: 202
--- request
POST /Applications/TeamB~Billing/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 202
--- error_log
sf-sim received: POST /Applications/TeamB~Billing/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 22: EnableBackup of an application, 6.4: {"BackupPolicyName"}: 202
--- request
POST /Applications/TeamB~Billing/$/EnableBackup?api-version=6.4
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 202
--- error_log
sf-sim received: POST /Applications/TeamB~Billing/$/EnableBackup?api-version=6.4 content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 23: DisableBackup of an application, 6.2-preview: no body: 202
--- request
POST /Applications/TeamB~Billing/$/DisableBackup?api-version=6.2-preview
--- error_code: 202
--- error_log
sf-sim received: POST /Applications/TeamB~Billing/$/DisableBackup?api-version=6.2-preview content-length=0 body=



=== TEST 24: DisableBackup of an application, 6.4: {"CleanBackup": true}: 202
--- request
POST /Applications/TeamB~Billing/$/DisableBackup?api-version=6.4
{"CleanBackup":true}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 202
--- error_log
sf-sim received: POST /Applications/TeamB~Billing/$/DisableBackup?api-version=6.4 content-length=20 body={"CleanBackup":true}



=== TEST 25: SuspendBackup of an application, 6.2-preview: no body: 202
--- request
POST /Applications/TeamB~Billing/$/SuspendBackup?api-version=6.2-preview
--- error_code: 202
--- error_log
sf-sim received: POST /Applications/TeamB~Billing/$/SuspendBackup?api-version=6.2-preview content-length=0 body=



=== TEST 26: SuspendBackup of an application, 6.4: no body: 202
--- request
POST /Applications/TeamB~Billing/$/SuspendBackup?api-version=6.4
--- error_code: 202
--- error_log
sf-sim received: POST /Applications/TeamB~Billing/$/SuspendBackup?api-version=6.4 content-length=0 body=



=== TEST 27: ResumeBackup of an application, 6.2-preview: no body: 202
--- request
POST /Applications/TeamB~Billing/$/ResumeBackup?api-version=6.2-preview
--- error_code: 202
--- error_log
sf-sim received: POST /Applications/TeamB~Billing/$/ResumeBackup?api-version=6.2-preview content-length=0 body=



=== TEST 28: ResumeBackup of an application, 6.4: no body: 202
--- request
POST /Applications/TeamB~Billing/$/ResumeBackup?api-version=6.4
--- error_code: 202
--- error_log
sf-sim received: POST /Applications/TeamB~Billing/$/ResumeBackup?api-version=6.4 content-length=0 body=



=== TEST 29: GetBackupConfigurationInfo of an application, 6.2-preview: MaxResults: 200
--- request
GET /Applications/TeamB~Billing/$/GetBackupConfigurationInfo?api-version=6.2-preview&MaxResults=2
--- error_code: 200
--- error_log
sf-sim received: GET /Applications/TeamB~Billing/$/GetBackupConfigurationInfo?api-version=6.2-preview&MaxResults=2 content-length=0 body=



=== TEST 30: GetBackupConfigurationInfo of an application, 6.4: MaxResults and the ContinuationToken a previous page gave (an entity's name): 200
--- request
GET /Applications/TeamB~Billing/$/GetBackupConfigurationInfo?api-version=6.4&MaxResults=2&ContinuationToken=fabric:/TeamB/Billing/Ledger
--- error_code: 200
--- error_log
sf-sim received: GET /Applications/TeamB~Billing/$/GetBackupConfigurationInfo?api-version=6.4&ContinuationToken=fabric%3A%2FTeamB%2FBilling%2FLedger&MaxResults=2 content-length=0 body=



=== TEST 31: GetBackups of a partition, 6.2-preview: StartDateTimeFilter and EndDateTimeFilter: 200
--- request
GET /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/GetBackups?api-version=6.2-preview&StartDateTimeFilter=2026-11-30T00:00:00Z&EndDateTimeFilter=2026-11-30T23:59:59Z
--- error_code: 200
--- error_log
sf-sim received: GET /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/GetBackups?api-version=6.2-preview&StartDateTimeFilter=2026-11-30T00%3A00%3A00Z&EndDateTimeFilter=2026-11-30T23%3A59%3A59Z content-length=0 body=



=== TEST 32: GetBackups of a partition, 6.4: MaxResults and a backup's ContinuationToken ("#" sent as %23): 200
--- request
GET /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/GetBackups?api-version=6.4&MaxResults=2&ContinuationToken=fabric:/TeamA/Reports/Daily%232a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19%23bac00001-9b1d-4c3e-8f2a-6b5d4c3b2a19
--- error_code: 200
--- error_log
sf-sim received: GET /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/GetBackups?api-version=6.4&ContinuationToken=fabric%3A%2FTeamA%2FReports%2FDaily%232a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19%23bac00001-9b1d-4c3e-8f2a-6b5d4c3b2a19&MaxResults=2 content-length=0 body=
--- response_body_like: ^\{"ContinuationToken":"","Items":\[\{"BackupId":"bac00002-9b1d-4c3e-8f2a-6b5d4c3b2a19",(?:(?!"BackupId").)*\}\]\}$



=== TEST 33: GetBackups of a service, 6.2-preview: Latest: 200
--- request
GET /Services/TeamB~Billing~Ledger/$/GetBackups?api-version=6.2-preview&Latest=true
--- error_code: 200
--- error_log
sf-sim received: GET /Services/TeamB~Billing~Ledger/$/GetBackups?api-version=6.2-preview&Latest=true content-length=0 body=



=== TEST 34: GetBackups of a service, 6.4: MaxResults: 200
--- request
GET /Services/TeamB~Billing~Ledger/$/GetBackups?api-version=6.4&MaxResults=2
--- error_code: 200
--- error_log
sf-sim received: GET /Services/TeamB~Billing~Ledger/$/GetBackups?api-version=6.4&MaxResults=2 content-length=0 body=



=== TEST 35: GetBackups of an application, 6.2-preview: StartDateTimeFilter and EndDateTimeFilter: 200
--- request
GET /Applications/TeamB~Billing/$/GetBackups?api-version=6.2-preview&StartDateTimeFilter=2026-12-01T00:00:00Z&EndDateTimeFilter=2026-12-01T23:59:59Z
--- error_code: 200
--- error_log
sf-sim received: GET /Applications/TeamB~Billing/$/GetBackups?api-version=6.2-preview&StartDateTimeFilter=2026-12-01T00%3A00%3A00Z&EndDateTimeFilter=2026-12-01T23%3A59%3A59Z content-length=0 body=



=== TEST 36: GetBackups of an application, 6.4: Latest: 200
--- request
GET /Applications/TeamB~Billing/$/GetBackups?api-version=6.4&Latest=true
--- error_code: 200
--- error_log
sf-sim received: GET /Applications/TeamB~Billing/$/GetBackups?api-version=6.4&Latest=true content-length=0 body=



=== TEST 37: Backup, 6.2-preview: no body (the policy's storage): 202
--- request
POST /Partitions/0f0e0d0c-0b0a-4908-8706-050403020100/$/Backup?api-version=6.2-preview
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/0f0e0d0c-0b0a-4908-8706-050403020100/$/Backup?api-version=6.2-preview content-length=0 body=



=== TEST 38: Backup, 6.4: {} (BackupPartitionDescription, no member): 202
--- request
POST /Partitions/0f0e0d0c-0b0a-4908-8706-050403020101/$/Backup?api-version=6.4
{}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/0f0e0d0c-0b0a-4908-8706-050403020101/$/Backup?api-version=6.4 content-length=2 body={}



=== TEST 39: Backup, 6.4: a BackupStorage of Azure blobs and a BackupTimeout: 202
--- request
POST /Partitions/0f0e0d0c-0b0a-4908-8706-050403020102/$/Backup?api-version=6.4&BackupTimeout=15
{"BackupStorage":{"StorageKind":"AzureBlobStore","ConnectionString":"DefaultEndpointsProtocol=https;AccountName=sfconformance;AccountKey=Y29uZm9ybWFuY2UtZmFrZS1rZXk=","ContainerName":"backups"}}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/0f0e0d0c-0b0a-4908-8706-050403020102/$/Backup?api-version=6.4&BackupTimeout=15 content-length=194 body={"BackupStorage":{"StorageKind":"AzureBlobStore","ConnectionString":"DefaultEndpointsProtocol=https;AccountName=sfconformance;AccountKey=Y29uZm9ybWFuY2UtZmFrZS1rZXk=","ContainerName":"backups"}}



=== TEST 40: Backup, 6.2-preview: a BackupStorage on a file share: 202
--- request
POST /Partitions/0f0e0d0c-0b0a-4908-8706-050403020103/$/Backup?api-version=6.2-preview
{"BackupStorage":{"StorageKind":"FileShare","Path":"\\\\fileserver.conformance.example\\backups","PrimaryUserName":"CONFORMANCE\\backup","PrimaryPassword":"conformance-fake-password"}}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/0f0e0d0c-0b0a-4908-8706-050403020103/$/Backup?api-version=6.2-preview content-length=184 body={"BackupStorage":{"StorageKind":"FileShare","Path":"\\\\fileserver.conformance.example\\backups","PrimaryUserName":"CONFORMANCE\\backup","PrimaryPassword":"conformance-fake-password"}}



=== TEST 41: GetBackupProgress, 6.2-preview: 200
--- request
GET /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/GetBackupProgress?api-version=6.2-preview
--- error_code: 200
--- error_log
sf-sim received: GET /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/GetBackupProgress?api-version=6.2-preview content-length=0 body=



=== TEST 42: GetBackupProgress, 6.4: 200
--- request
GET /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/GetBackupProgress?api-version=6.4
--- error_code: 200
--- error_log
sf-sim received: GET /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/GetBackupProgress?api-version=6.4 content-length=0 body=



=== TEST 43: Restore, 6.2-preview: BackupId, BackupStorage, BackupLocation: 202
--- request
POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/Restore?api-version=6.2-preview
{"BackupId":"bac00002-9b1d-4c3e-8f2a-6b5d4c3b2a19","BackupStorage":{"StorageKind":"AzureBlobStore","ConnectionString":"DefaultEndpointsProtocol=https;AccountName=sfconformance;AccountKey=Y29uZm9ybWFuY2UtZmFrZS1rZXk=","ContainerName":"backups"},"BackupLocation":"TeamA\\Reports\\2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19\\2026-12-01 09.00.11.zip"}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/Restore?api-version=6.2-preview content-length=341 body={"BackupId":"bac00002-9b1d-4c3e-8f2a-6b5d4c3b2a19","BackupLocation":"TeamA\\Reports\\2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19\\2026-12-01 09.00.11.zip","BackupStorage":{"StorageKind":"AzureBlobStore","ConnectionString":"DefaultEndpointsProtocol=https;AccountName=sfconformance;AccountKey=Y29uZm9ybWFuY2UtZmFrZS1rZXk=","ContainerName":"backups"}}



=== TEST 44: Restore, 6.4: BackupId, BackupStorage, BackupLocation, and a RestoreTimeout: 202
--- request
POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/Restore?api-version=6.4&RestoreTimeout=30
{"BackupId":"bac00002-9b1d-4c3e-8f2a-6b5d4c3b2a19","BackupStorage":{"StorageKind":"FileShare","Path":"\\\\fileserver.conformance.example\\backups","PrimaryUserName":"CONFORMANCE\\backup","PrimaryPassword":"conformance-fake-password"},"BackupLocation":"TeamA\\Reports\\2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19\\2026-12-01 09.00.11.zip"}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/Restore?api-version=6.4&RestoreTimeout=30 content-length=331 body={"BackupId":"bac00002-9b1d-4c3e-8f2a-6b5d4c3b2a19","BackupLocation":"TeamA\\Reports\\2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19\\2026-12-01 09.00.11.zip","BackupStorage":{"StorageKind":"FileShare","Path":"\\\\fileserver.conformance.example\\backups","PrimaryUserName":"CONFORMANCE\\backup","PrimaryPassword":"conformance-fake-password"}}



=== TEST 45: GetRestoreProgress, 6.2-preview: 200
--- request
GET /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/GetRestoreProgress?api-version=6.2-preview
--- error_code: 200
--- error_log
sf-sim received: GET /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/GetRestoreProgress?api-version=6.2-preview content-length=0 body=



=== TEST 46: GetRestoreProgress, 6.4: 200
--- request
GET /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/GetRestoreProgress?api-version=6.4
--- error_code: 200
--- error_log
sf-sim received: GET /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/GetRestoreProgress?api-version=6.4 content-length=0 body=



=== TEST 47: SkipAutoRestore, 9.1: no body: 202
--- request
POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/SkipAutoRestore?api-version=9.1
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/SkipAutoRestore?api-version=9.1 content-length=0 body=



=== TEST 48: GetBackupPolicyList, 6.2-preview: MaxResults: 200
--- request
GET /BackupRestore/BackupPolicies?api-version=6.2-preview&MaxResults=2
--- error_code: 200
--- error_log
sf-sim received: GET /BackupRestore/BackupPolicies?api-version=6.2-preview&MaxResults=2 content-length=0 body=
--- response_body_like: ^\{"ContinuationToken":"DailyAzureMIBackupPolicy","Items":\[\{"Name":"DailyAzureBackupPolicy",(?:(?!"Name").)*\},\{"Name":"DailyAzureMIBackupPolicy",(?:(?!"Name").)*\}\]\}$



=== TEST 49: GetBackupPolicyList, 6.4: MaxResults and ContinuationToken=FileShare10MinBackupPolicy (a policy's name): 200
--- request
GET /BackupRestore/BackupPolicies?api-version=6.4&MaxResults=3&ContinuationToken=FileShare10MinBackupPolicy
--- error_code: 200
--- error_log
sf-sim received: GET /BackupRestore/BackupPolicies?api-version=6.4&ContinuationToken=FileShare10MinBackupPolicy&MaxResults=3 content-length=0 body=
--- response_body_like: ^\{"ContinuationToken":"","Items":\[\{"Name":"SampleBackupPolicy",(?:(?!"Name").)*\},\{"Name":"SampleDsmsBackupPolicy",(?:(?!"Name").)*\},\{"Name":"WeeklyBackupPolicy",(?:(?!"Name").)*\}\]\}$



=== TEST 50: GetBackupPolicyByName, 6.2-preview: 200
--- request
GET /BackupRestore/BackupPolicies/DailyAzureBackupPolicy?api-version=6.2-preview
--- error_code: 200
--- error_log
sf-sim received: GET /BackupRestore/BackupPolicies/DailyAzureBackupPolicy?api-version=6.2-preview content-length=0 body=



=== TEST 51: GetBackupPolicyByName, 6.4: 200
--- request
GET /BackupRestore/BackupPolicies/DailyAzureBackupPolicy?api-version=6.4
--- error_code: 200
--- error_log
sf-sim received: GET /BackupRestore/BackupPolicies/DailyAzureBackupPolicy?api-version=6.4 content-length=0 body=



=== TEST 52: GetAllEntitiesBackedUpByPolicy, 6.2-preview: MaxResults: 200
--- request
GET /BackupRestore/BackupPolicies/DailyAzureBackupPolicy/$/GetBackupEnabledEntities?api-version=6.2-preview&MaxResults=2
--- error_code: 200
--- error_log
sf-sim received: GET /BackupRestore/BackupPolicies/DailyAzureBackupPolicy/$/GetBackupEnabledEntities?api-version=6.2-preview&MaxResults=2 content-length=0 body=



=== TEST 53: GetAllEntitiesBackedUpByPolicy, 6.4: MaxResults and ContinuationToken (an entity's name): 200
--- request
GET /BackupRestore/BackupPolicies/DailyAzureBackupPolicy/$/GetBackupEnabledEntities?api-version=6.4&MaxResults=2&ContinuationToken=fabric:/TeamA/Orders/Store
--- error_code: 200
--- error_log
sf-sim received: GET /BackupRestore/BackupPolicies/DailyAzureBackupPolicy/$/GetBackupEnabledEntities?api-version=6.4&ContinuationToken=fabric%3A%2FTeamA%2FOrders%2FStore&MaxResults=2 content-length=0 body=



=== TEST 54: CreateBackupPolicy, 6.2-preview: TimeBased, Azure blobs, no RetentionPolicy: 201
--- request
POST /BackupRestore/BackupPolicies/$/Create?api-version=6.2-preview
{"Name":"ConformanceAzurePolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":4,"Schedule":{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Daily","RunTimes":["0001-01-01T08:30:00Z","0001-01-01T20:30:00Z"]},"Storage":{"StorageKind":"AzureBlobStore","FriendlyName":"conformance-azure","ConnectionString":"DefaultEndpointsProtocol=https;AccountName=sfconformance;AccountKey=Y29uZm9ybWFuY2UtZmFrZS1rZXk=","ContainerName":"backups"}}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 201
--- error_log
sf-sim received: POST /BackupRestore/BackupPolicies/$/Create?api-version=6.2-preview content-length=442 body={"Name":"ConformanceAzurePolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":4,"Schedule":{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Daily","RunTimes":["0001-01-01T08:30:00Z","0001-01-01T20:30:00Z"]},"Storage":{"StorageKind":"AzureBlobStore","FriendlyName":"conformance-azure","ConnectionString":"DefaultEndpointsProtocol=https;AccountName=sfconformance;AccountKey=Y29uZm9ybWFuY2UtZmFrZS1rZXk=","ContainerName":"backups"}}



=== TEST 55: CreateBackupPolicy, 6.4: FrequencyBased, file share, Basic RetentionPolicy: 201
--- request
POST /BackupRestore/BackupPolicies/$/Create?api-version=6.4
{"Name":"ConformanceSharePolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":4,"Schedule":{"ScheduleKind":"FrequencyBased","Interval":"PT10M"},"Storage":{"StorageKind":"FileShare","FriendlyName":"conformance-share","Path":"\\\\fileserver.conformance.example\\backups","PrimaryUserName":"CONFORMANCE\\backup","PrimaryPassword":"conformance-fake-password"},"RetentionPolicy":{"RetentionPolicyType":"Basic","MinimumNumberOfBackups":12,"RetentionDuration":"P14D"}}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 201
--- error_log
sf-sim received: POST /BackupRestore/BackupPolicies/$/Create?api-version=6.4 content-length=470 body={"Name":"ConformanceSharePolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":4,"Schedule":{"ScheduleKind":"FrequencyBased","Interval":"PT10M"},"Storage":{"StorageKind":"FileShare","FriendlyName":"conformance-share","Path":"\\\\fileserver.conformance.example\\backups","PrimaryUserName":"CONFORMANCE\\backup","PrimaryPassword":"conformance-fake-password"},"RetentionPolicy":{"RetentionPolicyType":"Basic","RetentionDuration":"P14D","MinimumNumberOfBackups":12}}



=== TEST 56: UpdateBackupPolicy, 6.2-preview: RunTimes as times of day (9:00:00): 200
--- request
POST /BackupRestore/BackupPolicies/DailyAzureBackupPolicy/$/Update?api-version=6.2-preview
{"Name":"DailyAzureBackupPolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":4,"Schedule":{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Daily","RunTimes":["8:30:00","20:30:00"]},"Storage":{"StorageKind":"AzureBlobStore","FriendlyName":"conformance-azure","ConnectionString":"DefaultEndpointsProtocol=https;AccountName=sfconformance;AccountKey=Y29uZm9ybWFuY2UtZmFrZS1rZXk=","ContainerName":"backups"}}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 200
--- error_log
sf-sim received: POST /BackupRestore/BackupPolicies/DailyAzureBackupPolicy/$/Update?api-version=6.2-preview content-length=417 body={"Name":"DailyAzureBackupPolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":4,"Schedule":{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Daily","RunTimes":["8:30:00","20:30:00"]},"Storage":{"StorageKind":"AzureBlobStore","FriendlyName":"conformance-azure","ConnectionString":"DefaultEndpointsProtocol=https;AccountName=sfconformance;AccountKey=Y29uZm9ybWFuY2UtZmFrZS1rZXk=","ContainerName":"backups"}}



=== TEST 57: UpdateBackupPolicy, 6.4: TimeBased, Azure blobs, Basic RetentionPolicy: 200
--- request
POST /BackupRestore/BackupPolicies/DailyAzureBackupPolicy/$/Update?api-version=6.4
{"Name":"DailyAzureBackupPolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":4,"Schedule":{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Daily","RunTimes":["0001-01-01T08:30:00Z","0001-01-01T20:30:00Z"]},"Storage":{"StorageKind":"AzureBlobStore","FriendlyName":"conformance-azure","ConnectionString":"DefaultEndpointsProtocol=https;AccountName=sfconformance;AccountKey=Y29uZm9ybWFuY2UtZmFrZS1rZXk=","ContainerName":"backups"},"RetentionPolicy":{"RetentionPolicyType":"Basic","MinimumNumberOfBackups":12,"RetentionDuration":"P14D"}}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 200
--- error_log
sf-sim received: POST /BackupRestore/BackupPolicies/DailyAzureBackupPolicy/$/Update?api-version=6.4 content-length=547 body={"Name":"DailyAzureBackupPolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":4,"Schedule":{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Daily","RunTimes":["0001-01-01T08:30:00Z","0001-01-01T20:30:00Z"]},"Storage":{"StorageKind":"AzureBlobStore","FriendlyName":"conformance-azure","ConnectionString":"DefaultEndpointsProtocol=https;AccountName=sfconformance;AccountKey=Y29uZm9ybWFuY2UtZmFrZS1rZXk=","ContainerName":"backups"},"RetentionPolicy":{"RetentionPolicyType":"Basic","RetentionDuration":"P14D","MinimumNumberOfBackups":12}}



=== TEST 58: DeleteBackupPolicy, 6.2-preview: 200
--- request
POST /BackupRestore/BackupPolicies/SampleBackupPolicy/$/Delete?api-version=6.2-preview
--- error_code: 200
--- error_log
sf-sim received: POST /BackupRestore/BackupPolicies/SampleBackupPolicy/$/Delete?api-version=6.2-preview content-length=0 body=



=== TEST 59: DeleteBackupPolicy, 6.4: 200
--- request
POST /BackupRestore/BackupPolicies/SampleBackupPolicy/$/Delete?api-version=6.4
--- error_code: 200
--- error_log
sf-sim received: POST /BackupRestore/BackupPolicies/SampleBackupPolicy/$/Delete?api-version=6.4 content-length=0 body=



=== TEST 60: GetBackupsFromBackupLocation, 6.2-preview: Storage, BackupEntity (an application), MaxResults: 200
--- request
POST /BackupRestore/$/GetBackups?api-version=6.2-preview&MaxResults=2
{"Storage":{"StorageKind":"AzureBlobStore","ConnectionString":"DefaultEndpointsProtocol=https;AccountName=sfconformance;AccountKey=Y29uZm9ybWFuY2UtZmFrZS1rZXk=","ContainerName":"backups"},"BackupEntity":{"EntityKind":"Application","ApplicationName":"fabric:/TeamB/Billing"}}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 200
--- error_log
sf-sim received: POST /BackupRestore/$/GetBackups?api-version=6.2-preview&MaxResults=2 content-length=274 body={"Storage":{"StorageKind":"AzureBlobStore","ConnectionString":"DefaultEndpointsProtocol=https;AccountName=sfconformance;AccountKey=Y29uZm9ybWFuY2UtZmFrZS1rZXk=","ContainerName":"backups"},"BackupEntity":{"EntityKind":"Application","ApplicationName":"fabric:/TeamB/Billing"}}
--- response_body_like: ^\{"ContinuationToken":"fabric:/TeamB/Billing/Ledger#6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70#bac00001-4a4b-4c5e-9f1a-2b3c4d5e6f70","Items":\[\{"BackupId":"bac00000-4a4b-(?:(?!"BackupId").)*\},\{"BackupId":"bac00001-4a4b-(?:(?!"BackupId").)*\}\]\}$



=== TEST 61: GetBackupsFromBackupLocation, 6.4: and the ContinuationToken its first page gave: 200
--- request
POST /BackupRestore/$/GetBackups?api-version=6.4&MaxResults=2&ContinuationToken=fabric:/TeamB/Billing/Ledger%236c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70%23bac00001-4a4b-4c5e-9f1a-2b3c4d5e6f70
{"Storage":{"StorageKind":"AzureBlobStore","ConnectionString":"DefaultEndpointsProtocol=https;AccountName=sfconformance;AccountKey=Y29uZm9ybWFuY2UtZmFrZS1rZXk=","ContainerName":"backups"},"BackupEntity":{"EntityKind":"Application","ApplicationName":"fabric:/TeamB/Billing"}}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 200
--- error_log
sf-sim received: POST /BackupRestore/$/GetBackups?api-version=6.4&ContinuationToken=fabric%3A%2FTeamB%2FBilling%2FLedger%236c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70%23bac00001-4a4b-4c5e-9f1a-2b3c4d5e6f70&MaxResults=2 content-length=274 body={"Storage":{"StorageKind":"AzureBlobStore","ConnectionString":"DefaultEndpointsProtocol=https;AccountName=sfconformance;AccountKey=Y29uZm9ybWFuY2UtZmFrZS1rZXk=","ContainerName":"backups"},"BackupEntity":{"EntityKind":"Application","ApplicationName":"fabric:/TeamB/Billing"}}
--- response_body_like: ^\{"ContinuationToken":"","Items":\[\{"BackupId":"bac00002-4a4b-4c5e-9f1a-2b3c4d5e6f70",(?:(?!"BackupId").)*\}\]\}$



=== TEST 62: per-call api-versions: SkipAutoRestore with 6.4 (every other call's version) is refused naming the call's one version, 9.1
--- request
POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/SkipAutoRestore?api-version=6.4
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"api-version '6\.4' is not supported; supported versions: 9\.1\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 63: a version of the specification the call does not declare: EnableBackup with 7.0, refused naming the call's versions
--- request
POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/EnableBackup?api-version=7.0
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"api-version '7\.0' is not supported; supported versions: 6\.2-preview, 6\.4\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 64: a version of the specification the call does not declare: Restore with 9.1 (Latest is 9.1's, the call's api-version stays 6.4)
--- request
POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/Restore?api-version=9.1&Latest=true
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"api-version '9\.1' is not supported; supported versions: 6\.2-preview, 6\.4\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 65: formerly refused: Backup with {} to another partition, and a BackupTimeout past a day (any int32 from 1): forwarded
--- request
POST /Partitions/0f0e0d0c-0b0a-4908-8706-050403020104/$/Backup?api-version=6.4&BackupTimeout=2147483647
{}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/0f0e0d0c-0b0a-4908-8706-050403020104/$/Backup?api-version=6.4&BackupTimeout=2147483647 content-length=2 body={}



=== TEST 66: neighbour: a BackupTimeout past an int32 is refused naming BackupTimeout
--- request
POST /Partitions/0f0e0d0c-0b0a-4908-8706-050403020105/$/Backup?api-version=6.4&BackupTimeout=2147483648
{}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Query parameter 'BackupTimeout' has an invalid value: it must be a whole number of minutes from 1 to 2147483647\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 67: neighbour: a BackupTimeout of 0 is refused naming BackupTimeout (from 1)
--- request
POST /Partitions/0f0e0d0c-0b0a-4908-8706-050403020105/$/Backup?api-version=6.4&BackupTimeout=0
{}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Query parameter 'BackupTimeout' has an invalid value: it must be a whole number of minutes from 1 to 2147483647\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 68: neighbour: a BackupStorage of no kind is refused naming StorageKind
--- request
POST /Partitions/0f0e0d0c-0b0a-4908-8706-050403020105/$/Backup?api-version=6.4
{"BackupStorage":{}}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid request body: member 'StorageKind' of 'BackupStorage' must be one of 'AzureBlobStore', 'FileShare', 'DsmsAzureBlobStore', 'ManagedIdentityAzureBlobStore'\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 69: formerly refused: Restore with Latest=true and no body (9.1), a RestoreTimeout of an int32: forwarded, no body
--- request
POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/Restore?api-version=6.4&Latest=true&RestoreTimeout=2147483647
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/Restore?api-version=6.4&RestoreTimeout=2147483647&Latest=true content-length=0 body=



=== TEST 70: neighbour: Restore with Latest=true and a body is refused (two backups named)
--- request
POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/Restore?api-version=6.4&Latest=true
{"BackupId":"bac00002-9b1d-4c3e-8f2a-6b5d4c3b2a19","BackupLocation":"TeamA\\Reports\\2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19\\2026-12-01 09.00.11.zip"}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Restore with query parameter 'Latest' true takes no request body: the latest backup is restored\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 71: neighbour: Restore with neither a body nor Latest=true is refused naming Latest
--- request
POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/Restore?api-version=6.4&Latest=false
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"A request body \{\\"BackupId\\": \\"<uuid>\\", \\"BackupLocation\\": \\"<location>\\"\} is required, unless query parameter \'Latest\' is true\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 72: neighbour: a RestoreTimeout past an int32 is refused naming RestoreTimeout
--- request
POST /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/Restore?api-version=6.4&Latest=true&RestoreTimeout=2147483648
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Query parameter 'RestoreTimeout' has an invalid value: it must be a whole number of minutes from 1 to 2147483647\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 73: formerly refused: CreateBackupPolicy with ValidateConnection=true (8.0), a ManagedIdentityAzureBlobStore storage (ManagedIdentityType Cluster): 201
--- request
POST /BackupRestore/BackupPolicies/$/Create?api-version=6.4&ValidateConnection=true
{"Name":"ConformanceMiPolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":4,"Schedule":{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Daily","RunTimes":["0001-01-01T08:30:00Z","0001-01-01T20:30:00Z"]},"Storage":{"StorageKind":"ManagedIdentityAzureBlobStore","FriendlyName":"conformance-mi","BlobServiceUri":"https://sfconformancemi.blob.core.windows.net/","ContainerName":"backups","ManagedIdentityType":"Cluster"},"RetentionPolicy":{"RetentionPolicyType":"Basic","MinimumNumberOfBackups":12,"RetentionDuration":"P14D"}}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 201
--- error_log
sf-sim received: POST /BackupRestore/BackupPolicies/$/Create?api-version=6.4&ValidateConnection=true content-length=536 body={"Name":"ConformanceMiPolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":4,"Schedule":{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Daily","RunTimes":["0001-01-01T08:30:00Z","0001-01-01T20:30:00Z"]},"Storage":{"StorageKind":"ManagedIdentityAzureBlobStore","FriendlyName":"conformance-mi","ManagedIdentityType":"Cluster","BlobServiceUri":"https://sfconformancemi.blob.core.windows.net/","ContainerName":"backups"},"RetentionPolicy":{"RetentionPolicyType":"Basic","RetentionDuration":"P14D","MinimumNumberOfBackups":12}}



=== TEST 74: formerly refused: CreateBackupPolicy with ValidateConnection=false, a DsmsAzureBlobStore storage: 201
--- request
POST /BackupRestore/BackupPolicies/$/Create?api-version=6.4&ValidateConnection=false
{"Name":"ConformanceDsmsPolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":4,"Schedule":{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Daily","RunTimes":["0001-01-01T08:30:00Z","0001-01-01T20:30:00Z"]},"Storage":{"StorageKind":"DsmsAzureBlobStore","FriendlyName":"conformance-dsms","StorageCredentialsSourceLocation":"https://conformance.dsms.example/dsms/conformance/storageaccounts/sfconformance/servicefabricbackup/backups","ContainerName":"backups"},"RetentionPolicy":{"RetentionPolicyType":"Basic","MinimumNumberOfBackups":12,"RetentionDuration":"P14D"}}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 201
--- error_log
sf-sim received: POST /BackupRestore/BackupPolicies/$/Create?api-version=6.4&ValidateConnection=false content-length=576 body={"Name":"ConformanceDsmsPolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":4,"Schedule":{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Daily","RunTimes":["0001-01-01T08:30:00Z","0001-01-01T20:30:00Z"]},"Storage":{"StorageKind":"DsmsAzureBlobStore","FriendlyName":"conformance-dsms","StorageCredentialsSourceLocation":"https://conformance.dsms.example/dsms/conformance/storageaccounts/sfconformance/servicefabricbackup/backups","ContainerName":"backups"},"RetentionPolicy":{"RetentionPolicyType":"Basic","RetentionDuration":"P14D","MinimumNumberOfBackups":12}}



=== TEST 75: formerly refused: UpdateBackupPolicy with ValidateConnection=True (any case, forwarded lower case), ManagedIdentityType VMSS: 200
--- request
POST /BackupRestore/BackupPolicies/DailyAzureBackupPolicy/$/Update?api-version=6.4&ValidateConnection=True
{"Name":"DailyAzureBackupPolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":4,"Schedule":{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Daily","RunTimes":["0001-01-01T08:30:00Z","0001-01-01T20:30:00Z"]},"Storage":{"StorageKind":"ManagedIdentityAzureBlobStore","FriendlyName":"conformance-mi","BlobServiceUri":"https://sfconformancemi.blob.core.windows.net/","ContainerName":"backups","ManagedIdentityType":"VMSS"},"RetentionPolicy":{"RetentionPolicyType":"Basic","MinimumNumberOfBackups":12,"RetentionDuration":"P14D"}}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 200
--- error_log
sf-sim received: POST /BackupRestore/BackupPolicies/DailyAzureBackupPolicy/$/Update?api-version=6.4&ValidateConnection=true content-length=536 body={"Name":"DailyAzureBackupPolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":4,"Schedule":{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Daily","RunTimes":["0001-01-01T08:30:00Z","0001-01-01T20:30:00Z"]},"Storage":{"StorageKind":"ManagedIdentityAzureBlobStore","FriendlyName":"conformance-mi","ManagedIdentityType":"VMSS","BlobServiceUri":"https://sfconformancemi.blob.core.windows.net/","ContainerName":"backups"},"RetentionPolicy":{"RetentionPolicyType":"Basic","RetentionDuration":"P14D","MinimumNumberOfBackups":12}}



=== TEST 76: neighbour: ValidateConnection=1 is refused naming ValidateConnection
--- request
POST /BackupRestore/BackupPolicies/$/Create?api-version=6.4&ValidateConnection=1
{"Name":"ConformanceMiPolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":4,"Schedule":{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Daily","RunTimes":["0001-01-01T08:30:00Z","0001-01-01T20:30:00Z"]},"Storage":{"StorageKind":"ManagedIdentityAzureBlobStore","FriendlyName":"conformance-mi","BlobServiceUri":"https://sfconformancemi.blob.core.windows.net/","ContainerName":"backups","ManagedIdentityType":"Cluster"},"RetentionPolicy":{"RetentionPolicyType":"Basic","MinimumNumberOfBackups":12,"RetentionDuration":"P14D"}}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Query parameter 'ValidateConnection' has an invalid value: it must be true or false\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 77: neighbour: a ManagedIdentityType other than Invalid, VMSS or Cluster is refused naming it
--- request
POST /BackupRestore/BackupPolicies/$/Create?api-version=6.4
{"Name":"ConformanceMiPolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":4,"Schedule":{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Daily","RunTimes":["0001-01-01T08:30:00Z","0001-01-01T20:30:00Z"]},"Storage":{"StorageKind":"ManagedIdentityAzureBlobStore","FriendlyName":"conformance-mi","BlobServiceUri":"https://sfconformancemi.blob.core.windows.net/","ContainerName":"backups","ManagedIdentityType":"User"},"RetentionPolicy":{"RetentionPolicyType":"Basic","MinimumNumberOfBackups":12,"RetentionDuration":"P14D"}}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid request body: member 'ManagedIdentityType' must be 'Invalid', 'VMSS' or 'Cluster'\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 78: formerly refused: ManagedIdentityType Invalid (the enumeration's own first value) is a kind like the others: 201
--- request
POST /BackupRestore/BackupPolicies/$/Create?api-version=6.4
{"Name":"ConformanceMiPolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":4,"Schedule":{"ScheduleKind":"FrequencyBased","Interval":"PT4H5M"},"Storage":{"StorageKind":"ManagedIdentityAzureBlobStore","FriendlyName":"conformance-mi","BlobServiceUri":"https://sfconformancemi.blob.core.windows.net/","ContainerName":"backups","ManagedIdentityType":"Invalid"},"RetentionPolicy":{"RetentionPolicyType":"Basic","MinimumNumberOfBackups":12,"RetentionDuration":"P14D"}}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 201
--- error_log
sf-sim received: POST /BackupRestore/BackupPolicies/$/Create?api-version=6.4 content-length=470 body={"Name":"ConformanceMiPolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":4,"Schedule":{"ScheduleKind":"FrequencyBased","Interval":"PT4H5M"},"Storage":{"StorageKind":"ManagedIdentityAzureBlobStore","FriendlyName":"conformance-mi","ManagedIdentityType":"Invalid","BlobServiceUri":"https://sfconformancemi.blob.core.windows.net/","ContainerName":"backups"},"RetentionPolicy":{"RetentionPolicyType":"Basic","RetentionDuration":"P14D","MinimumNumberOfBackups":12}}



=== TEST 79: formerly refused: GetBackupsFromBackupLocation with a BackupEntity of its EntityKind alone (every partition's backups in the storage): 200
--- request
POST /BackupRestore/$/GetBackups?api-version=6.4
{"Storage":{"StorageKind":"FileShare","Path":"\\\\fileserver.conformance.example\\backups","PrimaryUserName":"CONFORMANCE\\backup","PrimaryPassword":"conformance-fake-password"},"BackupEntity":{"EntityKind":"Partition"},"Latest":true}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 200
--- error_log
sf-sim received: POST /BackupRestore/$/GetBackups?api-version=6.4 content-length=234 body={"Storage":{"StorageKind":"FileShare","Path":"\\\\fileserver.conformance.example\\backups","PrimaryUserName":"CONFORMANCE\\backup","PrimaryPassword":"conformance-fake-password"},"BackupEntity":{"EntityKind":"Partition"},"Latest":true}



=== TEST 80: neighbour: a BackupEntity of EntityKind Cluster is refused naming EntityKind
--- request
POST /BackupRestore/$/GetBackups?api-version=6.4
{"Storage":{"StorageKind":"FileShare","Path":"\\\\fileserver.conformance.example\\backups","PrimaryUserName":"CONFORMANCE\\backup","PrimaryPassword":"conformance-fake-password"},"BackupEntity":{"EntityKind":"Cluster"}}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid request body: member 'EntityKind' of 'BackupEntity' must be one of 'Partition', 'Service', 'Application'\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 81: formerly refused: a partition's GetBackups with MaxResults of an int64 and a ContinuationToken of UTF-8: forwarded, encoded
--- request
GET /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/GetBackups?api-version=6.4&MaxResults=9223372036854775807&ContinuationToken=fabric:/TeamA/Reports/D%C3%A4ily%232a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19%23bac00002-9b1d-4c3e-8f2a-6b5d4c3b2a19
--- error_code: 200
--- error_log
sf-sim received: GET /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/GetBackups?api-version=6.4&ContinuationToken=fabric%3A%2FTeamA%2FReports%2FD%C3%A4ily%232a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19%23bac00002-9b1d-4c3e-8f2a-6b5d4c3b2a19&MaxResults=9223372036854775807 content-length=0 body=



=== TEST 82: neighbour: MaxResults=-1 is refused naming MaxResults
--- request
GET /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/GetBackups?api-version=6.4&MaxResults=-1
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Query parameter 'MaxResults' has an invalid value: it must be a whole number from 0 to 9223372036854775807\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 83: neighbour: MaxResults past an int64 is refused naming MaxResults
--- request
GET /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/GetBackups?api-version=6.4&MaxResults=9223372036854775808
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Query parameter 'MaxResults' has an invalid value: it must be a whole number from 0 to 9223372036854775807\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 84: neighbour: a ContinuationToken that is not UTF-8 is refused naming ContinuationToken
--- request
GET /Partitions/2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19/$/GetBackups?api-version=6.4&ContinuationToken=fabric:/TeamA/Reports/D%E4ily
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Query parameter 'ContinuationToken' has an invalid value: it must be a non-empty UTF-8 string, as the previous answer gave it\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 85: formerly refused: RunTimes as times of day, an empty FriendlyName, MaxIncrementalBackups and MinimumNumberOfBackups as strings (as the rendered examples write them): 201, forwarded as numbers
--- request
POST /BackupRestore/BackupPolicies/$/Create?api-version=6.4
{"Name":"ConformanceSharePolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":"5","Schedule":{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Weekly","RunDays":["Monday","Thursday"],"RunTimes":["9:00:00","23:59:59.5"]},"Storage":{"StorageKind":"FileShare","FriendlyName":"","Path":"\\\\fileserver.conformance.example\\backups"},"RetentionPolicy":{"RetentionPolicyType":"Basic","MinimumNumberOfBackups":"0","RetentionDuration":"P3M"}}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 201
--- error_log
sf-sim received: POST /BackupRestore/BackupPolicies/$/Create?api-version=6.4 content-length=442 body={"Name":"ConformanceSharePolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":5,"Schedule":{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Weekly","RunDays":["Monday","Thursday"],"RunTimes":["9:00:00","23:59:59.5"]},"Storage":{"StorageKind":"FileShare","FriendlyName":"","Path":"\\\\fileserver.conformance.example\\backups"},"RetentionPolicy":{"RetentionPolicyType":"Basic","RetentionDuration":"P3M","MinimumNumberOfBackups":0}}



=== TEST 86: neighbour: a RunTimes of 24:00:00 is refused naming RunTimes
--- request
POST /BackupRestore/BackupPolicies/$/Create?api-version=6.4
{"Name":"ConformanceSharePolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":5,"Schedule":{"ScheduleKind":"TimeBased","ScheduleFrequencyType":"Daily","RunTimes":["24:00:00"]},"Storage":{"StorageKind":"FileShare","Path":"\\\\fileserver.conformance.example\\backups"}}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid request body: member 'RunTimes' item 0 must be a time of day such as 9:00:00, or a date-time such as 0001-01-01T09:00:00Z\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 87: neighbour: a FriendlyName that is no string is refused naming FriendlyName
--- request
POST /BackupRestore/BackupPolicies/$/Create?api-version=6.4
{"Name":"ConformanceSharePolicy","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":5,"Schedule":{"ScheduleKind":"FrequencyBased","Interval":"PT1H"},"Storage":{"StorageKind":"FileShare","FriendlyName":5,"Path":"\\\\fileserver.conformance.example\\backups"}}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid request body: member 'FriendlyName' must be a string, not an integer\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 88: formerly refused: a policy named with spaces and UTF-8, created: 201
--- request
POST /BackupRestore/BackupPolicies/$/Create?api-version=6.4
{"Name":"Nightly Backups ü","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":4,"Schedule":{"ScheduleKind":"FrequencyBased","Interval":"PT24H"},"Storage":{"StorageKind":"FileShare","Path":"\\\\fileserver.conformance.example\\backups","PrimaryUserName":"CONFORMANCE\\backup","PrimaryPassword":"conformance-fake-password"},"RetentionPolicy":{"RetentionPolicyType":"Basic","MinimumNumberOfBackups":12,"RetentionDuration":"P14D"}}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 201
--- error_log
sf-sim received: POST /BackupRestore/BackupPolicies/$/Create?api-version=6.4 content-length=435 body={"Name":"Nightly Backups \u00FC","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":4,"Schedule":{"ScheduleKind":"FrequencyBased","Interval":"PT24H"},"Storage":{"StorageKind":"FileShare","Path":"\\\\fileserver.conformance.example\\backups","PrimaryUserName":"CONFORMANCE\\backup","PrimaryPassword":"conformance-fake-password"},"RetentionPolicy":{"RetentionPolicyType":"Basic","RetentionDuration":"P14D","MinimumNumberOfBackups":12}}



=== TEST 89: formerly refused: the same name in a path, encoded as a client sends it: forwarded percent-encoded (the double knows no such policy: 404)
--- request
POST /BackupRestore/BackupPolicies/Nightly%20Backups%20%C3%BC/$/Update?api-version=6.4
{"Name":"Nightly Backups ü","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":4,"Schedule":{"ScheduleKind":"FrequencyBased","Interval":"PT12H"},"Storage":{"StorageKind":"FileShare","Path":"\\\\fileserver.conformance.example\\backups","PrimaryUserName":"CONFORMANCE\\backup","PrimaryPassword":"conformance-fake-password"},"RetentionPolicy":{"RetentionPolicyType":"Basic","MinimumNumberOfBackups":12,"RetentionDuration":"P14D"}}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 404
--- error_log
sf-sim received: POST /BackupRestore/BackupPolicies/Nightly%20Backups%20%C3%BC/$/Update?api-version=6.4 content-length=435 body={"Name":"Nightly Backups \u00FC","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":4,"Schedule":{"ScheduleKind":"FrequencyBased","Interval":"PT12H"},"Storage":{"StorageKind":"FileShare","Path":"\\\\fileserver.conformance.example\\backups","PrimaryUserName":"CONFORMANCE\\backup","PrimaryPassword":"conformance-fake-password"},"RetentionPolicy":{"RetentionPolicyType":"Basic","RetentionDuration":"P14D","MinimumNumberOfBackups":12}}



=== TEST 90: formerly refused: EnableBackup naming that policy in its body: forwarded, re-serialised (\u00FC; the double: 404 FABRIC_E_BACKUP_POLICY_NOT_EXISTING)
--- request
POST /Services/TeamB~Billing~Ledger/$/EnableBackup?api-version=6.4
{"BackupPolicyName":"Nightly Backups ü"}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 404
--- error_log
sf-sim received: POST /Services/TeamB~Billing~Ledger/$/EnableBackup?api-version=6.4 content-length=45 body={"BackupPolicyName":"Nightly Backups \u00FC"}



=== TEST 91: neighbour: a policy name ending with "." is refused naming Name
--- request
POST /BackupRestore/BackupPolicies/$/Create?api-version=6.4
{"Name":"Nightly Backups.","AutoRestoreOnDataLoss":false,"MaxIncrementalBackups":4,"Schedule":{"ScheduleKind":"FrequencyBased","Interval":"PT24H"},"Storage":{"StorageKind":"FileShare","Path":"\\\\fileserver.conformance.example\\backups","PrimaryUserName":"CONFORMANCE\\backup","PrimaryPassword":"conformance-fake-password"},"RetentionPolicy":{"RetentionPolicyType":"Basic","MinimumNumberOfBackups":12,"RetentionDuration":"P14D"}}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid request body: member 'Name' must be a backup policy name: 1 to 256 bytes of UTF-8 without control characters, '/', '\\\\', '%' or '~', not \\\"\$\\\", not starting with a space nor ending with a space or '\.'\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 92: GetBackupPolicyByName of "Probe Policy" (a name with a space): forwarded as /BackupRestore/BackupPolicies/Probe%20Policy
--- request
GET /BackupRestore/BackupPolicies/Probe%20Policy?api-version=6.4
--- error_code: 404
--- error_log
sf-sim received: GET /BackupRestore/BackupPolicies/Probe%20Policy?api-version=6.4 content-length=0 body=



=== TEST 93: a serviceId written with "/" (the hierarchical form the 6.4 examples use, CalcApp/CalcService): forwarded with "~"
--- request
POST /Services/TeamB/Billing/Ledger/$/SuspendBackup?api-version=6.4
--- error_code: 202
--- error_log
sf-sim received: POST /Services/TeamB~Billing~Ledger/$/SuspendBackup?api-version=6.4 content-length=0 body=



=== TEST 94: stricter than the specification: a ContainerName in capitals, as the examples write it (BackupContainer), is refused naming ContainerName (Azure takes lowercase only)
--- request
POST /Partitions/0f0e0d0c-0b0a-4908-8706-050403020105/$/Backup?api-version=6.4
{"BackupStorage":{"StorageKind":"AzureBlobStore","ConnectionString":"DefaultEndpointsProtocol=https;AccountName=sfconformance;AccountKey=Y29uZm9ybWFuY2UtZmFrZS1rZXk=","ContainerName":"Backups"}}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid request body: 'BackupStorage': member 'ContainerName' must be lowercase letters, digits and '-' only\. \(request id [0-9a-f]{32}\)"\}\}$
