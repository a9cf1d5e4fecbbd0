# The gate's body rules: Content-Type application/json, alone or with
# charset=utf-8, given once; a body of at most sf_backup_max_body bytes
# (declared or not); jansson's JSON; an object whose only member is
# BackupPolicyName, a non-empty string.  In memory, in a temporary file or
# chunked, the body is judged the same, and the canonical body is forwarded
# with its own Content-Length.

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

=== TEST 1: application/json is accepted
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 2: application/json; charset=utf-8 is accepted
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json; charset=utf-8
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 3: type and charset match in any case, the charset may be quoted
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: Application/JSON;Charset="UTF-8"
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 4: whitespace and newlines around members: the compact body is forwarded
--- request eval
"POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview\n" . "{\n  \"BackupPolicyName\" :\t\"DailyAzureBackupPolicy\"\n}"
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 5: an escaped character in the name: the unescaped name is judged and forwarded
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"Daily\u0041zureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 6: no Content-Type
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
X-Nothing: here
--- error_code: 415
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Content-Type must be application/json, optionally with charset=utf-8\.[^"]*"\}\}$



=== TEST 7: text/plain
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: text/plain
--- error_code: 415
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Content-Type must be application/json, optionally with charset=utf-8\.[^"]*"\}\}$



=== TEST 8: application/xml, which the cluster would also bind
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/xml
--- error_code: 415
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Content-Type must be application/json, optionally with charset=utf-8\.[^"]*"\}\}$



=== TEST 9: a form, which the cluster would also bind
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/x-www-form-urlencoded
--- error_code: 415
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Content-Type must be application/json, optionally with charset=utf-8\.[^"]*"\}\}$



=== TEST 10: multipart/form-data
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: multipart/form-data; boundary=x
--- error_code: 415
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Content-Type must be application/json, optionally with charset=utf-8\.[^"]*"\}\}$



=== TEST 11: text/json
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: text/json
--- error_code: 415
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Content-Type must be application/json, optionally with charset=utf-8\.[^"]*"\}\}$



=== TEST 12: a look-alike type: application/jsonp
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/jsonp
--- error_code: 415
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Content-Type must be application/json, optionally with charset=utf-8\.[^"]*"\}\}$



=== TEST 13: another charset: utf-16
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json; charset=utf-16
--- error_code: 415
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Content-Type must be application/json, optionally with charset=utf-8\.[^"]*"\}\}$



=== TEST 14: another charset: iso-8859-1
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json; charset=iso-8859-1
--- error_code: 415
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Content-Type must be application/json, optionally with charset=utf-8\.[^"]*"\}\}$



=== TEST 15: a parameter other than charset
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json; odata=verbose
--- error_code: 415
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Content-Type must be application/json, optionally with charset=utf-8\.[^"]*"\}\}$



=== TEST 16: charset and another parameter
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json; charset=utf-8; x=y
--- error_code: 415
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Content-Type must be application/json, optionally with charset=utf-8\.[^"]*"\}\}$



=== TEST 17: Content-Type given twice
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
Content-Type: application/xml
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Content-Type must be given once\.[^"]*"\}\}$



=== TEST 18: Content-Type given twice, both JSON
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
content-type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Content-Type must be given once\.[^"]*"\}\}$



=== TEST 19: no body at all
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"A request body \{\\"BackupPolicyName\\": \\"<name>\\"\} is required\.(?:[^"\\]|\\.)*"\}\}$



=== TEST 20: a declared Content-Length above 4k is refused before the body
--- request eval
"POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview\n" . ("x" x 5000)
--- more_headers
Content-Type: application/json
--- error_code: 413
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_VALUE_TOO_LARGE","Message":"The request body is larger than 4096 bytes\.[^"]*"\}\}$



=== TEST 21: a body one byte above sf_backup_max_body
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_max_body 64;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
"POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview\n{" . (" " x 20) . '"BackupPolicyName":"DailyAzureBackupPolicy"}'
--- more_headers
Content-Type: application/json
--- error_code: 413
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_VALUE_TOO_LARGE","Message":"The request body is larger than 64 bytes\.[^"]*"\}\}$



=== TEST 22: a body of exactly sf_backup_max_body bytes is accepted
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_max_body 64;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
"POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview\n{" . (" " x 19) . '"BackupPolicyName":"DailyAzureBackupPolicy"}'
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 23: form data in a JSON body
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
BackupPolicyName=DailyAzureBackupPolicy
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid JSON body: (?:[^"\\]|\\.)*"\}\}$



=== TEST 24: XML in a JSON body
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
<EnableBackupDescription><BackupPolicyName>DailyAzureBackupPolicy</BackupPolicyName></EnableBackupDescription>
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid JSON body: (?:[^"\\]|\\.)*"\}\}$



=== TEST 25: duplicate BackupPolicyName members
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy","BackupPolicyName":"WeeklyBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid JSON body: duplicate object key(?:[^"\\]|\\.)*"\}\}$



=== TEST 26: a case-variant key: backupPolicyName
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"backupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid request body: unknown member 'backupPolicyName'; only 'BackupPolicyName' is allowed\.(?:[^"\\]|\\.)*"\}\}$



=== TEST 27: both spellings of the key
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy","backuppolicyname":"WeeklyBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid request body: unknown member 'backuppolicyname'(?:[^"\\]|\\.)*"\}\}$



=== TEST 28: an unknown member next to BackupPolicyName
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy","Schedule":"Hourly"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid request body: unknown member 'Schedule'(?:[^"\\]|\\.)*"\}\}$



=== TEST 29: trailing bytes after the object
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}x
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid JSON body: end of file expected(?:[^"\\]|\\.)*"\}\}$



=== TEST 30: two objects
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}{"BackupPolicyName":"WeeklyBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid JSON body: end of file expected(?:[^"\\]|\\.)*"\}\}$



=== TEST 31: a trailing comma
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy",}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid JSON body: (?:[^"\\]|\\.)*"\}\}$



=== TEST 32: single quotes
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{'BackupPolicyName':'DailyAzureBackupPolicy'}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid JSON body: (?:[^"\\]|\\.)*"\}\}$



=== TEST 33: a comment
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"/* daily */}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid JSON body: (?:[^"\\]|\\.)*"\}\}$



=== TEST 34: an unterminated object
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid JSON body: (?:[^"\\]|\\.)*\(line 1, column \d+\)\.(?:[^"\\]|\\.)*"\}\}$



=== TEST 35: an array around the object
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
[{"BackupPolicyName":"DailyAzureBackupPolicy"}]
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid request body: the body must be a JSON object, not an array\.(?:[^"\\]|\\.)*"\}\}$



=== TEST 36: a bare string
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
"DailyAzureBackupPolicy"
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid JSON body: (?:[^"\\]|\\.)*"\}\}$



=== TEST 37: an empty object
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid request body: member 'BackupPolicyName' is missing\.(?:[^"\\]|\\.)*"\}\}$



=== TEST 38: BackupPolicyName as a number
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":1}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid request body: member 'BackupPolicyName' must be a string, not an integer\.(?:[^"\\]|\\.)*"\}\}$



=== TEST 39: BackupPolicyName as null
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":null}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid request body: member 'BackupPolicyName' must be a string, not null\.(?:[^"\\]|\\.)*"\}\}$



=== TEST 40: BackupPolicyName as an array
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":["DailyAzureBackupPolicy"]}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid request body: member 'BackupPolicyName' must be a string, not an array\.(?:[^"\\]|\\.)*"\}\}$



=== TEST 41: BackupPolicyName as an object
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":{"Name":"DailyAzureBackupPolicy"}}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid request body: member 'BackupPolicyName' must be a string, not an object\.(?:[^"\\]|\\.)*"\}\}$



=== TEST 42: BackupPolicyName empty
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":""}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid request body: member 'BackupPolicyName' must be a backup policy name: 1 to 256 bytes of UTF-8 without control characters, '/', '\\\\', '%' or '~', not \\"\$\\", not starting with a space nor ending with a space or '\.'\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 43: a NUL escape in the name
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy\u0000"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid JSON body: (?:[^"\\]|\\.)*"\}\}$



=== TEST 44: a lone surrogate escape in the name
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"Daily\ud800"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid JSON body: (?:[^"\\]|\\.)*"\}\}$



=== TEST 45: invalid UTF-8 in the name
--- request eval
"POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview\n" . "{\"BackupPolicyName\":\"Daily\xff\xfe\"}"
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid JSON body: (?:[^"\\]|\\.)*"\}\}$



=== TEST 46: an overlong UTF-8 "/" in the name
--- request eval
"POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview\n" . "{\"BackupPolicyName\":\"Daily\xc0\xafPolicy\"}"
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid JSON body: (?:[^"\\]|\\.)*"\}\}$



=== TEST 47: a UTF-8 byte order mark before the object
--- request eval
"POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview\n" . "\xef\xbb\xbf{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}"
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid JSON body: (?:[^"\\]|\\.)*"\}\}$



=== TEST 48: a chunked body is judged whole and forwarded canonical, with a length
--- raw_request eval
"POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview HTTP/1.1\r
Host: localhost\r
Connection: close\r
Content-Type: application/json\r
Transfer-Encoding: chunked\r
\r
16\r
{ \"BackupPolicyName\" :\r
1b\r
 \"DailyAzureBackupPolicy\" }\r
0\r
\r
"
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 49: a chunked body is judged whole: a second member in another chunk
--- raw_request eval
"POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview HTTP/1.1\r
Host: localhost\r
Connection: close\r
Content-Type: application/json\r
Transfer-Encoding: chunked\r
\r
2c\r
{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"\r
29\r
,\"BackupPolicyName\":\"WeeklyBackupPolicy\"}\r
0\r
\r
"
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid JSON body: duplicate object key(?:[^"\\]|\\.)*"\}\}$



=== TEST 50: a chunked body above the limit
--- raw_request eval
"POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview HTTP/1.1\r
Host: localhost\r
Connection: close\r
Content-Type: application/json\r
Transfer-Encoding: chunked\r
\r
2c\r
{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"\r
bb8\r
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                        \r
bb9\r
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                        }\r
0\r
\r
"
--- error_code: 413
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_VALUE_TOO_LARGE","Message":"The request body is larger than 4096 bytes\.[^"]*"\}\}$



=== TEST 51: a body in a temporary file is forwarded canonical
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        client_body_buffer_size 128;
        client_body_in_file_only clean;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
"POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview\n" . "{" . (" " x 1000) . "\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}"
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 52: a body in a temporary file is judged the same: an unknown member
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        client_body_buffer_size 128;
        client_body_in_file_only clean;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
"POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview\n" . "{" . (" " x 1000) . "\"BackupPolicyName\":\"DailyAzureBackupPolicy\",\"Extra\":true}"
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Invalid request body: unknown member 'Extra'(?:[^"\\]|\\.)*"\}\}$



=== TEST 53: a request refused before its body is read leaves the connection clean for the next one
--- pipelined_requests eval
[
    "POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=7.0\n{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
    "POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview\n{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
]
--- more_headers eval
["Content-Type: application/json", "Content-Type: application/json"]
--- error_code eval
[400, 202]
--- response_body_like eval
[qr/^\{"Error":\{"Code":"E_INVALIDARG",/, qr/^$/]



=== TEST 54: a request refused after its body is read leaves the connection clean for the next one
--- pipelined_requests eval
[
    "POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview\n{\"BackupPolicyName\":\"WeeklyBackupPolicy\"}",
    "POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview\n{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
]
--- more_headers eval
["Content-Type: application/json", "Content-Type: application/json"]
--- error_code eval
[403, 202]
--- response_body_like eval
[qr/^\{"Error":\{"Code":"E_ACCESSDENIED",/, qr/^$/]
