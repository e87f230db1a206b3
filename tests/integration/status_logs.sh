#!/bin/bash
# status and logs against a real systemd. Runs INSIDE the sandbox container
# (tests/sandbox/sandbox run -- bash status_logs.sh FORMATION): it starts and
# stops units freely, and its /tmp is the container's own.
set -u
formation=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
t() {  # t NAME EXPECTED_RC CMD... ; output in $work/out, $work/err
    local name=$1 want=$2; shift 2
    local rc=0
    "$@" >"$work/out" 2>"$work/err" || rc=$?
    if [ "$rc" = "$want" ]; then passed=$((passed+1)); else
        echo "FAIL $name: exit $rc, wanted $want"; sed 's/^/    /' "$work/err" "$work/out" | head -30; failed=$((failed+1)); fi
}
has() {  # has NAME FILE PATTERN
    if grep -qE -- "$3" "$2"; then passed=$((passed+1)); else
        echo "FAIL $1: no /$3/ in $(basename "$2"):"; sed 's/^/    /' "$2" | head -30; failed=$((failed+1)); fi
}
hasnt() {  # hasnt NAME FILE PATTERN
    if ! grep -qE -- "$3" "$2"; then passed=$((passed+1)); else
        echo "FAIL $1: /$3/ in $(basename "$2"):"; grep -E -- "$3" "$2" | sed 's/^/    /' | head -10; failed=$((failed+1)); fi
}
ok() {  # ok NAME CMD...
    local name=$1; shift
    if "$@"; then passed=$((passed+1)); else echo "FAIL $name: $*"; failed=$((failed+1)); fi
}
lines() { grep -c '' "$1"; }
gone() { ! kill -0 "$1" 2>/dev/null; }
has_lines() { [ "$(lines "$2")" -ge "$1" ]; }  # has_lines N FILE
# wait_for SECONDS CMD...: until CMD succeeds
wait_for() {
    local end=$((SECONDS + $1)); shift
    until "$@"; do [ $SECONDS -ge $end ] && return 1; sleep 0.1; done
}
json() {  # json FILE PYTHON-EXPR: the expression over d = the parsed file
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}

# Through apply, always: the -a checks below read the copy apply stores.
deploy() {  # deploy FILE
    "$formation" -f "$1" apply >/dev/null 2>&1
    true  # a failing instance makes apply exit 1; the scenarios check states
}

cat >"$work/shop.toml" <<'T'
app = "shop"
[process.web]
command = "while :; do echo web $PORT; sleep 1; done"
count = 2
port = 5000
[process.worker]
command = "i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.3; done"
[process.multi]
# One journal entry holding two lines, through journald's native protocol.
command = ["python3", "-c", '''
import socket, struct, time
m = b"first line\nsecond line"
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(b"MESSAGE\n" + struct.pack("<Q", len(m)) + m + b"\n", "/run/systemd/journal/socket")
time.sleep(3600)
''']
T
cat >"$work/crash.toml" <<'T'
app = "crash"
[process.bad]
command = "echo about to fail; exit 3"
restart_delay = "100ms"
start_limit_burst = 3
[process.good]
command = "sleep infinity"
T
deploy "$work/shop.toml"
deploy "$work/crash.toml"
fm() { "$formation" -f "$work/shop.toml" "$@"; }
wait_for 10 systemctl is-failed -q crash-bad@1.service
# What the checks below read must be in the journal first: journald stores
# each line when it gets to it, maybe after the state change that ended it.
in_journal() {  # in_journal UNIT PATTERN [N]: at least N (1) entries of UNIT match
    [ "$(journalctl -q -u "$1" -o cat --no-pager | grep -c -- "$2")" -ge "${3:-1}" ]
}
wait_for 30 in_journal crash-bad@1.service 'about to fail' 3
wait_for 30 in_journal shop-worker@1.service 'tick 3'
wait_for 30 in_journal shop-web@2.service 'web 5001'
wait_for 30 in_journal shop-web@1.service 'web 5000'
wait_for 30 in_journal shop-multi@1.service 'second line'

## status, text
t status 0 fm status
has status-summary "$work/out" '^web 2/2 running$'
has status-worker "$work/out" '^worker 1/1 running$'
has status-web1 "$work/out" '^  shop-web@1\.service +active/running +[1-9][0-9]* +[0-9]+s .* 5000$'
has status-web2 "$work/out" '^  shop-web@2\.service +active/running +[1-9][0-9]* .* 5001$'
has status-no-port "$work/out" '^  shop-worker@1\.service +active/running +[1-9][0-9]* .* - *$'
has status-header "$work/out" '^  UNIT +STATE +PID +UPTIME +STARTUP +MEMORY +RESTARTS +PORT +NOTE$'
hasnt status-other-app "$work/out" 'crash'
# Columns line up: STATE starts at the same offset in every row.
ok status-aligned test "$(grep -E '^  (UNIT|shop-)' "$work/out" | awk '{print index($0, $2)}' | sort -u | wc -l)" = 1
hasnt status-no-color-in-pipe "$work/out" $'\033'
t status-by-app 0 "$formation" status -a shop
has status-by-app "$work/out" '^web 2/2 running$'

## status --json
t status-json 0 fm status --json
ok json-parses python3 -c 'import json,sys; json.load(sys.stdin)' <"$work/out"
ok json-app test "$(json "$work/out" 'd["app"]')" = shop
ok json-web-counts test "$(json "$work/out" '[(t["desired"], t["running"], len(t["instances"])) for t in d["types"] if t["name"] == "web"][0]')" = "(2, 2, 2)"
ok json-ports test "$(json "$work/out" '[i["port"] for t in d["types"] for i in t["instances"]]')" = "[None, 5000, 5001, None]"
ok json-pids test "$(json "$work/out" 'all(i["pid"] > 0 and i["desired"] and i["active_state"] == "active" for t in d["types"] for i in t["instances"])')" = True
ok json-fields test "$(json "$work/out" 'sorted(d["types"][0]["instances"][0])')" = "['active_state', 'cpu_nsec', 'desired', 'health', 'index', 'memory_bytes', 'pid', 'port', 'port_source', 'restarts', 'result', 'socket', 'startup_usec', 'sub_state', 'type', 'unit', 'uptime_usec']"
ok json-port-source test "$(json "$work/out" '[i["port_source"] for t in d["types"] for i in t["instances"]]')" = "['process', 'process', 'process', 'process']"

## a failed type: exit 1, the result and its last journal lines
t status-failed 1 "$formation" -f "$work/crash.toml" status
has failed-summary "$work/out" '^bad 0/1 running, 1 failed$'
has failed-row "$work/out" '^  crash-bad@1\.service +failed/failed .*exit-code'
# The process's own last lines (one per start: 3 starts before the limit), not systemd's.
has failed-journal "$work/out" "^    about to fail$"
ok failed-journal-own-lines test "$(grep -A6 '^  crash-bad@1' "$work/out" | grep -c '^    about to fail$')" = 3
has failed-gave-up "$work/out" "restarted [0-9]+ times, then systemd gave up|start-limit-hit"
has failed-good-still-up "$work/out" '^good 1/1 running$'
t status-failed-json 1 "$formation" -f "$work/crash.toml" status --json
ok failed-json test "$(json "$work/out" '[(i["active_state"], i["result"], i["restarts"]) for t in d["types"] for i in t["instances"] if t["name"] == "bad"]')" = "[('failed', 'exit-code', 3)]"

## a surplus instance, started by hand
systemctl start shop-web@9.service
t status-surplus 0 fm status
has surplus-summary "$work/out" '^web 2/2 running, 1 surplus$'
has surplus-row "$work/out" '^  shop-web@9\.service +active/running .*surplus'
t status-surplus-json 0 fm status --json
ok surplus-json test "$(json "$work/out" '[(i["index"], i["desired"], i["port"]) for t in d["types"] for i in t["instances"] if not i["desired"]]')" = "[(9, False, None)]"
systemctl stop shop-web@9.service

## a missing instance: desired, stopped
systemctl stop shop-web@2.service
t status-missing 0 fm status
has missing-summary "$work/out" '^web 1/2 running, 1 missing$'
has missing-row "$work/out" '^  shop-web@2\.service +inactive/dead .*missing'
systemctl start shop-web@2.service

## logs
t logs 0 fm logs -n 0
has logs-worker "$work/out" '^worker\.1 \| tick [0-9]+$'
has logs-web-padded "$work/out" '^web\.1    \| web 5000$'
has logs-systemd-lines "$work/out" '^web\.1    \| Started shop-web@1\.service'
hasnt logs-other-app "$work/out" 'about to fail'
has logs-multiline-1 "$work/out" '^multi\.1  \| first line$'
has logs-multiline-2 "$work/out" '^multi\.1  \| second line$'
t logs-type 0 fm logs worker
has logs-type-shown "$work/out" '^worker\.1 \| tick'
ok logs-type-only test "$(grep -cv '^worker\.1 | ' "$work/out")" = 0
t logs-instance 0 fm logs web.2 -n 0
ok logs-instance-only test "$(grep -cv '^web\.2 | ' "$work/out")" = 0
has logs-instance-shown "$work/out" '^web\.2 \| web 5001$'
# -n N: the last N entries of all the selected instances together.
t logs-n2-type 0 fm logs worker -n 2
ok logs-n2-type-count test "$(lines "$work/out")" = 2
t logs-n2-all 0 fm logs -n 2
ok logs-n2-all-count test "$(lines "$work/out")" = 2
t logs-n3-two-types 0 fm logs web worker -n 3
ok logs-n3-two-types-count test "$(lines "$work/out")" = 3
t logs-default-100 0 fm logs
# 100 entries; the multi-line entry of "multi" is two lines when it is among them.
ok logs-default-100-count test "$(lines "$work/out")" -le "$((100 + $(grep -c '^multi\.1  | second line$' "$work/out")))"
t logs-since-rel 0 fm logs worker --since "2s ago"
ok logs-since-rel-recent test "$(lines "$work/out")" -le 12
t logs-since-abs 0 fm logs worker --since "$(date -d '-3 sec' '+%Y-%m-%d %H:%M:%S')"
has logs-since-abs-shown "$work/out" '^worker\.1 \| tick'
t logs-since-bad 2 fm logs --since yesterdayish
t logs-unknown-type 2 fm logs nosuch
has logs-unknown-type-msg "$work/err" 'no process type "nosuch"'
t logs-bad-index 2 fm logs web.x
t logs-by-app 0 "$formation" logs -a shop worker -n 1
has logs-by-app "$work/out" '^worker\.1 \| tick'

## logs -f: new lines arrive; SIGTERM and SIGINT end it with status 0
# One output file per run: the background shell truncates it only once it
# has forked, so a reused file could still show the last run's lines.
for sig in TERM INT; do
    # Not through fm: $! must be formation itself, not a subshell.
    "$formation" -f "$work/shop.toml" logs worker -f -n 1 >"$work/follow-$sig" 2>&1 &
    pid=$!
    ok "follow-$sig-new-lines" wait_for 5 has_lines 3 "$work/follow-$sig"
    kill -$sig $pid
    ok "follow-$sig-ends" wait_for 5 gone $pid
    kill -9 $pid 2>/dev/null
    rc=0; wait $pid || rc=$?
    ok "follow-$sig-exit-0" test $rc = 0
    grep -v '^worker\.1 | tick' "$work/follow-$sig" >"$work/follow.other"
    hasnt "follow-$sig-prefixed" "$work/follow.other" '.'  # shows any other line
done

## logs -f on an instance that logs nothing more: a signal still ends it at
## once (sd_journal_wait would wait for the next entry, here forever)
for sig in INT TERM; do
    "$formation" -f "$work/shop.toml" logs multi -f -n 1 >"$work/quiet-$sig" 2>&1 &
    pid=$!
    ok "follow-quiet-$sig-backlog" wait_for 5 has_lines 1 "$work/quiet-$sig"
    sleep 0.5  # into the wait
    kill -$sig $pid
    ok "follow-quiet-$sig-ends" wait_for 2 gone $pid
    kill -9 $pid 2>/dev/null
    rc=0; wait $pid || rc=$?
    ok "follow-quiet-$sig-exit-0" test $rc = 0
done

## logs -f whose reader is gone (ssh closed, `| head -1` done) ends on a
## quiet app too, instead of lingering until the next line fails to write
mkfifo "$work/fifo"
"$formation" -f "$work/shop.toml" logs multi -f -n 1 >"$work/fifo" 2>/dev/null &
pid=$!
head -1 <"$work/fifo" >"$work/quiet-head"
ok follow-reader-gone-read has_lines 1 "$work/quiet-head"
ok follow-reader-gone-ends wait_for 2 gone $pid
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null

## logs -f follows an instance started after it began (a scale-up)
"$formation" -f "$work/shop.toml" logs worker -f -n 1 >"$work/follow-scale" 2>&1 &
pid=$!
ok follow-started wait_for 5 has_lines 2 "$work/follow-scale"
systemctl start shop-worker@2.service
ok follow-new-instance wait_for 10 grep -qE '^worker\.2 \| tick [0-9]+$' "$work/follow-scale"
ok follow-new-instance-started wait_for 5 grep -qE '^worker\.2 \| Started shop-worker@2\.service' "$work/follow-scale"
hasnt follow-only-worker "$work/follow-scale" '^(web|multi)'
kill -TERM $pid; wait $pid
systemctl stop shop-worker@2.service

## color: only on a terminal, and never with NO_COLOR
script -qec "$formation -f $work/shop.toml logs worker -n 1" /dev/null >"$work/tty" 2>&1
has logs-color-tty "$work/tty" $'\033\\['
NO_COLOR=1 script -qec "$formation -f $work/shop.toml logs worker -n 1" /dev/null >"$work/tty" 2>&1
hasnt logs-no-color "$work/tty" $'\033'
script -qec "$formation -f $work/shop.toml status" /dev/null >"$work/tty" 2>&1
has status-color-tty "$work/tty" $'\033\\[32mactive/running'

## what a process prints never reaches the terminal raw: escapes are shown
# as C escapes, in logs and in status's journal lines alike
cat >"$work/term.toml" <<'T'
app = "term"
[process.evil]
command = "printf 'title\\033]0;pwned\\007 clear\\033[2J bad\\377 ok \\303\\251\\n'; exec sleep infinity"
[process.dies]
command = "printf 'dying\\033]0;pwned\\007\\n'; exit 3"
restart = "no"
T
deploy "$work/term.toml"
wait_for 10 bash -c "journalctl -q -u term-evil@1.service | grep -q title"
wait_for 10 systemctl is-failed -q term-dies@1.service
t logs-escapes 0 "$formation" -f "$work/term.toml" logs evil -n 0
hasnt logs-no-raw-esc "$work/out" $'\033'
hasnt logs-no-raw-bel "$work/out" $'\007'
has logs-escaped "$work/out" '^evil\.1 \| title\\x1b\]0;pwned\\x07 clear\\x1b\[2J bad\\xff ok é$'
t status-escapes 1 "$formation" -f "$work/term.toml" status
hasnt status-no-raw-esc "$work/out" $'\033'
has status-escaped-journal "$work/out" '^    dying\\x1b\]0;pwned\\x07$'
script -qec "$formation -f $work/term.toml logs evil -n 0" /dev/null >"$work/tty" 2>&1
hasnt logs-tty-no-title "$work/tty" $'\033\\]'
hasnt logs-tty-no-clear "$work/tty" $'\033\\[2J'

## PORT as the process has it: an env file's PORT wins over the drop-in's
printf 'PORT=6123\n' >"$work/port.env"
cat >"$work/envport.toml" <<T
app = "envport"
env_files = ["$work/port.env"]
[process.web]
command = "exec sleep infinity"
port = 6000
T
deploy "$work/envport.toml"
wait_for 10 systemctl is-active -q envport-web@1.service
t status-real-port 0 "$formation" -f "$work/envport.toml" status --json
ok status-real-port-json test "$(json "$work/out" '[(i["port"], i["port_source"]) for t in d["types"] for i in t["instances"]]')" = "[(6123, 'process')]"
t status-real-port-text 0 "$formation" -f "$work/envport.toml" status
has status-real-port-text "$work/out" '^  envport-web@1\.service .* 6123$'

## STARTUP after an automatic restart: the current run's, not since the first start
cat >"$work/again.toml" <<T
app = "again"
[process.once]
# The first run lives 2 s and fails; the second stays up.
command = "if [ -e $work/again.ran ]; then exec sleep infinity; fi; touch $work/again.ran; sleep 2; exit 1"
restart_delay = "1s"
T
rm -f "$work/again.ran"
deploy "$work/again.toml"
restarted() { [ "$(systemctl show -P NRestarts again-once@1.service)" = 1 ] && systemctl is-active -q again-once@1.service; }
ok again-restarted wait_for 15 restarted
t status-startup-after-restart 0 "$formation" -f "$work/again.toml" status --json
ok status-startup-current-run test "$(json "$work/out" '[(i["restarts"], i["startup_usec"] is not None and i["startup_usec"] < 1000000) for t in d["types"] for i in t["instances"]]')" = "[(1, True)]"

## logs as a user who may not read the system journal: said, exit 1
if id nobody >/dev/null 2>&1 && ! id -nG nobody | grep -qwE 'systemd-journal|adm|wheel'; then
    cp "$work/shop.toml" /tmp/shop-nobody.toml && chmod 644 /tmp/shop-nobody.toml
    t logs-no-access 1 setpriv --reuid=nobody --regid=nogroup --clear-groups "$formation" -f /tmp/shop-nobody.toml logs worker -n 1
    has logs-no-access-said "$work/err" 'cannot read the system journal'
else
    echo "FAIL logs-no-access: no user \"nobody\" outside the journal groups to run as"; failed=$((failed+1))
fi

## systemd unreachable: exit 3
# (installed for a user whose manager does not run)
mkdir -p "$work/home/.config/formation" && cp "$work/shop.toml" "$work/home/.config/formation/shop.toml"
t status-no-bus 3 env HOME="$work/home" XDG_CONFIG_HOME= XDG_RUNTIME_DIR=/nonexistent DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent "$formation" --user -f "$work/shop.toml" status
has status-no-bus-says "$work/err" "cannot connect to the user manager"

## 500 instances: one ListUnits and one pipelined batch, not 500 round trips
sed -e 's/^app = "shop"/app = "many"/' >"$work/many.toml" <<'T'
app = "shop"
[process.idle]
command = "sleep infinity"
count = 500
hardening = "none"
T
t0=$SECONDS
deploy "$work/many.toml"
no_jobs() { [ -z "$(systemctl list-jobs --no-legend)" ]; }
wait_for 60 no_jobs
echo "deploying 500 instances: $((SECONDS - t0)) s"
# Right after 500 starts PID 1 stays busy for a while and answers slowly;
# the first call absorbs that, the second is timed. The time is mostly
# systemd answering 500 GetAll calls (`systemctl show` of the same units
# takes longer); one round trip per unit would take many times as long.
t status-500 0 "$formation" -f "$work/many.toml" status
has status-500-summary "$work/out" '^idle 500/500 running$'
start=$(date +%s%N)
t status-500-again 0 "$formation" -f "$work/many.toml" status
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "status of 500 instances: ${ms} ms"
ok "status-500-fast (${ms} ms)" test $ms -lt 5000
systemctl stop many.target  # else the container's shutdown takes long

echo "status_logs: $passed passed, $failed failed"
[ "$failed" = 0 ]
