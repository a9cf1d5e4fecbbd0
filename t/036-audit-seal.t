# Forward-secure sealing (sf_backup_audit_seal) in the suites, so that the
# sanitizer and valgrind runs see its glue: records carry their epoch,
# across epochs of one second; nginx -t refuses what it must, by file and
# line.  t/audit-seal/run has the rest (the logs verified, the attacker,
# the state file, the master's memory, a reload).
# Debian's nginx is built with --error-log-path=stderr: the binary under test
# is wrapped to add -e (as in t/016-gate-config.t).
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

$ENV{TEST_NGINX_CONF_DIR} ||= abs_path(dirname(__FILE__) . '/../conf');
$ENV{TEST_NGINX_SIM_PORT} ||= 1985;

my $top = abs_path(dirname(__FILE__) . '/..');
my $verify = "$top/scripts/audit-verify";

# a sealing state made as an operator would (the workers run as root here)
my $dir = tempdir('sfb-audit-seal-XXXXXX', TMPDIR => 1, CLEANUP => 1);

system("umask 077 && '$verify' --setup-keys '$dir/seal.state' --interval 1s"
       . " > '$dir/vkey' 2> /dev/null") == 0
    or die "cannot set up sealing\n";

$ENV{TEST_NGINX_SEAL_STATE} = "$dir/seal.state";
$ENV{TEST_NGINX_AUDIT_KEY} = "$dir/audit.key";
$ENV{TEST_NGINX_SEAL_DIR} = $dir;

open my $k, '>', "$dir/audit.key" or die "$dir/audit.key: $!\n";
print $k ('k' x 64) . "\n";
close $k;
chmod 0600, "$dir/audit.key";

my $audit_location = <<'_EOC_';
    location = /audit {
        alias logs/audit.log;
    }
_EOC_

add_block_preprocessor(sub {
    my $block = shift;

    $block->set_value('config', ($block->config // '') . $audit_location);
});

no_shuffle();
no_root_location();
log_level('warn');
run_tests();

__DATA__

=== TEST 1: sealed records carry key_id then epoch, across epochs of one second
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        sf_backup_audit_seal $TEST_NGINX_SEAL_STATE interval=1s;
        return 403;
    }
--- request eval
["POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview
{\"BackupPolicyName\":\"WeeklyBackupPolicy\"}",
"POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview
{\"BackupPolicyName\":\"WeeklyBackupPolicy\"}",
"GET /audit"]
--- more_headers
Content-Type: application/json
--- request_delay eval
[0, 1.2, 0.2]
--- error_code eval
[403, 403, 200]
--- response_body_like eval
[qr/E_ACCESSDENIED/, qr/E_ACCESSDENIED/,
qr/\A(?:\{"time":"[^\n]*,"phase":"outcome","node":"[^"]*","key_id":"[0-9a-f]{16}","epoch":\d+,"chain":"[0-9a-f]{32}","seq":\d+,[^\n]*\}\n){2}\z/]
--- no_error_log
[alert]
[emerg]



=== TEST 2: a missing state file, by file and line
--- config
    location / {
        sf_backup_gate on;
        sf_backup_audit_log logs/audit.log;
        sf_backup_audit_seal $TEST_NGINX_SEAL_DIR/nope;
        return 403;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*cannot open seal state file ".*\/nope": No such file or directory \(sf-backup-audit-verify --setup-keys makes one\) in \S+:\d+$/



=== TEST 3: sf_backup_audit_key and sf_backup_audit_seal in one block
--- config
    location / {
        sf_backup_gate on;
        sf_backup_audit_log logs/audit.log;
        sf_backup_audit_key $TEST_NGINX_AUDIT_KEY;
        sf_backup_audit_seal $TEST_NGINX_SEAL_STATE;
        return 403;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_audit_key" and "sf_backup_audit_seal" in one block: a log is sealed with one of them in \S+:\d+$/



=== TEST 4: sealed in one block, keyed in another, for one file
--- config
    location /a {
        sf_backup_gate on;
        sf_backup_audit_log logs/audit.log;
        sf_backup_audit_key $TEST_NGINX_AUDIT_KEY;
        return 403;
    }
    location /b {
        sf_backup_gate on;
        sf_backup_audit_log logs/audit.log;
        sf_backup_audit_seal $TEST_NGINX_SEAL_STATE;
        return 403;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*audit log "logs\/audit\.log" has another key already in \S+:\d+$/



=== TEST 5: an interval other than the state's
--- config
    location / {
        sf_backup_gate on;
        sf_backup_audit_log logs/audit.log;
        sf_backup_audit_seal $TEST_NGINX_SEAL_STATE interval=15m;
        return 403;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*interval=15m, but ".*seal\.state" was set up with epochs of 1 s .* in \S+:\d+$/
