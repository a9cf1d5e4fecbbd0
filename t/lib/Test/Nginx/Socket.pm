package Test::Nginx::Socket;

# sf-backup-gate's own implementation of the subset of CPAN's
# Test::Nginx::Socket that our test suites use.  scripts/test puts t/lib on
# @INC only when the real module is not installed, so a .t file must mean
# the same thing to both: section names, defaults, test names and test
# counts follow the real scaffold.  Block parsing lives in
# SfbHarness::Block, nginx management in SfbHarness::Nginx and the HTTP
# client in SfbHarness::Client; this file runs the blocks and the checks.

use strict;
use warnings;

use Carp qw(croak carp cluck confess);
use Digest::MD5 ();
use Digest::SHA ();
use Encode ();
use List::Util qw(shuffle min);
use Scalar::Util ();
use Time::HiRes qw(sleep time);
use Test::More ();

use SfbHarness::Block ();
use SfbHarness::Client ();
use SfbHarness::Nginx ();

our $VERSION = '0.29_sfb';

# What the real module exports: its own functions plus what Test::Base
# re-exports from Test::More (note: no done_testing, note or explain).
our @EXPORT = qw(
    env_to_nginx is_str plan run_tests run_test repeat_each
    config_preamble worker_connections master_process_enabled
    no_long_string workers master_on master_off log_level no_shuffle
    no_root_location use_hup server_name server_addr server_root html_dir
    server_port server_port_for_client timeout no_nginx_manager
    check_accum_error_log add_block_preprocessor bail_out
    add_cleanup_handler add_response_body_check

    ok isnt like unlike is_deeply cmp_ok skip todo_skip pass fail
    eq_array eq_hash eq_set can_ok isa_ok diag use_ok is

    blocks next_block first_block filters no_diff
    croak carp cluck confess
);

our $RepeatEach   = 1;
our $NoShuffle    = $ENV{TEST_NGINX_NO_SHUFFLE} || 0;
our $NoLongString = 0;
our $ForceRestart = defined $ENV{TEST_NGINX_FORCE_RESTART_ON_TEST}
                    ? $ENV{TEST_NGINX_FORCE_RESTART_ON_TEST} : 1;
our $NginxVersion;

our @BlockPreprocessors;
our @CleanupHandlers;
our @ResponseBodyChecks;
our @DefaultFilters = qw(norm trim);
our %SectionFilters;

my $OwnerPid = $$;
my ($BlockList, $NextIdx, $PrevBlock, $PrevConfig, $Finished);



sub import {
    my ($class, @args) = @_;
    my $caller = caller;
    my @plan;

    no strict 'refs';

    for (my $i = 0; $i < @args; $i++) {
        if ($args[$i] =~ /^-base$/i) {
            # "use Test::Nginx::Socket -Base" from a subclass module
            push @{"${caller}::ISA"}, __PACKAGE__
                unless $caller->isa(__PACKAGE__);
            next;
        }

        if ($args[$i] eq '-package') {
            $i++;
            next;
        }

        push @plan, $args[$i];
    }

    for my $sym (@EXPORT) {
        *{"${caller}::$sym"} = \&{ __PACKAGE__ . "::$sym" };
    }

    # Test::Base turns these on for the test script as well
    strict->import;
    warnings->import;

    Test::More::plan(@plan) if @plan;
    return;
}


# Test::More's functions, re-exported.
sub ok        { goto &Test::More::ok }
sub is        { goto &Test::More::is }
sub isnt      { goto &Test::More::isnt }
sub like      { goto &Test::More::like }
sub unlike    { goto &Test::More::unlike }
sub is_deeply { goto &Test::More::is_deeply }
sub cmp_ok    { goto &Test::More::cmp_ok }
sub skip      { goto &Test::More::skip }
sub todo_skip { goto &Test::More::todo_skip }
sub pass      { goto &Test::More::pass }
sub fail      { goto &Test::More::fail }
sub eq_array  { goto &Test::More::eq_array }
sub eq_hash   { goto &Test::More::eq_hash }
sub eq_set    { goto &Test::More::eq_set }
sub plan      { goto &Test::More::plan }
sub can_ok    { goto &Test::More::can_ok }
sub isa_ok    { goto &Test::More::isa_ok }
sub diag      { goto &Test::More::diag }
sub use_ok    { goto &Test::More::use_ok }


# ---- settings, called from the test script before run_tests() ----

sub repeat_each {
    $RepeatEach = shift if @_;
    return $RepeatEach;
}

sub workers {
    return $SfbHarness::Nginx::Workers unless @_;
    $SfbHarness::Nginx::Workers = shift;
}

sub worker_connections {
    return $SfbHarness::Nginx::WorkerConnections unless @_;
    $SfbHarness::Nginx::WorkerConnections = shift;
}

sub log_level {
    return $SfbHarness::Nginx::LogLevel unless @_;
    $SfbHarness::Nginx::LogLevel = shift;
}

sub master_on  { $SfbHarness::Nginx::MasterProcess = 'on' }
sub master_off { $SfbHarness::Nginx::MasterProcess = 'off' }

sub master_process_enabled {
    return $SfbHarness::Nginx::MasterProcess unless @_;
    $SfbHarness::Nginx::MasterProcess = shift() ? 'on' : 'off';
}

sub no_root_location      { $SfbHarness::Nginx::NoRootLocation = 1 }
sub no_shuffle            { $NoShuffle = 1 }
sub no_long_string        { $NoLongString = 1 }
sub no_diff               { $ENV{TEST_SHOW_NO_DIFFS} = 1 }
sub no_nginx_manager      { $SfbHarness::Nginx::NoNginxManager = 1 }
sub check_accum_error_log { $SfbHarness::Nginx::CheckAccumErrLog = 1 }
sub config_preamble       { $SfbHarness::Nginx::ConfigPreamble = shift }
sub html_dir              { $SfbHarness::Nginx::HtmlDir }
sub server_root           { $SfbHarness::Nginx::ServRoot }

sub use_hup {
    warn "WARNING: use_hup() is not supported by this Test::Nginx::Socket "
         . "implementation; nginx is restarted instead\n";
}

sub server_port {
    return $SfbHarness::Nginx::ServerPort unless @_;
    $SfbHarness::Nginx::ServerPort = shift;
}

sub server_port_for_client {
    return $SfbHarness::Nginx::ClientPort unless @_;
    $SfbHarness::Nginx::ClientPort = shift;
}

sub server_addr {
    return $SfbHarness::Nginx::ServerAddr unless @_;
    $SfbHarness::Nginx::ServerAddr = shift;
}

sub server_name {
    return $SfbHarness::Nginx::ServerName unless @_;
    $SfbHarness::Nginx::ServerName = shift;
}

sub timeout {
    return $SfbHarness::Nginx::Timeout unless @_;
    $SfbHarness::Nginx::Timeout = shift;
}

sub env_to_nginx {
    croak "env_to_nginx: no arguments specified" unless @_;

    for my $v (@_) {
        croak "env_to_nginx: bad argument value: $v\n"
            if $v !~ /^[A-Za-z_]/ || $v =~ /\n/;
        push @SfbHarness::Nginx::EnvToNginx, $v;
    }

    return;
}

sub add_block_preprocessor (&) { unshift @BlockPreprocessors, shift }
sub add_cleanup_handler ($)    { unshift @CleanupHandlers, shift }
sub add_response_body_check ($) { push @ResponseBodyChecks, shift }


sub filters {
    if (ref $_[0] eq 'HASH') {
        %SectionFilters = %{ $_[0] };

    } else {
        push @DefaultFilters, @_;
    }

    return;
}


sub bail_out {
    _stop_everything();
    Test::More::BAIL_OUT(join '', @_);
}


# $TEST_NGINX_* in a block's text, where and as the real scaffold expands
# them: one it would not know is the same bail-out here
sub _expand_env {
    my ($text, $name) = @_;
    my @missing;

    $text = SfbHarness::Nginx::expand_env($text, \@missing);
    bail_out("$name - No environment $missing[0] defined.\n") if @missing;

    return $text;
}


# Modes of the real scaffold this subset does not have: refused rather than
# quietly run as a plain run.
our @UnsupportedModes = qw(
    TEST_NGINX_USE_HUP TEST_NGINX_USE_HTTP2 TEST_NGINX_USE_HTTP3
    TEST_NGINX_USE_STAP TEST_NGINX_USE_RR TEST_NGINX_CHECK_LEAK
    TEST_NGINX_BENCHMARK TEST_NGINX_RANDOMIZE
    TEST_NGINX_IGNORE_MISSING_DIRECTIVES
);

sub _refuse_unsupported_modes {
    for my $v (@UnsupportedModes) {
        bail_out("$v is set: a mode of the real Test::Nginx that "
                 . "sf-backup-gate's subset (t/lib) does not implement; "
                 . "unset it, or run with the real Test::Nginx")
            if $ENV{$v};
    }

    return;
}


sub is_str {
    my ($got, $expected, $desc) = @_;

    return Test::More::like($got, $expected, $desc)
        if ref $expected && ref $expected eq 'Regexp';

    return _is_long($got, $expected, $desc);
}


# ---- blocks ----

sub _block_list {
    my ($fh, $spec);

    return $BlockList if $BlockList;

    {
        no strict 'refs';
        $fh = Scalar::Util::openhandle(\*{'main::DATA'});
    }

    if ($fh) {
        local $/;
        $spec = <$fh>;
    }

    $BlockList = SfbHarness::Block::parse_spec($spec);
    return $BlockList;
}


sub _filter_block {
    my ($block) = @_;

    return if $block->is_filtered;

    # per-section default filters from filters({ section => '...' })
    for my $type ($block->section_names) {
        my $extra = $SectionFilters{$type};
        next unless defined $extra;
        $extra = join ' ', @$extra if ref $extra;
        $block->{_section_filters}{$type} = "$extra "
            . ($block->{_section_filters}{$type} // '');
    }

    $block->run_filters(\@DefaultFilters);
    return;
}


sub blocks {
    my $list = _block_list();
    my $section = shift;
    my @blocks = defined $section && length $section
                 ? grep { exists $_->{$section} } @$list
                 : @$list;

    return scalar @blocks unless wantarray;

    _filter_block($_) for @blocks;
    return @blocks;
}


sub next_block {
    my $list = _block_list();
    my $block;

    $NextIdx = 0 unless defined $NextIdx;

    if ($NextIdx >= @$list) {
        $NextIdx = 0;
        return undef;
    }

    $block = $list->[$NextIdx++];
    _filter_block($block);

    return $block;
}


sub first_block {
    $NextIdx = 0;
    return next_block();
}


# ---- running ----

sub run_tests {
    my @blocks;

    $NginxVersion = SfbHarness::Nginx::nginx_version();

    if (!defined $NginxVersion && !$SfbHarness::Nginx::NoNginxManager) {
        bail_out("Failed to get the version of the Nginx in PATH: "
                 . "$SfbHarness::Nginx::NginxBinary -V failed");
    }

    _refuse_unsupported_modes();

    $ENV{TEST_NGINX_SERVER_PORT} = $SfbHarness::Nginx::ServerPort
        unless defined $ENV{TEST_NGINX_SERVER_PORT};

    _install_signal_handlers();

    # an nginx left over from an interrupted run would hold the port
    SfbHarness::Nginx::stop('startup')
        if !$SfbHarness::Nginx::NoNginxManager && SfbHarness::Nginx::running();

    @blocks = blocks();
    @blocks = shuffle @blocks unless $NoShuffle;

    for my $block (@blocks) {
        $_->($block) for @BlockPreprocessors;

        $block->set_value(name => "$0 " . $block->name);
        run_test($block);

        $PrevBlock = $block;
    }

    _finish();
    return;
}


sub run_test {
    my ($block) = @_;
    my ($name, $config, @missing, $skip, $err, $dry_run, $must_die);

    return if defined $block->SKIP;

    $name = $block->name;
    $dry_run = 0;

    # a block's own ports, as the real scaffold's $RandPorts
    %SfbHarness::Nginx::RandPorts = ();

    $config = _expand_env(scalar $block->config, $name);

    $skip = _skip_or_todo($block, $name);
    $must_die = $block->must_die;

    if (!$SfbHarness::Nginx::NoNginxManager && !$skip->{skip}) {
        if (!defined $config) {
            # no config: keep using the previous block's nginx
            bail_out("$name - No '--- config' section specified and could "
                     . "not get previous one. "
                     . "Use TEST_NGINX_NO_NGINX_MANAGER ?")
                unless defined $PrevConfig;

        } elsif ($ForceRestart || !defined $PrevConfig
                 || $config ne $PrevConfig || defined $must_die
                 || !SfbHarness::Nginx::running())
        {
            if (!_restart_nginx($block, $name, $config)) {
                return;
            }

            if (defined $must_die) {
                _run_must_die($block, $name);
                return;
            }
        }
    }

    if (defined $block->init) {
        eval $block->init;
        bail_out("$name - init failed: $@") if $@;
    }

    $SfbHarness::Nginx::ErrLogPos = 0;

    for my $i (1 .. $RepeatEach) {
        if ($i > 1) {
            @missing = ();
            $err = SfbHarness::Nginx::write_user_files(
                       scalar $block->user_files, \@missing);
            bail_out("$name - $err") if $err;
            bail_out("$name - No environment $missing[0] defined.\n")
                if @missing;
        }

        if ($skip->{skip} && defined $skip->{count}) {
            SKIP: {
                Test::More::skip("$name - $skip->{reason}", $skip->{count});
            }

        } elsif ($skip->{todo}) {
            TODO: {
                Test::More::todo_skip("$name - $skip->{reason}",
                                      $skip->{count});
            }

        } else {
            run_test_helper($block, $dry_run, $i - 1);
        }
    }

    # under valgrind nginx quits after every block so that its leak
    # report belongs to this block
    if ($SfbHarness::Nginx::UseValgrind
        && !$SfbHarness::Nginx::NoNginxManager)
    {
        SfbHarness::Nginx::stop($name);
    }

    return;
}


sub _restart_nginx {
    my ($block, $name, $config) = @_;
    my (@missing, %conf, $err);

    SfbHarness::Nginx::stop($name);

    _check_prev_block_shutdown_error_log();

    for my $k (qw(http_config main_config post_main_config)) {
        $conf{$k} = SfbHarness::Nginx::expand_env(scalar $block->$k,
                                                     \@missing);
    }

    bail_out("$name - No environment $missing[0] defined.\n") if @missing;

    $conf{config} = $config;
    $conf{error_log_file} = _expand_env(scalar $block->error_log_file, $name);
    $conf{server_name} = $block->server_name;
    $conf{log_level} = $block->log_level;

    $err = SfbHarness::Nginx::setup_servroot()
           || SfbHarness::Nginx::write_user_files(scalar $block->user_files,
                                                  \@missing)
           || SfbHarness::Nginx::write_config(%conf);

    bail_out("$name - $err") if $err;
    bail_out("$name - No environment $missing[0] defined.\n") if @missing;

    $PrevConfig = $config;

    return 1 if defined $block->must_die;

    $SfbHarness::Nginx::ErrLogPos = 0;
    $err = SfbHarness::Nginx::start($name);

    if ($err) {
        Test::More::fail("$name - nginx started");
        Test::More::diag($err);
        undef $PrevConfig;
        return 0;
    }

    return 1;
}


# "--- must_die": nginx has to refuse the configuration.
sub _run_must_die {
    my ($block, $name) = @_;
    my $must_die = $block->must_die;

    for my $i (0 .. $RepeatEach - 1) {
        my ($status, $err, $code);

        local $SfbHarness::Nginx::UseValgrind = undef;

        $SfbHarness::Nginx::ErrLogPos = 0;
        ($status, $err) = SfbHarness::Nginx::run_command(
                              30, SfbHarness::Nginx::nginx_command());
        print STDERR $err if $err ne '';

        $code = $status > 0 ? $status >> 8 : $status;

        if ($status == -1) {
            Test::More::fail("$name - failed to execute the nginx command "
                             . "line");

        } elsif ($must_die =~ /^\s*\d+\s*$/) {
            Test::More::is($must_die, $code,
                           "$name - die with the expected exit code");

        } else {
            Test::More::isnt($status, 0, "$name - die as expected");
        }

        check_error_log($block, undef, 0, $i, 0);

        if ($status == 0) {
            warn "WARNING: $name - nginx must die but it does not; "
                 . "killing it (req $i)\n";
            for (1 .. 100) {
                last if SfbHarness::Nginx::pid_from_file();
                sleep 0.01;
            }
            SfbHarness::Nginx::stop($name);
        }
    }

    undef $PrevConfig;
    return;
}


sub _skip_or_todo {
    my ($block, $name) = @_;
    my %r = (reason => 'various reasons');
    my ($spec, $code);

    if (defined($spec = $block->skip_eval)) {
        if ($spec =~ /^\s*(\d+)\s*:\s*(.*)/s) {
            ($r{count}, $code) = ($1, $2);
            $r{reason} = 'skip_eval';
            $r{skip} = eval $code;
            bail_out("$name - skip_eval - failed to eval the Perl code "
                     . "\"$code\": $@") if $@;
        }
    }

    if (defined($spec = $block->skip_nginx)) {
        if ($spec =~ /^\s*(\d+)\s*:\s*([<>]=?)\s*(\d+)\.(\d+)\.(\d+)
                      (?:\s*:\s*(.*))?\s*$/x)
        {
            my ($op, $ver) = ($2, sprintf "%d.%03d%03d", $3, $4, $5);
            $r{count} = $1;
            $r{reason} = $6 || "nginx version $op $3.$4.$5";
            $r{skip} = 1 if (!defined $NginxVersion && $op =~ /^</)
                            || (defined $NginxVersion
                                && eval "$NginxVersion $op $ver");

        } else {
            bail_out("$name - Invalid --- skip_nginx spec: $spec");
        }
    }

    if (defined($spec = $block->todo)) {
        if ($spec =~ /^\s*(\d+)\s*:\s*(.*)/s) {
            @r{qw(todo count reason)} = (1, $1, $2);

        } else {
            bail_out("$name - Invalid --- todo spec: $spec");
        }
    }

    return \%r;
}


sub parse_time {
    my ($tm) = @_;

    return undef unless defined $tm;

    if ($tm =~ s/([^_a-zA-Z])ms$/$1/) {
        $tm = $tm / 1000;

    } else {
        $tm =~ s/([^_a-zA-Z])s$/$1/;
    }

    return $tm;
}


# The requests of a block, each to go over its own connection:
# [ { packets => [{value, delay_before}], methods => [...] or undef } ]
sub _requests_from_block {
    my ($block) = @_;
    my $name = $block->name;
    my ($request, $more, @list);

    if (defined $block->raw_request) {
        my $raw = $block->raw_request;
        my @packets = ref $raw eq 'ARRAY'
                      ? map { { value => $_ } } @$raw
                      : ({ value => $raw });

        # a raw request is read until the server closes the connection
        return [{ packets => \@packets, methods => undef,
                  head => join('', map { $_->{value} } @packets)
                          =~ /^\s*HEAD\s+/ ? 1 : 0 }];
    }

    if (defined $block->request_eval) {
        Test::More::diag("$name - request_eval DEPRECATED. "
                         . "Use request eval instead.");
        $request = eval $block->request_eval;
        warn $@ if $@;

    } else {
        $request = $block->request;
        if (defined $request && !ref $request) {
            1 while $request =~ s/^\s*\#[^\n]+\s+|^\s+//gs;
        }
    }

    $more = $block->more_headers;
    $more = '' unless defined $more;

    my $headers_for = sub {
        my ($i, $what) = @_;
        return $more unless ref $more eq 'ARRAY';
        bail_out("--- more_headers lacks data for the $what")
            unless defined $more->[$i];
        return $more->[$i];
    };

    if ($block->pipelined_requests) {
        my $reqs = $block->pipelined_requests;
        my ($all, @methods) = ('');

        bail_out("$name - invalid entries in --- pipelined_requests")
            if ref $reqs ne 'ARRAY';

        for my $i (0 .. $#$reqs) {
            my ($out, $err, $meth) = SfbHarness::Client::build_request(
                [{ value => _expand_env($reqs->[$i], $name) }],
                $headers_for->($i, "$i pipelined request"),
                $i == $#$reqs ? 'close' : 'keep-alive',
                $SfbHarness::Nginx::ServerName);

            bail_out("$name - $err") if $err;
            $all .= $out->[0]{value};
            push @methods, $meth;
        }

        return [{ packets => [{ value => $all }], methods => \@methods }];
    }

    if (!ref $request) {
        bail_out("$name - Request line should be non-empty")
            unless defined $request && $request =~ /\S/;

        my ($out, $err, $meth) = SfbHarness::Client::build_request(
            [{ value => $request }], $headers_for->(0, 'request'), 'close',
            $SfbHarness::Nginx::ServerName);

        bail_out("$name - $err") if $err;
        return [{ packets => $out, methods => [$meth] }];
    }

    bail_out("$name - invalid ---request : MUST be string or array of "
             . "requests") if ref $request ne 'ARRAY';

    for my $i (0 .. $#$request) {
        my $one = $request->[$i];
        my @packets;

        if (!ref $one) {
            @packets = ({ value => $one });

        } elsif (ref $one eq 'ARRAY') {
            for my $p (@$one) {
                if (!ref $p) {
                    push @packets, { value => $p };

                } elsif (ref $p eq 'HASH') {
                    push @packets, { %$p };

                } else {
                    bail_out("$name - Invalid syntax. $p should be a string "
                             . "or hash with value.");
                }
            }

        } else {
            bail_out("$name - Invalid syntax. $one should be a string or "
                     . "an array of packets.");
        }

        my ($out, $err, $meth) = SfbHarness::Client::build_request(
            \@packets, $headers_for->($i, "${i}th request"), 'close',
            $SfbHarness::Nginx::ServerName);

        bail_out("$name - $err") if $err;
        push @list, { packets => $out, methods => [$meth] };
    }

    return \@list;
}


sub run_test_helper {
    my ($block, $dry_run, $repeated_req_idx) = @_;
    my ($name, $reqs, $timeout, $res, $req_idx, $need_array, $addr);

    $name = $block->name;
    $reqs = _requests_from_block($block);

    bail_out("$name - request empty") unless @$reqs;

    $timeout = parse_time(scalar $block->timeout);
    $timeout = $SfbHarness::Nginx::Timeout unless defined $timeout;

    $addr = $block->server_addr_for_client;
    $addr = $SfbHarness::Nginx::ServerAddr unless defined $addr;

    $req_idx = 0;

    for my $one (@$reqs) {
        my ($raw, $timed_out, $err, $n, @methods);

        if ($dry_run) {
            $raw = "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n";

        } else {
            ($raw, $timed_out, $err) = SfbHarness::Client::send_request(
                addr         => $addr,
                port         => $SfbHarness::Nginx::ClientPort,
                packets      => $one->{packets},
                methods      => $one->{methods},
                timeout      => $timeout,
                middle_delay => scalar $block->raw_request_middle_delay,
                shutdown     => _shutdown_arg(scalar $block->shutdown),
                connect_wait => $SfbHarness::Nginx::UseValgrind ? 60 : 10,
                alive        => $SfbHarness::Nginx::NoNginxManager ? undef
                                : sub { SfbHarness::Nginx::running() },
            );

            if ($err) {
                Test::More::fail("$name - $err (aborted)");
                Test::More::diag(SfbHarness::Nginx::tail_error_log(20));
            }

            if ($timed_out && !defined $block->abort) {
                Test::More::fail("ERROR: client socket timed out - $name\n");
            }
        }

        @methods = @{ $one->{methods} || [$one->{head} ? 'HEAD' : ''] };

        if ($block->pipelined_requests) {
            $n = @{ $block->pipelined_requests };
            $need_array = 1;

        } else {
            $need_array = @$reqs > 1;
        }

        while (1) {
            my ($raw_headers, $left, $perr);

            $raw = '' unless defined $raw;

            if (!defined $block->ignore_response) {
                if (defined $block->http09) {
                    $res = bless { code => 200, message => 'OK',
                                   headers => [], content => $raw },
                                 'SfbHarness::Client::Response';
                    $raw_headers = '';

                } else {
                    ($res, $raw_headers, $left, $perr) =
                        SfbHarness::Client::parse_response($raw,
                                                           $methods[0] // '');
                    if ($perr) {
                        Test::More::fail("$name - $perr");
                        ($res, $raw_headers, $left) = ();
                    }

                    if ($res && $res->{truncated}
                        && ($methods[0] // '') ne 'HEAD')
                    {
                        warn "WARNING: $name - response body truncated: "
                             . "$res->{truncated}\n";
                    }
                }
            }

            if (!$n) {
                if (defined $left && length $left) {
                    (my $l = $left) =~
                        s/([\0-\037\200-\377])/sprintf('\x{%02x}', ord $1)/eg;
                    warn "WARNING: $name - unexpected extra bytes after last "
                         . "chunk in response: \"$l\"\n";
                }

            } else {
                $raw = $left;
                $n--;
                shift @methods;
            }

            if (!defined $block->ignore_response) {
                check_error_code($block, $res, $dry_run, $req_idx,
                                 $need_array);
                check_raw_response_headers($block, $raw_headers, $dry_run,
                                           $req_idx, $need_array);
                check_response_headers($block, $res, $raw_headers, $dry_run,
                                       $req_idx, $need_array);
                transform_response_body($block, $res, $req_idx);
                check_response_body($block, $res, $dry_run, $req_idx,
                                    $repeated_req_idx, $need_array);
            }

            if ($n || $req_idx < @$reqs - 1) {
                sleep $block->wait if $block->wait;

                check_error_log($block, $res, $dry_run, $repeated_req_idx,
                                $need_array);
                check_access_log($block, $dry_run, $repeated_req_idx)
                    unless defined $block->ignore_response;
            }

            $req_idx++;

            last unless $n;
        }
    }

    sleep $block->wait if $block->wait;

    check_error_log($block, $res, $dry_run, $repeated_req_idx, $need_array);
    check_access_log($block, $dry_run, $repeated_req_idx)
        unless defined $block->ignore_response;

    return;
}


sub _shutdown_arg {
    my ($v) = @_;

    return undef unless defined $v;
    return 1 if $v =~ /^\s*$/s;
    return $v;
}


# ---- checks ----

# With several requests the expectation must be an array, one per request.
sub get_indexed_value {
    my ($name, $value, $req_idx, $need_array) = @_;

    if ($need_array) {
        return $value->[$req_idx] if ref $value && ref $value eq 'ARRAY';

        bail_out("$name - You asked for many requests, the expected results "
                 . "should be arrays as well.");
    }

    if (ref $value && ref $value eq 'ARRAY') {
        bail_out("$name - SHOULD NOT HAPPEN: idx != 0 and don't need array.")
            if $req_idx != 0;
        return $value->[0];
    }

    return $value;
}


sub check_error_code {
    my ($block, $res, $dry_run, $req_idx, $need_array) = @_;
    my $name = $block->name;
    my $code = ($res && $res->code) || '';

    SKIP: {
        Test::More::skip("$name - tests skipped due to $dry_run", 1)
            if $dry_run;

        if (defined $block->error_code_like) {
            my $val = get_indexed_value($name, scalar $block->error_code_like,
                                        $req_idx, $need_array);
            Test::More::like($code, qr/$val/sm, "$name - status code ok");

        } elsif (defined $block->error_code) {
            Test::More::is($code,
                           get_indexed_value($name, scalar $block->error_code,
                                             $req_idx, $need_array),
                           "$name - status code ok");

        } else {
            Test::More::is($code, 200, "$name - status code ok");
        }
    }

    return;
}


sub check_raw_response_headers {
    my ($block, $raw_headers, $dry_run, $req_idx, $need_array) = @_;
    my $name = $block->name;

    $raw_headers = '' unless defined $raw_headers;

    if (defined $block->raw_response_headers_like) {
        my $re = get_indexed_value($name,
                                   scalar $block->raw_response_headers_like,
                                   $req_idx, $need_array);
        SKIP: {
            Test::More::skip("$name - raw_response_headers_like - tests "
                             . "skipped due to $dry_run", 1) if $dry_run;
            Test::More::like($raw_headers, qr/$re/s,
                             "$name - raw resp headers like");
        }
    }

    if (defined $block->raw_response_headers_unlike) {
        my $re = get_indexed_value($name,
                                   scalar $block->raw_response_headers_unlike,
                                   $req_idx, $need_array);
        SKIP: {
            Test::More::skip("$name - raw_response_headers_unlike - tests "
                             . "skipped due to $dry_run", 1) if $dry_run;
            Test::More::unlike($raw_headers, qr/$re/s,
                               "$name - raw resp headers unlike");
        }
    }

    return;
}


# "Name: value" lines; "!Name" means the header must be absent (undef).
sub parse_headers {
    my ($s) = @_;
    my (@order, %h);

    for my $line (split /\n/, defined $s ? $s : '') {
        my ($neg, $key, $val);

        $line =~ s/^\s+|\s+$//g;
        next if $line eq '';

        $neg = $line =~ s/^!\s*//;

        if ($neg) {
            ($key, $val) = ($line, undef);

        } else {
            ($key, $val) = split /\s*:\s*/, $line, 2;
        }

        push @order, $key unless exists $h{$key};
        $h{$key} = $val;
    }

    return map { [$_, $h{$_}] } @order;
}


sub check_response_headers {
    my ($block, $res, $raw_headers, $dry_run, $req_idx, $need_array) = @_;
    my $name = $block->name;

    $raw_headers = '' unless defined $raw_headers;

    if (defined $block->response_headers) {
        for my $kv (parse_headers(get_indexed_value($name,
                        scalar $block->response_headers, $req_idx,
                        $need_array)))
        {
            my ($key, $val) = @$kv;

            if (!defined $val) {
                SKIP: {
                    Test::More::skip("$name - response_headers - tests "
                                     . "skipped due to $dry_run", 1)
                        if $dry_run;
                    Test::More::unlike($raw_headers, qr/^\s*\Q$key\E\s*:/ms,
                        "$name - header $key not present in the raw headers");
                }
                next;
            }

            $val =~ s/\$ServerPort\b/$SfbHarness::Nginx::ServerPort/g;
            $val =~ s/\$ServerPortForClient\b/$SfbHarness::Nginx::ClientPort/g;

            my $actual = $res ? $res->header($key) : undef;
            $actual = '' unless defined $actual;

            SKIP: {
                Test::More::skip("$name - response_headers - tests skipped "
                                 . "due to $dry_run", 1) if $dry_run;
                Test::More::is($actual, $val, "$name - header $key ok");
            }
        }

    } elsif (defined $block->response_headers_like) {
        for my $kv (parse_headers(get_indexed_value($name,
                        scalar $block->response_headers_like, $req_idx,
                        $need_array)))
        {
            my ($key, $val) = @$kv;
            my $actual = $res ? $res->header($key) : undef;

            $actual = '' unless defined $actual;
            $val = '' unless defined $val;

            SKIP: {
                Test::More::skip("$name - response_headers_like - tests "
                                 . "skipped due to $dry_run", 1) if $dry_run;
                Test::More::like($actual, qr/^$val$/,
                                 "$name - header $key like ok");
            }
        }
    }

    return;
}


sub _body_filter {
    my ($name, $filter, $content) = @_;
    my %named = (
        md5_hex  => \&Digest::MD5::md5_hex,
        sha1_hex => \&Digest::SHA::sha1_hex,
        uc       => sub { uc $_[0] },
        lc       => sub { lc $_[0] },
        ucfirst  => sub { ucfirst $_[0] },
        lcfirst  => sub { lcfirst $_[0] },
        length   => sub { length $_[0] },
    );

    return $filter->($content) if ref $filter eq 'CODE';

    bail_out("$name - the --- response_body_filters section only supports "
             . "subroutine reference values and string values") if ref $filter;

    bail_out("$name - unknown filter, \"$filter\", specified in the --- "
             . "response_body_filters section") unless $named{$filter};

    return $named{$filter}->($content);
}


sub transform_response_body {
    my ($block, $res, $req_idx) = @_;
    my ($filters, $content, $name);

    return unless defined $res && defined($content = $res->content);

    $filters = $block->response_body_filters;
    return unless defined $filters;

    $name = $block->name;

    if (!ref $filters) {
        $filters =~ s/^\s+|\s+$//gs;
        $filters = [split /\s+/, $filters];

    } elsif (ref $filters ne 'ARRAY') {
        $filters = [$filters];
    }

    if (ref $filters->[0] eq 'ARRAY') {
        $filters = $filters->[$req_idx];
        bail_out("$name - the ---response_body_filters two-dimensional "
                 . "array unmatch the specified request($req_idx)")
            unless defined $filters;
    }

    for my $f (ref $filters eq 'ARRAY' ? @$filters : ($filters)) {
        $content = _body_filter($name, $f, $content);
    }

    $res->content($content);
    return;
}


sub check_response_body {
    my ($block, $res, $dry_run, $req_idx, $repeated_req_idx, $need_array)
        = @_;
    my $name = $block->name;
    my $content = $res ? $res->content : undef;

    if (defined $content) {
        $content =~ s/^TE: deflate,gzip;q=0\.3\r\n//gms;
        $content =~ s/^Connection: TE, close\r\n//gms;
    }

    if (defined $block->response_body || defined $block->response_body_eval) {
        my $expected;

        if ($block->response_body_eval) {
            Test::More::diag("$name - response_body_eval is DEPRECATED. "
                             . "Use response_body eval instead.");
            $expected = eval get_indexed_value(
                            $name, scalar $block->response_body_eval,
                            $req_idx, $need_array);
            warn $@ if $@;

        } else {
            $expected = get_indexed_value($name, scalar $block->response_body,
                                          $req_idx, $need_array);
        }

        if ($block->charset) {
            Encode::from_to($expected, 'UTF-8', scalar $block->charset);
        }

        if (defined $expected && !ref $expected) {
            $expected =~ s/\$ServerPort\b/$SfbHarness::Nginx::ServerPort/g;
            $expected =~
                s/\$ServerPortForClient\b/$SfbHarness::Nginx::ClientPort/g;
            $expected = _expand_env($expected, $name);
        }

        SKIP: {
            Test::More::skip("$name - response_body - tests skipped due to "
                             . "$dry_run", 1) if $dry_run;

            my $tail = "(repeated req $repeated_req_idx, req $req_idx)";

            if (ref $expected) {
                Test::More::like($content, $expected,
                                 "$name - response_body - like $tail");

            } else {
                _is_long($content, $expected,
                         "$name - response_body - response is expected "
                         . $tail);
            }
        }

    } elsif (defined $block->response_body_like
             || defined $block->response_body_unlike)
    {
        my ($pats, $type, $pat, $summary);

        if (defined $block->response_body_like) {
            ($pats, $type) = (scalar $block->response_body_like, 'like');

        } else {
            ($pats, $type) = (scalar $block->response_body_unlike, 'unlike');
        }

        $pat = get_indexed_value($name, $pats, $req_idx, $need_array);
        $pat =~ s/\$ServerPort\b/$SfbHarness::Nginx::ServerPort/g;
        $pat =~ s/\$ServerPortForClient\b/$SfbHarness::Nginx::ClientPort/g;

        $summary = _trim_summary($content);

        SKIP: {
            Test::More::skip("$name - response_body_$type - tests skipped due "
                             . "to $dry_run", 1) if $dry_run;

            my $desc = "$name - response_body_$type - response is expected "
                       . "($summary)";

            if ($type eq 'like') {
                Test::More::like($content, qr/$pat/s, $desc);

            } else {
                Test::More::unlike($content, qr/$pat/s, $desc);
            }
        }
    }

    for my $check (@ResponseBodyChecks) {
        $check->($block, $res ? $res->content : undef, $req_idx,
                 $repeated_req_idx, $dry_run);
    }

    return;
}


sub _trim_summary {
    my ($s) = @_;

    return '' unless defined $s;

    $s =~ s/^\s+|\s+$//g;
    $s =~ s/\n/ /gs;
    $s =~ s/\s{2,}/ /gs;

    return $s;
}


# String equality; on failure also say where the strings first differ,
# which is what Test::LongString adds to the real scaffold's output.
sub _is_long {
    my ($got, $expected, $desc) = @_;
    my ($ok, $i, $max);

    $ok = Test::More::is($got, $expected, $desc);

    if (!$ok && !$NoLongString && defined $got && defined $expected) {
        $max = min(length $got, length $expected);
        for ($i = 0; $i < $max; $i++) {
            last if substr($got, $i, 1) ne substr($expected, $i, 1);
        }
        Test::More::diag("strings begin to differ at char " . ($i + 1)
                         . " (length got " . length($got) . ", expected "
                         . length($expected) . ")");
    }

    return $ok;
}


sub _fmt_str {
    my ($s) = @_;

    chomp $s;
    $s =~ s/"/\\"/g;
    $s =~ s/\r/\\r/g;
    $s =~ s/\n/\\n/g;

    return $s;
}


# A pattern section value: a string (one pattern per line), a qr// or an
# array of those.
sub _pattern_list {
    my ($pats) = @_;

    if (!ref $pats) {
        chomp $pats;
        return [split /\n+/, $pats];
    }

    return [$pats] if ref $pats eq 'Regexp';
    return [@$pats];
}


sub _line_matches {
    my ($line, $pat) = @_;

    return (ref $pat && $line =~ /$pat/) || $line =~ /\Q$pat\E/;
}


sub _value_contains {
    my ($val, $pat) = @_;

    return $val =~ /\Q$pat\E/ if !ref $val || ref $val eq 'Regexp';

    if (ref $val eq 'ARRAY') {
        for my $v (@$val) {
            return 1 if _value_contains($v, $pat);
        }
    }

    return undef;
}


sub _check_present {
    my ($lines, $pats, $name, $file, $suffix) = @_;

    for my $line (@$lines) {
        for my $pat (@$pats) {
            next unless defined $pat;
            if (_line_matches($line, $pat)) {
                Test::More::pass("$name - pattern \"$pat\" matches a line in "
                                 . "$file$suffix");
                undef $pat;
            }
        }
    }

    for my $pat (@$pats) {
        next unless defined $pat;
        Test::More::fail("$name - pattern \"$pat\" should match a line in "
                         . "$file$suffix");
    }

    return;
}


sub _check_absent {
    my ($lines, $pats, $name, $file, $suffix, $context) = @_;
    my %found;

    for my $i (0 .. $#$lines) {
        my $line = $lines->[$i];

        for my $pat (@$pats) {
            next unless defined $pat;
            next unless _line_matches($line, $pat);

            $found{$pat} = 1;

            my $more = '';
            if ($context) {
                for (my $j = $i + 1; $j < min($i + 10, @$lines - 1); $j++) {
                    $more .= $lines->[$j];
                }
                $more = "\n$more";
            }

            Test::More::fail("$name - pattern \"" . _fmt_str($pat)
                             . "\" should not match any line in $file but "
                             . "matches line \"" . _fmt_str($line) . "\""
                             . "$suffix$more");
        }
    }

    for my $pat (@$pats) {
        next if !defined $pat || $found{$pat};
        Test::More::pass("$name - pattern \"" . _fmt_str($pat)
                         . "\" does not match a line in $file$suffix");
    }

    return;
}


sub check_error_log {
    my ($block, $res, $dry_run, $repeated_req_idx, $need_array) = @_;
    my $name = $block->name;
    my ($lines, $grep_pat, %warn_for);

    %warn_for = map { $_ => 1 } qw(alert crit emerg);

    my $get_lines = sub { $lines ||= SfbHarness::Nginx::error_log_lines() };

    my $grep_pats = $block->grep_error_log;

    if (defined $grep_pats) {
        $grep_pat = ref $grep_pats eq 'ARRAY'
                    ? $grep_pats->[$repeated_req_idx] : $grep_pats;

    } elsif (defined $block->grep_error_log_out) {
        bail_out("$name - No --- grep_error_log defined but --- "
                 . "grep_error_log_out is defined");
    }

    if (defined $grep_pat) {
        my $expected = $block->grep_error_log_out;
        my $matched = '';

        bail_out("$name - No --- grep_error_log_out defined but --- "
                 . "grep_error_log is defined") unless defined $expected;

        # expanded before an array is indexed, as the real one does
        $expected = _expand_env($expected, $name) unless ref $expected;
        $expected = $expected->[$repeated_req_idx]
            if ref $expected eq 'ARRAY';

        SKIP: {
            Test::More::skip("$name - error_log - tests skipped due to "
                             . "$dry_run", 1) if $dry_run;

            for my $line (@{ $get_lines->() }) {
                if ((ref $grep_pat && $line =~ /$grep_pat/)
                    || $line =~ /\Q$grep_pat\E/)
                {
                    my $m = $&;
                    $matched .= "$m\n" if $m !~ /\n/;
                }
            }

            my $desc = "$name - grep_error_log_out (req $repeated_req_idx)";

            if (ref $expected eq 'Regexp') {
                Test::More::like($matched, $expected, $desc);

            } else {
                _is_long($matched, $expected, $desc);
            }
        }
    }

    for my $sect (qw(error_log no_error_log)) {
        my $pats = $block->$sect;

        next unless defined $pats;

        for my $lvl (keys %warn_for) {
            delete $warn_for{$lvl} if _value_contains($pats, "[$lvl");
        }

        $pats = _pattern_list($pats);

        if ($dry_run) {
            SKIP: {
                Test::More::skip("$name - $sect - tests skipped due to "
                                 . "$dry_run", scalar @$pats);
            }
            next;
        }

        if ($sect eq 'error_log') {
            _check_present($get_lines->(), $pats, $name, 'error.log',
                           " (req $repeated_req_idx)");

        } else {
            _check_absent($get_lines->(), $pats, $name, 'error.log',
                          " (req $repeated_req_idx)", 1);
        }
    }

    if (!$dry_run) {
        for my $line (@{ $get_lines->() }) {
            for my $lvl (sort keys %warn_for) {
                warn "WARNING: $name - " . _fmt_str($line) . "\n"
                    if $line =~ /\[$lvl\]/;
            }
        }
    }

    for my $line (@{ $lines || [] }) {
        if ($line =~ /\bAssertion .*?failed\b/) {
            chomp(my $l = $line);
            Test::More::fail("$name - $l\n");
        }
    }

    return;
}


sub check_access_log {
    my ($block, $dry_run, $repeated_req_idx) = @_;
    my $name = $block->name;
    my $lines;

    for my $sect (qw(access_log no_access_log)) {
        my $pats = $block->$sect;

        next unless defined $pats;

        $pats = _pattern_list($pats);
        $lines ||= SfbHarness::Nginx::access_log_lines();

        if ($dry_run) {
            SKIP: {
                Test::More::skip("$name - $sect - tests skipped due to "
                                 . "$dry_run", scalar @$pats);
            }
            next;
        }

        if ($sect eq 'access_log') {
            _check_present($lines, $pats, $name, 'access.log',
                           " (req $repeated_req_idx)");

        } else {
            _check_absent($lines, $pats, $name, 'access.log',
                          " (req $repeated_req_idx)", 1);
        }
    }

    return;
}


# "--- shutdown_error_log" of the previous block: what nginx logged while
# quitting, checked once that nginx is gone.
sub _check_prev_block_shutdown_error_log {
    my $block = $PrevBlock;
    my ($name, $lines, $pats);

    return unless defined $block && defined $block->shutdown_error_log;

    $name = $block->name;
    $lines = SfbHarness::Nginx::error_log_lines();

    if (defined $block->no_shutdown_error_log) {
        _check_absent($lines,
                      _pattern_list(scalar $block->no_shutdown_error_log),
                      $name, 'error.log', '', 0);
    }

    $pats = _pattern_list(scalar $block->shutdown_error_log);
    _check_present($lines, $pats, $name, 'error.log', '');

    for my $line (@$lines) {
        if ($line =~ /\bAssertion .*? failed\.$/) {
            chomp(my $l = $line);
            Test::More::fail("$name - $l");
        }
    }

    undef $PrevBlock;
    return;
}


# ---- cleanup: never leave nginx behind ----

sub _stop_everything {
    return if $$ != $OwnerPid;

    for my $hdl (@CleanupHandlers) {
        eval { $hdl->() };
    }
    @CleanupHandlers = ();

    SfbHarness::Nginx::stop('cleanup')
        if !$SfbHarness::Nginx::NoNginxManager && (SfbHarness::Nginx::running()
                                   || $SfbHarness::Nginx::ChildPid);
    return;
}


sub _finish {
    return if $Finished++;

    _stop_everything();
    _check_prev_block_shutdown_error_log();

    return;
}


sub _install_signal_handlers {
    for my $sig (qw(INT TERM HUP)) {
        my $cur = $SIG{$sig};
        next if defined $cur && $cur ne '' && $cur ne 'DEFAULT';

        $SIG{$sig} = sub {
            $Finished = 1;
            _stop_everything();
            $SIG{$sig} = 'DEFAULT';
            kill $sig, $$;
        };
    }

    return;
}


END {
    if ($$ == $OwnerPid && !$Finished) {
        local $?;
        $Finished = 1;
        _stop_everything();
    }
}


1;
__END__

=head1 NAME

Test::Nginx::Socket - sf-backup-gate's stand-in for CPAN's Test::Nginx::Socket

=head1 SYNOPSIS

    PERL5LIB=t/lib prove -r t/      # what scripts/test does without the real one

=head1 WHAT IS SUPPORTED

Blocks (C<=== TEST n: title>), C<--- name> / C<--- name: value> sections,
the default C<norm>/C<trim> filters plus C<eval>, C<chomp>, C<chop> and a few
more Test::Base filters, C<ONLY>/C<SKIP>/C<FIRST>/C<LAST>.

Sections: main_config, http_config, config, post_main_config, server_name,
log_level, error_log_file, user_files, init, request (string, eval array,
packets with delay_before), request_eval, raw_request,
raw_request_middle_delay, pipelined_requests, more_headers, shutdown,
timeout, abort, wait, ignore_response, http09, server_addr_for_client,
error_code, error_code_like, response_headers, response_headers_like,
raw_response_headers_like/unlike, response_body, response_body_like/unlike,
response_body_eval, response_body_filters, charset, error_log, no_error_log,
grep_error_log, grep_error_log_out, access_log, no_access_log,
shutdown_error_log, no_shutdown_error_log, must_die, skip_eval, skip_nginx,
todo. Unknown sections (no_check_leak, ...) are accepted and ignored.

=head1 ENVIRONMENT

What the real Test::Nginx (lib/Test/Nginx/Util.pm and Socket.pm) reads, with
the same meaning, and nothing else of its own but the two extensions below:

TEST_NGINX_BINARY (default: nginx from PATH), TEST_NGINX_SERVROOT (the
server root directory to use, default t/servroot), TEST_NGINX_SERVER_PORT
and TEST_NGINX_PORT (default 1984), TEST_NGINX_CLIENT_PORT,
TEST_NGINX_LOAD_MODULES, TEST_NGINX_LD_PRELOAD (put before LD_PRELOAD for
nginx only), TEST_NGINX_NO_SHUFFLE, TEST_NGINX_USE_VALGRIND
(valgrind.suppress in the current directory is used if present),
TEST_NGINX_SLEEP, TEST_NGINX_TIMEOUT, TEST_NGINX_LOG_LEVEL,
TEST_NGINX_MASTER_PROCESS, TEST_NGINX_WORKER_USER, TEST_NGINX_EVENT_TYPE,
TEST_NGINX_POSTPONE_OUTPUT, TEST_NGINX_FORCE_RESTART_ON_TEST,
TEST_NGINX_NO_NGINX_MANAGER, TEST_NGINX_CHECK_ACCUM_ERR_LOG.

The real scaffold's other modes are refused (the run bails out) when set:
TEST_NGINX_USE_HUP, TEST_NGINX_USE_HTTP2, TEST_NGINX_USE_HTTP3,
TEST_NGINX_USE_STAP, TEST_NGINX_USE_RR, TEST_NGINX_CHECK_LEAK,
TEST_NGINX_BENCHMARK, TEST_NGINX_RANDOMIZE,
TEST_NGINX_IGNORE_MISSING_DIRECTIVES.  The rest it reads
(TEST_NGINX_VERBOSE, TEST_NGINX_NO_CLEAN, ...) only change its own
reporting or clean-up and are ignored here.

What the harness sets, as the real one does: TEST_NGINX_SERVER_ROOT (the
server root in use, when the module is loaded) and TEST_NGINX_SERVER_PORT
(when run_tests() starts, unless set already).

Substitution, as the real expand_env_in_text(): C<$TEST_NGINX_FOO> in
config, http_config, main_config, post_main_config, error_log_file,
user_files, pipelined_requests, response_body (a string) and
grep_error_log_out (before an array is indexed) becomes the value of
TEST_NGINX_FOO in the environment; C<$TEST_NGINX_RAND_PORT_n> a free port
chosen once per block; any other C<$TEST_NGINX_...>, one that is not set,
bails out ("No environment TEST_NGINX_FOO defined"): a test file cannot use
a variable the real scaffold would not know.  (A test file that wants a
value of its own sets it in %ENV itself, as ours do with
C<$ENV{TEST_NGINX_SIM_PORT} ||= 1985>.)

Our extensions (ignored by the real module, harmless under it):
TEST_NGINX_VALGRIND_SUPP (an extra --suppressions file for valgrind) and
TEST_NGINX_VALGRIND_LOG (a directory: valgrind writes each process's report
to valgrind.<pid> there instead of stderr, and the file C<blocks> maps each
pid to its block).

=head1 DIFFERENCES FROM THE REAL MODULE

nginx listens on 127.0.0.1:port instead of *:port.  A bad configuration is
one failing test ("- nginx started", with nginx's stderr as diagnostics)
instead of a 30-second retry and BAIL_OUT.  The client stops reading once
all expected responses are complete (and the server had 0.2 s to close),
instead of waiting for the close; HEAD responses among pipelined requests
are split correctly.  Not implemented, and refused when the environment
asks for them (see L</ENVIRONMENT>): HUP reload mode, check-leak and
benchmark modes, systemtap, rr, HTTP/2 and HTTP/3 (curl),
TEST_NGINX_RANDOMIZE.  Not implemented: embedded TCP/UDP servers
(tcp_listen, udp_listen), TEST_NGINX_NO_CLEAN.

=cut
