# FabricError everywhere, against upstream servers that answer every kind of
# error body for every status row of the rewriting table (issue 4), and
# against failures nginx makes itself when talking to the cluster.
#
# The upstream server "answers" (in http_config, built below) has one
# location per (body, status):
#     /answer/<body>/<status>     the body with Content-Length
#     /drip/<body>/<status>       the body chunked, in three pieces 20 ms apart
#     /truncated/<body>/<status>  Content-Length says 100 bytes more, then close
# A request for any other path is answered from the path in its X-Answer
# header, so that governed EnableBackup calls can get each answer too.
# X-Cluster picks the upstream block: answers (default), refused (nothing
# listens), down (its only server marked down), failing (max_fails).
#
# A block is one row: the requests, the statuses, and an anchored regex over
# the whole body.  replaced(status, code) is the body the gateway answers for
# a cluster answer that is not a FabricError:
#     ^\{"Error":\{"Code":"<code>","Message":"The cluster answered <status>
#     with a body that is not a FabricError \(request id [0-9a-f]{32}\)\."\}\}$
# which also says that nothing of the upstream body is echoed.
use Test::Nginx::Socket 'no_plan';
use Cwd qw(abs_path);
use File::Basename qw(dirname);

$ENV{TEST_NGINX_CONF_DIR} ||= abs_path(dirname(__FILE__) . '/../conf');
$ENV{TEST_NGINX_SIM_PORT} ||= 1985;
# a port nothing listens on
$ENV{TEST_NGINX_DEAD_PORT} ||= $ENV{TEST_NGINX_SIM_PORT} + 1;

our @Statuses = (400, 401, 403, 404, 405, 409, 413, 429,
                 500, 501, 502, 503, 504, 507);

# Bodies that are not a FabricError, and each one's Content-Type.  Every one
# carries "upstream-secret", which must never reach the client.
our @NotFabric = qw(html text empty badjson otherjson numcode);
our @NotFabricMore = qw(errorstr nocode nullcode array trailing badutf8);

our %Body = (
    html      => ['text/html',
                  '<html><body><h1>upstream-secret</h1></body></html>'],
    text      => ['text/plain', 'upstream-secret: no healthy gateway node'],
    empty     => ['text/plain', ''],
    badjson   => ['application/json',
                  '{"Error":{"Code":"E_FAIL","Message":"upstream-secret"'],
    otherjson => ['application/json',
                  '{"error":{"code":"E_FAIL","message":"upstream-secret"}}'],
    numcode   => ['application/json',
                  '{"Error":{"Code":5,"Message":"upstream-secret"}}'],
    errorstr  => ['application/json', '{"Error":"upstream-secret"}'],
    nocode    => ['application/json',
                  '{"Error":{"Message":"upstream-secret"}}'],
    nullcode  => ['application/json',
                  '{"Error":{"Code":null,"Message":"upstream-secret"}}'],
    array     => ['application/json',
                  '[{"Error":{"Code":"E_FAIL","Message":"upstream-secret"}}]'],
    trailing  => ['application/json',
                  '{"Error":{"Code":"E_FAIL"}} upstream-secret'],
    badutf8   => ['application/json',
                  qq({"Error":{"Code":"E_FAIL","Message":"\xff upstream-secret"}})],

    # FabricErrors: one object, "Error" an object, its "Code" a string
    fabric    => ['application/json; charset=utf-8',
                  '{"Error":{"Code":"FABRIC_E_BACKUP_IN_PROGRESS",'
                  . '"Message":"A backup is in progress"}}'],
    extra     => ['application/json',
                  '{"Error":{"Code":"FABRIC_E_NOT_PRIMARY","Message":"not '
                  . 'primary","Details":[1,{"a":null}]},"TraceId":"t-1"}'],
    bare      => ['application/json', '{"Error":{"Code":"E_ABORT"}}'],
    pretty    => ['application/json',
                  qq({\n  "Error" : {\n    "Code" : "FABRIC_E_NOT_READY",\n)
                  . qq(    "Message" : "caf\\u00e9"\n  }\n}\n)],
    # sf_backup_fabric_error_buffer is 1k below: 1024 bytes fit, 1025 not
    fit       => ['application/json', fabric_of_size(1024)],
    toolarge  => ['application/json', fabric_of_size(1025)],
    # what fits in the buffer parses: only the overflow tells it apart
    padded    => ['application/json',
                  '{"Error":{"Code":"FABRIC_E_LARGE","Message":"m"}}'
                  . (' ' x 1000)],
);

our @DripBodies = qw(html text badjson fabric extra toolarge);

our %CodeFor = (
    400 => 'E_INVALIDARG',
    401 => 'E_ACCESSDENIED',
    403 => 'E_ACCESSDENIED',
    404 => 'FABRIC_E_NAME_DOES_NOT_EXIST',
    405 => 'E_INVALIDARG',
    409 => 'E_INVALIDARG',
    413 => 'FABRIC_E_VALUE_TOO_LARGE',
    429 => 'E_INVALIDARG',
    500 => 'E_FAIL',
    501 => 'E_FAIL',
    502 => 'FABRIC_E_COMMUNICATION_ERROR',
    503 => 'FABRIC_E_SERVICE_OFFLINE',
    504 => 'FABRIC_E_TIMEOUT',
    507 => 'E_FAIL',
);


sub fabric_of_size {
    my ($size) = @_;
    my $head = '{"Error":{"Code":"FABRIC_E_LARGE","Message":"';
    my $tail = '"}}';

    return $head . ('m' x ($size - length($head) - length($tail))) . $tail;
}


sub fabric_error {
    my ($code, $message) = @_;

    return '^\{"Error":\{"Code":"' . $code . '","Message":"' . $message
           . '"\}\}$';
}


sub replaced {
    my ($status, $code) = @_;

    return fabric_error($code, "The cluster answered $status with a body "
                        . 'that is not a FabricError \(request id '
                        . '[0-9a-f]{32}\)\.');
}


sub gateway {
    my ($code, $cause) = @_;

    return fabric_error($code, "The gateway got no answer from the cluster: "
                        . $cause . ' \(request id [0-9a-f]{32}\)\.');
}


sub exactly {
    my ($body) = @_;

    return '^' . quotemeta($body) . '$';
}


sub each_body {
    my ($prefix, $status, @bodies) = @_;

    return [map { "GET /$prefix/$_/$status" } @bodies];
}


sub nginx_string {
    my ($s) = @_;

    die "no \$ in test bodies, please" if $s =~ /\$/;
    $s =~ s/([\\'])/\\$1/g;

    return "'$s'";
}


sub answers_config {
    my ($conf, $name, $status, $type, $body, $text);

    $conf = '';

    for $name (sort keys %Body) {
        ($type, $body) = @{ $Body{$name} };
        $text = $body eq '' ? '$answer_empty' : nginx_string($body);

        for $status (@Statuses) {
            $conf .= "    location = /answer/$name/$status {\n"
                     . "        default_type " . nginx_string($type) . ";\n"
                     . "        set \$answer_empty '';\n"
                     . "        return $status $text;\n"
                     . "    }\n";

            next unless grep { $_ eq $name } @DripBodies;

            for my $how (qw(drip truncated)) {
                $conf .= "    location = /$how/$name/$status {\n"
                         . ($how eq 'truncated'
                            ? "        keepalive_timeout 0;\n" : '')
                         . "        set \$answer_status $status;\n"
                         . "        set \$answer_type "
                         . nginx_string($type) . ";\n"
                         . "        set \$answer_body $text;\n"
                         . "        js_content answers.$how;\n"
                         . "    }\n";
            }
        }
    }

    return $conf;
}


our $AnswersJs = <<'_EOJ_';
>>> answers.js
// Upstream answers the nginx configuration cannot give: a chunked body that
// arrives in pieces, a body shorter than its Content-Length, a large body.
function drip(r) {
    var body = r.variables.answer_body;
    var a = Math.floor(body.length / 3), b = Math.floor(2 * body.length / 3);

    r.status = +r.variables.answer_status;
    r.headersOut['Content-Type'] = r.variables.answer_type;
    r.sendHeader();
    r.send(body.slice(0, a));
    setTimeout(function () {
        r.send(body.slice(a, b));
        setTimeout(function () { r.send(body.slice(b)); r.finish(); }, 20);
    }, 20);
}

function truncated(r) {
    var body = r.variables.answer_body;

    r.status = +r.variables.answer_status;
    r.headersOut['Content-Type'] = r.variables.answer_type;
    r.headersOut['Content-Length'] = String(body.length + 100);
    r.sendHeader();
    r.send(body);
    r.finish();
}

function big(r) {
    r.headersOut['Content-Type'] = 'text/html';
    r.return(500, '<html>' + 'upstream-secret '.repeat(20000) + '</html>');
}

export default { drip, truncated, big };
_EOJ_

our $HttpConfig = <<'_EOC_' . answers_config() . "}\n";
js_path "$TEST_NGINX_SERVER_ROOT/html";
js_import answers from answers.js;

map $http_x_cluster $sfb_cluster {
    default    answers;
    refused    refused;
    down       all_down;
    failing    failing;
}

upstream answers {
    server 127.0.0.1:$TEST_NGINX_SIM_PORT;
    keepalive 4;
}

upstream refused {
    server 127.0.0.1:$TEST_NGINX_DEAD_PORT;
}

upstream all_down {
    server 127.0.0.1:$TEST_NGINX_SIM_PORT down;
}

upstream failing {
    server 127.0.0.1:$TEST_NGINX_DEAD_PORT max_fails=1 fail_timeout=60s;
    server 127.0.0.1:$TEST_NGINX_DEAD_PORT max_fails=1 fail_timeout=60s;
}

server {
    listen 127.0.0.1:$TEST_NGINX_SIM_PORT;

    location / {
        if ($http_x_answer) {
            rewrite ^ $http_x_answer last;
        }
        return 404;
    }

    location = /close {
        return 444;
    }

    location = /invalid/space-in-name {
        add_header "X Bad" 1 always;
        return 500 'upstream-secret';
    }

    location = /invalid/length-and-chunked {
        add_header Transfer-Encoding chunked always;
        return 500 'upstream-secret';
    }

    location = /gzip/fabric/404 {
        gzip on;
        gzip_types application/json;
        gzip_min_length 1;
        default_type application/json;
        return 404 '{"Error":{"Code":"FABRIC_E_PARTITION_NOT_FOUND","Message":"gone"}}';
    }

    location = /request-id/fabric/409 {
        add_header X-Request-Id upstream-id always;
        default_type application/json;
        return 409 '{"Error":{"Code":"FABRIC_E_BACKUP_IN_PROGRESS","Message":"busy"}}';
    }

    location = /request-id/html/500 {
        add_header X-Request-Id upstream-id always;
        default_type text/html;
        return 500 '<html>upstream-secret</html>';
    }

    location = /big/html/500 {
        js_content answers.big;
    }

_EOC_

our $Config = <<'_EOC_';
sf_backup_gate on;
sf_backup_policies DailyAzureBackupPolicy;
sf_backup_fabric_error_buffer 1k;

proxy_http_version 1.1;
proxy_set_header Connection "";
proxy_read_timeout 2s;

location / {
    proxy_pass http://$sfb_cluster;
}

location /unbuffered/ {
    proxy_buffering off;
    proxy_pass http://answers/;
}
_EOC_

our $FabricErrorHeaders = "Content-Type: application/json; charset=utf-8\n"
                          . "X-Request-Id: [0-9a-f]{32}";

add_block_preprocessor(sub {
    my $block = shift;
    my ($codes, $n, @headers);

    $block->set_value(http_config => $HttpConfig)
        unless defined $block->http_config;

    $block->set_value(config => $Config)
        unless defined $block->config;

    $block->set_value(user_files => $AnswersJs . ($block->user_files // ''));

    $block->set_value(more_headers => join "\n",
                                      grep { length } $block->more_headers,
                                      'Content-Type: application/json')
        if ($block->request // '') =~ /^\s*POST\b/
           && ($block->more_headers // '') !~ /^Content-Type:/mi;

    $block->set_value(no_error_log => "[error]\n[alert]")
        unless defined $block->error_log || defined $block->no_error_log;

    # an error answer is a FabricError with the request id beside it
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

no_shuffle();
no_root_location();
log_level('warn');
run_tests();

__DATA__

=== TEST 1: 400, any body but a FabricError: E_INVALIDARG
--- request eval
main::each_body('answer', 400, @main::NotFabric)
--- error_code eval
[(400) x @main::NotFabric]
--- response_body_like eval
[(main::replaced(400, 'E_INVALIDARG')) x @main::NotFabric]



=== TEST 2: 401, any body but a FabricError: E_ACCESSDENIED
--- request eval
main::each_body('answer', 401, @main::NotFabric)
--- error_code eval
[(401) x @main::NotFabric]
--- response_body_like eval
[(main::replaced(401, 'E_ACCESSDENIED')) x @main::NotFabric]



=== TEST 3: 403, any body but a FabricError: E_ACCESSDENIED
--- request eval
main::each_body('answer', 403, @main::NotFabric)
--- error_code eval
[(403) x @main::NotFabric]
--- response_body_like eval
[(main::replaced(403, 'E_ACCESSDENIED')) x @main::NotFabric]



=== TEST 4: 404, any body but a FabricError: FABRIC_E_NAME_DOES_NOT_EXIST
--- request eval
main::each_body('answer', 404, @main::NotFabric)
--- error_code eval
[(404) x @main::NotFabric]
--- response_body_like eval
[(main::replaced(404, 'FABRIC_E_NAME_DOES_NOT_EXIST')) x @main::NotFabric]



=== TEST 5: 413, any body but a FabricError: FABRIC_E_VALUE_TOO_LARGE
--- request eval
main::each_body('answer', 413, @main::NotFabric)
--- error_code eval
[(413) x @main::NotFabric]
--- response_body_like eval
[(main::replaced(413, 'FABRIC_E_VALUE_TOO_LARGE')) x @main::NotFabric]



=== TEST 6: any other 4xx (405, 409, 429), any body but a FabricError: E_INVALIDARG
--- request eval
[map { @{ main::each_body('answer', $_, @main::NotFabric) } } 405, 409, 429]
--- error_code eval
[map { ($_) x @main::NotFabric } 405, 409, 429]
--- response_body_like eval
[map { (main::replaced($_, 'E_INVALIDARG')) x @main::NotFabric } 405, 409, 429]



=== TEST 7: 500, any body but a FabricError: E_FAIL
--- request eval
main::each_body('answer', 500, @main::NotFabric)
--- error_code eval
[(500) x @main::NotFabric]
--- response_body_like eval
[(main::replaced(500, 'E_FAIL')) x @main::NotFabric]



=== TEST 8: 502, any body but a FabricError: FABRIC_E_COMMUNICATION_ERROR
--- request eval
main::each_body('answer', 502, @main::NotFabric)
--- error_code eval
[(502) x @main::NotFabric]
--- response_body_like eval
[(main::replaced(502, 'FABRIC_E_COMMUNICATION_ERROR')) x @main::NotFabric]



=== TEST 9: 503, any body but a FabricError: FABRIC_E_SERVICE_OFFLINE
--- request eval
main::each_body('answer', 503, @main::NotFabric)
--- error_code eval
[(503) x @main::NotFabric]
--- response_body_like eval
[(main::replaced(503, 'FABRIC_E_SERVICE_OFFLINE')) x @main::NotFabric]



=== TEST 10: 504, any body but a FabricError: FABRIC_E_TIMEOUT
--- request eval
main::each_body('answer', 504, @main::NotFabric)
--- error_code eval
[(504) x @main::NotFabric]
--- response_body_like eval
[(main::replaced(504, 'FABRIC_E_TIMEOUT')) x @main::NotFabric]



=== TEST 11: any other 5xx (501, 507), any body but a FabricError: E_FAIL
--- request eval
[map { @{ main::each_body('answer', $_, @main::NotFabric) } } 501, 507]
--- error_code eval
[map { ($_) x @main::NotFabric } 501, 507]
--- response_body_like eval
[map { (main::replaced($_, 'E_FAIL')) x @main::NotFabric } 501, 507]



=== TEST 12: JSON that only looks like a FabricError is replaced
--- request eval
main::each_body('answer', 500, @main::NotFabricMore)
--- error_code eval
[(500) x @main::NotFabricMore]
--- response_body_like eval
[(main::replaced(500, 'E_FAIL')) x @main::NotFabricMore]



=== TEST 13: a FabricError with extra members goes through unchanged, for every status
--- request eval
[map { "GET /answer/extra/$_" } @main::Statuses]
--- error_code eval
[@main::Statuses]
--- response_body eval
[($main::Body{extra}[1]) x @main::Statuses]
--- response_headers_like eval
[("Content-Type: application/json\nX-Request-Id: [0-9a-f]{32}") x @main::Statuses]



=== TEST 14: FabricErrors without Message, pretty-printed, or exactly the buffer's size go through
--- request eval
["GET /answer/fabric/409", "GET /answer/bare/503", "GET /answer/pretty/500",
 "GET /answer/fit/500"]
--- error_code eval
[409, 503, 500, 500]
--- response_body eval
[$main::Body{fabric}[1], $main::Body{bare}[1], $main::Body{pretty}[1],
 $main::Body{fit}[1]]
--- response_headers_like eval
["Content-Type: application/json; charset=utf-8\nX-Request-Id: [0-9a-f]{32}",
 ("Content-Type: application/json\nX-Request-Id: [0-9a-f]{32}") x 3]



=== TEST 15: a FabricError larger than sf_backup_fabric_error_buffer is replaced, by a byte or by padding
--- request eval
["GET /answer/toolarge/500", "GET /answer/padded/409"]
--- error_code eval
[500, 409]
--- response_body_like eval
[main::replaced(500, 'E_FAIL'), main::replaced(409, 'E_INVALIDARG')]



=== TEST 16: chunked bodies in pieces: judged whole, replaced or passed
--- request eval
["GET /drip/html/500", "GET /drip/text/503", "GET /drip/badjson/400",
 "GET /drip/toolarge/502", "GET /drip/fabric/409", "GET /drip/extra/500"]
--- error_code eval
[500, 503, 400, 502, 409, 500]
--- response_body_like eval
[main::replaced(500, 'E_FAIL'), main::replaced(503, 'FABRIC_E_SERVICE_OFFLINE'),
 main::replaced(400, 'E_INVALIDARG'),
 main::replaced(502, 'FABRIC_E_COMMUNICATION_ERROR'),
 main::exactly($main::Body{fabric}[1]), main::exactly($main::Body{extra}[1])]
--- response_headers_like eval
[("Content-Type: application/json; charset=utf-8\nX-Request-Id: [0-9a-f]{32}") x 5,
 "Content-Type: application/json\nX-Request-Id: [0-9a-f]{32}"]



=== TEST 17: the same with proxy_buffering off
--- request eval
["GET /unbuffered/drip/html/500", "GET /unbuffered/drip/toolarge/502",
 "GET /unbuffered/drip/fabric/409", "GET /unbuffered/answer/empty/503"]
--- error_code eval
[500, 502, 409, 503]
--- response_body_like eval
[main::replaced(500, 'E_FAIL'), main::replaced(502, 'FABRIC_E_COMMUNICATION_ERROR'),
 main::exactly($main::Body{fabric}[1]),
 main::replaced(503, 'FABRIC_E_SERVICE_OFFLINE')]



=== TEST 18: an error body far larger than the buffer is replaced, not held
--- request
GET /big/html/500
--- error_code: 500
--- response_body_like eval
main::replaced(500, 'E_FAIL')



=== TEST 19: a gzip'ed FabricError cannot be judged: replaced by a plain one
--- request
GET /gzip/fabric/404
--- more_headers
Accept-Encoding: gzip
--- error_code: 404
--- response_headers_like
Content-Type: application/json; charset=utf-8
X-Request-Id: [0-9a-f]{32}
Content-Encoding:
--- response_body_like eval
main::replaced(404, 'FABRIC_E_NAME_DOES_NOT_EXIST')



=== TEST 20: the cluster's X-Request-Id gives way to the gateway's
--- request eval
["GET /request-id/fabric/409", "GET /request-id/html/500"]
--- error_code eval
[409, 500]
--- response_headers_like eval
["Content-Type: application/json\nX-Request-Id: [0-9a-f]{32}",
 "Content-Type: application/json; charset=utf-8\nX-Request-Id: [0-9a-f]{32}"]
--- response_body_like eval
['^\{"Error":\{"Code":"FABRIC_E_BACKUP_IN_PROGRESS","Message":"busy"\}\}$',
 main::replaced(500, 'E_FAIL')]



=== TEST 21: governed calls get the same answers: replaced, passed, by status
--- request eval
[map { "POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview\n"
       . '{"BackupPolicyName":"DailyAzureBackupPolicy"}' } 1 .. 5]
--- more_headers eval
[map { "X-Answer: $_\nContent-Type: application/json" }
     "/answer/html/500", "/answer/empty/413", "/drip/text/504",
     "/answer/fabric/409", "/answer/otherjson/403"]
--- error_code eval
[500, 413, 504, 409, 403]
--- response_body_like eval
[main::replaced(500, 'E_FAIL'), main::replaced(413, 'FABRIC_E_VALUE_TOO_LARGE'),
 main::replaced(504, 'FABRIC_E_TIMEOUT'), main::exactly($main::Body{fabric}[1]),
 main::replaced(403, 'E_ACCESSDENIED')]



=== TEST 22: an error body cut short by the upstream closing: 502 FABRIC_E_COMMUNICATION_ERROR
--- request eval
["GET /truncated/html/500", "GET /truncated/fabric/409"]
--- error_code eval
[502, 502]
--- response_body_like eval
[(main::gateway('FABRIC_E_COMMUNICATION_ERROR', 'the connection was refused, reset or closed, or the answer was invalid')) x 2]
--- error_log
upstream prematurely closed connection while reading upstream



=== TEST 23: connection refused (nothing listens): 502 FABRIC_E_COMMUNICATION_ERROR
--- request eval
["GET /\$/GetClusterHealth",
 "POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview\n"
 . '{"BackupPolicyName":"DailyAzureBackupPolicy"}']
--- more_headers
X-Cluster: refused
Content-Type: application/json
--- error_code eval
[502, 502]
--- response_body_like eval
[(main::gateway('FABRIC_E_COMMUNICATION_ERROR', 'the connection was refused, reset or closed, or the answer was invalid')) x 2]
--- error_log
connect() failed (111: Connection refused) while connecting to upstream



=== TEST 24: no live upstream, its only server marked down: 503 FABRIC_E_SERVICE_OFFLINE
--- request eval
["GET /\$/GetClusterHealth",
 "POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview\n"
 . '{"BackupPolicyName":"DailyAzureBackupPolicy"}']
--- more_headers
X-Cluster: down
Content-Type: application/json
--- error_code eval
[503, 503]
--- response_body_like eval
[(main::gateway('FABRIC_E_SERVICE_OFFLINE', 'no upstream server is available')) x 2]
--- error_log
no live upstreams while connecting to upstream



=== TEST 25: no live upstream, its servers failed (max_fails): 502 first, then 503
--- request eval
["GET /\$/GetClusterHealth", "GET /\$/GetClusterHealth"]
--- more_headers
X-Cluster: failing
--- error_code eval
[502, 503]
--- response_body_like eval
[main::gateway('FABRIC_E_COMMUNICATION_ERROR', 'the connection was refused, reset or closed, or the answer was invalid'),
 main::gateway('FABRIC_E_SERVICE_OFFLINE', 'no upstream server is available')]
--- error_log eval
qr/connect\(\) failed \(111: Connection refused\)|no live upstreams/



=== TEST 26: an invalid response header: 502 FABRIC_E_COMMUNICATION_ERROR
--- request eval
["GET /invalid/space-in-name", "GET /invalid/length-and-chunked"]
--- error_code eval
[502, 502]
--- response_body_like eval
[(main::gateway('FABRIC_E_COMMUNICATION_ERROR', 'the connection was refused, reset or closed, or the answer was invalid')) x 2]
--- error_log eval
qr/\[error\] .*upstream/



=== TEST 27: the connection closed without an answer: 502 FABRIC_E_COMMUNICATION_ERROR
--- request
GET /close
--- error_code: 502
--- response_body_like eval
main::gateway('FABRIC_E_COMMUNICATION_ERROR', 'the connection was refused, reset or closed, or the answer was invalid')
--- error_log
upstream prematurely closed connection while reading response header from upstream
