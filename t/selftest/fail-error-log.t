# expect-not-ok: - pattern "this text is never logged" should match a line in error\.log \(req 0\)$
use Test::Nginx::Socket 'no_plan';

run_tests();

__DATA__

=== TEST 1: an expected error log line is absent
--- config
--- request
GET /missing.html
--- error_code: 404
--- error_log
No such file or directory
this text is never logged
