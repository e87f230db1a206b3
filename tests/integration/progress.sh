#!/bin/bash
# Progress while formation waits for jobs, as a person sees it on a terminal:
# script(1) gives formation a pseudo-terminal, and what it wrote there is
# checked. Runs INSIDE the sandbox container:
#   tests/sandbox/sandbox run --install BUILD -- bash /ABS/tests/integration/progress.sh /ABS/formation
# On a terminal: what is being stopped/started, how many of how many are
# done, and after 3 s which units are still waiting; the line is erased at
# the end. Silent when stderr is a file, and with -q.
set -u
formation=${1:?usage: progress.sh /abs/path/formation}
cd /
work=/var/tmp/formation-progress
rm -rf "$work" && mkdir -p "$work" || exit 1
source "$(dirname "$0")/lib.sh"
# on_tty FILE CMD: runs the shell command CMD with a terminal, its terminal output in FILE.
on_tty() { script -qfec "$2" /dev/null </dev/null >"$1" 2>&1; }

# "slow" takes 5 s to stop (it ignores SIGTERM for that long), so a stop waits.
cat >"$work/pg.toml" <<'EOF2'
app = "pg"
[process.slow]
command = "trap 'sleep 5; exit 0' TERM; echo trap set; while :; do sleep 1 & wait $!; done"
count = 2
stop_timeout = "20s"
[process.quick]
command = "sleep infinity"
EOF2
run apply 0 "$formation" -f "$work/pg.toml" apply
check running "instances run" wait_for 20 all_running pg-slow@1.service pg-slow@2.service pg-quick@1.service
# Active is not enough: a loaded machine may not have run the shell's trap
# yet, and SIGTERM would end it at once. Each says when its trap is set.
trap_set() { journalctl -q -u "$1" -o cat --no-pager | grep -q '^trap set$'; }
check trapped "the slow instances never said their trap is set" \
    wait_for 30 eval 'trap_set pg-slow@1.service && trap_set pg-slow@2.service'

on_tty "$work/stop.tty" "$formation -a pg stop"
check stop-status "stop succeeded on a terminal" grep -q 'stopped 3 instances of pg' "$work/stop.tty"
check stop-what "says what it stops, and how many are done" grep -q 'formation: stopping 4 units: 0/4 done' "$work/stop.tty"
check stop-count "counts jobs as they finish" grep -qE 'formation: stopping 4 units: [123]/4 done' "$work/stop.tty"
check stop-waiting "names what still waits after 3 s" \
    grep -qE 'waiting [3-9] s for (pg-slow@[12]\.service(, )?)+' "$work/stop.tty"
check stop-erased "erases the line at the end" grep -q $'\r\033\\[K' "$work/stop.tty"
check stop-no-quick "a finished job is no longer named" bash -c "! grep -qE 'waiting [3-9] s for[^\r]*pg-quick' '$work/stop.tty'"

on_tty "$work/start.tty" "$formation -a pg start"
check start-what "start shows its progress" grep -q 'formation: starting 4 units' "$work/start.tty"

# Not a terminal: nothing but the result.
"$formation" -a pg restart quick >"$work/restart.out" 2>"$work/restart.err"
check file-silent "silent when stderr is a file" bash -c "! grep -q 'formation: restarting' '$work/restart.err'"
check file-no-cr "no carriage return in a file" bash -c "! grep -q $'\r' '$work/restart.err'"
on_tty "$work/restart.tty" "$formation -a pg restart quick 2>$work/restart2.err"
check stderr-file-on-tty "silent when stderr alone is a file" bash -c "! grep -q 'formation: restarting' '$work/restart2.err' '$work/restart.tty'"
on_tty "$work/quiet.tty" "$formation -q -a pg stop"
check quiet "-q: no progress on a terminal" bash -c "! grep -q 'formation: stopping' '$work/quiet.tty'"
on_tty "$work/restart3.tty" "$formation -a pg start && $formation -a pg restart slow"
check restart-what "a rolling restart shows its progress" grep -q 'formation: restarting 1 unit' "$work/restart3.tty"

"$formation" -a pg destroy >/dev/null 2>&1
finish progress
