# expect-not-ok: - ERROR: client socket timed out - t/selftest/fail-timeout\.t TEST 1: 
# expect-not-ok: - status code ok$
use Test::Nginx::Socket 'no_plan';

run_tests();

__DATA__

=== TEST 1: nginx waits for a body that never comes
--- config
    location = /t {
        proxy_pass http://127.0.0.1:$TEST_NGINX_SERVER_PORT/never;
    }
--- raw_request eval
"POST /t HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nabc"
--- timeout: 0.5
