# expect-not-ok: - response_body - response is expected \(repeated req 0, req 1\)$
# expect-not-ok: - status code ok$
use Test::Nginx::Socket 'no_plan';

run_tests();

__DATA__

=== TEST 1: the second pipelined response is not what we expect
--- config
    location = /a {
        return 200 "a\n";
    }
    location = /b {
        return 200 "b\n";
    }
--- pipelined_requests eval
["GET /a", "GET /b", "GET /a"]
--- error_code eval
[200, 200, 404]
--- response_body eval
["a\n", "a\n", "a\n"]
