package SfbHarness::Standalone;

# For the suites that run an nginx of their own (several workers, reloads,
# signals) with Test::More rather than Test::Nginx::Socket: commands, files,
# and waiting for the server.

use strict;
use warnings;

use Exporter 'import';
use IO::Socket::INET;
use Test::More ();
use Time::HiRes qw(sleep);

our @EXPORT_OK = qw(run write_file slurp wait_for_pid wait_for_port
                    wait_for_exit);


# (exit code, stdout and stderr) of a command run through the shell
sub run {
    my @cmd = @_;
    my $out = qx{@{[ join ' ', map { "'$_'" } @cmd ]} 2>&1};
    return ($? >> 8, $out);
}


sub write_file {
    my ($path, $text) = @_;
    open my $out, '>', $path or die "$path: $!";
    print $out $text;
    close $out or die "$path: $!";
}


# the file's text, '' when it cannot be read
sub slurp {
    my ($path) = @_;
    open my $in, '<', $path or return '';
    local $/;
    return scalar <$in>;
}


# the master's pid, once nginx wrote it under the prefix dir
sub wait_for_pid {
    my ($dir) = @_;

    for (1 .. 100) {
        my $pid = slurp("$dir/logs/nginx.pid");
        return $1 if $pid =~ /(\d+)/;
        sleep 0.05;
    }

    Test::More::BAIL_OUT('no nginx.pid');
}


sub wait_for_port {
    for (1 .. 100) {
        return if IO::Socket::INET->new("127.0.0.1:$_[0]");
        sleep 0.05;
    }

    Test::More::BAIL_OUT("nothing listens on $_[0]");
}


sub wait_for_exit {
    my ($pid) = @_;

    for (1 .. 100) {
        return unless kill 0, $pid;
        sleep 0.05;
    }

    Test::More::diag("nginx $pid did not exit");
}


1;
