#!/bin/bash
# The process model against a real systemd: stop semantics, readiness,
# rolling restart, crash loops, startup times. Runs INSIDE a sandbox
# container (process_model.sh starts it):
#   tests/sandbox/sandbox run -- bash inside.sh /abs/formation /abs/process_model
# Prints "PASS name", "FAIL name: why" and "INFO …" lines; process_model.sh
# counts them. Installs units in /etc/systemd/system freely: the container's
# / is a throwaway overlay.
set -u
formation=${1:?usage: inside.sh /abs/path/to/formation /abs/path/to/process_model}
helpers=${2:?usage: inside.sh FORMATION HELPERS_DIR}
# The instances run with the default hardening (PrivateTmp=, ProtectHome=):
# a checkout under /var/tmp or /home is not visible to them. A copy in /srv
# (the container's throwaway overlay) is, wherever the clone lives.
rm -rf /srv/formation-process-model && cp -r "$helpers" /srv/formation-process-model && helpers=/srv/formation-process-model
python=/usr/bin/python3
work=/var/tmp/formation-process-model
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

## helpers ------------------------------------------------------------------

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
info() { echo "INFO $*"; }
# check NAME MESSAGE CMD...: CMD must succeed.
check() {
    local name=$1 msg=$2; shift 2
    if "$@"; then pass "$name"; else fail "$name" "$msg"; fi
}
# timed NAME CMD...: runs CMD; $rc its status, $elapsed its wall time in
# seconds (3 decimals), output in $work/out and $work/err.
timed() {
    local t0 t1
    t0=$(date +%s%N)
    rc=0
    "$@" >"$work/out" 2>"$work/err" || rc=$?
    t1=$(date +%s%N)
    elapsed=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
}
show_output() { sed 's/^/    | /' "$work/out" "$work/err" | head -40; }
# want_rc NAME WANT: the last timed command exited WANT.
want_rc() {
    if [ "$rc" = "$2" ]; then pass "$1"; else fail "$1" "exited $rc, wanted $2"; show_output; fi
}
between() { awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x >= lo && x <= hi) }'; }
at_least() { awk -v x="$1" -v lo="$2" 'BEGIN { exit !(x >= lo) }'; }
wait_for() {  # wait_for SECONDS CMD...
    local end=$((SECONDS + $1)); shift
    until "$@"; do [ $SECONDS -ge $end ] && return 1; sleep 0.1; done
}
prop() { systemctl show -P "$2" "$1"; }
state() { echo "$(prop "$1" ActiveState)/$(prop "$1" SubState)"; }
running() { [ "$(state "$1")" = active/running ]; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
journal_has() { journalctl -q --no-pager -u "$1" -o cat | grep -qE -- "$2"; }  # journal_has UNIT ERE
no_process() { ! pgrep -f -x "$1" >/dev/null; }  # no_process 'sleep 1000'
# Time from start to ready, as systemd measured it (monotonic µs → s).
startup_seconds() {
    local exit_ts enter_ts
    exit_ts=$(prop "$1" InactiveExitTimestampMonotonic)
    enter_ts=$(prop "$1" ActiveEnterTimestampMonotonic)
    awk -v a="$exit_ts" -v b="$enter_ts" 'BEGIN { if (a > 0 && b >= a) printf "%.3f", (b - a) / 1e6; else print "?" }'
}
proc() { printf '["%s", "-u", "%s/proc.py", "%s"]' "$python" "$helpers" "$1"; }

## 1. stop semantics ---------------------------------------------------------
echo "## [${SECONDS}s] 1 stop semantics"
cat >"$work/stop.toml" <<EOF
app = "pmstop"

[process.ignore]
command = $(proc ignore)
stop_timeout = "2s"

[process.drain]
command = $(proc drain)
stop_timeout = "10s"

[process.sig]
command = $(proc signal)
stop_signal = "INT"
EOF
fs() { "$formation" -f "$work/stop.toml" "$@"; }
timed fs apply
want_rc stop-apply 0
for t in ignore drain sig; do
    check "stop-running-$t" "pmstop-$t@1 is $(state pmstop-$t@1.service)" running "pmstop-$t@1.service"
done
# The handlers must be installed before the signal comes.
check stop-ignore-armed "no 'ignoring SIGTERM' line" wait_for 10 journal_has pmstop-ignore@1.service 'ignoring SIGTERM'
check stop-drain-armed "no 'working' line" wait_for 10 journal_has pmstop-drain@1.service '^working'
check stop-sig-armed "no 'waiting for a signal' line" wait_for 10 journal_has pmstop-sig@1.service 'waiting for a signal'
check stop-children-exist "no 'sleep 1000' children before the stop" eval "pgrep -f -x 'sleep 1000' >/dev/null"

# SIGTERM ignored: SIGKILL after stop_timeout = 2s.
timed fs stop ignore
u=pmstop-ignore@1.service
info "stop of a SIGTERM-ignoring process (stop_timeout 2s): ${elapsed}s, exit $rc," \
    "then $(state $u) Result=$(prop $u Result) ExecMainCode=$(prop $u ExecMainCode) ExecMainStatus=$(prop $u ExecMainStatus)"
check stop-ignore-time "formation stop took ${elapsed}s, wanted 1.5..3.5 s (stop_timeout 2s)" between "$elapsed" 1.5 3.5
want_rc stop-ignore-rc 0
# systemd 252, KillMode=mixed: the stop-sigterm timeout is a failure, Result=timeout
# (main killed by SIGKILL = signal 9); the unit is left "failed".
check stop-ignore-result "Result=$(prop $u Result), wanted timeout" test "$(prop $u Result)" = timeout
check stop-ignore-sigkill "ExecMainStatus=$(prop $u ExecMainStatus), wanted 9 (SIGKILL)" test "$(prop $u ExecMainStatus)" = 9
check stop-ignore-no-children "a 'sleep 1000' child outlived the instance: $(pgrep -a -f -x 'sleep 1000' | tr '\n' ' ')" \
    wait_for 2 no_process 'sleep 1000'
fs status >"$work/status.out" 2>&1
info "formation status after the stop-timeout kill exits $?: $(grep -m1 -F "$u " "$work/status.out" | tr -s ' ')"

# Drains for 1 s on SIGTERM, then exits 0.
timed fs stop drain
u=pmstop-drain@1.service
info "stop of a draining process (1 s drain): ${elapsed}s, exit $rc, then $(state $u) Result=$(prop $u Result)"
want_rc stop-drain-rc 0
check stop-drain-time "formation stop took ${elapsed}s, wanted 0.9..3 s (the 1 s drain)" between "$elapsed" 0.9 3
check stop-drain-result "Result=$(prop $u Result), wanted success" test "$(prop $u Result)" = success
check stop-drain-inactive "state $(state $u), wanted inactive/dead" test "$(state $u)" = inactive/dead
check stop-drain-no-children "a 'sleep 1001' child outlived the instance: $(pgrep -a -f -x 'sleep 1001' | tr '\n' ' ')" \
    wait_for 2 no_process 'sleep 1001'
: >"$work/logs.out"
drained_in_logs() { fs logs drain -n 20 >"$work/logs.out" 2>&1 && grep -qE 'drain\.1 \| drained$' "$work/logs.out"; }
check stop-drain-logged "'drain.1 | drained' not in formation logs: $(tail -5 "$work/logs.out" | tr '\n' '/')" \
    wait_for 5 drained_in_logs
check stop-drain-last-line "the last output line is not 'drained'" \
    test "$(journalctl -q --no-pager -u $u _PID="$(prop $u ExecMainPID)" -o cat | tail -1)" = drained

# stop_signal = "INT".
timed fs stop sig
u=pmstop-sig@1.service
want_rc stop-sig-rc 0
check stop-sig-kill-signal "KillSignal=$(prop $u KillSignal), wanted 2" test "$(prop $u KillSignal)" = 2
check stop-sig-sigint "the process did not log 'got SIGINT': $(journalctl -q --no-pager -u $u -o cat | grep got | tr '\n' '/')" \
    wait_for 3 journal_has $u '^got SIGINT$'
fs destroy >/dev/null 2>&1 || fs stop >/dev/null 2>&1

## 2. readiness ---------------------------------------------------------------
echo "## [${SECONDS}s] 2 readiness"
cat >"$work/notify.toml" <<EOF
app = "pmnotify"

[process.note]
command = ["$python", "-u", "$helpers/notify.py", "1"]
ready = "notify"
EOF
timed "$formation" -f "$work/notify.toml" apply
u=pmnotify-note@1.service
st=$(state $u)
info "apply with ready = notify (READY=1 after 1 s): ${elapsed}s, exit $rc, then $st"
want_rc ready-notify-rc 0
check ready-notify-waited "apply took ${elapsed}s, wanted ≥ 1 s (READY=1 comes after 1 s)" at_least "$elapsed" 1.0
check ready-notify-running "right after apply: $st, wanted active/running" test "$st" = active/running
check ready-notify-sent "the client's 'sent READY=1' is not in the journal" journal_has $u '^sent READY=1$'
notify_startup=$(startup_seconds $u)

cat >"$work/port.toml" <<EOF
app = "pmport"

[process.slow]
command = ["$python", "-u", "$helpers/server.py", "1.5"]
port = 7310
ready = "port"
EOF
timed "$formation" -f "$work/port.toml" apply
listening 7310 && conn=ok || conn=refused
u=pmport-slow@1.service
info "apply with ready = port (listens after 1.5 s): ${elapsed}s, exit $rc; connect right after: $conn"
want_rc ready-port-rc 0
check ready-port-waited "apply took ${elapsed}s, wanted ≥ 1.5 s" at_least "$elapsed" 1.5
check ready-port-connect "connect to 7310 right after apply: $conn" test "$conn" = ok
check ready-port-running "right after apply: $(state $u)" running $u
port_startup=$(startup_seconds $u)

cat >"$work/never.toml" <<EOF
app = "pmnever"

[process.mute]
command = ["$python", "-u", "$helpers/server.py", "never"]
port = 7311
ready = "port"
start_timeout = "3s"
EOF
timed "$formation" -f "$work/never.toml" apply
u=pmnever-mute@1.service
info "apply with ready = port, never listening, start_timeout 3s: ${elapsed}s, exit $rc," \
    "then $(state $u) Result=$(prop $u Result) NRestarts=$(prop $u NRestarts)"
want_rc ready-never-rc 1
check ready-never-time "apply took ${elapsed}s, wanted ≥ 3 s (start_timeout)" at_least "$elapsed" 3
check ready-never-timeout-logged "no start timeout in the journal" journal_has $u 'timed out|Failed with result .timeout'
"$formation" -f "$work/never.toml" destroy >/dev/null 2>&1

# Someone else listening on the port is not the instance being ready: only a
# socket of the instance's own processes counts.
"$python" -c 'import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 7312)); s.listen(); time.sleep(60)' &
outsider=$!
wait_for 5 listening 7312
cat >"$work/squat.toml" <<EOF
app = "pmsquat"

[process.mute]
command = ["$python", "-u", "$helpers/server.py", "never"]
port = 7312
ready = "port"
start_timeout = "3s"
EOF
timed "$formation" -f "$work/squat.toml" apply
u=pmsquat-mute@1.service
want_rc ready-outsider-not-ready 1
check ready-outsider-time "apply took ${elapsed}s, wanted ≥ 3 s: another process's socket made it ready" at_least "$elapsed" 3
check ready-outsider-timeout "$(state $u) Result=$(prop $u Result), wanted a start timeout" \
    journal_has $u 'timed out|Failed with result .timeout'
kill $outsider; wait $outsider 2>/dev/null
"$formation" -f "$work/squat.toml" destroy >/dev/null 2>&1

## 3. rolling restart ----------------------------------------------------------
echo "## [${SECONDS}s] 3 rolling restart"
cat >"$work/web.toml" <<EOF
app = "pmweb"

[process.web]
command = ["$python", "-u", "$helpers/server.py", "0.3"]
count = 3
port = 7300
ready = "port"
EOF
fw() { "$formation" -f "$work/web.toml" "$@"; }
web_units="pmweb-web@1.service pmweb-web@2.service pmweb-web@3.service"
pids() { local u; for u in $web_units; do echo -n "$(prop $u MainPID) "; done; }
timed fw apply
want_rc rolling-apply 0
check rolling-listening "7300..7302 not all listening after apply" eval 'listening 7300 && listening 7301 && listening 7302'
# restart_probe NAME RESTART-ARGS...: the client runs during the restart.
restart_probe() {
    local name=$1; shift
    local before stop=$work/client.stop
    rm -f "$stop"
    before=$(pids)
    "$python" "$helpers/client.py" "$stop" 7300 7301 7302 >"$work/client.json" &
    local client=$!
    sleep 0.3
    timed fw restart "$@"
    sleep 0.3
    touch "$stop"
    wait $client
    local r; r=$(cat "$work/client.json")
    info "$name: 'formation restart $*' took ${elapsed}s, exit $rc; client: $r"
    want_rc "$name-rc" 0
    local all failed rounds
    all=$("$python" -c 'import json,sys; print(json.load(sys.stdin)["all_refused_rounds"])' <<<"$r")
    failed=$("$python" -c 'import json,sys; print(json.load(sys.stdin)["failed_requests"])' <<<"$r")
    rounds=$("$python" -c 'import json,sys; print(json.load(sys.stdin)["rounds"])' <<<"$r")
    check "$name-probed" "the client made only $rounds rounds" test "${rounds:-0}" -ge 10
    check "$name-never-all-down" "$all of $rounds rounds found all three ports refused" test "$all" = 0
    info "$name: $failed individual connects failed (of $rounds rounds × 3);" \
        "rounds with all three failing in any way (refused or timed out): $("$python" -c 'import json,sys; d=json.load(sys.stdin); print(d["all_failed_rounds"], d["all_failed_at"])' <<<"$r")"
    local after b a ok=1; after=$(pids)
    for b in $before; do for a in $after; do [ "$a" = "$b" ] && ok=0; done; done
    check "$name-new-pids" "MainPIDs before '$before', after '$after': not all new" test $ok = 1
    check "$name-all-running" "not all running after" eval 'running pmweb-web@1.service && running pmweb-web@2.service && running pmweb-web@3.service'
}
restart_probe rolling web
# One at a time: web@N+1 went down only after web@N was up again.
u1=$(prop pmweb-web@1.service ActiveEnterTimestampMonotonic)
u2=$(prop pmweb-web@2.service ActiveEnterTimestampMonotonic)
d2=$(prop pmweb-web@2.service InactiveEnterTimestampMonotonic)
d3=$(prop pmweb-web@3.service InactiveEnterTimestampMonotonic)
check rolling-one-at-a-time "web@2 down at $d2 (web@1 up at $u1), web@3 down at $d3 (web@2 up at $u2)" \
    eval '[ "$u1" -le "$d2" ] && [ "$u2" -le "$d3" ]'
web_startups=""
for u in $web_units; do web_startups="$web_startups ${u%%.service}=$(startup_seconds $u)s"; done
restart_probe rolling-parallel2 --parallel 2 web

## 6. startup time --------------------------------------------------------------
echo "## [${SECONDS}s] 6 startup time (ActiveEnter - InactiveExit)"
info "startup: pmnotify-note@1=${notify_startup}s (READY=1 after 1 s), pmport-slow@1=${port_startup}s (listens after 1.5 s)," \
    "after the rolling restart:$web_startups (listen after 0.3 s)"
check startup-notify "pmnotify-note@1 took ${notify_startup}s, wanted ≥ 1 s" at_least "$notify_startup" 1.0
check startup-port "pmport-slow@1 took ${port_startup}s, wanted ≥ 1.5 s" at_least "$port_startup" 1.5
# formation status reports the same start-to-ready time systemd measured.
"$formation" -f "$work/port.toml" status --json >"$work/status.json" 2>&1
status_startup=$("$python" -c 'import json,sys
i = json.load(sys.stdin)["types"][0]["instances"][0]
print("%.3f" % (i["startup_usec"] / 1e6) if i.get("startup_usec") is not None else "none")' <"$work/status.json" 2>&1)
info "formation status: pmport-slow@1 startup ${status_startup}s; systemd: ${port_startup}s"
check status-startup "status --json startup of pmport-slow@1 is '${status_startup}', wanted systemd's ${port_startup}s (±0.05 s)" \
    "$python" -c 'import sys; a, b = sys.argv[1:]; sys.exit(not (a != "none" and b != "?" and abs(float(a) - float(b)) <= 0.05))' \
    "$status_startup" "$port_startup"
"$formation" -f "$work/notify.toml" destroy >/dev/null 2>&1
"$formation" -f "$work/port.toml" destroy >/dev/null 2>&1
fw destroy >/dev/null 2>&1

## 4. crash loops --------------------------------------------------------------
echo "## [${SECONDS}s] 4 crash loops"
write_crash() {  # write_crash BARE_COMMAND LOUD_COMMAND
    cat >"$work/crash.toml" <<EOF
app = "pmcrash"

[defaults]
restart_delay = "200ms"
start_limit_burst = 3
start_limit_interval = "10s"

[process.bare]
command = "$1"

[process.loud]
command = "$2"
EOF
}
fc() { "$formation" -f "$work/crash.toml" "$@"; }
gave_up() { [ "$(prop "$1" ActiveState)" = failed ] && journal_has "$1" 'Start request repeated too quickly'; }
write_crash 'exit 3' 'echo crash-loop-marker; exit 3'
timed fc apply
want_rc crash-apply-fails 1
for t in bare loud; do
    u=pmcrash-$t@1.service
    # systemd 252 keeps the Result of the last crash ("exit-code") when the
    # restart hits the start limit; it logs "Start request repeated too quickly".
    check "crash-$t-start-limit-hit" "$(state $u) Result=$(prop $u Result) after 15 s, wanted failed after 'Start request repeated too quickly'" \
        wait_for 15 gave_up $u
    info "$u: $(state $u) Result=$(prop $u Result) NRestarts=$(prop $u NRestarts) ExecMainCode=$(prop $u ExecMainCode) ExecMainStatus=$(prop $u ExecMainStatus)"
    # Each (re)start is a "Started …" line from systemd: the gaps are ≥ restart_delay.
    starts=$(journalctl -q --no-pager -u $u -o short-monotonic | grep -E 'systemd\[1\]: Started ' | sed -E 's/^\[ *([0-9.]+)\].*/\1/')
    n=$(echo "$starts" | grep -c .)
    gaps=$(echo "$starts" | awk 'NR > 1 { printf "%.3f ", $1 - prev } { prev = $1 }')
    info "$u: $n starts, gaps ${gaps}s"
    # Runs are counted by their exits: with Type=exec, a process that exits
    # before systemd sees its execve() completes gets no "Started" line.
    runs=$(journalctl -q --no-pager -u $u -o cat | grep -c 'Main process exited')
    check "crash-$t-starts" "$runs runs ended, wanted 3 (start_limit_burst)" test "$runs" = 3
    check "crash-$t-delay" "gaps between starts ${gaps}s, wanted each ≥ 0.2 s (restart_delay)" \
        awk -v g="$gaps" 'BEGIN { n = split(g, a, " "); if (n == 0) exit 1; for (i = 1; i <= n; i++) if (a[i] < 0.2) exit 1 }'
    # RestartSec proper: from each exit to systemd's "Scheduled restart job" (the default would be 1 s).
    delays=$(journalctl -q --no-pager -u $u -o short-monotonic |
        sed -E 's/^\[ *([0-9.]+)\]/\1/' |
        awk '/Main process exited/ { e = $1 } /Scheduled restart job/ && e { printf "%.3f ", $1 - e; e = 0 }')
    info "$u: exit → scheduled restart ${delays}s (restart_delay 200ms)"
    check "crash-$t-restart-delay" "exit → restart ${delays}s, wanted each in 0.2..0.9 s" \
        awk -v g="$delays" 'BEGIN { n = split(g, a, " "); if (n < 2) exit 1; for (i = 1; i <= n; i++) if (a[i] < 0.2 || a[i] >= 0.9) exit 1 }'
    check "crash-$t-restarts" "NRestarts=$(prop $u NRestarts), wanted ≥ 2" test "$(prop $u NRestarts)" -ge 2
done
u=pmcrash-bare@1.service
check crash-bare-exit-3 "'exit 3' ended with ExecMainStatus=$(prop $u ExecMainStatus), wanted 3: $(journalctl -q --no-pager -u $u -o cat | grep -v systemd | tail -1)" \
    test "$(prop $u ExecMainStatus)" = 3
timed fc status
info "formation status of the crash loop (exit $rc):"; sed 's/^/    | /' "$work/out" "$work/err"
want_rc crash-status-rc 1
sl=$work/out
check crash-status-failed "status does not say failed" grep -qE 'failed' "$sl"
# The instance's own row must say that systemd gave up restarting it (on 252
# its Result is "exit-code"; NRestarts and the failed state tell the story).
check crash-status-start-limit "the row of pmcrash-loud@1 does not say systemd gave up (start limit): $(grep -m1 -E '^ *pmcrash-loud@1\.service' "$sl" | tr -s ' ')" \
    eval "grep -E '^ *pmcrash-loud@1\.service +failed' '$sl' | grep -qiE 'gave up|start.limit|too often|too quickly'"
nr=$(prop pmcrash-loud@1.service NRestarts)
check crash-status-restarts "status does not show the restart count $nr on the loud row" \
    awk -v n="$nr" '/pmcrash-loud@1/ { for (i = 1; i <= NF; i++) if ($i == n) f = 1 } END { exit !f }' "$sl"
# The journal lines shown must include the process's own last words, not only systemd's.
check crash-status-journal "status shows no output of the process itself (crash-loop-marker), only systemd's messages" grep -q 'crash-loop-marker' "$sl"
timed fc status --json
check crash-status-json "status --json lacks \"active_state\":\"failed\" / \"restarts\":$nr: $(head -c 400 "$work/out")" \
    eval "grep -q '\"active_state\":\"failed\"' '$work/out' && grep -q '\"restarts\":$nr' '$work/out'"

# Fixed in the file: apply clears the failed state and it runs.
write_crash 'exec sleep infinity' 'exec sleep infinity'
timed fc apply
want_rc crash-fixed-apply 0
for t in bare loud; do
    u=pmcrash-$t@1.service
    check "crash-fixed-$t-running" "$(state $u) Result=$(prop $u Result) after the fix" running $u
    check "crash-fixed-$t-nrestarts" "NRestarts=$(prop $u NRestarts) after the fix, wanted 0" test "$(prop $u NRestarts)" = 0
done
timed fc status
want_rc crash-fixed-status 0

# formation start also clears start-limit-hit (reset-failed) before starting.
write_crash 'exit 3' 'echo crash-loop-marker; exit 3'
fc apply --no-revert >/dev/null 2>&1  # stays on the crashing release (apply would go back)
u=pmcrash-bare@1.service
wait_for 15 gave_up $u
before=$(prop $u ExecMainStartTimestampMonotonic)
timed fc start bare
after=$(prop $u ExecMainStartTimestampMonotonic)
info "'formation start bare' on a start-limit-hit instance: exit $rc, ExecMainStart $before → $after"
check crash-start-resets "'formation start bare' (exit $rc) did not start it again: ExecMainStart $before → $after, $(state $u) Result=$(prop $u Result)" \
    test "$after" -gt "$before"
fc destroy >/dev/null 2>&1

echo "## [${SECONDS}s] done"
