# Every governed request on record whatever nginx does with it: after each
# form of internal redirect (error_page to a page, "=code", a named location
# that answers or forwards again; try_files; X-Accel-Redirect) and each kind
# of outcome (allowed and forwarded, denied by the gate, refused before it,
# upstream failure, malformed body), exactly one outcome record, whose
# status is what the client got, whose reason says what happened, and whose
# upstream_status and upstream_addr list every upstream attempt as nginx's
# $upstream_status and $upstream_addr do.  The cluster double writes each
# request it receives to its own access log, which each block reads last:
# it saw exactly the attempts the configuration asks for.
#
# The same blocks run twice: this file sets the gate and the audit log at
# server level; t/034-audit-redirects-location.t, a link to it, sets them in
# the governed locations only (the error locations then have no gate).
use Test::Nginx::Socket 'no_plan';
use Cwd qw(abs_path);
use File::Basename qw(dirname);

# TEST 8 needs ngx_http_auth_request_module, and is skipped without it
use lib abs_path(dirname(__FILE__)) . '/needs';
use Needs ();

$ENV{TEST_NGINX_CONF_DIR} ||= abs_path(dirname(__FILE__) . '/../conf');
$ENV{TEST_NGINX_SIM_PORT} ||= 1985;
$ENV{TEST_NGINX_ACCEL_PORT} ||= $ENV{TEST_NGINX_SIM_PORT} + 6;

use lib abs_path(dirname(__FILE__)) . '/audit';
use Line qw(line audit);

our $Layout = $0 =~ /location/ ? 'location' : 'server';

my $gate = <<'_EOC_';
    sf_backup_gate on;
    sf_backup_policies DailyAzureBackupPolicy;
    sf_backup_audit_log logs/audit.log;
_EOC_

my $http = <<'_EOC_';
    sf_backup_metrics_zone sfb_metrics 128k;
    js_path "$TEST_NGINX_CONF_DIR/sim";
    js_import sfsim from sf_cluster_sim.js;
    # what was asked, not in which HTTP version: that is nginx's default
    # (1.0 before 1.29.7, 1.1 since), not the gate's
    log_format sfb_received '$request_method $request_uri';
    server {
        listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
        access_log logs/upstream.log sfb_received;
        set $sf_sim_slow_ms 400;
        include $TEST_NGINX_CONF_DIR/sim/sf_cluster_sim.locations;
    }
    # an upstream that sends the request elsewhere inside the gateway
    server {
        listen 127.0.0.1:$TEST_NGINX_ACCEL_PORT;
        location / {
            add_header X-Accel-Redirect /accel/done;
            return 200;
        }
    }
    upstream dead {
        server 127.0.0.1:1 max_fails=1 fail_timeout=60s;
        server 127.0.0.1:2 max_fails=1 fail_timeout=60s;
    }
    limit_req_zone $server_name zone=one:1m rate=1r/m;
_EOC_

my $tail = <<'_EOC_';
    location = /audit {
        alias logs/audit.log;
    }
    location = /upstream-log {
        alias logs/upstream.log;
    }
    location = /metrics {
        sf_backup_metrics;
    }
    location = /50x.html {
        root html;
    }
_EOC_

add_block_preprocessor(sub {
    my $block = shift;
    my $config = $block->config // '';

    # "#gate" marks each location a governed call is handled in
    if ($Layout eq 'server') {
        $config =~ s/^\s*#gate\n//mg;
        $config = $gate . $config;

    } else {
        $config =~ s/^\s*#gate\n/$gate/mg;
    }

    $block->set_value('config', $config . $tail);
    $block->set_value('http_config', $http) unless defined $block->http_config;
    $block->set_value('user_files', ">>> 50x.html\nan error page\n")
        unless defined $block->user_files;
    # the cluster double logs a slow call once it has answered it
    $block->set_value('wait', 0.4)
        if !defined $block->wait && flat($block->request) =~ /0504/;
});

our $P = '/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup';
our $Q = 'api-version=6.2-preview';
our $Ok = '{"BackupPolicyName":"DailyAzureBackupPolicy"}';
our $Sim = qr/"127\.0\.0\.1:\d+"/;

sub slow { '/Partitions/00000000-0000-0000-0000-000000000504/$/EnableBackup' }
sub closes { '/Partitions/00000000-0000-0000-0000-000000000502/$/EnableBackup' }

# what the cluster double's access log says it received: exactly these calls
sub received {
    my $re = join '', map {
        quotemeta("POST $_?$Q") . '\n'
    } @_;
    return qr/\A$re\z/;
}

# the record of a call to partition $id of the misbehaving ones
sub misbehaving {
    my ($id, %v) = @_;
    my $pid = "00000000-0000-0000-0000-000000000$id";
    return line(uri => "\"/Partitions/$pid/\$/EnableBackup?$Q\"",
                entity_id => "\"$pid\"", %v);
}

# a request section's text, whatever its form (string, requests, packets)
sub flat {
    my ($r) = @_;

    return '' unless defined $r;
    return ref $r eq 'ARRAY' ? join(' ', map { flat($_) } @$r)
           : ref $r eq 'HASH' ? flat($r->{value})
           : $r;
}

no_shuffle();
no_root_location();
log_level('warn');
run_tests();

__DATA__

=== TEST 1: allowed, the cluster times out, error_page to a static page: one record of the 504 the client got
--- config
    error_page 502 504 /50x.html;
    location / {
        #gate
        proxy_read_timeout 200ms;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST " . main::slow() . "?$main::Q\n$main::Ok", "GET /audit", "GET /upstream-log"]
--- more_headers
Content-Type: application/json
--- error_code eval
[504, 200, 200]
--- response_body_like eval
[qr/"Code":"FABRIC_E_TIMEOUT"/,
main::audit(main::misbehaving('504', decision => '"allow"',
    reason => '"allowed"', status => 504, upstream_status => '"504"',
    upstream_addr => $main::Sim)),
main::received(main::slow())]



=== TEST 2: allowed, the cluster closes the connection, error_page to a static page: one record of the 502
--- config
    error_page 502 504 /50x.html;
    location / {
        #gate
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST " . main::closes() . "?$main::Q\n$main::Ok", "GET /audit", "GET /upstream-log"]
--- more_headers
Content-Type: application/json
--- error_code eval
[502, 200, 200]
--- response_body_like eval
[qr/"Code":"FABRIC_E_/,
main::audit(main::misbehaving('502', decision => '"allow"',
    reason => '"allowed"', status => 502, upstream_status => '"502"',
    upstream_addr => $main::Sim)),
main::received(main::closes())]



=== TEST 3: error_page with "=503": the record has the 503 the client got, the upstream's 504 beside it
--- config
    error_page 504 =503 /50x.html;
    location / {
        #gate
        proxy_read_timeout 200ms;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST " . main::slow() . "?$main::Q\n$main::Ok", "GET /audit", "GET /upstream-log"]
--- more_headers
Content-Type: application/json
--- error_code eval
[503, 200, 200]
--- response_body_like eval
[qr/"Code":"FABRIC_E_SERVICE_OFFLINE"/,
main::audit(main::misbehaving('504', decision => '"allow"',
    reason => '"allowed"', status => 503, upstream_status => '"504"',
    upstream_addr => $main::Sim)),
main::received(main::slow())]



=== TEST 4: a named-location fallback that forwards again: the gate does not run again, the record lists both attempts
--- config
    error_page 504 = @fallback;
    location / {
        #gate
        proxy_read_timeout 200ms;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
    location @fallback {
        proxy_read_timeout 200ms;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST " . main::slow() . "?$main::Q\n$main::Ok", "GET /audit", "GET /upstream-log"]
--- more_headers
Content-Type: application/json
--- error_code eval
[504, 200, 200]
--- response_body_like eval
[qr/"Code":"FABRIC_E_TIMEOUT"/,
main::audit(main::misbehaving('504', decision => '"allow"',
    reason => '"allowed"', status => 504, upstream_status => '"504 : 504"',
    upstream_addr => qr/"127\.0\.0\.1:(\d+) : 127\.0\.0\.1:\g{-1}"/)),
main::received(main::slow(), main::slow())]



=== TEST 5: a named-location fallback that answers itself: one record, one attempt, the fallback's status
--- config
    error_page 504 = @unavailable;
    location / {
        #gate
        proxy_read_timeout 200ms;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
    location @unavailable {
        return 503;
    }
--- request eval
["POST " . main::slow() . "?$main::Q\n$main::Ok", "GET /audit", "GET /upstream-log"]
--- more_headers
Content-Type: application/json
--- error_code eval
[503, 200, 200]
--- response_body_like eval
[qr/"Code":"FABRIC_E_SERVICE_OFFLINE"/,
main::audit(main::misbehaving('504', decision => '"allow"',
    reason => '"allowed"', status => 503, upstream_status => '"504"',
    upstream_addr => $main::Sim)),
main::received(main::slow())]



=== TEST 6: denied by the gate with an error_page for 403: the gate's own FabricError, one record
--- config
    error_page 403 /50x.html;
    location / {
        #gate
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST $main::P?$main::Q\n{\"BackupPolicyName\":\"WeeklyBackupPolicy\"}",
 "GET /audit", "GET /upstream-log"]
--- more_headers
Content-Type: application/json
--- error_code eval
[403, 200, 200]
--- response_body_like eval
[qr/"Code":"E_ACCESSDENIED"/,
main::audit(main::line(policy => '"WeeklyBackupPolicy"',
    decision => '"deny"', reason => '"policy_not_allowed"', status => 403)),
main::received()]



=== TEST 7: refused before the gate by deny, error_page to a page: the call's own target on record, never the page's
--- config
    error_page 403 /50x.html;
    location / {
        #gate
        deny all;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST $main::P?$main::Q\n$main::Ok", "GET /audit", "GET /upstream-log"]
--- more_headers
Content-Type: application/json
--- error_code eval
[403, 200, 200]
--- response_body_like eval
[qr/"Code":"E_ACCESSDENIED"/,
main::audit(main::line(policy => '""', api_version => '""',
    decision => '"deny"', reason => '"refused_before_gate"', status => 403)),
main::received()]



=== TEST 8: refused before the gate by auth_request (ngx_http_auth_request_module), error_page to a page: one record
--- skip_eval: 6: Needs::lacks('http_auth_request_module')
--- config
    error_page 403 /50x.html;
    location / {
        #gate
        auth_request /auth;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
    location = /auth {
        internal;
        return 403;
    }
--- request eval
["POST $main::P?$main::Q\n$main::Ok", "GET /audit", "GET /upstream-log"]
--- more_headers
Content-Type: application/json
--- error_code eval
[403, 200, 200]
--- response_body_like eval
[qr/"Code":"E_ACCESSDENIED"/,
main::audit(main::line(policy => '""', api_version => '""',
    decision => '"deny"', reason => '"refused_before_gate"', status => 403)),
main::received()]



=== TEST 9: refused before the gate by limit_req, error_page to a page: each call has its record
--- config
    error_page 503 /50x.html;
    location / {
        #gate
        limit_req zone=one nodelay;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST $main::P?$main::Q\n$main::Ok", "POST $main::P?$main::Q\n$main::Ok",
 "GET /audit", "GET /upstream-log"]
--- more_headers
Content-Type: application/json
--- error_code eval
[202, 503, 200, 200]
--- response_body_like eval
[qr/\A\z/, qr/"Code":"FABRIC_E_SERVICE_OFFLINE"/,
main::audit(main::line(decision => '"allow"', reason => '"allowed"',
        status => 202, upstream_status => '"202"',
        upstream_addr => $main::Sim),
    main::line(policy => '""', api_version => '""',
        decision => '"deny"', reason => '"refused_before_gate"',
        status => 503)),
main::received($main::P)]



=== TEST 10: refused before the gate by client_max_body_size, error_page to a page: body_too_large on record
--- config
    error_page 413 /50x.html;
    location / {
        #gate
        client_max_body_size 16;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST $main::P?$main::Q\n$main::Ok", "GET /audit", "GET /upstream-log"]
--- more_headers
Content-Type: application/json
--- error_code eval
[413, 200, 200]
--- response_body_like eval
[qr/"Code":"FABRIC_E_VALUE_TOO_LARGE"/,
main::audit(main::line(policy => '""', api_version => '""',
    decision => '"deny"', reason => '"body_too_large"', status => 413)),
main::received()]



=== TEST 11: refused before the gate by a rewrite-phase return, error_page to a page: one record
--- config
    error_page 403 /50x.html;
    location / {
        #gate
        return 403;
    }
--- request eval
["POST $main::P?$main::Q\n$main::Ok", "GET /audit", "GET /upstream-log"]
--- more_headers
Content-Type: application/json
--- error_code eval
[403, 200, 200]
--- response_body_like eval
[qr/"Code":"E_ACCESSDENIED"/,
main::audit(main::line(policy => '""', api_version => '""',
    decision => '"deny"', reason => '"refused_before_gate"', status => 403)),
main::received()]



=== TEST 12: try_files to a named location: decided once, forwarded once
--- config
    location / {
        try_files /nonexistent @cluster;
    }
    location @cluster {
        #gate
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST $main::P?$main::Q\n$main::Ok", "GET /audit", "GET /upstream-log"]
--- more_headers
Content-Type: application/json
--- error_code eval
[202, 200, 200]
--- response_body_like eval
[qr/\A\z/,
main::audit(main::line(decision => '"allow"', reason => '"allowed"',
    status => 202, upstream_status => '"202"', upstream_addr => $main::Sim)),
main::received($main::P)]



=== TEST 13: X-Accel-Redirect after forwarding: the gate does not run again, the record has the final answer
--- config
    location / {
        #gate
        proxy_pass http://127.0.0.1:$TEST_NGINX_ACCEL_PORT;
    }
    location /accel/ {
        internal;
        return 202;
    }
--- request eval
["POST $main::P?$main::Q\n$main::Ok", "GET /audit", "GET /upstream-log"]
--- more_headers
Content-Type: application/json
--- error_code eval
[202, 200, 200]
--- response_body_like eval
[qr/\A\z/,
main::audit(main::line(decision => '"allow"', reason => '"allowed"',
    status => 202, upstream_status => '"200"',
    upstream_addr => qr/"127\.0\.0\.1:$ENV{TEST_NGINX_ACCEL_PORT}"/)),
main::received()]



=== TEST 14: no live upstream: the record has the 503 the client got, not nginx's 502
--- config
    error_page 502 /50x.html;
    location / {
        #gate
        proxy_pass http://dead;
    }
--- request eval
["POST $main::P?$main::Q\n$main::Ok", "POST $main::P?$main::Q\n$main::Ok",
 "GET /audit", "GET /upstream-log"]
--- more_headers
Content-Type: application/json
--- error_code eval
[502, 503, 200, 200]
--- response_body_like eval
[qr/"Code":"FABRIC_E_/, qr/"Code":"FABRIC_E_SERVICE_OFFLINE"/,
main::audit(main::line(decision => '"allow"', reason => '"allowed"',
        status => 502, upstream_status => '"502, 502"',
        upstream_addr => '"127.0.0.1:1, 127.0.0.1:2"'),
    main::line(decision => '"allow"', reason => '"allowed"',
        status => 503, upstream_status => '"502"',
        upstream_addr => '"dead"')),
main::received()]



=== TEST 15: a malformed chunked body in the first packet: nginx's 400, reason request_malformed, counted the same
--- config
    error_page 400 /50x.html;
    location / {
        #gate
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST $main::P?$main::Q\nzz\r\n\r\n", "GET /audit", "GET /metrics", "GET /upstream-log"]
--- more_headers eval
["Content-Type: application/json\nTransfer-Encoding: chunked", "", "", ""]
--- error_code eval
[400, 200, 200, 200]
--- response_body_like eval
[qr/"Code":"E_INVALIDARG"/,
main::audit(main::line(policy => '""',
    decision => '"deny"', reason => '"request_malformed"', status => 400)),
qr/^sf_backup_requests_total\{entity="partition",decision="deny",reason="request_malformed"\} 1$/m,
main::received()]



=== TEST 16: a malformed chunked body in a later packet: the same status and reason as in the first
--- config
    error_page 400 /50x.html;
    location / {
        #gate
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
[["POST $main::P?$main::Q\n2\r\n{}",
  {value => "\r\nzz\r\n\r\n", delay_before => 0.2}],
 "GET /audit", "GET /metrics", "GET /upstream-log"]
--- more_headers eval
["Content-Type: application/json\nTransfer-Encoding: chunked", "", "", ""]
--- error_code eval
[400, 200, 200, 200]
--- response_body_like eval
[qr/"Code":"E_INVALIDARG"/,
main::audit(main::line(policy => '""',
    decision => '"deny"', reason => '"request_malformed"', status => 400)),
qr/^sf_backup_requests_total\{entity="partition",decision="deny",reason="request_malformed"\} 1$/m,
main::received()]



=== TEST 17: the client leaves before the cluster answers: one record, 499, client_closed, the attempt listed
--- config
    location / {
        #gate
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
["POST " . main::slow() . "?$main::Q\n$main::Ok", "GET /audit", "GET /upstream-log"]
--- more_headers
Content-Type: application/json
--- timeout: 200ms
--- abort
--- error_code eval
["", 200, 200]
--- response_body_like eval
["",
main::audit(main::misbehaving('504', decision => '"allow"',
    reason => '"allowed"', status => 499, upstream_status => '"-"',
    upstream_addr => $main::Sim)),
main::received(main::slow())]
