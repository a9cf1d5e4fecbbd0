# Regexes for audit log lines, for the t/03x-audit-*.t suites: a line is
# matched whole, its members in their fixed order (src/core/sfb_audit.h).
package Line;

use strict;
use warnings;

use base 'Exporter';
use Sys::Hostname qw(hostname);

our @EXPORT_OK = qw(line audit);

our @Members = qw(time request_id client identity method uri entity
                  entity_id entity_name operation policy storage backup_id
                  backup_location api_version timeout
                  decision reason status
                  upstream_status upstream_addr duration_ms phase node);

our %Default = (
    time            => qr/"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"/,
    request_id      => qr/"[0-9a-f]{32}"/,
    client          => '"127.0.0.1"',
    identity        => '""',
    method          => '"POST"',
    uri             => '"/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup?api-version=6.2-preview"',
    entity          => '"partition"',
    entity_id       => '"1daae3f5-7fd6-42e9-b1ba-8c05f873994d"',
    operation       => '"enable"',
    policy          => '"DailyAzureBackupPolicy"',
    storage         => '""',
    api_version     => '"6.2-preview"',
    timeout         => 'null',
    upstream_status => 'null',
    upstream_addr   => 'null',
    duration_ms     => qr/\d+/,
    phase           => '"outcome"',
    # sf_backup_audit_node's default: the host name, as nginx has it
    node            => '"' . lc(hostname()) . '"',
);


# One line as a regex source: each member's JSON value exactly (a string is
# compared literally; a qr//, or a reference to a pattern's source, as a
# pattern), the defaults above unless given.  chain => pattern source of
# what follows "node" (the chain members) when a key is configured.
sub line {
    my (%v) = @_;
    my $chain = delete $v{chain};

    %v = (%Default, %v);

    return '\{' . join(',', map {
        my $x = $v{$_};
        die "no value for $_" unless defined $x;
        quotemeta("\"$_\":") . (ref $x eq 'SCALAR' ? "(?:$$x)"
                                : ref $x ? "(?:$x)" : quotemeta($x));
    } grep {
        # only in a record of a call under team scope, of a restore
        !/^(?:entity_name|backup_id|backup_location)$/ || defined $v{$_}
    } @Members) . (defined $chain ? ",$chain" : '') . '\}\n';
}


# The whole audit log: exactly these lines.
sub audit {
    my $re = join '', @_;
    return qr/\A$re\z/;
}


1;
