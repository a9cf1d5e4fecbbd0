# expect-not-ok: - status code ok$
use Test::Nginx::Socket 'no_plan';

run_tests();

__DATA__

=== TEST 1: wrong status code
--- config
    location = /t {
        return 200 "ok\n";
    }
--- request
GET /t
--- error_code: 201
--- response_body
ok
