# FabricError everywhere, shown with sf-cluster-sim: each partition id the
# simulator misbehaves for gets, through the gateway, the FabricError a
# Service Fabric client can parse; the cluster's own FabricErrors go through
# unchanged; successes are untouched.
#
# Every block is one row: the request, the status, and an anchored regex over
# the whole body.  The preprocessor below supplies the simulator, the gateway
# location and, for error answers, the FabricError headers to expect.
use Test::Nginx::Socket 'no_plan';
use Cwd qw(abs_path);
use File::Basename qw(dirname);

$ENV{TEST_NGINX_CONF_DIR} ||= abs_path(dirname(__FILE__) . '/../conf');
$ENV{TEST_NGINX_SIM_PORT} ||= 1985;

# ...0504 answers 300 ms after the gateway stopped waiting for it.
our $HttpConfig = <<'_EOC_';
js_path "$TEST_NGINX_CONF_DIR/sim";
js_import sfsim from sf_cluster_sim.js;

server {
    listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
    set $sf_sim_slow_ms 1300;
    include $TEST_NGINX_CONF_DIR/sim/sf_cluster_sim.locations;
}

upstream sf_cluster {
    server 127.0.0.1:$TEST_NGINX_SIM_PORT;
    keepalive 4;
}
_EOC_

our $Config = <<'_EOC_';
location / {
    sf_backup_gate on;
    sf_backup_policies DailyAzureBackupPolicy HourlyBackupPolicy;

    proxy_pass http://sf_cluster;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_read_timeout 1s;
}
_EOC_

add_block_preprocessor(sub {
    my $block = shift;
    my $code = $block->error_code;

    $block->set_value(http_config => $HttpConfig)
        unless defined $block->http_config;

    $block->set_value(config => $Config)
        unless defined $block->config;

    $block->set_value(more_headers => 'Content-Type: application/json')
        if !defined $block->more_headers
           && ($block->request // '') =~ /^\s*POST\b/;

    # an error answer is a FabricError with the request id beside it
    $block->set_value(response_headers_like =>
                      "Content-Type: application/json; charset=utf-8\n"
                      . "X-Request-Id: [0-9a-f]{32}")
        if defined $code && !ref $code && $code >= 400
           && !defined $block->response_headers_like
           && !defined $block->response_headers;
});

no_shuffle();
no_root_location();
log_level('warn');
run_tests();

__DATA__

=== TEST 1: a healthy partition: 202, empty body, untouched
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- error_code: 202
--- response_headers
!X-Request-Id
Content-Length: 0
--- response_body
--- no_error_log
[error]



=== TEST 2: ...0404: the cluster's FabricError goes through with its Code and Message
--- request
POST /Partitions/00000000-0000-0000-0000-000000000404/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- error_code: 404
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_PARTITION_NOT_FOUND","Message":"Partition 00000000-0000-0000-0000-000000000404 not found"\}\}$
--- no_error_log
[error]



=== TEST 3: ...0500: an HTML page becomes 500 E_FAIL, the page is not echoed
--- request
POST /Partitions/00000000-0000-0000-0000-000000000500/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- error_code: 500
--- response_body_like: ^\{"Error":\{"Code":"E_FAIL","Message":"The cluster answered 500 with a body that is not a FabricError \(request id [0-9a-f]{32}\)\."\}\}$
--- error_log
sf-sim received: POST /Partitions/00000000-0000-0000-0000-000000000500/$/EnableBackup
--- no_error_log
[error]



=== TEST 4: ...0502: a connection closed without an answer is 502 FABRIC_E_COMMUNICATION_ERROR
--- request
POST /Partitions/00000000-0000-0000-0000-000000000502/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- error_code: 502
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_COMMUNICATION_ERROR","Message":"The gateway got no answer from the cluster: the connection was refused, reset or closed, or the answer was invalid \(request id [0-9a-f]{32}\)\."\}\}$
--- error_log
upstream prematurely closed connection while reading response header from upstream



=== TEST 5: ...0503: a load balancer's plain text becomes 503 FABRIC_E_SERVICE_OFFLINE
--- request
POST /Partitions/00000000-0000-0000-0000-000000000503/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- error_code: 503
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_SERVICE_OFFLINE","Message":"The cluster answered 503 with a body that is not a FabricError \(request id [0-9a-f]{32}\)\."\}\}$
--- no_error_log
[error]



=== TEST 6: ...0504: an answer later than proxy_read_timeout is 504 FABRIC_E_TIMEOUT
--- request
POST /Partitions/00000000-0000-0000-0000-000000000504/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- error_code: 504
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_TIMEOUT","Message":"The gateway got no answer from the cluster: it timed out \(request id [0-9a-f]{32}\)\."\}\}$
--- error_log
upstream timed out (110: Connection timed out) while reading response header from upstream
--- wait: 0.5



=== TEST 7: a policy the gateway allows and the cluster lacks: the cluster's 404 intact
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"HourlyBackupPolicy"}
--- error_code: 404
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_BACKUP_POLICY_NOT_EXISTING","Message":"Backup policy does not exist"\}\}$
--- no_error_log
[error]



=== TEST 8: the Service call, a policy the cluster lacks: the cluster's 404 intact
--- request
POST /Services/MyApp~MySvc/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"HourlyBackupPolicy"}
--- error_code: 404
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_BACKUP_POLICY_NOT_EXISTING","Message":"Backup policy does not exist"\}\}$
--- no_error_log
[error]



=== TEST 9: a call the cluster does not know, not governed: its FabricError goes through
--- request
GET /$/GetClusterHealth?api-version=6.0
--- error_code: 404
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_NAME_DOES_NOT_EXIST","Message":"sf-cluster-sim does not know /\$/GetClusterHealth"\}\}$
--- no_error_log
[error]



=== TEST 10: the gate's own denial is a FabricError and never reaches the cluster
--- request
POST /Partitions/00000000-0000-0000-0000-000000000500/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"WeeklyBackupPolicy"}
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"(?:[^"\\]|\\.)* \(request id [0-9a-f]{32}\)"\}\}$
--- no_error_log
sf-sim received
[error]



=== TEST 11: every misbehaving partition on one keep-alive connection
--- pipelined_requests eval
[map { "POST /Partitions/00000000-0000-0000-0000-000000000$_/\$/EnableBackup?api-version=6.2-preview\n"
       . '{"BackupPolicyName":"DailyAzureBackupPolicy"}' } qw(404 500 502 503)]
--- error_code eval
[404, 500, 502, 503]
--- response_body_like eval
[
 '^\{"Error":\{"Code":"FABRIC_E_PARTITION_NOT_FOUND","Message":"Partition 00000000-0000-0000-0000-000000000404 not found"\}\}$',
 '^\{"Error":\{"Code":"E_FAIL","Message":"The cluster answered 500 with a body that is not a FabricError \(request id [0-9a-f]{32}\)\."\}\}$',
 '^\{"Error":\{"Code":"FABRIC_E_COMMUNICATION_ERROR","Message":"The gateway got no answer from the cluster: the connection was refused, reset or closed, or the answer was invalid \(request id [0-9a-f]{32}\)\."\}\}$',
 '^\{"Error":\{"Code":"FABRIC_E_SERVICE_OFFLINE","Message":"The cluster answered 503 with a body that is not a FabricError \(request id [0-9a-f]{32}\)\."\}\}$',
]
--- response_headers_like eval
[("Content-Type: application/json; charset=utf-8\nX-Request-Id: [0-9a-f]{32}") x 4]
--- more_headers
Content-Type: application/json
