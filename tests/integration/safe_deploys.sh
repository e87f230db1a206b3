#!/bin/bash
# Bad releases do not take the app down (issue 21), against a real systemd.
# Runs INSIDE the sandbox container (tests/sandbox/sandbox run -- bash
# safe_deploys.sh FORMATION): Debian's gunicorn serves a WSGI app whose
# /healthz the test turns bad (answers 500) or whose release cannot start
# (import error), three `web` instances with socket = true and health,
# nginx in front, wrk as the load. A bad apply must exit 1, go back to the
# previous formation, and leave the app serving as before.
set -u
formation=$1
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/webapp.sh"
webapp_begin /srv/safe

# Requests take ~5 ms and answer "ok RELEASE"; BEHAVIOR=500 or crash in a
# release's environment makes it bad (webapp.sh).
webapp_write_app 0.005 RELEASE
webapp_start_nginx

# release NAME BEHAVIOR [EXTRA]: the formation file of one release
release() {
    cat >"$work/$1.toml" <<T
app = "shop"
[process.web]
command = "gunicorn --workers 2 --chdir $srv --bind 127.0.0.1:\$PORT app:app"
count = 3
port = 5000
socket = true
ready = "port"
health = { path = "/healthz", interval = "1s", timeout = "1s", failures = 3 }
min_ready = "1s"
stop_timeout = "10s"
env = { RELEASE = "$1", BEHAVIOR = "$2" }
${3:-}
T
}

# Every running web instance runs release $1 (its environment, from /proc).
all_on() {
    local i pid
    for i in 1 2 3; do
        pid=$(systemctl show -P MainPID "shop-web@$i.service")
        [ "$pid" -gt 0 ] 2>/dev/null || return 1
        tr '\0' '\n' <"/proc/$pid/environ" | grep -qx "RELEASE=$1" || return 1
    done
}
installed_is() { cmp -s /etc/formation/shop.toml "$work/$1.toml"; }

## the good release, and the steady throughput it serves
release v1 good
run apply-v1 0 "$formation" -f "$work/v1.toml" apply
check v1-serves "nginx answers through the instances" wait_for 20 curl -sf -o /dev/null http://127.0.0.1:8080/
check v1-health-said "the start said it was ready" \
    bash -c "journalctl -u shop-web@1.service -o cat | grep -q '^health: GET /healthz on port 5000: HTTP 200 OK: ready$'"
wrk_run steady 5 http://127.0.0.1:8080/
wrk_wait
steady=$(figure steady 4)
echo "steady: $steady requests/s"

## a release whose web answers 500: refused at the first instance, gone back
release v2 500
wrk_run bad500 20 http://127.0.0.1:8080/
sleep 2
run apply-500 1 "$formation" -f "$work/v2.toml" apply
wrk_wait
check 500-why "apply names the health check's answer" has "$work/err" 'HTTP 500'
check 500-reverted "apply says it went back" has "$work/err" 'went back to the previous formation'
check 500-installed "the previous formation is installed again" installed_is v1
check 500-runs-v1 "every instance runs the previous release" all_on v1
check 500-not-failed "no instance is left failed" bash -c '! systemctl -q is-failed "shop-web@*.service"'
during=$(figure bad500 2) total=$(figure bad500 1)
echo "500 release: $during of $total requests failed during the deploy"
check 500-during "during the deploy, few requests failed ($during of $total)" test $((during * 100)) -le $((total * 10))
wrk_run after500 10 http://127.0.0.1:8080/
wrk_wait
check 500-after "in the 10 s after it, no request failed" test "$(figure after500 2)/$(figure after500 3)" = 0/0

## a release that cannot start: the same, and no port black-holed after it
release v3 crash
crash_began=$SECONDS
run apply-crash 1 "$formation" -f "$work/v3.toml" apply
echo "INFO the release that cannot start was refused and gone back from in $((SECONDS - crash_began)) s"
check crash-lines "apply shows the instance's last lines" has_or_show "$work/err" 'cannot start'
# Its start failed when its main process exited, not 30 s later at
# TimeoutStartSec= (while its socket accepted connections nobody served).
check crash-gone "the start failed because the main process exited: $(journalctl -u shop-web@1.service -o cat | grep '^health: ' | tail -2 | tr '\n' '/')" \
    bash -c "journalctl -u shop-web@1.service -o cat | grep -q '^health: not ready: the main process exited before it answered$'"
check crash-reverted "apply says it went back" has "$work/err" 'went back to the previous formation'
check crash-installed "the previous formation is installed again" installed_is v1
check crash-runs-v1 "every instance runs the previous release" all_on v1
wrk_run aftercrash 5 http://127.0.0.1:8080/
wrk_wait
check crash-after "after it, no request failed" test "$(figure aftercrash 2)/$(figure aftercrash 3)" = 0/0
after=$(figure aftercrash 4)
echo "after the refused release: $after requests/s (steady: $steady)"
check crash-throughput "throughput close to the steady one ($after vs $steady requests/s)" test $((after * 10)) -ge $((steady * 6))

## --no-revert: today's stop-and-report, the bad formation stays installed
run no-revert 1 "$formation" -f "$work/v2.toml" apply --no-revert
check no-revert-kept "the failed formation stays installed" installed_is v2
hasnt_revert() { ! grep -q 'went back' "$work/err"; }
check no-revert-said "nothing went back" hasnt_revert
run recover 0 "$formation" -f "$work/v1.toml" apply
check recovered "a good apply recovers" all_on v1

## a good release goes out as before
release v4 good
run apply-v4 0 "$formation" -f "$work/v4.toml" apply
check v4-runs "every instance runs it" all_on v4

## the release phase: once per apply, with the new environment, before the first restart
# with_release NAME RELEASE MIGRATE: release NAME's file with a release command
with_release() {
    release "$1" good
    python3 - "$work/$1.toml" "$3" "$1" <<'PY'
import sys
path, migrate = sys.argv[1], sys.argv[2]
text = open(path).read()
head = ('app = "shop"\n'
        'release = ["/bin/sh", "-c", "echo migrating $RELEASE; if [ \\"$MIGRATE\\" = fail ]; then echo migration failed >&2; exit 3; fi; '
        'echo $RELEASE $(cut -d\' \' -f1 /proc/uptime) >>/srv/safe/releases.log"]\n'
        'release_timeout = "30s"\n')
text = text.replace('app = "shop"\n', head, 1)
# The release sees the app level (and [defaults]), not a type's own env.
text = text.replace('[process.web]', '[env]\nRELEASE = "%s"\nMIGRATE = "%s"\n\n[process.web]' % (sys.argv[3], migrate), 1)
open(path, "w").write(text)
PY
}
with_release v5 release ok
run apply-release 0 "$formation" -f "$work/v5.toml" apply
check release-output "its output is printed, prefixed" has "$work/err" '^release \| migrating v5$'
check release-once "it ran once, with the new environment" test "$(cut -d' ' -f1 /srv/safe/releases.log | tr '\n' ' ')" = "v5 "
released=$(awk '{ printf "%d\n", $2 * 1000000 }' /srv/safe/releases.log)
first_start=$(systemctl show -P ExecMainStartTimestampMonotonic shop-web@1.service)
check release-before "it ran before the first restart ($released < $first_start µs)" test "$released" -lt "$first_start"
check release-runs-v5 "then every instance runs the new release" all_on v5
run apply-release-again 0 "$formation" -f "$work/v5.toml" apply
check release-not-again "nothing to restart: no release run" test "$(grep -c '' /srv/safe/releases.log)" = 1
with_release v6 release fail
before_pids=$(for i in 1 2 3; do systemctl show -P MainPID "shop-web@$i.service"; done)
run apply-release-fails 1 "$formation" -f "$work/v6.toml" apply
check release-fail-said "apply says the release failed and nothing changed" \
    has "$work/err" 'the release command exited with status 3 .*nothing was installed, no instance was stopped or restarted'
check release-fail-lines "with its last lines" has "$work/err" '^    migration failed$'
check release-fail-pids "no instance restarted" test "$(for i in 1 2 3; do systemctl show -P MainPID "shop-web@$i.service"; done)" = "$before_pids"
check release-fail-installed "the installed formation is unchanged" installed_is v5
run restart-release 0 "$formation" -a shop restart
check restart-released "restart runs the release too" test "$(grep -c '' /srv/safe/releases.log)" = 2
run restart-no-release 0 "$formation" -a shop restart --no-release
check restart-not-released "--no-release runs none" test "$(grep -c '' /srv/safe/releases.log)" = 2

## history and rollback: three applies, rollback → the one before, rollback 1 → the first
run releases 0 "$formation" -a shop releases --json
last=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[-1]["number"])' "$work/out")
release h1 good; run h1 0 "$formation" -f "$work/h1.toml" apply
release h2 good; run h2 0 "$formation" -f "$work/h2.toml" apply
release h3 good; run h3 0 "$formation" -f "$work/h3.toml" apply
run releases-list 0 "$formation" -a shop releases
check releases-summary "releases says what changed" has "$work/out" "^ *$((last + 3)) .* env RELEASE h2→h3\$"
check releases-root-only "the history is root's alone" test "$(stat -c %a /var/lib/formation/releases/shop)" = 700
run rollback 0 "$formation" -a shop rollback
check rollback-env "rollback: every instance runs the release before (its environment)" all_on h2
check rollback-installed "and it is installed" installed_is h2
run rollback-first 0 "$formation" -a shop rollback "$((last + 1))"
check rollback-n "rollback N: release N runs" all_on h1
run releases-after 0 "$formation" -a shop releases
check rollback-recorded "a rollback is a release too" has "$work/out" "rollback to $((last + 1)): env RELEASE h2→h1"
run rollback-unknown 2 "$formation" -a shop rollback 9999
check rollback-unknown-said "a release not kept is refused by number" has "$work/err" 'release 9999 of app shop is not kept'

## code and configuration together: working_directory names an immutable
## release directory, so apply deploys both and rollback restores both
for r in r1 r2; do
    mkdir -p "$srv/releases/$r"
    sed "s/\"ok \"/\"ok-$r \"/" "$srv/app.py" >"$srv/releases/$r/app.py"
done
code_release() {
    cat >"$work/$1.toml" <<T
app = "shop"
working_directory = "$srv/releases/$1"
[process.web]
command = "gunicorn --workers 2 --bind 127.0.0.1:\$PORT app:app"
count = 3
port = 5000
socket = true
ready = "port"
health = { path = "/healthz", interval = "1s", timeout = "1s", failures = 3 }
min_ready = "1s"
T
}
serves() { local p; for p in 5000 5001 5002; do curl -sf "http://127.0.0.1:$p/" | grep -q "^ok-$1 " || return 1; done; }
code_release r1; run code-r1 0 "$formation" -f "$work/r1.toml" apply
check code-r1-serves "every instance serves release r1's code" serves r1
code_release r2; run code-r2 0 "$formation" -f "$work/r2.toml" apply
check code-r2-serves "apply of r2: every instance serves r2's code" serves r2
run code-rollback 0 "$formation" -a shop rollback
check code-rollback-serves "rollback: r1's code again, with r1's configuration" serves r1
check code-rollback-installed "r1's formation is installed" installed_is r1

## liveness: an instance that turns unhealthy while running is restarted, alone
check watcher-runs "the app's health watcher runs" systemctl -q is-active shop-health.service
pids() { for i in 1 2 3; do systemctl show -P MainPID "shop-web@$i.service"; done | tr '\n' ' '; }
before=$(pids); web2=$(systemctl show -P MainPID shop-web@2.service)
touch "$srv/sick-5001"
sick_at=$SECONDS
restarted() { [ "$(systemctl show -P MainPID shop-web@2.service)" != "$web2" ]; }
# interval 1s x failures 3, plus a round's timeout and the stop: well within 10 s.
check sick-restarted "web@2 is restarted once its checks fail 3 times in a row" wait_for 10 restarted
echo "unhealthy web@2 restarted after about $((SECONDS - sick_at)) s (interval 1s, failures 3)"
rm -f "$srv/sick-5001"
check sick-back "web@2 is back, running and ready" wait_for 20 bash -c 'systemctl -q is-active shop-web@2.service && [ "$(systemctl show -P SubState shop-web@2.service)" = running ]'
now=$(pids)
check sick-alone "no other instance was restarted" test "$(cut -d' ' -f1,3 <<<"$now")" = "$(cut -d' ' -f1,3 <<<"$before")"
check sick-journal "the watcher's journal says why" \
    bash -c "journalctl -u shop-health.service -o cat | grep -q '^shop-web@2.service: unhealthy: 3 failed checks in a row: GET /healthz on port 5001: HTTP 500'"
run status-health 0 "$formation" -a shop status
check status-health-column "status has a HEALTH column" has "$work/out" ' HEALTH '
check status-health-note "status says web@2 was restarted by its health check, and why" \
    has "$work/out" 'shop-web@2\.service .*restarted by its health check, last after 3 failed checks in a row: GET /healthz on port 5001: HTTP 500'
run status-health-json 0 "$formation" -a shop status --json
check status-health-json "status --json has each instance's health" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
h = {i["unit"]: i["health"] for t in d["types"] for i in t["instances"]}
assert h["shop-web@2.service"]["restarts"] == 1, h
assert all(x["state"] in ("healthy", "-") for x in h.values()), h' "$work/out"

## destroy takes the watcher and the history away too
run destroy 0 "$formation" -a shop destroy
check history-gone "no history left" test ! -e /var/lib/formation/releases/shop
check watcher-gone "no health watcher left" bash -c '! systemctl -q is-active shop-health.service && ! systemctl -q is-failed shop-health.service'

## no black hole: an instance systemd gave up on does not keep its port accepting
cat >"$work/bh.toml" <<'T'
app = "bh"
[process.web]
command = ["python3", "-c", "import sys; sys.exit(3)"]
port = 5600
socket = true
restart_delay = "100ms"
start_limit_burst = 3
T
"$formation" -f "$work/bh.toml" apply >/dev/null 2>&1
check bh-failed "the crashing instance ends failed" wait_for 10 systemctl -q is-failed bh-web@1.service
check bh-socket-failed "its socket is failed too (service-start-limit-hit)" \
    bash -c '[ "$(systemctl show -P Result bh-web@1.socket)" = service-start-limit-hit ]'
check bh-refused "its port refuses connections: a load balancer fails over" bash -c '! (exec 3<>/dev/tcp/127.0.0.1/5600) 2>/dev/null'
"$formation" -a bh destroy >/dev/null 2>&1

## ready = "port": a process that exits before it listens fails its start at once
cat >"$work/gone.toml" <<'T'
app = "gone"
[process.web]
command = "sleep 0.3; exit 3"
port = 5650
ready = "port"
start_timeout = "60s"
restart = "no"
T
run gone-apply 1 "$formation" -f "$work/gone.toml" apply
check gone-said "wait-ready says why: $(journalctl -u gone-web@1.service -o cat | tail -3 | tr '\n' '/')" \
    bash -c "journalctl -u gone-web@1.service -o cat | grep -q '^wait-ready: the main process exited before it listened on port 5650$'"
check gone-not-timeout "the start did not wait for start_timeout: $(systemctl show -P Result gone-web@1.service)" \
    bash -c '[ "$(systemctl show -P Result gone-web@1.service)" != timeout ]'
"$formation" -a gone destroy >/dev/null 2>&1

finish safe-deploys
