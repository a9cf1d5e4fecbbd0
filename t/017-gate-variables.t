# The $sf_backup_* variables, for composition with other nginx modules:
# add_header, access_log, map, and limit_req keyed on the entity id.  They
# are empty for requests the gate does not govern.

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

    log_format sfb "$request_method $sf_backup_entity|$sf_backup_entity_id|$sf_backup_policy|$sf_backup_api_version|$sf_backup_timeout|$sf_backup_decision|$sf_backup_reason|$sf_backup_identity $status";

    map $sf_backup_reason $sfb_class {
        allowed             ok;
        policy_not_allowed  forbidden;
        ""                  none;
        default             invalid;
    }

    limit_req_zone $sf_backup_entity_id zone=per_entity:1m rate=1r/m;
_EOC_

my $gate = <<'_EOC_';
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_identity $http_x_team;

        add_header X-Entity "[$sf_backup_entity]" always;
        add_header X-Entity-Id "[$sf_backup_entity_id]" always;
        add_header X-Policy "[$sf_backup_policy]" always;
        add_header X-Api-Version "[$sf_backup_api_version]" always;
        add_header X-Timeout "[$sf_backup_timeout]" always;
        add_header X-Decision "[$sf_backup_decision]" always;
        add_header X-Reason "[$sf_backup_reason]" always;
        add_header X-Identity "[$sf_backup_identity]" always;
        add_header X-Class "[$sfb_class]" always;
        access_log logs/access.log sfb;

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

=== TEST 1: an allowed call: every variable, in canonical form, in add_header and access_log
--- request
POST /Partitions/1DAAE3F5-7FD6-42E9-B1BA-8C05F873994D/$/EnableBackup?api-version=6.2-preview&timeout=0030
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
X-Team: team-a
--- error_code: 202
--- response_headers
X-Entity: [partition]
X-Entity-Id: [1daae3f5-7fd6-42e9-b1ba-8c05f873994d]
X-Policy: [DailyAzureBackupPolicy]
X-Api-Version: [6.2-preview]
X-Timeout: [30]
X-Decision: [allow]
X-Reason: [allowed]
X-Identity: [team-a]
X-Class: [ok]
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview&timeout=30 content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}
--- access_log
POST partition|1daae3f5-7fd6-42e9-b1ba-8c05f873994d|DailyAzureBackupPolicy|6.2-preview|30|allow|allowed|team-a 202



=== TEST 2: a denied call: the decision, the reason and the policy asked for
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"WeeklyBackupPolicy"}
--- more_headers
Content-Type: application/json
X-Team: team-b
--- error_code: 403
--- response_headers
X-Entity: [partition]
X-Entity-Id: [1daae3f5-7fd6-42e9-b1ba-8c05f873994d]
X-Policy: [WeeklyBackupPolicy]
X-Api-Version: [6.2-preview]
X-Timeout: []
X-Decision: [deny]
X-Reason: [policy_not_allowed]
X-Identity: [team-b]
X-Class: [forbidden]
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"Backup policy 'WeeklyBackupPolicy' is not allowed for caller 'team-b'\.[^"]*"\}\}$
--- access_log
POST partition|1daae3f5-7fd6-42e9-b1ba-8c05f873994d|WeeklyBackupPolicy|6.2-preview|-|deny|policy_not_allowed|team-b 403



=== TEST 3: a service id from several segments, "~"-joined
--- request
POST /services/MyApp/MySvc/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
X-Team: team-a
--- error_code: 202
--- response_headers
X-Entity: [service]
X-Entity-Id: [MyApp~MySvc]
X-Policy: [DailyAzureBackupPolicy]
X-Api-Version: [6.2-preview]
X-Timeout: []
X-Decision: [allow]
X-Reason: [allowed]
X-Identity: [team-a]
X-Class: [ok]
--- error_log
sf-sim received: POST /Services/MyApp~MySvc/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 4: an application call refused for its query: what was parsed so far
--- request
POST /Applications/MyApp/$/EnableBackup?api-version=7.0
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
X-Team: team-a
--- error_code: 400
--- response_headers
X-Entity: [application]
X-Entity-Id: [MyApp]
X-Policy: []
X-Api-Version: []
X-Timeout: []
X-Decision: [deny]
X-Reason: [api_version_unsupported]
X-Identity: []
X-Class: [invalid]
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"[^"]*api-version[^"]*"\}\}$
--- access_log
POST application|MyApp|-|-|-|deny|api_version_unsupported|- 400



=== TEST 5: a bad partition id: the entity without an id
--- request
POST /Partitions/nope/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
X-Team: team-a
--- error_code: 400
--- response_headers
X-Entity: [partition]
X-Entity-Id: []
X-Policy: []
X-Api-Version: []
X-Timeout: []
X-Decision: [deny]
X-Reason: [partition_id_invalid]
X-Identity: []
X-Class: [invalid]
--- response_body_like: ^\{"Error":\{"Code":"E_INVALIDARG","Message":"The partition id must be a UUID[^"]*"\}\}$



=== TEST 6: a caller without identity
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 403
--- response_headers
X-Entity: [partition]
X-Entity-Id: [1daae3f5-7fd6-42e9-b1ba-8c05f873994d]
X-Policy: []
X-Api-Version: [6.2-preview]
X-Timeout: []
X-Decision: [deny]
X-Reason: [identity_missing]
X-Identity: []
X-Class: [invalid]
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"The caller could not be identified\.[^"]*"\}\}$



=== TEST 7: the closed BackupRestore passthrough
--- request
GET /BackupRestore/Generic
--- error_code: 403
--- response_headers
X-Entity: [backup_restore]
X-Entity-Id: []
X-Policy: []
X-Api-Version: []
X-Timeout: []
X-Decision: [deny]
X-Reason: [backup_restore_closed]
X-Identity: []
X-Class: [invalid]
--- response_body_like: ^\{"Error":\{"Code":"E_ACCESSDENIED","Message":"The BackupRestore API[^"]*"\}\}$
--- access_log
GET backup_restore|-|-|-|-|deny|backup_restore_closed|- 403



=== TEST 8: a request the gate does not govern: every variable is empty
--- request
GET /$/GetClusterVersion?api-version=6.0
--- more_headers
X-Team: team-a
--- error_code: 200
--- response_headers
X-Entity: []
X-Entity-Id: []
X-Policy: []
X-Api-Version: []
X-Timeout: []
X-Decision: []
X-Reason: []
X-Identity: []
X-Class: [none]
--- error_log
sf-sim received: GET /$/GetClusterVersion?api-version=6.0 content-length=0 body=
--- access_log
GET -|-|-|-|-|-|-|- 200



=== TEST 9: where the gate is off, every variable is empty
--- config
    location / {
        sf_backup_policies DailyAzureBackupPolicy;
        add_header X-Entity "[$sf_backup_entity]" always;
        add_header X-Entity-Id "[$sf_backup_entity_id]" always;
        add_header X-Decision "[$sf_backup_decision]" always;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request
POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview
{"BackupPolicyName":"DailyAzureBackupPolicy"}
--- more_headers
Content-Type: application/json
--- error_code: 202
--- response_headers
X-Entity: []
X-Entity-Id: []
X-Decision: []
--- error_log
sf-sim received: POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview content-length=45 body={"BackupPolicyName":"DailyAzureBackupPolicy"}



=== TEST 10: limit_req keyed on $sf_backup_entity_id: one call per minute per partition, however spelled
--- config
    location / {
        limit_req zone=per_entity;
        limit_req_status 429;

        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        add_header X-Upstream "[$upstream_addr]" always;
        proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
    }
--- request eval
[
    "POST /Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/\$/EnableBackup?api-version=6.2-preview\n{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
    "POST /partitions/1DAAE3F5-7FD6-42E9-B1BA-8C05F873994D/\$/enablebackup/?api-version=6.2-preview\n{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
    "POST /Partitions/00000000-0000-0000-0000-0000000000a2/\$/EnableBackup?api-version=6.2-preview\n{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}",
]
--- more_headers eval
["Content-Type: application/json", "Content-Type: application/json", "Content-Type: application/json"]
--- error_code eval
[202, 429, 202]
--- response_headers eval
[
    "X-Upstream: [127.0.0.1:$ENV{TEST_NGINX_SIM_PORT}]",
    "X-Upstream: []\nContent-Type: application/json; charset=utf-8",
    "X-Upstream: [127.0.0.1:$ENV{TEST_NGINX_SIM_PORT}]",
]
--- response_body_like eval
[
    qr/^$/,
    qr/^\{"Error":\{"Code":"E_INVALIDARG","Message":"[^"]*"\}\}$/,
    qr/^$/,
]
