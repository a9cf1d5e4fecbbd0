# A policy read for a caller without the policy operation is held whole to
# have its storage secrets masked: up to 1 MiB, whether the cluster says its
# length or sends it chunked (the hold grows as the answer comes); one that
# is longer, or is not JSON, is not sent at all (502, a FabricError).  The
# "cluster" here serves prepared answers: X-Answer names the file, and the
# one on SIM_PORT + 1 sends it chunked.
use Test::Nginx::Socket 'no_plan';

$ENV{TEST_NGINX_SIM_PORT} ||= 1985;
$ENV{TEST_NGINX_CHUNKED_PORT} ||= $ENV{TEST_NGINX_SIM_PORT} + 1;

our $Q = 'api-version=6.2-preview';
our $Limit = 1024 * 1024;

# a policy list of n items, each with an account key "KEY-<i>-SECRET"
sub policies {
    my ($n) = @_;
    my @items = map {
        qq({"Name":"P$_","AutoRestoreOnDataLoss":false,)
        . qq("MaxIncrementalBackups":3,"Schedule":{"ScheduleKind":)
        . qq("FrequencyBased","Interval":"PT4H"},"Storage":{"StorageKind":)
        . qq("AzureBlobStore","FriendlyName":"","ConnectionString":)
        . qq("DefaultEndpointsProtocol=https;AccountName=acct$_;)
        . qq(AccountKey=KEY-$_-SECRET;EndpointSuffix=core.windows.net",)
        . qq("ContainerName":"c$_"}})
    } 1 .. $n;
    return qq({"ContinuationToken":"","Items":[) . join(',', @items) . ']}';
}

# padded with trailing white space (still JSON) to exactly len bytes
sub padded {
    my ($json, $len) = @_;
    die "too long already" if length($json) > $len;
    return $json . (' ' x ($len - length $json));
}

our $Medium = policies(700);                     # about 200 KiB
our $Exact = padded(policies(2900), $Limit);
our $Over = padded(policies(2900), $Limit + 1);

# the list shows a caller only the policies it uses or owns: these.  Cut
# and then masked, 1 MiB is parsed twice; under the sanitizers the 1 MiB
# blocks once missed the harness's default 3 s (alone they take well under
# one), hence their own timeout: speed is scripts/bench's to measure
our $Names = join ' ', map { "P$_" } 1 .. 2900;

our @Files = (['medium.json', $Medium], ['exact.json', $Exact],
              ['over.json', $Over], ['html.json', "<html>oops</html>\n"]);

add_block_preprocessor(sub {
    my $block = shift;
    my $port = $block->chunked ? '$TEST_NGINX_CHUNKED_PORT'
                               : '$TEST_NGINX_SIM_PORT';

    $block->set_value('http_config', <<'_EOC_');
    server {
        listen 127.0.0.1:$TEST_NGINX_SIM_PORT;
        default_type application/json;
        location / {
            root html;
            try_files /$http_x_answer =404;
        }
    }

    server {
        listen 127.0.0.1:$TEST_NGINX_CHUNKED_PORT;
        default_type application/json;
        location / {
            proxy_pass http://127.0.0.1:$TEST_NGINX_SIM_PORT;
            # SSI (in every nginx; the answers include nothing) drops
            # Content-Length: chunked, length unknown
            ssi on;
            ssi_types application/json;
        }
    }
_EOC_

    $block->set_value('config', <<"_EOC_");
    location / {
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy $Names;
        sf_backup_audit_log logs/audit.log;
        proxy_http_version 1.1;
        proxy_pass http://127.0.0.1:$port;
    }
    location = /audit {
        alias logs/audit.log;
    }
_EOC_

    $block->set_value('user_files', [map { [@$_] } @main::Files]);
    $block->set_value('request',
                      "GET /BackupRestore/BackupPolicies?$main::Q")
        unless defined $block->request;
});

no_shuffle();
no_root_location();
log_level('warn');
run_tests();

__DATA__

=== TEST 1: a policy read of 200 KiB with its length said: every key masked, every item there
--- more_headers
X-Answer: medium.json
--- error_code: 200
--- response_body_like: ^\{"ContinuationToken":"","Items":\[\{"Name":"P1",.*"Name":"P700",[^\]]*AccountKey=\*\*\*\*;EndpointSuffix=core\.windows\.net","ContainerName":"c700"\}\}\]\}$
--- response_body_unlike: SECRET
--- no_error_log
could not be masked



=== TEST 2: the same read sent chunked: the hold grows, every key masked, every item there
--- chunked: 1
--- more_headers
X-Answer: medium.json
--- error_code: 200
--- response_body_like: ^\{"ContinuationToken":"","Items":\[\{"Name":"P1",.*"Name":"P700",[^\]]*AccountKey=\*\*\*\*;EndpointSuffix=core\.windows\.net","ContainerName":"c700"\}\}\]\}$
--- response_body_unlike: SECRET
--- no_error_log
could not be masked



=== TEST 3: exactly 1 MiB with its length said: masked whole
--- timeout: 10
--- more_headers
X-Answer: exact.json
--- error_code: 200
--- response_body_like: "Name":"P2900",[^\]]*AccountKey=\*\*\*\*;EndpointSuffix=core\.windows\.net","ContainerName":"c2900"\}\}\]\}$
--- response_body_unlike: SECRET
--- no_error_log
could not be masked



=== TEST 4: exactly 1 MiB sent chunked: masked whole
--- timeout: 10
--- chunked: 1
--- more_headers
X-Answer: exact.json
--- error_code: 200
--- response_body_like: "Name":"P2900",[^\]]*AccountKey=\*\*\*\*;EndpointSuffix=core\.windows\.net","ContainerName":"c2900"\}\}\]\}$
--- response_body_unlike: SECRET
--- no_error_log
could not be masked



=== TEST 5: a byte over 1 MiB with its length said: not sent, a FabricError
--- more_headers
X-Answer: over.json
--- error_code: 502
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_COMMUNICATION_ERROR","Message":"The cluster's answer to this policy read is longer than the gateway holds to mask its secrets, so it was not sent \(request id [0-9a-f]{32}\)\."\}\}$
--- response_body_unlike: SECRET
--- error_log
a policy read could not be masked (longer than the gateway holds), it was not sent



=== TEST 6: a byte over 1 MiB sent chunked: not sent, a FabricError
--- chunked: 1
--- more_headers
X-Answer: over.json
--- error_code: 502
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_COMMUNICATION_ERROR","Message":"The cluster's answer to this policy read is longer than the gateway holds to mask its secrets, so it was not sent \(request id [0-9a-f]{32}\)\."\}\}$
--- response_body_unlike: SECRET
--- error_log
a policy read could not be masked (longer than the gateway holds), it was not sent



=== TEST 7: an answer that is not JSON: not sent, a FabricError
--- chunked: 1
--- more_headers
X-Answer: html.json
--- error_code: 502
--- response_body_like: ^\{"Error":\{"Code":"FABRIC_E_COMMUNICATION_ERROR","Message":"The cluster's answer to this policy read is not JSON, so the gateway could not mask its secrets and did not send it \(request id [0-9a-f]{32}\)\."\}\}$
--- response_body_unlike: oops
--- error_log
a policy read could not be masked (not JSON), it was not sent



=== TEST 8: the record of a read not sent says 502, and what the client was told
--- more_headers
X-Answer: over.json
--- request eval
["GET /BackupRestore/BackupPolicies?$main::Q", "GET /audit"]
--- error_code eval
[502, 200]
--- response_body_like eval
[qr/"Code":"FABRIC_E_COMMUNICATION_ERROR"/,
qr/^\{"time":"[^"]+","request_id":"[0-9a-f]{32}",.*"operation":"read",.*"decision":"allow","reason":"[a-z_]+","status":502,"upstream_status":"200",.*"phase":"outcome"/]
