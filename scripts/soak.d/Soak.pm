# Shared by scripts/soak.d/load and scripts/soak.d/abuse: the kinds of
# request the soak sends, reading an answer off a socket, and judging it:
# 202 (or 200 for the ungoverned call) with the expected body, or a
# well-formed FabricError whose status and Code fit the request's class.
package Soak;

use strict;
use warnings;

use Exporter qw(import);
use IO::Select;
use JSON::PP ();

our @EXPORT_OK = qw(%KIND @ROTATION request read_answer judge);

my $UUID = '1daae3f5-7fd6-42e9-b1ba-8c05f873994d';
my $Q = '?api-version=6.2-preview';
my $P = "/Partitions/$UUID/\$/EnableBackup";

sub body { return qq({"BackupPolicyName":"$_[0]"}) }

# name => [class, method, uri, X-Team, Content-Type, body, statuses]
# class: allowed (forwarded: the cluster's answer or a gateway 502/504),
# denied (403), malformed (4xx from the gate or nginx), ungoverned.
our %KIND = (
    allow_partition   => ['allowed', 'POST', "$P$Q", 'team-a',
                          'application/json', body('DailyAzureBackupPolicy'),
                          [202]],
    allow_service     => ['allowed', 'POST',
                          "/Services/app~svc/\$/EnableBackup$Q&timeout=60",
                          'team-a', 'application/json',
                          body('HourlyBackupPolicy'), [202]],
    allow_application => ['allowed', 'POST',
                          "/Applications/app/\$/EnableBackup$Q", 'team-b',
                          'application/json', body('WeeklyBackupPolicy'),
                          [202]],
    allow_404         => ['allowed', 'POST',
                          "/Partitions/00000000-0000-0000-0000-000000000404/\$/EnableBackup$Q",
                          'team-a', 'application/json',
                          body('DailyAzureBackupPolicy'), [404]],
    allow_500         => ['allowed', 'POST',
                          "/Partitions/00000000-0000-0000-0000-000000000500/\$/EnableBackup$Q",
                          'team-a', 'application/json',
                          body('DailyAzureBackupPolicy'), [500]],
    deny_policy       => ['denied', 'POST', "$P$Q", 'team-a',
                          'application/json', body('WeeklyBackupPolicy'),
                          [403]],
    deny_team         => ['denied', 'POST', "$P$Q", 'team-b',
                          'application/json', body('DailyAzureBackupPolicy'),
                          [403]],
    deny_identity     => ['denied', 'POST', "$P$Q", undef,
                          'application/json', body('DailyAzureBackupPolicy'),
                          [403]],
    bad_api_version   => ['malformed', 'POST', "$P?api-version=9.9",
                          'team-a', 'application/json',
                          body('DailyAzureBackupPolicy'), [400]],
    bad_timeout       => ['malformed', 'POST', "$P$Q&timeout=0", 'team-a',
                          'application/json', body('DailyAzureBackupPolicy'),
                          [400]],
    bad_json          => ['malformed', 'POST', "$P$Q", 'team-a',
                          'application/json', '{"BackupPolicyName":', [400]],
    bad_schema        => ['malformed', 'POST', "$P$Q", 'team-a',
                          'application/json', '{"BackupPolicyName":42}',
                          [400]],
    bad_path          => ['malformed', 'POST',
                          "/Partitions/not-a-uuid/\$/EnableBackup$Q",
                          'team-a', 'application/json',
                          body('DailyAzureBackupPolicy'), [400]],
    bad_method        => ['malformed', 'GET', "$P$Q", 'team-a', undef, '',
                          [405]],
    bad_type          => ['malformed', 'POST', "$P$Q", 'team-a',
                          'text/plain', body('DailyAzureBackupPolicy'),
                          [415]],
    # over sf_backup_max_body (4k): the gate refuses it
    too_large         => ['malformed', 'POST', "$P$Q", 'team-a',
                          'application/json',
                          '{' . (' ' x 5000) . '"BackupPolicyName":"x"}',
                          [413]],
    # over client_max_body_size (8k): nginx refuses it before the gate
    too_large_nginx   => ['malformed', 'POST', "$P$Q", 'team-a',
                          'application/json',
                          '{' . (' ' x 10000) . '"BackupPolicyName":"x"}',
                          [413]],
    cluster_version   => ['ungoverned', 'GET',
                          '/$/GetClusterVersion?api-version=6.0', undef,
                          undef, '', [200]],
);

# one turn of the load's mix: 10 allowed, 5 denied, 9 malformed, 1 other
our @ROTATION = qw(
    allow_partition deny_policy bad_api_version allow_service
    allow_partition bad_timeout deny_team allow_application bad_json
    allow_404 allow_partition bad_schema deny_identity allow_service
    bad_path allow_partition bad_method deny_policy allow_application
    bad_type allow_500 too_large deny_team cluster_version too_large_nginx
);

# the gateway's own answers when the cluster fails: README, "FabricError
# answers"
my %UPSTREAM_FAULT = (502 => 'FABRIC_E_COMMUNICATION_ERROR',
                      504 => 'FABRIC_E_TIMEOUT');

my %CODE = (400 => qr/^(E_INVALIDARG|FABRIC_E_INVALID_NAME_URI)$/,
            403 => qr/^E_ACCESSDENIED$/,
            404 => qr/^FABRIC_E_PARTITION_NOT_FOUND$/,
            405 => qr/^E_INVALIDARG$/,
            413 => qr/^FABRIC_E_VALUE_TOO_LARGE$/,
            415 => qr/^E_INVALIDARG$/,
            500 => qr/^E_FAIL$/,
            502 => qr/^FABRIC_E_COMMUNICATION_ERROR$/,
            504 => qr/^FABRIC_E_TIMEOUT$/);

my $json = JSON::PP->new;


# request(NAME, HOST [, CLOSE]): the request's bytes, split into head and
# body
sub request {
    my ($name, $host, $close) = @_;
    my ($class, $method, $uri, $team, $type, $body) = @{ $KIND{$name} };
    my $head = "$method $uri HTTP/1.1\r\nHost: $host\r\n";

    $head .= "X-Team: $team\r\n" if defined $team;
    $head .= "Content-Type: $type\r\n" if defined $type;
    $head .= 'Content-Length: ' . length($body) . "\r\n" if $method eq 'POST';
    $head .= "Connection: close\r\n" if $close;

    return ("$head\r\n", $body);
}


# read_answer(SOCKET, TIMEOUT, \$BUF): { status, headers (lower-cased
# names), body, raw, close } or undef with $@ set ("eof" if the connection
# ended before any byte of an answer)
sub read_answer {
    my ($s, $timeout, $buf) = @_;
    my $sel = IO::Select->new($s);
    my $deadline = time + $timeout;

    my $more = sub {
        my $left = $deadline - time;
        if ($left <= 0 || !$sel->can_read($left)) {
            $@ = 'timeout';
            return 0;
        }
        my $n = sysread $s, $$buf, 65536, length $$buf;
        if (!$n) {
            $@ = length $$buf ? 'eof mid-answer' : 'eof';
            $@ .= " ($!)" if !defined $n;
            return 0;
        }
        return 1;
    };

    while ($$buf !~ /\r\n\r\n/) {
        $more->() or return;
    }

    $$buf =~ s/\A(.*?\r\n)\r\n//s;
    my $head = $1;
    my ($status) = $head =~ m{\AHTTP/1\.1 (\d{3}) } or do {
        $@ = 'bad status line';
        return;
    };
    my %h;

    for (split /\r\n/, $head) {
        $h{lc $1} = $2 if /^([^:\s]+):\s*(.*?)\s*$/;
    }

    my $body = '';

    if (defined $h{'content-length'}) {
        while (length $$buf < $h{'content-length'}) {
            $more->() or return;
        }
        $body = substr $$buf, 0, $h{'content-length'}, '';

    } elsif (($h{'transfer-encoding'} // '') =~ /chunked/i) {
        while (1) {
            while ($$buf !~ /\A([0-9a-fA-F]+)[^\r\n]*\r\n/) {
                $more->() or return;
            }
            my $n = hex $1;
            while (length $$buf < length($&) + $n + 2) {
                $more->() or return;
            }
            substr $$buf, 0, length $&, '';
            $body .= substr $$buf, 0, $n, '';
            substr $$buf, 0, 2, '';
            last if $n == 0;
        }

    } elsif ($status != 204 && $status != 304) {
        1 while $more->();
        $body = $$buf;
        $$buf = '';
    }

    return { status => $status, headers => \%h, body => $body,
             raw => "$head\r\n$body",
             close => (($h{connection} // '') =~ /close/i) ? 1 : 0 };
}


# judge(NAME, ANSWER): '' if the answer is right for the kind of request,
# else what is wrong with it
sub judge {
    my ($name, $a) = @_;
    my ($class, $expect) = @{ $KIND{$name} }[0, 6];
    my ($st, $h, $body) = @$a{qw(status headers body)};
    my $want = join '|', @$expect,
                   $class eq 'allowed' || $class eq 'ungoverned'
                   ? keys %UPSTREAM_FAULT : ();

    return "status $st for a request of kind $name (want $want)"
        unless grep { $_ == $st } split /\|/, $want;

    if ($st == 202) {
        return "202 with a body" if length $body;
        return '';
    }

    if ($st == 200) {
        return "200 without the cluster's version"
            unless $body =~ /^\{"Version":"[^"]+"\}$/;
        return '';
    }

    # an error: a FabricError, whoever made it
    return "no X-Request-Id on a $st"
        unless ($h->{'x-request-id'} // '') =~ /^[0-9a-f]{32}$/;
    return "Content-Type \"" . ($h->{'content-type'} // '') . "\" on a $st"
        unless ($h->{'content-type'} // '')
               eq 'application/json; charset=utf-8';
    return "Content-Length does not match the body"
        unless defined $h->{'content-length'}
               && $h->{'content-length'} == length $body;

    my $doc = eval { $json->decode($body) };
    return "not JSON: $@" unless ref $doc eq 'HASH';
    return "not {\"Error\":{...}}"
        unless join(',', sort keys %$doc) eq 'Error'
               && ref $doc->{Error} eq 'HASH'
               && join(',', sort keys %{ $doc->{Error} }) eq 'Code,Message';

    my ($code, $msg) = @{ $doc->{Error} }{qw(Code Message)};

    return "Code or Message not a non-empty string"
        if ref $code || ref $msg || !length $code || !length $msg;
    return "Code $code on a $st" unless $code =~ ($CODE{$st} // qr/^$/);

    # replaced bodies carry the request id (the cluster's own FabricError
    # passes through unchanged)
    return "the Message lacks the request id"
        if $st != 404 && index($msg, $h->{'x-request-id'}) < 0;

    return '';
}

1;
