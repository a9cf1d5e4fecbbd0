# Sourced by t/deb/run, never run: what a run changes on the machine and
# puts back (policy-rc.d, /run/nginx.pid), the nginx it starts, the calls it
# makes and the logrotate and dpkg runs whose output it checks.  Uses
# t/deb/run's variables ($tmp, $policy, $pidfile, $auditdir, $rotate, $port,
# $SFB_NGINX) and its wait_for.

# --- what a run changes on the machine, and puts back ---------------------

# refuse_services: a /usr/sbin/policy-rc.d that refuses every action (exit
# 101), as containers have; what was there (if anything) is kept, once
refuse_services() {
    if [ -z "$policy_saved" ]; then
        if [ -e "$policy" ] || [ -L "$policy" ]; then
            cp -a "$policy" "$tmp/policy-rc.d.saved"
            policy_saved=saved
        else
            policy_saved=none
        fi
    fi
    printf '%s\n' '#!/bin/sh' '# t/deb/run: every action refused' \
        'exit 101' > "$policy.sfb-test"
    chmod 0755 "$policy.sfb-test"
    mv -f "$policy.sfb-test" "$policy"
}

restore_policy() {
    case $policy_saved in
        saved) cp -a "$tmp/policy-rc.d.saved" "$policy.sfb-test" \
                   && mv -f "$policy.sfb-test" "$policy" ;;
        none)  rm -f "$policy" ;;
    esac
    policy_saved=
}

save_pidfile() {
    [ -z "$pidfile_saved" ] || return 0
    if [ -e "$pidfile" ]; then
        cp -a "$pidfile" "$tmp/nginx.pid.saved"
        pidfile_saved=saved
    else
        pidfile_saved=none
    fi
}

restore_pidfile() {
    case $pidfile_saved in
        saved) cp -a "$tmp/nginx.pid.saved" "$pidfile" ;;
        none)  rm -f "$pidfile" ;;
    esac
    pidfile_saved=
}

pid_is() {
    [ "$(cat "$pidfile" 2>/dev/null)" = "$1" ]
}

# start_nginx: the module's package's nginx (modules-enabled), its pid in
# /run/nginx.pid as Debian's, writing $auditdir/audit.log; in the
# foreground of a background job, so that its pid is known at once
start_nginx() {
    save_pidfile
    "$SFB_NGINX" -c "$tmp/rotate.conf" -g 'daemon off;' \
        > "$tmp/nginx.out" 2>&1 &
    nginx_pid=$!
    wait_for "nginx's pid file" pid_is "$nginx_pid" \
        && wait_for "nginx listening" \
               curl -s -o /dev/null "http://127.0.0.1:$port/"
}

# stop_nginx: gracefully (the workers end their chains), and wait for it
stop_nginx() {
    [ -n "$nginx_pid" ] || return 0
    kill -QUIT "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
    nginx_pid=
    restore_pidfile
}

# call <partition>: a governed call the gate refuses (an api-version it does
# not accept), which its record names
call() {
    local code

    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST \
           -H 'Content-Type: application/json' \
           -d '{"BackupPolicyName":"DailyAzureBackupPolicy"}' \
           "http://127.0.0.1:$port/Partitions/$1/\$/EnableBackup?api-version=1.0")
    echo "POST .../Partitions/$1/\$/EnableBackup: $code"
    [ "$code" = 400 ]
}

in_file() {
    zcat -f "$1" 2>/dev/null | grep -qF -- "$2"
}

# audited <partition> <file> <other file>: the call's record is in the
# first file (once nginx wrote it), not in the other
audited() {
    call "$1" || return 1
    wait_for "the record of $1 in $2" in_file "$auditdir/$2" "$1" \
        || { ls -l "$auditdir"; return 1; }
    ! in_file "$auditdir/$3" "$1"
}

# reopened <file>: the worker ended its chain there at the reopen
reopened() {
    wait_for "the worker's end record in $1" \
        in_file "$auditdir/$1" '"reopen"'
}

logrotate_forced() {
    logrotate -f -s "$tmp/logrotate.state" "$rotate"
}

# logrotate_fails_alone: no nginx runs, invoke-rc.d is refused: the stanza
# says so on stderr, logrotate exits non-zero
logrotate_fails_alone() {
    local out rc=0

    out=$(logrotate -f -s "$tmp/logrotate.state" "$rotate" 2>&1) || rc=$?
    printf '%s\n' "$out"
    echo "exit $rc"
    [ "$rc" != 0 ] \
        && printf '%s\n' "$out" | grep -q "nginx did not reopen the audit logs"
}

# dpkg_says <pattern> <dpkg arguments>...: dpkg succeeds, and what it
# printed (the maintainer scripts' messages) matches
dpkg_says() {
    local pattern=$1 out rc=0

    shift
    out=$(dpkg "$@" 2>&1) || rc=$?
    printf '%s\n' "$out"
    echo "exit $rc"
    [ "$rc" = 0 ] && printf '%s\n' "$out" | grep -Eq -- "$pattern"
}
