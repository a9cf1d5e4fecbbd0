package SfbHarness::Block;

# One test block of a Test::Nginx-style data file, and the parser that
# turns the __DATA__ text into blocks.  Section values are kept as lists
# (like Test::Base) so that filters such as "eval" may return several
# values; an accessor in scalar context yields the first one.

use strict;
use warnings;

use Carp qw(croak);
use SfbHarness::Filter ();

our $AUTOLOAD;

# Names that would shadow a method of this class cannot be sections.
my %reserved = map { $_ => 1 }
    qw(new name description seq_num set_value original_values
       is_filtered run_filters section_names can isa DESTROY AUTOLOAD
       import unimport VERSION);


sub new {
    my ($class) = @_;

    return bless {
        _section_order   => [],
        _section_filters => {},
        _original        => {},
        _filtered        => 0,
        _seq_num         => 0,
    }, $class;
}


sub set_value {
    my ($self, $key, @values) = @_;

    croak "'$key' is a reserved name. Use something else."
        if $key =~ /^_/;

    $self->{$key} = [@values];
    return;
}


sub name            { my @v = @{ $_[0]{name} || [] }; $v[0] }
sub description     { my @v = @{ $_[0]{description} || [] }; $v[0] }
sub seq_num         { $_[0]{_seq_num} }
sub is_filtered     { $_[0]{_filtered} }
sub original_values { $_[0]{_original} }
sub section_names   { @{ $_[0]{_section_order} } }


sub AUTOLOAD {
    my $self = shift;
    my $key;

    ($key = $AUTOLOAD) =~ s/.*:://;

    return if $key eq 'DESTROY' || !ref $self;

    croak "Not allowed to set values for '$key'" if @_;

    my @list = @{ $self->{$key} || [] };

    return wantarray ? @list : $list[0];
}


sub run_filters {
    my ($self, $default_filters) = @_;
    my ($type, $spec, @value, @filters);

    croak "Attempt to filter a block twice" if $self->{_filtered};

    for $type (@{ $self->{_section_order} }) {
        $spec = $self->{_section_filters}{$type};
        @value = @{ $self->{$type} || [] };
        $self->{_original}{$type} = $value[0];

        @filters = _filter_list($default_filters, $spec);

        for my $filter (@filters) {
            @value = SfbHarness::Filter::apply($self, $filter, @value);

            # set after each filter: later filters may look at the block
            $self->{$type} = [@value];
        }
    }

    $self->{_filtered} = 1;
    return;
}


# Default filters first, then the section's own; "-name" removes an
# earlier filter, "+name" appends after all the others (Test::Base rules).
sub _filter_list {
    my ($defaults, $spec) = @_;
    my (@filters, @append);

    $spec = '' unless defined $spec;
    $spec =~ s/^\s+|\s+$//g;

    for my $f (@$defaults, split /\s+/, $spec) {
        last unless length $f;

        if ($f =~ s/^-//) {
            @filters = grep { $_ ne $f } @filters;

        } elsif ($f =~ s/^\+//) {
            push @append, $f;

        } else {
            push @filters, $f;
        }
    }

    return (@filters, @append);
}


# Parse the whole spec text into the list of blocks to run, honouring the
# ONLY, SKIP, FIRST and LAST meta sections.
sub parse_spec {
    my ($spec) = @_;
    my (@hunks, @all, @blocks, $has_first, $seq);

    return [] unless defined $spec;

    @hunks = ($spec =~ /^(===.*?(?=^===|\z))/msg);
    @all = map { _make_block($_) } @hunks;

    $has_first = grep { exists $_->{FIRST} } @all;

    for my $block (@all) {
        if (exists $block->{ONLY}) {
            Test::More::diag("I found ONLY: maybe you're debugging?");
            @blocks = ($block);
            last;
        }

        next if exists $block->{SKIP};

        if ($has_first) {
            next unless exists $block->{FIRST};
            $has_first = 0;
        }

        push @blocks, $block;

        last if exists $block->{LAST};
    }

    $seq = 1;
    $_->{_seq_num} = $seq++ for @blocks;

    return \@blocks;
}


sub _make_block {
    my ($hunk) = @_;
    my ($block, $name, @parts, $description);

    $block = SfbHarness::Block->new;

    $hunk =~ s/\A===[ \t]*(.*)\s*// or croak "bad block header";
    $name = $1;

    @parts = split /^---[ ]+\(?(\w+)\)?[ ]*(.*)?\n/m, $hunk;

    $description = shift @parts;
    $description = '' unless defined $description;
    $description = $name unless $description =~ /\S/;
    $description =~ s/\s*\z//;
    $block->{description} = [$description];

    while (@parts) {
        my ($type, $filters, $value) = splice @parts, 0, 3;

        croak "'$type' is a reserved name. Use something else."
            if $reserved{$type} || $type =~ /^_/;

        $value = '' unless defined $value;
        $filters = '' unless defined $filters;

        # "--- name: value" (or "--- name filters: value") is a one-liner
        if ($filters =~ /:(\s|\z)/) {
            croak "Extra lines not allowed in '$type' section"
                if $value =~ /\S/;

            ($filters, $value) = split /\s*:(?:\s+|\z)/, $filters, 2;
            $value = '' unless defined $value;
            $value =~ s/^\s*(.*?)\s*$/$1/;
        }

        $block->{_section_filters}{$type} = $filters;
        push @{ $block->{_section_order} }, $type;
        $block->{$type} = [$value];
    }

    $block->{name} = [$name];

    return $block;
}


1;
