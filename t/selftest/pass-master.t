# expect: pass
# expect-tests: 6
use Test::Nginx::Socket;

master_on();
workers(2);
log_level('warn');
no_root_location();

plan tests => repeat_each() * (3 * blocks());

run_tests();

__DATA__

=== TEST 1: master and two workers start and stop cleanly
--- config
    location = /t {
        return 200 "ok\n";
    }
--- request
GET /t
--- response_body
ok
--- no_error_log
[warn]



=== TEST 2: without the root location a missing file is still a 404
--- config
--- request
GET /nope.html
--- error_code: 404
--- response_body_like: 404 Not Found
--- error_log
No such file or directory
