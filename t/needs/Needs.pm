package Needs;

# What a test file needs of the nginx under test beyond what every nginx
# has, said where it is needed.  A file that cannot run without a module:
#
#     use lib ...'/needs';
#     use Needs qw(http_ssl_module);    # before use Test::Nginx::Socket
#
# is skipped as a whole ("1..0 # SKIP needs ...") when TEST_NGINX_BINARY
# (default: nginx) says in "nginx -V" that it was built without it; a block
# that needs one says "--- skip_eval: N: Needs::lacks('http_sub_module')".
# Plain Test::More, so the real Test::Nginx and t/lib's subset alike.  An
# nginx that cannot say (-V fails) is not skipped: the suite then fails as
# it would anyway.

use strict;
use warnings;

# modules nginx builds unless told --without-...; the others need --with-...
my %Default = map { $_ => 1 } qw(
    http_access_module http_auth_basic_module http_autoindex_module
    http_browser_module http_charset_module http_empty_gif_module
    http_fastcgi_module http_geo_module http_gzip_module
    http_limit_conn_module http_limit_req_module http_map_module
    http_memcached_module http_mirror_module http_proxy_module
    http_referer_module http_rewrite_module http_scgi_module
    http_split_clients_module http_ssi_module http_upstream_hash_module
    http_upstream_ip_hash_module http_upstream_keepalive_module
    http_upstream_least_conn_module http_upstream_random_module
    http_upstream_zone_module http_userid_module http_uwsgi_module
);

my $V;

sub _version_text {
    my $bin = $ENV{TEST_NGINX_BINARY} || 'nginx';

    return $V if defined $V;

    $V = `'$bin' -V 2>&1`;
    $V = '' if $? != 0 || !defined $V;
    return $V;
}


# A reason to skip ("needs ...") when the nginx under test lacks one of
# the modules named, '' when it has them all (or cannot say).
sub lacks {
    my (@modules) = @_;
    my $v = _version_text();
    my @missing;

    return '' if $v eq '';

    for my $m (@modules) {
        next if $v =~ /--with-\Q$m\E(?:=dynamic)?(?:\s|$)/;
        next if $Default{$m} && $v !~ /--without-\Q$m\E(?:\s|$)/;
        push @missing, $m;
    }

    return '' unless @missing;
    return 'needs nginx built with ' . join(', ', map {
               $Default{$_} ? "ngx_$_ (not --without-$_)"
                            : "ngx_$_ (--with-$_)" } @missing);
}


sub import {
    my ($class, @modules) = @_;
    my $why = lacks(@modules);

    return if $why eq '';

    require Test::More;
    Test::More::plan(skip_all => $why);
}


1;
