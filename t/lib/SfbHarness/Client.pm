package SfbHarness::Client;

# The HTTP/1.x client side: building the request bytes from a block's
# request sections, sending them over one TCP connection, reading the
# answer with bounded timeouts, and splitting/parsing responses.

use strict;
use warnings;

use Errno qw(EAGAIN EWOULDBLOCK EINTR);
use IO::Select ();
use IO::Socket::INET ();
use Time::HiRes qw(sleep time);

# Never wait longer than this for one connection, whatever the server does.
our $MaxConnectionTime = 120;


# Parse "METHOD [URI [VERSION]]\n[body]" into its parts; leading blanks and
# "#" comment lines were already removed by the caller.
sub parse_request_text {
    my ($text) = @_;
    my ($first, $rest, $meth, $url, $ver, %r);

    ($first, $rest) = $text =~ /\A([^\n]*\n?)(.*)\z/s;

    return undef unless defined $first && $first =~ /\S/;

    if ($first !~ /^\s*(\S+)( *)(?:(\S+)( *))?(?:(\S+)( *))?\s*$/) {
        return undef;
    }

    ($meth, $url, $ver) = ($1, $3, $5);

    return {
        method  => $meth,
        url     => defined $url ? $url : '/',
        version => defined $ver ? $ver : 'HTTP/1.1',
        content => defined $rest ? $rest : '',
    };
}


# "--- more_headers" text to "Key: value\r\n" lines; also reports whether
# the request body is chunked.
sub parse_more_headers {
    my ($in) = @_;
    my ($out, $chunked) = ('', 0);

    for my $line (split /\n+/, defined $in ? $in : '') {
        my ($key, $val);

        next if $line =~ /^\s*#/;

        ($key, $val) = split /:\s*/, $line, 2;
        $val = '' unless defined $val;

        $chunked = 1 if lc $key eq 'transfer-encoding' && $val eq 'chunked';

        $out .= "$key: $val\r\n";
    }

    return ($out, $chunked);
}


# Build one request from its packets (strings sent with separate writes).
# Returns the list of packets with the request line and headers rewritten,
# plus the method, or (undef, error).
sub build_request {
    my ($packets, $more_headers, $conn, $host) = @_;
    my ($text, $req, $hdr, $chunked, $content, $headers, $head, @out);
    my ($orig_content_start, $lead_trim, $pos, @bounds);

    $text = join '', map { $_->{value} } @$packets;

    # where the first line ends in the original text
    $text =~ /\A[^\n]*\n?/;
    $orig_content_start = $+[0];

    $req = parse_request_text($text)
        or return (undef, "Request line is not valid. Should be "
                          . "'meth [url [version]]' but got \"$text\"");

    ($hdr, $chunked) = parse_more_headers($more_headers);

    $content = $req->{content};
    $lead_trim = 0;
    $headers = '';

    if (!$chunked && $content ne ''
        && $hdr !~ /(?:^|\n)Content-Length:/)
    {
        ($lead_trim) = map { length } $content =~ /\A(\s*)/;
        $content =~ s/^\s+|\s+$//gs;
        $headers = "Content-Length: " . length($content) . "\r\n";
    }

    $head = "$req->{method} $req->{url} $req->{version}\r\n";
    $head .= "Host: $host\r\n"
        if $hdr !~ /(?:^|\n)Host:/i;
    $head .= "Connection: $conn\r\n" if $hdr !~ /(?:^|\n)Connection/i;
    $head .= $hdr . $headers . "\r\n";

    # map the packet boundaries of the original text onto the new one:
    # a cut inside the request line stays at the end of the new head
    $pos = 0;
    for my $i (0 .. $#$packets - 1) {
        my $off;

        $pos += length $packets->[$i]{value};
        $off = $pos - $orig_content_start - $lead_trim;
        $off = 0 if $off < 0;
        $off = length $content if $off > length $content;
        push @bounds, length($head) + $off;
    }

    my $all = $head . $content;
    my $prev = 0;

    for my $i (0 .. $#$packets) {
        my $end = $i < @bounds ? $bounds[$i] : length $all;
        $end = $prev if $end < $prev;
        push @out, { %{ $packets->[$i] },
                     value => substr($all, $prev, $end - $prev) };
        $prev = $end;
    }

    return (\@out, undef, uc $req->{method});
}


# Send all packets on one connection and read until the peer closes, the
# expected number of responses is complete, or the per-event timeout hits.
# Returns (raw response, timed out?, error text).
sub send_request {
    my (%a) = @_;
    my ($sock, $sel, $wbuf, $woff, @pending, $resp, $started, $done_writing);
    my ($deadline, $connect_err, $complete, $wait);

    # a server closing early must not kill us with SIGPIPE
    local $SIG{PIPE} = 'IGNORE';

    $deadline = time + $a{connect_wait};

    while (1) {
        $sock = IO::Socket::INET->new(
            PeerAddr => $a{addr},
            PeerPort => $a{port},
            Proto    => 'tcp',
            Timeout  => $a{timeout},
        );

        last if $sock;

        $connect_err = "$!";

        return ('', 0, "Can't connect to $a{addr}:$a{port}: $connect_err")
            if time >= $deadline || ($a{alive} && !$a{alive}->());

        sleep 0.05;
    }

    $sock->blocking(0);
    binmode $sock;

    @pending = @{ $a{packets} };
    $wbuf = (shift @pending)->{value};
    $woff = 0;
    $resp = '';
    $started = time;
    $done_writing = 0;
    $complete = 0;
    $wait = $a{timeout};
    $sel = IO::Select->new($sock);

    while (1) {
        my ($r, $w);

        if (time - $started > $MaxConnectionTime) {
            close $sock;
            return ($resp, 1, undef);
        }

        ($r, $w) = IO::Select->select($sel, $done_writing ? undef : $sel,
                                      undef, $wait);

        if (!$r && !$w) {
            next if $! == EINTR;
            close $sock;
            return ($resp, $complete ? 0 : 1, undef);
        }

        if ($w && @$w) {
            my $n = syswrite($sock, $wbuf, length($wbuf) - $woff, $woff);

            if (!defined $n) {
                if ($! != EAGAIN && $! != EWOULDBLOCK && $! != EINTR) {
                    # the server may have answered and closed early
                    $done_writing = 1;
                }

            } else {
                $woff += $n;
            }

            while (!$done_writing && $woff >= length $wbuf) {
                my $next = shift @pending;

                if (!defined $next) {
                    $done_writing = 1;
                    if (defined $a{shutdown}) {
                        shutdown($sock, $a{shutdown});
                    }
                    last;
                }

                my $delay = defined $next->{delay_before}
                            ? $next->{delay_before} : $a{middle_delay};
                sleep $delay if $delay;

                ($wbuf, $woff) = ($next->{value}, 0);
            }
        }

        if ($r && @$r) {
            my $buf;
            my $n = sysread($sock, $buf, 65536);

            if (!defined $n) {
                next if $! == EAGAIN || $! == EWOULDBLOCK || $! == EINTR;
                close $sock;
                return ($resp, 0, undef);
            }

            if ($n == 0) {
                close $sock;
                return ($resp, 0, undef);
            }

            $resp .= $buf;

            # all answers are in: give the server a moment to close as
            # asked, but do not wait for a kept-alive connection
            if ($done_writing && !$complete && $a{methods}
                && count_complete($resp, $a{methods}) >= @{ $a{methods} })
            {
                $complete = 1;
                $wait = $a{timeout} < 0.2 ? $a{timeout} : 0.2;
            }
        }
    }
}


# How many complete responses $raw holds, given the request methods in
# order (HEAD responses carry no body).
sub count_complete {
    my ($raw, $methods) = @_;
    my ($pos, $n) = (0, 0);

    for my $meth (@$methods) {
        my $end = response_end($raw, $pos, $meth);
        last unless defined $end;
        $n++;
        $pos = $end;
    }

    return $n;
}


# Offset just past the response starting at $pos, or undef if incomplete
# (or delimited only by connection close).
sub response_end {
    my ($raw, $pos, $meth) = @_;
    my ($hend, $head, $code, $len, $p);

    $hend = index $raw, "\r\n\r\n", $pos;
    return undef if $hend < 0;

    $head = substr $raw, $pos, $hend - $pos;
    $hend += 4;

    ($code) = $head =~ m{\A\S+ (\d{3})};
    return undef unless defined $code;

    # an interim "100 Continue" is followed by the real response
    return response_end($raw, $hend, $meth) if $code < 200 && $code != 101;

    return $hend if $meth eq 'HEAD' || $code == 204 || $code == 304
                    || $code == 101;

    if ($head =~ /^Transfer-Encoding:[ \t]*chunked[ \t]*$/mi) {
        $p = $hend;

        while (1) {
            pos($raw) = $p;
            return undef unless $raw =~ /\G[ \t]*([0-9A-Fa-f]+)[^\r\n]*\r\n/gc;
            my $size = hex $1;
            $p = pos $raw;

            if ($size == 0) {
                # last chunk: optional trailers, then an empty line
                my $t = index $raw, "\r\n", $p;
                while ($t >= 0 && $t != $p) {
                    $p = $t + 2;
                    $t = index $raw, "\r\n", $p;
                }
                return undef if $t < 0;
                return $t + 2;
            }

            return undef if length($raw) < $p + $size + 2;
            $p += $size + 2;
        }
    }

    if (($len) = $head =~ /^Content-Length:[ \t]*(\d+)[ \t]*$/mi) {
        return length($raw) >= $hend + $len ? $hend + $len : undef;
    }

    return undef;
}


# Parse one response the way HTTP::Response->parse does, then decode a
# chunked body or cut the body at Content-Length. Returns
# (response hash or undef, raw headers, leftover bytes, error).
sub parse_response {
    my ($raw, $meth) = @_;
    my (%res, $str, $status, $raw_headers, @hdr, $enc, $len, $left);

    $raw_headers = $raw =~ /(.*?\r\n)\r\n/s ? $1 : '';

    $str = $raw;
    if ($str =~ s/^(.*)\n//) {
        $status = $1;

    } else {
        ($status, $str) = ($str, '');
    }
    $status =~ s/\r\z//;

    if ($status =~ /^\d{3} /) {
        @res{qw(code message)} = split ' ', $status, 2;

    } else {
        @res{qw(protocol code message)} = split ' ', $status, 3;
    }

    while (1) {
        if ($str =~ s/^([^\s:]+)[ \t]*: ?(.*)\n?//) {
            my ($k, $v) = ($1, $2);
            $v =~ s/\r\z//;
            push @hdr, [$k, $v];

        } elsif (@hdr && $str =~ s/^([ \t].*)\n?//) {
            my $c = $1;
            $c =~ s/\r\z//;
            $hdr[-1][1] .= "\n$c";

        } else {
            $str =~ s/^\r?\n//;
            last;
        }
    }

    $res{headers} = \@hdr;
    $res{content} = $str;

    if (defined $res{code} && $res{code} !~ /^\d+$/) {
        undef $res{code};
    }

    my $res = bless \%res, 'SfbHarness::Client::Response';
    my $code = $res{code};

    return ($res, $raw_headers, undef, undef)
        if $code && ($code == 304 || $code == 101);

    $enc = $res->header('Transfer-Encoding');
    $len = $res->header('Content-Length');

    if (defined $meth && $meth eq 'HEAD') {
        # no body follows a HEAD response, whatever Content-Length says
        $left = $str if $str ne '';
        $res{content} = '';

    } elsif (defined $enc && $enc eq 'chunked') {
        my ($decoded, $body) = ('', $str);

        pos($body) = 0;

        while (1) {
            if ($body =~ /\G0[ \t]*\r\n\r\n/gcs) {
                $left = $1 if $body =~ /\G(.+)/gcs;
                last;
            }

            if ($body =~ /\G[ \t]*([A-Fa-f0-9]+)[ \t]*\r\n/gcs) {
                my $size = hex $1;

                if (length($body) - pos($body) < $size) {
                    return (undef, $raw_headers, undef,
                            "invalid chunked data received "
                            . "(not enought octets for the data section)");
                }

                $decoded .= substr $body, pos($body), $size;
                pos($body) = pos($body) + $size;

                if ($body !~ /\G\r\n/gcs) {
                    return (undef, $raw_headers, undef,
                            "invalid chunked data received (expected CRLF).");
                }

            } elsif ($body =~ /\G(.+)/gcs) {
                return (undef, $raw_headers, undef,
                        "invalid chunked body received: $1");

            } else {
                return (undef, $raw_headers, undef,
                        "no last chunk found - $body");
            }
        }

        $res{content} = $decoded;

    } elsif (defined $len && $len =~ /^\s*\d+\s*$/) {
        if (length $str > $len) {
            $left = substr $str, $len;
            $res{content} = substr $str, 0, $len;

        } elsif (length $str < $len) {
            $res{truncated} = "$len expected, but got " . length $str;
        }
    }

    return ($res, $raw_headers, $left, undef);
}


package SfbHarness::Client::Response;

sub code    { $_[0]{code} }
sub message { $_[0]{message} }


sub content {
    my $self = shift;

    $self->{content} = shift if @_;
    return $self->{content};
}


# Like HTTP::Headers: case-insensitive, several values joined by ", ".
sub header {
    my ($self, $key) = @_;
    my @v = map { $_->[1] } grep { lc $_->[0] eq lc $key }
            @{ $self->{headers} };

    return undef unless @v;
    return wantarray ? @v : join ', ', @v;
}


1;
