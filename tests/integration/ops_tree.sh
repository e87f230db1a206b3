#!/bin/bash
# Units for ops repos stand alone (issue 25): trees from `formation generate
# -o`, made on the machine, copied into a container's /etc/systemd/system
# and started with systemctl alone.
#   ops_tree.sh FORMATION
# 1. A container with no formation at all (sandbox run without --install):
#    a web type ready by port, a worker and a scheduled type run; the ready
#    ones are ready (listening) when `systemctl start` returns; a type that
#    exits before it listens fails its start at once; `systemctl status`
#    warns of nothing (no SourcePath= to a missing file).
# 2. The same container with formation copied under another prefix
#    (/opt/fx/bin): a tree made with --helper /opt/fx/bin/formation, whose
#    readiness and on_failure run it there.
#
# `ops_tree.sh --inside DIR` is the part that runs in the container.
set -u

inside() {
    local trees=$1
    work=$(mktemp -d)
    . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
    not_listening() { ! listening "$1"; }
    trap 'systemctl stop ops.target opsbad.target opsh.target >/dev/null 2>&1; rm -rf "$work" /opt/fx' EXIT
    check no-formation "no formation on this host" \
        bash -c '! command -v formation && ! ls /usr/local/lib/systemd/system-generators/formation-generator /lib/systemd/system-generators/formation-generator 2>/dev/null'

    ## 1. systemd alone
    cp -a "$trees/plain/." /etc/systemd/system/
    run reload 0 systemctl daemon-reload
    run enable 0 systemctl enable --now ops.target
    check web-ready "systemctl start returned with web.1 listening" listening 5300
    check web-ready-2 "and web.2" listening 5301
    check web-active "and active" all_running ops-web@1.service ops-web@2.service ops-worker@1.service
    check web-answers "web.1 answers HTTP" bash -c "curl -fsS -o /dev/null http://127.0.0.1:5300/"
    check ready-shell "its readiness is the shell check, not formation" \
        bash -c "systemctl cat ops-web@.service | grep -q '^ExecStartPost=\"/bin/sh\"'"
    systemctl status ops-web@1.service >"$work/status" 2>&1
    check no-warning "systemctl status warns of nothing" bash -c "! grep -qi 'changed on disk\|daemon-reload\|warning' '$work/status' || { cat '$work/status'; false; }"
    check no-reload-needed "NeedDaemonReload=no" [ "$(prop ops-web@1.service NeedDaemonReload)" = no ]
    check no-source-path "no SourcePath=" [ -z "$(prop ops-web@1.service SourcePath)" ]
    check timer "the scheduled type's timer is active" systemctl -q is-active ops-tick.timer
    check tick-ran "and its runs succeed" wait_for 15 bash -c "[ \"\$(systemctl show -P ExecMainStatus ops-tick.service)\" = 0 ] && [ -n \"\$(systemctl show -P ExecMainExitTimestamp ops-tick.service)\" ]"
    check tick-env "with the app's environment" wait_for 5 bash -c "journalctl -u ops-tick.service -o cat | grep -q '^tick from ops'"

    ## a release whose process exits before it listens: the start fails at once
    cp -a "$trees/bad/." /etc/systemd/system/
    systemctl daemon-reload
    started=$SECONDS
    run bad-start 1 systemctl start opsbad-web@1.service
    check bad-fast "within 10 s, not at TimeoutStartSec (60 s)" [ $((SECONDS - started)) -lt 10 ]
    check bad-says "the journal says why" bash -c "journalctl -u opsbad-web@1.service -o cat | grep -q 'ready: the main process exited before it listened on port 5310'"
    systemctl stop opsbad.target opsbad-web@1.service >/dev/null 2>&1

    run stop 0 systemctl disable --now ops.target
    check stopped "stopping the target stops its instances" wait_for 15 not_listening 5300

    ## 2. formation under another prefix, named by --helper
    mkdir -p /opt/fx/bin && cp "$trees/formation" /opt/fx/bin/formation
    cp -a "$trees/helper/." /etc/systemd/system/
    run helper-reload 0 systemctl daemon-reload
    run helper-start 0 systemctl start opsh.target
    check helper-ready "the helper's wait-ready let the start return with the port listening" listening 5320
    check helper-used "the unit runs /opt/fx/bin/formation" \
        bash -c "systemctl cat opsh-web@.service | grep -q '^ExecStartPost=\"/opt/fx/bin/formation\" \"wait-ready\"'"
    check alert "the crashing type's on_failure ran once, through the helper" \
        wait_for 30 bash -c "[ \"\$(journalctl -o cat -u 'opsh-crash.on-failure@1.service' | grep -c '^ALERT opsh-crash@1.service exit-code')\" = 1 ]"
    systemctl status opsh-web@1.service >"$work/status" 2>&1
    check helper-no-warning "systemctl status warns of nothing" bash -c "! grep -qi 'changed on disk\|warning' '$work/status' || { cat '$work/status'; false; }"
    finish ops-tree-inside
}

if [ "${1:-}" = --inside ]; then inside "$2"; exit; fi

formation=${1:?usage: ops_tree.sh FORMATION}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Outside /tmp: the container sees the machine's / but has its own /tmp.
work=$(mktemp -d /var/tmp/formation-ops.XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
. "$here/lib.sh"

mkdir -p "$work/repo/plain" "$work/repo/bad" "$work/repo/helper"
cat >"$work/repo/plain/formation.toml" <<'T'
app = "ops"
[env]
GREETING = "tick from ops"
[process.web]
command = "exec /usr/bin/python3 -m http.server $PORT"
port = 5300
count = 2
ready = "port"
[process.worker]
command = "sleep infinity"
[process.tick]
command = "echo $GREETING"
schedule = "*:*:0/3"
T
cat >"$work/repo/bad/formation.toml" <<'T'
app = "opsbad"
[process.web]
command = "sleep 1; exit 3"
port = 5310
ready = "port"
start_timeout = "60s"
T
cat >"$work/repo/helper/formation.toml" <<'T'
app = "opsh"
on_failure = 'echo "ALERT $FORMATION_UNIT $FORMATION_RESULT"'
[process.web]
command = "exec /usr/bin/python3 -m http.server $PORT"
port = 5320
ready = "port"
on_failure = false
[process.crash]
command = "sleep 0.5; exit 3"
restart_delay = "100ms"
start_limit_burst = 2
T
run gen-plain 0 bash -c "cd '$work/repo/plain' && '$formation' -f formation.toml generate -o '$work/plain'"
run gen-bad 0 bash -c "cd '$work/repo/bad' && '$formation' -f formation.toml generate -o '$work/bad'"
run gen-helper-refused 2 bash -c "cd '$work/repo/helper' && '$formation' -f formation.toml generate -o '$work/helper'"
check gen-helper-says "it says what needs formation" has_or_show "$work/err" "on_failure in \[process.crash\] needs formation on the hosts"
run gen-helper 0 bash -c "cd '$work/repo/helper' && '$formation' -f formation.toml generate -o '$work/helper' --helper /opt/fx/bin/formation"
check gen-helper-lists "and with --helper lists what runs it" has_or_show "$work/out" "crash: on_failure"
cp "$formation" "$work/formation"
"$here/../sandbox/sandbox" run -- bash "$here/ops_tree.sh" --inside "$work" >"$work/inside.log" 2>&1
rc=$?
cat "$work/inside.log"
counts=$(sed -n 's/^ops-tree-inside: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$work/inside.log")
if [ -n "$counts" ]; then
    passed=$((passed + ${counts% *})) failed=$((failed + ${counts#* }))
else
    echo "FAIL inside-complete: the container part did not run to the end (sandbox run exited $rc)"; failed=$((failed + 1))
fi
finish ops-tree
