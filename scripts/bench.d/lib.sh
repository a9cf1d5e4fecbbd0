# Shared by scripts/bench.d/load and scripts/bench.d/profile: the variants,
# rendering their configurations, starting nginx, and stopping everything
# started here on exit (Ctrl-C included).  Sourced after scripts/lib.sh.

BENCH_D=$SFB_ROOT/scripts/bench.d
SEED_PATH='/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup'
SEED_QUERY='api-version=6.2-preview'
ALLOWED_POLICY=DailyAzureBackupPolicy
DENIED_POLICY=WeeklyBackupPolicy
CONNECTIONS=32

NAMES=(plain gate gate+audit gate+audit+hmac lua njs gate+scope
       gate+audit+seal)
DIRS=(1-plain 2-gate 3-gate-audit 4-gate-audit-hmac 5-lua 6-njs 7-gate-scope
      8-gate-audit-seal)
SCOPE=6                                 # index of gate+scope
HMAC=3                                  # index of gate+audit+hmac
SEAL=7                                  # index of gate+audit+seal


# --- processes ------------------------------------------------------------

pids=()

bench_stop_all() {
    local pid kids="" i alive

    trap - EXIT INT TERM

    for pid in ${pids[@]+"${pids[@]}"}; do
        kids="$kids $(ps -o pid= --ppid "$pid" 2>/dev/null || true)"
        kill -TERM "$pid" 2>/dev/null || true
    done

    for i in $(seq 50); do
        alive=0
        for pid in ${pids[@]+"${pids[@]}"} $kids; do
            kill -0 "$pid" 2>/dev/null && alive=1
        done
        [ "$alive" = 0 ] && break
        sleep 0.1
    done

    for pid in ${pids[@]+"${pids[@]}"} $kids; do
        kill -KILL "$pid" 2>/dev/null || true
    done
}

trap bench_stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# bench_forget PID: it has ended, by itself or by bench_stop PID
bench_forget() {
    local keep=() pid

    for pid in ${pids[@]+"${pids[@]}"}; do
        [ "$pid" = "$1" ] || keep+=("$pid")
    done
    pids=(${keep[@]+"${keep[@]}"})
}

# bench_stop PID [SIGNAL]: signal it (QUIT: gracefully) and wait up to 10 s
bench_stop() {
    local i

    kill -"${2:-QUIT}" "$1" 2>/dev/null || true
    for i in $(seq 100); do
        kill -0 "$1" 2>/dev/null || break
        sleep 0.1
    done
    wait "$1" 2>/dev/null || true
    bench_forget "$1"
}


# --- CPUs: the gateway on CPU 1, wrk and the stub on CPU 0 ----------------

gw_cpu=1
load_cpu=0
affinity=10
if ! taskset -c 0,1 true 2>/dev/null; then
    sfb_say "warning: CPUs 0 and 1 are not both available: nothing pinned," \
            "numbers mean little"
    gw_cpu=$(taskset -pc $$ | sed 's/.*: //')
    load_cpu=$gw_cpu
    affinity=auto
fi


# --- configuration --------------------------------------------------------

# bench_render RUN MASTER: var/bench-like tree under RUN with every
# configuration rendered, ports in stub_port and ports[], keys made;
# MASTER on (the load test) or off (one process, for valgrind)
bench_render() {
    local run=$1 master=$2 i

    BENCH_RUN=$run
    rm -rf "$run"
    mkdir -p "$run/conf" "$run/stub/logs" "$run/stub/tmp"

    # SFB_BENCH_PORT: the stub's port, the variants' the next ones;
    # otherwise ports the kernel picks
    stub_port=${SFB_BENCH_PORT:-$(sfb_free_port)}
    ports=()
    for i in "${!NAMES[@]}"; do
        ports[$i]=$([ -n "${SFB_BENCH_PORT:-}" ] \
                    && echo $((SFB_BENCH_PORT + 1 + i)) || sfb_free_port)
        mkdir -p "$run/${DIRS[$i]}/logs" "$run/${DIRS[$i]}/tmp"
    done

    # 64 hex digits, readable by the owner only, as sf_backup_audit_key wants
    (umask 077 && openssl rand -hex 32 > "$run/${DIRS[$HMAC]}/audit.key")

    # a sealing state with epochs of 1 s, so that runs of a few seconds
    # include the epoch changes (a key moved on, the state file replaced);
    # its worker (nobody, when run as root) must own it and its directory
    mkdir -p "$run/${DIRS[$SEAL]}/seal"
    (umask 077 && "$SFB_VERIFY_BIN" --setup-keys \
        "$run/${DIRS[$SEAL]}/seal/state" --interval 1s \
        > "$run/${DIRS[$SEAL]}/seal.vkey" 2> /dev/null)
    if [ "$(id -u)" = 0 ]; then
        chown -R nobody "$run/${DIRS[$SEAL]}/seal"
    fi

    bench_render_one "$BENCH_D/conf/main.conf.in" "$run/conf/main.conf" 0 \
        "$run"
    if [ "$master" = off ]; then
        sed -i -e 's/^master_process on;/master_process off;/' \
            -e '/^worker_cpu_affinity/d' "$run/conf/main.conf"
    fi
    bench_render_one "$BENCH_D/conf/http.conf.in" "$run/conf/http.conf" 0 \
        "$run"
    cp "$BENCH_D/conf/proxy.conf" "$run/conf/proxy.conf"
    bench_render_one "$BENCH_D/conf/stub.conf.in" "$run/conf/stub.conf" \
        "$stub_port" "$run/stub"
    for i in "${!NAMES[@]}"; do
        bench_render_one "$BENCH_D/conf/${DIRS[$i]}.conf.in" \
            "$run/conf/${DIRS[$i]}.conf" "${ports[$i]}" "$run/${DIRS[$i]}"
    done
}

# bench_render_one TEMPLATE OUT PORT DIR
bench_render_one() {
    sed -e "s|@PORT@|$3|g" -e "s|@DIR@|$4|g" -e "s|@CONF@|$BENCH_RUN/conf|g" \
        -e "s|@STUB_PORT@|$stub_port|g" -e "s|@MODULE@|$SFB_MODULE|g" \
        -e "s|@BENCH_D@|$BENCH_D|g" -e "s|@AFFINITY@|$affinity|g" \
        "$1" > "$2"
}


# --- starting -------------------------------------------------------------

# bench_start NAME CPU PORT PREFIX [COMMAND...]: checks and starts nginx
# with PREFIX/../conf/NAME.conf under taskset (and COMMAND, e.g. valgrind)
# and waits until it listens; sets $started to its pid
bench_start() {
    local name=$1 cpu=$2 port=$3 prefix=$4 conf i
    shift 4
    conf=$BENCH_RUN/conf/${prefix##*/}.conf

    "$SFB_NGINX" -t -q -p "$prefix/" -e "$prefix/logs/error.log" -c "$conf" \
        2> "$prefix/logs/nginx-t.log" \
        || { cat "$prefix/logs/nginx-t.log" >&2
             sfb_die "$name: nginx -t failed"; }

    taskset -c "$cpu" "$@" "$SFB_NGINX" -p "$prefix/" \
        -e "$prefix/logs/error.log" -c "$conf" \
        >> "$prefix/logs/stderr.log" 2>&1 &
    started=$!
    pids+=("$started")

    # valgrind takes its time to start
    for i in $(seq 600); do
        kill -0 "$started" 2>/dev/null \
            || { tail -n 20 "$prefix/logs/error.log" \
                     "$prefix/logs/stderr.log" >&2
                 sfb_die "$name: nginx exited"; }
        if perl -MIO::Socket::INET -e '
               exit(IO::Socket::INET->new(PeerAddr => "127.0.0.1:$ARGV[0]")
                    ? 0 : 1)' "$port"
        then
            return 0
        fi
        sleep 0.05
    done

    sfb_die "$name: not listening on 127.0.0.1:$port after 30 s"
}

# bench_worker MASTER: the pid of its (only) worker process
bench_worker() {
    ps -o pid= --ppid "$1" | head -n 1 | tr -d ' '
}


# --- load -----------------------------------------------------------------

# bench_wrk I SECONDS OUT [VAR=VALUE...]: wrk -t1 -c32 on variant I with
# scripts/bench.d/wrk.lua, in the background so that a signal stops it too;
# sets R to its "sfb-wrk ..." line.  BENCH_PATH: another call than the
# seed's (its path; the seed's query)
bench_wrk() {
    local i=$1 s=$2 out=$3 pid rc=0
    shift 3

    env "$@" taskset -c "$load_cpu" wrk -t1 -c"$CONNECTIONS" -d"${s}s" \
        --latency -s "$BENCH_D/wrk.lua" \
        "http://127.0.0.1:${ports[$i]}${BENCH_PATH:-$SEED_PATH}?$SEED_QUERY" \
        > "$out" 2>&1 &
    pid=$!
    pids+=("$pid")
    wait "$pid" || rc=$?
    bench_forget "$pid"

    R=$(grep '^sfb-wrk ' "$out" || true)
    if [ "$rc" != 0 ] || [ -z "$R" ]; then
        cat "$out" >&2
        sfb_die "${NAMES[$i]}: wrk failed"
    fi
}

# bench_field NAME LINE: the value of NAME=... in an sfb-wrk line
bench_field() {
    printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}
