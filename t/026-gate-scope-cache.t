# Team scope's partition cache with a master and two workers, as in
# production: many concurrent first requests for one partition make one
# GetServiceName lookup, whichever worker each lands on; the answer serves
# every later request of both workers and survives "nginx -s reload"; the
# metrics count the hits and the one miss.
#
# Not a Test::Nginx data file: it runs its own nginx (master, workers and
# reload are what is tested), with TEST_NGINX_BINARY and
# TEST_NGINX_LOAD_MODULES as the other suites do, on TEST_NGINX_SIM_PORT
# + 1 (the cluster double) and + 2 (the gate).
use strict;
use warnings;

use Cwd qw(abs_path);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use IO::Select;
use IO::Socket::INET;
use Test::More;
use Time::HiRes qw(sleep time);

use lib dirname(abs_path(__FILE__)) . '/lib';
use SfbHarness::Standalone qw(run write_file slurp wait_for_pid wait_for_port
                              wait_for_exit);

my $top = abs_path(dirname(__FILE__) . '/..');
my $nginx = $ENV{TEST_NGINX_BINARY} || 'nginx';
my $conf_dir = $ENV{TEST_NGINX_CONF_DIR} || "$top/conf";
my @modules = grep { length } split /\s+/, $ENV{TEST_NGINX_LOAD_MODULES} || '';

plan skip_all => 'TEST_NGINX_LOAD_MODULES does not name the module'
    unless grep { /ngx_http_sf_backup_gate_module\.so$/ } @modules;

my $base = $ENV{TEST_NGINX_SIM_PORT} || 1985;
my ($sim_port, $port) = ($base + 1, $base + 2);
my $dir = tempdir('sfb-scope-cache-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my $master;

my $A = '1daae3f5-7fd6-42e9-b1ba-8c05f873994d';      # fabric:/TeamA/...
my $B = '6c3d0a10-4a4b-4c5e-9f1a-2b3c4d5e6f70';      # fabric:/TeamB/...
my $SLOW = '00000000-0000-0000-0000-000000000504';   # TeamA's, answers late

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


# --- 1. concurrent first requests: one lookup ------------------------------

my @batch = map { { path => get_backups($SLOW) } } 1 .. 40;

parallel(@batch);

is(scalar(grep { $_->{status} == 200 } @batch), 40,
   '40 concurrent first requests for a partition whose lookup takes '
   . '400 ms: all answered 200')
    or diag(join ' ', map { $_->{status} } @batch);
is(lookups($SLOW), 1, '... with one GetServiceName lookup at the cluster');

my %pids = map { (split ' ')[0] => 1 } grep { /$SLOW/ } lines('gate.log');
cmp_ok(scalar(keys %pids), '>=', 2,
       '... served by both workers (' . join(', ', sort keys %pids) . ')');
is(scalar(grep { /$SLOW 200 fabric:\/TeamA\/Orders\/Store$/ }
          lines('gate.log')), 40,
   '... each with the partition\'s service in $sf_backup_entity_name');


# --- 2. a cached answer serves every worker --------------------------------

for my $round (1 .. 3) {
    my @seq = map { { path => get_backups($A) } } 1 .. 10;
    parallel($_) for @seq;

    is(scalar(grep { $_->{status} == 200 } @seq), 10,
       "round $round: 10 requests for a partition in scope: 200");
}

is(lookups($A), 1, '30 requests, one lookup');

my @out = map { { path => get_backups($B) } } 1 .. 20;
parallel(@out);

is(scalar(grep { $_->{status} == 403 } @out), 20,
   '20 concurrent requests for another team\'s partition: 403');
is(lookups($B), 1, '... with one lookup');
is(scalar(grep { m{sf-sim received: GET /Partitions/$B/\$/GetBackups} }
          lines('error.log')), 0, '... none forwarded');

my $metrics = fetch('/metrics');
like($metrics, qr/^sf_backup_scope_cache_total\{result="miss"\} 3$/m,
     'metrics: three misses (one per partition)');
like($metrics, qr/^sf_backup_scope_cache_total\{result="hit"\} 87$/m,
     'metrics: 87 hits (39 + 29 + 19)');


# --- 3. across a reload ---------------------------------------------------

my @old = workers();

is((run($nginx, '-p', "$dir/", '-c', "$dir/conf/nginx.conf", '-s',
         'reload'))[0], 0, 'nginx -s reload');

wait_for_new_workers(@old);

my @after = map { { path => get_backups($_) } } ($A, $SLOW, $A, $SLOW) x 5;
parallel(@after);

is(scalar(grep { $_->{status} == 200 } @after), 20,
   'after the reload, the new workers answer 200');
is(lookups($A) + lookups($SLOW), 2, '... from the cache: no new lookup');

done_testing();

kill 'QUIT', $master;
wait_for_exit($master);


sub config {
    my $load = join '', map { "load_module $_;\n" } @modules;
    my $user = $> == 0 ? "user root;\n" : '';

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
        set \$sf_sim_slow_ms 400;
        include $conf_dir/sim/sf_cluster_sim.locations;
    }

    sf_backup_metrics_zone sfb_metrics 128k;

    log_format scope '\$pid \$sf_backup_entity_id \$status '
                     '\$sf_backup_entity_name';

    server {
        # reuseport: the kernel hands connections to both workers
        listen 127.0.0.1:$port reuseport backlog=1024;

        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_operations read;
        sf_backup_scope fabric:/TeamA;
        sf_backup_scope_resolve /sf_scope;
        sf_backup_scope_cache zone=sfb_scope:1m valid=1h;

        location / {
            access_log logs/gate.log scope;
            proxy_pass http://127.0.0.1:$sim_port;
            proxy_read_timeout 5s;
        }

        location /sf_scope/ {
            internal;
            proxy_pass http://127.0.0.1:$sim_port/;
            proxy_pass_request_headers off;
            proxy_read_timeout 5s;
        }

        location = /metrics {
            sf_backup_gate off;
            sf_backup_metrics;
        }
    }
}
_EOC_
}


sub get_backups {
    return "/Partitions/$_[0]/\$/GetBackups?api-version=6.2-preview";
}


# GetServiceName requests the cluster double received for a partition
sub lookups {
    my ($id) = @_;

    return scalar grep { m{sf-sim received: GET /Partitions/$id/\$/GetServiceName} }
                  lines('error.log');
}


sub lines {
    my ($name) = @_;
    open my $in, '<', "$dir/logs/$name" or return ();
    my @l = <$in>;
    chomp @l;
    return @l;
}


# Sends every request at once, each on its own connection, then reads
# every answer.
sub parallel {
    my (@reqs) = @_;
    my $sel = IO::Select->new;
    my %conn;
    my $deadline = time + 30;

    for my $r (@reqs) {
        my $s = IO::Socket::INET->new("127.0.0.1:$port")
            or die "connect: $!";

        print $s "GET $r->{path} HTTP/1.1\r\nHost: localhost\r\n"
                 . "Connection: close\r\n\r\n";

        $r->{status} = 0;
        $r->{raw} = '';
        $conn{fileno $s} = [$s, $r];
        $sel->add($s);
    }

    while ($sel->count && time < $deadline) {
        for my $s ($sel->can_read(1)) {
            my $r = $conn{fileno $s}[1];
            my $n = sysread $s, my $buf, 65536;

            if ($n) {
                $r->{raw} .= $buf;
                next;
            }

            $sel->remove($s);
            close $s;

            ($r->{status}) = $r->{raw} =~ m{\AHTTP/1\.1 (\d{3})};
            $r->{status} //= 0;
        }
    }

    sleep 0.1;
}


sub fetch {
    my ($path) = @_;
    my $r = { path => $path };

    parallel($r);

    return $r->{raw};
}


sub workers {
    return sort grep { /^\d+$/ } split /\s+/, qx{ps -o pid= --ppid $master};
}


sub wait_for_new_workers {
    my (@old) = @_;
    my %old = map { $_ => 1 } @old;

    for (1 .. 200) {
        my @now = workers();
        return if @now == 2 && !grep { $old{$_} } @now;
        sleep 0.05;
    }

    diag('the old workers did not all exit');
}
