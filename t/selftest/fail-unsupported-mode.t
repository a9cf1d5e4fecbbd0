# expect-output: Further testing stopped: .*TEST_NGINX_USE_HUP is set: a mode of the real Test::Nginx
# A mode of the real scaffold that t/lib does not implement is refused, not
# quietly run as a plain run.
BEGIN { $ENV{TEST_NGINX_USE_HUP} = 1 }

use Test::Nginx::Socket 'no_plan';

run_tests();

__DATA__

=== TEST 1: would run in HUP mode under the real one
--- config
    location = /t {
        return 200 "ok\n";
    }
--- request
GET /t
--- response_body
ok
