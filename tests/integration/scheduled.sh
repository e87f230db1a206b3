#!/bin/bash
# Scheduled types (schedule, issue 23), against a real systemd. Runs INSIDE
# the sandbox container (tests/sandbox/sandbox run -- bash scheduled.sh
# FORMATION). A type every 2 s runs with the app's environment and user,
# shows its last and next run in status and its lines in logs; a slow run
# is never started twice at once; a run that fails alerts once (on_failure)
# with its unit and result; `start TYPE` runs it now and says how it ended;
# timeout stops a run that hangs; scale/restart refuse a scheduled type;
# stop and start, a changed schedule and a removed type are converged; and
# destroy leaves nothing.
set -u
formation=$1
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
srv=/srv/sched
mkdir -p "$srv"
id -u sched >/dev/null 2>&1 || useradd --system --no-create-home sched
chown sched "$srv"
cleanup() {
    "$formation" -a cron destroy >/dev/null 2>&1
    rm -rf "$work" "$srv"
}
trap cleanup EXIT

# formation FILE SCHEDULE-OF-TICK [EXTRA TYPES]
write() {
    cat >"$work/cron.toml" <<T
app = "cron"
user = "sched"
on_failure = '{ echo "== \$FORMATION_UNIT \$FORMATION_RESULT \$FORMATION_EXIT_STATUS \$FORMATION_INSTANCE \$FORMATION_TYPE"; cat; echo "== end"; } >> $srv/alerts'
env_files = ["$srv/env"]

[env]
GREETING = "hello"

[process.web]
command = "sleep infinity"

[process.tick]
command = 'echo "\$FORMATION_INSTANCE \$GREETING \$SECRET \$(id -un) \$(date +%s.%N)" >> $srv/ticks; echo ticked'
schedule = "$1"
writable_paths = ["$srv"]

[process.slow]
command = 'mkdir $srv/slow.lock || { echo OVERLAP >> $srv/slow; exit 1; }; echo start >> $srv/slow; sleep 5; echo end >> $srv/slow; rmdir $srv/slow.lock'
schedule = "*:*:0/2"
writable_paths = ["$srv"]

[process.bad]
command = 'echo "bad run says why"; exit 3'
schedule = "yearly"

[process.hang]
command = "sleep 60"
schedule = "yearly"
timeout = "2s"
stop_timeout = "1s"
${2:-}
T
}
echo "SECRET=s3cret" >"$srv/env"

write "*:*:0/2"
run check 0 "$formation" -f "$work/cron.toml" check
check check-says "check explains the schedule" has_or_show "$work/out" 'tick: runs on a timer, at "\*-\*-\* \*:\*:00/2"'
run apply 0 "$formation" -f "$work/cron.toml" apply
check timer-active "the timer runs" [ "$(prop cron-tick.timer ActiveState)" = active ]
check timer-calendar "with the schedule as systemd reads it" has /run/systemd/generator/cron-tick.timer '^OnCalendar=\*-\*-\* \*:\*:00/2$'
check target-wants "the app target wants the timers" has /run/systemd/generator/cron.target '^Wants=cron-tick\.timer$'
check ticks "it runs every 2 s" wait_for 15 bash -c "[ \$(cat $srv/ticks 2>/dev/null | wc -l) -ge 3 ]"
check tick-env "with the app's env, env files, its name and user" \
    bash -c "head -1 $srv/ticks | grep -qE '^tick\.run hello s3cret sched [0-9.]+\$'"
check tick-interval "about 2 s apart" bash -c "tail -2 $srv/ticks | awk '{ t[NR] = \$5 } END { d = t[2] - t[1]; exit !(d > 1.5 && d < 2.5) }'"
check no-instance "a scheduled type has no instances" bash -c '! systemctl list-units --all --plain --no-legend "cron-tick@*" | grep -q .'

run status 0 "$formation" -a cron status
check status-heading "status names the schedule" has_or_show "$work/out" '^tick scheduled \(\*:\*:0/2\)'
check status-timer "and its timer's next run" has_or_show "$work/out" 'cron-tick\.timer +active/waiting .*next run in [0-9.]+s'
check status-run "and its last run" has_or_show "$work/out" 'cron-tick\.service .*last run [0-9.]+s ago, succeeded, took [0-9.]+s'
run status-json 0 "$formation" -a cron status --json
check status-json "status --json has the schedule, the next and last run" python3 -c '
import json, sys, time
j = json.load(open(sys.argv[1]))
t = [x for x in j["types"] if x["name"] == "tick"][0]
s = t["scheduled"]
now = time.time() * 1e6
assert s["schedule"] == "*:*:0/2" and s["timer"] == "cron-tick.timer" and s["unit"] == "cron-tick.service", s
assert s["timer_state"] == "active/waiting", s
assert now - 1e6 < s["next_usec"] < now + 3e6, (s, now)
assert now - 5e6 < s["last_start_usec"] < now + 1e6, (s, now)
assert t["instances"] == [] and t["desired"] == 0, t
' "$work/out"
run logs 0 "$formation" -a cron logs tick -n 5
check logs "logs TYPE shows its runs" has_or_show "$work/out" '^tick +\| ticked$'

## runs never overlap: a 5 s run every 2 s
sleep 8
check slow-ran "the slow type ran" has "$srv/slow" '^start$'
check slow-no-overlap "and never twice at once" bash -c "! grep -q OVERLAP $srv/slow"
check slow-alternates "each start ended before the next" bash -c "grep -v OVERLAP $srv/slow | awk 'NR % 2 == 1 && \$0 != \"start\" { exit 1 } NR % 2 == 0 && \$0 != \"end\" { exit 1 }'"

## a run that fails: start runs it now, says how it ended, alerts once
run start-bad 1 "$formation" -a cron start bad
check start-bad-says "start says the run failed" has_or_show "$work/err" 'cron-bad\.service'
check start-bad-lines "with its last lines" has_or_show "$work/err" 'bad run says why'
check alert-bad "on_failure ran once, with the unit and result" \
    wait_for 10 bash -c "[ \"\$(grep -c '^== cron-bad.service exit-code 3 bad.run bad\$' $srv/alerts 2>/dev/null)\" = 1 ]"
check alert-bad-stdin "and the run's lines on stdin" bash -c "sed -n '/^== cron-bad/,/^== end/p' $srv/alerts | grep -q '^bad run says why\$'"
run status-bad 1 "$formation" -a cron status
check status-bad "status says the last run failed, and why" has_or_show "$work/out" '^bad scheduled \(yearly\), last run failed'
check status-bad-note "with the exit status" has_or_show "$work/out" 'failed: exit-code: .*\(status 3\)'
check status-bad-lines "and its lines" has_or_show "$work/out" 'bad run says why'

## timeout: a run that hangs is stopped and fails
began=$SECONDS
run start-hang 1 "$formation" -a cron start hang
check hang-stopped "stopped after its timeout (2 s), not 60 s ($((SECONDS - began)) s)" [ $((SECONDS - began)) -lt 20 ]
check hang-result "its result is timeout" [ "$(prop cron-hang.service Result)" = timeout ]
check alert-hang "and it alerted once" wait_for 10 bash -c "[ \"\$(grep -c '^== cron-hang.service timeout ' $srv/alerts 2>/dev/null)\" = 1 ]"

## a good run by hand
run start-tick 0 "$formation" -a cron start tick
check start-tick "start TYPE ran it now" has "$srv/ticks" 'tick\.run'

## what does not apply is refused
run scale 2 "$formation" -a cron scale tick=2
check scale-says "scale refuses a scheduled type" has_or_show "$work/err" 'tick is a scheduled type'
run restart 2 "$formation" -a cron restart tick
check restart-says "restart says start runs it" has_or_show "$work/err" '`formation start tick` runs it now'
run logs-n 2 "$formation" -a cron logs tick.1
run restart-app 0 "$formation" -a cron restart
check restart-app-timer "restarting the app leaves the timers be" [ "$(prop cron-tick.timer ActiveState)" = active ]

## stop TYPE stops its timer; start brings it back
run stop-tick 0 "$formation" -a cron stop tick
check stopped-timer "stop TYPE stops the timer" stopped cron-tick.timer
n=$(wc -l <"$srv/ticks"); sleep 4
check stopped-no-run "and no run happens" [ "$(wc -l <"$srv/ticks")" = "$n" ]
run status-stopped 1 "$formation" -a cron status
check status-stopped "status says the timer is stopped" has_or_show "$work/out" 'tick scheduled .*timer inactive'
run start-app 0 "$formation" -a cron start
check restarted-timer "start brings the timer back" [ "$(prop cron-tick.timer ActiveState)" = active ]

## a changed schedule moves the timer; a removed type goes
write "*:*:0/3"
run apply-changed 0 "$formation" -f "$work/cron.toml" apply
check changed-loaded "systemd has the new schedule" bash -c "systemctl show -P TimersCalendar cron-tick.timer | grep -q '00/3'"
check changed-active "and it keeps time" [ "$(prop cron-tick.timer ActiveState)" = active ]
sed -i '/^\[process.slow\]/,/^writable_paths/d' "$work/cron.toml"
run apply-removed 0 "$formation" -f "$work/cron.toml" apply
check removed-timer "a removed type's timer is gone" bash -c '! systemctl list-units --all --plain --no-legend "cron-slow.*" | grep -q .'
check removed-lock "its run in progress was stopped" wait_for 5 bash -c "! systemctl -q is-active cron-slow.service"

run destroy 0 "$formation" -a cron destroy
check destroy "destroy leaves no unit of the app loaded" \
    bash -c '! systemctl list-units --all --plain --no-legend "cron-*" "cron.*" | grep -q .'
finish scheduled
