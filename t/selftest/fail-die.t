# expect-output: harness self-test dies on purpose
use Test::Nginx::Socket 'no_plan';

no_shuffle();

# the second block dies in the middle of the run: nginx must not survive it
add_block_preprocessor(sub {
    my $block = shift;
    die "harness self-test dies on purpose\n" if $block->name =~ /TEST 2/;
});

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



=== TEST 2: dies
--- config
    location = /t {
        return 200 "ok\n";
    }
--- request
GET /t
