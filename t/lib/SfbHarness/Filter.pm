package SfbHarness::Filter;

# Section filters with Test::Base semantics: "norm" and "trim" always run
# first, then the filters named after the section name ("--- x eval chomp").
# A filter may take an argument as "name=arg".

use strict;
use warnings;

use Carp qw(croak);

my %builtin = (
    norm          => \&_norm,
    trim          => \&_trim,
    chomp         => sub { map { my $v = $_; chomp $v; $v } @_ },
    chop          => sub { map { my $v = $_; chop $v; $v } @_ },
    unchomp       => sub { map { $_ . "\n" } @_ },
    eval          => \&_eval,
    lines         => \&_lines,
    array         => sub { [@_] },
    join          => sub { join(_arg() // '', @_) },
    append        => sub { my $a = _arg() // ''; map { $_ . $a } @_ },
    prepend       => sub { my $a = _arg() // ''; map { $a . $_ } @_ },
    split         => \&_split,
    reverse       => sub { reverse @_ },
    sort          => sub { sort @_ },
    escape        => \&_escape,
    regexp        => \&_regexp,
    base64_decode => sub { require MIME::Base64;
                           MIME::Base64::decode_base64(_scalar(@_)) },
    base64_encode => sub { require MIME::Base64;
                           MIME::Base64::encode_base64(_scalar(@_)) },
);

our $Arg;


sub apply {
    my ($block, $filter, @value) = @_;
    my ($fn, $main_fn, $old, @ret);

    local $Arg = $filter =~ s/=(.*)$// ? $1 : undef;

    # a sub of that name in the test script wins, as in Test::Base
    no strict 'refs';
    $main_fn = "main::$filter";

    if (defined &$main_fn) {
        local $_ = (@value == 1 && !defined $value[0])
                   ? undef : join '', map { defined $_ ? $_ : '' } @value;
        $old = $_;
        @ret = &$main_fn(@value);

        if (!@ret || (@ret == 1 && defined $ret[0]
                      && $ret[0] =~ /\A(\d+|)\z/))
        {
            @ret = ($_);
        }

        return @ret;
    }

    $fn = $builtin{$filter}
        or croak "Can't find a function or method for '$filter' filter";

    return $fn->(@value);
}


sub _arg { $Arg }


sub _scalar {
    croak "Input to the filter must be a scalar, not a list" if @_ != 1;
    return $_[0];
}


sub _norm {
    my $text = _scalar(@_);

    $text = '' unless defined $text;
    $text =~ s/\015\012/\n/g;
    $text =~ s/\r/\n/g;

    return $text;
}


# Drop leading blank lines and everything blank after the last newline, so
# a section keeps exactly one trailing newline.
sub _trim {
    return map {
        my $v = $_;
        if (defined $v) {
            $v =~ s/\A([ \t]*\n)+//;
            $v =~ s/(?<=\n)\s*\z//g;
        }
        $v;
    } @_;
}


sub _eval {
    my $code = _scalar(@_);
    my @ret;

    @ret = _eval_code($code);

    if ($@) {
        warn "eval filter: $@";
        return $@;
    }

    return @ret;
}


# Runs in its own package, under strict, like Test::Base's filter does.
sub _eval_code {
    package SfbHarness::Filter::Eval;
    return CORE::eval($_[0]);
}


sub _lines {
    my $text = _scalar(@_);

    return () unless length $text;
    return ($text =~ /^(.*\n?)/gm);
}


sub _split {
    my $text = _scalar(@_);
    my $sep = $Arg;

    if (defined $sep && $sep =~ s{^/(.*)/$}{$1}) {
        $sep = qr{$sep};
    }

    $sep = qr/\s+/ unless $sep;

    return split $sep, $text;
}


sub _escape {
    my $text = _scalar(@_);

    $text =~ s/(\\.)/CORE::eval "qq{$1}"/ge;

    return $text;
}


sub _regexp {
    my $text = _scalar(@_);
    my $flags = $Arg;
    my $re;

    if ($text =~ /\n.*?\n/s) {
        $flags = 'xism' unless defined $flags;

    } else {
        chomp $text;
    }

    $flags ||= '';
    $re = CORE::eval "qr{$text}$flags";
    die $@ if $@;

    return $re;
}


1;
