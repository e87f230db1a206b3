#!/bin/bash
# The half of tests/bench/run that needs systemd: runs as PID 1's child INSIDE
# the throwaway container (tests/sandbox/sandbox), with formation installed
# there (--install). Not part of the test suite; never run it on a host.
#
#   bash tests/bench/inside.sh WORKDIR [--quick] [--only SECTION,…]
#
# Appends tab-separated rows to WORKDIR/results.tsv:
#   SECTION CASE N SUBJECT MEDIAN SAMPLES      times in µs (wall clock of whole processes)
#   hardening VARIANT M exposure EXPOSURE -    systemd-analyze security of an instance
#   rss VERB N formation KiB -                 peak RSS (/usr/bin/time -f %M)
set -uo pipefail
W=$1; shift
quick=0; only=""; ns_override=""
while [ $# -gt 0 ]; do
    case $1 in
        --quick) quick=1; shift ;;
        --only) only=",$2,"; shift 2 ;;
        --ns) ns_override=$2; shift 2 ;;
        *) echo "inside.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ -f /run/systemd/container ] || { echo "inside.sh: runs inside tests/sandbox only" >&2; exit 2; }
cd /
results=$W/results.tsv
LOG=$W/cmd.log
: >"$LOG"
fm=$(command -v formation) || { echo "inside.sh: formation is not installed in the container" >&2; exit 1; }

if [ "$quick" = 1 ]; then
    NS=(10 50); BASE_RUNS=2; FAST=3; HM=10; HRUNS=1
else
    NS=(10 100 500); BASE_RUNS=3; FAST=5; HM=30; HRUNS=3
fi
# shellcheck disable=SC2206
[ -n "$ns_override" ] && NS=(${ns_override//,/ })
# Runs of the slow cases at N (the whole run must stay well under 30 minutes).
# At N=500 one run: a run of the overhead or the peers there takes minutes.
runs_at() { if [ "$1" -ge 500 ]; then echo 1; else echo "$BASE_RUNS"; fi; }
# A rolling restart holds each instance 2 s (the default min_ready) before the next:
# at N=500 that is over 16 minutes a run, so restart is measured at N=10 only.
RESTART_MAX=10
DAILY=20

log() { echo "bench: $(date +%T) [load $(cut -d' ' -f1 /proc/loadavg)] $*" >&2; }
die() { log "$*"; tail -20 "$LOG" >&2; exit 1; }

# T ARRAY CMD...: runs CMD (output to the log) and appends its wall time in µs
# to ARRAY. A failing command aborts: a number for a failed run is no number.
T() {
    local -n _a=$1; shift
    local s=$EPOCHREALTIME e
    "$@" >>"$LOG" 2>&1 || die "failed: $*"
    e=$EPOCHREALTIME
    _a+=($(( ${e/./} - ${s/./} )))
}
q() { "$@" >>"$LOG" 2>&1 || die "failed: $*"; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
# rec SECTION CASE N SUBJECT ARRAY
rec() {
    local -n _s=$5
    [ ${#_s[@]} -gt 0 ] || die "no samples for $1 $2 $3 $4"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$(median "${_s[@]}")" "$(IFS=,; echo "${_s[*]}")" >>"$results"
}
units() {  # units APP TYPE FROM TO
    local i; for ((i = $3; i <= $4; i++)); do printf '%s-%s@%d.service ' "$1" "$2" "$i"; done
}
# write_app FILE APP WEB [WORKER [HARDENING]]: the formation under test
write_app() {
    {
        echo "app = \"$2\""
        echo "[process.web]"
        echo 'command = ["/bin/sleep", "infinity"]'
        echo "port = 5000"
        # 500 hardened starts at once queue in PID 1 past the default 30 s
        # TimeoutStartSec= on 2 busy cores (instances failed with 'timeout').
        echo 'start_timeout = "10min"'
        [ -n "${5:-}" ] && echo "hardening = \"$5\""
        echo "count = $3"
        if [ -n "${4:-}" ]; then
            echo "[process.worker]"
            echo 'command = ["/bin/sleep", "infinity"]'
            [ -n "${5:-}" ] && echo "hardening = \"$5\""
            echo "count = $4"
        fi
    } >"$1"
}
destroy() { "$fm" -q -a "$1" destroy >>"$LOG" 2>&1 || true; systemctl reset-failed >/dev/null 2>&1 || true; }
# The same work as formation's apply, by hand: install the file, reload (the
# generator writes the same units), one systemctl start of every instance and the target.
by_hand_install() { mkdir -p /etc/formation && install -m 0644 "$1" "/etc/formation/$2.toml" && systemctl daemon-reload; }

mkdir -p /etc/formation
log "formation $("$fm" --version 2>&1 | head -1), $(systemctl --version | head -1)"

# ------------------------------------------------------------- overhead
# formation's own overhead over systemctl doing the same work on the same
# generated units (default hardening: what users get).
# Runs at N: one run at N=500 takes about five minutes, so four there.
# An even number, so that formation and systemctl go first equally often.
overhead_runs() { if [ "$1" -ge 500 ]; then echo $(( quick ? 1 : 4 )); else echo $(( quick ? BASE_RUNS : 6 )); fi; }
# After a destroy or a stop the kernel still tears down the instances'
# mount namespaces and cgroups for a while: wait until PID 1 has no jobs
# and give it a second, so neither side starts in the other's wake.
quiesce() { while [ -n "$(systemctl list-jobs --no-legend 2>/dev/null)" ]; do sleep 0.1; done; sleep 1; }
overhead() {
    local n=$1 r k half=$(( $1 / 2 )) RUNS; RUNS=$(overhead_runs "$1")
    local F=$W/bench.toml H=$W/bench-half.toml
    write_app "$F" bench "$n"; write_app "$H" bench "$half"
    local all; all=$(units bench web 1 "$n")
    local upper; upper=$(units bench web $((half + 1)) "$n")
    local a=() a0=() noop=() st=() sd=() su=() rs=() sp=() sa=()
    local ba=() bst=() bsd=() bsu=() brs=() bsp=() bsa=()
    # Each formation verb and systemctl doing the same work run from the
    # same state, one after the other; which goes first alternates from run
    # to run (A B, B A, …), so a drift in the machine's load favours neither.
    # The by-hand steps leave the installed file as formation would.
    # shellcheck disable=SC2086
    f_apply()  { destroy bench; quiesce; T a "$fm" -q -f "$F" apply; }
    s_apply()  { destroy bench; quiesce; T ba eval 'by_hand_install "$F" bench && systemctl start $all bench.target'; }
    f_apply0() { destroy bench; quiesce; T a0 "$fm" -q -f "$F" apply --settle 0s; }
    f_scale()  { quiesce; T sd "$fm" -q -a bench scale web=$half; quiesce; T su "$fm" -q -a bench scale web=$n; }
    s_scale()  { quiesce; T bsd eval 'systemctl stop $upper && by_hand_install "$H" bench'
                 quiesce; T bsu eval 'by_hand_install "$F" bench && systemctl start $upper'; }
    f_restart() { T rs "$fm" -q -a bench restart; }
    s_restart() { T brs eval 'for u in $all; do systemctl restart $u || exit 1; done'; }
    f_stopstart() { quiesce; T sp "$fm" -q -a bench stop; quiesce; T sa "$fm" -q -a bench start; }
    s_stopstart() { quiesce; T bsp systemctl stop $all bench.target; quiesce; T bsa systemctl start $all bench.target; }
    both() {  # both NAME: formation's and systemctl's NAME, in this run's order
        if [ $((r % 2)) = 1 ]; then "f_$1"; "s_$1"; else "s_$1"; "f_$1"; fi
    }
    for r in $(seq 1 "$RUNS"); do
        log "overhead N=$n run $r/$RUNS"
        both apply  # leaves the app running, installed
        # Right after N starts the machine is still busy with their wake
        # (journald, cgroups), and the first read of units a daemon-reload
        # has just loaded costs PID 1 more than the next ones (the coldread
        # section): whichever read ran first paid for it. An untimed read first, so both sides read warm units, as
        # a user's `status` after `apply` (whose settle read them) does.
        quiesce
        # shellcheck disable=SC2086
        q systemctl show -p Id,ActiveState $all
        f_status() { T st "$fm" -a bench status; }
        s_status() { T bst systemctl show -p Id,ActiveState,SubState,MainPID,NRestarts,MemoryCurrent,ActiveEnterTimestamp $all; }
        for k in $(seq 1 $(( (FAST + RUNS - 1) / RUNS ))); do
            T noop "$fm" -q -f "$F" apply
            both status
        done
        both scale
        [ "$n" -le "$RESTART_MAX" ] && both restart
        both stopstart
        f_apply0
        destroy bench
    done
    rec overhead apply "$n" formation a;              rec overhead apply "$n" systemctl ba
    rec overhead "apply --settle 0s" "$n" formation a0; rec overhead "apply --settle 0s" "$n" systemctl ba
    rec overhead status "$n" formation st;            rec overhead status "$n" systemctl bst
    rec overhead "scale down" "$n" formation sd;      rec overhead "scale down" "$n" systemctl bsd
    rec overhead "scale up" "$n" formation su;        rec overhead "scale up" "$n" systemctl bsu
    if [ "$n" -le "$RESTART_MAX" ]; then
        rec overhead restart "$n" formation rs;       rec overhead restart "$n" systemctl brs
    fi
    rec overhead stop "$n" formation sp;              rec overhead stop "$n" systemctl bsp
    rec overhead start "$n" formation sa;             rec overhead start "$n" systemctl bsa
    rec overhead "no-op apply" "$n" formation noop
}

# ------------------------------------------------------------- peers
# Starting, listing and stopping N processes: formation and systemctl at
# hardening "none" (the peers isolate nothing), supervisord (numprocs) and PM2.
peers() {
    local n=$1 r RUNS; RUNS=$(runs_at "$1")
    local F=$W/peer.toml
    write_app "$F" peer "$n" "" none
    local all; all=$(units peer web 1 "$n")
    destroy peer
    q "$fm" -q -f "$F" apply --settle 0s
    q "$fm" -q -a peer stop
    # supervisord: one program, numprocs=N, started by supervisorctl
    cat >"$W/supervisord.conf" <<EOF
[unix_http_server]
file=/run/bench-supervisor.sock
[supervisord]
minfds=8192
logfile=/var/log/bench-supervisord.log
pidfile=/run/bench-supervisord.pid
childlogdir=/var/log
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[supervisorctl]
serverurl=unix:///run/bench-supervisor.sock
[program:web]
command=/bin/sleep infinity
numprocs=$n
process_name=%(program_name)s_%(process_num)d
autostart=false
startsecs=0
stdout_logfile=NONE
stderr_logfile=NONE
EOF
    q supervisord -c "$W/supervisord.conf"
    local i
    for i in $(seq 1 100); do supervisorctl -c "$W/supervisord.conf" pid >/dev/null 2>&1 && break; sleep 0.1; done
    sctl() { supervisorctl -c "$W/supervisord.conf" "$@"; }
    # PM2: one app, N fork-mode instances, from an ecosystem file
    cat >"$W/pm2.config.js" <<EOF
module.exports = { apps: [{ name: "web", script: "/bin/sleep", args: "infinity", interpreter: "none",
  exec_mode: "fork", instances: $n, autorestart: true }] };
EOF
    q pm2 ping
    local fs=() fl=() fp=() ss=() sl=() sp=() xs=() xl=() xp=() ps=() pl=() pp=() pj=()
    for r in $(seq 1 "$RUNS"); do
        log "peers N=$n run $r/$RUNS"
        T fs "$fm" -q -a peer start
        # The first read of units just loaded by a daemon-reload costs PID 1
        # more, whoever reads (the coldread section): read them once, untimed,
        # so neither formation nor systemctl pays it (see overhead()).
        # shellcheck disable=SC2086
        [ "$r" = 1 ] && q systemctl show -p Id,ActiveState $all
        T fl "$fm" -a peer status
        T fp "$fm" -q -a peer stop
        # shellcheck disable=SC2086
        { T xs systemctl start $all; T xl systemctl show -p Id,ActiveState,SubState,MainPID,NRestarts,MemoryCurrent,ActiveEnterTimestamp $all; T xp systemctl stop $all; }
        T ss sctl start 'web:*'
        [ "$(sctl status | grep -c RUNNING)" = "$n" ] || die "supervisord: not $n running"
        T sl sctl status
        T sp sctl stop 'web:*'
        T ps pm2 start "$W/pm2.config.js"
        [ "$(pm2 jlist | python3 -c 'import json,sys; print(sum(p["pm2_env"]["status"] == "online" for p in json.load(sys.stdin)))')" = "$n" ] ||
            die "pm2: not $n online"
        T pl pm2 list
        T pj pm2 jlist
        T pp pm2 stop all
        q pm2 delete all
    done
    rec peers start "$n" formation fs;   rec peers list "$n" formation fl;   rec peers stop "$n" formation fp
    rec peers start "$n" systemctl xs;   rec peers list "$n" systemctl xl;   rec peers stop "$n" systemctl xp
    rec peers start "$n" supervisord ss; rec peers list "$n" supervisord sl; rec peers stop "$n" supervisord sp
    rec peers start "$n" pm2 ps;         rec peers list "$n" pm2 pl;         rec peers stop "$n" pm2 pp
    rec peers list "$n" "pm2 jlist" pj
    q sctl shutdown
    q pm2 kill
    destroy peer
}

# ------------------------------------------------------------- everyday
# A user's everyday latency at N=20 web instances and 3 workers.
everyday() {
    local n=$DAILY F=$W/daily.toml P=$W/daily-plus.toml
    write_app "$F" daily "$n" 3; write_app "$P" daily $((n + 1)) 3
    destroy daily
    q "$fm" -q -f "$F" apply
    local all; all=$(units daily web 1 "$n")$(units daily worker 1 3)
    local sc=() st=() noop=() rs=() bsc=() bst=() brs=() ver=() lu=() r
    for r in $(seq 1 "$FAST"); do
        log "everyday run $r/$FAST"
        quiesce; T sc "$fm" -q -a daily scale web=+1
        q "$fm" -q -a daily scale web=-1
        quiesce; T bsc eval 'by_hand_install "$P" daily && systemctl start daily-web@$((n + 1)).service'
        q eval 'systemctl stop daily-web@$((n + 1)).service && by_hand_install "$F" daily'
        quiesce
        # shellcheck disable=SC2086
        q systemctl show -p Id,ActiveState $all  # warm, as in overhead()
        # shellcheck disable=SC2086
        if [ $((r % 2)) = 1 ]; then
            T st "$fm" -a daily status
            T bst systemctl show -p Id,ActiveState,SubState,MainPID,NRestarts,MemoryCurrent,ActiveEnterTimestamp $all
        else
            T bst systemctl show -p Id,ActiveState,SubState,MainPID,NRestarts,MemoryCurrent,ActiveEnterTimestamp $all
            T st "$fm" -a daily status
        fi
        T noop "$fm" -q -f "$F" apply
        T ver "$fm" --version
        T lu systemctl list-units --all --no-pager 'daily-*' daily.target
        quiesce; T rs "$fm" -q -a daily restart worker
        quiesce; T brs eval 'for i in 1 2 3; do systemctl restart daily-worker@$i.service || exit 1; done'
    done
    rec everyday "scale web=+1" "$n" formation sc;  rec everyday "scale web=+1" "$n" systemctl bsc
    rec everyday status "$n" formation st;          rec everyday status "$n" systemctl bst
    rec everyday "no-op apply" "$n" formation noop; rec everyday "no-op apply" "$n" "systemctl list-units" lu
    rec everyday "no-op apply" "$n" "formation --version" ver
    rec everyday "restart 3 workers" 3 formation rs; rec everyday "restart 3 workers" 3 systemctl brs
    destroy daily
}

# ------------------------------------------------------------- hardening
# Per-instance start cost of each directive group, alone (on top of nothing)
# and left out of the default level, against systemd-analyze security's
# exposure. Every variant is a template hb-VARIANT@.service with Type=exec
# (as formation's units) and ExecStart=/bin/sleep infinity, run as root.
hardening() {
    local M=$HM
    # The levels exactly as formation compiles them: the lines a level adds to "none".
    local L=$W/levels.toml
    printf 'app = "hl"\n' >"$L"
    local lv
    for lv in none default strict; do
        printf '[process.%s]\ncommand = ["/bin/sleep", "infinity"]\nhardening = "%s"\n' "$lv" "$lv" >>"$L"
    done
    rm -rf "$W/levels"; q "$fm" -f "$L" generate -o "$W/levels"
    for lv in default strict; do
        grep -vxFf "$W/levels/hl-none@.service" "$W/levels/hl-$lv@.service" | grep -v '^Environment=\|^Description=\|^SyslogIdentifier=\|^#' >"$W/level-$lv.conf"
    done
    declare -gA G=(
        [nnp]="NoNewPrivileges=yes"
        [tmp]="PrivateTmp=yes"
        [devices]="PrivateDevices=yes"
        [fs]=$'ProtectSystem=full\nProtectHome=read-only'
        [kernel]=$'ProtectKernelTunables=yes\nProtectKernelModules=yes\nProtectKernelLogs=yes\nProtectControlGroups=yes'
        [clock]="ProtectClock=yes"
        [hostname]="ProtectHostname=yes"
        [proc]="ProtectProc=invisible"
        [syscall]=$'SystemCallArchitectures=native\nSystemCallFilter=@system-service\nSystemCallErrorNumber=EPERM'
        [restrict]=$'RestrictNamespaces=yes\nRestrictRealtime=yes\nRestrictSUIDSGID=yes\nLockPersonality=yes'
        [af]="RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK"
        [caps]=$(grep '^CapabilityBoundingSet=' "$W/level-default.conf")
    )
    local groups=(nnp tmp devices fs kernel clock hostname proc syscall restrict af caps)
    # The groups must be exactly the default level, or the table lies.
    local g; for g in "${groups[@]}"; do printf '%s\n' "${G[$g]}"; done | sort >"$W/groups-union"
    if ! sort "$W/level-default.conf" | cmp -s - "$W/groups-union"; then
        log "WARNING: the directive groups are not the current default level:"
        sort "$W/level-default.conf" | diff - "$W/groups-union" >&2
        printf 'note\thardening groups differ from the default level\t0\t-\t0\t-\n' >>"$results"
    fi
    # Mount-namespace free: what the default level keeps without any of its
    # mount-namespace options (a candidate cheaper default).
    local nomount=(nnp clock hostname syscall restrict af caps)
    local variants=() v body
    write_variant() {  # write_variant NAME BODY
        printf '[Unit]\nDescription=hardening bench %s\n[Service]\nType=exec\nExecStart=/bin/sleep infinity\n%s\n' "$1" "$2" \
            >"/etc/systemd/system/hb-$1@.service"
        variants+=("$1")
    }
    write_variant none ""
    for g in "${groups[@]}"; do write_variant "only-$g" "${G[$g]}"; done
    write_variant default "$(cat "$W/level-default.conf")"
    for g in "${groups[@]}"; do
        body=$(for o in "${groups[@]}"; do [ "$o" = "$g" ] || printf '%s\n' "${G[$o]}"; done)
        write_variant "default-minus-$g" "$body"
    done
    write_variant nomount "$(for o in "${nomount[@]}"; do printf '%s\n' "${G[$o]}"; done)"
    # ... plus strict's options that need no mount namespace (IPC namespace, its system-call deny list).
    write_variant nomount-plus "$(for o in "${nomount[@]}"; do printf '%s\n' "${G[$o]}"; done
        grep -E '^(PrivateIPC|RemoveIPC|SystemCallFilter=~)' "$W/level-strict.conf")"
    # ... plus the two mount-namespace groups that save the most exposure.
    write_variant nomount-devices-kernel "$(for o in "${nomount[@]}" devices kernel; do printf '%s\n' "${G[$o]}"; done)"
    write_variant strict "$(cat "$W/level-strict.conf")"
    q systemctl daemon-reload
    local -A samples=() cpu=()
    cg_usage() {  # cg_usage CGROUP: its usage_usec (cgroup v2; under /unified on a hybrid host)
        local f
        for f in "/sys/fs/cgroup/unified$1/cpu.stat" "/sys/fs/cgroup$1/cpu.stat"; do
            [ -r "$f" ] && { awk '/^usage_usec/ {print $2}' "$f"; return; }
        done
        die "no cpu.stat for cgroup $1"
    }
    local r all i
    for r in $(seq 1 "$HRUNS"); do
        log "hardening run $r/$HRUNS: ${#variants[@]} variants × $M instances"
        for v in "${variants[@]}"; do
            all=$(for ((i = 1; i <= M; i++)); do printf 'hb-%s@%d.service ' "$v" "$i"; done)
            local t=() c0 c1 cg
            c0=$(cg_usage /init.scope)
            # shellcheck disable=SC2086
            T t systemctl start $all
            c1=$(cg_usage /init.scope)
            cg=$(systemctl show -P ControlGroup "hb-$v@1.service")
            samples[$v]+="${t[0]} "
            # CPU: PID 1's and the instances' own (their slice), less sensitive to other tenants than wall time
            cpu[$v]+="$(( c1 - c0 + $(cg_usage "${cg%/*}") )) "
            if [ "$r" = 1 ]; then
                local e
                e=$(systemd-analyze security --no-pager "hb-$v@1.service" 2>/dev/null |
                    sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p')
                [ -n "$e" ] || die "no exposure for hb-$v@1.service"
                printf 'hardening\t%s\t%s\texposure\t%s\t-\n' "$v" "$M" "$e" >>"$results"
            fi
            # shellcheck disable=SC2086
            q systemctl stop $all
        done
    done
    for v in "${variants[@]}"; do
        # shellcheck disable=SC2206
        local s=(${samples[$v]})
        rec hardening "$v" "$M" start s
        # shellcheck disable=SC2206
        local c=(${cpu[$v]})
        rec hardening "$v" "$M" cpu c
    done
    printf '%s\n' "${groups[@]}" >"$W/hardening-groups"
    : >"$W/hardening-directives"
    for g in "${groups[@]}"; do printf '%s\t%s\n' "$g" "$(printf '%s' "${G[$g]}" | tr '\n' ' ')" >>"$W/hardening-directives"; done
    printf '%s\n' "${nomount[@]}" >"$W/hardening-nomount"
    rm -f /etc/systemd/system/hb-*@.service; q systemctl daemon-reload
}

# ------------------------------------------------------------- generator
# The generator for 50 installed formations: run directly with systemd's
# arguments (three fresh directories on a tmpfs, as /run/systemd/generator*),
# and daemon-reload with and without the 50 files.
generator() {
    local gen; gen=$(ls /usr/local/lib/systemd/system-generators/formation-generator 2>/dev/null) ||
        die "formation-generator is not installed"
    local D=$W/gen50 i
    rm -rf "$D"; mkdir -p "$D"
    for i in $(seq -w 1 50); do write_app "$D/g$i.toml" "g$i" 2 1; done
    mkdir -p /run/bench-gen
    local direct=() with=() without=() r
    export FORMATION_CONFIG_DIRS=$D FORMATION_GENERATOR_LOG=stderr  # no env(1) process in the timing
    for r in $(seq 1 "$FAST"); do
        rm -rf /run/bench-gen/*; mkdir -p /run/bench-gen/{n,e,l}
        T direct "$gen" /run/bench-gen/n /run/bench-gen/e /run/bench-gen/l
    done
    unset FORMATION_CONFIG_DIRS FORMATION_GENERATOR_LOG
    [ "$(ls /run/bench-gen/n | grep -c '@\.service$')" = 100 ] || die "generator: not 100 templates for 50 formations"
    rm -rf /run/bench-gen/*; mkdir -p /run/bench-gen/{n,e,l}
    q /usr/bin/time -f %M -o "$W/rss" env FORMATION_CONFIG_DIRS="$D" FORMATION_GENERATOR_LOG=stderr "$gen" /run/bench-gen/n /run/bench-gen/e /run/bench-gen/l
    printf 'rss\tformation-generator (50 formations)\t50\tformation\t%s\t-\n' "$(tail -1 "$W/rss")" >>"$results"
    local r2
    for r in $(seq 1 "$FAST"); do
        cp "$D"/*.toml /etc/formation/
        T with systemctl daemon-reload
        for r2 in "$D"/*.toml; do rm -f "/etc/formation/$(basename "$r2")"; done
        T without systemctl daemon-reload
    done
    rm -rf /run/bench-gen
    rec generator "generator run directly" 50 formation direct
    rec generator "daemon-reload" 50 "with 50 formations" with
    rec generator "daemon-reload" 50 "without" without
}

# ------------------------------------------------------------- coldread
# The first read of the properties of units a daemon-reload has just loaded,
# against the next read, for systemctl show and formation status alike: why
# the other sections time both reads on warm units. 300 instances,
# hardening none, each order twice.
coldread() {
    local n=300 F=$W/cold.toml r
    write_app "$F" cold "$n" "" none
    local all; all=$(units cold web 1 "$n")
    local sf=() sn=() ff=() fn=()
    # shellcheck disable=SC2086
    for r in 1 2; do
        log "coldread run $r/2"
        destroy cold; quiesce; q "$fm" -q -f "$F" apply --settle 0s; quiesce
        T sf systemctl show -p Id,ActiveState,SubState,MainPID,NRestarts,MemoryCurrent,ActiveEnterTimestamp $all
        T sn systemctl show -p Id,ActiveState,SubState,MainPID,NRestarts,MemoryCurrent,ActiveEnterTimestamp $all
        destroy cold; quiesce; q "$fm" -q -f "$F" apply --settle 0s; quiesce
        T ff "$fm" -a cold status
        T fn "$fm" -a cold status
    done
    destroy cold
    rec coldread "first read" "$n" systemctl sf; rec coldread "next read" "$n" systemctl sn
    rec coldread "first read" "$n" formation ff;  rec coldread "next read" "$n" formation fn
}

# ------------------------------------------------------------- rss
# Peak RSS of every verb, at the largest N (hardening none: RSS does not depend on it).
rss() {
    local n=${NS[-1]} F=$W/rss.toml
    write_app "$F" rss "$n" 3 none
    destroy rss
    printf 'web: /bin/sleep infinity\nworker: /bin/sleep infinity\n' >"$W/Procfile"
    m() {  # m VERB ARGS...: peak RSS of formation ARGS
        local verb=$1; shift
        /usr/bin/time -f %M -o "$W/rss" "$fm" "$@" >>"$LOG" 2>&1 || die "failed: formation $*"
        printf 'rss\t%s\t%s\tformation\t%s\t-\n' "$verb" "$n" "$(tail -1 "$W/rss")" >>"$results"
    }
    rm -rf "$W/rss-gen"
    m check -f "$F" check
    m generate -f "$F" generate -o "$W/rss-gen"
    m apply -q -f "$F" apply --settle 0s
    m "no-op apply" -q -f "$F" apply
    m status -a rss status
    m "status --json" -a rss status --json
    m list list
    m logs -a rss logs -n 100
    m scale -q -a rss scale web=$((n - 1))
    m "restart (3 workers)" -q -a rss restart worker
    m stop -q -a rss stop
    m start -q -a rss start
    m destroy -q -a rss destroy
    m import import "$W/Procfile" -m "web=2,worker=1" -o "$W/imported.toml"  # ports: 100 per type
    rm -rf "$W/rss-gen" "$W/imported.toml"
}

section() {  # section NAME CMD...: runs CMD, notes how long the section took
    [ -z "$only" ] || [[ $only == *",$1,"* ]] || return 0
    local s=$SECONDS
    "$@"
    log "$1 ${2:-}: $((SECONDS - s)) s"
}
log "load average at start (container view = host): $(cut -d' ' -f1-3 /proc/loadavg)"
for n in "${NS[@]}"; do section overhead "$n"; done
section everyday
for n in "${NS[@]}"; do section peers "$n"; done
section hardening
section generator
section coldread
section rss
log "done"
