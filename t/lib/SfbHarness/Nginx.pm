package SfbHarness::Nginx;

# The nginx under test: settings (from the environment and the setter
# functions of Test::Nginx::Socket), the server root, nginx.conf, starting
# and stopping the server, and reading its error log.
#
# The environment is read as the real Test::Nginx::Util reads it, and only
# the variables it reads (see the list in Test/Nginx/Socket.pm's POD), plus
# two extensions of ours the real one ignores (TEST_NGINX_VALGRIND_SUPP,
# TEST_NGINX_VALGRIND_LOG).  TEST_NGINX_SERVROOT is the input (where the
# server root goes); TEST_NGINX_SERVER_ROOT and TEST_NGINX_SERVER_PORT are
# what the harness sets for the test files, as the real one does.

use strict;
use warnings;

use Config;
use IO::Socket::INET ();
use File::Path qw(make_path remove_tree);
use File::Spec ();
use File::Temp ();
use POSIX qw(:sys_wait_h);
use Time::HiRes qw(sleep time);

our $NginxBinary       = $ENV{TEST_NGINX_BINARY} || _default_binary();
our $Workers           = 1;
our $WorkerConnections = 64;
our $LogLevel          = $ENV{TEST_NGINX_LOG_LEVEL} || 'debug';
our $MasterProcess     = $ENV{TEST_NGINX_MASTER_PROCESS} || 'off';
our $DaemonEnabled     = 'on';
our $ServerAddr        = '127.0.0.1';
our $ServerName        = 'localhost';
our $ServerPort        = $ENV{TEST_NGINX_SERVER_PORT} || $ENV{TEST_NGINX_PORT}
                         || 1984;
our $ClientPort        = $ENV{TEST_NGINX_CLIENT_PORT} || $ServerPort;
our $NoRootLocation    = 0;
our $Timeout           = $ENV{TEST_NGINX_TIMEOUT} || 3;
our $Sleep             = $ENV{TEST_NGINX_SLEEP} || 0.015;
our $LoadModules       = $ENV{TEST_NGINX_LOAD_MODULES};
our $UseValgrind       = $ENV{TEST_NGINX_USE_VALGRIND};
our $ValgrindSupp      = $ENV{TEST_NGINX_VALGRIND_SUPP};
our $ValgrindLog       = $ENV{TEST_NGINX_VALGRIND_LOG};
# prepended to LD_PRELOAD for nginx alone, as the real one does
our $LdPreload         = $ENV{TEST_NGINX_LD_PRELOAD};
our $WorkerUser        = $ENV{TEST_NGINX_WORKER_USER};
our $EventType         = $ENV{TEST_NGINX_EVENT_TYPE};
our $PostponeOutput    = $ENV{TEST_NGINX_POSTPONE_OUTPUT};
our $NoNginxManager    = $ENV{TEST_NGINX_NO_NGINX_MANAGER} || 0;
our $ConfigPreamble    = '';
our $CheckAccumErrLog  = $ENV{TEST_NGINX_CHECK_ACCUM_ERR_LOG};
our @EnvToNginx;
# $TEST_NGINX_RAND_PORT_<n> of the current block: n => port
our %RandPorts;

our $ServRoot = $ENV{TEST_NGINX_SERVROOT}
                ? File::Spec->rel2abs($ENV{TEST_NGINX_SERVROOT})
                : File::Spec->rel2abs('t/servroot');
our $LogDir     = "$ServRoot/logs";
our $ErrLogFile = "$LogDir/error.log";
our $AccLogFile = "$LogDir/access.log";
our $HtmlDir    = "$ServRoot/html";
our $ConfDir    = "$ServRoot/conf";
our $ConfFile   = "$ConfDir/nginx.conf";
our $PidFile    = "$LogDir/nginx.pid";

$ENV{TEST_NGINX_SERVER_ROOT} = $ServRoot;

if ($UseValgrind) {
    # valgrind needs nginx in the foreground, as our own child
    $DaemonEnabled = 'off';
}

# pid of nginx when it is our direct child (valgrind mode)
our $ChildPid;
# set while a daemonising nginx may not have written its pid file yet
our $Starting = 0;
our $ErrLogPos = 0;

_become_subreaper();


# "nginx" from PATH, as the real one runs it (through the shell); no
# guess beyond PATH, so that a run that works here works there too
sub _default_binary {
    for my $dir (split /:/, $ENV{PATH} || '') {
        next if $dir eq '';
        return "$dir/nginx" if -f "$dir/nginx" && -x _;
    }

    return 'nginx';
}


# A daemonised nginx is orphaned; becoming a child subreaper lets us reap
# it instead of leaving a zombie behind (PID 1 may not reap in a sandbox).
sub _become_subreaper {
    my %nr = ('x86_64' => 157, 'aarch64' => 167, 'i386' => 172,
              'i686' => 172, 'arm' => 172);
    my ($arch) = $Config{archname} =~ /^([^-]+)/;

    return unless $^O eq 'linux' && defined $arch && $nr{$arch};

    # PR_SET_CHILD_SUBREAPER = 36
    syscall($nr{$arch}, 36, 1, 0, 0, 0);
    return;
}


sub nginx_version {
    my $out = `$NginxBinary -V 2>&1`;

    return undef unless defined $out && $? == 0;

    if ($out =~ m{(?:nginx|openresty)[^/]*/(\d+)\.(\d+)\.(\d+)}s
        || $out =~ m{\w+/(\d+)\.(\d+)\.(\d+)}s)
    {
        return sprintf "%d.%03d%03d", $1, $2, $3;
    }

    return undef;
}


# Replace $TEST_NGINX_FOO by $ENV{TEST_NGINX_FOO}, as the real scaffold's
# expand_env_in_text() does: any TEST_NGINX_* variable set in the
# environment (the harness sets TEST_NGINX_SERVER_ROOT and
# TEST_NGINX_SERVER_PORT itself), $TEST_NGINX_RAND_PORT_<n> a free port
# chosen once per block, and nothing else: an unset one goes into @$missing
# and the caller bails out ("No environment ... defined").
sub expand_env {
    my ($text, $missing) = @_;

    return undef unless defined $text;

    $text =~ s{\$(TEST_NGINX_[_A-Z0-9]+)}{
        my $v;

        if ($1 =~ /^TEST_NGINX_RAND_PORT_[0-9]+$/) {
            $RandPorts{$1} //= rand_port();
            $v = $RandPorts{$1};
            push @$missing, "$1 (no free port)" unless defined $v;

        } elsif (defined $ENV{$1}) {
            $v = $ENV{$1};

        } else {
            push @$missing, $1;
        }

        defined $v ? $v : '';
    }ge;

    return $text;
}


# A port no one listens on, neither the server's nor another block
# variable's: as the real gen_rand_port(), 1988 and up.
sub rand_port {
    my %used = map { $_ => 1 } $ServerPort, values %RandPorts;

    for (1 .. 1000) {
        my $port = int(rand 63547) + 1988;
        my $sock;

        next if $used{$port};

        $sock = IO::Socket::INET->new(LocalAddr => $ServerAddr,
                                      LocalPort => $port, Proto => 'tcp',
                                      Listen => 5, ReuseAddr => 1);
        next unless $sock;

        close $sock;
        return $port;
    }

    return undef;
}


sub setup_servroot {
    my $out;

    if (-d $ServRoot) {
        # only what we create ourselves, never the whole directory
        remove_tree($ConfDir, glob("$ServRoot/*_cache"),
                    glob("$ServRoot/*_temp"), $HtmlDir, $LogDir);
    }

    make_path($ServRoot, $LogDir, $HtmlDir, $ConfDir);

    open $out, '>', "$HtmlDir/index.html"
        or return "cannot write $HtmlDir/index.html: $!";
    print $out '<html><head><title>It works!</title></head>'
               . '<body>It works!</body></html>';
    close $out;

    return undef;
}


# "--- user_files": ">>> name [touch -t date]" headers followed by the
# content, or an eval'ed array of [name, body, date].
sub write_user_files {
    my ($files, $missing) = @_;
    my ($list, $fname, $body, $date);

    return undef unless $files;

    if (!ref $files) {
        $list = [];

        for my $line (split /^/, $files) {
            if ($line =~ />>> (\S+)(?:\s+(.+))?/) {
                push @$list, [$fname, $body, $date] if defined $fname;
                ($fname, $date, $body) = ($1, $2, undef);

            } else {
                $body .= $line;
            }
        }

        push @$list, [$fname, $body, $date] if defined $fname;

    } elsif (ref $files eq 'ARRAY') {
        $list = $files;

    } else {
        return "wrong user_files value type: " . ref($files);
    }

    for my $file (@$list) {
        my ($name, $content, $mtime) = @$file;
        my ($path, $out);

        $content = '' unless defined $content;
        $path = $name =~ m{^/} ? $name : "$HtmlDir/$name";

        if ($path =~ m{(.*)/} && !-d $1) {
            make_path($1);
        }

        $content = expand_env($content, $missing);

        open $out, '>', $path or return "cannot write $path: $!";
        binmode $out;
        print $out $content;
        close $out;

        if ($mtime) {
            local $ENV{TZ} = 'GMT';
            system('touch', '-t', $mtime, $path) == 0
                or return "touch -t '$mtime' $path failed";
        }
    }

    return undef;
}


sub write_config {
    my (%a) = @_;
    my ($main, $http, $config, $post_main, $err_log, $server_name);
    my ($out, $level, $conf);

    $main = defined $a{main_config} ? $a{main_config} : '';
    $http = defined $a{http_config} ? $a{http_config} : '';
    $config = defined $a{config} ? $a{config} : '';
    $post_main = defined $a{post_main_config} ? $a{post_main_config} : '';
    $err_log = $a{error_log_file} || $ErrLogFile;
    $server_name = defined $a{server_name} ? $a{server_name} : $ServerName;
    $level = $a{log_level} || $LogLevel;

    if ($LoadModules) {
        my @mods = map { "load_module $_;" } grep { $_ } split /\s+/,
                   $LoadModules;
        $main .= join ' ', @mods;
    }

    $conf = <<"_EOC_";
worker_processes  $Workers;
daemon $DaemonEnabled;
master_process $MasterProcess;
error_log $err_log $level;
pid       $PidFile;
env MOCKEAGAIN_VERBOSE;
env MOCKEAGAIN;
env MOCKEAGAIN_WRITE_TIMEOUT_PATTERN;
env LD_PRELOAD;
env LD_LIBRARY_PATH;
env DYLD_INSERT_LIBRARIES;
env DYLD_FORCE_FLAT_NAMESPACE;
_EOC_

    for my $v (@EnvToNginx) {
        $conf .= $v =~ /\s/ ? "env '$v';\n" : "env $v;\n";
    }

    my $extra_http = '';
    if (defined $PostponeOutput && $http !~ /\bpostpone_output\b/) {
        $extra_http = "\n    postpone_output $PostponeOutput;\n";
    }

    $conf .= <<"_EOC_";
#env LUA_PATH;
#env LUA_CPATH;

$main

http {
    access_log $AccLogFile;
    #access_log off;

    default_type text/plain;
    keepalive_timeout  68;
$extra_http
$http

    server {
        listen          $ServerAddr:$ServerPort;
        server_name     '$server_name';

        client_max_body_size 30M;
        #client_body_buffer_size 4k;

        # Begin preamble config...
$ConfigPreamble
        # End preamble config...

        # Begin test case config...
$config
        # End test case config.

_EOC_

    if (!$NoRootLocation) {
        $conf .= <<"_EOC_";
        location / {
            root $HtmlDir;
            index index.html index.htm;
        }
_EOC_
    }

    $conf .= "    }\n}\n\n$post_main\n\n#timer_resolution 100ms;\n\n"
             . "events {\n    accept_mutex off;\n\n"
             . "    worker_connections  $WorkerConnections;\n";
    $conf .= "    use $EventType;\n" if $EventType;
    $conf .= "}\n";
    $conf .= "env ASAN_OPTIONS;\nenv MOCKNOEAGAIN_VERBOSE;\n"
             . "env MOCKNOEAGAIN;\n";

    # workers must be able to write the logs under a root-owned servroot
    if (defined $WorkerUser) {
        $conf .= "user $WorkerUser;\n";

    } elsif ($> == 0) {
        $conf .= "user root;\n";
    }

    open $out, '>', $ConfFile or return "cannot write $ConfFile: $!";
    print $out $conf;
    close $out;

    return undef;
}


sub nginx_command {
    my @cmd = ($NginxBinary, '-p', "$ServRoot/", '-c', $ConfFile);
    my (@vg, @supp);

    return @cmd unless $UseValgrind;

    @supp = ('--suppressions=valgrind.suppress') if -f 'valgrind.suppress';
    push @supp, "--suppressions=$ValgrindSupp"
        if defined $ValgrindSupp && $ValgrindSupp ne '';

    if ($UseValgrind =~ /^\d+$/) {
        @vg = ('valgrind', '--num-callers=100', '-q', '--tool=memcheck',
               '--leak-check=full', '--show-possibly-lost=no',
               '--gen-suppressions=all', @supp);

    } else {
        @vg = ('valgrind', '-q', grep({ length } split /\s+/, $UseValgrind),
               @supp);
    }

    # reports into files, one per process, for a caller to judge
    push @vg, "--log-file=$ValgrindLog/valgrind.%p"
        if defined $ValgrindLog && $ValgrindLog ne '';

    return (@vg, @cmd);
}


sub is_running {
    my ($pid) = @_;
    my ($in, $stat);

    return 0 unless $pid && kill(0, $pid);

    # a zombie has released everything, including the listening socket
    if (open $in, '<', "/proc/$pid/stat") {
        $stat = <$in>;
        close $in;
        return 0 if defined $stat && $stat =~ /^\d+ \(.*\) [ZX] /s;
    }

    return 1;
}


sub pid_from_file {
    my ($in, $pid);

    open $in, '<', $PidFile or return undef;
    $pid = <$in>;
    close $in;

    return undef unless defined $pid && $pid =~ /^\s*(\d+)\s*$/;
    return $1;
}


# Whether something listens on 127.0.0.1:$port (read from /proc, so no
# probe connection lands in nginx's error log).
sub port_listening {
    my ($port) = @_;
    my $hex = sprintf '%04X', $port;

    for my $f ('/proc/net/tcp', '/proc/net/tcp6') {
        my $in;
        open $in, '<', $f or next;
        while (<$in>) {
            my @col = split ' ';
            next unless @col > 3 && $col[3] eq '0A';
            if ($col[1] =~ /:$hex$/) {
                close $in;
                return 1;
            }
        }
        close $in;
    }

    return 0;
}


# Run nginx with the written config. In daemon mode the command returns
# once nginx listens; in valgrind mode nginx stays our child and we wait
# for the port. Returns undef on success or a message (with stderr).
sub start {
    my ($name) = @_;

    my $deadline = time + 2;

    # our previous nginx is gone by now; anyone else on the port is a
    # stranger that nginx would fight with for seconds
    while (port_listening($ServerPort)) {
        return "port $ServerPort is already in use by another process"
            if time > $deadline;
        sleep 0.05;
    }

    return _start_foreground($name) if $DaemonEnabled eq 'off';

    $deadline = time + 10;
    local $Starting = 1;

    while (1) {
        my ($status, $err) = run_command(30, nginx_command());

        if ($status == 0) {
            last;
        }

        # the previous nginx may still hold the port for a moment
        if ($err =~ /Address already in use/ && time < $deadline) {
            sleep 0.2;
            next;
        }

        return "Cannot start nginx using command \""
               . join(' ', nginx_command()) . "\" (status code $status)"
               . ($err ne '' ? ":\n$err" : '');
    }

    # the daemon writes its pid file right after forking
    for (1 .. 200) {
        last if pid_from_file();
        sleep 0.01;
    }

    sleep $Sleep;

    return undef;
}


sub _start_foreground {
    my ($name) = @_;
    my ($pid, $deadline);

    # imitate the real scaffold: name the block on stderr so valgrind's
    # reports can be told apart
    warn "$name\n" if $UseValgrind;

    $pid = fork;
    return "fork() failed: $!" unless defined $pid;

    if ($pid == 0) {
        setpgrp(0, 0);
        open STDIN, '<', '/dev/null';
        open STDOUT, '>', '/dev/null';
        _ld_preload();
        { no warnings 'exec'; exec { (nginx_command())[0] } nginx_command(); }
        POSIX::_exit(127);
    }

    $ChildPid = $pid;
    $deadline = time + ($UseValgrind ? 120 : 15);

    # which block each valgrind.<pid> report belongs to
    if ($UseValgrind && defined $ValgrindLog && $ValgrindLog ne '') {
        my $map;
        if (open $map, '>>', "$ValgrindLog/blocks") {
            print $map "$pid\t$name\n";
            close $map;
        }
    }

    while (time < $deadline) {
        if (waitpid($pid, WNOHANG) == $pid) {
            my $st = $?;
            undef $ChildPid;
            return "nginx exited right after start (status $st):\n"
                   . tail_error_log(20);
        }

        return undef if port_listening($ServerPort);

        sleep 0.05;
    }

    return "nginx did not start listening on port $ServerPort in time";
}


# In the child that becomes nginx: TEST_NGINX_LD_PRELOAD before whatever
# LD_PRELOAD already says, as the real scaffold runs nginx.
sub _ld_preload {
    return unless defined $LdPreload;

    $ENV{LD_PRELOAD} = defined $ENV{LD_PRELOAD}
                       ? "$LdPreload $ENV{LD_PRELOAD}" : $LdPreload;
    return;
}


# fork/exec with stdout to /dev/null and stderr captured; bounded in time.
sub run_command {
    my ($limit, @cmd) = @_;
    my ($tmp, $pid, $deadline, $status, $err);

    $tmp = File::Temp->new(TMPDIR => 1, TEMPLATE => 'sfb-nginx-XXXXXX');

    $pid = fork;
    return (-1, "fork() failed: $!") unless defined $pid;

    if ($pid == 0) {
        open STDIN, '<', '/dev/null';
        open STDOUT, '>', '/dev/null';
        open STDERR, '>', $tmp->filename;
        _ld_preload();
        { no warnings 'exec'; exec { $cmd[0] } @cmd; }
        print STDERR "exec $cmd[0] failed: $!\n";
        POSIX::_exit(127);
    }

    $deadline = time + $limit;
    $status = undef;

    while (time < $deadline) {
        if (waitpid($pid, WNOHANG) == $pid) {
            $status = $?;
            last;
        }
        sleep 0.01;
    }

    if (!defined $status) {
        kill 'KILL', $pid;
        waitpid($pid, 0);
        $status = -1;
    }

    $err = do { local (@ARGV, $/) = ($tmp->filename); <> };
    $err = '' unless defined $err;

    return ($status, $err);
}


# Stop the running nginx (if any) and wait until it is gone and the port
# is free again. QUIT first (graceful, so shutdown logs and valgrind's
# leak report are written), then TERM, then KILL.
sub stop {
    my ($name) = @_;
    my ($pid, $limit, $t0);

    $pid = pid_from_file();
    $pid = $ChildPid if !$pid && $ChildPid;

    # interrupted while starting: the daemon is about to write its pid
    for (1 .. 100) {
        last if $pid || !$Starting;
        sleep 0.01;
        $pid = pid_from_file();
    }

    if ($pid && is_running($pid)) {
        kill 'QUIT', $pid;

        $limit = $UseValgrind ? 60 : $Timeout;
        _wait_gone($pid, $limit);

        for (1 .. 20) {
            last unless is_running($pid);
            kill 'TERM', $pid;
            _wait_gone($pid, 0.25);
        }

        if (is_running($pid)) {
            warn "$name - WARNING: killing nginx $pid with force\n";
            kill 'KILL', ($ChildPid && $pid == $ChildPid) ? -$pid : $pid;
            _wait_gone($pid, 2);
        }
    }

    _reap($pid) if $pid;
    _reap($ChildPid) if $ChildPid;
    undef $ChildPid;

    unlink $PidFile if -f $PidFile;

    return unless $pid;

    $t0 = time;
    while (port_listening($ServerPort) && time - $t0 < 3) {
        sleep 0.02;
    }

    return;
}


sub _wait_gone {
    my ($pid, $limit) = @_;
    my $t0 = time;

    while (time - $t0 < $limit) {
        _reap($pid);
        return unless is_running($pid);
        sleep 0.02;
    }

    return;
}


sub _reap {
    my ($pid) = @_;

    # only our own child (or an orphan handed to us as subreaper)
    waitpid($pid, WNOHANG);
    return;
}


sub running {
    my $pid = pid_from_file();

    return $pid if $pid && is_running($pid);
    return $ChildPid if $ChildPid && is_running($ChildPid);
    return undef;
}


# Error log lines appended since the previous call (or all of them when
# check_accum_error_log() is on).
sub error_log_lines {
    my ($in, @lines);

    # log-phase messages are written after the response went out
    sleep $Sleep * 3;

    open $in, '<', $ErrLogFile or return [];

    seek $in, $ErrLogPos, 0 if !$CheckAccumErrLog && $ErrLogPos > 0;
    @lines = <$in>;
    $ErrLogPos = tell $in unless $CheckAccumErrLog;
    close $in;

    return \@lines;
}


sub access_log_lines {
    my ($in, @lines);

    sleep $Sleep * 3;

    open $in, '<', $AccLogFile or return [];
    @lines = <$in>;
    close $in;

    return \@lines;
}


sub tail_error_log {
    my ($n) = @_;
    my ($in, @lines);

    open $in, '<', $ErrLogFile or return "(no $ErrLogFile)\n";
    @lines = <$in>;
    close $in;

    splice @lines, 0, @lines - $n if @lines > $n;
    return join '', @lines;
}


1;
