# The allow-list: a request is forwarded only when its BackupPolicyName is
# on the list in force for it, compared byte for byte; otherwise 403
# E_ACCESSDENIED naming the policy (and the caller), never what is allowed.
# The list is static or comes from a variable, the nginx way: a map keyed on
# the client certificate's subject, on a header, or on what an auth_request
# subrequest said.  No list, or an empty one, denies everything.
#
# The test client speaks plain HTTP, so the certificate cases go through a
# chain inside nginx: /team-a/... and /team-b/... proxy to a TLS server with
# that team's client certificate (a throwaway CA and certificates made with
# the openssl CLI below), /anonymous/... without one; the TLS server is the
# gate and proxies to the simulator.  /by-header/... and /by-token/... reach
# gates keyed on X-Team and on an auth_request subrequest's answer.

use Cwd qw(abs_path);
use File::Basename qw(dirname);

# TLS servers (and an auth_request gate) in every block's http_config
use lib abs_path(dirname(__FILE__)) . '/needs';
use Needs qw(http_ssl_module http_auth_request_module);

use Test::Nginx::Socket 'no_plan';

$ENV{TEST_NGINX_CONF_DIR} ||= abs_path(dirname(__FILE__) . '/../conf');
$ENV{TEST_NGINX_SIM_PORT} ||= 1985;
$ENV{TEST_NGINX_TLS_PORT} ||= $ENV{TEST_NGINX_SIM_PORT} + 1;
$ENV{TEST_NGINX_TLS_OPTIONAL_PORT} ||= $ENV{TEST_NGINX_SIM_PORT} + 2;
$ENV{TEST_NGINX_HEADER_GATE_PORT} ||= $ENV{TEST_NGINX_SIM_PORT} + 3;
$ENV{TEST_NGINX_TOKEN_GATE_PORT} ||= $ENV{TEST_NGINX_SIM_PORT} + 4;
$ENV{TEST_NGINX_AUTH_PORT} ||= $ENV{TEST_NGINX_SIM_PORT} + 5;

# A throwaway CA, a server certificate and one client certificate per team.
use lib abs_path(dirname(__FILE__)) . '/pki';
use Pki qw(pki);

BEGIN {
    $ENV{TEST_NGINX_CERT_DIR} = Pki::pki(signed => [qw(localhost team-a team-b)]);
}

# sf-cluster-sim: logs "sf-sim received: METHOD URI content-length=N body=..."
my $sim = <<'_EOC_';
    js_path "$TEST_NGINX_CONF_DIR/sim";
    js_import sfsim from sf_cluster_sim.js;

    server {
        listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
        include $TEST_NGINX_CONF_DIR/sim/sf_cluster_sim.locations;
    }

    # (a) teams by client certificate
    map $ssl_client_s_dn $cert_team_policies {
        "CN=team-a,O=Contoso"   "DailyAzureBackupPolicy HourlyBackupPolicy";
        "CN=team-b,O=Contoso"   "WeeklyBackupPolicy";
        default                 "";
    }

    server {
        listen 127.0.0.1:$TEST_NGINX_TLS_PORT ssl;
        ssl_certificate $TEST_NGINX_CERT_DIR/localhost.crt;
        ssl_certificate_key $TEST_NGINX_CERT_DIR/localhost.key;
        ssl_client_certificate $TEST_NGINX_CERT_DIR/ca.crt;
        ssl_verify_client on;

        sf_backup_gate on;
        sf_backup_identity $ssl_client_s_dn;
        sf_backup_policies $cert_team_policies;

        location / {
            proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
        }
    }

    # the same gate, where a client certificate is optional
    server {
        listen 127.0.0.1:$TEST_NGINX_TLS_OPTIONAL_PORT ssl;
        ssl_certificate $TEST_NGINX_CERT_DIR/localhost.crt;
        ssl_certificate_key $TEST_NGINX_CERT_DIR/localhost.key;
        ssl_client_certificate $TEST_NGINX_CERT_DIR/ca.crt;
        ssl_verify_client optional;

        sf_backup_gate on;
        sf_backup_identity $ssl_client_s_dn;
        sf_backup_policies $cert_team_policies;

        location / {
            proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
        }
    }

    # (b) teams by a header, as a trusted front end sets it
    map $http_x_team $header_team_policies {
        team-a      "DailyAzureBackupPolicy,HourlyBackupPolicy";
        team-b      "WeeklyBackupPolicy";
        default     "";
    }

    server {
        listen 127.0.0.1:$TEST_NGINX_HEADER_GATE_PORT;

        location / {
            sf_backup_gate on;
            sf_backup_identity $http_x_team;
            sf_backup_policies $header_team_policies;
            proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
        }
    }

    # (b) teams by what an auth_request subrequest answers
    map $auth_team $token_team_policies {
        team-a      "DailyAzureBackupPolicy HourlyBackupPolicy";
        team-b      "WeeklyBackupPolicy";
        default     "";
    }

    server {
        listen 127.0.0.1:$TEST_NGINX_TOKEN_GATE_PORT;

        location / {
            auth_request /_auth;
            auth_request_set $auth_team $upstream_http_x_team;

            sf_backup_gate on;
            sf_backup_identity $auth_team;
            sf_backup_policies $token_team_policies;
            proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
        }

        location = /_auth {
            internal;
            proxy_pass http://127.0.0.1:$TEST_NGINX_AUTH_PORT/auth;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
        }
    }

    # the token service: a bearer token names a team
    map $http_authorization $token_team {
        "Bearer token-of-team-a"    team-a;
        "Bearer token-of-team-b"    team-b;
        "Bearer token-of-nobody"    team-z;
        default                     "";
    }

    server {
        listen 127.0.0.1:$TEST_NGINX_AUTH_PORT;

        location = /auth {
            if ($token_team = "") {
                return 401;
            }

            add_header X-Team $token_team always;
            return 204;
        }
    }
_EOC_

my $gate = <<'_EOC_';
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy HourlyBackupPolicy;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }

    location /team-a/ {
        proxy_pass https://127.0.0.1:$TEST_NGINX_TLS_PORT/;
        proxy_ssl_certificate $TEST_NGINX_CERT_DIR/team-a.crt;
        proxy_ssl_certificate_key $TEST_NGINX_CERT_DIR/team-a.key;
    }

    location /team-b/ {
        proxy_pass https://127.0.0.1:$TEST_NGINX_TLS_PORT/;
        proxy_ssl_certificate $TEST_NGINX_CERT_DIR/team-b.crt;
        proxy_ssl_certificate_key $TEST_NGINX_CERT_DIR/team-b.key;
    }

    location /anonymous/ {
        proxy_pass https://127.0.0.1:$TEST_NGINX_TLS_OPTIONAL_PORT/;
    }

    location /anonymous-required/ {
        proxy_pass https://127.0.0.1:$TEST_NGINX_TLS_PORT/;
    }

    location /by-header/ {
        proxy_pass http://127.0.0.1:$TEST_NGINX_HEADER_GATE_PORT/;
    }

    location /by-token/ {
        proxy_pass http://127.0.0.1:$TEST_NGINX_TOKEN_GATE_PORT/;
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

=== TEST 1: a static list: a listed policy is forwarded
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 2: a static list: the other listed policy is forwarded too (the cluster does not know it)
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"HourlyBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 404
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=41 body={"BackupPolicyName":"HourlyBackupPolicy"}



=== TEST 3: a static list: an unlisted policy is refused, the message lists nothing else
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"WeeklyBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Backup policy 'WeeklyBackupPolicy' is not allowed for this caller\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 4: a static list: names compare byte for byte, not in any case
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"dailyazurebackuppolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Backup policy 'dailyazurebackuppolicy' is not allowed for this caller\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 5: a static list: a trailing space is no policy's name (the one rule), not a near miss
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy "}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid request body: member 'BackupPolicyName' must be a backup policy name: .* not starting with a space nor ending with a space or '\.'\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 6: a static list: a prefix of a listed name is another name
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzure"}
--- more_headers
Content-Type: application/json
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Backup policy 'DailyAzure' is not allowed for this caller\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 7: a static list: a listed name with more after it is another name
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy2"}
--- more_headers
Content-Type: application/json
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Backup policy 'DailyAzureBackupPolicy2' is not allowed for this caller\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 8: a static list: a non-ASCII look-alike (Cyrillic a) is another name
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"D\u0430ilyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Backup policy 'D\?\?ilyAzureBackupPolicy' is not allowed for this caller\.[^"]*"\}\}$



=== TEST 9: a static list: quotes, spaces and non-ASCII in the name stay valid JSON in the answer
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"a\"b c\u00e9"}
--- more_headers
Content-Type: application/json
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Backup policy 'a\\"b c\?\?' is not allowed for this caller\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 10: certificates: team A may use its own policy
--- request
POST /team-a/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 11: certificates: team A is refused team B's policy
--- request
POST /team-a/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"WeeklyBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Backup policy 'WeeklyBackupPolicy' is not allowed for caller 'CN=team-a,O=Contoso'\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 12: certificates: team B may use its own policy
--- request
POST /team-b/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"WeeklyBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=41 body={"BackupPolicyName":"WeeklyBackupPolicy"}



=== TEST 13: certificates: team B is refused team A's policy
--- request
POST /team-b/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Backup policy 'DailyAzureBackupPolicy' is not allowed for caller 'CN=team-b,O=Contoso'\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 14: certificates: a client without a certificate is not identified
--- request
POST /anonymous/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"The caller could not be identified\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 15: certificates: where one is required, nginx refuses a client without one before the gate
--- request
POST /anonymous-required/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"[^"]*"\}\}$



=== TEST 16: a header: team-a may use its policy
--- request
POST /by-header/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
X-Team: team-a
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 17: a header: a comma-separated list works as well
--- request
POST /by-header/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"HourlyBackupPolicy"}
--- more_headers
Content-Type: application/json
X-Team: team-a
--- error_code: 404
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=41 body={"BackupPolicyName":"HourlyBackupPolicy"}



=== TEST 18: a header: team-a is refused team-b's policy
--- request
POST /by-header/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"WeeklyBackupPolicy"}
--- more_headers
Content-Type: application/json
X-Team: team-a
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Backup policy 'WeeklyBackupPolicy' is not allowed for caller 'team-a'\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 19: a header: team-b may use its policy
--- request
POST /by-header/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"WeeklyBackupPolicy"}
--- more_headers
Content-Type: application/json
X-Team: team-b
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=41 body={"BackupPolicyName":"WeeklyBackupPolicy"}



=== TEST 20: a header: team-b is refused team-a's policy
--- request
POST /by-header/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
X-Team: team-b
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Backup policy 'DailyAzureBackupPolicy' is not allowed for caller 'team-b'\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 21: a header: a team without a list is refused everything
--- request
POST /by-header/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
X-Team: team-c
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Backup policy 'DailyAzureBackupPolicy' is not allowed for caller 'team-c'\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 22: a header: no header, no identity
--- request
POST /by-header/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"The caller could not be identified\.[^"]*"\}\}$



=== TEST 23: a header: quotes, a backslash and bytes that are not UTF-8 in the identity stay valid JSON
--- request
POST /by-header/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers eval
"Content-Type: application/json\nX-Team: te\"am\\\xff"
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Backup policy 'DailyAzureBackupPolicy' is not allowed for caller 'te\\"am\\\\\?'\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 24: auth_request: the token of team-a may use its policy
--- request
POST /by-token/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
Authorization: Bearer token-of-team-a
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 25: auth_request: the token of team-a is refused team-b's policy
--- request
POST /by-token/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"WeeklyBackupPolicy"}
--- more_headers
Content-Type: application/json
Authorization: Bearer token-of-team-a
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Backup policy 'WeeklyBackupPolicy' is not allowed for caller 'team-a'\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 26: auth_request: the token of team-b may use its policy
--- request
POST /by-token/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"WeeklyBackupPolicy"}
--- more_headers
Content-Type: application/json
Authorization: Bearer token-of-team-b
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=41 body={"BackupPolicyName":"WeeklyBackupPolicy"}



=== TEST 27: auth_request: a client's own X-Team header changes nothing
--- request
POST /by-token/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
Authorization: Bearer token-of-team-b
X-Team: team-a
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Backup policy 'DailyAzureBackupPolicy' is not allowed for caller 'team-b'\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 28: auth_request: a known token of a team without a list is refused everything
--- request
POST /by-token/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
Authorization: Bearer token-of-nobody
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Backup policy 'DailyAzureBackupPolicy' is not allowed for caller 'team-z'\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 29: auth_request: no token, refused by auth_request itself, in FabricError
--- request
POST /by-token/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 401
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"[^"]*"\}\}$



=== TEST 30: "satisfy any": an access module that allows does not skip the gate
--- config
    location / {
        satisfy any;
        allow 127.0.0.1;
        deny all;

        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"WeeklyBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Backup policy 'WeeklyBackupPolicy' is not allowed for this caller\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 31: no sf_backup_policies at all denies everything
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
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Backup policy 'DailyAzureBackupPolicy' is not allowed for this caller\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 32: an allow-list variable that is empty denies everything
--- config
    location / {
        set $none "";
        sf_backup_gate on;
        sf_backup_policies $none;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Backup policy 'DailyAzureBackupPolicy' is not allowed for this caller\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 33: an allow-list variable of separators only denies everything
--- config
    location / {
        set $none " , ,";
        sf_backup_gate on;
        sf_backup_policies $none;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Backup policy 'DailyAzureBackupPolicy' is not allowed for this caller\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 34: a location inherits the allow-list of its server
--- config
    sf_backup_policies WeeklyBackupPolicy;

    location / {
        sf_backup_gate on;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"WeeklyBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=41 body={"BackupPolicyName":"WeeklyBackupPolicy"}



=== TEST 35: a location's own allow-list replaces its server's
--- config
    sf_backup_policies WeeklyBackupPolicy;

    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"WeeklyBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Backup policy 'WeeklyBackupPolicy' is not allowed for this caller\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 36: sf_backup_identity configured and empty: denied before anything else
--- config
    location / {
        sf_backup_gate on;
        sf_backup_identity $remote_user;
        sf_backup_policies DailyAzureBackupPolicy;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"The caller could not be identified\.[^"]*"\}\}$
