#!/usr/bin/perl
# usage: structure.pl SRC_DIR OBJ_DIR...
#
# The structure of src/ as a graph of units: a .c with the header of the
# same name is one unit; a header no .c owns is a unit of its own.  A unit
# points at another when one of its files includes the other's header, or
# when its object uses a symbol the other's object defines (nm).  Fails on:
#   - a circle: two units that reach each other;
#   - a source file over the line limit;
#   - a helper written twice: two functions of the same name, or two
#     function bodies of some length that are the same but for spaces and
#     comments.
use strict;
use warnings;
use File::Basename qw(basename dirname);
use File::Find;

my $max_lines = 800;
my $min_body = 120;   # bytes of a normalised body worth comparing

my ($src, @objdirs) = @ARGV;
die "usage: $0 SRC_DIR OBJ_DIR...\n" unless defined $src && -d $src;

my (@files, %unit_of, %units, %edges, $bad);

find({ no_chdir => 1, wanted => sub {
    push @files, $File::Find::name if /\.[ch]$/;
} }, $src);
@files = sort @files;

# the units
my %has_c = map { (my $u = $_) =~ s/\.c$//; ($u => 1) } grep { /\.c$/ } @files;
for my $f (@files) {
    (my $stem = $f) =~ s/\.[ch]$//;
    my $u = $stem;
    $u =~ s{^\Q$src\E/}{};
    $u .= '.h' if $f =~ /\.h$/ && !$has_c{$stem};
    $unit_of{$f} = $u;
    $units{$u} = 1;
}

my %header = map { basename($_) => $_ } grep { /\.h$/ } @files;

sub problem { print "structure: @_\n"; $bad = 1 }

# includes and sizes
for my $f (@files) {
    open my $fh, '<', $f or die "$f: $!\n";
    my $n = 0;
    while (<$fh>) {
        $n++;
        if (/^\s*#\s*include\s+"([^"]+)"/) {
            my $h = $header{basename($1)};
            next unless defined $h;
            my ($a, $b) = ($unit_of{$f}, $unit_of{$h});
            $edges{$a}{$b} = "$f:$n includes $1" if $a ne $b;
        }
    }
    close $fh;
    problem("$f: $n lines, more than $max_lines: split it")
        if $n > $max_lines;
}

# calls, from the objects' symbols
my (%defined_in, %uses);
for my $dir (@objdirs) {
    for my $o (glob("$dir/*.o")) {
        (my $name = basename($o)) =~ s/\.o$//;
        my ($c) = grep { basename($_) eq "$name.c" } @files;
        next unless defined $c;
        for (`nm -P "$o"`) {
            my ($sym, $type) = split;
            next unless defined $type;
            if ($type eq 'U') {
                push @{ $uses{$unit_of{$c}} }, $sym;
            } elsif ($type =~ /^[TDBRVW]$/) {
                $defined_in{$sym} = $unit_of{$c};
            }
        }
    }
}
for my $u (keys %uses) {
    for my $sym (@{ $uses{$u} }) {
        my $v = $defined_in{$sym};
        next unless defined $v && $v ne $u;
        # an nginx module's ngx_module_t is every file's way to its conf
        next if $sym =~ /^ngx_http_\w+_module$/;
        $edges{$u}{$v} //= "$u calls $sym";
    }
}

# circles: strongly connected components (Tarjan)
my ($index, @stack, %idx, %low, %on) = (0);
my @sccs;
sub visit {
    my ($v) = @_;
    $idx{$v} = $low{$v} = $index++;
    push @stack, $v; $on{$v} = 1;
    for my $w (sort keys %{ $edges{$v} || {} }) {
        if (!defined $idx{$w}) {
            visit($w);
            $low{$v} = $low{$w} if $low{$w} < $low{$v};
        } elsif ($on{$w}) {
            $low{$v} = $idx{$w} if $idx{$w} < $low{$v};
        }
    }
    if ($low{$v} == $idx{$v}) {
        my @c;
        while (1) { my $w = pop @stack; $on{$w} = 0; push @c, $w; last if $w eq $v }
        push @sccs, [sort @c] if @c > 1;
    }
}
for my $v (sort keys %units) { visit($v) unless defined $idx{$v} }

for my $c (@sccs) {
    my %in = map { $_ => 1 } @$c;
    problem("a circle of " . scalar(@$c) . " units: @$c");
    for my $a (@$c) {
        for my $b (sort keys %{ $edges{$a} || {} }) {
            print "    $a -> $b ($edges{$a}{$b})\n" if $in{$b};
        }
    }
}

# helpers written twice: function definitions, by name and by body
my (%by_name, %by_body);
for my $f (grep { /\.c$/ } @files) {
    open my $fh, '<', $f or die "$f: $!\n";
    my @l = <$fh>;
    close $fh;
    for (my $i = 0; $i < @l; $i++) {
        # nginx style: the name at the start of a line, "{" alone below
        next unless $l[$i] =~ /^([a-z_][a-z0-9_]*)\(/;
        my $name = $1;
        my $j = $i;
        $j++ while $j < @l && $l[$j] !~ /^\{/;
        my $k = $j;
        $k++ while $k < @l && $l[$k] !~ /^\}/;
        my $body = join '', @l[$j .. $k];
        $body =~ s{/\*.*?\*/}{}gs;
        $body =~ s/\s+//g;
        push @{ $by_name{$name} }, "$f:" . ($i + 1);
        push @{ $by_body{$body} }, "$name ($f:" . ($i + 1) . ")"
            if length($body) >= $min_body;
        $i = $k;
    }
}
for my $name (sort keys %by_name) {
    my @at = @{ $by_name{$name} };
    problem("$name is defined " . scalar(@at) . " times: @at") if @at > 1;
}
for my $body (sort keys %by_body) {
    my @at = @{ $by_body{$body} };
    problem("the same body " . scalar(@at) . " times: @at") if @at > 1;
}

if ($bad) {
    exit 1;
}

printf "structure: %d files, %d units, %d arrows, no circle\n",
    scalar(@files), scalar(keys %units),
    scalar(map { keys %$_ } values %edges);
