# expect-output: Further testing stopped: .*TEST 2: an unknown variable - No environment TEST_NGINX_FOO defined
# A $TEST_NGINX_* variable that is not set in the environment is refused,
# as the real scaffold refuses it (expand_env_in_text: bail_out), so that a
# test file cannot use a variable the real one would not know.
BEGIN { delete $ENV{TEST_NGINX_FOO} }

use Test::Nginx::Socket 'no_plan';

no_shuffle();
run_tests();

__DATA__

=== TEST 1: runs
--- config
    location = /t {
        return 200 "ok\n";
    }
--- request
GET /t
--- response_body
ok



=== TEST 2: an unknown variable
--- config
    location = /t {
        return 200 "$TEST_NGINX_FOO\n";
    }
--- request
GET /t
--- response_body
never compared
