# expect-not-ok: TEST 1: a bad main_config - nginx started$
# expect-output: unknown directive "no_such_main_directive"
use Test::Nginx::Socket 'no_plan';

run_tests();

__DATA__

=== TEST 1: a bad main_config
--- main_config
no_such_main_directive on;
--- config
    location = /t {
        return 200 "ok\n";
    }
--- request
GET /t
--- response_body
ok
