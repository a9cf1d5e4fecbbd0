# expect: pass
# expect-tests: 2
# run by t/selftest/run with TEST_NGINX_LOAD_MODULES set to Debian's njs
# module and TEST_NGINX_LD_PRELOAD set (the real scaffold's name: nginx gets
# it before whatever LD_PRELOAD says); skipped when either is missing.
use Test::Nginx::Socket;

if (!$ENV{TEST_NGINX_LOAD_MODULES} || !$ENV{TEST_NGINX_LD_PRELOAD}) {
    plan skip_all => 'TEST_NGINX_LOAD_MODULES and TEST_NGINX_LD_PRELOAD unset';
}

plan tests => repeat_each() * (2 * blocks());

run_tests();

__DATA__

=== TEST 1: the dynamic module is loaded, LD_PRELOAD reaches the worker
--- config
    js_import main from $TEST_NGINX_SERVER_ROOT/html/main.js;
    location = /t {
        js_content main.hello;
    }
--- user_files
>>> main.js
function hello(r) {
    r.return(200, "preload=" + process.env.LD_PRELOAD + "\n");
}
export default {hello};
--- request
GET /t
--- response_body eval
"preload=$ENV{TEST_NGINX_LD_PRELOAD}"
. (defined $ENV{LD_PRELOAD} ? " $ENV{LD_PRELOAD}" : '') . "\n"
