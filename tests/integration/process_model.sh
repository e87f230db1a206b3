#!/bin/bash
# The process model against a real systemd, run from the host (root,
# systemd-nspawn):
#   bash tests/integration/process_model.sh /abs/path/to/formation
# 1 stop semantics, 2 readiness, 3 rolling restart, 4 crash loops and
# 6 startup times run in one throwaway container (process_model/inside.sh);
# 5 boot: apply in a container whose overlay upper layer is on disk, power it
# off, boot a new container on the same layer and count what the enabled app
# target started. Ends with "process_model: N passed, N failed"; exit 1 on
# any failure.
set -u
formation=$(readlink -f "${1:?usage: process_model.sh /abs/path/to/formation}")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
helpers=$here/process_model
sandbox=$(readlink -f "$here/../sandbox/sandbox")
cd / || exit 1
passed=0 failed=0
log=$(mktemp /var/tmp/formation-process-model.XXXXXX)
bootdir=$(mktemp -d /var/tmp/formation-process-model-boot.XXXXXX)  # on disk: it must outlive a container
state1=$bootdir/state1 state2=$bootdir/state2
cleanup() {
    "$sandbox" stop "$state1" >/dev/null 2>&1
    "$sandbox" stop "$state2" >/dev/null 2>&1
    rm -rf "$bootdir" "$log"
}
trap cleanup EXIT

# Lines from inside.sh / the boot scenario: PASS name | FAIL name: why | INFO …
tally() {
    local line
    while IFS= read -r line; do
        case $line in
            PASS\ *) passed=$((passed + 1)) ;;
            FAIL\ *) failed=$((failed + 1)); echo "$line" ;;
            *) echo "$line" ;;
        esac
    done
}
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; }
check() {
    local name=$1 msg=$2; shift 2
    if "$@"; then pass; else fail "$name" "$msg"; fi
}

## 1-4, 6 in one container -----------------------------------------------------
"$sandbox" run --install "$(dirname "$formation")" -- bash "$helpers/inside.sh" "$formation" "$helpers" >"$log" 2>&1
rc=$?
tally <"$log"
grep -q '^## \[.*\] done$' "$log" || fail inside-complete "inside.sh did not run to the end (sandbox run exited $rc)"

## 5. boot ------------------------------------------------------------------------
echo "## 5 boot: the enabled app target starts exactly the counted instances"
write_boot() {  # write_boot WEB_COUNT
    cat >"$bootdir/boot.toml" <<EOF
app = "pmboot"

[process.web]
command = ["/usr/bin/python3", "-u", "/srv/formation-pm-server.py", "0"]
count = $1
port = 7350
ready = "port"

[process.worker]
command = "exec sleep infinity"
count = 1
EOF
}
in1() { "$sandbox" exec "$state1" "$@"; }
in2() { "$sandbox" exec "$state2" "$@"; }
# Instances of pmboot systemd knows about, with their state: "unit active/sub".
instances() {  # instances exec-function
    "$1" systemctl list-units --all --plain --no-legend 'pmboot-*@*.service' 2>/dev/null |
        awk '{ print $1, $3 "/" $4 }' | sort
}
want="pmboot-web@1.service active/running
pmboot-web@2.service active/running
pmboot-worker@1.service active/running"

if "$sandbox" start "$state1" --upper "$bootdir/upper" --install "$(dirname "$formation")" >"$bootdir/boot1.log" 2>&1; then
    pass
    # Where hardened instances can read it (PrivateTmp= hides /var/tmp, where
    # a clone may live); the upper layer keeps it for the second boot.
    in1 cp "$helpers/server.py" /srv/formation-pm-server.py
    # Apply 3 webs, then scale to 2 by applying again: a stale web@3 must not come back.
    write_boot 3
    out=$(in1 "$formation" -f "$bootdir/boot.toml" apply --settle 200ms 2>&1)
    check boot-apply-3 "apply (web=3) failed: $out" test $? = 0
    write_boot 2
    out=$(in1 "$formation" -f "$bootdir/boot.toml" apply --settle 200ms 2>&1)
    check boot-apply-2 "apply (web=2) failed: $out" test $? = 0
    got=$(instances in1)
    check boot-first-instances "before the reboot: $(echo "$got" | tr '\n' ',')" \
        test "$(echo "$got" | grep -c ' active/running$')" = 3
    in1 "$formation" -a pmboot releases --json >"$bootdir/releases1.json" 2>&1
    check boot-releases "two releases recorded before the reboot: $(cat "$bootdir/releases1.json")" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert [x["summary"] for x in r][-1] == "web 3→2", r' "$bootdir/releases1.json"
    en=$(in1 systemctl is-enabled pmboot.target 2>&1)
    check boot-enabled "pmboot.target is-enabled: $en (the generator enables it)" test "$en" = generated
    echo "INFO first boot: default target $(in1 systemctl get-default 2>&1), pmboot.target $en," \
        "WantedBy=$(in1 systemctl show -P WantedBy pmboot.target 2>&1)"
    "$sandbox" stop "$state1"
    # Powered off: a new container on the same upper layer; no formation command from here on.
    if "$sandbox" start "$state2" --upper "$bootdir/upper" >"$bootdir/boot2.log" 2>&1; then
        pass
        settled() { ! in2 systemctl list-jobs --no-legend 2>/dev/null | grep -q .; }
        wait_for() { local end=$((SECONDS + $1)); shift; until "$@"; do [ $SECONDS -ge $end ] && return 1; sleep 0.2; done; }
        check boot-jobs-done "boot jobs still queued after 30 s: $(in2 systemctl list-jobs --no-legend 2>&1 | head -5 | tr '\n' '/')" \
            wait_for 30 settled
        got=$(instances in2)
        echo "INFO second boot: $(in2 systemctl is-system-running 2>&1); pmboot instances: $(echo "$got" | tr '\n' ',')"
        check boot-exact-instances "after the reboot systemd has: $(echo "$got" | tr '\n' ','); wanted web@1, web@2, worker@1 running, nothing else" \
            test "$got" = "$want"
        check boot-target-active "pmboot.target is $(in2 systemctl is-active pmboot.target 2>&1)" \
            test "$(in2 systemctl is-active pmboot.target 2>&1)" = active
        check boot-enabled-after "pmboot.target is-enabled after the reboot: $(in2 systemctl is-enabled pmboot.target 2>&1)" \
            test "$(in2 systemctl is-enabled pmboot.target 2>&1)" = generated
        listening2() { in2 bash -c "cd /; (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null" 2>/dev/null; }
        check boot-ports "7350/7351 not both listening after the reboot" eval 'listening2 7350 && listening2 7351'
        check boot-no-web3 "7352 listens after the reboot (web@3 came back)" eval '! listening2 7352'
        status=$(in2 "$formation" status -a pmboot 2>&1)
        check boot-status "formation status -a pmboot after the reboot: $status" \
            eval 'echo "$status" | grep -q "web 2/2 running" && echo "$status" | grep -q "worker 1/1 running"'
        # The history survives the reboot, and a rollback to the first release works from it.
        in2 "$formation" -a pmboot releases --json >"$bootdir/releases2.json" 2>&1
        check boot-releases-kept "the release history after the reboot: $(cat "$bootdir/releases2.json")" \
            cmp -s "$bootdir/releases1.json" "$bootdir/releases2.json"
        first=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[0]["number"])' "$bootdir/releases1.json" 2>/dev/null)
        out=$(in2 "$formation" -a pmboot rollback "$first" 2>&1)
        check boot-rollback "rollback $first after the reboot: $out" test $? = 0
        check boot-rollback-web3 "7352 listens after rolling back to web=3" listening2 7352
        "$sandbox" stop "$state2"
    else
        fail boot-second "the second container did not boot: $(tail -5 "$bootdir/boot2.log" | tr '\n' '/')"
    fi
else
    fail boot-first "the first container (--upper on disk) did not boot: $(tail -5 "$bootdir/boot1.log" | tr '\n' '/')"
fi

echo "process_model: $passed passed, $failed failed"
[ "$failed" = 0 ]
