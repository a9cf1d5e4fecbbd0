# Throwaway certificates for the suites that speak TLS, made with the
# openssl CLI at test time (nothing is committed): a CA, certificates it
# signs, and forgeries (self-signed, any subject).
package Pki;

use strict;
use warnings;

use base 'Exporter';
use File::Temp qw(tempdir);

our @EXPORT_OK = qw(pki);

my @Key = qw(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes);


sub run {
    my $cmd = join ' ', map { quotemeta } @_;

    system("$cmd >/dev/null 2>&1") == 0 or die "failed: $cmd\n";
}


# pki(signed => [CN, ...], forged => { NAME => SUBJECT, ... }): a new
# directory with ca.crt/ca.key, CN.crt/CN.key for each signed CN (subject
# /O=Contoso/CN=CN) and NAME.crt/NAME.key self-signed with SUBJECT.
sub pki {
    my (%a) = @_;
    my $dir = tempdir('sfb-certs-XXXXXX', TMPDIR => 1, CLEANUP => 1);

    run('openssl', 'req', '-x509', @Key, '-days', '2',
        '-subj', '/O=Contoso/CN=sf-backup-gate test CA',
        '-keyout', "$dir/ca.key", '-out', "$dir/ca.crt");

    for my $cn (@{ $a{signed} || [] }) {
        run('openssl', 'req', '-new', @Key, '-subj', "/O=Contoso/CN=$cn",
            '-keyout', "$dir/$cn.key", '-out', "$dir/$cn.csr");
        run('openssl', 'x509', '-req', '-days', '2', '-in', "$dir/$cn.csr",
            '-CA', "$dir/ca.crt", '-CAkey', "$dir/ca.key",
            '-set_serial', int(rand(1 << 30)), '-out', "$dir/$cn.crt");
    }

    for my $name (sort keys %{ $a{forged} || {} }) {
        run('openssl', 'req', '-x509', @Key, '-days', '2',
            '-subj', $a{forged}{$name},
            '-keyout', "$dir/$name.key", '-out', "$dir/$name.crt");
    }

    return $dir;
}


1;
