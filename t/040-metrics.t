# Prometheus metrics: counters shared by all workers in one zone, exact after
# a known sequence of requests, and served as text exposition format 0.0.4.
use Test::Nginx::Socket 'no_plan';

$ENV{TEST_NGINX_SIM_PORT} ||= 1985;

no_shuffle();
no_root_location();
master_on();
workers(2);
log_level('warn');

add_block_preprocessor(sub {
    my $block = shift;

    $block->set_value('http_config', <<'_EOC_') unless defined $block->http_config;
sf_backup_metrics_zone sfb_metrics 128k;
server {
    listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
    location / { return 202; }
    location /Partitions/00000000-0000-0000-0000-000000000500/ {
        return 500 "<html>oops</html>";
    }
}
_EOC_

    $block->set_value('config', <<'_EOC_') unless defined $block->config;
location / {
    sf_backup_gate on;
    sf_backup_policies DailyAzureBackupPolicy;
    sf_backup_audit_log logs/audit.log;
    proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
}
location = /metrics {
    sf_backup_metrics;
}
_EOC_
});

our $p = '/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup';
our $ok = '{"BackupPolicyName":"DailyAzureBackupPolicy"}';

sub post {
    my ($path, $query, $body) = @_;
    return "POST $path?$query\n$body";
}

our @Requests = (
    (map { post($p, 'api-version=6.2-preview', $ok) } 1 .. 6),
    post($p, 'api-version=6.2-preview', '{"BackupPolicyName":"WeeklyBackupPolicy"}'),
    post($p, 'api-version=6.2-preview', '{"BackupPolicyName":"WeeklyBackupPolicy"}'),
    post($p, 'timeout=5', $ok),
    post('/Services/MyApp~MySvc/$/EnableBackup', 'api-version=6.2-preview', $ok),
    post('/Partitions/00000000-0000-0000-0000-000000000500/$/EnableBackup',
         'api-version=6.2-preview', $ok),
    "GET /metrics",
);

run_tests();

__DATA__

=== TEST 1: counts are exact across two workers after a known sequence
--- request eval

[@::Requests]
--- more_headers
Content-Type: application/json
--- error_code eval
[202, 202, 202, 202, 202, 202, 403, 403, 400, 202, 500, 200]
--- response_body_like eval
[("") x 11, qr{^sf_backup_requests_total\{entity="partition",decision="allow",reason="allowed"\} 7
sf_backup_requests_total\{entity="partition",decision="deny",reason="api_version_missing"\} 1
sf_backup_requests_total\{entity="partition",decision="deny",reason="policy_not_allowed"\} 2
sf_backup_requests_total\{entity="service",decision="allow",reason="allowed"\} 1
}m]
--- no_error_log
[error]



=== TEST 2: upstream classes, latency, FabricError rewrites and audit records
--- request eval
[@::Requests]
--- more_headers
Content-Type: application/json
--- error_code eval
[202, 202, 202, 202, 202, 202, 403, 403, 400, 202, 500, 200]
--- response_body_like eval
[("") x 11, qr{sf_backup_upstream_responses_total\{class="2xx"\} 7
sf_backup_upstream_responses_total\{class="3xx"\} 0
sf_backup_upstream_responses_total\{class="4xx"\} 0
sf_backup_upstream_responses_total\{class="5xx"\} 1
.*sf_backup_fabric_error_rewrites_total\{code="E_FAIL"\} 1
.*sf_backup_audit_records_total 11
.*sf_backup_audit_write_failures_total 0
.*sf_backup_upstream_latency_seconds_bucket\{le="\+Inf"\} 8
sf_backup_upstream_latency_seconds_sum \d+\.\d{3}
sf_backup_upstream_latency_seconds_count 8
}s]



=== TEST 3: the metrics location answers only GET and HEAD
--- request
POST /metrics
x
--- error_code: 405



=== TEST 4: sf_backup_metrics without a zone is a configuration error
--- http_config
--- config
location = /metrics { sf_backup_metrics; }
--- must_die



=== TEST 5: governed requests by team, from the operator's variable
--- config
location / {
    sf_backup_gate on;
    sf_backup_policies DailyAzureBackupPolicy;
    sf_backup_identity $http_x_team;
    sf_backup_metrics_team $http_x_team;
    proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
}
location = /metrics {
    sf_backup_metrics;
}
--- request eval
[(map { ::post($::p, 'api-version=6.2-preview', $::ok) } 1 .. 3),
 ::post($::p, 'api-version=6.2-preview', '{"BackupPolicyName":"WeeklyBackupPolicy"}'),
 ::post($::p, 'api-version=6.2-preview', '{"BackupPolicyName":"WeeklyBackupPolicy"}'),
 ::post($::p, 'api-version=6.2-preview', $::ok),
 "GET /metrics"]
--- more_headers eval
[("Content-Type: application/json\nX-Team: orders") x 2,
 "Content-Type: application/json\nX-Team: payments",
 "Content-Type: application/json\nX-Team: orders",
 "Content-Type: application/json\nX-Team: payments",
 "Content-Type: application/json",
 ""]
--- error_code eval
[202, 202, 202, 403, 403, 403, 200]
--- response_body_like eval
[("") x 6, qr{^# TYPE sf_backup_team_requests_total counter
sf_backup_team_requests_total\{team="none",decision="deny",reason="identity_missing"\} 1
sf_backup_team_requests_total\{team="orders",decision="allow",reason="allowed"\} 2
sf_backup_team_requests_total\{team="orders",decision="deny",reason="policy_not_allowed"\} 1
sf_backup_team_requests_total\{team="payments",decision="allow",reason="allowed"\} 1
sf_backup_team_requests_total\{team="payments",decision="deny",reason="policy_not_allowed"\} 1
# HELP sf_backup_upstream_responses_total }m]
--- no_error_log
[error]



=== TEST 6: no team series without sf_backup_metrics_team
--- request eval
[::post($::p, 'api-version=6.2-preview', $::ok), "GET /metrics"]
--- more_headers eval
["Content-Type: application/json\nX-Team: orders", ""]
--- error_code eval
[202, 200]
--- response_body_like eval
["", qr{# TYPE sf_backup_team_requests_total counter
# HELP sf_backup_upstream_responses_total }]



=== TEST 7: 16 team slots: later values count as "other", earlier ones keep theirs
--- config
location / {
    sf_backup_gate on;
    sf_backup_policies DailyAzureBackupPolicy;
    sf_backup_metrics_team $http_x_team;
    proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
}
location = /metrics {
    sf_backup_metrics;
}
--- request eval
[(map { ::post($::p, 'api-version=6.2-preview', $::ok) } 1 .. 20), "GET /metrics"]
--- more_headers eval
[(map { sprintf "Content-Type: application/json\nX-Team: team-%02d", $_ } 1 .. 18),
 "Content-Type: application/json\nX-Team: team-01",
 "Content-Type: application/json\nX-Team: other",
 ""]
--- error_code eval
[(202) x 20, 200]
--- response_body_like eval
[("") x 20, qr{\A(?!.*team-17)(?!.*team-18)(?=.*\nsf_backup_team_requests_total\{team="other",decision="allow",reason="allowed"\} 3\n)(?=.*\nsf_backup_team_requests_total\{team="team-01",decision="allow",reason="allowed"\} 2\n)(?=.*\nsf_backup_team_requests_total\{team="team-16",decision="allow",reason="allowed"\} 1\n)}s]
--- no_error_log
[error]



=== TEST 8: a hostile team value cannot break the exposition format
Quotes and backslashes are escaped; a newline, a control byte, a byte
outside ASCII or more than 64 bytes make the value count as "other".
--- http_config
sf_backup_metrics_zone sfb_metrics 128k;
server {
    listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
    location / { return 202; }
}
map $http_x_team $sfb_team {
    newline     "x\"} 1\nsf_backup_audit_write_failures_total 99\n#";
    default     $http_x_team;
}
--- config
location / {
    sf_backup_gate on;
    sf_backup_policies DailyAzureBackupPolicy;
    sf_backup_metrics_team $sfb_team;
    proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
}
location = /metrics {
    sf_backup_metrics;
}
--- request eval
[(map { ::post($::p, 'api-version=6.2-preview', $::ok) } 1 .. 5), "GET /metrics"]
--- more_headers eval
["Content-Type: application/json\nX-Team: q\"uo\\te} 7",
 "Content-Type: application/json\nX-Team: newline",
 "Content-Type: application/json\nX-Team: caf\xc3\xa9",
 "Content-Type: application/json\nX-Team: " . ("a" x 65),
 "Content-Type: application/json\nX-Team: " . ("b" x 64),
 ""]
--- error_code eval
[(202) x 5, 200]
--- response_body_like eval
[("") x 5, qr{\A(?=(?:(?:\# [^\n]*|[a-z_]+(?:\{[a-z]+="(?:[^"\\\n]|\\[\\"n])*"(?:,[a-z]+="(?:[^"\\\n]|\\[\\"n])*")*\})? [0-9.]+)\n)+\z)(?=.*\nsf_backup_team_requests_total\{team="q\\"uo\\\\te\} 7",decision="allow",reason="allowed"\} 1\n)(?=.*\nsf_backup_team_requests_total\{team="other",decision="allow",reason="allowed"\} 3\n)(?=.*\nsf_backup_team_requests_total\{team="b{64}",decision="allow",reason="allowed"\} 1\n)(?!.*failures_total 99)}s]
--- no_error_log
[error]



=== TEST 9: sf_backup_metrics_team without a zone is a configuration error
--- http_config
--- config
location / { sf_backup_metrics_team $http_x_team; }
--- must_die



=== TEST 10: the gate's own FabricErrors are counted apart from the rewrites of the cluster's
--- request eval
[@::Requests]
--- more_headers
Content-Type: application/json
--- error_code eval
[202, 202, 202, 202, 202, 202, 403, 403, 400, 202, 500, 200]
--- response_body_like eval
[("") x 11, qr{# HELP sf_backup_fabric_error_rewrites_total Error answers of the cluster, or of nginx, rewritten into a FabricError, by Code\.
# TYPE sf_backup_fabric_error_rewrites_total counter
sf_backup_fabric_error_rewrites_total\{code="E_INVALIDARG"\} 0
sf_backup_fabric_error_rewrites_total\{code="E_ACCESSDENIED"\} 0
sf_backup_fabric_error_rewrites_total\{code="E_FAIL"\} 1
.*# HELP sf_backup_gate_fabric_errors_total FabricError answers the gate made itself \(its refusals and its own failures\), by Code\.
# TYPE sf_backup_gate_fabric_errors_total counter
sf_backup_gate_fabric_errors_total\{code="E_INVALIDARG"\} 1
sf_backup_gate_fabric_errors_total\{code="E_ACCESSDENIED"\} 2
sf_backup_gate_fabric_errors_total\{code="E_FAIL"\} 0
}s]
