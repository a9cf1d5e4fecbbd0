# Team scope: a team acts only on its own applications, services and
# partitions.  The team comes from a client certificate nginx verified (a
# map on $ssl_client_verify and $ssl_client_s_dn), its scope from a map on
# the team.  A service or application call is checked from its id, a
# partition call from the service the cluster names for it
# (GetServiceName, asked through sf_backup_scope_resolve's location and
# kept in sf_backup_scope_cache).  Out of scope: 403 out_of_scope, never
# forwarded; a partition the cluster does not know: 404
# partition_not_found; a lookup that fails in any way: 503
# scope_unresolved and an error-log line; each case audited.
#
# The test client speaks plain HTTP to a front server whose locations
# /team-a/, /team-b/, /forged/ and /none/ reach the TLS gate with that
# client certificate (or none).  The cluster double logs every request it
# receives ("sf-sim received: METHOD URI ..."), lookups included.
use Cwd qw(abs_path);
use File::Basename qw(dirname);

# TLS servers in every block's http_config
use lib abs_path(dirname(__FILE__)) . '/needs';
use Needs qw(http_ssl_module);

use Test::Nginx::Socket 'no_plan';

$ENV{TEST_NGINX_CONF_DIR} ||= abs_path(dirname(__FILE__) . '/../conf');
$ENV{TEST_NGINX_SIM_PORT} ||= 1985;
$ENV{TEST_NGINX_TLS_PORT} ||= $ENV{TEST_NGINX_SIM_PORT} + 7;

use lib abs_path(dirname(__FILE__)) . '/pki';
use Pki qw(pki);

BEGIN {
    $ENV{TEST_NGINX_CERT_DIR} = Pki::pki(
        signed => [qw(localhost team-a team-b)],
        forged => { forged => '/O=Contoso/CN=team-a' });
}

our $PA = '/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$';   # TeamA
our $PB = '/Partitions/6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70/$';   # TeamB
our $SA = '/Services/TeamA~Orders~Store/$';
our $SB = '/Services/TeamB~Billing~Ledger/$';
our $SAB = '/Services/TeamAB~Orders/$';
our $AA = '/Applications/TeamA~Orders/$';
our $AB = '/Applications/TeamB~Billing/$';
our $AAB = '/Applications/TeamAB/$';
our $Q = 'api-version=6.2-preview';
our $Enable = '{"BackupPolicyName":"DailyAzureBackupPolicy"}';
our $Restore = '{"BackupId":"6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70",'
               . '"BackupLocation":"TeamA\\\\Orders\\\\'
               . '1daae3f5-7fd6-42e9-b1ba-8c05f873994d\\\\b.zip"}';

# one block per call: in scope at each level it exists, then the same call
# on TeamB's entity and on TeamAB's (the segment boundary)
sub levels {
    my ($method, $action, $body, @levels) = @_;
    my %in = (P => $main::PA, S => $main::SA, A => $main::AA);
    my %out = (P => [$main::PB], S => [$main::SB, $main::SAB],
               A => [$main::AB, $main::AAB]);
    my (@req, @code);
    my $b = defined $body ? "\n$body" : "\n";

    for my $l (@levels) {
        push @req, "$method /team-a$in{$l}/$action?$main::Q$b";
        push @code, $method eq 'GET' ? 200 : 202;
    }

    for my $l (@levels) {
        for my $e (@{ $out{$l} }) {
            push @req, "$method /team-a$e/$action?$main::Q$b";
            push @code, 403;
        }
    }

    return (\@req, \@code);
}

our $Http = <<'_EOC_';
    js_path "$TEST_NGINX_CONF_DIR/sim";
    js_import sfsim from sf_cluster_sim.js;
    sf_backup_metrics_zone sfb_metrics 128k;

    server {
        listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
        set $sf_sim_state_dir $TEST_NGINX_SERVER_ROOT/logs;
        set $sf_sim_slow_ms 1500;
        include $TEST_NGINX_CONF_DIR/sim/sf_cluster_sim.locations;
    }

    map "$ssl_client_verify:$ssl_client_s_dn" $team {
        "SUCCESS:CN=team-a,O=Contoso"  team-a;
        "SUCCESS:CN=team-b,O=Contoso"  team-b;
        default                        "";
    }

    map $team $team_scope {
        team-a   "fabric:/TeamA";
        team-b   "fabric:/TeamB, fabric:/Shared/Reports";
        default  "";
    }

    map $ssl_client_verify $verified_dn {
        SUCCESS  $ssl_client_s_dn;
        default  "";
    }

    server {
        listen 127.0.0.1:$TEST_NGINX_TLS_PORT ssl;
        ssl_certificate $TEST_NGINX_CERT_DIR/localhost.crt;
        ssl_certificate_key $TEST_NGINX_CERT_DIR/localhost.key;
        ssl_client_certificate $TEST_NGINX_CERT_DIR/ca.crt;
        ssl_verify_client optional;

        sf_backup_gate $TEST_NGINX_GATE;
        sf_backup_identity $verified_dn;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_operations enable disable suspend resume backup restore
                             read storage_query storage;
        sf_backup_storages file://fs/b;
        sf_backup_scope $team_scope;
        sf_backup_scope_resolve /sf_scope;
        sf_backup_scope_cache zone=sfb_scope:1m;
        sf_backup_audit_log logs/audit.log;

        location / {
            add_header X-Entity-Name $sf_backup_entity_name always;
            proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
        }

        location /sf_scope/ {
            internal;
            proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT/;
            proxy_pass_request_headers off;
            proxy_read_timeout 1s;
        }
    }
_EOC_

our $Front = <<'_EOC_';
    location /team-a/ {
        proxy_pass https://127.0.0.1:$TEST_NGINX_TLS_PORT/;
        proxy_ssl_session_reuse off;
        proxy_ssl_certificate $TEST_NGINX_CERT_DIR/team-a.crt;
        proxy_ssl_certificate_key $TEST_NGINX_CERT_DIR/team-a.key;
    }

    location /team-b/ {
        proxy_pass https://127.0.0.1:$TEST_NGINX_TLS_PORT/;
        proxy_ssl_session_reuse off;
        proxy_ssl_certificate $TEST_NGINX_CERT_DIR/team-b.crt;
        proxy_ssl_certificate_key $TEST_NGINX_CERT_DIR/team-b.key;
    }

    location /forged/ {
        proxy_pass https://127.0.0.1:$TEST_NGINX_TLS_PORT/;
        proxy_ssl_session_reuse off;
        proxy_ssl_certificate $TEST_NGINX_CERT_DIR/forged.crt;
        proxy_ssl_certificate_key $TEST_NGINX_CERT_DIR/forged.key;
    }

    location = /audit {
        alias logs/audit.log;
    }

    location = /metrics {
        sf_backup_metrics;
    }

    # the scope from a request header: a list, or empty
    location /hdr/ {
        sf_backup_gate on;
        sf_backup_identity tester;
        sf_backup_operations read;
        sf_backup_scope $http_x_scope;
        sf_backup_scope_resolve /sf_scope;
        sf_backup_audit_log logs/audit.log;
        rewrite ^/hdr(/.*)$ $1 break;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }

    location /sf_scope/ {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT/;
    }
_EOC_

add_block_preprocessor(sub {
    my $block = shift;
    my $gate = $block->gate // 'on';
    (my $http = $Http) =~ s/\$TEST_NGINX_GATE/$gate/;

    $block->set_value('http_config', $http) unless defined $block->http_config;
    $block->set_value('config', $Front) unless defined $block->config;
    $block->set_value('more_headers', 'Content-Type: application/json')
        unless defined $block->more_headers;
});

no_shuffle();
no_root_location();
check_accum_error_log();
log_level('warn');
run_tests();

__DATA__

=== TEST 1: a team's own partition: looked up, forwarded; the name in the variable and the audit record
--- request eval
["POST /team-a$main::PA/EnableBackup?$main::Q\n$main::Enable", "GET /audit"]
--- error_code eval
[202, 200]
--- response_headers eval
["X-Entity-Name: fabric:/TeamA/Orders/Store", ""]
--- response_body_like eval
["^\$", qr/^\{[^\n]*"identity":"CN=team-a,O=Contoso"[^\n]*"entity":"partition","entity_id":"1daae3f5-7fd6-42e9-b1ba-8c05f873994d","entity_name":"fabric:\/TeamA\/Orders\/Store","operation":"enable"[^\n]*"decision":"allow","reason":"allowed","status":202,/]
--- error_log eval
["sf-sim received: GET /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/GetServiceName?api-version=6.0 content-length=0",
 "sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview"]



=== TEST 2: another team's partition: 403 out_of_scope naming the partition and the caller, never the scope; nothing forwarded; audited
--- request eval
["POST /team-a$main::PB/EnableBackup?$main::Q\n$main::Enable", "GET /audit"]
--- error_code eval
[403, 200]
--- response_body_like eval
[qr/^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Partition '6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70' is out of scope for caller 'CN=team-a,O=Contoso'\. \(request id [0-9a-f]{32}\)"\}\}$/,
 qr/"entity_id":"6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70","entity_name":"fabric:\/TeamB\/Billing\/Ledger","operation":"enable","policy":"","storage":""[^\n]*"decision":"deny","reason":"out_of_scope","status":403,"upstream_status":null/]
--- response_body_unlike eval
[qr/TeamA|TeamB|fabric:/, qr/^$/]
--- error_log
sf-sim received: GET /Partitions/6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70/$/GetServiceName
--- no_error_log
sf-sim received: POST



=== TEST 3: EnableBackup at every level: in scope forwarded; TeamB's and TeamAB's entities refused, never forwarded
--- pipelined_requests eval
(main::levels('POST', 'EnableBackup', $main::Enable, qw(P S A)))[0]
--- error_code eval
(main::levels('POST', 'EnableBackup', $main::Enable, qw(P S A)))[1]
--- error_log eval
[qr{sf-sim received: POST /Services/TeamA~Orders~Store/\$/EnableBackup},
 qr{sf-sim received: POST /Applications/TeamA~Orders/\$/EnableBackup}]
--- no_error_log eval
[qr{sf-sim received: POST /(Partitions/6c3d|Services/TeamB|Services/TeamAB|Applications/TeamB|Applications/TeamAB)}]



=== TEST 4: DisableBackup at every level
--- pipelined_requests eval
(main::levels('POST', 'DisableBackup', undef, qw(P S A)))[0]
--- error_code eval
(main::levels('POST', 'DisableBackup', undef, qw(P S A)))[1]
--- no_error_log eval
[qr{sf-sim received: POST /(Partitions/6c3d|Services/TeamB|Services/TeamAB|Applications/TeamB|Applications/TeamAB)}]



=== TEST 5: SuspendBackup at every level
--- pipelined_requests eval
(main::levels('POST', 'SuspendBackup', undef, qw(P S A)))[0]
--- error_code eval
(main::levels('POST', 'SuspendBackup', undef, qw(P S A)))[1]
--- no_error_log eval
[qr{sf-sim received: POST /(Partitions/6c3d|Services/TeamB|Services/TeamAB|Applications/TeamB|Applications/TeamAB)}]



=== TEST 6: ResumeBackup at every level
--- pipelined_requests eval
(main::levels('POST', 'ResumeBackup', undef, qw(P S A)))[0]
--- error_code eval
(main::levels('POST', 'ResumeBackup', undef, qw(P S A)))[1]
--- no_error_log eval
[qr{sf-sim received: POST /(Partitions/6c3d|Services/TeamB|Services/TeamAB|Applications/TeamB|Applications/TeamAB)}]



=== TEST 7: GetBackupConfigurationInfo at every level
--- pipelined_requests eval
(main::levels('GET', 'GetBackupConfigurationInfo', undef, qw(P S A)))[0]
--- error_code eval
(main::levels('GET', 'GetBackupConfigurationInfo', undef, qw(P S A)))[1]
--- no_error_log eval
[qr{sf-sim received: GET /(Partitions/6c3d|Services/TeamB|Services/TeamAB|Applications/TeamB|Applications/TeamAB)[^ ]*/\$/GetBackupConfigurationInfo}]



=== TEST 8: GetBackups at every level
--- pipelined_requests eval
(main::levels('GET', 'GetBackups', undef, qw(P S A)))[0]
--- error_code eval
(main::levels('GET', 'GetBackups', undef, qw(P S A)))[1]
--- no_error_log eval
[qr{sf-sim received: GET /(Partitions/6c3d|Services/TeamB|Services/TeamAB|Applications/TeamB|Applications/TeamAB)[^ ]*/\$/GetBackups}]



=== TEST 9: Backup (partitions only)
--- pipelined_requests eval
(main::levels('POST', 'Backup', undef, qw(P)))[0]
--- error_code eval
(main::levels('POST', 'Backup', undef, qw(P)))[1]
--- no_error_log eval
[qr{sf-sim received: POST /Partitions/6c3d}]



=== TEST 10: GetBackupProgress (partitions only)
--- pipelined_requests eval
(main::levels('GET', 'GetBackupProgress', undef, qw(P)))[0]
--- error_code eval
(main::levels('GET', 'GetBackupProgress', undef, qw(P)))[1]
--- no_error_log eval
[qr{sf-sim received: GET /Partitions/6c3d[^ ]*/GetBackupProgress}]



=== TEST 11: Restore (partitions only)
--- pipelined_requests eval
(main::levels('POST', 'Restore', $main::Restore, qw(P)))[0]
--- error_code eval
(main::levels('POST', 'Restore', $main::Restore, qw(P)))[1]
--- no_error_log eval
[qr{sf-sim received: POST /Partitions/6c3d}]



=== TEST 12: GetRestoreProgress (partitions only)
--- pipelined_requests eval
(main::levels('GET', 'GetRestoreProgress', undef, qw(P)))[0]
--- error_code eval
(main::levels('GET', 'GetRestoreProgress', undef, qw(P)))[1]
--- no_error_log eval
[qr{sf-sim received: GET /Partitions/6c3d[^ ]*/GetRestoreProgress}]



=== TEST 13: the other team sees the mirror image: TeamB's entities in, TeamA's out
--- pipelined_requests eval
["POST /team-b$main::PB/SuspendBackup?$main::Q\n",
 "POST /team-b$main::SB/SuspendBackup?$main::Q\n",
 "POST /team-b$main::PA/SuspendBackup?$main::Q\n",
 "POST /team-b$main::AA/SuspendBackup?$main::Q\n"]
--- error_code eval
[202, 202, 403, 403]
--- response_body_like eval
["", "", qr/"Message":"Partition '1daae3f5-7fd6-42e9-b1ba-8c05f873994d' is out of scope for caller 'CN=team-b,O=Contoso'\./, qr/"Message":"Application 'TeamA~Orders' is out of scope for caller 'CN=team-b,O=Contoso'\./]
--- no_error_log eval
[qr{sf-sim received: POST /(Partitions/1daae|Applications/TeamA)}]



=== TEST 14: several names in a scope; each covers itself and what is below it, not its parent or a longer sibling
--- pipelined_requests eval
["GET /team-b/Applications/Shared~Reports/\$/GetBackups?$main::Q",
 "GET /team-b/Services/Shared~Reports~Daily/\$/GetBackups?$main::Q",
 "GET /team-b/Applications/Shared/\$/GetBackups?$main::Q",
 "GET /team-b/Applications/Shared~ReportsX/\$/GetBackups?$main::Q",
 "GET /team-b/Services/TeamB~Billing~Ledger/\$/GetBackups?$main::Q"]
--- error_code eval
[200, 200, 403, 403, 200]



=== TEST 15: names compare as Service Fabric's do: the path case-sensitively
--- pipelined_requests eval
["GET /team-a/Applications/teama~Orders/\$/GetBackups?$main::Q",
 "GET /team-a/Services/TEAMA~Orders~Store/\$/GetBackups?$main::Q",
 "GET /team-a/Applications/TeamA/\$/GetBackups?$main::Q"]
--- error_code eval
[403, 403, 200]



=== TEST 16: the policy calls have no entity: not scoped
--- request eval
"GET /team-a/BackupRestore/BackupPolicies?$main::Q"
--- error_code: 200
--- error_log
sf-sim received: GET /BackupRestore/BackupPolicies



=== TEST 17: a storage query is scoped by the entity its body names
--- pipelined_requests eval
["POST /team-a/BackupRestore/\$/GetBackups?$main::Q\n{\"Storage\":{\"StorageKind\":\"FileShare\",\"Path\":\"\\\\\\\\fs\\\\b\"},\"BackupEntity\":{\"EntityKind\":\"Application\",\"ApplicationName\":\"fabric:/TeamA\"}}",
 "POST /team-a/BackupRestore/\$/GetBackups?$main::Q\n{\"Storage\":{\"StorageKind\":\"FileShare\",\"Path\":\"\\\\\\\\fs\\\\b\"},\"BackupEntity\":{\"EntityKind\":\"Service\",\"ServiceName\":\"fabric:/TeamB/Billing/Ledger\"}}",
 "POST /team-a/BackupRestore/\$/GetBackups?$main::Q\n{\"Storage\":{\"StorageKind\":\"FileShare\",\"Path\":\"\\\\\\\\fs\\\\b\"},\"BackupEntity\":{\"EntityKind\":\"Partition\",\"ServiceName\":\"fabric:/TeamAB/X\",\"PartitionId\":\"1daae3f5-7fd6-42e9-b1ba-8c05f873994d\"}}"]
--- error_code eval
[200, 403, 403]
--- response_body_like eval
["", qr/"Message":"Backup entity 'fabric:\/TeamB\/Billing\/Ledger' is out of scope for caller 'CN=team-a,O=Contoso'\./, qr/out of scope/]
--- no_error_log eval
[qr{sf-sim received: POST /BackupRestore/\$/GetBackups[^\n]*Team(B|AB)}]



=== TEST 18: a forged certificate with team-a's subject is refused by nginx; no certificate is no identity: never the cluster
--- config eval
$main::Front . q{
    location /none/ {
        proxy_pass https://127.0.0.1:$TEST_NGINX_TLS_PORT/;
        proxy_ssl_session_reuse off;
    }
}
--- request eval
["POST /forged$main::PA/EnableBackup?$main::Q\n$main::Enable",
 "POST /none$main::PA/EnableBackup?$main::Q\n$main::Enable"]
--- error_code eval
[400, 403]
--- response_body_like eval
[qr/"Code":"E_INVALIDARG","Message":"The client certificate was not accepted by the gateway/, qr/"Code":"E_ACCESSDENIED","Message":"The caller could not be identified\./]
--- no_error_log
sf-sim received



=== TEST 19: the cluster does not know the partition: its 404 FABRIC_E_PARTITION_NOT_FOUND, nothing forwarded, audited
--- request eval
["POST /team-a/Partitions/00000000-0000-0000-0000-000000000404/\$/SuspendBackup?$main::Q\n", "GET /audit", "GET /metrics"]
--- error_code eval
[404, 200, 200]
--- response_body_like eval
[qr/^\{"Error":\{"Code":"FABRIC_E_PARTITION_NOT_FOUND","Message":"Partition '00000000-0000-0000-0000-000000000404' does not exist\. /,
 qr/"entity_id":"00000000-0000-0000-0000-000000000404","operation":"suspend"[^\n]*"decision":"deny","reason":"partition_not_found","status":404/,
 qr/sf_backup_scope_lookup_failures_total\{reason="partition_not_found"\} 1\n/]
--- error_log
sf-sim received: GET /Partitions/00000000-0000-0000-0000-000000000404/$/GetServiceName
--- no_error_log
sf-sim received: POST



=== TEST 20: the lookup answers 500 with HTML: 503 scope_unresolved, an error-log line, nothing forwarded, audited
--- request eval
["POST /team-a/Partitions/00000000-0000-0000-0000-000000000500/\$/SuspendBackup?$main::Q\n", "GET /audit"]
--- error_code eval
[503, 200]
--- response_body_like eval
[qr/^\{"Error":\{"Code":"FABRIC_E_SERVICE_OFFLINE","Message":"The service of partition '00000000-0000-0000-0000-000000000500' could not be resolved; the request was not forwarded\. /,
 qr/"decision":"deny","reason":"scope_unresolved","status":503/]
--- error_log
sf_backup: the service of partition "00000000-0000-0000-0000-000000000500" could not be resolved through "/sf_scope": status 500
--- no_error_log
sf-sim received: POST



=== TEST 21: the lookup's connection is closed without an answer: 503 scope_unresolved
--- request eval
["POST /team-a/Partitions/00000000-0000-0000-0000-000000000502/\$/SuspendBackup?$main::Q\n", "GET /audit"]
--- error_code eval
[503, 200]
--- response_body_like eval
[qr/"Code":"FABRIC_E_SERVICE_OFFLINE"/, qr/"reason":"scope_unresolved","status":503/]
--- error_log
could not be resolved through "/sf_scope": status 502
--- no_error_log
sf-sim received: POST



=== TEST 22: the lookup answers 503 in plain text: 503 scope_unresolved
--- request eval
["POST /team-a/Partitions/00000000-0000-0000-0000-000000000503/\$/SuspendBackup?$main::Q\n", "GET /audit"]
--- error_code eval
[503, 200]
--- response_body_like eval
[qr/"Code":"FABRIC_E_SERVICE_OFFLINE"/, qr/"reason":"scope_unresolved","status":503/]
--- error_log
could not be resolved through "/sf_scope": status 503
--- no_error_log
sf-sim received: POST



=== TEST 23: the lookup times out (the resolve location's proxy_read_timeout): 503 scope_unresolved
--- request eval
["POST /team-a/Partitions/00000000-0000-0000-0000-000000000504/\$/SuspendBackup?$main::Q\n", "GET /audit"]
--- error_code eval
[503, 200]
--- response_body_like eval
[qr/"Code":"FABRIC_E_SERVICE_OFFLINE"/, qr/"reason":"scope_unresolved","status":503/]
--- error_log
could not be resolved through "/sf_scope": status 504
--- no_error_log
sf-sim received: POST



=== TEST 24: the lookup answers 200 with JSON cut short: 503 scope_unresolved
--- request eval
["POST /team-a/Partitions/00000000-0000-0000-0000-000000000505/\$/SuspendBackup?$main::Q\n", "GET /audit", "GET /metrics"]
--- error_code eval
[503, 200, 200]
--- response_body_like eval
[qr/"Code":"FABRIC_E_SERVICE_OFFLINE"/, qr/"reason":"scope_unresolved","status":503/,
 qr/sf_backup_scope_lookup_failures_total\{reason="scope_unresolved"\} 1\n/]
--- error_log
could not be resolved through "/sf_scope": not JSON (line 1, column
--- no_error_log
sf-sim received: POST



=== TEST 25: a failed lookup is not kept: the next call asks again
--- pipelined_requests eval
["POST /team-a/Partitions/00000000-0000-0000-0000-000000000503/\$/SuspendBackup?$main::Q\n",
 "POST /team-a/Partitions/00000000-0000-0000-0000-000000000503/\$/SuspendBackup?$main::Q\n"]
--- error_code eval
[503, 503]
--- grep_error_log eval: qr/sf-sim received: GET \S+GetServiceName/
--- grep_error_log_out eval
"sf-sim received: GET /Partitions/00000000-0000-0000-0000-000000000503/\$/GetServiceName\n" x 2



=== TEST 26: a resolved partition is kept: one lookup for many calls; hits and misses counted
--- pipelined_requests eval
[("GET /team-a$main::PA/GetBackups?$main::Q") x 5, "GET /metrics"]
--- error_code eval
[(200) x 6]
--- response_body_like eval
[("") x 5, qr/sf_backup_scope_cache_total\{result="hit"\} 4\nsf_backup_scope_cache_total\{result="miss"\} 1\n/]
--- grep_error_log eval: qr/sf-sim received: GET \S+GetServiceName/
--- grep_error_log_out
sf-sim received: GET /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/GetServiceName



=== TEST 27: report_only: an out-of-scope call is forwarded and recorded as "report" out_of_scope, with a warning
--- gate: report_only
--- request eval
["POST /team-a$main::PB/SuspendBackup?$main::Q\n", "GET /audit"]
--- error_code eval
[202, 200]
--- response_body_like eval
["", qr/"entity_name":"fabric:\/TeamB\/Billing\/Ledger","operation":"suspend"[^\n]*"decision":"report","reason":"out_of_scope","status":202/]
--- error_log
sf_backup: report only: partition would be denied (out_of_scope)
sf-sim received: POST /Partitions/6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70/$/SuspendBackup



=== TEST 28: report_only: a failed lookup is reported, and the call forwarded
--- gate: report_only
--- request eval
["POST /team-a/Partitions/00000000-0000-0000-0000-000000000503/\$/SuspendBackup?$main::Q\n", "GET /audit"]
--- error_code eval
[503, 200]
--- response_body_like eval
["", qr/"decision":"report","reason":"scope_unresolved"/]
--- error_log
sf-sim received: POST /Partitions/00000000-0000-0000-0000-000000000503/$/SuspendBackup



=== TEST 29: report_only: an in-scope call that breaks another rule reports that rule
--- gate: report_only
--- request eval
["POST /team-a$main::PB/EnableBackup?$main::Q\n{\"BackupPolicyName\":\"WeeklyBackupPolicy\"}", "GET /audit"]
--- error_code eval
[202, 200]
--- response_body_like eval
["", qr/"decision":"report","reason":"policy_not_allowed"/]



=== TEST 30: a scope from a variable holding a list: each name, separated by commas or spaces
--- pipelined_requests eval
["GET /hdr/Applications/TeamA/\$/GetBackups?$main::Q",
 "GET /hdr/Applications/TeamB/\$/GetBackups?$main::Q",
 "GET /hdr/Applications/TeamC/\$/GetBackups?$main::Q"]
--- more_headers
X-Scope: fabric:/TeamA,fabric:/TeamB
--- error_code eval
[200, 200, 403]



=== TEST 31: a scope configured and empty for the request: nothing is in scope
--- request eval
"GET /hdr/Applications/TeamA/\$/GetBackups?$main::Q"
--- error_code: 403
--- response_body_like: "Message":"Application 'TeamA' is out of scope for caller 'tester'\.
--- no_error_log
sf-sim received
