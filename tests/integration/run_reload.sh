#!/bin/bash
# `formation run` and `formation reload` against a real systemd. Runs INSIDE
# the sandbox container:
#   tests/sandbox/sandbox run --install BUILD -- bash /ABS/tests/integration/run_reload.sh /ABS/formation
# run: the command's exit status (0, 3, a signal as 128+N); exactly the
# type's environment (inline env + env_files, nothing of an instance's PORT),
# user, group, working directory and sandbox, compared with a running
# instance's; stdin a pipe; a terminal (under script(1)) that echoes what is
# typed; the transient unit collected afterwards and never counted as an
# instance. reload: each running instance gets its reload_signal and keeps
# its PID; a type without reload_signal is refused with exit 2.
set -u
formation=${1:?usage: run_reload.sh /abs/path/formation}
cd /  # the inherited directory may not exist inside the container
work=/var/tmp/formation-run-reload
rm -rf "$work" && mkdir -p "$work" || exit 1
source "$(dirname "$0")/lib.sh"
fm() { "$formation" -a rr "$@"; }

# Hardened units have PrivateTmp= and ProtectHome=: the app lives in /srv.
id rrsvc >/dev/null 2>&1 || useradd --system --no-create-home rrsvc
getent group rrgrp >/dev/null || groupadd --system rrgrp
app=/srv/rr
rm -rf "$app" && mkdir -p "$app/data" || exit 1
chown rrsvc "$app/data"
printf 'SECRET_TOKEN=from-the-env-file\nSPACED="a b  c"\n' >"$app/secrets.env"
# Records every SIGHUP with the PID that got it, and keeps running.
cat >"$app/hup.sh" <<'EOF'
trap 'echo "hup $$" >>/srv/rr/data/hups.log' HUP
while :; do sleep 1 & wait $!; done
EOF
cat >"$work/rr.toml" <<'EOF'
app = "rr"
user = "rrsvc"
group = "rrgrp"
working_directory = "/srv/rr"
env_files = ["/srv/rr/secrets.env"]

[defaults]
writable_paths = ["/srv/rr/data"]

[env]
GREETING = "hello world"
PERCENT = "100%"

[process.web]
command = ["/bin/sh", "/srv/rr/hup.sh"]
count = 2
port = 7400
reload_signal = "SIGHUP"

[process.worker]
command = "sleep infinity"
EOF
run apply 0 "$formation" -f "$work/rr.toml" apply
check apply-running "web and worker run" wait_for 20 all_running rr-web@1.service rr-web@2.service rr-worker@1.service

## run: exit statuses ------------------------------------------------------------
run status-0 0 fm run web -- true
run status-3 3 fm run web -- sh -c 'exit 3'
check status-3-quiet "exit 3 is the command's, not formation's" [ ! -s "$work/err" ]
run status-signal 143 fm run web -- sh -c 'kill -TERM $$'
# Words reach the command as given: systemd expands no $VAR in them.
run literal-dollar 0 fm run web -- echo '$GREETING' '${PATH}' '$$'
check literal-dollar-out "no expansion by systemd" [ "$(cat "$work/out")" = '$GREETING ${PATH} $$' ]
run status-not-found 127 fm run web -- no-such-command-here
run unknown-type 2 fm run nosuch -- true
check unknown-type-named "the error names the type" has "$work/err" 'no process type "nosuch"'

## run: the type's context -------------------------------------------------------
run identity 0 fm run web -- sh -c 'id -un; id -gn; pwd'
check identity-user "user, group, directory" [ "$(cat "$work/out")" = "$(printf 'rrsvc\nrrgrp\n/srv/rr')" ]

# The environment, exactly: what an instance got from systemd, less what only
# an instance has (PORT from its drop-in, JOURNAL_STREAM), and less what every
# process gets anew (INVOCATION_ID, SYSTEMD_EXEC_PID) or the shell adds (PWD, SHLVL, _).
# FORMATION_INSTANCE names the process: web.1 for the instance, web.run for a one-off.
normalize() { grep -avE '^(INVOCATION_ID|SYSTEMD_EXEC_PID|JOURNAL_STREAM|PORT|PWD|SHLVL|_|FORMATION_INSTANCE)=' | sort; }
pid1=$(prop rr-web@1.service MainPID)
tr '\0' '\n' </proc/"$pid1"/environ | normalize >"$work/instance.env"
run env 0 fm run web -- env
normalize <"$work/out" >"$work/run.env"
check env-same "run sees the instance's environment" diff -u "$work/instance.env" "$work/run.env"
check env-instance-name "a one-off is FORMATION_INSTANCE=web.run" grep -qx 'FORMATION_INSTANCE=web.run' "$work/out"
check env-app-name "a one-off knows its app" grep -qx 'FORMATION_APP=rr' "$work/out"
check env-inline "inline env" grep -qx 'GREETING=hello world' "$work/run.env"
check env-percent "a % survives" grep -qx 'PERCENT=100%' "$work/run.env"
check env-file "env_files" grep -qx 'SECRET_TOKEN=from-the-env-file' "$work/run.env"
check env-no-port "no instance's PORT" bash -c "! grep -q '^PORT=' '$work/out'"

# The same sandbox: compare the settings systemd reports for a running one-off
# unit with an instance's.
fm run web -- sleep 5 >/dev/null 2>&1 &
bg=$!
one_off() { systemctl list-units --plain --no-legend 'rr-web-run-*.service' | awk '{print $1}' | head -1; }
has_one_off() { [ -n "$(one_off)" ]; }
check run-unit-exists "a running rr-web-run-*.service" wait_for 10 has_one_off
unit=$(one_off)
for p in User Group WorkingDirectory EnvironmentFiles ProtectSystem ProtectHome PrivateTmp PrivateDevices \
    NoNewPrivileges CapabilityBoundingSet RestrictNamespaces SystemCallFilter SystemCallArchitectures \
    RestrictAddressFamilies ProtectKernelTunables ProtectControlGroups ProtectProc LockPersonality \
    ReadWritePaths MemoryAccounting CPUAccounting; do
    check "sandbox-$p" "$unit has the instance's $p" [ "$(prop "$unit" "$p")" = "$(prop rr-web@1.service "$p")" ]
done
check run-not-instance "formation status lists no one-off" bash -c "! '$formation' -a rr status | grep -q run-"
check run-not-in-target "the one-off is not part of the app target" \
    bash -c "! systemctl show -P ConsistsOf rr.target | grep -q run-"
wait "$bg"
check run-collected "the one-off unit is gone once waited for" \
    [ "$(systemctl show -P LoadState "$unit")" = not-found ]

## run: pipes and terminals --------------------------------------------------------
echo "piped input" | fm run web -- cat >"$work/out" 2>"$work/err"
check stdin-pipe "stdin from a pipe reaches the command" [ "$(cat "$work/out")" = "piped input" ]
fm run web -- sh -c 'echo to-stdout; echo to-stderr >&2' 2>"$work/err" | tee "$work/tee" >/dev/null
check stdout-pipe "stdout into a pipe" [ "$(cat "$work/tee")" = to-stdout ]
check stderr-file "stderr to a file" grep -qx to-stderr "$work/err"

# A terminal, as a person has one: script(1) gives formation a pty; what is
# typed reaches the command and is echoed; the exit status comes back.
export TERM=xterm-256color
printf 'typed-line\n' | script -qfec "$formation -a rr run web -- sh -c 'read x; echo got:\$x; tty; echo term:\$TERM; exit 5'" \
    /dev/null >"$work/tty" 2>&1
rc=$?
check tty-status "exit status 5 through the terminal (got $rc)" [ "$rc" = 5 ]
check tty-input "typed input reached the command" grep -q 'got:typed-line' "$work/tty"
check tty-echo "typed input is echoed" grep -q '^typed-line' "$work/tty"
check tty-pts "the command has a terminal" grep -q '/dev/pts/' "$work/tty"
check tty-term "TERM is passed" grep -q 'term:xterm-256color' "$work/tty"

## reload -------------------------------------------------------------------------
before=$(prop rr-web@1.service MainPID):$(prop rr-web@2.service MainPID):$(prop rr-worker@1.service MainPID)
run reload-all 0 fm reload
check reload-report "reports each instance" \
    bash -c "grep -qx 'reloaded rr-web@1.service (SIGHUP)' '$work/out' && grep -qx 'reloaded rr-web@2.service (SIGHUP)' '$work/out'"
check reload-no-worker "worker has no reload_signal and is left alone" bash -c "! grep -q worker '$work/out'"
hups_of() { grep -c "^hup $1\$" "$app/data/hups.log" 2>/dev/null; }
check reload-signal-1 "web@1 got SIGHUP" wait_for 10 test "$(hups_of "$(prop rr-web@1.service MainPID)")" = 1
check reload-signal-2 "web@2 got SIGHUP" wait_for 10 test "$(hups_of "$(prop rr-web@2.service MainPID)")" = 1
after=$(prop rr-web@1.service MainPID):$(prop rr-web@2.service MainPID):$(prop rr-worker@1.service MainPID)
check reload-same-pids "nothing restarted ($before → $after)" [ "$before" = "$after" ]
run reload-named 0 fm reload web
check reload-named-signal "a named type is reloaded again" wait_for 10 test "$(hups_of "$(prop rr-web@1.service MainPID)")" = 2
run reload-refused 2 fm reload worker
check reload-refused-key "the error names reload_signal" has "$work/err" 'worker .*has no reload_signal'
run reload-unknown 2 fm reload nosuch
run stop-web 0 fm stop web
run reload-none-running 0 fm reload web
check reload-none-running-says "says there was nothing to reload" has "$work/out" 'no running instance'

"$formation" -a rr destroy >/dev/null 2>&1

## --user: the same through a lingering user's manager ------------------------------
id rruser >/dev/null 2>&1 || useradd -m rruser
uid=$(id -u rruser)
loginctl enable-linger rruser
check user-manager "rruser's manager runs" wait_for 30 systemctl is-active -q "user@$uid.service"
as_user() {  # as_user CMD...: as rruser, with a login's environment
    (cd /home/rruser && exec setpriv --reuid="$uid" --regid="$(id -g rruser)" --init-groups \
        env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/home/rruser USER=rruser LOGNAME=rruser \
        XDG_RUNTIME_DIR="/run/user/$uid" ${TERM:+TERM=$TERM} "$@")
}
user_bus() { as_user systemctl --user is-system-running --wait >/dev/null; }
check user-bus "rruser's manager answers" wait_for 30 user_bus
mkdir -p /home/rruser/app
sed -e 's|/srv/rr/data/hups.log|/home/rruser/app/hups.log|' -e 's/HUP$/USR1/' "$app/hup.sh" >/home/rruser/app/hup.sh
cat >/home/rruser/app/ru.toml <<'EOF'
app = "ru"
working_directory = "/home/rruser/app"
[env]
WHO = "the user app"
[process.web]
command = ["/bin/sh", "/home/rruser/app/hup.sh"]
reload_signal = "SIGUSR1"
EOF
chown -R rruser: /home/rruser/app
ufm() { as_user "$formation" --user -a ru "$@"; }
run user-apply 0 as_user "$formation" --user -f /home/rruser/app/ru.toml apply
user_active() { [ "$(as_user systemctl --user show -P ActiveState ru-web@1.service)" = active ]; }
check user-running "ru-web@1 runs" wait_for 20 user_active
run user-status-7 7 ufm run web -- sh -c 'exit 7'
run user-env 0 ufm run web -- sh -c 'echo "$WHO in $(pwd) as $(id -un)"'
check user-env-out "env, directory and user" [ "$(cat "$work/out")" = "the user app in /home/rruser/app as rruser" ]
echo "from a pipe" | ufm run web -- cat >"$work/out" 2>&1
check user-pipe "stdin from a pipe" [ "$(cat "$work/out")" = "from a pipe" ]
printf 'user-typed\n' | as_user script -qfec "$formation --user -a ru run web -- sh -c 'read x; echo got:\$x; tty; exit 4'" \
    /dev/null >"$work/utty" 2>&1
rc=$?
check user-tty-status "exit status 4 through the terminal (got $rc)" [ "$rc" = 4 ]
check user-tty-input "typed input reached the command" grep -q 'got:user-typed' "$work/utty"
check user-tty-pts "the command has a terminal" grep -q '/dev/pts/' "$work/utty"
upid=$(as_user systemctl --user show -P MainPID ru-web@1.service)
run user-reload 0 ufm reload
check user-reload-signal "ru-web@1 got SIGUSR1" wait_for 10 grep -qx "hup $upid" /home/rruser/app/hups.log
check user-reload-pid "ru-web@1 kept its PID" [ "$(as_user systemctl --user show -P MainPID ru-web@1.service)" = "$upid" ]
ufm destroy >/dev/null 2>&1

finish run-reload
