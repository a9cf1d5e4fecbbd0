# expect-not-ok: - response_body - response is expected \(repeated req 0, req 0\)$
use Test::Nginx::Socket 'no_plan';

run_tests();

__DATA__

=== TEST 1: wrong body, only the trailing newline differs
--- config
    location = /t {
        return 200 "ok";
    }
--- request
GET /t
--- response_body
ok
