# expect-not-ok: - response_body_like - response is expected \(hello world\)$
use Test::Nginx::Socket 'no_plan';

run_tests();

__DATA__

=== TEST 1: body does not match the pattern
--- config
    location = /t {
        return 200 "hello world\n";
    }
--- request
GET /t
--- response_body_like: ^goodbye
