# expect-output: Further testing stopped: .*TEST 1: the input name of the server root - No environment TEST_NGINX_SERVROOT defined
# TEST_NGINX_SERVROOT is what the real scaffold reads (where to put the
# server root); what it sets, and what a test file may use, is
# TEST_NGINX_SERVER_ROOT.  The input name, not exported, is refused here
# as there (t/016 TEST 47 once stopped the real one this way).
use Test::Nginx::Socket 'no_plan';

# The harness has read the input by now (a servroot given stays in use);
# from here on the file sees it as a run that did not export it does.
delete $ENV{TEST_NGINX_SERVROOT};

run_tests();

__DATA__

=== TEST 1: the input name of the server root
--- config
    location = /t {
        error_log $TEST_NGINX_SERVROOT/logs/other.log;
        return 200 "ok\n";
    }
--- request
GET /t
--- response_body
ok
