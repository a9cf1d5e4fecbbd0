# expect: pass
# expect-tests: 4
use Test::Nginx::Socket;

repeat_each(2);

plan tests => repeat_each() * (2 * blocks());

run_tests();

__DATA__

=== TEST 1: would fail
--- config
    location = /t {
        return 500;
    }
--- request
GET /t
--- response_body
never



=== TEST 2: the only block that runs
--- ONLY
--- config
    location = /t {
        return 200 "only\n";
    }
--- request
GET /t
--- response_body
only



=== TEST 3: would fail too
--- config
    location = /t {
        return 500;
    }
--- request
GET /t
--- response_body
never
