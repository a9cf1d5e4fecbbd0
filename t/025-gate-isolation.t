# Team isolation follows the data a call carries, not only its target: the
# backup a restore reads (its BackupLocation's partition, resolved as team
# scope resolves a target, must be the caller's and be the one the location
# names), the storage a call names (sf_backup_storages, matched exactly as
# Azure and Windows read it), the policies a caller changes (only those it
# owns, sf_backup_policies_owned) or reads (those it uses or owns, lists cut
# to them), a storage query's partition; and, with sf_backup_passthrough
# off, nothing outside the surface.  The teams are the demo's
# (conf/demo.conf); their identity comes from a header here (the
# certificates are t/019's and t/run/run's concern).  Each refusal is a
# FabricError naming what is wrong, is recorded, and reaches the cluster
# double not at all (it logs every request: "sf-sim received: ...").
use Test::Nginx::Socket 'no_plan';
use Cwd qw(abs_path);
use File::Basename qw(dirname);

$ENV{TEST_NGINX_CONF_DIR} ||= abs_path(dirname(__FILE__) . '/../conf');
$ENV{TEST_NGINX_SIM_PORT} ||= 1985;

our $IdA = '1daae3f5-7fd6-42e9-b1ba-8c05f873994d';   # fabric:/TeamA/Orders/Store
our $IdA2 = '2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19';  # fabric:/TeamA/Reports/Daily
our $IdB = '6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70';   # fabric:/TeamB/Billing/Ledger
our $PA = "/Partitions/$IdA/\$";
our $PB = "/Partitions/$IdB/\$";
our $Q = 'api-version=6.4';
our $BackupA = 'bac00002-7fd6-42e9-b1ba-8c05f873994d';   # the double's ids
our $BackupB = 'bac00002-4a4b-4c5e-9f1a-2b3c4d5e6f70';
our $Key = 'c2VjcmV0LWtleS1vZi10aGUtY2FsbGVyLW5ldmVyLXRvLWJlLWxvZ2dlZC0wMDAwMDAwMDAwMDAwMDA=';

# a BackupLocation as JSON text: segments joined by an escaped backslash
sub loc { return join '\\\\', @_ }

our $LocA = loc('TeamA', 'Orders', $IdA, '2026-12-01 09.00.11.zip');
our $LocA2 = loc('TeamA', 'Reports', $IdA2, '2026-12-01 09.00.11.zip');
our $LocB = loc('TeamB', 'Billing', $IdB, '2026-12-01 09.00.11.zip');

sub restore {
    my ($id, $loc, $storage) = @_;
    return qq({"BackupId":"$id","BackupLocation":"$loc")
           . (defined $storage ? qq(,"BackupStorage":$storage) : '') . '}';
}

# an Azure blob storage with its connection string
sub blob {
    my ($cs, $container) = @_;
    return qq({"StorageKind":"AzureBlobStore","ConnectionString":"$cs",)
           . qq("ContainerName":"$container"});
}

# a file share, \\ written as JSON escapes
sub share {
    my ($path) = @_;
    $path =~ s/\\/\\\\/g;
    return qq({"StorageKind":"FileShare","Path":"$path"});
}

our $BlobA = blob("DefaultEndpointsProtocol=https;AccountName=sfsimfakebackups;"
                  . "AccountKey=$Key;EndpointSuffix=core.windows.net",
                  'sf-backups');
our $ShareB = share('\\\\backupserver.sfsim.example\\sf-backups');
our $Evil = blob("DefaultEndpointsProtocol=https;AccountName=attacker;"
                 . "AccountKey=$Key", 'loot');

sub policy {
    my ($name, $storage) = @_;
    return qq({"Name":"$name","AutoRestoreOnDataLoss":false,)
           . qq("MaxIncrementalBackups":6,"Schedule":{"ScheduleKind":)
           . qq("FrequencyBased","Interval":"PT1H"},"Storage":$storage,)
           . qq("RetentionPolicy":{"RetentionPolicyType":"Basic",)
           . qq("RetentionDuration":"P1D"}});
}

sub query {
    my ($storage, $entity) = @_;
    return qq({"Storage":$storage,"BackupEntity":$entity});
}

# What reached the cluster: the double logs each request it gets ("sf-sim
# received: ..."), read back through /errlog as a block's last request.
# seen(): a pattern that every one of the given patterns is found in it.
sub seen {
    return qr/\A@{[ join '', map { "(?=[\\s\\S]*?$_)" } @_ ]}/;
}

our $None = qr/(?!)/;          # for the answers an unlike does not judge

our $A = "X-Team: team-a\nContent-Type: application/json";
our $B = "X-Team: team-b\nContent-Type: application/json";

our $Http = <<'_EOC_';
    js_path "$TEST_NGINX_CONF_DIR/sim";
    js_import sfsim from sf_cluster_sim.js;

    server {
        listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
        set $sf_sim_state_dir $TEST_NGINX_SERVER_ROOT/logs;
        include $TEST_NGINX_CONF_DIR/sim/sf_cluster_sim.locations;
    }

    # a literal "$" (geo values are not compiled)
    geo $dollar {
        default  "$";
    }

    map $http_x_team $team_identity {
        team-a   "CN=team-a";
        team-b   "CN=team-b";
        default  "";
    }

    map $http_x_team $team_scope {
        team-a   "fabric:/TeamA";
        team-b   "fabric:/TeamB";
        default  "";
    }

    map $http_x_team $team_policies {
        team-a   "DailyAzureBackupPolicy";
        team-b   "WeeklyBackupPolicy";
        default  "";
    }

    map $http_x_team $team_policies_owned {
        team-b   "WeeklyBackupPolicy";
        default  "";
    }

    map $http_x_team $team_operations {
        team-a   "enable suspend resume read restore storage_query storage";
        team-b   "enable disable suspend resume backup read policy storage";
        default  "";
    }

    map $http_x_team $team_storages {
        team-a   "https://sfsimfakebackups.blob.core.windows.net/sf-backups";
        team-b   "file://backupserver.sfsim.example/sf-backups";
        default  "";
    }
_EOC_

our $Config = <<'_EOC_';
    sf_backup_gate on;
    sf_backup_identity $team_identity;
    sf_backup_policies $team_policies;
    sf_backup_policies_owned $team_policies_owned;
    sf_backup_operations $team_operations;
    sf_backup_storages $team_storages;
    sf_backup_api_versions 6.2-preview 6.4 9.1;
    sf_backup_scope $team_scope;
    sf_backup_scope_resolve /sf_scope;
    sf_backup_scope_cache zone=sfb_scope:1m;
    sf_backup_passthrough off;
    sf_backup_audit_log logs/audit.log;

    location / {
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }

    location /sf_scope/ {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT/;
        proxy_pass_request_headers off;
        proxy_read_timeout 1s;
    }

    # an error page that points into the lookup's location
    location = /door {
        error_page 418 = /sf_scope/Partitions/6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70/${dollar}/DisableBackup;
        return 418;
    }

    location = /audit {
        sf_backup_gate off;
        alias logs/audit.log;
    }

    location = /errlog {
        sf_backup_gate off;
        alias logs/error.log;
    }
_EOC_

add_block_preprocessor(sub {
    my $block = shift;

    $block->set_value('http_config', $Http) unless defined $block->http_config;
    $block->set_value('config', $Config) unless defined $block->config;
});

no_shuffle();
no_root_location();
log_level('info');
run_tests();

__DATA__

=== TEST 1: team-a restores its own partition's backup: forwarded as sent, the record names the backup and its location
--- request eval
["POST $main::PA/Restore?$main::Q\n" . main::restore($main::BackupA, $main::LocA),
 "GET /audit", "GET /errlog"]
--- more_headers eval
[$main::A, "", ""]
--- error_code eval
[202, 200, 200]
--- response_body_like eval
["",
 qr/"identity":"CN=team-a",[^\n]*"operation":"restore",[^\n]*"backup_id":"bac00002-7fd6-42e9-b1ba-8c05f873994d","backup_location":"TeamA\\\\Orders\\\\1daae3f5-7fd6-42e9-b1ba-8c05f873994d\\\\2026-12-01 09\.00\.11\.zip",[^\n]*"decision":"allow","reason":"allowed","status":202/,
 main::seen(qr{sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/Restore\?api-version=6\.4 content-length=\d+ body=\{"BackupId":"bac00002-7fd6-42e9-b1ba-8c05f873994d","BackupLocation":"TeamA\\\\Orders\\\\1daae3f5-7fd6-42e9-b1ba-8c05f873994d\\\\2026-12-01 09\.00\.11\.zip"\}\n})]



=== TEST 2: team-a restoring team-b's backup into its own partition: 403 source_out_of_scope, never forwarded, on record
--- request eval
["POST $main::PA/Restore?$main::Q\n" . main::restore($main::BackupB, $main::LocB),
 "GET /audit", "GET /errlog"]
--- more_headers eval
[$main::A, "", ""]
--- error_code eval
[403, 200, 200]
--- response_body_like eval
[qr/^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Restoring the backup at BackupLocation 'TeamB\\\\Billing\\\\6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70\\\\2026-12-01 09\.00\.11\.zip' \(partition 6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70\) is not allowed for caller 'CN=team-a'\./,
 qr/"backup_id":"bac00002-4a4b-4c5e-9f1a-2b3c4d5e6f70","backup_location":"TeamB\\\\Billing\\\\6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70\\\\2026-12-01 09\.00\.11\.zip",[^\n]*"decision":"deny","reason":"source_out_of_scope","status":403/,
 main::seen(qr{sf-sim received: GET /Partitions/6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70/\$/GetServiceName})]
--- response_body_unlike eval
[$main::None, $main::None, qr/sf-sim received: POST/]



=== TEST 3: a location that names one service and a partition of another is no one's backup: refused both ways
--- request eval
["POST $main::PA/Restore?$main::Q\n" . main::restore($main::BackupB, main::loc('TeamA', 'Orders', $main::IdB, 'x.zip')),
 "POST $main::PA/Restore?$main::Q\n" . main::restore($main::BackupA, main::loc('TeamB', 'Billing', $main::IdA, 'x.zip')),
 "GET /errlog"]
--- more_headers eval
[$main::A, $main::A, ""]
--- error_code eval
[403, 403, 200]
--- response_body_like eval
[qr/'TeamA\\\\Orders\\\\6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70\\\\x\.zip' \(partition 6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70, whose service the location's first segments do not name\) is not allowed for caller 'CN=team-a'/,
 qr/\(partition 1daae3f5-7fd6-42e9-b1ba-8c05f873994d, whose service the location's first segments do not name\) is not allowed/,
 ""]
--- response_body_unlike eval
[$main::None, $main::None, qr/sf-sim received: POST/]



=== TEST 4: traversal, rooted, drive, UNC, slash, short and trailing-dot forms of BackupLocation: 400 naming it, never looked up
--- request eval
[(map { "POST $main::PA/Restore?$main::Q\n" . main::restore($main::BackupB, $_) }
  main::loc('TeamA', 'Orders', '..', '..', 'TeamB', 'Billing', $main::IdB, 'x.zip'),
  main::loc('', 'TeamB', 'Billing', $main::IdB, 'x.zip'),
  main::loc('C:', 'TeamB', $main::IdB, 'x.zip'),
  main::loc('', '', 'srv', 'share', $main::IdB, 'x.zip'),
  "TeamB/Billing/$main::IdB/x.zip",
  main::loc('TeamB', 'Billing', $main::IdB),
  main::loc('TeamB', 'Billing.', $main::IdB, 'x.zip')),
 "GET /errlog"]
--- more_headers eval
[($main::A) x 7, ""]
--- error_code eval
[(400) x 7, 200]
--- response_body_like eval
[(qr/^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid request body: member 'BackupLocation' must be <application>\\\\<service>\\\\<partition id>\\\\<file>: (?:(?!BackupLocation)[^"])*"\}\}$/) x 7, ""]
--- response_body_unlike eval
[($main::None) x 7, qr/sf-sim received: POST|sf-sim received: GET \/Partitions\/6c3d0a10/]



=== TEST 5: a backup whose partition the cluster does not know is refused; one whose lookup fails answers 503 naming that partition
--- request eval
["POST $main::PA/Restore?$main::Q\n" . main::restore($main::BackupA, main::loc('TeamA', 'Orders', '00000000-0000-0000-0000-000000000404', 'x.zip')),
 "POST $main::PA/Restore?$main::Q\n" . main::restore($main::BackupA, main::loc('TeamA', 'Orders', '00000000-0000-0000-0000-000000000500', 'x.zip')),
 "GET /errlog"]
--- more_headers eval
[$main::A, $main::A, ""]
--- error_code eval
[403, 503, 200]
--- response_body_like eval
[qr/"Code":"E_ACCESSDENIED","Message":"Restoring the backup at BackupLocation '[^']*' \(partition 00000000-0000-0000-0000-000000000404, which does not exist\) is not allowed/,
 qr/"Code":"FABRIC_E_SERVICE_OFFLINE","Message":"The service of partition '00000000-0000-0000-0000-000000000500' could not be resolved/,
 main::seen(qr{the service of partition "00000000-0000-0000-0000-000000000500" could not be resolved})]
--- response_body_unlike eval
[$main::None, $main::None, qr/sf-sim received: POST/]



=== TEST 6: a restore from another of the team's own services, and from the team's own storage, is forwarded; another team's storage or an attacker's is not
--- request eval
["POST $main::PA/Restore?$main::Q\n" . main::restore($main::BackupA, $main::LocA2),
 "POST $main::PA/Restore?$main::Q\n" . main::restore($main::BackupA, $main::LocA, $main::BlobA),
 "POST $main::PA/Restore?$main::Q\n" . main::restore($main::BackupA, $main::LocA, $main::ShareB),
 "POST $main::PA/Restore?$main::Q\n" . main::restore($main::BackupA, $main::LocA, $main::Evil),
 "GET /errlog"]
--- more_headers eval
[($main::A) x 4, ""]
--- error_code eval
[202, 202, 403, 403, 200]
--- response_body_like eval
["", "",
 qr/"Message":"Backup storage 'file:\/\/backupserver\.sfsim\.example\/sf-backups' is not allowed for caller 'CN=team-a'\./,
 qr/"Message":"Backup storage 'https:\/\/attacker\.blob\.core\.windows\.net\/loot' is not allowed for caller 'CN=team-a'\./,
 main::seen(qr{sf-sim received: POST /Partitions/1daae3f5[^\n]*/Restore[^\n]*"BackupLocation":"TeamA\\\\Reports\\\\2a7e5c10},
            qr{sf-sim received: POST /Partitions/1daae3f5[^\n]*/Restore[^\n]*"BackupStorage":\{"StorageKind":"AzureBlobStore"})]
--- response_body_unlike eval
[$main::None, $main::None, qr/AccountKey|\Q$main::Key\E/, qr/AccountKey|\Q$main::Key\E/,
 qr/sf-sim received: POST[^\n]*(backupserver|attacker)/]



=== TEST 7: SkipAutoRestore is governed like Restore: the operation, the scope, the record
--- request eval
["POST $main::PA/SkipAutoRestore?RestoreTimeout=5&api-version=9.1",
 "POST $main::PB/SkipAutoRestore?api-version=9.1",
 "POST $main::PB/SkipAutoRestore?api-version=9.1",
 "GET /audit", "GET /errlog"]
--- more_headers eval
[$main::A, $main::A, $main::B, "", ""]
--- error_code eval
[202, 403, 403, 200, 200]
--- response_body_like eval
["",
 qr/"Message":"Partition '6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70' is out of scope for caller 'CN=team-a'\./,
 qr/"Message":"Operation 'restore' \(SkipAutoRestore\) is not allowed for caller 'CN=team-b'\./,
 qr/\A[^\n]*"uri":"\/Partitions\/1daae3f5[^"]*\/SkipAutoRestore\?RestoreTimeout=5&api-version=9\.1"[^\n]*"operation":"restore"[^\n]*"reason":"allowed"[^\n]*\n[^\n]*"operation":"restore"[^\n]*"reason":"out_of_scope"[^\n]*\n[^\n]*"operation":"restore"[^\n]*"reason":"operation_not_allowed"[^\n]*\n\z/,
 main::seen(qr{sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/SkipAutoRestore\?api-version=9\.1&RestoreTimeout=5})]
--- response_body_unlike eval
[($main::None) x 4, qr/sf-sim received: POST \/Partitions\/6c3d0a10/]



=== TEST 8: a team with policy changes no policy it does not own: update, delete and create refused before reaching the cluster
--- request eval
["POST /BackupRestore/BackupPolicies/DailyAzureBackupPolicy/\$/Update?$main::Q\n" . main::policy('DailyAzureBackupPolicy', $main::ShareB),
 "POST /BackupRestore/BackupPolicies/DailyAzureBackupPolicy/\$/Delete?$main::Q",
 "POST /BackupRestore/BackupPolicies/\$/Create?$main::Q\n" . main::policy('HourlyBackupPolicy', $main::ShareB),
 "GET /audit", "GET /errlog"]
--- more_headers eval
[$main::B, $main::B, $main::B, "", ""]
--- error_code eval
[403, 403, 403, 200, 200]
--- response_body_like eval
[qr/"Code":"E_ACCESSDENIED","Message":"Creating, updating or deleting backup policy 'DailyAzureBackupPolicy' \(only its owner may\) is not allowed for caller 'CN=team-b'\./,
 qr/backup policy 'DailyAzureBackupPolicy' \(only its owner may\)/,
 qr/backup policy 'HourlyBackupPolicy' \(only its owner may\)/,
 qr/"policy":"DailyAzureBackupPolicy",[^\n]*"reason":"policy_not_owned"[^\n]*\n[^\n]*"policy":"DailyAzureBackupPolicy",[^\n]*"reason":"policy_not_owned"[^\n]*\n[^\n]*"policy":"HourlyBackupPolicy","storage":"FileShare path=\\\\\\\\backupserver\.sfsim\.example\\\\sf-backups",[^\n]*"reason":"policy_not_owned"/,
 ""]
--- response_body_unlike eval
[($main::None) x 4, qr/sf-sim received: POST/]



=== TEST 9: the owner's own policy: updated with its own storage; a body naming another policy, another team's storage or an attacker's is refused
--- request eval
["POST /BackupRestore/BackupPolicies/WeeklyBackupPolicy/\$/Update?$main::Q\n" . main::policy('WeeklyBackupPolicy', $main::ShareB),
 "POST /BackupRestore/BackupPolicies/WeeklyBackupPolicy/\$/Update?$main::Q\n" . main::policy('DailyAzureBackupPolicy', $main::ShareB),
 "POST /BackupRestore/BackupPolicies/WeeklyBackupPolicy/\$/Update?$main::Q\n" . main::policy('WeeklyBackupPolicy', $main::BlobA),
 "POST /BackupRestore/BackupPolicies/WeeklyBackupPolicy/\$/Update?$main::Q\n" . main::policy('WeeklyBackupPolicy', $main::Evil),
 "POST /BackupRestore/BackupPolicies/WeeklyBackupPolicy/\$/Delete?$main::Q",
 "GET /errlog"]
--- more_headers eval
[($main::B) x 5, ""]
--- error_code eval
[200, 400, 403, 403, 200, 200]
--- response_body_like eval
["",
 qr/"Code":"E_INVALIDARG","Message":"Invalid request body: member 'Name' must be the policy of the path, 'WeeklyBackupPolicy'\./,
 qr/"Message":"Backup storage 'https:\/\/sfsimfakebackups\.blob\.core\.windows\.net\/sf-backups' is not allowed for caller 'CN=team-b'\./,
 qr/"Message":"Backup storage 'https:\/\/attacker\.blob\.core\.windows\.net\/loot' is not allowed/,
 "",
 main::seen(qr{sf-sim received: POST /BackupRestore/BackupPolicies/WeeklyBackupPolicy/\$/Update\?api-version=6\.4 content-length=\d+ body=\{"Name":"WeeklyBackupPolicy",[^\n]*"Path":"\\\\\\\\backupserver},
            qr{sf-sim received: POST /BackupRestore/BackupPolicies/WeeklyBackupPolicy/\$/Delete})]
--- response_body_unlike eval
[($main::None) x 5, qr/sf-sim received: POST[^\n]*(DailyAzureBackupPolicy|sfsimfakebackups|attacker)/]



=== TEST 10: policy reads: a policy the caller neither uses nor owns is refused; the list has the caller's only
--- request eval
["GET /BackupRestore/BackupPolicies/DailyAzureBackupPolicy?$main::Q",
 "GET /BackupRestore/BackupPolicies/WeeklyBackupPolicy?$main::Q",
 "GET /BackupRestore/BackupPolicies/WeeklyBackupPolicy/\$/GetBackupEnabledEntities?$main::Q",
 "GET /BackupRestore/BackupPolicies?$main::Q",
 "GET /BackupRestore/BackupPolicies?$main::Q",
 "GET /BackupRestore/BackupPolicies/DailyAzureBackupPolicy?$main::Q",
 "GET /errlog"]
--- more_headers eval
[("X-Team: team-a") x 4, ("X-Team: team-b") x 2, ""]
--- error_code eval
[200, 403, 403, 200, 200, 403, 200]
--- response_body_like eval
[qr/^\{"Name":"DailyAzureBackupPolicy",[^\n]*AccountKey=\*\*\*\*/,
 qr/"Code":"E_ACCESSDENIED","Message":"Backup policy 'WeeklyBackupPolicy' is not allowed for caller 'CN=team-a'\./,
 qr/"Message":"Backup policy 'WeeklyBackupPolicy' is not allowed for caller 'CN=team-a'\./,
 qr/^\{"ContinuationToken":"[^"]*","Items":\[\{"Name":"DailyAzureBackupPolicy",[^\n]*\}\]\}$/,
 qr/^\{"ContinuationToken":"[^"]*","Items":\[\{"Name":"WeeklyBackupPolicy",[^\n]*\}\]\}$/,
 qr/"Message":"Backup policy 'DailyAzureBackupPolicy' is not allowed for caller 'CN=team-b'\./,
 main::seen(qr{sf-sim received: GET /BackupRestore/BackupPolicies\?api-version=6\.4})]
--- response_body_unlike eval
[$main::None, $main::None, $main::None, qr/WeeklyBackupPolicy|SimFake-/, qr/DailyAzureBackupPolicy|epM08n7slTQ/, $main::None,
 qr{sf-sim received: GET /BackupRestore/BackupPolicies/WeeklyBackupPolicy}]



=== TEST 11: a policy both teams' entities use lists, for each team, its own entities only
--- request eval
["GET /BackupRestore/BackupPolicies/DailyAzureBackupPolicy/\$/GetBackupEnabledEntities?$main::Q",
 "GET /errlog"]
--- more_headers eval
["X-Team: team-a", ""]
--- error_code eval
[200, 200]
--- response_body_like eval
[qr/^\{"ContinuationToken":"","Items":\[\{"EntityKind":"Service","ServiceName":"fabric:\/TeamA\/Orders\/Store"\}\]\}$/,
 main::seen(qr{sf-sim received: GET /BackupRestore/BackupPolicies/DailyAzureBackupPolicy/\$/GetBackupEnabledEntities})]



=== TEST 12: a storage query's partition must belong to the service it names, and to the caller; names in a body are as strict as in a path
--- request eval
["POST /BackupRestore/\$/GetBackups?$main::Q\n" . main::query($main::BlobA, qq({"EntityKind":"Partition","ServiceName":"fabric:/TeamA/Orders/Store","PartitionId":"$main::IdB"})),
 "POST /BackupRestore/\$/GetBackups?$main::Q\n" . main::query($main::BlobA, qq({"EntityKind":"Partition","ServiceName":"fabric:/TeamA/Reports/Daily","PartitionId":"$main::IdA"})),
 "POST /BackupRestore/\$/GetBackups?$main::Q\n" . main::query($main::BlobA, qq({"EntityKind":"Application","ApplicationName":"fabric:/TeamA/../TeamB/Billing"})),
 "POST /BackupRestore/\$/GetBackups?$main::Q\n" . main::query($main::BlobA, qq({"EntityKind":"Service","ServiceName":"fabric:/TeamA/%2e%2e/TeamB/Billing/Ledger"})),
 "POST /BackupRestore/\$/GetBackups?$main::Q\n" . main::query($main::ShareB, qq({"EntityKind":"Application","ApplicationName":"fabric:/TeamA"})),
 "POST /BackupRestore/\$/GetBackups?$main::Q\n" . main::query($main::BlobA, qq({"EntityKind":"Partition","ServiceName":"fabric:/TeamA/Orders/Store","PartitionId":"$main::IdA"})),
 "GET /errlog"]
--- more_headers eval
[($main::A) x 6, ""]
--- error_code eval
[403, 403, 400, 400, 403, 200, 200]
--- response_body_like eval
[qr/"Message":"Querying the backups of partition 6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70, not one of its ServiceName's, is not allowed for caller 'CN=team-a'\./,
 qr/"Message":"Querying the backups of partition 1daae3f5-7fd6-42e9-b1ba-8c05f873994d, not one of its ServiceName's, is not allowed/,
 qr/"Message":"Invalid request body: member 'ApplicationName' must be a Service Fabric name/,
 qr/"Message":"Invalid request body: member 'ServiceName' must be a Service Fabric name/,
 qr/"Message":"Backup storage 'file:\/\/backupserver\.sfsim\.example\/sf-backups' is not allowed for caller 'CN=team-a'\./,
 qr/^\{"ContinuationToken":"","Items":\[\{"BackupId":"bac00000-7fd6-42e9-b1ba-8c05f873994d",/,
 main::seen(qr{sf-sim received: POST /BackupRestore/\$/GetBackups[^\n]*"PartitionId":"1daae3f5-7fd6-42e9-b1ba-8c05f873994d"})]
--- response_body_unlike eval
[($main::None) x 6, qr{sf-sim received: POST /BackupRestore/\$/GetBackups[^\n]*(6c3d0a10|TeamB|Reports|backupserver)}]



=== TEST 13: connection strings read as Azure reads them: another endpoint, a key given twice, an endpoint against its account, a development store
--- request eval
[(map { "POST $main::PA/Restore?$main::Q\n" . main::restore($main::BackupA, $main::LocA, $_) }
  main::blob("DefaultEndpointsProtocol=https;AccountName=sfsimfakebackups;AccountKey=$main::Key;EndpointSuffix=evil.example", 'sf-backups'),
  main::blob("AccountName=sfsimfakebackups;AccountName=attacker;AccountKey=$main::Key", 'sf-backups'),
  main::blob("AccountName=sfsimfakebackups;accountname=attacker;AccountKey=$main::Key", 'sf-backups'),
  main::blob("AccountName=sfsimfakebackups;AccountKey=$main::Key;BlobEndpoint=https://attacker.blob.core.windows.net/", 'sf-backups'),
  main::blob("UseDevelopmentStorage=true", 'sf-backups'),
  main::blob("AccountName=sfsimfakebackups;AccountKey=$main::Key", 'sf-backups2'),
  main::blob("BlobEndpoint=https://sfsimfakebackups.blob.core.windows.net/;SharedAccessSignature=sv=2020-08-04&sig=abc", 'sf-backups')),
 "GET /errlog"]
--- more_headers eval
[($main::A) x 7, ""]
--- error_code eval
[403, 400, 400, 400, 400, 403, 202, 200]
--- response_body_like eval
[qr/Backup storage 'https:\/\/sfsimfakebackups\.blob\.evil\.example\/sf-backups' is not allowed/,
 qr/"Message":"Invalid request body: 'BackupStorage': [^"]*AccountName[^"]*twice/,
 qr/"Message":"Invalid request body: 'BackupStorage': [^"]*twice/,
 qr/"Message":"Invalid request body: 'BackupStorage': [^"]*BlobEndpoint/,
 qr/"Message":"Invalid request body: 'BackupStorage': [^"]*UseDevelopmentStorage/,
 qr/Backup storage 'https:\/\/sfsimfakebackups\.blob\.core\.windows\.net\/sf-backups2' is not allowed/,
 "",
 main::seen(qr{sf-sim received: POST /Partitions/1daae3f5[^\n]*SharedAccessSignature})]
--- response_body_unlike eval
[(qr/\Q$main::Key\E|sig=abc/) x 7,
 qr/sf-sim received: POST[^\n]*(evil\.example|attacker|UseDevelopmentStorage|sf-backups2)/]



=== TEST 14: share paths read as Windows reads them: only the team's share, exactly
--- request eval
[(map { "POST $main::PB/Backup?$main::Q\n" . qq({"BackupStorage":$_}) }
  main::share('\\\\backupserver.sfsim.example\\sf-backups'),
  main::share('\\\\backupserver.sfsim.example\\sf-backups\\..\\other'),
  main::share('\\\\backupserver.sfsim.example/sf-backups'),
  main::share('\\\\BACKUPSERVER.sfsim.example\\sf-backups'),
  main::share('\\\\backupserver.sfsim.example\\sf-backups\\other'),
  main::share('\\\\?\\UNC\\backupserver.sfsim.example\\sf-backups')),
 "GET /errlog"]
--- more_headers eval
[($main::B) x 6, ""]
--- error_code eval
[202, 400, 400, 403, 403, 400, 200]
--- response_body_like eval
["",
 qr/"Message":"Invalid request body: 'BackupStorage': [^"]*'Path'/,
 qr/"Message":"Invalid request body: 'BackupStorage': [^"]*'Path'/,
 qr/Backup storage 'file:\/\/BACKUPSERVER\.sfsim\.example\/sf-backups' is not allowed for caller 'CN=team-b'/,
 qr/Backup storage 'file:\/\/backupserver\.sfsim\.example\/sf-backups\/other' is not allowed/,
 qr/"Message":"Invalid request body: 'BackupStorage': [^"]*'Path'/,
 main::seen(qr{sf-sim received: POST /Partitions/6c3d0a10[^\n]*/Backup\?api-version=6\.4 content-length=\d+ body=\{"BackupStorage":\{"StorageKind":"FileShare","Path":"\\\\\\\\backupserver\.sfsim\.example\\\\sf-backups"\}\}\n})]
--- response_body_unlike eval
[($main::None) x 6, qr/sf-sim received: POST[^\n]*(other|BACKUPSERVER|UNC|sf-backups\/)/]



=== TEST 15: with sf_backup_passthrough off, nothing outside the surface passes: 403 outside_surface, recorded
--- request eval
["POST /Applications/TeamB~Billing/\$/Delete?api-version=6.0",
 "POST /Faults/Services/TeamB~Billing~Ledger/\$/GetPartitions/$main::IdB/\$/StartDataLoss?api-version=6.0&OperationId=7ac8d1e0-0000-4000-8000-000000000001&DataLossMode=FullDataLoss",
 "GET /Partitions/$main::IdB/\$/GetServiceName?api-version=6.0",
 "GET /BackupRestore/Generic?api-version=6.4",
 "GET /audit", "GET /errlog"]
--- more_headers eval
[($main::A) x 4, "", ""]
--- error_code eval
[403, 403, 403, 403, 200, 200]
--- response_body_like eval
[(qr/^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Only the backup and restore calls are served through this gateway; the request was not forwarded\./) x 4,
 qr/\A(?:[^\n]*"identity":"CN=team-a",[^\n]*"decision":"deny","reason":"outside_surface","status":403[^\n]*\n){4}\z/,
 ""]
--- response_body_unlike eval
[($main::None) x 5, qr/sf-sim received/]



=== TEST 16: the lookup's own location: an error page pointing into it is refused and recorded; asked directly, it does not exist
--- request eval
["GET /door",
 "POST /sf_scope/Partitions/$main::IdB/\$/DisableBackup?api-version=6.4\n{\"CleanBackup\":true}",
 "GET /audit", "GET /errlog"]
--- more_headers eval
[$main::A, $main::A, "", ""]
--- error_code eval
[403, 404, 200, 200]
--- response_body_like eval
[qr/^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"This location serves the gateway's own lookups only; the request was not forwarded\./,
 qr/"Code":"/,
 qr/"uri":"\/door"[^\n]*"reason":"internal_location","status":403/,
 main::seen(qr{reached the location of the gate's own lookups \(sf_backup_scope_resolve\) from outside; refused})]
--- response_body_unlike eval
[($main::None) x 3, qr/sf-sim received/]
