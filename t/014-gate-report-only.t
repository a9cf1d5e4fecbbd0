# sf_backup_gate report_only: every decision is made and recorded as it
# would be with "on", but a request the gate would deny is forwarded as it
# came (spelling, query and body untouched), $sf_backup_decision is "report"
# and the error log says what would have been denied; an allowed request is
# still forwarded in its canonical form.

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
        include $TEST_NGINX_CONF_DIR/sim/sf_cluster_sim.locations;
    }
_EOC_

my $gate = <<'_EOC_';
    location / {
        sf_backup_gate report_only;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_identity $http_x_team;
        add_header X-Decision "[$sf_backup_decision]" always;
        add_header X-Reason "[$sf_backup_reason]" always;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
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

=== TEST 1: an allowed request is forwarded canonical, decision "allow", no warning
--- request
POST /Partitions/1DAAE3F5-7FD6-42E9-B1BA-8C05F873994D/$/EnableBackup?timeout=007&api-version=6.2-preview
{ "BackupPolicyName" : "DailyAzureBackupPolicy" }
--- more_headers
Content-Type: application/json
X-Team: team-a
--- error_code: 202
--- response_headers
X-Decision: [allow]
X-Reason: [allowed]
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=7 content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}
--- no_error_log
report only



=== TEST 2: a policy not on the list is forwarded as it came
--- request
POST /Partitions/1DAAE3F5-7FD6-42E9-B1BA-8C05F873994D/$/EnableBackup?timeout=007&api-version=6.2-preview
{ "BackupPolicyName" : "WeeklyBackupPolicy" }
--- more_headers
Content-Type: application/json
X-Team: team-a
--- error_code: 202
--- response_headers
X-Decision: [report]
X-Reason: [policy_not_allowed]
--- error_log
sf-sim received: POST /Partitions/1DAAE3F5-7FD6-42E9-B1BA-8C05F873994D/$/EnableBackup?timeout=007&api-version=6.2-preview content-length=45 body={ "BackupPolicyName" : "WeeklyBackupPolicy" }
sf_backup: report only: partition would be denied (policy_not_allowed)



=== TEST 3: an unknown query parameter is forwarded as it came
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&ServiceName=x
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
X-Team: team-a
--- error_code: 202
--- response_headers
X-Decision: [report]
X-Reason: [query_param_unknown]
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&ServiceName=x content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}
sf_backup: report only: partition would be denied (query_param_unknown)



=== TEST 4: a missing api-version is forwarded as it came (the cluster refuses it)
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
X-Team: team-a
--- error_code: 400
--- response_headers
X-Decision: [report]
X-Reason: [api_version_missing]
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}
sf_backup: report only: partition would be denied (api_version_missing)



=== TEST 5: GET on a governed path is forwarded (the cluster refuses it)
--- request
GET /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
--- more_headers
X-Team: team-a
--- error_code: 405
--- response_headers
X-Decision: [report]
X-Reason: [method_not_allowed]
--- error_log
sf-sim received: GET /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=0 body=
sf_backup: report only: partition would be denied (method_not_allowed)



=== TEST 6: another Content-Type is forwarded as it came
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: text/plain
X-Team: team-a
--- error_code: 202
--- response_headers
X-Decision: [report]
X-Reason: [content_type_unsupported]
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}
sf_backup: report only: partition would be denied (content_type_unsupported)



=== TEST 7: invalid JSON is forwarded as it came (the cluster refuses it)
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":
--- more_headers
Content-Type: application/json
X-Team: team-a
--- error_code: 400
--- response_headers
X-Decision: [report]
X-Reason: [body_invalid_json]
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=20 body={"BackupPolicyName":
sf_backup: report only: partition would be denied (body_invalid_json)



=== TEST 8: an unknown member is forwarded as it came
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy","X":1}
--- more_headers
Content-Type: application/json
X-Team: team-a
--- error_code: 202
--- response_headers
X-Decision: [report]
X-Reason: [body_schema]
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=51 body={"BackupPolicyName":"DailyAzureBackupPolicy","X":1}
sf_backup: report only: partition would be denied (body_schema)



=== TEST 9: a caller without identity is forwarded
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- response_headers
X-Decision: [report]
X-Reason: [identity_missing]
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}
sf_backup: report only: partition would be denied (identity_missing)



=== TEST 10: a look-alike path is forwarded as it came (the cluster does not know it)
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackupNow?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
X-Team: team-a
--- error_code: 404
--- response_headers
X-Decision: [report]
X-Reason: [path_invalid]
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackupNow?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}
sf_backup: report only: partition would be denied (path_invalid)



=== TEST 11: a bad service id is forwarded as it came
--- request
POST /Services/fabric:/App/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
X-Team: team-a
--- error_code: 404
--- response_headers
X-Decision: [report]
X-Reason: [entity_name_invalid]
--- error_log
sf-sim received: POST /Services/fabric:/App/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}
sf_backup: report only: service would be denied (entity_name_invalid)



=== TEST 12: a body above the limit is forwarded as it came
--- config
    location / {
        sf_backup_gate report_only;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_identity $http_x_team;
        sf_backup_max_body 64;
        add_header X-Decision "[$sf_backup_decision]" always;
        add_header X-Reason "[$sf_backup_reason]" always;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD"}
--- more_headers
Content-Type: application/json
X-Team: team-a
--- error_code: 404
--- response_headers
X-Decision: [report]
X-Reason: [body_too_large]
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=123 body={"BackupPolicyName":"DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD"}
sf_backup: report only: partition would be denied (body_too_large)



=== TEST 13: the BackupRestore passthrough is forwarded
--- request
GET /BackupRestore/Generic?api-version=6.2-preview
--- more_headers
X-Team: team-a
--- error_code: 404
--- response_headers
X-Decision: [report]
X-Reason: [backup_restore_closed]
--- error_log
sf-sim received: GET /BackupRestore/Generic?api-version=6.2-preview content-length=0 body=
sf_backup: report only: backup_restore would be denied (backup_restore_closed)



=== TEST 14: a chunked body that would be denied is forwarded as it came
--- raw_request eval
"POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview HTTP/1.1\r
Host: localhost\r
Connection: close\r
X-Team: team-a\r
Content-Type: application/json\r
Transfer-Encoding: chunked\r
\r
14\r
{\"BackupPolicyName\":\r
15\r
\"WeeklyBackupPolicy\"}\r
0\r
\r
"
--- error_code: 202
--- response_headers
X-Decision: [report]
X-Reason: [policy_not_allowed]
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=41 body={"BackupPolicyName":"WeeklyBackupPolicy"}
sf_backup: report only: partition would be denied (policy_not_allowed)



=== TEST 15: a body in a temporary file that would be denied is forwarded as it came
--- config
    location / {
        sf_backup_gate report_only;
        sf_backup_policies DailyAzureBackupPolicy;
        client_body_buffer_size 128;
        client_body_in_file_only clean;
        add_header X-Decision "[$sf_backup_decision]" always;
        add_header X-Reason "[$sf_backup_reason]" always;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
"POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview\n{" . (" " x 200) . '"BackupPolicyName":"WeeklyBackupPolicy"}'
--- more_headers
Content-Type: application/json
--- error_code: 202
--- response_headers
X-Decision: [report]
X-Reason: [policy_not_allowed]
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=241 body={                                                                                                                                                                                                        "BackupPolicyName":"WeeklyBackupPolicy"}
sf_backup: report only: partition would be denied (policy_not_allowed)



=== TEST 16: a request the gate does not govern: no decision at all
--- request
GET /$/GetClusterVersion
--- error_code: 200
--- response_headers
X-Decision: []
X-Reason: []
--- error_log
sf-sim received: GET /$/GetClusterVersion content-length=0 body=
--- no_error_log
report only
