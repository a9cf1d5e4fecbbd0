# The audit record: one JSON line for every governed request whatever its
# fate, with its fields right, and nothing a client sends can break a line or
# forge a field.  Each block ends with a GET /audit that returns the audit
# log as it is on disk, and matches it whole with an anchored regex: the
# members in their fixed order, one line per record.
use Test::Nginx::Socket 'no_plan';
use Cwd qw(abs_path);
use File::Basename qw(dirname);

$ENV{TEST_NGINX_CONF_DIR} ||= abs_path(dirname(__FILE__) . '/../conf');
$ENV{TEST_NGINX_SIM_PORT} ||= 1985;

use lib abs_path(dirname(__FILE__)) . '/audit';
use Line qw(line audit);

my $sim = <<'_EOC_';
    js_path "$TEST_NGINX_CONF_DIR/sim";
    js_import sfsim from sf_cluster_sim.js;
    server {
        listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
        set $sf_sim_slow_ms 600;
        include $TEST_NGINX_CONF_DIR/sim/sf_cluster_sim.locations;
    }
_EOC_

# the audit log, read back over HTTP (relative paths: the nginx prefix)
my $audit_location = <<'_EOC_';
    location = /audit {
        alias logs/audit.log;
    }
_EOC_

add_block_preprocessor(sub {
    my $block = shift;

    if (!defined $block->http_config) {
        $block->set_value('http_config', $sim);
    }

    $block->set_value('config', ($block->config // '') . $audit_location);
});

no_shuffle();
no_root_location();
log_level('warn');
run_tests();

__DATA__

=== TEST 1: allowed and forwarded: allow, allowed, the cluster's status and address
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview&timeout=60
{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
"GET /audit"]
--- more_headers
Content-Type: application/json
--- error_code eval
[202, 200]
--- response_body_like eval
[qr/\A\z/,
main::audit(main::line(uri => '"/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=60"',
    timeout => 60, decision => '"allow"', reason => '"allowed"',
    status => 202, upstream_status => '"202"',
    upstream_addr => qr/"127\.0\.0\.1:\d+"/))]
--- no_error_log
[error]



=== TEST 2: denied by the allow-list: the policy asked for, 403, nothing upstream
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST /Partitions/1DAAE3F5-7FD6-42E9-B1BA-8C05F873994D/\$/EnableBackup?api-version=6.2-preview
{\"BackupPolicyName\":\"WeeklyBackupPolicy\"}",
"GET /audit"]
--- more_headers
Content-Type: application/json
--- error_code eval
[403, 200]
--- response_body_like eval
[qr/E_ACCESSDENIED/,
main::audit(main::line(
    uri => '"/Partitions/1DAAE3F5-7FD6-42E9-B1BA-8C05F873994D/$/EnableBackup?api-version=6.2-preview"',
    policy => '"WeeklyBackupPolicy"', decision => '"deny"',
    reason => '"policy_not_allowed"', status => 403))]
--- no_error_log
sf-sim received



=== TEST 3: malformed query: the reason, the entity, no policy (body not judged)
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview&timeout=0
{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
"GET /audit"]
--- more_headers
Content-Type: application/json
--- error_code eval
[400, 200]
--- response_body_like eval
[qr/E_INVALIDARG/,
main::audit(main::line(
    uri => '"/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=0"',
    policy => '""', api_version => qr/"(?:6\.2-preview)?"/,
    timeout => qr/null|0/, decision => '"deny"',
    reason => qr/"timeout_[a-z_]+"/, status => 400))]
--- no_error_log
sf-sim received



=== TEST 4: malformed body: body_invalid_json, 400
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST /Services/app~svc/\$/EnableBackup?api-version=6.2-preview
{\"BackupPolicyName\":",
"GET /audit"]
--- more_headers
Content-Type: application/json
--- error_code eval
[400, 200]
--- response_body_like eval
[qr/E_INVALIDARG/,
main::audit(main::line(
    uri => '"/Services/app~svc/$/EnableBackup?api-version=6.2-preview"',
    entity => '"service"', entity_id => '"app~svc"', policy => '""',
    decision => '"deny"', reason => '"body_invalid_json"', status => 400))]
--- no_error_log
sf-sim received



=== TEST 5: wrong method: GET is recorded too, 405
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["GET /Applications/app/\$/EnableBackup?api-version=6.2-preview",
"GET /audit"]
--- error_code eval
[405, 200]
--- response_body_like eval
[qr/E_INVALIDARG/,
main::audit(main::line(method => '"GET"',
    uri => '"/Applications/app/$/EnableBackup?api-version=6.2-preview"',
    entity => '"application"', entity_id => '"app"', policy => '""',
    api_version => '""', decision => '"deny"',
    reason => '"method_not_allowed"', status => 405))]



=== TEST 6: report only: a denial forwarded as it came, decision "report"
--- config
    location / {
        sf_backup_gate report_only;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview
{\"BackupPolicyName\":\"WeeklyBackupPolicy\"}",
"GET /audit"]
--- more_headers
Content-Type: application/json
--- error_code eval
[202, 200]
--- response_body_like eval
[qr/\A\z/,
main::audit(main::line(policy => '"WeeklyBackupPolicy"',
    decision => '"report"', reason => '"policy_not_allowed"', status => 202,
    upstream_status => '"202"', upstream_addr => qr/"127\.0\.0\.1:\d+"/))]



=== TEST 7: the cluster fails with HTML: the status the client got, the cluster's
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST /Partitions/00000000-0000-0000-0000-000000000500/\$/EnableBackup?api-version=6.2-preview
{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
"GET /audit"]
--- more_headers
Content-Type: application/json
--- error_code eval
[500, 200]
--- response_body_like eval
[qr/"Error"/,
main::audit(main::line(
    uri => '"/Partitions/00000000-0000-0000-0000-000000000500/$/EnableBackup?api-version=6.2-preview"',
    entity_id => '"00000000-0000-0000-0000-000000000500"',
    decision => '"allow"', reason => '"allowed"', status => 500,
    upstream_status => '"500"', upstream_addr => qr/"127\.0\.0\.1:\d+"/))]



=== TEST 8: the cluster closes without answering: 502 for the client and upstream
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST /Partitions/00000000-0000-0000-0000-000000000502/\$/EnableBackup?api-version=6.2-preview
{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
"GET /audit"]
--- more_headers
Content-Type: application/json
--- error_code eval
[502, 200]
--- response_body_like eval
[qr/"Error"/,
main::audit(main::line(
    uri => '"/Partitions/00000000-0000-0000-0000-000000000502/$/EnableBackup?api-version=6.2-preview"',
    entity_id => '"00000000-0000-0000-0000-000000000502"',
    decision => '"allow"', reason => '"allowed"', status => 502,
    upstream_status => '"502"', upstream_addr => qr/"127\.0\.0\.1:\d+"/))]



=== TEST 9: the cluster answers too late: 504, and the time it took
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
        proxy_read_timeout 300ms;
    }
--- request eval
["POST /Partitions/00000000-0000-0000-0000-000000000504/\$/EnableBackup?api-version=6.2-preview
{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
"GET /audit"]
--- more_headers
Content-Type: application/json
--- error_code eval
[504, 200]
--- response_body_like eval
[qr/"Error"/,
main::audit(main::line(
    uri => '"/Partitions/00000000-0000-0000-0000-000000000504/$/EnableBackup?api-version=6.2-preview"',
    entity_id => '"00000000-0000-0000-0000-000000000504"',
    decision => '"allow"', reason => '"allowed"', status => 504,
    upstream_status => '"504"', upstream_addr => qr/"127\.0\.0\.1:\d+"/,
    duration_ms => qr/[3-9]\d\d|\d{4,}/))]



=== TEST 10: the identity, from sf_backup_identity; missing, it is the reason
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_identity $http_x_team;
        sf_backup_audit_log logs/audit.log;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview
{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
"GET /audit"]
--- more_headers
Content-Type: application/json
--- error_code eval
[403, 200]
--- response_body_like eval
[qr/E_ACCESSDENIED/,
main::audit(main::line(policy => '""', decision => '"deny"',
    reason => '"identity_missing"', status => 403))]



=== TEST 11: the identity is recorded even when the request is rejected before the gate names it
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_identity $http_x_team;
        sf_backup_audit_log logs/audit.log;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup
{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
"GET /audit"]
--- more_headers
Content-Type: application/json
X-Team: CN=team-a,O=Contoso
--- error_code eval
[400, 200]
--- response_body_like eval
[qr/E_INVALIDARG/,
main::audit(main::line(identity => '"CN=team-a,O=Contoso"',
    uri => '"/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup"',
    policy => '""', api_version => '""', decision => '"deny"',
    reason => '"api_version_missing"', status => 400))]



=== TEST 12: refused by nginx before the gate (client_max_body_size): still recorded
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        client_max_body_size 16;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview
{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
"GET /audit"]
--- more_headers
Content-Type: application/json
--- error_code eval
[413, 200]
--- response_body_like eval
[qr/FABRIC_E_VALUE_TOO_LARGE/,
main::audit(main::line(policy => '""', api_version => '""',
    decision => '"deny"', reason => '"body_too_large"', status => 413))]
--- no_error_log
sf-sim received



=== TEST 13: refused by an access module before the gate: deny, reason "refused_before_gate"
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        deny all;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview
{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
"GET /audit"]
--- more_headers
Content-Type: application/json
--- error_code eval
[403, 200]
--- response_body_like eval
[qr/"Error"/,
main::audit(main::line(policy => '""', api_version => '""',
    decision => '"deny"', reason => '"refused_before_gate"', status => 403))]
--- no_error_log
sf-sim received



=== TEST 14: the BackupRestore passthrough, closed: entity backup_restore
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST /BackupRestore/EnableBackup?api-version=6.4
{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
"GET /audit"]
--- more_headers
Content-Type: application/json
--- error_code eval
[403, 200]
--- response_body_like eval
[qr/E_ACCESSDENIED/,
main::audit(main::line(uri => '"/BackupRestore/EnableBackup?api-version=6.4"',
    entity => '"backup_restore"', entity_id => '""', operation => '""',
    policy => '""',
    api_version => '""', decision => '"deny"',
    reason => '"backup_restore_closed"', status => 403))]



=== TEST 15: what the gate does not govern leaves no record
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["GET /\$/GetClusterVersion?api-version=6.0", "GET /audit"]
--- error_code eval
[200, 200]
--- response_body eval
['{"Version":"8.0.514.9590"}', '']



=== TEST 16: sf_backup_audit_log off in an inner location
--- config
    sf_backup_audit_log logs/audit.log;

    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }

    location /Partitions/ {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log off;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview
{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
"POST /Services/app~svc/\$/EnableBackup?api-version=6.2-preview
{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
"GET /audit"]
--- more_headers
Content-Type: application/json
--- error_code eval
[202, 202, 200]
--- response_body_like eval
[qr/\A\z/, qr/\A\z/,
main::audit(main::line(
    uri => '"/Services/app~svc/$/EnableBackup?api-version=6.2-preview"',
    entity => '"service"', entity_id => '"app~svc"',
    decision => '"allow"', reason => '"allowed"', status => 202,
    upstream_status => '"202"', upstream_addr => qr/"127\.0\.0\.1:\d+"/))]



=== TEST 17: fail-closed: a decision record before forwarding, the outcome after, one request_id
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        sf_backup_audit_fail_closed on;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview
{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
"GET /audit"]
--- more_headers
Content-Type: application/json
--- error_code eval
[202, 200]
--- response_body_like eval
[qr/\A\z/,
main::audit(
    main::line(request_id => qr/"(?<id>[0-9a-f]{32})"/,
        decision => '"allow"', reason => '"allowed"', status => 0,
        duration_ms => qr/\d+/, phase => '"decision"'),
    main::line(request_id => \'"\k<id>"',
        decision => '"allow"', reason => '"allowed"', status => 202,
        upstream_status => '"202"', upstream_addr => qr/"127\.0\.0\.1:\d+"/))]



=== TEST 18: hostile identity: quotes, backslash, controls, invalid UTF-8 stay inside their field
--- config
    large_client_header_buffers 4 16k;

    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_identity $http_x_team;
        sf_backup_audit_log logs/audit.log;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview
{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
"GET /audit"]
--- more_headers eval
"Content-Type: application/json
X-Team: a\",\"decision\":\"allow\\\t\x01\x1f\x7f\xff\xfe}\xc3\xa9"
--- error_code eval
[202, 200]
--- response_body_like eval
[qr/\A\z/,
main::audit(main::line(
    identity => '"a\",\"decision\":\"allow\\\\\t\u0001\u001F' . "\x7f"
                . '\uFFFD\uFFFD}\u00E9"',
    decision => '"allow"', reason => '"allowed"', status => 202,
    upstream_status => '"202"', upstream_addr => qr/"127\.0\.0\.1:\d+"/))]



=== TEST 19: a 10 KB identity is cut to its bound, marked "...", on one line
--- config
    large_client_header_buffers 4 16k;

    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_identity $http_x_team;
        sf_backup_audit_log logs/audit.log;
        proxy_set_header X-Team "";
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview
{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
"GET /audit"]
--- more_headers eval
"Content-Type: application/json
X-Team: " . ("A" x 10240)
--- error_code eval
[202, 200]
--- response_body_like eval
[qr/\A\z/,
main::audit(main::line(identity => '"' . ("A" x 509) . '..."',
    decision => '"allow"', reason => '"allowed"', status => 202,
    upstream_status => '"202"', upstream_addr => qr/"127\.0\.0\.1:\d+"/))]



=== TEST 20: hostile URI: encoded NUL, CR, LF and quotes, raw quotes and invalid UTF-8
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview&x=%00%0d%0a%22\",\"status\":200\xff\xc3
{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
"GET /audit"]
--- more_headers
Content-Type: application/json
--- error_code eval
[400, 200]
--- response_body_like eval
[qr/E_INVALIDARG/,
main::audit(main::line(
    uri => '"/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&x=%00%0d%0a%22\",\"status\":200\uFFFD\uFFFD"',
    policy => '""', api_version => qr/"(?:6\.2-preview)?"/,
    decision => '"deny"', reason => qr/"query_[a-z_]+"/, status => 400))]



=== TEST 21: a URI longer than its bound is cut and marked
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview&x=" . ("y" x 3000) . "
{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
"GET /audit"]
--- more_headers
Content-Type: application/json
--- error_code eval
[400, 200]
--- response_body_like eval
[qr/E_INVALIDARG/,
main::audit(main::line(
    uri => '"/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&x='
           . ("y" x (2048 - 3 - length('/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&x=')))
           . '..."',
    policy => '""', api_version => qr/"(?:6\.2-preview)?"/,
    decision => '"deny"', reason => qr/"query_[a-z_]+"/, status => 400))]



=== TEST 22: hostile policy: JSON escapes in the body decode to quotes, newline, CR; refused by a policy name's rule, recorded as given, still one line
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview
{\"BackupPolicyName\":\"x\\\",\\\"decision\\\":\\\"allow\\\"}\\n{\\r\\u2028\"}",
"GET /audit"]
--- more_headers
Content-Type: application/json
--- error_code eval
[400, 200]
--- response_body_like eval
[qr/E_INVALIDARG.*must be a backup policy name/,
main::audit(main::line(
    policy => '"x\",\"decision\":\"allow\"}\n{\r\u2028"',
    decision => '"deny"', reason => '"policy_invalid"', status => 400))]
