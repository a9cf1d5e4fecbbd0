# expect-not-ok: - header X-Missing ok$
# expect-not-ok: - header Server not present in the raw headers$
use Test::Nginx::Socket 'no_plan';

run_tests();

__DATA__

=== TEST 1: a header that is missing and one that should be absent
--- config
    location = /t {
        add_header X-Present yes;
        return 200 "ok\n";
    }
--- request
GET /t
--- response_headers
X-Present: yes
X-Missing: expected
!Server
