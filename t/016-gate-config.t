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

    @h = grep { length } ($block->response_headers // '');
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



=== TEST 14: a policy name with a space
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies "Daily Policy";
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*invalid policy name "Daily Policy": only printable ASCII without spaces, quotes, commas or backslashes in \S+:\d+$/



=== TEST 15: a policy name with a double quote
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies 'Daily"Policy';
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*invalid policy name "Daily"Policy": only printable ASCII without spaces, quotes, commas or backslashes in \S+:\d+$/



=== TEST 16: a policy name with a comma
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyPolicy,WeeklyPolicy;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*invalid policy name "DailyPolicy,WeeklyPolicy": only printable ASCII without spaces, quotes, commas or backslashes in \S+:\d+$/



=== TEST 17: a policy name with a backslash
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies Daily\\Policy;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*invalid policy name "Daily\\Policy": only printable ASCII without spaces, quotes, commas or backslashes in \S+:\d+$/



=== TEST 18: an empty policy name
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy "";
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*invalid policy name "": must be 1 to 256 characters in \S+:\d+$/



=== TEST 19: a policy name longer than 256 characters
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*invalid policy name "P{257}": must be 1 to 256 characters in \S+:\d+$/



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
qr/\[emerg\] .*value must be between 1 and 1048576 in \S+:\d+$/



=== TEST 31: sf_backup_max_body above 1m
--- config
    location / {
        sf_backup_gate on;
        sf_backup_max_body 2m;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- must_die
--- error_log eval
qr/\[emerg\] .*value must be between 1 and 1048576 in \S+:\d+$/



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
