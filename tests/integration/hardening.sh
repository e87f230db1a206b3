#!/bin/bash
# The hardening levels against a real systemd. Runs INSIDE the sandbox container
# (tests/sandbox/sandbox run -- bash /ABS/tests/integration/hardening.sh /ABS/FORMATION).
# A python3 http.server at hardening "default" and at "strict" (with a writable
# path) must still serve HTTP, and `systemd-analyze security` must rate their
# exposure at most 4.0 (default) and 2.0 (strict): that is what the levels
# promise. The bundled example (data/example/formation.toml) must keep working
# at both levels. Strict must really confine: writes outside writable_paths fail.
set -u
formation=$1
case $formation:$0 in /*:/*) ;; *) echo "hardening.sh: give absolute paths (script and FORMATION)" >&2; exit 2 ;; esac
example=$(dirname "$0")/../../data/example/formation.toml
cd /  # inside the container getcwd() of the inherited directory fails
work=$(mktemp -d /var/tmp/hardening.XXXXXX)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
ok() {  # ok NAME CMD...
    local name=$1; shift
    if "$@"; then passed=$((passed+1)); else echo "FAIL $name: $*"; failed=$((failed+1)); fi
}
wait_for() {
    local end=$((SECONDS + $1)); shift
    until "$@"; do [ $SECONDS -ge $end ] && return 1; sleep 0.1; done
}
http_ok() {  # http_ok PORT: GET / answers 200
    python3 -c 'import sys, urllib.request; sys.exit(urllib.request.urlopen("http://127.0.0.1:" + sys.argv[1] + "/", timeout=2).status != 200)' "$1" 2>/dev/null
}
exposure() {  # exposure UNIT: the number of "Overall exposure level for UNIT: N.N …"
    systemd-analyze security --no-pager "$1" 2>/dev/null | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p'
}
at_most() { python3 -c 'import sys; sys.exit(not (float(sys.argv[1]) <= float(sys.argv[2])))' "$1" "$2"; }
logged() {  # logged UNIT PATTERN
    journalctl -q -u "$1" --no-pager | grep -q -- "$2"
}

mkdir -p /var/lib/hx
cat >"$work/hx.toml" <<'T'
app = "hx"
[process.web_default]
command = "python3 -m http.server --bind 127.0.0.1 $PORT"
port = 7301
hardening = "default"
[process.web_strict]
command = "python3 -m http.server --bind 127.0.0.1 $PORT"
port = 7302
hardening = "strict"
writable_paths = ["/var/lib/hx"]
working_directory = "/var/lib/hx"
# What each level lets a process write, reported in the journal.
[process.probe_default]
command = ["python3", "-c", '''
import os, time
for path in ["/var/lib/hx/default-ok", "/etc/hx-default", "/usr/hx-default", "/tmp/hx-default"]:
    try:
        open(path, "w").write("x"); print("wrote", path, flush=True)
    except OSError as e:
        print("refused", path, e.errno, flush=True)
time.sleep(1e9)
''']
hardening = "default"
[process.probe_strict]
command = ["python3", "-c", '''
import os, time
for path in ["/var/lib/hx/strict-ok", "/etc/hx-strict", "/var/hx-strict", "/tmp/hx-strict"]:
    try:
        open(path, "w").write("x"); print("wrote", path, flush=True)
    except OSError as e:
        print("refused", path, e.errno, flush=True)
print("mode", oct(os.stat("/var/lib/hx/strict-ok").st_mode & 0o777), flush=True)
time.sleep(1e9)
''']
hardening = "strict"
writable_paths = ["/var/lib/hx"]
T
fm() {  # quiet unless it fails
    "$formation" "$@" >"$work/fm.out" 2>&1 || { local rc=$?; sed 's/^/    /' "$work/fm.out" | tail -20; return $rc; }
}

ok apply fm -f "$work/hx.toml" apply
ok default-serves wait_for 10 http_ok 7301
ok strict-serves wait_for 10 http_ok 7302

d=$(exposure hx-web_default@1.service) s=$(exposure hx-web_strict@1.service)
echo "exposure: default $d (target <= 4.0), strict $s (target <= 2.0)"
ok "default-exposure-$d" at_most "${d:-99}" 4.0
ok "strict-exposure-$s" at_most "${s:-99}" 2.0
# Every instance of a level gets the same rating: the probes too.
ok default-probe-same-exposure test "$(exposure hx-probe_default@1.service)" = "$d"

ok probe-default-ran wait_for 10 logged hx-probe_default@1.service "refused /tmp/hx-default\|wrote /tmp/hx-default"
ok default-writes-var logged hx-probe_default@1.service "wrote /var/lib/hx/default-ok"
ok default-no-etc logged hx-probe_default@1.service "refused /etc/hx-default"
ok default-no-usr logged hx-probe_default@1.service "refused /usr/hx-default"
ok default-private-tmp logged hx-probe_default@1.service "wrote /tmp/hx-default"
ok default-tmp-private test ! -e /tmp/hx-default
ok probe-strict-ran wait_for 10 logged hx-probe_strict@1.service "mode"
ok strict-writes-writable logged hx-probe_strict@1.service "wrote /var/lib/hx/strict-ok"
ok strict-no-etc logged hx-probe_strict@1.service "refused /etc/hx-strict"
ok strict-no-var logged hx-probe_strict@1.service "refused /var/hx-strict"
ok strict-private-tmp logged hx-probe_strict@1.service "wrote /tmp/hx-strict"
ok strict-umask logged hx-probe_strict@1.service "mode 0o600"
ok strict-file-on-host test -f /var/lib/hx/strict-ok
# ProtectProc=invisible at both levels; the processes still see themselves.
ok default-protect-proc grep -q 'hidepid=invisible' /proc/"$(systemctl show -p MainPID --value hx-web_default@1.service)"/mountinfo

# The bundled example at "default" (as shipped) and at "strict".
ok example-default fm -f "$example" apply
sed -e 's/^app = "hello"/app = "hellostrict"/' -e 's/^port = 5000/port = 5100/' \
    -e 's/^stop_timeout = "5s"/&\nhardening = "strict"/' "$example" >"$work/example-strict.toml"
ok example-strict-has-level grep -q '^hardening = "strict"' "$work/example-strict.toml"
ok example-strict fm -f "$work/example-strict.toml" apply
for app_port in hello:5000 hellostrict:5100; do
    app=${app_port%:*} port=${app_port#*:}
    ok "$app-web1" wait_for 10 http_ok "$port"
    ok "$app-web2" wait_for 10 http_ok "$((port + 1))"
    ok "$app-worker" wait_for 10 logged "$app-worker@2.service" "tick: hello from formation"
    ok "$app-clock" wait_for 10 logged "$app-clock@1.service" "clock [0-9][0-9]:"
    ok "$app-all-active" test "$(systemctl list-units --plain --no-legend --state=active "$app-*@*.service" | wc -l)" = 5
    echo "exposure: example $app web@1 $(exposure "$app-web@1.service")"
done
ok example-strict-exposure at_most "$(exposure hellostrict-web@1.service)" 2.0
ok example-default-exposure at_most "$(exposure hello-web@1.service)" 4.0
# The worker drains on SIGTERM under both levels (a clean stop, not a kill).
ok example-strict-stop fm -f "$work/example-strict.toml" stop worker
ok example-strict-drained logged hellostrict-worker@1.service "worker draining"
ok example-strict-clean test "$(systemctl show -p Result --value hellostrict-worker@1.service)" = success

ok destroy fm -f "$work/hx.toml" destroy
ok destroy-example fm -f "$example" destroy
ok destroy-example-strict fm -f "$work/example-strict.toml" destroy
echo "hardening: $passed passed, $failed failed"
[ "$failed" = 0 ]
