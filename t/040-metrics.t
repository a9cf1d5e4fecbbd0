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
sf_backup_metrics_zone sfb_metrics 64k;
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

my $p = '/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup';
my $ok = '{"BackupPolicyName":"DailyAzureBackupPolicy"}';

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
