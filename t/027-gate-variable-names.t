# A list directive given a variable (sf_backup_operations, sf_backup_policies,
# sf_backup_policies_owned, sf_backup_scope) reads its names per request,
# typically from a map on the team.  A name in that value which cannot be
# valid (a typo in the map: "suspnd", "fabric://TeamB") grants nothing, as
# before, and is no longer silent: the error log names the directive, the
# variable, the name and the rule, once per name and worker.  Bytes a log
# line should not carry are shown as '?'.
use Test::Nginx::Socket 'no_plan';
use Cwd qw(abs_path);
use File::Basename qw(dirname);

$ENV{TEST_NGINX_CONF_DIR} ||= abs_path(dirname(__FILE__) . '/../conf');
$ENV{TEST_NGINX_SIM_PORT} ||= 1985;

our $P = '/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$';
our $S = '/Services/TeamB~Billing~Ledger/$';
our $Q = 'api-version=6.2-preview';
our $Pol = '/BackupRestore/BackupPolicies';

our $Http = <<'_EOC_';
    js_path "$TEST_NGINX_CONF_DIR/sim";
    js_import sfsim from sf_cluster_sim.js;

    server {
        listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
        set $sf_sim_state_dir $TEST_NGINX_SERVER_ROOT/logs;
        include $TEST_NGINX_CONF_DIR/sim/sf_cluster_sim.locations;
    }

    map $http_x_team $team_operations {
        typo     "enable read suspnd";
        two      "enable read suspnd resme";
        default  "enable read suspend";
    }

    map $http_x_team $team_policies {
        typo     'DailyAzureBackupPolicy Daily"%Policy';
        default  "DailyAzureBackupPolicy";
    }

    map $http_x_team $team_owned {
        typo     "Probe~Policy";
        default  "WeeklyBackupPolicy";
    }

    map $http_x_team $team_scope {
        typo     "fabric://TeamB";
        default  "fabric:/TeamB";
    }
_EOC_

our $Config = <<'_EOC_';
    location / {
        sf_backup_gate on;
        sf_backup_identity tester;
        sf_backup_operations $team_operations;
        sf_backup_policies $team_policies;
        sf_backup_policies_owned $team_owned;
        sf_backup_audit_log logs/audit.log;
        add_header X-Reason $sf_backup_reason always;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }

    location /scoped/ {
        sf_backup_gate on;
        sf_backup_identity tester;
        sf_backup_operations read;
        sf_backup_scope $team_scope;
        sf_backup_scope_resolve /sf_scope;
        sf_backup_audit_log logs/audit.log;
        add_header X-Reason $sf_backup_reason always;
        rewrite ^/scoped(/.*)$ $1 break;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }

    location /sf_scope/ {
        internal;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT/;
    }

    location /hdr/ {
        sf_backup_gate on;
        sf_backup_identity tester;
        sf_backup_operations $http_x_ops;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;
        rewrite ^/hdr(/.*)$ $1 break;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }

    location = /errlog {
        alias logs/error.log;
    }
_EOC_

add_block_preprocessor(sub {
    my $block = shift;

    $block->set_value('http_config', $Http) unless defined $block->http_config;
    $block->set_value('config', $Config) unless defined $block->config;
    $block->set_value('more_headers', "X-Team: typo\nContent-Type: application/json")
        unless defined $block->more_headers;
});

no_shuffle();
no_root_location();
log_level('warn');
run_tests();

__DATA__

=== TEST 1: an operation misspelt in a map: refused as before, and the error log says why, once per worker
--- request eval
["POST $main::P/SuspendBackup?$main::Q\n", "POST $main::P/SuspendBackup?$main::Q\n", "GET /errlog"]
--- error_code eval
[403, 403, 200]
--- response_body_like eval
[qr/E_ACCESSDENIED/, qr/E_ACCESSDENIED/,
 qr/\A(?:(?!in its value)[\s\S])*\[warn\] \S+ \*\d+ sf_backup: "sf_backup_operations \$team_operations": "suspnd" in its value is not a valid operation \(enable, disable, suspend, resume, backup, restore, read, policy, storage_query, clean or storage\) and grants nothing, client: (?:(?!in its value)[\s\S])*\z/]



=== TEST 2: two misspelt operations: one line each; the valid names of the value still grant
--- more_headers
X-Team: two
--- request eval
"GET $main::P/GetBackupConfigurationInfo?$main::Q"
--- error_code: 200
--- error_log
"suspnd" in its value is not a valid operation
"resme" in its value is not a valid operation



=== TEST 3: well-spelt names warn nothing
--- more_headers
X-Team: good
--- request eval
"POST $main::P/SuspendBackup?$main::Q\n"
--- error_code: 202
--- no_error_log
in its value is not a valid



=== TEST 4: a policy name that cannot be one: its bytes shown as '?', the valid name still allowed
--- request eval
"POST $main::P/EnableBackup?$main::Q
{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}"
--- error_code: 202
--- error_log
sf_backup: "sf_backup_policies $team_policies": "Daily?%Policy" in its value is not a valid policy name (1 to 256 bytes of UTF-8 without control characters, '/', '\', '%' or '~', not "$", not starting with a space nor ending with a space or '.') and allows nothing



=== TEST 5: an owned policy that cannot be one, read through its path: refused, and named
--- request eval
"GET $main::Pol/WeeklyBackupPolicy?$main::Q"
--- error_code: 403
--- response_headers
X-Reason: policy_not_allowed
--- error_log
sf_backup: "sf_backup_policies_owned $team_owned": "Probe~Policy" in its value is not a valid policy name (1 to 256 bytes of UTF-8 without control characters, '/', '\', '%' or '~', not "$", not starting with a space nor ending with a space or '.') and owns nothing



=== TEST 6: a scope that is not an application name: out of scope, and named
--- request eval
"GET /scoped$main::S/GetBackupConfigurationInfo?$main::Q"
--- error_code: 403
--- response_headers
X-Reason: out_of_scope
--- error_log
sf_backup: "sf_backup_scope $team_scope": "fabric://TeamB" in its value is not a valid application name ("fabric:/" and one or more segments separated by "/" (fabric:/TeamA)) and matches nothing



=== TEST 7: the same scope written well: in scope, nothing warned
--- more_headers
X-Team: good
--- request eval
"GET /scoped$main::S/GetBackupConfigurationInfo?$main::Q"
--- error_code: 200
--- no_error_log
in its value is not a valid



=== TEST 8: names from a client cannot fill the log: 64 names per worker, the last saying so
--- more_headers eval
"X-Ops: enable " . CORE::join(" ", map { "bad$_" } 1 .. 80) . "\nContent-Type: application/json"
--- request eval
["POST /hdr$main::P/EnableBackup?$main::Q
{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}", "GET /errlog"]
--- error_code eval
[202, 200]
--- response_body_like eval
[qr/\A\z/, qr/\A(?:(?:(?!in its value is not)[\s\S])*"bad\d+" in its value is not a valid operation [^\n]*\n){63}(?:(?!in its value is not)[\s\S])*"bad64" in its value is not a valid operation [^\n]*no more such names are reported by this worker[^\n]*\n(?:(?!in its value is not)[\s\S])*\z/]
