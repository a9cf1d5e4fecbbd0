# A call nginx refuses for its client certificate, before any phase runs:
# the FabricError says what happened (no certificate sent, certificate not
# accepted) without naming the chain, the audit record has the call's
# target and a reason that says the same, and the metrics count that
# reason too.  With an error_page for 400 the record is the same.
#
# The test client speaks plain HTTP: /none/... reaches the TLS gate with no
# client certificate, /forged/... with a self-signed one whose subject is a
# real team's, /team-a/... with the team's certificate from the test CA.
use Cwd qw(abs_path);
use File::Basename qw(dirname);

# TLS servers in every block's http_config
use lib abs_path(dirname(__FILE__)) . '/needs';
use Needs qw(http_ssl_module);

use Test::Nginx::Socket 'no_plan';

$ENV{TEST_NGINX_CONF_DIR} ||= abs_path(dirname(__FILE__) . '/../conf');
$ENV{TEST_NGINX_SIM_PORT} ||= 1985;
$ENV{TEST_NGINX_TLS_PORT} ||= $ENV{TEST_NGINX_SIM_PORT} + 7;

use lib abs_path(dirname(__FILE__)) . '/audit';
use Line qw(line audit);

# A throwaway CA with a server and a team certificate, and a forgery: a
# self-signed certificate with the team's subject.
use lib abs_path(dirname(__FILE__)) . '/pki';
use Pki qw(pki);

BEGIN {
    $ENV{TEST_NGINX_CERT_DIR} = Pki::pki(
        signed => [qw(localhost team-a)],
        forged => { forged => '/O=Contoso/CN=team-a' });
}

our $Http = <<'_EOC_';
    sf_backup_metrics_zone sfb_metrics 128k;
    js_path "$TEST_NGINX_CONF_DIR/sim";
    js_import sfsim from sf_cluster_sim.js;

    server {
        listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
        include $TEST_NGINX_CONF_DIR/sim/sf_cluster_sim.locations;
    }

    server {
        listen 127.0.0.1:$TEST_NGINX_TLS_PORT ssl;
        ssl_certificate $TEST_NGINX_CERT_DIR/localhost.crt;
        ssl_certificate_key $TEST_NGINX_CERT_DIR/localhost.key;
        ssl_client_certificate $TEST_NGINX_CERT_DIR/ca.crt;
        ssl_verify_client on;

        sf_backup_gate on;
        sf_backup_identity $ssl_client_s_dn;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_audit_log logs/audit.log;

        location / {
            proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
        }
    }
_EOC_

my $front = <<'_EOC_';
    location /none/ {
        proxy_pass https://127.0.0.1:$TEST_NGINX_TLS_PORT/;
    }

    location /forged/ {
        proxy_pass https://127.0.0.1:$TEST_NGINX_TLS_PORT/;
        proxy_ssl_certificate $TEST_NGINX_CERT_DIR/forged.crt;
        proxy_ssl_certificate_key $TEST_NGINX_CERT_DIR/forged.key;
    }

    location /team-a/ {
        proxy_pass https://127.0.0.1:$TEST_NGINX_TLS_PORT/;
        proxy_ssl_certificate $TEST_NGINX_CERT_DIR/team-a.crt;
        proxy_ssl_certificate_key $TEST_NGINX_CERT_DIR/team-a.key;
    }

    location = /audit {
        alias logs/audit.log;
    }

    location = /metrics {
        sf_backup_metrics;
    }
_EOC_

add_block_preprocessor(sub {
    my $block = shift;

    $block->set_value('http_config', $Http) unless defined $block->http_config;
    $block->set_value('config', $front);
    $block->set_value('no_error_log', 'sf-sim received')
        unless defined $block->no_error_log;
});

our $P = '/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup'
         . '?api-version=6.2-preview';
our $Ok = '{"BackupPolicyName":"DailyAzureBackupPolicy"}';

sub metric {
    my ($reason) = @_;
    return qr/^sf_backup_requests_total\{entity="partition",decision="deny",reason="$reason"\} 1$/m;
}

no_shuffle();
no_root_location();
log_level('warn');
run_tests();

__DATA__

=== TEST 1: no client certificate: the FabricError says one is required, the record and the metrics say client_cert_missing
--- request eval
["POST /none$main::P\n$main::Ok", "GET /audit", "GET /metrics"]
--- more_headers
Content-Type: application/json
--- error_code eval
[400, 200, 200]
--- response_body_like eval
[qr/^\{"Error":\{"Code":"E_INVALIDARG","Message":"The gateway requires a client certificate, and none was sent \(request id [0-9a-f]{32}\)\."\}\}$/,
main::audit(main::line(policy => '""', api_version => '""',
    decision => '"deny"', reason => '"client_cert_missing"', status => 400)),
main::metric('client_cert_missing')]



=== TEST 2: a self-signed certificate with a team's subject: not accepted, no identity on record
--- request eval
["POST /forged$main::P\n$main::Ok", "GET /audit", "GET /metrics"]
--- more_headers
Content-Type: application/json
--- error_code eval
[400, 200, 200]
--- response_body_like eval
[qr/^\{"Error":\{"Code":"E_INVALIDARG","Message":"The client certificate was not accepted by the gateway \(request id [0-9a-f]{32}\)\."\}\}$/,
main::audit(main::line(policy => '""', api_version => '""',
    decision => '"deny"', reason => '"client_cert_rejected"', status => 400)),
main::metric('client_cert_rejected')]



=== TEST 3: the same with an error_page for 400 at server level: the same answer and record
--- http_config eval
(my $h = $::Http) =~ s/(sf_backup_audit_log logs\/audit.log;)/$1\n        error_page 400 \/err.html;\n        location = \/err.html { return 400; }/;
$h
--- request eval
["POST /none$main::P\n$main::Ok", "GET /audit", "GET /metrics"]
--- more_headers
Content-Type: application/json
--- error_code eval
[400, 200, 200]
--- response_body_like eval
[qr/"Message":"The gateway requires a client certificate, and none was sent /,
main::audit(main::line(policy => '""', api_version => '""',
    decision => '"deny"', reason => '"client_cert_missing"', status => 400)),
main::metric('client_cert_missing')]



=== TEST 4: the team's own certificate passes: allowed, identity from the verified certificate
--- request eval
["POST /team-a$main::P\n$main::Ok", "GET /audit"]
--- more_headers
Content-Type: application/json
--- error_code eval
[202, 200]
--- response_body_like eval
[qr/\A\z/,
main::audit(main::line(identity => '"CN=team-a,O=Contoso"',
    decision => '"allow"', reason => '"allowed"', status => 202,
    upstream_status => '"202"', upstream_addr => qr/"127\.0\.0\.1:\d+"/))]
--- no_error_log
[error]
