# Shared helpers for scripts/*: paths, logging, and installing what is missing.
# Sourced, never run.  Every script that needs a package says so through
# sfb_require, so a fresh Debian 12 machine gets exactly what it needs.

SFB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SFB_BUILD=${SFB_BUILD:-$SFB_ROOT/build}
SFB_VAR=$SFB_ROOT/var
SFB_MODULE=$SFB_BUILD/nginx/ngx_http_sf_backup_gate_module.so
SFB_VERIFY_BIN=$SFB_BUILD/sf-backup-audit-verify
SFB_NGINX=${SFB_NGINX:-/usr/sbin/nginx}

# Debian packages, by purpose.
SFB_PKGS_BUILD="gcc make nginx nginx-dev libjansson-dev libssl-dev zlib1g-dev"
SFB_PKGS_RUN="nginx libnginx-mod-http-js curl openssl"
SFB_PKGS_TEST="perl libnginx-mod-http-js curl openssl prometheus rsyslog"
SFB_PKGS_DEB="debhelper dpkg-dev nginx-dev libjansson-dev libssl-dev zlib1g-dev git logrotate man-db"
SFB_PKGS_FUZZ="clang libclang-rt-14-dev libjansson-dev libssl-dev zlib1g-dev"
SFB_PKGS_VALGRIND="valgrind"
SFB_PKGS_BENCH="nginx wrk libnginx-mod-http-lua lua-cjson libnginx-mod-http-js valgrind util-linux curl openssl perl"

sfb_say() {
    printf '%s: %s\n' "${0##*/}" "$*" >&2
}

sfb_die() {
    sfb_say "$*"
    exit 1
}

# sfb_require PKG...: install the Debian packages that are not installed yet.
sfb_require() {
    local missing="" p

    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null \
            | grep -q "ok installed" || missing="$missing $p"
    done
    [ -n "$missing" ] || return 0

    [ "$(id -u)" = 0 ] || sfb_die "missing packages:$missing (run as root, or install them)"
    sfb_say "installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y --no-install-recommends $missing >/dev/null; then
        apt-get update >/dev/null
        apt-get install -y --no-install-recommends $missing >/dev/null \
            || sfb_die "apt-get install$missing failed"
    fi
}

# sfb_free_port: a free TCP port on 127.0.0.1 (the kernel picks it).
sfb_free_port() {
    perl -MIO::Socket::INET -e \
        'print IO::Socket::INET->new(LocalAddr => "127.0.0.1", Listen => 1)->sockport, "\n"'
}

# Processes of scripts/soak and scripts/fleet: each helper leads its own
# process group, so that stopping it stops everything it started.
SFB_GROUPS=()

# sfb_start CMD...: in the background, in a new process group (setsid execs
# in place: a background job is no group leader); sets $started
sfb_start() {
    setsid "$@" &
    started=$!
    SFB_GROUPS+=("$started")
}

# sfb_stop_groups: TERM to every group sfb_start made, KILL to what is left
# after 5 s
sfb_stop_groups() {
    local pid i alive

    for pid in ${SFB_GROUPS[@]+"${SFB_GROUPS[@]}"}; do
        kill -TERM -- "-$pid" 2>/dev/null || true
    done
    for i in $(seq 50); do
        alive=0
        for pid in ${SFB_GROUPS[@]+"${SFB_GROUPS[@]}"}; do
            kill -0 -- "-$pid" 2>/dev/null && alive=1
        done
        [ "$alive" = 0 ] && break
        sleep 0.1
    done
    for pid in ${SFB_GROUPS[@]+"${SFB_GROUPS[@]}"}; do
        kill -KILL -- "-$pid" 2>/dev/null || true
    done
}

# sfb_wait_port PORT: until something listens on 127.0.0.1:PORT (5 s)
sfb_wait_port() {
    local i

    for i in $(seq 50); do
        perl -MIO::Socket::INET -e \
            'exit(IO::Socket::INET->new(PeerAddr => "127.0.0.1:$ARGV[0]") ? 0 : 1)' \
            "$1" && return 0
        sleep 0.1
    done
    sfb_die "nothing listens on 127.0.0.1:$1"
}
