# expect-not-ok: - pattern "\[error\]" should not match any line in error\.log but matches line ".*missing\.html.*" \(req 0\)
use Test::Nginx::Socket 'no_plan';

run_tests();

__DATA__

=== TEST 1: an [error] line is present
--- config
--- request
GET /missing.html
--- error_code: 404
--- no_error_log
[error]
