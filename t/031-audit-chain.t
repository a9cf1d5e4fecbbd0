# The audit log's HMAC chain and its key, and fail-closed: with
# sf_backup_audit_fail_closed on, nothing reaches the cluster unless its
# decision record was written first.  The unwritable log is /dev/full, where
# every write(2) fails with ENOSPC.
# Debian's nginx is built with --error-log-path=stderr: what it finds wrong
# while reading the configuration goes to stderr only, never to logs/error.log
# where --- error_log looks.  The binary under test is wrapped to add -e
# (as in t/016-gate-config.t).
BEGIN {
    use File::Temp qw(tempdir);

    my $dir = tempdir('sfb-nginx-XXXXXX', TMPDIR => 1, CLEANUP => 1);
    my $real = $ENV{TEST_NGINX_BINARY} || 'nginx';

    open my $out, '>', "$dir/nginx" or die "$dir/nginx: $!\n";
    print $out "#!/bin/sh\nexec '$real' -e logs/error.log \"\$@\"\n";
    close $out;
    chmod 0755, "$dir/nginx" or die "chmod $dir/nginx: $!\n";

    $ENV{TEST_NGINX_BINARY} = "$dir/nginx";
}

use Test::Nginx::Socket 'no_plan';
use Cwd qw(abs_path);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use Digest::SHA qw(sha256_hex);

$ENV{TEST_NGINX_CONF_DIR} ||= abs_path(dirname(__FILE__) . '/../conf');
$ENV{TEST_NGINX_SIM_PORT} ||= 1985;

use lib abs_path(dirname(__FILE__)) . '/audit';
use Line qw(line audit);

# key files, made here with the modes the tests need (nginx reads them once,
# while it starts)
my $keys = tempdir('sfb-audit-keys-XXXXXX', TMPDIR => 1, CLEANUP => 1);

sub key_file {
    my ($name, $content, $mode) = @_;
    my $path = "$keys/$name";

    open my $out, '>', $path or die "cannot write $path: $!";
    print $out $content;
    close $out;
    chmod $mode, $path or die "cannot chmod $path: $!";

    return $path;
}

$ENV{TEST_NGINX_AUDIT_KEY} = key_file('audit.key', ('k' x 64) . "\n", 0600);

# the key's name in every record: SHA-256 over a domain and the key, cut
our $key_id = substr(sha256_hex("sf-backup-gate audit key id v1\0"
                                . ('k' x 64)), 0, 16);
$ENV{TEST_NGINX_AUDIT_KEY2} = key_file('other.key', ('o' x 64) . "\n", 0640);
$ENV{TEST_NGINX_AUDIT_KEY_OPEN} = key_file('open.key', ('k' x 64), 0644);
$ENV{TEST_NGINX_AUDIT_KEY_SHORT} = key_file('short.key', "short\n", 0600);

my $sim = <<'_EOC_';
    js_path "$TEST_NGINX_CONF_DIR/sim";
    js_import sfsim from sf_cluster_sim.js;
    server {
        listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
        include $TEST_NGINX_CONF_DIR/sim/sf_cluster_sim.locations;
    }
_EOC_

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

=== TEST 1: with a key every record is chained: chain id, seq 1 then 2, prev is the previous mac
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        sf_backup_audit_key $TEST_NGINX_AUDIT_KEY;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview
{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
"POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview
{\"BackupPolicyName\":\"WeeklyBackupPolicy\"}",
"GET /audit"]
--- more_headers
Content-Type: application/json
--- error_code eval
[202, 403, 200]
--- response_body_like eval
[qr/\A\z/, qr/E_ACCESSDENIED/,
main::audit(
    main::line(decision => '"allow"', reason => '"allowed"', status => 202,
        upstream_status => '"202"', upstream_addr => qr/"127\.0\.0\.1:\d+"/,
        chain => '"key_id":"(?<k>[0-9a-f]{16})",'
                 . '"chain":"(?<c>[0-9a-f]{32})","seq":1,"prev":"",'
                 . '"mac":"(?<m>[0-9a-f]{64})"'),
    main::line(policy => '"WeeklyBackupPolicy"', decision => '"deny"',
        reason => '"policy_not_allowed"', status => 403,
        chain => '"key_id":"\k<k>","chain":"\k<c>","seq":2,"prev":"\k<m>",'
                 . '"mac":"[0-9a-f]{64}"'))]
--- no_error_log
[error]



=== TEST 2: fail-closed with a key: decision then outcome, one request_id, one chain
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        sf_backup_audit_key $TEST_NGINX_AUDIT_KEY;
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
        phase => '"decision"',
        chain => '"key_id":"(?<k>[0-9a-f]{16})",'
                 . '"chain":"(?<c>[0-9a-f]{32})","seq":1,"prev":"",'
                 . '"mac":"(?<m>[0-9a-f]{64})"'),
    main::line(request_id => \'"\k<id>"',
        decision => '"allow"', reason => '"allowed"', status => 202,
        upstream_status => '"202"', upstream_addr => qr/"127\.0\.0\.1:\d+"/,
        chain => '"key_id":"\k<k>","chain":"\k<c>","seq":2,"prev":"\k<m>",'
                 . '"mac":"[0-9a-f]{64}"'))]



=== TEST 3: a key file others can read is refused by nginx -t
--- config
    location / {
        sf_backup_gate on;
        sf_backup_audit_log logs/audit.log;
        sf_backup_audit_key $TEST_NGINX_AUDIT_KEY_OPEN;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*audit key file ".*open\.key" is accessible by others \(mode 0644\): run chmod o-rwx on it in \S+:\d+$/



=== TEST 4: a key shorter than 32 bytes is refused
--- config
    location / {
        sf_backup_gate on;
        sf_backup_audit_log logs/audit.log;
        sf_backup_audit_key $TEST_NGINX_AUDIT_KEY_SHORT;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*audit key in ".*short\.key" is 5 bytes, at least 32 are needed/



=== TEST 5: a key file that does not exist is refused
--- config
    location / {
        sf_backup_gate on;
        sf_backup_audit_log logs/audit.log;
        sf_backup_audit_key /nonexistent/sfb-audit.key;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*cannot open audit key file "\/nonexistent\/sfb-audit\.key": No such file or directory/



=== TEST 6: sf_backup_audit_key needs sf_backup_audit_log before it
--- config
    location / {
        sf_backup_gate on;
        sf_backup_audit_key $TEST_NGINX_AUDIT_KEY;
        sf_backup_audit_log logs/audit.log;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_audit_key" needs "sf_backup_audit_log" before it in the same block/



=== TEST 7: one audit log, two keys: refused
--- config
    location /Partitions/ {
        sf_backup_gate on;
        sf_backup_audit_log logs/audit.log;
        sf_backup_audit_key $TEST_NGINX_AUDIT_KEY;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
    location /Services/ {
        sf_backup_gate on;
        sf_backup_audit_log logs/audit.log;
        sf_backup_audit_key $TEST_NGINX_AUDIT_KEY2;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*audit log "logs\/audit\.log" has another key already/



=== TEST 8: the audit log's file shared with a buffered access log: refused
--- http_config
    access_log logs/audit.log combined buffer=4k;
--- config
    location / {
        sf_backup_gate on;
        sf_backup_audit_log logs/audit.log;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*audit log "logs\/audit\.log" is used by another log/



=== TEST 9: fail-closed, log unwritable: 503 FABRIC_E_SERVICE_OFFLINE, an alert, nothing forwarded
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log /dev/full;
        sf_backup_audit_key $TEST_NGINX_AUDIT_KEY;
        sf_backup_audit_fail_closed on;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 503
--- response_body_like eval
qr/\A\{"Error":\{"Code":"FABRIC_E_SERVICE_OFFLINE","Message":"[^"]*not forwarded[^"]*\(request id [0-9a-f]{32}\)"\}\}\z/
--- error_log eval
[qr/\[alert\] .*sf_backup: 1 audit record\(s\) lost: write\(\) to "\/dev\/full" failed \(1 lost so far in this worker\); chain [0-9a-f]{32} goes on with seq 1 \(28: No space left on device\)/,
qr/\[alert\] .*sf_backup: 1 audit record\(s\) lost: write\(\) to "\/dev\/full" failed \(2 lost so far in this worker\)/]
--- no_error_log
sf-sim received



=== TEST 10: fail-closed, report only, log unwritable: refused as well, nothing forwarded
--- config
    location / {
        sf_backup_gate report_only;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log /dev/full;
        sf_backup_audit_fail_closed on;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"WeeklyBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 503
--- response_body_like: FABRIC_E_SERVICE_OFFLINE
--- error_log eval
qr/\[alert\] .*sf_backup: 1 audit record\(s\) lost: write\(\) to "\/dev\/full" failed \(1 lost so far in this worker\) \(28: No space left on device\)/
--- no_error_log
sf-sim received



=== TEST 11: fail-closed, log unwritable, a denial: still the denial; the lost record is logged
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log /dev/full;
        sf_backup_audit_fail_closed on;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"WeeklyBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 403
--- response_body_like: E_ACCESSDENIED
--- error_log eval
qr/\[alert\] .*sf_backup: 1 audit record\(s\) lost: write\(\) to "\/dev\/full" failed \(1 lost so far in this worker\)/
--- no_error_log
sf-sim received



=== TEST 12: fail-closed off, log unwritable: forwarded, and the lost record is never silent
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log /dev/full;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log eval
[qr/sf-sim received: POST /,
qr/\[alert\] .*sf_backup: 1 audit record\(s\) lost: write\(\) to "\/dev\/full" failed \(1 lost so far in this worker\)/]



=== TEST 13: sf_backup_audit_fail_closed on without an audit log is refused
--- config
    location / {
        sf_backup_gate on;
        sf_backup_audit_fail_closed on;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_audit_fail_closed on" needs "sf_backup_audit_log"/



=== TEST 14: sf_backup_audit_node names the gateway in every record; key_id names the key, not a secret
--- http_config
    sf_backup_audit_node gw-7.contoso;
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
        sf_backup_audit_log logs/audit.log;
        sf_backup_audit_key $TEST_NGINX_AUDIT_KEY;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview
{\"BackupPolicyName\":\"WeeklyBackupPolicy\"}",
"GET /audit"]
--- more_headers
Content-Type: application/json
--- error_code eval
[403, 200]
--- response_body_like eval
[qr/E_ACCESSDENIED/,
main::audit(
    main::line(policy => '"WeeklyBackupPolicy"', decision => '"deny"',
        reason => '"policy_not_allowed"', status => 403,
        node => '"gw-7.contoso"',
        chain => '"key_id":"' . $main::key_id . '",'
                 . '"chain":"[0-9a-f]{32}","seq":1,"prev":"",'
                 . '"mac":"[0-9a-f]{64}"'))]
--- no_error_log
[error]



=== TEST 15: sf_backup_audit_node only at the http level
--- config
    location / {
        sf_backup_gate on;
        sf_backup_audit_node gw-7;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_audit_node" directive is not allowed here/
