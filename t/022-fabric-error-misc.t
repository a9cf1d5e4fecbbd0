# FabricError everywhere: what else must hold around the rewriting.
# Successes and redirects stream through untouched and unbuffered; a
# rewritten answer has the right headers (Content-Type, Content-Length, an
# X-Request-Id equal to the id in its Message), keeps the connection alive,
# answers HEAD without a body; it works with error_page and
# proxy_intercept_errors, for requests the gate does not govern, and not
# where sf_backup_fabric_errors is off; the gateway's own rejections and
# nginx's client_max_body_size are FabricErrors too.
#
# The preprocessor supplies the upstream (sf-cluster-sim plus a few test
# locations under /test/) and the gateway's locations:
#     /                  gate on, the cluster
#     /refused/          gate on, an upstream where nothing listens
#     /static-page/      as /refused/, error_page 502 to a static page
#     /intercepted/      gate on, proxy_intercept_errors on, error_page 500
#     /fabric-errors-off/  gate on, sf_backup_fabric_errors off
#     /gate-off/         gate off, sf_backup_fabric_errors on
#     /forbidden/        gate on, return 403
# and, for governed calls (the gate matches the path as sent), these
# partition ids:
#     ...0000000000b1    client_max_body_size 64
#     ...0000000000b2    sf_backup_max_body 64
#     ...0000000000e1    nothing listens, error_page 502 to a named location
# Each answer whose Message names a request id is also checked against the
# gateway's access log: the X-Request-Id header sent was that very
# $request_id.
use Test::Nginx::Socket 'no_plan';
use Cwd qw(abs_path);
use File::Basename qw(dirname);

$ENV{TEST_NGINX_CONF_DIR} ||= abs_path(dirname(__FILE__) . '/../conf');
$ENV{TEST_NGINX_SIM_PORT} ||= 1985;
# a port nothing listens on
$ENV{TEST_NGINX_DEAD_PORT} ||= $ENV{TEST_NGINX_SIM_PORT} + 1;

our $Governed = '/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup'
                . '?api-version=6.2-preview';

sub governed {
    my ($partition) = @_;

    return "/Partitions/00000000-0000-0000-0000-$partition/\$/EnableBackup"
           . '?api-version=6.2-preview';
}

# 109 bytes, as is and chunked
our $LargeBody = '{"BackupPolicyName":"DailyAzureBackupPolicy"' . (' ' x 64) . '}';
our $LargeBodyChunked = sprintf("%x\r\n%s\r\n0\r\n\r\n", length $LargeBody,
                                $LargeBody);

# 800 kB that would show any byte lost, added or moved
our $Big = join '', map { sprintf "%07d\n", $_ } 1 .. 100000;

our $HttpConfig = <<'_EOC_';
js_path "$TEST_NGINX_CONF_DIR/sim";
js_import sfsim from sf_cluster_sim.js;
js_path "$TEST_NGINX_SERVER_ROOT/html";
js_import teststream from stream.js;

log_format sfb_ids 'request_id=$request_id x_request_id=$sent_http_x_request_id '
                   'body_bytes_sent=$body_bytes_sent request="$request"';

server {
    listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
    include $TEST_NGINX_CONF_DIR/sim/sf_cluster_sim.locations;

    location = /$/GetClusterHealth {
        default_type text/html;
        return 500 '<html><body>upstream-secret</body></html>';
    }

    location = /test/html-500 {
        default_type text/html;
        return 500 '<html><body>upstream-secret</body></html>';
    }

    location = /test/fabric-404 {
        default_type application/json;
        return 404 '{"Error":{"Code":"FABRIC_E_PARTITION_NOT_FOUND","Message":"gone"}}';
    }

    location = /test/redirect {
        return 302 /test/elsewhere;
    }

    location = /test/big {
        types { }
        default_type text/plain;
        root html;
        try_files /big.txt =404;
    }

    location = /test/slow-200 {
        postpone_output 0;
        js_content teststream.slow;
    }
}
_EOC_

our $Config = <<'_EOC_';
sf_backup_gate on;
sf_backup_policies DailyAzureBackupPolicy;
access_log logs/access.log sfb_ids;

proxy_http_version 1.1;
proxy_set_header Connection "";

location / {
    proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
}

location /refused/ {
    proxy_pass http://127.0.0.1:$TEST_NGINX_DEAD_PORT;
}

location /static-page/ {
    proxy_pass http://127.0.0.1:$TEST_NGINX_DEAD_PORT;
    error_page 502 /50x.html;
}

location = /50x.html {
    sf_backup_gate off;
    root html;
}

location ~ ^/Partitions/00000000-0000-0000-0000-0000000000e1/ {
    proxy_pass http://127.0.0.1:$TEST_NGINX_DEAD_PORT;
    error_page 502 @maintenance;
}

location @maintenance {
    sf_backup_gate off;
    default_type text/html;
    return 502 '<html><body>maintenance upstream-secret</body></html>';
}

location /intercepted/ {
    proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT/;
    proxy_intercept_errors on;
    error_page 500 /50x.html;
}

location /fabric-errors-off/ {
    sf_backup_fabric_errors off;
    proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT/;
}

location /fabric-errors-off-refused/ {
    sf_backup_fabric_errors off;
    proxy_pass http://127.0.0.1:$TEST_NGINX_DEAD_PORT;
}

location /gate-off/ {
    sf_backup_gate off;
    sf_backup_fabric_errors on;
    proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT/;
}

location ~ ^/Partitions/00000000-0000-0000-0000-0000000000b1/ {
    client_max_body_size 64;
    proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
}

location ~ ^/Partitions/00000000-0000-0000-0000-0000000000b2/ {
    sf_backup_max_body 64;
    proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
}

location /forbidden/ {
    return 403;
}
_EOC_

our $UserFiles = <<'_EOF_';
>>> 50x.html
<html><body>static error page upstream-secret</body></html>
>>> stream.js
// A 200 whose first bytes come at once and the rest 1.5 s later: a gateway
// that buffered successes would show the client nothing for 1.5 s.  (No
// proxy buffering for it either: nginx's own would hold the bytes too.)
function slow(r) {
    r.status = 200;
    r.headersOut['Content-Type'] = 'text/plain';
    r.headersOut['X-Accel-Buffering'] = 'no';
    r.headersOut['Content-Length'] = '12';
    r.sendHeader();
    r.send('first part\n');
    setTimeout(function () { r.send('\n'); r.finish(); }, 1500);
}

export default { slow };
_EOF_

our $FabricErrorHeaders = "Content-Type: application/json; charset=utf-8\n"
                          . "X-Request-Id: [0-9a-f]{32}";


sub fabric_error {
    my ($code, $message) = @_;

    return '^\{"Error":\{"Code":"' . $code . '","Message":"' . $message
           . '"\}\}$';
}


# The length of a FabricError whose Message names a request id.
sub fabric_error_length {
    my ($code, $message) = @_;

    return length('{"Error":{"Code":"' . $code . '","Message":"' . $message
                  . ' (request id ' . ('0' x 32) . ')."}}');
}


add_block_preprocessor(sub {
    my $block = shift;
    my $codes;

    $block->set_value(http_config => $HttpConfig)
        unless defined $block->http_config;

    $block->set_value(config => $Config)
        unless defined $block->config;

    $block->set_value(user_files => $UserFiles . ($block->user_files // ''));

    $block->set_value(more_headers => join "\n",
                                      grep { length } $block->more_headers,
                                      'Content-Type: application/json')
        if ($block->request // '') =~ /^\s*POST\b/
           && ($block->more_headers // '') !~ /^Content-Type:/mi;

    $block->set_value(no_error_log => "[error]\n[alert]")
        unless defined $block->error_log || defined $block->no_error_log;

    $codes = $block->error_code;

    if (defined $codes && !defined $block->response_headers_like
        && !defined $block->response_headers)
    {
        if (ref $codes) {
            $block->set_value(response_headers_like =>
                [map { $_ >= 400 ? $FabricErrorHeaders : '' } @$codes]);

        } elsif ($codes >= 400) {
            $block->set_value(response_headers_like => $FabricErrorHeaders);
        }
    }
});


# X-Request-Id equals the id in the Message: both are the $request_id that
# the access log line of that request names.
add_response_body_check(sub {
    my ($block, $body, $req_idx, $repeated_req_idx, $dry_run) = @_;
    my ($id, $fh, $found);

    return if $dry_run || !defined $body
              || $body !~ /\(request id ([0-9a-f]{32})\)/;

    $id = $1;
    $found = 0;

    # nginx writes the line as it closes, which may be a moment after the
    # client has read the whole answer
    for (1 .. 20) {
        if (open $fh, '<', server_root() . '/logs/access.log') {
            while (<$fh>) {
                $found = 1, last if /^request_id=$id x_request_id=$id /;
            }
            close $fh;
        }

        last if $found;
        select undef, undef, undef, 0.1;
    }

    Test::More::ok($found, $block->name . " - X-Request-Id is the request id "
                           . "$id of the Message (req $req_idx)");
});

no_shuffle();
no_root_location();
log_level('warn');
run_tests();

__DATA__

=== TEST 1: a 200 with a large body passes byte for byte
--- request
GET /test/big
--- user_files eval
">>> big.txt\n$main::Big"
--- error_code: 200
--- response_headers
Content-Length: 800000
Content-Type: text/plain
!X-Request-Id
--- response_body eval
$main::Big



=== TEST 2: a 200 is not held back: its first bytes arrive before its last are sent
--- request
GET /test/slow-200
--- error_code: 200
--- response_body
first part
--- timeout: 0.5
--- abort
--- wait: 1.2
--- no_error_log
[alert]



=== TEST 3: a governed call's 202 passes untouched: empty body, no header added
--- request eval
"POST $main::Governed\n" . '{"BackupPolicyName":"DailyAzureBackupPolicy"}'
--- more_headers
Content-Type: application/json
--- error_code: 202
--- response_headers
!X-Request-Id
Content-Length: 0
--- response_body



=== TEST 4: a redirect passes untouched
--- request
GET /test/redirect
--- error_code: 302
--- response_headers_like
Location: (?:http://[^/]+)?/test/elsewhere
Content-Type: text/html
X-Request-Id:
--- response_body_like: ^<html>.*302 Found.*</html>\s*$



=== TEST 5: the Content-Length of a rewritten answer is the length of its body
--- request
GET /test/html-500
--- error_code: 500
--- response_headers eval
"Content-Type: application/json; charset=utf-8\nContent-Length: "
. main::fabric_error_length('E_FAIL', 'The cluster answered 500 with a body that is not a FabricError')
--- response_body_like: ^\{"Error":\{"Code":"E_FAIL","Message":"The cluster answered 500 with a body that is not a FabricError \(request id [0-9a-f]{32}\)\."\}\}$



=== TEST 6: HEAD: the headers of the cluster's replaced answer, no body sent
--- request
HEAD /test/html-500
--- error_code: 500
--- response_headers eval
"Content-Type: application/json; charset=utf-8\nContent-Length: "
. main::fabric_error_length('E_FAIL', 'The cluster answered 500 with a body that is not a FabricError')
--- response_body
--- access_log eval
qr/body_bytes_sent=0 request="HEAD \/test\/html-500 HTTP\/1\.1"/



=== TEST 7: HEAD: the headers of the gateway's own FabricError, no body sent
--- request
HEAD /refused/$/GetClusterHealth
--- error_code: 502
--- response_headers eval
"Content-Type: application/json; charset=utf-8\nContent-Length: "
. main::fabric_error_length('FABRIC_E_COMMUNICATION_ERROR', 'The gateway got no answer from the cluster: the connection was refused, reset or closed, or the answer was invalid')
--- response_body
--- access_log eval
qr/body_bytes_sent=0 request="HEAD \/refused\/\$\/GetClusterHealth HTTP\/1\.1"/
--- error_log
connect() failed (111: Connection refused)



=== TEST 8: keep-alive survives rewrites: five answers on one connection
--- pipelined_requests eval
["GET /test/html-500",
 "POST /Partitions/00000000-0000-0000-0000-000000000502/\$/EnableBackup?api-version=6.2-preview\n"
 . '{"BackupPolicyName":"DailyAzureBackupPolicy"}',
 "GET /\$/GetClusterVersion",
 "POST $main::Governed\n" . '{"BackupPolicyName":"WeeklyBackupPolicy"}',
 "GET /refused/x"]
--- more_headers
Content-Type: application/json
--- error_code eval
[500, 502, 200, 403, 502]
--- response_headers_like eval
[$main::FabricErrorHeaders, $main::FabricErrorHeaders, "Content-Type: application/json; charset=utf-8",
 $main::FabricErrorHeaders, $main::FabricErrorHeaders]
--- response_body_like eval
[main::fabric_error('E_FAIL', 'The cluster answered 500 with a body that is not a FabricError \(request id [0-9a-f]{32}\)\.'),
 main::fabric_error('FABRIC_E_COMMUNICATION_ERROR', 'The gateway got no answer from the cluster: the connection was refused, reset or closed, or the answer was invalid \(request id [0-9a-f]{32}\)\.'),
 '^\{"Version":"8\.0\.514\.9590"\}$',
 main::fabric_error('E_ACCESSDENIED', '(?:[^"\\\\]|\\\\.)* \(request id [0-9a-f]{32}\)'),
 main::fabric_error('FABRIC_E_COMMUNICATION_ERROR', 'The gateway got no answer from the cluster: the connection was refused, reset or closed, or the answer was invalid \(request id [0-9a-f]{32}\)\.')]
--- no_error_log
[alert]



=== TEST 9: a request the gate does not govern: the cluster's HTML 500 becomes E_FAIL
--- request
GET /$/GetClusterHealth?api-version=6.0
--- error_code: 500
--- response_body_like: ^\{"Error":\{"Code":"E_FAIL","Message":"The cluster answered 500 with a body that is not a FabricError \(request id [0-9a-f]{32}\)\."\}\}$



=== TEST 10: error_page 502 to a static page: still the FabricError
--- request
GET /static-page/$/GetClusterHealth
--- error_code: 502
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_COMMUNICATION_ERROR","Message":"The gateway got no answer from the cluster: the connection was refused, reset or closed, or the answer was invalid \(request id [0-9a-f]{32}\)\."\}\}$
--- error_log
connect() failed (111: Connection refused)



=== TEST 11: a governed call, error_page 502 to a named location that answers HTML: still the FabricError
--- request eval
"POST " . main::governed('0000000000e1') . "\n" . '{"BackupPolicyName":"DailyAzureBackupPolicy"}'
--- error_code: 502
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_COMMUNICATION_ERROR","Message":"The gateway got no answer from the cluster: the connection was refused, reset or closed, or the answer was invalid \(request id [0-9a-f]{32}\)\."\}\}$
--- error_log
connect() failed (111: Connection refused)



=== TEST 12: proxy_intercept_errors with error_page 500: the cluster's 500 still E_FAIL
--- request
GET /intercepted/test/html-500
--- error_code: 500
--- response_body_like: ^\{"Error":\{"Code":"E_FAIL","Message":"The cluster answered 500 with a body that is not a FabricError \(request id [0-9a-f]{32}\)\."\}\}$



=== TEST 13: proxy_intercept_errors without an error_page for 404: the cluster's FabricError intact
--- request
GET /intercepted/test/fabric-404
--- error_code: 404
--- response_headers_like
Content-Type: application/json
X-Request-Id: [0-9a-f]{32}
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_PARTITION_NOT_FOUND","Message":"gone"\}\}$



=== TEST 14: sf_backup_fabric_errors off: the cluster's HTML and nginx's own page go out as they are
--- request eval
["GET /fabric-errors-off/test/html-500", "GET /fabric-errors-off-refused/x"]
--- error_code eval
[500, 502]
--- response_headers_like eval
["Content-Type: text/html\nX-Request-Id:", "Content-Type: text/html\nX-Request-Id:"]
--- response_body_like eval
['^<html><body>upstream-secret</body></html>$', '^<html>.*502 Bad Gateway.*</html>\s*$']
--- no_error_log
[alert]



=== TEST 15: sf_backup_fabric_errors on without the gate: rewritten all the same
--- request
GET /gate-off/test/html-500
--- error_code: 500
--- response_body_like: ^\{"Error":\{"Code":"E_FAIL","Message":"The cluster answered 500 with a body that is not a FabricError \(request id [0-9a-f]{32}\)\."\}\}$



=== TEST 16: client_max_body_size exceeded on a governed call, declared or chunked: 413 FABRIC_E_VALUE_TOO_LARGE
--- request eval
["POST " . main::governed('0000000000b1') . "\n$main::LargeBody",
 "POST " . main::governed('0000000000b1') . "\n$main::LargeBodyChunked"]
--- more_headers eval
["Content-Type: application/json", "Content-Type: application/json\nTransfer-Encoding: chunked"]
--- error_code eval
[413, 413]
--- response_body_like eval
[(main::fabric_error('FABRIC_E_VALUE_TOO_LARGE', 'The request body is larger than the gateway accepts \(request id [0-9a-f]{32}\)\.')) x 2]
--- error_log eval
qr/client intended to send too large (?:chunked )?body/



=== TEST 17: the gateway's own rejections are FabricErrors with the gate's Code
--- request eval
["GET $main::Governed",
 "POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup\n{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
 "POST $main::Governed\n{\"BackupPolicyName\":\"WeeklyBackupPolicy\"}",
 "POST " . main::governed('0000000000b2') . "\n$main::LargeBody",
 "POST /BackupRestore/Partitions/x",
 "POST $main::Governed\n{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}"]
--- more_headers eval
[("Content-Type: application/json") x 5, "Content-Type: text/plain"]
--- error_code eval
[405, 400, 403, 413, 403, 415]
--- response_body_like eval
[map { main::fabric_error($_, '(?:[^"\\\\]|\\\\.)* \(request id [0-9a-f]{32}\)') }
     qw(E_INVALIDARG E_INVALIDARG E_ACCESSDENIED FABRIC_E_VALUE_TOO_LARGE E_ACCESSDENIED E_INVALIDARG)]
--- no_error_log
sf-sim received
[error]



=== TEST 18: nginx's own error answers in the location are FabricErrors too
--- request
GET /forbidden/x
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"The gateway refused the request with status 403 \(request id [0-9a-f]{32}\)\."\}\}$
