#!/bin/bash
# Crash alerts (on_failure, issue 23), against a real systemd. Runs INSIDE
# the sandbox container (tests/sandbox/sandbox run -- bash on_failure.sh
# FORMATION). Instances that crash until systemd gives up (the start limit;
# a shared port's crash guard) run their type's on_failure exactly once,
# with the failure in the environment and the last journal lines on stdin;
# on_failure = false turns it off; a failing alert is logged, not alerted;
# a stop alerts nothing; the manual's two examples (a webhook with curl,
# mail through sendmail) work as written.
set -u
formation=$1
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
srv=/srv/alerts
mkdir -p "$srv"
hook_pid=""
cleanup() {
    [ -n "$hook_pid" ] && kill "$hook_pid" 2>/dev/null
    "$formation" -a alert destroy >/dev/null 2>&1
    rm -rf "$work" "$srv"
    [ -f /usr/sbin/sendmail.formation-test ] && rm -f /usr/sbin/sendmail /usr/sbin/sendmail.formation-test
}
trap cleanup EXIT

# A webhook receiver: each POST's path and body appended to $srv/hook.
cat >"$srv/hook.py" <<'PY'
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode(errors="replace")
        with open(sys.argv[1], "a") as f:
            f.write("POST " + self.path + "\n" + body + "\n")
        self.send_response(200); self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", 8099), H).serve_forever()
PY
python3 "$srv/hook.py" "$srv/hook" &
hook_pid=$!
# A sendmail that keeps what it is given (none is installed here).
if [ ! -e /usr/sbin/sendmail ]; then
    printf '#!/bin/sh\n{ echo "TO $*"; cat; } >> %s/mail\n' "$srv" >/usr/sbin/sendmail
    chmod 755 /usr/sbin/sendmail
    touch /usr/sbin/sendmail.formation-test
fi
echo "ALERT_URL=http://127.0.0.1:8099/alert" >"$srv/alert.env"
chmod 600 "$srv/alert.env"

# Up for a second (apply sees it start and hold), then exit 3; after the
# third start within 10 s systemd (or the crash guard) gives up.
crash='command = ["/bin/sh", "-c", "sleep 1; echo boom-$FORMATION_INSTANCE; exit 3"]
min_ready = "300ms"
restart_delay = "100ms"
start_limit_burst = 3'
cat >"$work/alert.toml" <<T
app = "alert"
on_failure = '{ echo "== \$FORMATION_UNIT \$FORMATION_RESULT \$FORMATION_EXIT_CODE \$FORMATION_EXIT_STATUS \$FORMATION_INSTANCE \$FORMATION_TYPE \$FORMATION_APP \$FORMATION_HOST"; cat; echo "== end"; } >> $srv/log'

[process.crash]
$crash

[process.quiet]
$crash
on_failure = false

[process.noisy]
$crash
on_failure = "echo ran >> $srv/noisy; exit 7"

[process.shared]
$crash
port = 5600
socket = "shared"

[process.steady]
command = "sleep infinity"

[process.hooked]
$crash
env_files = ["$srv/alert.env"]
on_failure = 'curl -fsS -m 10 --data-binary @- "\$ALERT_URL?unit=\$FORMATION_UNIT&result=\$FORMATION_RESULT"'

[process.mailed]
$crash
on_failure = '{ printf "Subject: %s failed on %s: %s\\n\\n" "\$FORMATION_UNIT" "\$FORMATION_HOST" "\$FORMATION_RESULT"; cat; } | /usr/sbin/sendmail ops@example.org'
T
run check 0 "$formation" -f "$work/alert.toml" check
run apply 0 "$formation" -f "$work/alert.toml" apply
check handler-template "each type with on_failure has a handler template" \
    test -f /run/systemd/generator/alert-crash.on-failure@.service
check no-handler-quiet "none for on_failure = false" test ! -e /run/systemd/generator/alert-quiet.on-failure@.service
check onfailure-line "the instance template names it" \
    has /run/systemd/generator/alert-crash@.service '^OnFailure=alert-crash\.on-failure@%i\.service$'

# Each crashing type gives up within a second or two; its alert follows.
alerts() { grep -c "^== $1 " "$srv/log" 2>/dev/null; }
check alert-crash "the crash loop alerted, once systemd gave up" wait_for 30 bash -c "[ \"\$(grep -c '^== alert-crash@1.service ' $srv/log 2>/dev/null)\" = 1 ]"
check alert-shared "so did the shared port's, when its crash guard gave up" \
    wait_for 30 bash -c "grep -q '^== alert-shared@1.service ' $srv/log 2>/dev/null"
check noisy-ran "the failing alert ran" wait_for 30 test -s "$srv/noisy"
check hook "the webhook got the alert" wait_for 30 bash -c "grep -q '^POST /alert?unit=alert-hooked@1.service&result=exit-code' $srv/hook 2>/dev/null"
check mail "the mail went out" wait_for 30 bash -c "grep -q '^Subject: alert-mailed@1.service failed on ' $srv/mail 2>/dev/null"
run stop-steady 0 "$formation" -f "$work/alert.toml" stop steady
sleep 3  # anything more would have come by now
check crash-once "exactly one alert for the crash loop (3 starts, 1 alert)" [ "$(alerts alert-crash@1.service)" = 1 ]
check crash-restarted "systemd did restart it before giving up" [ "$(prop alert-crash@1.service NRestarts)" -ge 2 ]
check crash-env "with the unit, the result, the exit status and who it is" \
    has "$srv/log" "^== alert-crash@1\.service exit-code exited 3 crash\.1 crash alert $(hostname)\$"
check crash-stdin "and its last journal lines on stdin, systemd's marked" \
    bash -c "sed -n '/^== alert-crash@1/,/^== end/p' $srv/log | grep -q '^boom-crash\.1\$' &&
             sed -n '/^== alert-crash@1/,/^== end/p' $srv/log | grep -q '^systemd: .*Failed with result'"
check shared-once "the shared port's: once, exit status 251 (the guard)" \
    bash -c "[ \"\$(grep -c '^== alert-shared@1\.service exit-code exited 251 shared\.1 ' $srv/log)\" = 1 ]"
check quiet-none "on_failure = false: no alert" [ "$(alerts alert-quiet@1.service)" = 0 ]
check quiet-failed "though that instance failed too" systemctl -q is-failed alert-quiet@1.service
check steady-none "a stop alerts nothing" [ "$(alerts alert-steady@1.service)" = 0 ]
check noisy-once "a failing alert runs once" [ "$(wc -l <"$srv/noisy")" = 1 ]
check noisy-failed "and is left failed, logged" systemctl -q is-failed alert-noisy.on-failure@1.service
check noisy-not-alerted "nothing alerts about the alert" bash -c "! grep -q 'noisy.on-failure' $srv/log"
check hook-body "the webhook's body is the journal" bash -c "grep -q '^boom-hooked\.1\$' $srv/hook"
check mail-to "to the address given, with the journal" bash -c "grep -q '^TO ops@example.org\$' $srv/mail && grep -q '^boom-mailed\.1\$' $srv/mail"
run status 1 "$formation" -a alert status

run destroy 0 "$formation" -a alert destroy
check destroy-handlers "destroy leaves no unit of the app loaded, handlers included" \
    bash -c '! systemctl list-units --all --plain --no-legend "alert-*" "alert.*" | grep -q .'
finish on-failure
