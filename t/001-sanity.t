# The foundation: the module loads into Debian's nginx, a governed call flows
# through the access phase (body read in memory, in a temp file, chunked) to
# proxy_pass, and the cluster receives it intact.
use Test::Nginx::Socket 'no_plan';
use Cwd qw(abs_path);
use File::Basename qw(dirname);

$ENV{TEST_NGINX_CONF_DIR} ||= abs_path(dirname(__FILE__) . '/../conf');
$ENV{TEST_NGINX_SIM_PORT} ||= 1985;

no_shuffle();
no_root_location();
log_level('warn');
run_tests();

__DATA__

=== TEST 1: the module loads and a location can turn the gate on
--- config
location /t {
    sf_backup_gate on;
    sf_backup_policies DailyAzureBackupPolicy;
    return 200 "loaded\n";
}
--- request
GET /t
--- error_code: 200
--- response_body
loaded
--- no_error_log
[error]



=== TEST 2: the seed example is accepted and forwarded: 202, empty body
--- http_config
js_path "$TEST_NGINX_CONF_DIR/sim";
js_import sfsim from sf_cluster_sim.js;
server {
    listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
    include $TEST_NGINX_CONF_DIR/sim/sf_cluster_sim.locations;
}
--- config
location / {
    sf_backup_gate on;
    sf_backup_policies DailyAzureBackupPolicy HourlyBackupPolicy;
    proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
}
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- response_body
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}
--- no_error_log
[error]



=== TEST 3: the upstream receives the request line, headers and body intact
--- http_config
server {
    listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
    location / {
        # echo what arrived, as the upstream saw it
        client_body_buffer_size 16k;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT/sink;
        add_header X-Got-Uri $request_uri always;
        add_header X-Got-Length $http_content_length always;
        add_header X-Got-Type $http_content_type always;
        add_header X-Got-Body $request_body always;
    }
    location /sink {
        return 202;
    }
}
--- config
location / {
    sf_backup_gate on;
    sf_backup_policies DailyAzureBackupPolicy;
    proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
}
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=60
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 202
--- response_headers
X-Got-Uri: /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=60
X-Got-Length: 45
X-Got-Type: application/json; charset=utf-8
X-Got-Body: {"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 4: a body buffered to a temporary file is read, judged and forwarded
--- http_config
js_path "$TEST_NGINX_CONF_DIR/sim";
js_import sfsim from sf_cluster_sim.js;
server {
    listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
    include $TEST_NGINX_CONF_DIR/sim/sf_cluster_sim.locations;
}
--- config
location / {
    sf_backup_gate on;
    sf_backup_policies DailyAzureBackupPolicy;
    client_body_buffer_size 128;
    client_body_in_file_only clean;
    proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
}
--- request eval
"POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview\n"
. "{" . (" " x 2000) . "\"BackupPolicyName\" : \"DailyAzureBackupPolicy\"" . ("\n" x 500) . "}"
--- more_headers
Content-Type: application/json
--- error_code: 202
--- response_body
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}
--- no_error_log
[error]



=== TEST 5: a chunked body is read whole, judged, and forwarded with a length
--- http_config
js_path "$TEST_NGINX_CONF_DIR/sim";
js_import sfsim from sf_cluster_sim.js;
server {
    listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
    include $TEST_NGINX_CONF_DIR/sim/sf_cluster_sim.locations;
}
--- config
location / {
    sf_backup_gate on;
    sf_backup_policies DailyAzureBackupPolicy;
    proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
}
--- raw_request eval
"POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview HTTP/1.1\r
Host: localhost\r
Connection: close\r
Content-Type: application/json\r
Transfer-Encoding: chunked\r
\r
14\r
{\"BackupPolicyName\":\r
19\r
\"DailyAzureBackupPolicy\"}\r
0\r
\r
"
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}
--- no_error_log
[error]



=== TEST 6: requests the gate does not govern pass through untouched
--- http_config
js_path "$TEST_NGINX_CONF_DIR/sim";
js_import sfsim from sf_cluster_sim.js;
server {
    listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
    include $TEST_NGINX_CONF_DIR/sim/sf_cluster_sim.locations;
}
--- config
location / {
    sf_backup_gate on;
    sf_backup_policies DailyAzureBackupPolicy;
    proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
}
--- request
GET /$/GetClusterVersion?api-version=6.0
--- error_code: 200
--- response_body: {"Version":"8.0.514.9590"}
--- error_log
sf-sim received: GET /$/GetClusterVersion?api-version=6.0 content-length=0 body=
