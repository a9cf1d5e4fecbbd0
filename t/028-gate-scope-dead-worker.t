# Team scope's partition cache when the request that asks the cluster is
# not there to answer: a worker killed (SIGKILL) while its lookup is
# pending leaves no wait behind, as the next call on that partition, on
# another worker, takes the lookup over and asks itself (and says so in
# the error log); and a call waiting on another's lookup waits no longer
# than its own lookup may take (its resolve location's proxy timeouts),
# then is refused as that lookup's timeout would refuse it.
#
# The lookups go to an upstream this test holds: it reads each lookup (with
# the worker that sent it, a header of the resolve location) and answers
# it, or not.  Not a Test::Nginx data file: it runs its own nginx (a master
# and two workers, one of them killed), with TEST_NGINX_BINARY and
# TEST_NGINX_LOAD_MODULES as the other suites do.
use strict;
use warnings;

use Cwd qw(abs_path);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use IO::Select;
use IO::Socket::INET;
use JSON::PP;
use Test::More;
use Time::HiRes qw(sleep time);

use lib dirname(abs_path(__FILE__)) . '/lib';
use SfbHarness::Standalone qw(write_file slurp wait_for_pid wait_for_port
                              wait_for_exit);

my $top = abs_path(dirname(__FILE__) . '/..');
my $nginx = $ENV{TEST_NGINX_BINARY} || 'nginx';
my $conf_dir = $ENV{TEST_NGINX_CONF_DIR} || "$top/conf";
my @modules = grep { length } split /\s+/, $ENV{TEST_NGINX_LOAD_MODULES} || '';

plan skip_all => 'TEST_NGINX_LOAD_MODULES does not name the module'
    unless grep { /ngx_http_sf_backup_gate_module\.so$/ } @modules;

my $dir = tempdir('sfb-scope-dead-worker-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my ($port, $quick_port, $sim_port) = map { free_port() } 1 .. 3;
# the cluster for the lookups: the kernel accepts, the test answers
my $cluster = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
                                    Listen => 16, ReuseAddr => 1)
    or die "listening socket: $!";
my $cluster_port = $cluster->sockport;
my $master;

my $A = '1daae3f5-7fd6-42e9-b1ba-8c05f873994d';   # fabric:/TeamA/Orders/Store
my $D = '2a7e5c10-9b1d-4c3e-8f2a-6b5d4c3b2a19';   # fabric:/TeamA/Reports/Daily

mkdir "$dir/$_" or die "mkdir $dir/$_: $!" for qw(conf logs);
write_file("$dir/conf/nginx.conf", config());

END {
    kill 'KILL', $master if $master && kill 0, $master;
}

ok(system($nginx, '-p', "$dir/", '-c', "$dir/conf/nginx.conf") == 0,
   'nginx starts with a master and two workers')
    or BAIL_OUT('nginx did not start: ' . slurp("$dir/logs/error.log"));

$master = wait_for_pid($dir);
wait_for_port($port);
wait_for_port($quick_port);


# --- 1. the worker that asks is killed: the next call takes over --------

my $first = send_request($port, get_backups($A));
my $held = take_lookup(30)
    or BAIL_OUT('the first call asked the cluster nothing');

like($held->{line},
     qr{^GET /Partitions/$A/\$/GetServiceName\?api-version=6\.0 },
     'a first call for a partition asks the cluster its service, and the '
     . 'answer is held');

my $dead = $held->{pid};
ok(scalar(grep { $_ == $dead } workers()),
   "... by one of the two workers ($dead)");

kill 'KILL', $dead;
wait_until_gone($dead);

is(read_answer($first, 30)->{status}, 0,
   'that worker killed (SIGKILL): its call ends unanswered');

my $next = send_request($port, get_backups($A));
my $again = take_lookup(60);

ok($again, 'the next call on that partition asks the cluster again');
isnt($again && $again->{pid}, $dead, '... from a worker alive');
answer_lookup($again, 'fabric:/TeamA/Orders/Store') if $again;

my $answer = read_answer($next, 60);

is($answer->{status}, 200,
   '... and is answered (the cluster\'s GetBackups, 200)');
like($answer->{raw}, qr/"ServiceName":"fabric:\/TeamA\/Orders\/Store"/,
     '... with the partition\'s backups');
my $line = quotemeta "sf_backup: the lookup of partition \"$A\" was pending"
                     . " in worker $dead, which is gone; this request asks"
                     . ' the cluster itself';
like(slurp("$dir/logs/error.log"), qr/\[warn\] \d+#\d+: \*\d+ $line/,
     'the error log names the partition and the dead worker, at warn');

my @records = records_of($A);

is(scalar(@records), 1,
   'one audit record for that partition: the next call\'s (the killed '
   . 'worker\'s call has none)');
is(join(' ', map { $_ // 'null' } @{$records[0] || {}}
                                    {qw(decision reason status entity_name)}),
   'allow allowed 200 fabric:/TeamA/Orders/Store',
   '... allowed, 200, with the service the cluster named');

$held->{socket}->close;


# --- 2. a wait no longer than the waiter's own lookup may take ---------

# a lookup from the first server, whose lookups may take 7 min, is held;
# the second server's calls share the cache, and their lookups may take
# 3 s (proxy_connect_timeout + proxy_send_timeout + proxy_read_timeout)

my $slow = send_request($port, get_backups($D));
my $pending = take_lookup(30)
    or BAIL_OUT('the call asked the cluster nothing');

like($pending->{line}, qr{^GET /Partitions/$D/\$/GetServiceName},
     'another partition\'s lookup is held, its worker alive');

my $waiter = send_request($quick_port, get_backups($D));
$answer = read_answer($waiter, 25);

is($answer->{status}, 503,
   'a call waiting on it whose own lookup may take 3 s: 503');
like($answer->{raw}, qr/"Code":"FABRIC_E_SERVICE_OFFLINE"/,
     '... FABRIC_E_SERVICE_OFFLINE, as its own lookup\'s timeout');
ok(!IO::Select->new($cluster)->can_read(0),
   '... without a lookup of its own');
$line = quotemeta("sf_backup: the service of partition \"$D\" could not be"
                  . ' resolved through "/sf_scope": another request\'s lookup'
                  . ' did not answer in ')
         . '\d+' . quotemeta(' ms, what a lookup may take; the request is'
                             . ' refused');
like(slurp("$dir/logs/error.log"), qr/\[error\] \d+#\d+: \*\d+ $line/,
     '... and an error-log line that says why');

@records = records_of($D);

is(scalar(@records), 1, '... recorded');
is(join(' ', map { $_ // 'null' } @{$records[0] || {}}
                                    {qw(decision reason status)}),
   'deny scope_unresolved 503', '... deny, scope_unresolved, 503');

done_testing();

kill 'TERM', $master;
wait_for_exit($master);


sub config {
    my $load = join '', map { "load_module $_;\n" } @modules;
    my $user = $> == 0 ? "user root;\n" : '';
    my $gate = <<'_EOG_';
        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_operations read;
        sf_backup_scope fabric:/TeamA;
        sf_backup_scope_resolve /sf_scope;
        sf_backup_scope_cache zone=sfb_scope:1m valid=1h;
        sf_backup_audit_log logs/audit.log;
_EOG_

    return <<"_EOC_";
$load
$user
master_process on;
worker_processes 2;
daemon on;
error_log logs/error.log warn;
pid logs/nginx.pid;

events {
    worker_connections 1024;
    accept_mutex off;
}

http {
    access_log off;

    js_path "$conf_dir/sim";
    js_import sfsim from sf_cluster_sim.js;

    server {
        listen 127.0.0.1:$sim_port;
        set \$sf_sim_state_dir $dir/logs;
        include $conf_dir/sim/sf_cluster_sim.locations;
    }

    server {
        listen 127.0.0.1:$port reuseport;
$gate
        location / {
            proxy_pass http://127.0.0.1:$sim_port;
        }

        location /sf_scope/ {
            internal;
            proxy_pass http://127.0.0.1:$cluster_port/;
            proxy_pass_request_headers off;
            proxy_set_header X-Gate-Pid \$pid;
            proxy_read_timeout 300s;
        }
    }

    server {
        listen 127.0.0.1:$quick_port reuseport;
$gate
        location / {
            proxy_pass http://127.0.0.1:$sim_port;
        }

        location /sf_scope/ {
            internal;
            proxy_pass http://127.0.0.1:$cluster_port/;
            proxy_pass_request_headers off;
            proxy_set_header X-Gate-Pid \$pid;
            proxy_connect_timeout 1s;
            proxy_send_timeout 1s;
            proxy_read_timeout 1s;
        }
    }
}
_EOC_
}


sub get_backups {
    return "/Partitions/$_[0]/\$/GetBackups?api-version=6.2-preview";
}


# a lookup the cluster received within $timeout seconds: its request line,
# the worker that sent it and its socket, still open; undef if none came
sub take_lookup {
    my ($timeout) = @_;

    return undef unless IO::Select->new($cluster)->can_read($timeout);

    my $s = $cluster->accept or return undef;
    my $sel = IO::Select->new($s);
    my $head = '';
    my $deadline = time + 10;

    while ($head !~ /\r\n\r\n/ && time < $deadline) {
        last unless $sel->can_read(1) && sysread $s, $head, 4096, length $head;
    }

    my ($line) = $head =~ /\A([^\r\n]*)/;
    my ($pid) = $head =~ /^X-Gate-Pid: (\d+)\r$/mi;

    return { socket => $s, line => $line // '', pid => $pid // 0 };
}


sub answer_lookup {
    my ($lookup, $name) = @_;
    my $body = encode_json({ Id => 'TeamA~Orders~Store', Name => $name });

    print { $lookup->{socket} } "HTTP/1.0 200 OK\r\n"
        . "Content-Type: application/json; charset=utf-8\r\n"
        . 'Content-Length: ' . length($body) . "\r\n\r\n$body";
    $lookup->{socket}->close;
}


sub send_request {
    my ($to, $path) = @_;
    my $s = IO::Socket::INET->new("127.0.0.1:$to") or die "connect: $!";

    print $s "GET $path HTTP/1.1\r\nHost: localhost\r\n"
             . "Connection: close\r\n\r\n";

    return $s;
}


# status 0: the connection ended without an answer, or none came in time
sub read_answer {
    my ($s, $timeout) = @_;
    my $sel = IO::Select->new($s);
    my $raw = '';
    my $deadline = time + $timeout;

    while (time < $deadline) {
        next unless $sel->can_read(1);
        last unless sysread $s, $raw, 65536, length $raw;
    }

    close $s;

    my ($status) = $raw =~ m{\AHTTP/1\.1 (\d{3})};

    return { status => $status // 0, raw => $raw };
}


# the audit records of a partition's calls, once there is one (records
# leave with the end of an event loop turn)
sub records_of {
    my ($id) = @_;
    my @r;

    for (1 .. 100) {
        if (open my $in, '<', "$dir/logs/audit.log") {
            @r = grep { $_->{entity_id} eq $id }
                 map { decode_json($_) } grep { /^\{/ } <$in>;
        }

        last if @r;
        sleep 0.05;
    }

    return @r;
}


sub workers {
    return grep { /^\d+$/ } split /\s+/, qx{ps -o pid= --ppid $master};
}


sub wait_until_gone {
    my ($pid) = @_;

    for (1 .. 200) {
        return unless kill 0, $pid;
        sleep 0.05;
    }

    diag("worker $pid is still there");
}


sub free_port {
    my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
                                  Listen => 1)
        or die "free port: $!";
    return $s->sockport;
}
