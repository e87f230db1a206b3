#!/bin/bash
# `formation --user` under a real user manager: user@UID.service of a
# lingering user, alice, with the default hardening (and one strict type).
# The whole life of an app as alice: apply, status, logs, scale, restart,
# stop/start, idempotent re-apply, the private-socket fallback, an invalid
# edit of the installed file, a re-exec and a restart of the user manager (its
# "boot"), destroy; and the note a user without lingering gets. Runs INSIDE
# the sandbox container, as root (it creates the users):
#   tests/sandbox/sandbox run --install BUILD -- bash tests/integration/user_manager.sh [/abs/path/formation]
# Without an argument, `formation` from PATH (/usr/local/bin after --install).
set -u
formation=${1:-$(command -v formation)}
[ -x "$formation" ] || { echo "user-manager: no formation binary ($formation)"; exit 1; }
app=notes
port=18100

## helpers ------------------------------------------------------------------

source "$(dirname "$0")/lib.sh"    # check, run (output in $work/out, $work/err), wait_for
same() {  # same NAME WHAT BEFORE AFTER
    if [ "$3" = "$4" ]; then passed=$((passed + 1)); else
        echo "FAIL $1: $2 changed"; diff <(echo "$3") <(echo "$4") | sed 's/^/    /' | head -20; failed=$((failed + 1)); fi
}
has() { grep -qiE -- "$2" "$1"; }

# A user with a user manager: USER's uid, and commands as USER with the
# environment a login gives (no D-Bus address: sd-bus finds
# $XDG_RUNTIME_DIR/bus, or formation falls back to systemd's private socket).
uid_of() { id -u "$1"; }
as() {  # as USER CMD...
    local who=$1 u; shift
    u=$(id -u "$who")
    (cd "/home/$who/work" 2>/dev/null || cd /
     exec setpriv --reuid="$u" --regid="$(id -g "$who")" --init-groups \
        env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="/home/$who" USER="$who" LOGNAME="$who" \
        XDG_RUNTIME_DIR="/run/user/$u" ${EXTRA_ENV:-} "$@")
}
A() { as alice "$@"; }
fm() { A "$formation" --user -f /home/alice/work/$app.toml "$@"; }
fa() { A "$formation" --user -a $app "$@"; }
uctl() { A systemctl --user "$@"; }
prop() { uctl show -P "$2" "$1"; }                   # prop UNIT PROPERTY
state() { echo "$(prop "$1" ActiveState)/$(prop "$1" SubState)"; }
running() { [ "$(state "$1")" = active/running ]; }
stopped() { case $(prop "$1" ActiveState) in inactive|"") return 0 ;; *) return 1 ;; esac; }
all_running() { local u; for u; do running "$u" || return 1; done; }
all_stopped() { local u; for u; do stopped "$u" || return 1; done; }
pid() { prop "$1" MainPID; }
pids() { local u; for u; do echo "$u $(pid "$u")"; done; }
differs_all() {  # differs_all NAME BEFORE AFTER: every unit's PID changed
    local u p q bad=""
    while read -r u p; do
        q=$(echo "$3" | awk -v u="$u" '$1 == u {print $2}')
        [ "$p" != "$q" ] && [ "$q" -gt 0 ] 2>/dev/null || bad="$bad $u($p→$q)"
    done <<<"$2"
    if [ -z "$bad" ]; then passed=$((passed + 1)); else echo "FAIL $1: not restarted:$bad"; failed=$((failed + 1)); fi
}
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
answers() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$1/")" = 200 ]; }
# The app's instance units the user manager has active, "unit" lines.
active_instances() {
    uctl list-units --plain --no-legend --state=active "$app-*@*.service" | awk '{print $1}' | sort | tr '\n' ' '
}
known_units() { uctl list-units --all --plain --no-legend "$app.target" "$app-*@*.service" | awk '{print $1}'; }

work=/home/alice/work
out=$work/out err=$work/err   # where run puts what a command printed

## 0. a lingering user and its manager ----------------------------------------
echo "## [${SECONDS}s] 0 user manager"
id alice >/dev/null 2>&1 || useradd -m alice
uid=$(uid_of alice)
loginctl enable-linger alice
check linger-manager "user@$uid.service is $(systemctl is-active user@$uid.service) 30 s after enable-linger" \
    wait_for 30 systemctl is-active -q "user@$uid.service"
check manager-running "the user manager is not running: $(A systemctl --user is-system-running 2>&1)" \
    wait_for 30 eval 'A systemctl --user is-system-running --wait 2>/dev/null | grep -qE "running|degraded"'
check private-socket "no /run/user/$uid/systemd/private for alice" test -S "/run/user/$uid/systemd/private"
check user-generator-installed "formation-user-generator is not installed" \
    eval 'ls /usr/local/lib/systemd/user-generators/formation-user-generator /usr/lib/systemd/user-generators/formation-user-generator 2>/dev/null | grep -q .'
units=/run/user/$uid/systemd/generator
config=/home/alice/.config/formation
rm -rf "$work" && mkdir -p "$work/data" && chown -R alice: "$work"
write_app() {  # write_app WEB_COUNT
    cat >"$work/$app.toml" <<EOF
# notes, run by alice's user manager.
app = "$app"

[process.web]
command = "exec python3 -m http.server --bind 127.0.0.1 \$PORT"
count = $1 # web instances
port = $port
ready = "port"

[process.worker]
command = "while true; do echo tick; sleep 1; done"
EOF
    chown alice: "$work/$app.toml"
}
write_app 2
web1=$app-web@1.service web2=$app-web@2.service web3=$app-web@3.service worker=$app-worker@1.service

## 1. apply ------------------------------------------------------------------------
echo "## [${SECONDS}s] 1 apply"
run apply 0 fm apply
check apply-plan "plan does not list the start of $web1" has "$out" "start +$web1"
check apply-no-linger-note "apply told lingering alice about lingering: $(grep -i linger "$out" "$err")" \
    eval "! grep -qi linger '$out' '$err'"
for u in $web1 $web2 $worker; do
    check "apply-running-$u" "$u is $(state $u), wanted active/running ($(prop $u Result) $(prop $u ExecMainStatus))" \
        wait_for 10 running "$u"
done
check apply-port-1 "http://127.0.0.1:$port/ does not answer" wait_for 10 answers $port
check apply-port-2 "http://127.0.0.1:$((port + 1))/ does not answer" wait_for 10 answers $((port + 1))
check apply-installed "$config/$app.toml is not the file applied" cmp -s "$work/$app.toml" "$config/$app.toml"
check apply-installed-owner "$config/$app.toml is owned by $(stat -c %U "$config/$app.toml" 2>&1)" \
    test "$(stat -c %U "$config/$app.toml" 2>/dev/null)" = alice
check apply-runs-as-alice "$web1 runs as uid $(stat -c %u /proc/$(pid $web1) 2>&1)" \
    test "$(stat -c %u "/proc/$(pid $web1)" 2>/dev/null)" = "$uid"
# The user generator wrote the units, and enables the app for the user manager's boot.
check generator-units "$units/$app-web@.service missing" test -f "$units/$app-web@.service"
check generator-target "$units/$app.target missing" test -f "$units/$app.target"
check generator-wants "$units/default.target.wants/$app.target is not a link to ../$app.target" \
    test "$(readlink "$units/default.target.wants/$app.target" 2>/dev/null)" = "../$app.target"
check generator-fragment "$web1 comes from $(prop $web1 FragmentPath)" test "$(prop $web1 FragmentPath)" = "$units/$app-web@.service"
check generator-enabled "$app.target is-enabled: $(uctl is-enabled $app.target 2>&1)" test "$(uctl is-enabled $app.target 2>&1)" = generated
check default-wants "default.target does not want $app.target" eval "uctl show -P Wants default.target | grep -qw $app.target"
# The default hardening, as far as a user manager applies it.
check hardening-nnp "NoNewPrivs of $web1's process is not 1" grep -qE '^NoNewPrivs:\s+1' "/proc/$(pid $web1)/status"
check hardening-seccomp "$web1's process has no seccomp filter" grep -qE '^Seccomp:\s+2' "/proc/$(pid $web1)/status"
check hardening-filter "$web1 has no SystemCallFilter" test -n "$(prop $web1 SystemCallFilter)"
check hardening-no-bounding-set "$app-web@.service narrows the capability bounding set, which a user manager cannot" \
    eval "! grep -qE '^(CapabilityBoundingSet|PrivateDevices|ProtectClock|ProtectKernelModules|ProtectKernelLogs)=' '$units/$app-web@.service'"

## 2. status ------------------------------------------------------------------------
echo "## [${SECONDS}s] 2 status"
run status 0 fa status
for u in $web1 $web2 $worker; do
    check "status-$u" "status has no active/running line for $u" has "$out" "$u +active/running"
done
check status-port "status does not show port $((port + 1)) on $web2's line" has "$out" "$web2 .* $((port + 1))( |$)"
run status-json 0 fa status --json
check status-json-valid "status --json is not JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$out"

## 3. logs ---------------------------------------------------------------------------
echo "## [${SECONDS}s] 3 logs"
curl -s -o /dev/null "http://127.0.0.1:$port/from-the-test" || true
logged() { fa logs -n 200 >"$out" 2>"$err" && has "$out" "$1"; }
check logs-worker "logs has no 'worker.1 | tick' line" wait_for 10 logged '^worker\.1 +\| tick$'
check logs-web "logs has no 'web.1 | … GET /from-the-test' line" wait_for 10 logged '^web\.1 +\| .*GET /from-the-test'
# -n 5 prints the last 5 entries: wait until the journal holds 5 of
# worker.1 (it ticks once a second from apply on, and journald stores each
# line when it gets to it), however fast the steps above ran.
worker_entries() { fa logs -n 0 worker 2>/dev/null | grep -c '^worker\.1 '; }
check logs-worker-five "the journal holds fewer than 5 entries of worker.1 after 60 s" \
    wait_for 60 eval '[ "$(worker_entries)" -ge 5 ]'
run logs-type 0 fa logs -n 5 worker
check logs-type-only "logs worker shows other types: $(grep -v '^worker\.' "$out" | head -2)" eval "! grep -qv '^worker\.1 ' '$out'"
check logs-type-lines "logs -n 5 worker printed $(wc -l <"$out") lines" test "$(wc -l <"$out")" = 5

## 4. scale --------------------------------------------------------------------------
echo "## [${SECONDS}s] 4 scale"
run scale-up 0 fm scale web=3
check scale-up-running "$web3 is $(state $web3)" running $web3
check scale-up-port "http://127.0.0.1:$((port + 2))/ does not answer" wait_for 10 answers $((port + 2))
check scale-up-installed "installed count is not 3" grep -q '^count = 3' "$config/$app.toml"
check scale-up-file "$work/$app.toml's count line is not 'count = 3 # web instances'" grep -q '^count = 3 # web instances$' "$work/$app.toml"
survivor=$(pids $web1 $worker)
run scale-down 0 fm scale web=1
check scale-down-stopped "web@2/3 still up: $(state $web2) $(state $web3)" all_stopped $web2 $web3
check scale-down-port "port $((port + 1)) still listening" eval "! listening $((port + 1))"
check scale-down-dropin "$units/$app-web@2.service.d still generated" test ! -e "$units/$app-web@2.service.d"
same scale-down-survivor "web@1/worker MainPID" "$survivor" "$(pids $web1 $worker)"
check scale-down-file "$work/$app.toml's count line is not 'count = 1 # web instances'" grep -q '^count = 1 # web instances$' "$work/$app.toml"

## 5. restart, stop, start ---------------------------------------------------------
echo "## [${SECONDS}s] 5 restart, stop, start"
before=$(pids $web1 $worker)
run restart 0 fa restart
differs_all restart-new-pids "$before" "$(pids $web1 $worker)"
check restart-port "http://127.0.0.1:$port/ does not answer after restart" wait_for 10 answers $port
run stop 0 fa stop
check stop-stopped "still up: $(state $web1) $(state $worker)" all_stopped $web1 $worker
check stop-port "port $port still listening after stop" eval "! listening $port"
check stop-target "$app.target is $(prop $app.target ActiveState)" test "$(prop $app.target ActiveState)" = inactive
run start 0 fa start
check start-running "not running after start: $(state $web1) $(state $worker)" all_running $web1 $worker
check start-port "http://127.0.0.1:$port/ does not answer after start" wait_for 10 answers $port

## 6. nothing changed ------------------------------------------------------------------
echo "## [${SECONDS}s] 6 re-apply"
before=$(pids $web1 $worker)
run reapply 0 fm apply
check reapply-nothing-to-do "output is not 'nothing to do': $(head -3 "$out")" test "$(cat "$out")" = "nothing to do"
same reapply-no-restart "MainPIDs" "$before" "$(pids $web1 $worker)"

## 7. without the session bus: systemd's private socket ----------------------------------
echo "## [${SECONDS}s] 7 private socket"
EXTRA_ENV="DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus" run private-status 0 fa status
check private-status-lines "status over the private socket lacks $web1" has "$out" "$web1 +active/running"
EXTRA_ENV="DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus" run private-scale-up 0 fm scale web=2
check private-scale-up-running "$web2 is $(state $web2) after scale over the private socket" running $web2
check private-scale-up-port "port $((port + 1)) does not answer" wait_for 10 answers $((port + 1))
EXTRA_ENV="DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus" run private-scale-down 0 fm scale web=1
check private-scale-down "$web2 is $(state $web2) after scale down over the private socket" stopped $web2

## 8. an invalid edit of the installed file ----------------------------------------------
echo "## [${SECONDS}s] 8 invalid installed file"
before=$(pids $web1 $worker)
cp "$config/$app.toml" /var/tmp/user-manager.good
printf '\nbogus_key = 1\n' >>"$config/$app.toml"
uctl daemon-reload
check invalid-still-loaded "$app-web@.service is no longer generated" test -f "$units/$app-web@.service"
check invalid-still-enabled "$units/default.target.wants/$app.target is gone" test -L "$units/default.target.wants/$app.target"
check invalid-running "not running after reload: $(state $web1) $(state $worker)" all_running $web1 $worker
same invalid-no-restart "MainPIDs" "$before" "$(pids $web1 $worker)"
check invalid-port "http://127.0.0.1:$port/ does not answer" answers $port
check invalid-generator-logged "the journal has no generator line naming bogus_key" \
    wait_for 30 eval "journalctl -q -b --no-pager -o cat | grep -q 'bogus_key'"
run invalid-status 0 fa status
check invalid-status-note "status does not say the app runs on its last good formation: $(head -3 "$err")" \
    eval "grep -qi 'last good' '$out' '$err'"
# Repair: apply the good file again.
run invalid-repair 0 fm apply
check invalid-repaired "$config/$app.toml is not the good file after apply" cmp -s "$work/$app.toml" "$config/$app.toml"
check invalid-repaired-running "not running after the repair: $(state $web1) $(state $worker)" all_running $web1 $worker

## 9. the user manager's boot: re-exec, then a restart of user@UID.service ----------------
echo "## [${SECONDS}s] 9 user manager re-exec and restart"
want="$web1 $worker "
check before-boot-instances "active instances: $(active_instances), wanted $want" test "$(active_instances)" = "$want"
uctl daemon-reexec
check reexec-running "after daemon-reexec: $(active_instances), wanted $want" wait_for 20 eval '[ "$(active_instances)" = "$want" ]'
check reexec-wants "$units/default.target.wants/$app.target missing after daemon-reexec" test -L "$units/default.target.wants/$app.target"
systemctl restart "user@$uid.service"
check restart-manager "user@$uid.service is $(systemctl is-active user@$uid.service) after its restart" \
    wait_for 30 systemctl is-active -q "user@$uid.service"
check boot-generated "$units/$app-web@.service was not generated at the user manager's start" \
    wait_for 10 test -f "$units/$app-web@.service"
check boot-wants "$units/default.target.wants/$app.target missing at the user manager's start" test -L "$units/default.target.wants/$app.target"
check boot-instances "after restarting user@$uid.service: $(active_instances), wanted $want" \
    wait_for 30 eval '[ "$(active_instances)" = "$want" ]'
check boot-port "http://127.0.0.1:$port/ does not answer after the user manager's restart" wait_for 15 answers $port
check boot-no-second-web "port $((port + 1)) answers: a scaled-away instance came back" eval "! listening $((port + 1))"
check boot-target "$app.target is $(prop $app.target ActiveState)" test "$(prop $app.target ActiveState)" = active

## 10. strict hardening under a user manager -----------------------------------------------
echo "## [${SECONDS}s] 10 strict"
cat >"$work/vault.toml" <<EOF
app = "vault"
[process.keeper]
command = "touch /home/alice/work/data/written; touch /home/alice/home-written 2>/dev/null; exec sleep infinity"
hardening = "strict"
writable_paths = ["/home/alice/work/data"]
EOF
chown alice: "$work/vault.toml"
run strict-apply 0 A "$formation" --user -f "$work/vault.toml" apply
check strict-running "vault-keeper@1 is $(state vault-keeper@1.service) ($(prop vault-keeper@1.service Result) $(prop vault-keeper@1.service ExecMainStatus))" \
    wait_for 10 running vault-keeper@1.service
check strict-writable "writable_paths not writable under strict" wait_for 5 test -f "$work/data/written"
check strict-home-read-only "strict let the service write alice's home" test ! -e /home/alice/home-written
check strict-nnp "NoNewPrivs of vault-keeper@1 is not 1" grep -qE '^NoNewPrivs:\s+1' "/proc/$(pid vault-keeper@1.service)/status"
check strict-no-caps "vault-keeper@1 has a capability bounding set" grep -qE '^CapBnd:\s+0+$' "/proc/$(pid vault-keeper@1.service)/status"
run strict-destroy 0 A "$formation" --user -f "$work/vault.toml" destroy

## 10b. one shared port under a user manager ----------------------------------------------
echo "## [${SECONDS}s] 10b shared port"
mkdir -p "$work/board"
cat >"$work/board/app.py" <<'PY'
import os
def app(environ, start_response):
    body = (os.environ.get("FORMATION_INSTANCE", "?") + "\n").encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
PY
cat >"$work/board.toml" <<EOF
app = "board"
[process.web]
command = "gunicorn --workers 1 --chdir $work/board app:app"
count = 2
port = 18300
socket = "shared"
ready = "notify"
min_ready = "500ms"
health = { path = "/healthz", interval = "1s" }
EOF
chown -R alice: "$work/board" "$work/board.toml"
run shared-apply 0 A "$formation" --user -f "$work/board.toml" apply
check shared-socket "board-web.socket is $(state board-web.socket) under alice's manager" running board-web.socket
check shared-instances "both instances run" all_running board-web@1.service board-web@2.service
check shared-answers "port 18300 answers" wait_for 10 answers 18300
alice_health=/run/user/$(id -u alice)/formation/.health
check shared-health-socket "each instance has its health socket under alice's runtime directory (%t)" \
    test -S "$alice_health/board-web@2.sock"
check shared-healthy "the watcher checks both there, healthy" \
    wait_for 15 bash -c "grep -cE \$'^board-web@[12]\\.service\thealthy\t.*/formation/\\.health/board-web@[12]\\.sock: HTTP 200' $alice_health/board 2>/dev/null | grep -qx 2"
run shared-restart 0 A "$formation" --user -a board restart
check shared-still "the socket stayed up through the roll" running board-web.socket
run shared-status 0 A "$formation" --user -a board status
check shared-status-row "status shows the shared socket" has "$out" 'board-web\.socket +active/running .* 18300 .*shared: 2 instances accept'
run shared-destroy 0 A "$formation" --user -f "$work/board.toml" destroy
check shared-closed "destroy closes the port" eval "! listening 18300"
check shared-gone "and leaves no unit of board loaded" \
    test -z "$(uctl list-units --all --plain --no-legend 'board-*' 'board.*')"

## 10c. on_failure under a user manager --------------------------------------------------
echo "## [${SECONDS}s] 10c on_failure"
cat >"$work/pager.toml" <<EOF
app = "pager"
on_failure = '{ echo "== \$FORMATION_UNIT \$FORMATION_RESULT \$FORMATION_EXIT_STATUS"; cat; } >> $work/pager.log'
[process.crash]
command = ["/bin/sh", "-c", "sleep 1; echo boom-alice; exit 4"]
min_ready = "300ms"
restart_delay = "100ms"
start_limit_burst = 2
EOF
chown alice: "$work/pager.toml"
run pager-apply 0 A "$formation" --user -f "$work/pager.toml" apply
check pager-alert "alice's crash loop alerts once, as alice, when her manager gives up" \
    wait_for 20 bash -c "[ \"\$(grep -c '^== pager-crash@1.service exit-code 4\$' $work/pager.log 2>/dev/null)\" = 1 ]"
check pager-owner "the alert ran as alice" bash -c "[ \"\$(stat -c %U $work/pager.log)\" = alice ]"
run pager-destroy 0 A "$formation" --user -f "$work/pager.toml" destroy
check pager-gone "destroy leaves no unit of pager loaded, handler included" \
    test -z "$(uctl list-units --all --plain --no-legend 'pager-*' 'pager.*')"

## 10d. a scheduled type under a user manager -------------------------------------------
echo "## [${SECONDS}s] 10d scheduled"
cat >"$work/chron.toml" <<EOF
app = "chron"
[process.tick]
command = 'echo "\$FORMATION_INSTANCE \$(id -un)" >> $work/chron.log'
schedule = "*:*:0/2"
EOF
chown alice: "$work/chron.toml"
run chron-apply 0 A "$formation" --user -f "$work/chron.toml" apply
check chron-timer "alice's timer runs under her manager" [ "$(uctl show -P ActiveState chron-tick.timer)" = active ]
check chron-ran "it runs every 2 s, as alice" wait_for 10 bash -c "grep -q '^tick.run alice\$' $work/chron.log 2>/dev/null"
run chron-status 0 A "$formation" --user -a chron status
check chron-status "status shows its last run" has_or_show "$work/out" 'chron-tick\.service .*last run .* succeeded'
run chron-destroy 0 A "$formation" --user -a chron destroy
check chron-gone "destroy leaves no unit of chron loaded" test -z "$(uctl list-units --all --plain --no-legend 'chron-*' 'chron.*')"

## 11. destroy ------------------------------------------------------------------------------
echo "## [${SECONDS}s] 11 destroy"
run destroy 0 fm destroy
check destroy-file "$config/$app.toml still there" test ! -e "$config/$app.toml"
check destroy-last-good "$config/.last-good/$app.toml still there" test ! -e "$config/.last-good/$app.toml"
check destroy-generated "generated files left: $(find "$units" -name "$app*" 2>/dev/null | tr '\n' ' ')" \
    eval "[ -z \"\$(find '$units' -name '$app*' 2>/dev/null)\" ]"
check destroy-units "the user manager still knows: $(known_units | tr '\n' ' ')" test -z "$(known_units)"
check destroy-port "port $port still listening" eval "! listening $port"
check destroy-processes "alice's app processes remain: $(pgrep -u alice -af 'http.server|sleep 1' | head -3)" \
    eval "! pgrep -u alice -f 'http.server --bind 127.0.0.1 $port|echo tick' >/dev/null"
run destroy-again 2 fm destroy

## 12. a user without lingering ---------------------------------------------------------------
echo "## [${SECONDS}s] 12 no lingering"
id bob >/dev/null 2>&1 || useradd -m bob
buid=$(uid_of bob)
loginctl disable-linger bob 2>/dev/null
# What a login would start: bob's user manager, without lingering.
systemctl start "user@$buid.service"
check bob-manager "user@$buid.service is $(systemctl is-active user@$buid.service)" wait_for 30 systemctl is-active -q "user@$buid.service"
mkdir -p /home/bob/work && cat >/home/bob/work/memo.toml <<'EOF'
app = "memo"
[process.worker]
command = "exec sleep infinity"
EOF
chown -R bob: /home/bob/work
run bob-apply 0 as bob "$formation" --user -f /home/bob/work/memo.toml apply
check bob-running "memo-worker@1 is not running for bob" \
    wait_for 10 eval 'as bob systemctl --user is-active -q memo-worker@1.service'
check bob-linger-note "apply did not tell bob that memo stops at logout (no 'linger' in its output)" \
    eval "grep -qi 'linger' '$out' '$err'"
grep -qi linger "$out" "$err" || { echo "    (apply's output:)"; sed 's/^/    /' "$out" "$err"; }
run bob-destroy 0 as bob "$formation" --user -f /home/bob/work/memo.toml destroy
systemctl stop "user@$buid.service"

finish user-manager
