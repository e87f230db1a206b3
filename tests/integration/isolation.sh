#!/bin/bash
# Name isolation against a real systemd. Runs INSIDE the sandbox container
# (tests/sandbox/sandbox run -- bash /ABS/tests/integration/isolation.sh /ABS/FORMATION).
# Apps "api" and "api-gateway" are both installed; "api" also has a type named
# "gateway", so api-gateway@N.service (api's) sits next to api-gateway.target
# and api-gateway-web@N.service (api-gateway's): a prefix glob would mix them.
# Every verb on api (by -a and by -f) must leave api-gateway's units, processes
# and files exactly as they were, and the other way round.
set -u
formation=$1
case $formation in /*) ;; *) echo "isolation.sh: give FORMATION as an absolute path" >&2; exit 2 ;; esac
cd /  # inside the container getcwd() of the inherited directory fails
work=$(mktemp -d /var/tmp/isolation.XXXXXX)
trap 'rm -rf "$work"' EXIT
units=/run/systemd/generator
passed=0 failed=0
ok() {  # ok NAME CMD...
    local name=$1; shift
    if "$@"; then passed=$((passed+1)); else echo "FAIL $name: $*"; failed=$((failed+1)); fi
}
t() {  # t NAME CMD...: CMD exits 0; its output in $work/out
    local name=$1; shift
    if "$@" >"$work/out" 2>&1; then passed=$((passed+1)); else
        echo "FAIL $name: exit $?: $*"; sed 's/^/    /' "$work/out" | head -20; failed=$((failed+1)); fi
}
wait_for() {
    local end=$((SECONDS + $1)); shift
    until "$@"; do [ $SECONDS -ge $end ] && return 1; sleep 0.1; done
}

cat >"$work/api.toml" <<'T'
app = "api"
[process.web]
command = ["sleep", "infinity"]
count = 2
port = 6000
[process.gateway]
command = ["sleep", "infinity"]
count = 2
T
cat >"$work/gw.toml" <<'T'
app = "api-gateway"
[process.web]
command = ["sleep", "infinity"]
count = 2
port = 6100
[process.gateway]
command = ["sleep", "infinity"]
T
fm() { "$formation" "$@"; }

# The other app's whole state: its files (bytes and links), and every one of
# its units with state and main PID. The snapshot must not change.
snapshot() {  # snapshot APP FILE
    local app=$1 out=$2
    {
        (cd "$units" && find . -mindepth 1 -printf '%P\n' | grep -E "(^|/)$app(\.|-(web|gateway)@)" | LC_ALL=C sort |
            while read -r f; do
                if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"
                elif [ -f "$f" ]; then echo "$f $(sha256sum <"$f" | cut -c1-16)"
                else echo "$f/"; fi
            done)
        systemctl list-units --all --plain --no-legend "$app-web@*" "$app-gateway@*" "$app.target" |
            awk '{print $1, $3, $4}' |
            while read -r u a s; do echo "$u $a $s $(systemctl show -p MainPID --value "$u")"; done
    } >"$out"
}
same() {  # same NAME APP BEFORE: APP's snapshot equals BEFORE
    snapshot "$2" "$work/now"
    if cmp -s "$3" "$work/now"; then passed=$((passed+1)); else
        echo "FAIL $1: $2 changed:"; diff "$3" "$work/now" | sed 's/^/    /' | head -20; failed=$((failed+1)); fi
}
active_count() {  # active_count PATTERN
    systemctl list-units --plain --no-legend --state=active "$1" | wc -l
}

t apply-api fm -f "$work/api.toml" apply
t apply-gw fm -f "$work/gw.toml" apply
ok api-4-running wait_for 10 test "$(active_count 'api-web@*.service') $(active_count 'api-gateway@*.service')" = "2 2"
ok gw-3-running wait_for 10 test "$(active_count 'api-gateway-*@*.service')" = 3
snapshot api-gateway "$work/gw.before"
ok gw-snapshot-has-units grep -q '^api-gateway-web@2.service active running [1-9]' "$work/gw.before"
ok gw-snapshot-has-files grep -q '^api-gateway-web@1.service.d/50-formation.conf ' "$work/gw.before"
ok gw-snapshot-no-api bash -c "! grep -qE '^api-(web|gateway)@' '$work/gw.before'"

for how in "-a api" "-f $work/api.toml"; do
    tag=${how%% *}
    t "stop$tag" fm $how stop
    ok "stop$tag-api-stopped" test "$(active_count 'api-web@*.service')$(active_count 'api-gateway@*.service')" = 00
    same "stop$tag" api-gateway "$work/gw.before"
    t "start$tag" fm $how start
    ok "start$tag-api-running" wait_for 10 test "$(active_count 'api-gateway@*.service')" = 2
    same "start$tag" api-gateway "$work/gw.before"
    t "stop-type$tag" fm $how stop gateway
    ok "stop-type$tag-stopped" test "$(active_count 'api-gateway@*.service')" = 0
    same "stop-type$tag" api-gateway "$work/gw.before"
    t "start-type$tag" fm $how start gateway
    t "restart$tag" fm $how restart
    same "restart$tag" api-gateway "$work/gw.before"
    t "status$tag" fm $how status
    ok "status$tag-only-api" bash -c "! grep -q 'api-gateway-' '$work/out'"
done

# scale: live and persistent, by -a (no file) and by -f (edits the file).
t scale-a-up fm -a api scale gateway=3 web=3
ok scale-a-up-running wait_for 10 test "$(active_count 'api-gateway@*.service')$(active_count 'api-web@*.service')" = 33
same scale-a-up api-gateway "$work/gw.before"
t scale-a-zero fm -a api scale gateway=0 web=0
ok scale-a-zero-stopped test "$(active_count 'api-gateway@*.service')$(active_count 'api-web@*.service')" = 00
same scale-a-zero api-gateway "$work/gw.before"
t scale-f fm -f "$work/api.toml" scale gateway=1 web=1
ok scale-f-running wait_for 10 test "$(active_count 'api-gateway@*.service')$(active_count 'api-web@*.service')" = 11
ok scale-f-file-edited grep -q '^count = 1$' "$work/api.toml"
same scale-f api-gateway "$work/gw.before"
t reapply-api fm -f "$work/api.toml" apply
same reapply-api api-gateway "$work/gw.before"

# destroy api: every api file and unit gone, api-gateway untouched.
t destroy-api fm -a api destroy
ok destroy-api-files bash -c "! ls -A '$units' '$units/multi-user.target.wants' /etc/formation /etc/formation/.last-good | grep -qE '^api(\\.target|-(web|gateway)@|\\.)'"
ok destroy-api-units test "$(systemctl list-units --all --plain --no-legend 'api-web@*' 'api-gateway@*' | wc -l)" = 0
same destroy-api api-gateway "$work/gw.before"
ok destroy-api-again-refused bash -c "! '$formation' -a api destroy >/dev/null 2>&1"
same destroy-api-again api-gateway "$work/gw.before"

# And the other way round: destroying api-gateway leaves a reinstalled api alone.
t apply-api-again fm -f "$work/api.toml" apply
ok api-again-running wait_for 10 test "$(active_count 'api-gateway@*.service')" = 1
snapshot api "$work/api.before"
t destroy-gw fm -f "$work/gw.toml" destroy
ok destroy-gw-units test "$(systemctl list-units --all --plain --no-legend 'api-gateway-*' 'api-gateway.target' | wc -l)" = 0
ok destroy-gw-files bash -c "! ls -A '$units' '$units/multi-user.target.wants' /etc/formation /etc/formation/.last-good | grep -qE '^api-gateway(\\.target|-|\\.)'"
same destroy-gw api "$work/api.before"
t destroy-api-last fm -a api destroy

echo "isolation: $passed passed, $failed failed"
[ "$failed" = 0 ]
