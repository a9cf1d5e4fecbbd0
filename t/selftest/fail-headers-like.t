# expect-not-ok: - header X-Id like ok$
use Test::Nginx::Socket 'no_plan';

run_tests();

__DATA__

=== TEST 1: header value does not match the pattern
--- config
    location = /t {
        add_header X-Id abc-12;
        return 200 "ok\n";
    }
--- request
GET /t
--- response_headers_like
X-Id: \d+
