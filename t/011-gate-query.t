# The gate's query rules: api-version required, once, from the supported set
# (6.2-preview unless configured); timeout optional, once, plain decimal
# digits within 1..4294967295 or the configured range; no other parameter,
# no other spelling of these two, no malformed query.  What is forwarded is
# the canonical query: api-version first, timeout without leading zeros.

use Test::Nginx::Socket 'no_plan';
use Cwd qw(abs_path);
use File::Basename qw(dirname);

$ENV{TEST_NGINX_CONF_DIR} ||= abs_path(dirname(__FILE__) . '/../conf');
$ENV{TEST_NGINX_SIM_PORT} ||= 1985;

# sf-cluster-sim: logs "sf-sim received: METHOD URI content-length=N body=..."
my $sim = <<'_EOC_';
    js_path "$TEST_NGINX_CONF_DIR/sim";
    js_import sfsim from sf_cluster_sim.js;

    server {
        listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
        include $TEST_NGINX_CONF_DIR/sim/sf_cluster_sim.locations;
    }
_EOC_

my $gate = <<'_EOC_';
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy HourlyBackupPolicy;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
_EOC_

# A block is a table row: request, headers, expected answer.  The simulator
# and the gated location are supplied when a block brings none.  A block that
# expects an error status and names no error_log line is a rejection by the
# gate: it must also be FabricError JSON and must not reach the simulator.
add_block_preprocessor(sub {
    my $block = shift;
    my (@h, @n);

    $block->set_value(http_config => $sim) unless defined $block->http_config;
    $block->set_value(config => $gate) unless defined $block->config;

    return unless ($block->error_code // '') =~ /^[45]\d\d$/
                  && !defined $block->error_log;

    # without its last newline: joined, it would leave an empty line, which
    # the real Test::Nginx takes for a header of no name (one more test)
    @h = grep { length } map { s/\s+\z//r } ($block->response_headers // '');
    push @h, 'Content-Type: application/json; charset=utf-8';
    $block->set_value(response_headers => join "\n", @h);

    @n = grep { length } ($block->no_error_log // '');
    push @n, 'sf-sim received';
    $block->set_value(no_error_log => join "\n", @n);
});

no_shuffle();
no_root_location();
log_level('warn');
run_tests();


__DATA__

=== TEST 1: api-version alone is forwarded as given
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 2: api-version and timeout are forwarded as given
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=60
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=60 content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 3: timeout first: forwarded in canonical order
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?timeout=60&api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=60 content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 4: leading zeros of timeout are dropped
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=0060
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=60 content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 5: the smallest timeout, 1
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=1
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=1 content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 6: the largest timeout, 4294967295
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=4294967295
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=4294967295 content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 7: percent-encoded values are decoded, forwarded canonical
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2%2Dpreview&timeout=%36%30
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=60 content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 8: no query string at all
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"The api-version query parameter is required[^"]*supported versions: 6\.2-preview, 6\.4\.[^"]*"\}\}$



=== TEST 9: timeout without api-version
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?timeout=60
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"The api-version query parameter is required[^"]*supported versions: 6\.2-preview, 6\.4\.[^"]*"\}\}$



=== TEST 10: an empty api-version
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"The api-version query parameter is required[^"]*supported versions: 6\.2-preview, 6\.4\.[^"]*"\}\}$



=== TEST 11: an empty api-version next to a timeout
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=&timeout=60
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"The api-version query parameter is required[^"]*supported versions: 6\.2-preview, 6\.4\.[^"]*"\}\}$



=== TEST 12: an api-version no backup call declares (7.0): the call's own versions listed
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=7.0
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"api-version '7\.0' is not supported[^"]*supported versions: 6\.2-preview, 6\.4\.[^"]*"\}\}$



=== TEST 13: api-version in another case
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-PREVIEW
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"api-version '6\.2-PREVIEW' is not supported[^"]*supported versions: 6\.2-preview, 6\.4\.[^"]*"\}\}$



=== TEST 14: api-version with a trailing space
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview%20
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"api-version '6\.2-preview ' is not supported[^"]*supported versions: 6\.2-preview, 6\.4\.[^"]*"\}\}$



=== TEST 15: api-version with a "+"
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2+preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"api-version '6\.2\+preview' is not supported[^"]*supported versions: 6\.2-preview, 6\.4\.[^"]*"\}\}$



=== TEST 16: api-version given twice, same value
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"[^"]*api-version[^"]*once[^"]*"\}\}$



=== TEST 17: api-version given twice, different values
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.4&api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"[^"]*api-version[^"]*once[^"]*"\}\}$



=== TEST 18: parameter name in another case: Api-Version
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?Api-Version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Query parameter 'Api-Version' is not allowed on EnableBackup[^"]*"\}\}$



=== TEST 19: parameter name percent-encoded: api%2Dversion
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api%2Dversion=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Query parameter 'api%2Dversion' is not allowed[^"]*"\}\}$



=== TEST 20: an unknown parameter the reverse proxy acts on: ServiceName
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&ServiceName=fabric:/MyApp/MySvc
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Query parameter 'ServiceName' is not allowed[^"]*"\}\}$



=== TEST 21: an unknown parameter: PartitionKey
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&PartitionKeyType=3&PartitionKey=1
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Query parameter 'PartitionKeyType' is not allowed[^"]*"\}\}$



=== TEST 22: timeout in another case: TIMEOUT
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&TIMEOUT=60
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Query parameter 'TIMEOUT' is not allowed[^"]*"\}\}$



=== TEST 23: an unknown parameter before api-version
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?x=1&api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Query parameter 'x' is not allowed[^"]*"\}\}$



=== TEST 24: a trailing "&"
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"[^"]*query string is malformed[^"]*"\}\}$



=== TEST 25: an empty piece between two "&"
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&&timeout=60
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"[^"]*query string is malformed[^"]*"\}\}$



=== TEST 26: a parameter without "="
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"The query string is malformed near 'api-version'\.[^"]*"\}\}$



=== TEST 27: a valueless timeout after api-version
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"The query string is malformed near 'timeout'\.[^"]*"\}\}$



=== TEST 28: a bad percent escape
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2%ZZpreview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"[^"]*query string is malformed[^"]*"\}\}$



=== TEST 29: a truncated percent escape
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=6%3
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"[^"]*query string is malformed[^"]*"\}\}$



=== TEST 30: an encoded NUL
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview%00
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"[^"]*query string is malformed[^"]*"\}\}$



=== TEST 31: timeout zero
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=0
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"[^"]*timeout must be an integer between 1 and 4294967295\.[^"]*"\}\}$



=== TEST 32: timeout negative
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=-1
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"[^"]*timeout must be an integer between 1 and 4294967295\.[^"]*"\}\}$



=== TEST 33: timeout with a plus sign
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=%2B60
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"[^"]*timeout must be an integer between 1 and 4294967295\.[^"]*"\}\}$



=== TEST 34: timeout not a number
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=sixty
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"[^"]*timeout must be an integer between 1 and 4294967295\.[^"]*"\}\}$



=== TEST 35: timeout with an exponent
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=1e3
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"[^"]*timeout must be an integer between 1 and 4294967295\.[^"]*"\}\}$



=== TEST 36: timeout in hex
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=0x10
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"[^"]*timeout must be an integer between 1 and 4294967295\.[^"]*"\}\}$



=== TEST 37: timeout with a fraction
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=1.5
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"[^"]*timeout must be an integer between 1 and 4294967295\.[^"]*"\}\}$



=== TEST 38: timeout with a trailing space
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=60%20
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"[^"]*timeout must be an integer between 1 and 4294967295\.[^"]*"\}\}$



=== TEST 39: timeout one above the contract, 4294967296
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=4294967296
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"[^"]*timeout must be an integer between 1 and 4294967295\.[^"]*"\}\}$



=== TEST 40: timeout overflowing 64 bits
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=99999999999999999999999
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"[^"]*timeout must be an integer between 1 and 4294967295\.[^"]*"\}\}$



=== TEST 41: timeout empty
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"[^"]*timeout must be an integer between 1 and 4294967295\.[^"]*"\}\}$



=== TEST 42: timeout given twice
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=60&timeout=60
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"[^"]*timeout[^"]*at most once[^"]*"\}\}$



=== TEST 43: a narrowed timeout range: below it
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_timeout 10 120;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=9
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"[^"]*timeout must be an integer between 10 and 120\.[^"]*"\}\}$



=== TEST 44: a narrowed timeout range: above it
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_timeout 10 120;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=121
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"[^"]*timeout must be an integer between 10 and 120\.[^"]*"\}\}$



=== TEST 45: a narrowed timeout range: its lower bound
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_timeout 10 120;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=10
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=10 content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 46: a narrowed timeout range: its upper bound
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_timeout 10 120;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=120
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=120 content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 47: a narrowed timeout range: no timeout is fine
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_timeout 10 120;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 48: configured api-versions: the default is no longer accepted
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_api_versions 6.4 7.0;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"api-version '6\.2-preview' is not supported; supported versions: 6\.4, 7\.0\.[^"]*"\}\}$



=== TEST 49: configured api-versions: the message names them when missing
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_api_versions 6.4 7.0;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?timeout=5
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"The api-version query parameter is required; supported versions: 6\.4, 7\.0\.[^"]*"\}\}$



=== TEST 50: configured api-versions: one of them is accepted
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_api_versions 6.4 7.0;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=7.0&timeout=5
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=7.0&timeout=5 content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 51: a bad BackupTimeout is refused with its own rule, and only its own
--- config
    location / {
        sf_backup_gate on;
        sf_backup_operations backup;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/Backup?api-version=6.4&BackupTimeout=0
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Query parameter 'BackupTimeout' has an invalid value: it must be a whole number of minutes from 1 to 2147483647\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 52: a BackupTimeout past a day is Service Fabric's to take (no maximum but an int32's)
--- config
    location / {
        sf_backup_gate on;
        sf_backup_operations backup;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/Backup?api-version=6.4&BackupTimeout=2880
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/Backup?api-version=6.4&BackupTimeout=2880 content-length=0 body=



=== TEST 53: a bad Latest names Latest's rule
--- request
GET /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/GetBackups?api-version=6.4&Latest=1
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Query parameter 'Latest' has an invalid value: it must be true or false\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 54: a bad date filter names the date-time rule
--- request
GET /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/GetBackups?api-version=6.4&StartDateTimeFilter=yesterday
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Query parameter 'StartDateTimeFilter' has an invalid value: it must be an ISO 8601 date-time such as 2026-12-03T10:00:00Z\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 55: a bad MaxResults names MaxResults' rule (an int64, from 0)
--- request
GET /BackupRestore/BackupPolicies?api-version=6.4&MaxResults=-1
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Query parameter 'MaxResults' has an invalid value: it must be a whole number from 0 to 9223372036854775807\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 56: a ContinuationToken that is not UTF-8 names the token's rule
--- request
GET /BackupRestore/BackupPolicies?api-version=6.4&ContinuationToken=%FF
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Query parameter 'ContinuationToken' has an invalid value: it must be a non-empty UTF-8 string, as the previous answer gave it\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 57: ValidateConnection is Create's and Update's, not Delete's
--- config
    location / {
        sf_backup_gate on;
        sf_backup_operations policy;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /BackupRestore/BackupPolicies/DailyAzureBackupPolicy/$/Delete?api-version=6.4&ValidateConnection=true
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Query parameter 'ValidateConnection' is not allowed on DeleteBackupPolicy\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 58: MaxResults past 2^31-1 and a token that is a policy's name with a space: forwarded, encoded
--- request
GET /BackupRestore/BackupPolicies?api-version=6.4&MaxResults=4294967296&ContinuationToken=Probe%20Policy
--- error_code: 200
--- error_log
sf-sim received: GET /BackupRestore/BackupPolicies?api-version=6.4&ContinuationToken=Probe%20Policy&MaxResults=4294967296 content-length=0 body=
