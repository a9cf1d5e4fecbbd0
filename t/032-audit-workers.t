# The audit log with a master and two workers, as in production: under a few
# hundred concurrent requests the file holds whole lines only, one per
# governed request answered; "nginx -s reopen" after a rotation starts new
# chains in the new file and both files verify together; a cut file is a
# truncation; a client that leaves mid-body and a request abandoned by a
# fast shutdown are recorded; the key is read once; syslog works.
#
# Not a Test::Nginx data file: it runs its own nginx (the master-process
# lifecycle is what is tested), with TEST_NGINX_BINARY and
# TEST_NGINX_LOAD_MODULES as the other suites do, and checks the chains
# with scripts/audit-verify.
use strict;
use warnings;

use Cwd qw(abs_path);
use Digest::SHA qw(hmac_sha256_hex);
use File::Basename qw(dirname);
use File::Copy qw(copy);
use File::Temp qw(tempdir);
use IO::Select;
use IO::Socket::INET;
use JSON::PP;
use Test::More;
use Time::HiRes qw(sleep time);
use Time::Local qw(timegm);

use lib dirname(abs_path(__FILE__)) . '/lib';
use SfbHarness::Standalone qw(run write_file slurp wait_for_pid wait_for_port
                              wait_for_exit);

my $top = abs_path(dirname(__FILE__) . '/..');
my $nginx = $ENV{TEST_NGINX_BINARY} || 'nginx';
my $conf_dir = $ENV{TEST_NGINX_CONF_DIR} || "$top/conf";
my $verify = "$top/scripts/audit-verify";
my @modules = grep { length } split /\s+/, $ENV{TEST_NGINX_LOAD_MODULES} || '';

plan skip_all => 'TEST_NGINX_LOAD_MODULES does not name the module'
    unless grep { /ngx_http_sf_backup_gate_module\.so$/ } @modules;

my $dir = tempdir('sfb-audit-workers-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my ($port, $sim_port) = (free_port('tcp'), free_port('tcp'));
my $udp = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
                                Proto => 'udp')
    or die "udp socket: $!";
my $udp_port = $udp->sockport;
# an upstream that accepts (the kernel does it) and never answers, and does
# not go away when nginx is told to stop, as the simulator in it would
my $hole = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
                                 Listen => 16)
    or die "listening socket: $!";
my $hole_port = $hole->sockport;
my $master;

mkdir "$dir/$_" or die "mkdir $dir/$_: $!" for qw(conf logs);

key("$dir/conf/audit.key", 'a' x 64);
copy("$dir/conf/audit.key", "$dir/original.key") or die "copy: $!";
chmod 0600, "$dir/original.key";

write_file("$dir/conf/nginx.conf", config());

END {
    # never leave an nginx behind, whatever failed
    kill 'KILL', $master if $master && kill 0, $master;
}

ok(system($nginx, '-p', "$dir/", '-c', "$dir/conf/nginx.conf") == 0,
   'nginx starts with a master and two workers')
    or BAIL_OUT('nginx did not start: ' . slurp("$dir/logs/error.log"));

$master = wait_for_pid($dir);
wait_for_port($port);

# the key is read once, at configuration time: changing the file now changes
# nothing (the records below verify with the original key)
key("$dir/conf/audit.key", 'b' x 64);


# --- 1. two workers under parallel load --------------------------------

my @batch;

for my $i (1 .. 150) {
    push @batch, { want => 202, team => "load-allow-$i",
                   path => partition('1daae3f5-7fd6-42e9-b1ba-8c05f873994d'),
                   body => '{"BackupPolicyName":"DailyAzureBackupPolicy"}' };
    push @batch, { want => 403, team => "load-deny-$i",
                   path => partition('1daae3f5-7fd6-42e9-b1ba-8c05f873994d'),
                   body => '{"BackupPolicyName":"WeeklyBackupPolicy"}' };
    push @batch, { want => 400, team => "load-bad-$i",
                   path => partition('1daae3f5-7fd6-42e9-b1ba-8c05f873994d')
                           . '&timeout=0',
                   body => '{"BackupPolicyName":"DailyAzureBackupPolicy"}' };
}

push @batch, { want => 200, team => 'not-governed',
               path => '/$/GetClusterVersion?api-version=6.0', get => 1 }
    for 1 .. 20;

parallel(@batch);

is(scalar(grep { $_->{status} == $_->{want} } @batch), scalar @batch,
   'all ' . scalar(@batch) . ' concurrent requests answered as expected')
    or diag(join ' ', map { "$_->{team}:$_->{status}" }
                      grep { $_->{status} != $_->{want} } @batch);

my @lines = audit_lines("$dir/logs/audit.log");
my @recs = records(@lines);

is(scalar(grep { !/\n\z/ } @lines), 0, 'every line ends with a newline');
is(scalar @recs, scalar @lines, 'every line is one whole JSON record');
is(scalar @recs, 450, 'one record per governed request answered (450), '
                      . 'none for the 20 ungoverned ones');

my %chains = map { $_->{chain} => 1 } @recs;
is(scalar keys %chains, 2, 'both workers wrote, each on its own chain');

my %ids = map { $_->{request_id} => 1 } @recs;
is(scalar keys %ids, 450, 'every record has a request_id of its own, across '
                          . 'both workers');

my %by_team = map { $_->{identity} => $_ } @recs;
is(scalar keys %by_team, 450, 'each request has exactly one record');

my $mismatch = grep {
    my $r = $by_team{$_->{team}};
    !$r || $r->{status} != $_->{want}
        || ($_->{id} && $r->{request_id} ne $_->{id})
} grep { !$_->{get} } @batch;

is($mismatch, 0, 'each record has the status and the X-Request-Id the '
                 . 'client got');

verify_ok('the file verifies', "$dir/original.key", "$dir/logs/audit.log");


# --- 2. rotation: rename, nginx -s reopen, new chains in the new file ------

rename "$dir/logs/audit.log", "$dir/logs/audit.log.1" or die "rename: $!";

# three times, as logrotate and an operator may: nginx opens each file anew
# before closing the old one, so descriptor numbers move round between the
# error log and the audit log, and by the third the audit log's is the one
# its chain started on again; still the records after must be a new chain
for my $i (1 .. 3) {
    is((run($nginx, '-p', "$dir/", '-c', "$dir/conf/nginx.conf", '-s',
             'reopen'))[0], 0, "nginx -s reopen ($i)");

    wait_for_file("$dir/logs/audit.log");
    sleep 0.3;   # the workers reopen when the master tells them
}

@batch = ();

for my $i (1 .. 20) {
    push @batch, { want => 202, team => "rotated-allow-$i",
                   path => partition('1daae3f5-7fd6-42e9-b1ba-8c05f873994d'),
                   body => '{"BackupPolicyName":"DailyAzureBackupPolicy"}' };
    push @batch, { want => 403, team => "rotated-deny-$i",
                   path => partition('1daae3f5-7fd6-42e9-b1ba-8c05f873994d'),
                   body => '{"BackupPolicyName":"WeeklyBackupPolicy"}' };
}

parallel(@batch);

my @old = records(audit_lines("$dir/logs/audit.log.1"));
my @new = records(audit_lines("$dir/logs/audit.log"));

is(scalar(grep { $_->{phase} ne 'end' } @old), 450,
   'the rotated file got nothing more');
is(scalar(grep { $_->{phase} eq 'end' && $_->{reason} eq 'reopen' } @old), 2,
   'but each worker\'s chain there ends with an end record (reopen), once');
is(scalar @new, 40, 'the new file has the 40 new records');
is(scalar(grep { $chains{$_->{chain}} } @new), 0,
   'the new file has new chains only');
is(scalar(grep { $_->{seq} == 1 && $chains{$_->{prev_chain} // ''} } @new),
   scalar(keys %{{ map { $_->{chain} => 1 } @new }}),
   'each new chain starts at seq 1 naming its worker\'s old chain');

verify_ok('both files verify together, --strict',
          "$dir/original.key", '--strict', "$dir/logs/audit.log.1",
          "$dir/logs/audit.log");


# --- 3. a file cut mid-line (as by kill -9 mid-write) is a truncation -----

copy("$dir/logs/audit.log", "$dir/cut.log") or die "copy: $!";
truncate "$dir/cut.log", (-s "$dir/cut.log") - 40 or die "truncate: $!";

my ($rc, $out) = run($verify, '--key', "$dir/original.key", "$dir/cut.log");

is($rc, 1, 'a cut file does not verify');
like($out, qr/cut\.log:40: truncated: last line has no newline \(\d+ bytes\): possible truncation/,
     'and the problem is named a truncation, not a forgery');


# --- 4. a client gone mid-body --------------------------------------------

{
    my $s = IO::Socket::INET->new("127.0.0.1:$port") or die "connect: $!";

    print $s 'POST ' . partition('1daae3f5-7fd6-42e9-b1ba-8c05f873994d')
             . " HTTP/1.1\r\nHost: localhost\r\nX-Team: gone-mid-body\r\n"
             . "Content-Type: application/json\r\nContent-Length: 100\r\n"
             . "\r\n{\"BackupPolicyName\"";
    sleep 0.2;
    close $s;
}

my ($gone) = wait_for_record("$dir/logs/audit.log", 'gone-mid-body');

ok($gone && $gone->{status} == 499 && $gone->{reason} eq 'client_closed'
   && $gone->{decision} eq 'deny' && $gone->{policy} eq ''
   && $gone->{phase} eq 'outcome',
   'a client gone mid-body: 499, client_closed')
    or diag(explain($gone));


# --- 5. syslog: one datagram per record, a syslog header, a verifiable body

@batch = map { { want => 202, team => "syslog-$_",
                 path => '/Services/app~svc/$/EnableBackup?api-version=6.2-preview',
                 body => '{"BackupPolicyName":"DailyAzureBackupPolicy"}' } }
         1 .. 3;

parallel(@batch);

my @grams = receive($udp, 3);

is(scalar @grams, 3, 'syslog: three datagrams');
is(scalar(grep { /\A<\d+>\w{3} [ \d]\d \d\d:\d\d:\d\d \S+ sfb_audit: \{"time":"[^\n]*\}\z/ } @grams),
   3, 'syslog: each is a syslog header and one record, no newline');

write_file("$dir/syslog.log",
           join '', map { (my $j = $_) =~ s/\A[^{]*//; "$j\n" } @grams);

verify_ok('syslog: the records verify', "$dir/original.key",
          "$dir/syslog.log");

is(scalar(grep { $_->{identity} =~ /^syslog-/ }
           records(audit_lines("$dir/logs/audit.log"))), 0,
   'syslog: nothing of it in the file');


# --- 6. a fast shutdown (SIGTERM) abandons a request: still recorded -------

my $slow = IO::Socket::INET->new("127.0.0.1:$port") or die "connect: $!";

print $slow 'POST ' . partition('00000000-0000-0000-0000-000000000504')
            . " HTTP/1.1\r\nHost: localhost\r\nX-Team: in-flight\r\n"
            . "Content-Type: application/json\r\nContent-Length: 45\r\n"
            . "Connection: close\r\n\r\n"
            . '{"BackupPolicyName":"DailyAzureBackupPolicy"}';

sleep 0.5;
kill 'TERM', $master;
wait_for_exit($master);
close $slow;

my ($flight) = grep { $_->{identity} eq 'in-flight' }
               records(audit_lines("$dir/logs/audit.log"));

ok($flight && $flight->{status} == 0 && $flight->{decision} eq 'allow'
   && $flight->{reason} eq 'allowed'
   && ($flight->{upstream_status} // '-') eq '-'
   && $flight->{phase} eq 'outcome',
   'a request in flight at SIGTERM: recorded, status 0 (nothing sent), '
   . 'no upstream status yet')
    or diag(explain($flight));

verify_ok('after all that, the files verify together, --strict',
          "$dir/original.key", '--strict', "$dir/logs/audit.log.1",
          "$dir/logs/audit.log");

unlike(slurp("$dir/logs/error.log"), qr/\[(?:alert|crit|emerg)\]/,
       'no alert in the error log');


# --- 7. generations: a full restart, a reload with a new key, a worker
# killed; every chain but the last named by a successor, and every cut seen

mkdir "$dir/keys" or die "mkdir: $!";
copy("$dir/original.key", "$dir/keys/a.key") or die "copy: $!";
copy("$dir/conf/audit.key", "$dir/keys/b.key") or die "copy: $!";
chmod 0600, glob "$dir/keys/*";
write_file("$dir/conf/nginx.conf",
           config() =~ s/^http \{\n/http {\n    sf_backup_audit_heartbeat 1s;\n/mr);

ok(system($nginx, '-p', "$dir/", '-c', "$dir/conf/nginx.conf") == 0,
   'nginx starts again (a full restart), heartbeat 1s');
$master = wait_for_pid($dir);
wait_for_port($port);

my @gen = map { { want => 202, team => "gen-$_",
                  path => partition('1daae3f5-7fd6-42e9-b1ba-8c05f873994d'),
                  body => '{"BackupPolicyName":"DailyAzureBackupPolicy"}' } }
          1 .. 20;

parallel(@gen);
sleep 1.5;

key("$dir/conf/audit.key", 'c' x 64);
copy("$dir/conf/audit.key", "$dir/keys/c.key") or die "copy: $!";
chmod 0600, "$dir/keys/c.key";

is((run($nginx, '-p', "$dir/", '-c', "$dir/conf/nginx.conf", '-s',
         'reload'))[0], 0, 'nginx -s reload with a new key');
sleep 1.5;
parallel(@gen);

my ($worker) = grep { /^\d+$/ } split /\s+/, qx{ps -o pid= --ppid $master};
ok($worker && kill('KILL', $worker), "a worker ($worker) killed with SIGKILL");
sleep 1.5;
parallel(@gen);
sleep 3.5;

# the operator knows the log is complete up to now, nginx running
my $until = qx{date -u +%Y-%m-%dT%H:%M:%S.%3NZ};
chomp $until;

kill 'QUIT', $master;
wait_for_exit($master);

my @all = records(audit_lines("$dir/logs/audit.log"));
my %named = map { ($_->{prev_chain} // '') => 1 } @all;
my @chains = do { my %seen; grep { !$seen{$_}++ } map { $_->{chain} } @all };
my $key_c = (grep { $_->{identity} =~ /^gen-/ } @all)[-1]{key_id};

ok(scalar(grep { $_->{key_id} eq $key_c && $_->{identity} =~ /^gen-/ } @all)
   >= 40, 'after the reload, the new workers seal with the new key');
# the workers alive at the end (two) exit together: their chains have no
# successor, but each ends with its end record; every other chain is named
my %last = map { $_->{chain} => $_ } @all;
my @unnamed = grep { !$named{$_} } @chains;
ok(@unnamed >= 1 && @unnamed <= 2
   && !grep({ $last{$_}{phase} ne 'end' } @unnamed),
   'every chain is named by a successor, but those of the workers that '
   . 'exited last, which end with their end record')
    or diag(scalar(@unnamed) . ' unnamed: '
            . join(', ', map { "$_ ($last{$_}{phase})" } @unnamed));
ok(scalar(grep { $_->{phase} eq 'heartbeat' } @all) >= 4,
   'live workers write heartbeats');

my @v = ('--key', "$dir/keys", '--strict', '--complete-until', $until,
         '--heartbeat', '1s');
my ($vrc, $vout) = run($verify, @v, "$dir/logs/audit.log.1",
                       "$dir/logs/audit.log");
is($vrc, 0, 'all of it verifies: three keys, --strict, --complete-until')
    or diag($vout);

# the reload's first worker of key c retired key b, naming the old workers'
# chains that wrote after it (they finished their requests, then ended)
my $key_b0 = (grep { $_->{identity} =~ /^gen-/ } @all)[0]{key_id};
my @retire = grep { exists $_->{retires} } @all;
my ($ret) = grep { $_->{retires} eq $key_b0 } @retire;
ok($ret && $ret->{key_id} eq $key_c && ref $ret->{retiring_chains} eq 'ARRAY',
   'the first record of key c retires key b, sealed by key c')
    or diag(encode_json(\@retire));
my %draining = map { $_ => 1 } @{ $ret ? $ret->{retiring_chains} : [] };
my @late_b = grep { $_->{key_id} eq $key_b0 && $ret
                    && $_->{time} gt $ret->{time} } @all;
ok(!grep({ !$draining{$_->{chain}} } @late_b),
   'every record of key b after its retirement is of a chain it names ('
   . scalar(@late_b) . ' records)');

# a thief with key b (the old key file left on the box) writes a new chain
# dated after the rotation: team-b deleting a policy, allowed
my ($b_line) = grep { /"key_id":"$key_b0"/ } audit_lines("$dir/logs/audit.log");
my $forged = $b_line =~ s/\n\z//r;
$forged =~ s/,"prev_chain":"[0-9a-f]+","prev_seq":\d+//;
$forged =~ s/,"retires":"[0-9a-f]+","retiring_chains":\[[^\]]*\]//;
$forged =~ s/"time":"[^"]*"/"time":"$until"/;
$forged =~ s/"identity":"[^"]*"/"identity":"CN=team-b"/;
$forged =~ s/"chain":"[0-9a-f]+"/'"chain":"' . ('5a' x 16) . '"'/e;
$forged =~ s/"seq":\d+,"prev":"[0-9a-f]*"/"seq":1,"prev":""/;
$forged =~ s/,"mac":"[0-9a-f]{64}"\}\z//;
my $kb = slurp("$dir/keys/b.key") =~ s/\n\z//r;
$forged .= ',"mac":"' . hmac_sha256_hex("$forged}", $kb) . "\"}\n";
write_file("$dir/forged.log", slurp("$dir/logs/audit.log") . $forged);
my ($frc, $fout) = run($verify, '--key', "$dir/keys", '--strict',
                       "$dir/logs/audit.log.1", "$dir/forged.log");
ok($frc == 1 && $fout =~ /forged\.log:\d+: retired key: chain (?:5a){16} seq 1 is sealed with key $key_b0 after its retirement at \S+ by key $key_c .*a chain that begins after it/,
   'a chain forged with the retired key b after its retirement is refused, '
   . 'naming the key and the retirement') or diag($fout);

# a named chain with at least three records, the last chain, a generation
my ($mid) = grep { my $c = $_; $named{$c}
                   && (grep { $_->{chain} eq $c } @all) >= 3 } @chains;
# of the chains with no successor, the longest: its tail is cut below
my %count;
$count{$_->{chain}}++ for @all;
my $last = (sort { $count{$b} <=> $count{$a} }
            grep { !$named{$_} } @chains)[0];
my @gen_lines = audit_lines("$dir/logs/audit.log");

sub cut_case {
    my ($name, $keep, $want) = @_;
    my @kept = grep { $keep->(decode_json($_)) } @gen_lines;
    write_file("$dir/cut.log", join '', @kept);
    my ($rc, $out) = run($verify, @v, "$dir/logs/audit.log.1",
                         "$dir/cut.log");
    is($rc, 1, "$name: reported") or diag($out);
    like($out, $want, "$name: named with file and line") or diag($out);
}

my @of_mid = grep { $_->{chain} eq $mid } @all;
my %drop = map { $_->{mac} => 1 } @of_mid[-3 .. -1];

cut_case('the last three records of a chain with a successor',
         sub { !$drop{$_[0]{mac}} },
         qr/cut\.log:\d+: chain cut: chain $mid ends at seq \d+ here, but/);

cut_case('a chain with a successor, whole', sub { $_[0]{chain} ne $mid },
         qr/cut\.log:\d+: chain cut: chain \w+ continues chain $mid .*not in the given files/);

# its tail: the last three records, and every one of the last 3 s before
# --complete-until (heartbeats come every second, and a chain is cut when
# it stops more than one interval, and a tenth, before that time)
my @of_last = grep { $_->{chain} eq $last } @all;
my ($uy, $umo, $ud, $uh, $umi, $us)
    = $until =~ /^(\d+)-(\d+)-(\d+)T(\d+):(\d+):([\d.]+)Z/;
my $ut = timegm(0, $umi, $uh, $ud, $umo - 1, $uy) + $us - 3;
my @ug = gmtime(int $ut);
my $cutoff = sprintf('%04d-%02d-%02dT%02d:%02d:%06.3fZ', $ug[5] + 1900,
                     $ug[4] + 1, $ug[3], $ug[2], $ug[1],
                     $ug[0] + ($ut - int $ut));
%drop = map { $_->{mac} => 1 }
        @of_last[-3 .. -1], grep { $_->{time} ge $cutoff } @of_last;

cut_case('the last three records of the newest chain',
         sub { !$drop{$_[0]{mac}} },
         qr/cut\.log:\d+: chain cut: chain $last stops at seq \d+ here without its end record/);

my $key_b = (grep { $_->{identity} =~ /^gen-/ } @all)[0]{key_id};

cut_case('the generation before the reload, whole',
         sub { $_[0]{key_id} ne $key_b },
         qr/cut\.log:\d+: chain cut: .*not in the given files \(--strict\)/);

cut_case('the newest generation, whole',
         sub { $_[0]{key_id} ne $key_c },
         qr/cut\.log:\d+: chain cut: the newest record is more than one heartbeat interval/);

# every chain of the older file ended or named: the message is at its
# newest record (by time, then seq), not at the end of the last file given
my @old_lines = audit_lines("$dir/logs/audit.log.1");
my $at = 0;
for my $i (0 .. $#old_lines) {
    my ($r, $n) = map { decode_json($_) } $old_lines[$i], $old_lines[$at];
    $at = $i if $r->{time} gt $n->{time}
                || ($r->{time} eq $n->{time} && $r->{seq} > $n->{seq});
}
my $newest_line = $at + 1;

cut_case('the file emptied', sub { 0 },
         qr/audit\.log\.1:$newest_line: chain cut: the newest record is more than one heartbeat interval/);

my ($erc, $eout) = run($verify, @v, "$dir/cut.log");
ok($erc == 1 && $eout =~ /cut\.log:0: chain cut: no record at all/,
   'the only file, emptied: reported, named with file and line')
    or diag($eout);

done_testing();


# --- helpers ---------------------------------------------------------------

sub config {
    my $load = join '', map { "load_module $_;\n" } @modules;
    my $user = $> == 0 ? "user root;\n" : '';

    return <<"_EOC_";
$load
$user
master_process on;
worker_processes 2;
worker_rlimit_nofile 8192;
daemon on;
error_log logs/error.log info;
pid logs/nginx.pid;

events {
    worker_connections 4096;
    accept_mutex off;
}

http {
    access_log off;

    js_path "$conf_dir/sim";
    js_import sfsim from sf_cluster_sim.js;

    server {
        listen 127.0.0.1:$sim_port;
        set \$sf_sim_slow_ms 3000;
        include $conf_dir/sim/sf_cluster_sim.locations;
    }

    server {
        # reuseport: the kernel hands connections to both workers
        listen 127.0.0.1:$port reuseport backlog=1024;

        sf_backup_gate on;
        sf_backup_policies DailyAzureBackupPolicy;
        sf_backup_identity \$http_x_team;

        location / {
            sf_backup_audit_log logs/audit.log;
            # relative to the directory of nginx.conf, like ssl_certificate
            sf_backup_audit_key audit.key;
            proxy_pass http://127.0.0.1:$sim_port;
            proxy_read_timeout 10s;
        }

        location ~ ^/Partitions/00000000-0000-0000-0000-000000000504/ {
            sf_backup_audit_log logs/audit.log;
            sf_backup_audit_key audit.key;
            proxy_pass http://127.0.0.1:$hole_port;
            proxy_read_timeout 30s;
        }

        location /Services/ {
            sf_backup_audit_log syslog:server=127.0.0.1:$udp_port,tag=sfb_audit;
            sf_backup_audit_key audit.key;
            proxy_pass http://127.0.0.1:$sim_port;
        }
    }
}
_EOC_
}


sub partition {
    return "/Partitions/$_[0]/\$/EnableBackup?api-version=6.2-preview";
}


# Sends every request at once, each on its own connection, then reads
# every answer: status and X-Request-Id go into the request's hash.
sub parallel {
    my (@reqs) = @_;
    my $sel = IO::Select->new;
    my %conn;
    my $deadline = time + 30;

    for my $r (@reqs) {
        my $s = IO::Socket::INET->new("127.0.0.1:$port")
            or die "connect: $!";
        my $body = $r->{body} // '';
        my $req = ($r->{get} ? 'GET' : 'POST') . " $r->{path} HTTP/1.1\r\n"
                  . "Host: localhost\r\nConnection: close\r\n"
                  . "X-Team: $r->{team}\r\n";

        $req .= "Content-Type: application/json\r\n"
                . 'Content-Length: ' . length($body) . "\r\n" unless $r->{get};

        print $s "$req\r\n$body";

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
            ($r->{id}) = $r->{raw} =~ m{\r\nX-Request-Id: ([0-9a-f]+)\r\n}i;
            $r->{status} //= 0;
        }
    }

    sleep 0.2;   # the last records leave with the end of an event loop turn
}


sub audit_lines {
    my ($file) = @_;
    open my $in, '<', $file or die "$file: $!";
    my @lines = <$in>;
    close $in;
    return @lines;
}


sub records {
    my $json = JSON::PP->new;
    return map { my $r = eval { $json->decode($_) }; $r ? ($r) : () } @_;
}


sub wait_for_record {
    my ($file, $team) = @_;

    for (1 .. 50) {
        my @r = grep { $_->{identity} eq $team }
                records(audit_lines($file));
        return @r if @r;
        sleep 0.1;
    }

    return;
}


sub receive {
    my ($sock, $want) = @_;
    my $sel = IO::Select->new($sock);
    my @got;

    while (@got < $want && $sel->can_read(3)) {
        $sock->recv(my $gram, 65535);
        push @got, $gram;
    }

    return @got;
}


sub verify_ok {
    my ($name, $key, @args) = @_;
    my ($rc, $out) = run($verify, '--key', $key, @args);

    is($rc, 0, $name) or diag($out);
}


sub key {
    my ($path, $key) = @_;
    write_file($path, "$key\n");
    chmod 0600, $path or die "chmod $path: $!";
}


sub free_port {
    my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
                                  Proto => $_[0], Listen => 1)
        or die "free port: $!";
    return $s->sockport;
}


sub wait_for_file {
    for (1 .. 100) {
        return if -e $_[0];
        sleep 0.05;
    }
}
