# expect-not-ok: - grep_error_log_out \(req 0\)$
use Test::Nginx::Socket 'no_plan';

run_tests();

__DATA__

=== TEST 1: grep output differs (one match, two expected)
--- config
--- request
GET /missing.html
--- error_code: 404
--- grep_error_log chop
No such file or directory
--- grep_error_log_out
No such file or directory
No such file or directory
