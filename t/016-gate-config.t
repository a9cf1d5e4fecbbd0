# Invalid configuration is refused when nginx starts (as "nginx -t" would),
# with a message that says what is wrong and where (file:line).

# Debian's nginx is built with --error-log-path=stderr: what it finds wrong
# while reading the configuration goes to stderr only, never to logs/error.log
# where --- error_log looks.  nginx's own -e option sends it there; the binary
# under test is wrapped to add it (relative to the -p prefix the harness
# passes).  This must run before Test::Nginx::Socket reads TEST_NGINX_BINARY.
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

# an audit key, 0600 as sf_backup_audit_key wants it
{
    my $dir = tempdir('sfb-audit-keys-XXXXXX', TMPDIR => 1, CLEANUP => 1);

    open my $out, '>', "$dir/audit.key" or die "$dir/audit.key: $!\n";
    print $out ('k' x 64) . "\n";
    close $out;
    chmod 0600, "$dir/audit.key" or die "chmod $dir/audit.key: $!\n";

    $ENV{TEST_NGINX_AUDIT_KEY} = "$dir/audit.key";
}

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
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy HourlyBackupPolicy;
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

=== TEST 1: sf_backup_gate with a value it does not know
--- config
    location / {
        sf_backup_gate maybe;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*invalid value "maybe" in "sf_backup_gate" directive, it must be "on", "off" or "report_only" in \S+:\d+$/



=== TEST 2: sf_backup_gate twice
--- config
    location / {
        sf_backup_gate on;
        sf_backup_gate report_only;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_gate" directive is duplicate in \S+:\d+$/



=== TEST 3: sf_backup_gate with two values
--- config
    location / {
        sf_backup_gate on off;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*invalid number of arguments in "sf_backup_gate" directive in \S+:\d+$/



=== TEST 4: sf_backup_gate inside "if"
--- config
    location / {
        if ($arg_x) {
            sf_backup_gate on;
        }
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_gate" directive is not allowed here in \S+:\d+$/



=== TEST 5: sf_backup_timeout with its minimum above its maximum
--- config
    location / {
        sf_backup_gate on;
        sf_backup_timeout 60 30;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_timeout": the minimum 60 is above the maximum 30 in \S+:\d+$/



=== TEST 6: sf_backup_timeout with a zero minimum
--- config
    location / {
        sf_backup_gate on;
        sf_backup_timeout 0 30;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_timeout": "0" is not a number of seconds between 1 and 4294967295 in \S+:\d+$/



=== TEST 7: sf_backup_timeout with a zero maximum
--- config
    location / {
        sf_backup_gate on;
        sf_backup_timeout 1 0;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_timeout": "0" is not a number of seconds between 1 and 4294967295 in \S+:\d+$/



=== TEST 8: sf_backup_timeout not numeric
--- config
    location / {
        sf_backup_gate on;
        sf_backup_timeout ten 60;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_timeout": "ten" is not a number of seconds between 1 and 4294967295 in \S+:\d+$/



=== TEST 9: sf_backup_timeout with a unit
--- config
    location / {
        sf_backup_gate on;
        sf_backup_timeout 1 60s;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_timeout": "60s" is not a number of seconds between 1 and 4294967295 in \S+:\d+$/



=== TEST 10: sf_backup_timeout negative
--- config
    location / {
        sf_backup_gate on;
        sf_backup_timeout -1 60;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_timeout": "-1" is not a number of seconds between 1 and 4294967295 in \S+:\d+$/



=== TEST 11: sf_backup_timeout above the REST contract
--- config
    location / {
        sf_backup_gate on;
        sf_backup_timeout 1 4294967296;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_timeout": "4294967296" is not a number of seconds between 1 and 4294967295 in \S+:\d+$/



=== TEST 12: sf_backup_timeout with one value
--- config
    location / {
        sf_backup_gate on;
        sf_backup_timeout 60;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*invalid number of arguments in "sf_backup_timeout" directive in \S+:\d+$/



=== TEST 13: sf_backup_timeout twice
--- config
    location / {
        sf_backup_gate on;
        sf_backup_timeout 1 60;
        sf_backup_timeout 1 90;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_timeout" directive is duplicate in \S+:\d+$/



=== TEST 14: a policy name with a space is one name, as Service Fabric takes it
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies "Daily Policy";
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"Daily Policy"}
--- more_headers
Content-Type: application/json
--- error_code: 404
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=35 body={"BackupPolicyName":"Daily Policy"}



=== TEST 15: a policy name with a slash
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies 'Daily/Policy';
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*invalid policy name "Daily\/Policy": 1 to 256 bytes of UTF-8 without control characters, '\/', '\\', '%' or '~', not "\$", not starting with a space nor ending with a space or '\.' in \S+:\d+$/



=== TEST 16: a policy name with a comma
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyPolicy,WeeklyPolicy;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*invalid policy name "DailyPolicy,WeeklyPolicy": a comma separates names in a list; give each name as an argument of its own in \S+:\d+$/



=== TEST 17: a policy name with a backslash
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies Daily\\Policy;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*invalid policy name "Daily\\Policy": 1 to 256 bytes of UTF-8 without control characters, '\/', '\\', '%' or '~', not "\$", not starting with a space nor ending with a space or '\.' in \S+:\d+$/



=== TEST 18: an empty policy name
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy "";
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*invalid policy name "": 1 to 256 bytes of UTF-8 without control characters, '\/', '\\', '%' or '~', not "\$", not starting with a space nor ending with a space or '\.' in \S+:\d+$/



=== TEST 19: a policy name longer than 256 characters
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*invalid policy name "P{257}": 1 to 256 bytes of UTF-8 without control characters, '\/', '\\', '%' or '~', not "\$", not starting with a space nor ending with a space or '\.' in \S+:\d+$/



=== TEST 20: a variable next to static policy names
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy $http_x_team;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_policies": a variable must be the only argument in \S+:\d+$/



=== TEST 21: an unknown variable as the allow-list (nginx names no line for it)
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies $no_such_team_policies;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*unknown "no_such_team_policies" variable$/



=== TEST 22: sf_backup_policies twice
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_policies WeeklyBackupPolicy;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_policies" directive is duplicate in \S+:\d+$/



=== TEST 23: sf_backup_policies twice, the second a variable
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_policies $http_x_policies;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_policies" directive is duplicate in \S+:\d+$/



=== TEST 24: sf_backup_identity twice
--- config
    location / {
        sf_backup_gate on;
        sf_backup_identity $ssl_client_s_dn;
        sf_backup_identity $remote_user;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_identity" directive is duplicate in \S+:\d+$/



=== TEST 25: an empty sf_backup_identity, which would deny everything
--- config
    location / {
        sf_backup_gate on;
        sf_backup_identity "";
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_identity" must not be empty in \S+:\d+$/



=== TEST 26: an api-version with a space
--- config
    location / {
        sf_backup_gate on;
        sf_backup_api_versions "6.2 preview";
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*invalid api-version "6.2 preview": only printable ASCII without spaces, quotes, commas or backslashes in \S+:\d+$/



=== TEST 27: sf_backup_api_versions twice
--- config
    location / {
        sf_backup_gate on;
        sf_backup_api_versions 6.2-preview;
        sf_backup_api_versions 6.4;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_api_versions" directive is duplicate in \S+:\d+$/



=== TEST 28: an upstream api-version with a quote
--- config
    location / {
        sf_backup_gate on;
        sf_backup_upstream_api_version '6.4"';
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*invalid api-version "6.4"": only printable ASCII without spaces, quotes, commas or backslashes in \S+:\d+$/



=== TEST 29: sf_backup_upstream_api_version twice
--- config
    location / {
        sf_backup_gate on;
        sf_backup_upstream_api_version 6.4;
        sf_backup_upstream_api_version 7.0;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_upstream_api_version" directive is duplicate in \S+:\d+$/



=== TEST 30: sf_backup_max_body zero
--- config
    location / {
        sf_backup_gate on;
        sf_backup_max_body 0;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_max_body" must be between 1 and 1048576 bytes \(1m\), not "0" in \S+:\d+$/



=== TEST 31: sf_backup_max_body above 1m
--- config
    location / {
        sf_backup_gate on;
        sf_backup_max_body 2m;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_max_body" must be between 1 and 1048576 bytes \(1m\), not "2m" in \S+:\d+$/



=== TEST 32: sf_backup_max_body not a size
--- config
    location / {
        sf_backup_gate on;
        sf_backup_max_body lots;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_max_body" directive invalid value in \S+:\d+$/



=== TEST 33: sf_backup_max_body twice
--- config
    location / {
        sf_backup_gate on;
        sf_backup_max_body 4k;
        sf_backup_max_body 8k;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_max_body" directive is duplicate in \S+:\d+$/



=== TEST 34: sf_backup_backup_restore with a value it does not know
--- config
    location / {
        sf_backup_gate on;
        sf_backup_backup_restore sometimes;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*invalid value "sometimes" in "sf_backup_backup_restore" directive, it must be "on" or "off" in \S+:\d+$/



=== TEST 35: sf_backup_audit_fail_closed without sf_backup_audit_log
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_fail_closed on;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_audit_fail_closed on" needs "sf_backup_audit_log" in \S+:\d+$/



=== TEST 36: every directive at once, valid, loads and serves
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy HourlyBackupPolicy;
        sf_backup_identity $remote_addr;
        sf_backup_api_versions 6.2-preview 6.4;
        sf_backup_upstream_api_version 6.4;
        sf_backup_timeout 1 3600;
        sf_backup_max_body 1m;
        sf_backup_backup_restore off;
        sf_backup_fabric_errors on;
        sf_backup_fabric_error_buffer 32k;
        sf_backup_audit_fail_closed off;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=3600
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.4&timeout=3600 content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}
--- no_error_log
[emerg]



=== TEST 37: an api-version that is not a version
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_api_versions banana;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_api_versions": invalid api-version "banana": a Service Fabric REST version is MAJOR.MINOR, optionally with "-preview" \(6.2-preview, 6.4, 7.0\) in \S+:\d+$/



=== TEST 38: a version among good ones that lacks its minor
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_api_versions 6.2-preview 6.4 7;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_api_versions": invalid api-version "7": a Service Fabric REST version is MAJOR.MINOR/



=== TEST 39: "-preview" on nothing
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_api_versions 6.2-preview -preview;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_api_versions": invalid api-version "-preview": .* in \S+:\d+$/



=== TEST 40: an upstream api-version that is not a version
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_upstream_api_version 6.x;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_upstream_api_version": invalid api-version "6.x": a Service Fabric REST version is MAJOR.MINOR, optionally with "-preview" \(6.2-preview, 6.4, 7.0\) in \S+:\d+$/



=== TEST 41: current SDK versions are versions: 7.0 accepted and forwarded
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_api_versions 6.2-preview 6.4 7.0 8.2 10.1-preview;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=7.0
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=7.0
--- no_error_log
[emerg]



=== TEST 42: the gate on with no allow-list anywhere: a warning naming the directive
--- config
    location / {
        sf_backup_gate on;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 403
--- error_log eval
qr/\[warn\] .*"sf_backup_gate" is on but no "sf_backup_policies" is set anywhere: every EnableBackup call, and every read of a policy not in "sf_backup_policies_owned", will be denied in \S+:\d+$/



=== TEST 43: report_only with no allow-list anywhere: the same warning
--- config
    location / {
        sf_backup_gate report_only;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log eval
qr/\[warn\] .*"sf_backup_gate" is on but no "sf_backup_policies" is set anywhere/



=== TEST 44: the gate on at server level, the allow-list in a location: no warning
--- config
    sf_backup_gate on;

    location / {
        sf_backup_policies DailyAzureBackupPolicy;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- no_error_log
is set anywhere



=== TEST 45: an access_log declared after the audit log, into its file
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
    location /other {
        access_log logs/audit.log;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*audit log "logs\/audit\.log" is used by another log declared after it \(access_log, error_log, \.\.\.\): "sf_backup_audit_log" must have its file to itself in \S+:\d+$/



=== TEST 46: an access_log declared before the audit log, into its file
--- http_config
    access_log logs/audit.log;
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*audit log "logs\/audit\.log" is used by another log declared before it \(access_log, error_log, \.\.\.\): "sf_backup_audit_log" must have its file to itself in \S+:\d+$/



=== TEST 47: an error_log into the audit file, named by its absolute path
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
    location /other {
        error_log $TEST_NGINX_SERVER_ROOT/logs/audit.log;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*audit log "logs\/audit\.log" is used by another log declared after it/



=== TEST 48: one audit file in two blocks, one sealed, one not
--- config
    location /Partitions/ {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        sf_backup_audit_key $TEST_NGINX_AUDIT_KEY;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
    location /Services/ {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*audit log "logs\/audit\.log" is sealed with "sf_backup_audit_key" in \S+:\d+ but not where "sf_backup_audit_log" names it again: every block that names an audit file must give the same key, or none, in \S+:\d+$/



=== TEST 49: one audit file in two blocks, both sealed with the same key: loads
--- config
    location /Partitions/ {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        sf_backup_audit_key $TEST_NGINX_AUDIT_KEY;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
    location /Services/ {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        sf_backup_audit_key $TEST_NGINX_AUDIT_KEY;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- no_error_log
[emerg]



=== TEST 50: sf_backup_fabric_error_buffer zero
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_fabric_error_buffer 0;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_fabric_error_buffer" must be at least 1 byte, not "0" in \S+:\d+$/



=== TEST 51: sf_backup_audit_key where the audit log is off
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log off;
        sf_backup_audit_key $TEST_NGINX_AUDIT_KEY;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_audit_key" has no audit log to seal: "sf_backup_audit_log" is off in this block in \S+:\d+$/



=== TEST 52: sf_backup_audit_key twice
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        sf_backup_audit_key $TEST_NGINX_AUDIT_KEY;
        sf_backup_audit_key $TEST_NGINX_AUDIT_KEY;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_audit_key" directive is duplicate in \S+:\d+$/



=== TEST 53: an unknown operation in sf_backup_operations
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_operations enable delete;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*unknown operation "delete" in "sf_backup_operations": it must be enable, .* in \S+:\d+$/



=== TEST 54: sf_backup_operations twice
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_operations enable;
        sf_backup_operations read;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_operations" directive is duplicate in \S+:\d+$/



=== TEST 55: an invalid application name in sf_backup_scope
--- config
    location / {
        sf_backup_gate on;
        sf_backup_scope fabric:/TeamA fabric:/TeamB/;
        sf_backup_scope_resolve /r;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_scope": invalid application name "fabric:\/TeamB\/": a Service Fabric name is .* in \S+:\d+$/



=== TEST 56: sf_backup_scope without sf_backup_scope_resolve
--- config
    location / {
        sf_backup_gate on;
        sf_backup_scope fabric:/TeamA;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_scope" needs "sf_backup_scope_resolve": a partition's service can only be asked of the cluster in \S+:\d+$/



=== TEST 57: sf_backup_scope_resolve must be a URI prefix
--- config
    location / {
        sf_backup_gate on;
        sf_backup_scope fabric:/TeamA;
        sf_backup_scope_resolve /r/;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_scope_resolve": "\/r\/" must be a location's URI prefix/



=== TEST 58: sf_backup_scope_cache needs a zone, and takes only zone= and valid=
--- config
    location / {
        sf_backup_gate on;
        sf_backup_scope_cache valid=1h;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_scope_cache" must have "zone=name:size"/



=== TEST 59: sf_backup_scope_cache with an unknown parameter
--- config
    location / {
        sf_backup_gate on;
        sf_backup_scope_cache zone=s:1m inactive=1h;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*invalid parameter "inactive=1h" in "sf_backup_scope_cache": it takes zone=name:size and optionally valid=time/



=== TEST 60: the lookup's location must be internal, or any client could send any call through it
--- config
    location / {
        sf_backup_gate on;
        sf_backup_scope fabric:/TeamA;
        sf_backup_scope_resolve /sf_scope;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
    location /sf_scope/ {
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT/;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_scope_resolve \/sf_scope": the location "\/sf_scope\/" that serves it is not internal: add "internal;" to it, or any client could send any call through it unchecked in \S+:\d+$/



=== TEST 61: a lookup prefix that only the gate's own location serves is refused: no internal location proxies it
--- config
    location / {
        sf_backup_gate on;
        sf_backup_scope fabric:/TeamA;
        sf_backup_scope_resolve /sf_scope;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
    location /sf_scop/ {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT/;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_scope_resolve \/sf_scope": the location "\/" that serves it is not internal/



=== TEST 62: a regular expression location that takes the lookup's prefix first is the one checked
--- config
    location / {
        sf_backup_gate on;
        sf_backup_scope fabric:/TeamA;
        sf_backup_scope_resolve /sf_scope;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
    location /sf_scope/ {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT/;
    }
    location ~ GetServiceName$ {
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_scope_resolve \/sf_scope": the location "GetServiceName\$" that serves it is not internal/



=== TEST 63: a malformed storage entry is refused with the rule it breaks
--- config
    location / {
        sf_backup_gate on;
        sf_backup_storages https://sfsimfakebackups.blob.core.windows.net/sf-backups
                           https://Evil.blob.core.windows.net/c;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_storages": invalid storage "https:\/\/Evil\.blob\.core\.windows\.net\/c": .*; a storage is https:\/\/<account>\.blob\.<suffix>\/<container>, file:\/\/<server>\/<share>\[\/<folder>\.\.\.\] or dsms:<location>#<container> in \S+:\d+$/



=== TEST 64: a share entry with a dot segment is refused
--- config
    location / {
        sf_backup_gate on;
        sf_backup_storages file://backupserver.sfsim.example/sf-backups/../other;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_storages": invalid storage "file:\/\/backupserver\.sfsim\.example\/sf-backups\/\.\.\/other": /



=== TEST 65: an owned policy's name follows the one rule of a policy's name
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies_owned WeeklyBackupPolicy "Probe Policy" "Probe~Policy";
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_policies_owned": invalid policy name "Probe~Policy": 1 to 256 bytes of UTF-8 without control characters, '\/', '\\', '%' or '~', not "\$", not starting with a space nor ending with a space or '\.' in \S+:\d+$/



=== TEST 66: the lookup's internal location passes nginx -t, and the storages and owned policies given are taken
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_policies_owned WeeklyBackupPolicy;
        sf_backup_storages https://sfsimfakebackups.blob.core.windows.net/sf-backups
                           file://backupserver.sfsim.example/sf-backups
                           dsms:https://dsms.example/loc#sf-backups;
        sf_backup_scope fabric:/TeamA;
        sf_backup_scope_resolve /sf_scope;
        sf_backup_passthrough off;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
    location /sf_scope/ {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT/;
    }
--- request
GET /Applications/TeamB~Billing/$/GetApplicationInfo
--- error_code: 403
--- response_body_like: "Code":"E_ACCESSDENIED","Message":"Only the backup and restore calls



=== TEST 67: sf_backup_scope without sf_backup_scope_resolve, in an included file: named at its own line there
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        include ../html/scope.conf;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- user_files
>>> scope.conf
# the team's scope
sf_backup_scope fabric:/TeamA;
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_scope" needs "sf_backup_scope_resolve": a partition's service can only be asked of the cluster in \S+\/html\/scope\.conf:2$/



=== TEST 68: sf_backup_scope included at server level, the gate on in a location: named where the scope is
--- config
    include ../html/scope.conf;

    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- user_files
>>> scope.conf

sf_backup_scope fabric:/TeamA fabric:/Shared;
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_scope" needs "sf_backup_scope_resolve": .* in \S+\/html\/scope\.conf:2$/



=== TEST 69: sf_backup_audit_fail_closed without sf_backup_audit_log, in an included file: named at its own line there
--- config
    include ../html/audit.conf;

    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- user_files
>>> audit.conf
# no sf_backup_audit_log: the gate's calls could not be recorded
sf_backup_audit_fail_closed on;
--- must_die
--- error_log eval
qr/\[emerg\] .*"sf_backup_audit_fail_closed on" needs "sf_backup_audit_log" in \S+\/html\/audit\.conf:2$/
