# What the upstream receives for an allowed call is exactly what was
# validated, in canonical form: the path with a lowercase UUID or a
# "~"-joined name, "api-version=...[&timeout=N]" (N without leading zeros,
# api-version as sf_backup_upstream_api_version says), the compact body
# {"BackupPolicyName":"..."} with its own Content-Length; and X-Role or
# X-Request-Metadata, in any spelling, never reach it.
#
# The gate proxies to a recording hop, which passes the request on to the
# simulator and answers with what it received in X-Got-* headers.

use Test::Nginx::Socket 'no_plan';
use Cwd qw(abs_path);
use File::Basename qw(dirname);

$ENV{TEST_NGINX_CONF_DIR} ||= abs_path(dirname(__FILE__) . '/../conf');
$ENV{TEST_NGINX_SIM_PORT} ||= 1985;
$ENV{TEST_NGINX_RECORDER_PORT} ||= $ENV{TEST_NGINX_SIM_PORT} + 1;

# sf-cluster-sim: logs "sf-sim received: METHOD URI content-length=N body=..."
my $sim = <<'_EOC_';
    js_path "$TEST_NGINX_CONF_DIR/sim";
    js_import sfsim from sf_cluster_sim.js;

    server {
        listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
        include $TEST_NGINX_CONF_DIR/sim/sf_cluster_sim.locations;
    }

    # the recording hop: what it got, in brackets so that "none" shows
    server {
        listen 127.0.0.1:$TEST_NGINX_RECORDER_PORT;

        location / {
            proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
            add_header X-Got-Uri "[$request_uri]" always;
            add_header X-Got-Length "[$http_content_length]" always;
            add_header X-Got-Chunked "[$http_transfer_encoding]" always;
            add_header X-Got-Type "[$http_content_type]" always;
            add_header X-Got-Role "[$http_x_role]" always;
            add_header X-Got-Metadata "[$http_x_request_metadata]" always;
            add_header X-Got-Custom "[$http_x_custom]" always;
        }
    }
_EOC_

my $gate = <<'_EOC_';
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy HourlyBackupPolicy;
        proxy_pass http://127.0.0.1:$TEST_NGINX_RECORDER_PORT;
    }
_EOC_

# A block is a table row: request, headers, expected answer.  The simulator
# and the gated location are supplied when a block brings none.  A block that
# expects an error status and names no error_log line is a rejection by the
# gate: it must also be FabricError JSON and must not reach the simulator.
add_block_preprocessor(sub {
    my $block = shift;
    my (@h, @n);

    $block->set_value(http_config => $sim) unless defined $block->http_config;
    $block->set_value(config => $gate) unless defined $block->config;

    return unless ($block->error_code // '') =~ /^[45]\d\d$/
                  && !defined $block->error_log;

    # without its last newline: joined, it would leave an empty line, which
    # the real Test::Nginx takes for a header of no name (one more test)
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

=== TEST 1: an uppercase UUID is forwarded in lowercase
--- request
POST /Partitions/1DAAE3F5-7FD6-42E9-B1BA-8C05F873994D/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- response_headers
X-Got-Uri: [/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview]
X-Got-Length: [45]
X-Got-Chunked: []
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 2: a mixed-case UUID in an odd path is forwarded in lowercase, canonical path
--- request
POST //PARTITIONS/1dAaE3f5-7Fd6-42E9-b1Ba-8C05f873994D/%24/enableBACKUP/?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- response_headers
X-Got-Uri: [/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview]
X-Got-Length: [45]
X-Got-Chunked: []
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 3: a service id over two segments is forwarded "~"-joined
--- request
POST /Services/MyApp/MySvc/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- response_headers
X-Got-Uri: [/Services/MyApp~MySvc/$/EnableBackup?api-version=6.2-preview]
X-Got-Length: [45]
X-Got-Chunked: []
--- error_log
sf-sim received: POST /Services/MyApp~MySvc/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 4: a service id over segments and "~" is forwarded "~"-joined
--- request
POST /Services/Org~MyApp/MySvc/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- response_headers
X-Got-Uri: [/Services/Org~MyApp~MySvc/$/EnableBackup?api-version=6.2-preview]
X-Got-Length: [45]
X-Got-Chunked: []
--- error_log
sf-sim received: POST /Services/Org~MyApp~MySvc/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 5: an application id over three segments is forwarded "~"-joined
--- request
POST /applications/Org/Team/MyApp/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- response_headers
X-Got-Uri: [/Applications/Org~Team~MyApp/$/EnableBackup?api-version=6.2-preview]
X-Got-Length: [45]
X-Got-Chunked: []
--- error_log
sf-sim received: POST /Applications/Org~Team~MyApp/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 6: the service id keeps its own case
--- request
POST /services/myapp/MYSVC/$/enablebackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- response_headers
X-Got-Uri: [/Services/myapp~MYSVC/$/EnableBackup?api-version=6.2-preview]
X-Got-Length: [45]
X-Got-Chunked: []
--- error_log
sf-sim received: POST /Services/myapp~MYSVC/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 7: sf_backup_upstream_api_version: the cluster gets 6.4 for a 6.2-preview client
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_upstream_api_version 6.4;
        proxy_pass http://127.0.0.1:$TEST_NGINX_RECORDER_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- response_headers
X-Got-Uri: [/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.4]
X-Got-Length: [45]
X-Got-Chunked: []
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.4 content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 8: sf_backup_upstream_api_version: the timeout follows it
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_upstream_api_version 6.4;
        proxy_pass http://127.0.0.1:$TEST_NGINX_RECORDER_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?timeout=0030&api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- response_headers
X-Got-Uri: [/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.4&timeout=30]
X-Got-Length: [45]
X-Got-Chunked: []
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.4&timeout=30 content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 9: sf_backup_upstream_api_version does not widen what clients may send
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_upstream_api_version 6.4;
        proxy_pass http://127.0.0.1:$TEST_NGINX_RECORDER_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=7.0
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"api-version '7\.0' is not supported; supported versions: 6\.2-preview, 6\.4\.[^"]*"\}\}$



=== TEST 10: leading zeros of timeout are dropped
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=000000000001
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- response_headers
X-Got-Uri: [/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=1]
X-Got-Length: [45]
X-Got-Chunked: []
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=1 content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 11: a percent-encoded timeout is forwarded decoded
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=%31%32%30
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- response_headers
X-Got-Uri: [/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=120]
X-Got-Length: [45]
X-Got-Chunked: []
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=120 content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 12: a pretty-printed body is forwarded compact, with its own Content-Length
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{
    "BackupPolicyName"   :   "DailyAzureBackupPolicy"
}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- response_headers
X-Got-Uri: [/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview]
X-Got-Length: [45]
X-Got-Chunked: []
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 13: an escaped name is forwarded unescaped
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"\u0042ackupPolicyName":"\u0044ailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- response_headers
X-Got-Uri: [/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview]
X-Got-Length: [45]
X-Got-Chunked: []
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 14: the Content-Type the gate accepted is forwarded as it came
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: Application/JSON; charset="UTF-8"
--- error_code: 202
--- response_headers
X-Got-Uri: [/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview]
X-Got-Length: [45]
X-Got-Chunked: []
X-Got-Type: [Application/JSON; charset="UTF-8"]
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 15: a chunked body is forwarded with a Content-Length, not chunked
--- raw_request eval
"POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview HTTP/1.1\r
Host: localhost\r
Connection: close\r
Content-Type: application/json\r
Transfer-Encoding: chunked\r
\r
5\r
{ \"Ba\r
2b\r
ckupPolicyName\": \"DailyAzureBackupPolicy\" }\r
0\r
\r
"
--- error_code: 202
--- response_headers
X-Got-Uri: [/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview]
X-Got-Length: [45]
X-Got-Chunked: []
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 16: X-Role and X-Request-Metadata are not forwarded with an allowed call
--- request
POST /Partitions/1DAAE3F5-7FD6-42E9-B1BA-8C05F873994D/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
X-Role: Admin
X-Request-Metadata: {"Target":"Applications/Other"}
X-Custom: kept
--- error_code: 202
--- response_headers
X-Got-Uri: [/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview]
X-Got-Length: [45]
X-Got-Chunked: []
X-Got-Role: []
X-Got-Metadata: []
X-Got-Custom: [kept]
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 17: x-role and x-request-metadata in lowercase are not forwarded
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
x-role: Admin
x-request-metadata: {}
X-Custom: kept
--- error_code: 202
--- response_headers
X-Got-Uri: [/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview]
X-Got-Length: [45]
X-Got-Chunked: []
X-Got-Role: []
X-Got-Metadata: []
X-Got-Custom: [kept]
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 18: X-ROLE and X-REQUEST-METADATA in uppercase are not forwarded
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
X-ROLE: Admin
X-REQUEST-METADATA: {}
X-Custom: kept
--- error_code: 202
--- response_headers
X-Got-Uri: [/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview]
X-Got-Length: [45]
X-Got-Chunked: []
X-Got-Role: []
X-Got-Metadata: []
X-Got-Custom: [kept]
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 19: none of several X-Role headers is forwarded
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
x-Role: first
X-rOLE: second
X-Request-metadata: one
x-REQUEST-metadata: two
X-Custom: kept
--- error_code: 202
--- response_headers
X-Got-Uri: [/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview]
X-Got-Length: [45]
X-Got-Chunked: []
X-Got-Role: []
X-Got-Metadata: []
X-Got-Custom: [kept]
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 20: X-Role and X-Request-Metadata are not forwarded with calls the gate does not govern
--- request
GET /$/GetClusterVersion?api-version=6.0
--- more_headers
X-Role: Admin
X-Request-Metadata: {}
X-Custom: kept
--- error_code: 200
--- response_headers
X-Got-Uri: [/$/GetClusterVersion?api-version=6.0]
X-Got-Role: []
X-Got-Metadata: []
X-Got-Custom: [kept]
--- error_log
sf-sim received: GET /$/GetClusterVersion?api-version=6.0 content-length=0 body=



=== TEST 21: X-Request-Metadata is not forwarded through an opened BackupRestore passthrough
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_backup_restore on;
        proxy_pass http://127.0.0.1:$TEST_NGINX_RECORDER_PORT;
    }
--- request
POST /BackupRestore/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
X-Request-Metadata: {"Target":"Applications/Other"}
x-role: Admin
X-Custom: kept
--- error_code: 404
--- response_headers
X-Got-Role: []
X-Got-Metadata: []
X-Got-Custom: [kept]
--- error_log
sf-sim received: POST /BackupRestore/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 22: X-Role is not forwarded with a call report_only lets through
--- config
    location / {
        sf_backup_gate report_only;
        sf_backup_policies DailyAzureBackupPolicy;
        proxy_pass http://127.0.0.1:$TEST_NGINX_RECORDER_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"WeeklyBackupPolicy"}
--- more_headers
Content-Type: application/json
X-Role: Admin
X-Request-Metadata: {}
X-Custom: kept
--- error_code: 202
--- response_headers
X-Got-Role: []
X-Got-Metadata: []
X-Got-Custom: [kept]
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=41 body={"BackupPolicyName":"WeeklyBackupPolicy"}



=== TEST 23: over a kept-alive HTTP/1.1 upstream connection each call is forwarded canonical, and the next one on it is untouched
Both calls change length on the way (pretty-printed or escaped bodies,
padded timeouts): a Content-Length that did not match the body forwarded
would leave bytes on the connection for the second call to be read with,
or read some of it as the first one's body; the cluster double would then
log a third request, a broken one, or none.  It logs the upstream side's
connection and request number: one connection, requests 1 and 2.
--- http_config
    js_path "$TEST_NGINX_CONF_DIR/sim";
    js_import sfsim from sf_cluster_sim.js;

    log_format sfb_kept escape=none '$connection#$connection_requests "$request" cl=[$http_content_length] te=[$http_transfer_encoding] conn=[$http_connection] role=[$http_x_role] meta=[$http_x_request_metadata] custom=[$http_x_custom] body=[$request_body]';

    server {
        listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
        access_log logs/upstream.log sfb_kept;
        include $TEST_NGINX_CONF_DIR/sim/sf_cluster_sim.locations;
    }

    upstream cluster {
        server 127.0.0.1:$TEST_NGINX_SIM_PORT;
        keepalive 4;
    }
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy WeeklyBackupPolicy;
        proxy_pass http://cluster;
        # what this block is about, whatever nginx's default (1.0 before
        # 1.29.7, 1.1 and upstream keepalive since)
        proxy_http_version 1.1;
        proxy_set_header Connection "";
    }
    location = /upstream-log {
        alias logs/upstream.log;
    }
--- request eval
['POST /Partitions/1DAAE3F5-7FD6-42E9-B1BA-8C05F873994D/$/EnableBackup?api-version=6.2-preview&timeout=060
{
    "BackupPolicyName"   :   "DailyAzureBackupPolicy"
}',
'POST //PARTITIONS/1dAaE3f5-7Fd6-42E9-b1Ba-8C05f873994D/%24/enableBACKUP/?api-version=6.2-preview&timeout=007
{"\u0042ackupPolicyName":"\u0057eeklyBackupPolicy"}',
'GET /upstream-log']
--- more_headers
Content-Type: application/json
X-Role: Admin
X-Request-Metadata: {"Target":"Applications/Other"}
X-Custom: kept
--- error_code eval
[202, 202, 200]
--- response_body_like eval
[qr/\A\z/, qr/\A\z/,
qr{\A(\d+)#1 "POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup\?api-version=6\.2-preview&timeout=60 HTTP/1\.1" cl=\[45\] te=\[-?\] conn=\[-?\] role=\[-?\] meta=\[-?\] custom=\[kept\] body=\[\{"BackupPolicyName":"DailyAzureBackupPolicy"\}\]
\1#2 "POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup\?api-version=6\.2-preview&timeout=7 HTTP/1\.1" cl=\[41\] te=\[-?\] conn=\[-?\] role=\[-?\] meta=\[-?\] custom=\[kept\] body=\[\{"BackupPolicyName":"WeeklyBackupPolicy"\}\]
\z}]



=== TEST 24: the scope lookup and the call after it share a kept-alive upstream connection: the lookup carries none of the call, the call is canonical
The lookup is a subrequest of the call, which has read its body by then:
sent with it, or with its length, it would leave the body on the
connection to be read as the next request.  The double sees a bare GET
(no length, no body, none of the caller's headers), then the call.
--- http_config
    js_path "$TEST_NGINX_CONF_DIR/sim";
    js_import sfsim from sf_cluster_sim.js;

    log_format sfb_kept escape=none '$connection#$connection_requests "$request" cl=[$http_content_length] te=[$http_transfer_encoding] conn=[$http_connection] role=[$http_x_role] meta=[$http_x_request_metadata] custom=[$http_x_custom] body=[$request_body]';

    server {
        listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
        access_log logs/upstream.log sfb_kept;
        include $TEST_NGINX_CONF_DIR/sim/sf_cluster_sim.locations;
    }

    upstream cluster {
        server 127.0.0.1:$TEST_NGINX_SIM_PORT;
        keepalive 4;
    }
--- config
    location / {
        sf_backup_gate on;
        sf_backup_identity tester;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_scope "fabric:/TeamA";
        sf_backup_scope_resolve /sf_scope;
        proxy_pass http://cluster;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
    }
    location /sf_scope/ {
        internal;
        proxy_pass http://cluster/;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_pass_request_headers off;
    }
    location = /upstream-log {
        alias logs/upstream.log;
    }
--- request eval
['POST /Partitions/1DAAE3F5-7FD6-42E9-B1BA-8C05F873994D/$/EnableBackup?api-version=6.2-preview
{
    "BackupPolicyName"   :   "DailyAzureBackupPolicy"
}',
'GET /upstream-log']
--- more_headers
Content-Type: application/json
X-Role: Admin
X-Request-Metadata: {"Target":"Applications/Other"}
X-Custom: kept
--- error_code eval
[202, 200]
--- response_body_like eval
[qr/\A\z/,
qr{\A(\d+)#1 "GET /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/GetServiceName\?api-version=6\.0 HTTP/1\.1" cl=\[-?\] te=\[-?\] conn=\[-?\] role=\[-?\] meta=\[-?\] custom=\[-?\] body=\[-?\]
\1#2 "POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup\?api-version=6\.2-preview HTTP/1\.1" cl=\[45\] te=\[-?\] conn=\[-?\] role=\[-?\] meta=\[-?\] custom=\[kept\] body=\[\{"BackupPolicyName":"DailyAzureBackupPolicy"\}\]
\z}]
