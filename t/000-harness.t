# Self-test of the Test::Nginx::Socket scaffold against plain nginx: every
# block uses only stock nginx directives, so it passes under the real CPAN
# module and under our t/lib implementation alike. t/selftest/run checks
# that wrong expectations do fail.

use Test::Nginx::Socket 'no_plan';

repeat_each(2);
log_level('debug');

$ENV{TEST_NGINX_UPSTREAM_PORT} ||= 1985;

# Every block gets the upstream server unless it brings its own
# http_config; the main_config default must not break anything.
add_block_preprocessor(sub {
    my $block = shift;

    if (!defined $block->http_config) {
        $block->set_value('http_config', <<'_EOC_');
    upstream backend {
        server 127.0.0.1:$TEST_NGINX_UPSTREAM_PORT;
    }

    server {
        listen 127.0.0.1:$TEST_NGINX_UPSTREAM_PORT;
        server_name backend;

        location /echo {
            return 200 "$request_method $request_uri len=$http_content_length ct=$content_type\n";
        }

        location /ssi {
            ssi on;
            ssi_types text/plain;
            return 200 "streamed without a length\n";
        }
    }
_EOC_
    }

    if (!defined $block->main_config) {
        $block->set_value('main_config', 'worker_rlimit_nofile 1024;');
    }
});

run_tests();

__DATA__

=== TEST 1: plain return, body keeps its trailing newline
--- config
    location = /hello {
        return 200 "hello\n";
    }
--- request
GET /hello
--- response_body
hello
--- no_error_log
[error]



=== TEST 2: inline error_code and an empty expected body
--- config
    location = /accepted {
        return 202 "";
    }
--- request
    GET /accepted
--- error_code: 202
--- response_body



=== TEST 3: POST body goes through proxy_pass with an automatic Content-Length
--- config
    location /echo {
        client_body_in_single_buffer on;
        proxy_pass http://backend;
        add_header X-Body "$request_body" always;
    }
--- request
POST /echo?a=1
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 200
--- response_headers
X-Body: {"BackupPolicyName":"DailyAzureBackupPolicy"}
Content-Type: text/plain
!X-Absent
--- response_body
POST /echo?a=1 len=45 ct=application/json



=== TEST 4: an explicit Content-Length keeps the body untrimmed
--- config
    location /echo {
        proxy_pass http://backend;
    }
--- request
POST /echo
abc
--- more_headers
Content-Length: 4
--- response_body
POST /echo len=4 ct=



=== TEST 5: chunked request body from more_headers
--- config
    location /echo {
        client_body_in_single_buffer on;
        proxy_pass http://backend;
        add_header X-Body "$request_body" always;
    }
--- more_headers
Transfer-Encoding: chunked
--- request eval
"POST /echo
3\r
abc\r
0\r
\r
"
--- response_headers
X-Body: abc
--- response_body
POST /echo len=3 ct=



=== TEST 6: a request split into packets with a delay
--- config
    location /echo {
        client_body_in_single_buffer on;
        proxy_pass http://backend;
        add_header X-Body "$request_body" always;
    }
--- request eval
[["POST /echo\nhel", {value => "lo", delay_before => 0.05}, " world"]]
--- response_headers
X-Body: hello world
--- response_body
POST /echo len=11 ct=



=== TEST 7: chunked response through the proxy is decoded
--- config
    location /ssi {
        proxy_pass http://backend;
    }
--- request
GET /ssi
--- response_headers
Transfer-Encoding: chunked
!Content-Length
--- response_body
streamed without a length



=== TEST 8: response_headers_like and response_body_like
--- config
    location = /t {
        add_header X-Trace "id-12345";
        return 200 "status: fine, code 7";
    }
--- request
GET /t
--- response_headers_like
X-Trace: id-\d+
Server: nginx.*
--- response_body_like: ^status: \w+, code \d$



=== TEST 9: pipelined requests share one keep-alive connection
--- config
    location = /a {
        return 200 "a:$connection_requests\n";
    }
    location = /b {
        return 201 "b:$connection_requests\n";
    }
--- pipelined_requests eval
["GET /a", "GET /b", "GET /a"]
--- error_code eval
[200, 201, 200]
--- response_body eval
["a:1\n", "b:2\n", "a:3\n"]
--- no_error_log
[error]



=== TEST 10: several requests, one connection each
--- config
    location = /a {
        return 200 "a:$connection_requests\n";
    }
    location = /missing {
        return 404;
    }
--- request eval
["GET /a", "GET /missing"]
--- error_code eval
[200, 404]
--- response_body_like eval
["^a:1\$", "404 Not Found"]



=== TEST 11: raw_request is sent byte for byte
--- config
    location = /raw {
        return 200 "proto=$server_protocol host=$host\n";
    }
--- raw_request eval
"GET /raw HTTP/1.0\r\nHost: example.org\r\n\r\n"
--- response_body
proto=HTTP/1.0 host=example.org



=== TEST 12: HEAD responses have headers but no body
--- config
    location = /hello {
        return 200 "hello\n";
    }
--- request
HEAD /hello
--- response_headers
Content-Length: 6
--- response_body



=== TEST 13: a missing file is a 404 and an [error] in error.log
--- config
--- request
GET /no-such-file.html
--- error_code: 404
--- response_body_like: 404 Not Found
--- error_log
open()
failed (2: No such file or directory)
--- no_error_log
[alert]
[crit]



=== TEST 14: error_log and no_error_log take regexes and arrays
--- config
--- request
GET /nothing-here
--- error_code: 404
--- error_log eval
[qr/\[error\] \d+#\d+: \*\d+ open\(\) "[^"]+nothing-here"/, "No such file"]
--- no_error_log eval
[qr/\[emerg\]/, "segmentation fault"]



=== TEST 15: grep_error_log collects this block's matches only
--- config
--- request eval
["GET /gone-1", "GET /gone-2"]
--- error_code eval
[404, 404]
--- grep_error_log eval
qr/open\(\) "[^"]*gone-\d"/
--- grep_error_log_out eval
qr/^open\(\) "[^"]*gone-\d"\n\z/



=== TEST 16: grep_error_log with a literal string
--- config
--- request
GET /lost.txt
--- error_code: 404
--- grep_error_log chop
No such file or directory
--- grep_error_log_out
No such file or directory



=== TEST 17: user_files land in the html dir, the root location serves them
--- config
--- user_files
>>> sub/greeting.txt
greetings from a user file
--- request
GET /sub/greeting.txt
--- response_body
greetings from a user file



=== TEST 18: the default root location serves index.html
--- config
--- request
GET /
--- response_body chomp
<html><head><title>It works!</title></head><body>It works!</body></html>



=== TEST 19: TEST_NGINX_ variables are expanded in config, $ServerPort in expectations
--- config
    location = /port {
        return 200 "port=$TEST_NGINX_SERVER_PORT upstream=$TEST_NGINX_UPSTREAM_PORT\n";
    }
--- request
GET /port
--- response_body eval
"port=$ENV{TEST_NGINX_SERVER_PORT} upstream=$ENV{TEST_NGINX_UPSTREAM_PORT}\n"



=== TEST 20: $ServerPort in response_body
--- config
    location = /port {
        return 200 "on $server_port\n";
    }
--- request
GET /port
--- response_body
on $ServerPort



=== TEST 20a: the variables the harness sets, expanded in config and in the expected body
--- config
    location = /env {
        return 200 "root=$TEST_NGINX_SERVER_ROOT port=$TEST_NGINX_SERVER_PORT\n";
    }
--- request
GET /env
--- response_body
root=$TEST_NGINX_SERVER_ROOT port=$TEST_NGINX_SERVER_PORT



=== TEST 20b: $TEST_NGINX_RAND_PORT_n is one free port for the whole block
--- http_config
    server {
        listen 127.0.0.1:$TEST_NGINX_RAND_PORT_1;
        location / {
            return 200 "on $server_port\n";
        }
    }
--- config
    location = /rand {
        proxy_pass http://127.0.0.1:$TEST_NGINX_RAND_PORT_1;
    }
--- request
GET /rand
--- response_body_like: ^on (?!1984$)\d+$



=== TEST 21: comment lines before the request line, chomp filter
--- config
    location = /args {
        return 200 "a=$arg_a b=$arg_b";
    }
--- request
# the args come
# from the URI
GET /args?a=1&b=2
--- response_body chomp
a=1 b=2



=== TEST 22: response_body eval with a regex
--- config
    location = /time {
        return 200 "now $msec\n";
    }
--- request
GET /time
--- response_body eval
qr/^now \d+\.\d{3}\n\z/



=== TEST 23: a timed-out client is not a failure with abort
--- config
    location /echo {
        proxy_pass http://backend;
    }
--- raw_request eval
"POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nabc"
--- timeout: 300ms
--- abort
--- ignore_response
--- no_error_log
[error]



=== TEST 24: wait before the error log is read
--- config
--- request
GET /w.txt
--- wait: 0.1
--- error_code: 404
--- error_log
w.txt" failed



=== TEST 25: nginx refuses a bad configuration
--- config
    location = /bad {
        no_such_directive_here on;
    }
--- request
GET /bad
--- must_die



=== TEST 26: shutdown_error_log sees what nginx logs while quitting
--- config
    location = /q {
        return 200 "q\n";
    }
--- request
GET /q
--- response_body
q
--- shutdown_error_log eval
qr/\[notice\] \d+#\d+: exit/



=== TEST 27: a skipped block never runs
--- SKIP
--- config
    location = /skipped {
        return 500;
    }
--- request
GET /skipped
--- response_body
this would fail



=== TEST 28: the last block to run
--- LAST
--- config
    location = /last {
        return 200 "last\n";
    }
--- request
GET /last
--- response_body
last



=== TEST 29: never reached because of LAST
--- config
    location = /after {
        return 500;
    }
--- request
GET /after
--- response_body
this would fail
