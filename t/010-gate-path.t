# The gate's path and method rules: the three EnableBackup calls are
# governed however their path is spelled (segment case, %-encoding, merged
# slashes, dot segments, trailing slash), look-alikes and bad ids are refused,
# every other method gets 405 with "Allow: POST", the BackupRestore
# passthrough is closed unless opened, and every other path passes untouched.
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

=== TEST 1: the canonical partition call is forwarded as it came
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- response_body
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 2: segment names match in any case and are forwarded canonical
--- request
POST /pArTiTiOnS/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/eNaBlEbAcKuP?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 3: a percent-encoded "$" and letters are still the governed call
--- request
POST /%50artition%73/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/%24/Enable%42ackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 4: merged slashes, dot segments and a trailing slash are still governed
--- request
POST //x/..//Partitions/./1daae3f5-7fd6-42e9-b1ba-8c05f873994d//%24/./EnableBackup/?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 5: an odd spelling of the path does not escape the policy check
--- request
POST //partitions/1DAAE3F5-7FD6-42E9-B1BA-8C05F873994D/%24//enablebackup/?api-version=6.2-preview
{"BackupPolicyName":"WeeklyBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Backup policy 'WeeklyBackupPolicy' is not allowed[^"]*"\}\}$



=== TEST 6: the service call is governed, its id forwarded as given
--- request
POST /Services/MyApp~MySvc/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Services/MyApp~MySvc/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 7: a service id over several segments is joined with "~"
--- request
POST /services/MyApp/MySvc/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Services/MyApp~MySvc/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 8: the application call is governed
--- request
POST /APPLICATIONS/MyApp/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Applications/MyApp/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 9: the application call with a denied policy is refused, not forwarded
--- request
POST /Applications/MyApp/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"WeeklyBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Backup policy 'WeeklyBackupPolicy'[^"]*"\}\}$



=== TEST 10: an encoded "/" inside a service id is a segment boundary too
--- request
POST /Services/MyApp%2FMySvc/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Services/MyApp~MySvc/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 11: other calls pass through untouched, spelling and all
--- request
GET /$/GetClusterVersion?api-version=6.0
--- error_code: 200
--- response_body: {"Version":"8.0.514.9590"}
--- error_log
sf-sim received: GET /$/GetClusterVersion?api-version=6.0 content-length=0 body=



=== TEST 12: another action on a partition passes through untouched
--- request
GET /Partitions/1DAAE3F5-7FD6-42E9-B1BA-8C05F873994D/$/GetHealth?api-version=6.2-preview&Extra=1
--- error_code: 404
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_NAME_DOES_NOT_EXIST",
--- error_log
sf-sim received: GET /Partitions/1DAAE3F5-7FD6-42E9-B1BA-8C05F873994D/$/GetHealth?api-version=6.2-preview&Extra=1 content-length=0 body=



=== TEST 13: GET on a governed path: 405 with Allow: POST
--- request
GET /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
--- error_code: 405
--- response_headers
Allow: POST
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Method 'GET' is not allowed on EnableBackup; use POST\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 14: PUT on a governed path: 405
--- request
PUT /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 405
--- response_headers
Allow: POST
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Method 'PUT' is not allowed[^"]*"\}\}$



=== TEST 15: DELETE on a governed path: 405
--- request
DELETE /Services/MyApp~MySvc/$/EnableBackup?api-version=6.2-preview
--- error_code: 405
--- response_headers
Allow: POST
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Method 'DELETE' is not allowed[^"]*"\}\}$



=== TEST 16: PATCH on a governed path: 405
--- request
PATCH /Applications/MyApp/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 405
--- response_headers
Allow: POST
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Method 'PATCH' is not allowed[^"]*"\}\}$



=== TEST 17: OPTIONS on a governed path: 405
--- request
OPTIONS /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup
--- error_code: 405
--- response_headers
Allow: POST
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Method 'OPTIONS' is not allowed[^"]*"\}\}$



=== TEST 18: a method nginx does not know, on a governed path: 405
--- request
ENABLE /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
--- error_code: 405
--- response_headers
Allow: POST
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Method 'ENABLE' is not allowed[^"]*"\}\}$



=== TEST 19: a WebDAV method on an oddly spelled governed path: 405
--- request
PROPFIND //partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/%24/enablebackup/
--- error_code: 405
--- response_headers
Allow: POST
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Method 'PROPFIND' is not allowed[^"]*"\}\}$



=== TEST 20: HEAD on a governed path: 405, headers only
--- request
HEAD /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
--- error_code: 405
--- response_headers
Allow: POST
--- response_body_like: ^$



=== TEST 21: GET comes before the id check: a bad id still gets 405
--- request
GET /Partitions/not-a-uuid/$/EnableBackup
--- error_code: 405
--- response_headers
Allow: POST
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"Method 'GET'[^"]*"\}\}$



=== TEST 22: a partition id that is not a UUID
--- request
POST /Partitions/not-a-uuid/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"The partition id must be a UUID[^"]*"\}\}$



=== TEST 23: a UUID without its dashes
--- request
POST /Partitions/1daae3f57fd642e9b1ba8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"The partition id must be a UUID[^"]*"\}\}$



=== TEST 24: a UUID in braces
--- request
POST /Partitions/%7B1daae3f5-7fd6-42e9-b1ba-8c05f873994d%7D/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"The partition id must be a UUID[^"]*"\}\}$



=== TEST 25: a UUID with a letter that is not hex
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994g/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"The partition id must be a UUID[^"]*"\}\}$



=== TEST 26: a partition id spread over two segments
--- request
POST /Partitions/1daae3f5-7fd6-42e9/b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"The partition id must be a UUID[^"]*"\}\}$



=== TEST 27: no partition id at all
--- request
POST /Partitions/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"The partition id must be a UUID[^"]*"\}\}$



=== TEST 28: no service id at all
--- request
POST /Services/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_INVALID_NAME_URI","Message":"The service id must be[^"]*"\}\}$



=== TEST 29: a service id with its "fabric:" scheme
--- request
POST /Services/fabric:/MyApp/MySvc/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_INVALID_NAME_URI","Message":"The service id must be[^"]*"\}\}$



=== TEST 30: an application id with a space
--- request
POST /Applications/My%20App/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_INVALID_NAME_URI","Message":"The application id must be[^"]*"\}\}$



=== TEST 31: an application id ending in a dot
--- request
POST /Applications/MyApp./$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_INVALID_NAME_URI","Message":"The application id must be[^"]*"\}\}$



=== TEST 32: a service id with an empty piece between two "~"
--- request
POST /Services/MyApp~~MySvc/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_INVALID_NAME_URI","Message":"The service id must be[^"]*"\}\}$



=== TEST 33: an application id longer than 1024 bytes
--- request eval
"POST /Applications/" . ("a" x 1025) . "/\$/EnableBackup?api-version=6.2-preview
{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}"
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_INVALID_NAME_URI","Message":"The application id must be[^"]*at most 1024 bytes[^"]*"\}\}$



=== TEST 34: a backslash, which Windows-side parsers read as "/"
--- request
POST /Services/MyApp%5CMySvc/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"The path is not a valid EnableBackup path[^"]*"\}\}$



=== TEST 35: a look-alike action name, EnableBackupNow
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackupNow?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"The path is not a valid EnableBackup path[^"]*"\}\}$



=== TEST 36: a look-alike action name with a path parameter
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup;v=1?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"The path is not a valid EnableBackup path[^"]*"\}\}$



=== TEST 37: a look-alike collection name, PartitionsX
--- request
POST /PartitionsX/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"The path is not a valid EnableBackup path[^"]*"\}\}$



=== TEST 38: a doubled "$" segment
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"The path is not a valid EnableBackup path[^"]*"\}\}$



=== TEST 39: a dotless i (U+0131) that .NET folds onto "i"
--- request
POST /Partit%C4%B1ons/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"The path is not a valid EnableBackup path[^"]*"\}\}$



=== TEST 40: a Kelvin sign (U+212A) that .NET folds onto "k"
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBac%E2%84%AAup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 400
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"The path is not a valid EnableBackup path[^"]*"\}\}$



=== TEST 41: the BackupRestore passthrough is closed
--- request
POST /BackupRestore/Generic/$/Call?api-version=6.2-preview
{"Name":"Anything"}
--- more_headers
Content-Type: application/json
X-Request-Metadata: {"Target":"Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d"}
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"The BackupRestore API is not available through this gateway\. \(request id [0-9a-f]{32}\)"\}\}$



=== TEST 42: the BackupRestore passthrough is closed in lowercase too
--- request
POST /backuprestore/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"The BackupRestore API[^"]*"\}\}$



=== TEST 43: the BackupRestore passthrough is closed when percent-encoded
--- request
POST /%42ackup%52estore/x?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"The BackupRestore API[^"]*"\}\}$



=== TEST 44: the BackupRestore passthrough is closed behind slashes and dots
--- request
GET //x/../BACKUPRESTORE/./Generic
--- error_code: 403
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"The BackupRestore API[^"]*"\}\}$



=== TEST 45: sf_backup_backup_restore on opens the passthrough (what is not a call of the surface)
--- config
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_backup_restore on;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
GET /BackupRestore/Generic?api-version=6.2-preview
--- error_code: 404
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_NAME_DOES_NOT_EXIST",
--- error_log
sf-sim received: GET /BackupRestore/Generic?api-version=6.2-preview content-length=0 body=



=== TEST 46: with sf_backup_gate off nothing is governed
--- config
    location / {
        sf_backup_gate off;
        sf_backup_policies DailyAzureBackupPolicy;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1DAAE3F5-7FD6-42E9-B1BA-8C05F873994D/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"WeeklyBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- error_log
sf-sim received: POST /Partitions/1DAAE3F5-7FD6-42E9-B1BA-8C05F873994D/$/EnableBackup?api-version=6.2-preview content-length=41 body={"BackupPolicyName":"WeeklyBackupPolicy"}
