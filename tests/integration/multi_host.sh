#!/bin/bash
# One formation across hosts, against real systemd on every host: three
# containers of tests/sandbox/hosts, each in its own network namespace with
# sshd; host 1 is the operator, hosts 2 (alpha) and 3 (beta) run the app.
# Runs on the machine (root): it boots and powers off the hosts itself.
#
#   multi_host.sh BUILD SOURCE_ROOT
set -u
build=$(cd "$1" && pwd) root=$(cd "$2" && pwd)
hosts=$root/tests/sandbox/hosts
work=$(mktemp -d)
state=$(mktemp -d "${SANDBOX_STATE_DIR:-/run}/formation-hosts.XXXXXX")
trap '"$hosts" stop "$state"; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
. "$root/tests/integration/lib.sh"

"$hosts" start "$state" 3 --install "$build" || { echo "multi-host: hosts did not start"; exit 1; }

on() { local i=$1; shift; "$hosts" exec "$state" "$i" "$@"; }   # on I CMD...
op() { on 1 formation -f /srv/shop.toml "$@"; }                  # the operator
alpha() { on 2 "$@"; }
beta() { on 3 "$@"; }
put() { on 1 sh -c 'mkdir -p /srv && cat > "$1"' sh "$1"; }      # put PATH < text
pid_of() { on "$1" systemctl show -P MainPID "$2"; }             # pid_of I UNIT
started_usec() { on "$1" systemctl show -P ExecMainStartTimestampMonotonic "$2"; }
active_on() { local i=$1; shift; local u; for u; do [ "$(on "$i" systemctl is-active "$u")" = active ] || return 1; done; }
inactive_on() { local i=$1; shift; local u; for u; do [ "$(on "$i" systemctl is-active "$u")" != active ] || return 1; done; }

formation_v1() {
    cat <<'EOF'
app = "shop"

[process.web]
command = "while :; do echo web $PORT; sleep 0.5; done"
count = 2
port = 5000

[process.worker]
command = "while :; do echo tick; sleep 0.5; done"
hosts = ["beta"]

[hosts.alpha]
address = "10.231.0.12"

[hosts.beta]
address = "root@10.231.0.13"
EOF
}

## apply over two hosts from a third
formation_v1 | put /srv/shop.toml
run apply-both 0 op apply
check apply-names-hosts "each host's lines prefixed" has "$work/out" '^alpha: ' 
check apply-names-beta "beta's lines prefixed" has "$work/out" '^beta: '
check apply-done "done on both" has "$work/out" 'apply done on alpha, beta'
check alpha-web "alpha runs web@1,2" active_on 2 shop-web@1.service shop-web@2.service
check alpha-no-worker "worker is placed on beta only" inactive_on 2 shop-worker@1.service
check beta-all "beta runs web@1,2 and worker@1" active_on 3 shop-web@1.service shop-web@2.service shop-worker@1.service
check alpha-share "alpha's installed file says which host it is" \
    bash -c "'$hosts' exec '$state' 2 head -1 /etc/formation/shop.toml | grep -q '^host = \"alpha\"'"
check no-app-on-operator "the operator runs nothing of the app" inactive_on 1 shop-web@1.service
pids=$(pid_of 2 shop-web@1.service)/$(pid_of 3 shop-worker@1.service)
run reapply 0 op apply
check reapply-nothing "a second apply restarts nothing" test "$(pid_of 2 shop-web@1.service)/$(pid_of 3 shop-worker@1.service)" = "$pids"

## status: one table with the hosts
run status 0 op status
check status-alpha "alpha's web in the table" has "$work/out" '^alpha: web 2/2 running'
check status-beta "beta's worker in the table" has "$work/out" '^beta: worker 1/1 running'
check status-host-column "rows start with the host" has "$work/out" '^ *beta +shop-worker@1.service +active/running'
## top, not on a terminal: one frame of every host, a HOST column
run top 0 op top --interval 0.3
check top-title "top's title counts both hosts' instances" has_or_show "$work/out" '^shop: 5/5 running'
check top-alpha "top shows alpha's web instances" has_or_show "$work/out" '^ *alpha +web\.2 +active/running'
check top-beta "top shows beta's worker" has_or_show "$work/out" '^ *beta +worker\.1 +active/running'
run status-json 0 op status --json
check status-json-hosts "JSON has both hosts, reachable, with instances" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
hs = {h["host"]: h for h in d["hosts"]}
assert d["app"] == "shop" and set(hs) == {"alpha", "beta"}, d
assert all(h["reachable"] for h in hs.values())
names = lambda h: sorted(i["unit"] for t in hs[h]["types"] for i in t["instances"])
assert names("alpha") == ["shop-web@1.service", "shop-web@2.service"], names("alpha")
assert "shop-worker@1.service" in names("beta")' "$work/out"

## a multi-host row explains an instance exactly as the host's own status does
on 3 systemctl stop shop-worker@1.service
op status >"$work/hosts-status" 2>&1
on 3 formation -a shop status >"$work/local-status" 2>&1
note_of() {  # note_of TABLE UNIT: the NOTE column of UNIT's row
    python3 -c '
import sys
lines = open(sys.argv[1]).read().splitlines()
col = next(l.index("NOTE") for l in lines if " NOTE" in l)
print(next(l[col:].strip() for l in lines if sys.argv[2] + " " in l))' "$1" "$2"
}
check note-local "the host explains its stopped worker" test -n "$(note_of "$work/local-status" shop-worker@1.service)"
check note-same "the multi-host row says the same" \
    test "$(note_of "$work/hosts-status" shop-worker@1.service)" = "$(note_of "$work/local-status" shop-worker@1.service)"
on 3 systemctl start shop-worker@1.service

## logs merged from both hosts
sleep 1  # a few lines of each instance
run logs 0 op logs -n 40
check logs-alpha "alpha's web lines" has "$work/out" '^alpha/web\.1 +\| web 5000$'
check logs-beta "beta's worker lines" has "$work/out" '^beta/worker\.1 +\| tick$'
check logs-count "-n 40 across all hosts" test "$(grep -c '' "$work/out")" = 40
# Merged by time, not host after host: the hosts alternate within the last lines.
check logs-merged "hosts interleave" test "$(awk -F/ '{print $1}' "$work/out" | uniq | wc -l)" -gt 4
run logs-follow 124 on 1 timeout 15 formation -f /srv/shop.toml logs -f -n 1 web
check follow-both "-f follows both hosts" bash -c "grep -q '^alpha/web' '$work/out' && grep -q '^beta/web' '$work/out'"
check follow-new "-f prints new lines after the backlog" test "$(grep -c '' "$work/out")" -gt 4
no_remote_logs() { ! on 2 pgrep -f '[f]ormation.* logs --json' >/dev/null && ! on 3 pgrep -f '[f]ormation.* logs --json' >/dev/null; }
check follow-remote-ends "no logs -f left on the hosts once the operator's ended" wait_for 5 no_remote_logs

## scale: count per host, FILE follows
run scale 0 op scale web=3
check scale-alpha "alpha runs web@3" active_on 2 shop-web@3.service
check scale-beta "beta runs web@3" active_on 3 shop-web@3.service
check scale-file "FILE's count line changed" bash -c "'$hosts' exec '$state' 1 grep -q '^count = 3' /srv/shop.toml"
check scale-worker-alone "worker untouched" active_on 3 shop-worker@1.service

## rolling restart across hosts: alpha done before beta begins
a_before=$(pid_of 2 shop-web@1.service) b_before=$(pid_of 3 shop-web@1.service)
run restart 0 op restart web
check restart-alpha "alpha's web restarted" test "$(pid_of 2 shop-web@1.service)" != "$a_before"
check restart-beta "beta's web restarted" test "$(pid_of 3 shop-web@1.service)" != "$b_before"
# One kernel, one monotonic clock: every alpha instance started before any beta one.
a_last=$(for i in 1 2 3; do started_usec 2 shop-web@$i.service; done | sort -n | tail -1)
b_first=$(for i in 1 2 3; do started_usec 3 shop-web@$i.service; done | sort -n | head -1)
check restart-rolls "one host at a time" test "$a_last" -lt "$b_first"
b_before=$(pid_of 3 shop-web@1.service) a_before=$(pid_of 2 shop-web@1.service)
run restart-one-host 0 on 1 formation -f /srv/shop.toml -H beta restart web
check restart-H "-H beta restarts beta only" test "$(pid_of 3 shop-web@1.service)" != "$b_before"
check restart-H-alpha "alpha left alone" test "$(pid_of 2 shop-web@1.service)" = "$a_before"

## a release that fails on one host: that host goes back by itself, the roll
## stops there, and the operator is told what the done hosts run
on 1 sed 's/^command = "while :; do echo web/command = "test -e \/srv\/broken \&\& { echo broken release; exit 1; }; while :; do echo web/; s/^port = 5000$/port = 5000\nmin_ready = "1s"\nenv = { RELEASE = "bad" }/' /srv/shop.toml >"$work/bad.toml"
put /srv/bad.toml <"$work/bad.toml"
on 3 sh -c 'mkdir -p /srv && touch /srv/broken'
b_pid=$(pid_of 3 shop-web@1.service)
on 3 cat /etc/formation/shop.toml >"$work/beta-before.toml"
run bad-release 1 on 1 formation -f /srv/bad.toml apply
check bad-failed-beta "beta's failure is named" has "$work/err" 'apply failed on host beta'
check bad-beta-lines "beta's own lines: the instance's last line, and that it went back" \
    bash -c "grep -q '^beta: .*broken release' '$work/err' && grep -q '^beta: .*went back to the previous formation' '$work/err'"
check bad-roll-said "the roll stopped at beta; alpha runs the new formation" \
    has "$work/err" 'the roll stopped at beta; done: alpha \(running the new formation\); not reached: none \(run it again once the cause is fixed\)'
check bad-alpha-new "alpha runs the new release" \
    bash -c "'$hosts' exec '$state' 2 systemctl show -P Environment shop-web@1.service | grep -q RELEASE=bad"
check bad-beta-installed "beta's previous formation is installed again" \
    bash -c "'$hosts' exec '$state' 3 cat /etc/formation/shop.toml | cmp -s - '$work/beta-before.toml'"
check bad-beta-runs-old "beta's web runs the previous release, nothing failed" \
    bash -c "! '$hosts' exec '$state' 3 systemctl show -P Environment shop-web@1.service | grep -q RELEASE=bad && '$hosts' exec '$state' 3 systemctl -q is-active shop-web@1.service shop-web@2.service shop-web@3.service && ! '$hosts' exec '$state' 3 systemctl -q is-failed 'shop-web@*.service'"
on 3 rm -f /srv/broken
run bad-fixed 0 op apply
check bad-fixed-alpha "applying the good file again puts alpha back" \
    bash -c "! '$hosts' exec '$state' 2 systemctl show -P Environment shop-web@1.service | grep -q RELEASE=bad"

## another formation version on a host is refused by name
on 3 sh -c 'printf "#!/bin/sh\nshift 3\nexec formation remote --expect 0.0.0-other \"\$@\"\n" > /srv/other && chmod +x /srv/other'
run version 2 on 1 env FORMATION_REMOTE_PROGRAM=/srv/other formation -f /srv/shop.toml -H beta restart
check version-named "version mismatch named" has "$work/err" 'restart failed on host beta .*version mismatch'

## a host powered off mid-apply
formation_v1 | sed 's/count = 2/count = 1\nenv = { RELEASE = "2" }/' | put /srv/shop.toml
on 1 sh -c 'formation -f /srv/shop.toml apply --settle 6s >/srv/apply.out 2>/srv/apply.err; echo $? >/srv/apply.rc' &
applying=$!
check alpha-reached "alpha gets the new file first" \
    wait_for 60 bash -c "'$hosts' exec '$state' 2 grep -q RELEASE /etc/formation/shop.toml"
"$hosts" poweroff "$state" 3
wait $applying
on 1 cat /srv/apply.out >"$work/out"; on 1 cat /srv/apply.err >"$work/err"
check poweroff-rc "apply fails" test "$(on 1 cat /srv/apply.rc)" = 1
check poweroff-named "the error names beta" has "$work/err" 'apply failed on host beta \(root@10\.231\.0\.13\): unreachable: '
check poweroff-roll "alpha done, beta not" has "$work/err" 'the roll stopped at beta; done: alpha'
check poweroff-alpha "alpha converged" active_on 2 shop-web@1.service
check poweroff-alpha-scaled "alpha's web@2 stopped" inactive_on 2 shop-web@2.service
check poweroff-alpha-env "alpha runs the new release" \
    bash -c "'$hosts' exec '$state' 2 systemctl show -P Environment shop-web@1.service | grep -q RELEASE=2"

## status with one host down
run status-down 1 op status
check status-down-beta "beta shown unreachable" has "$work/out" '^beta: unreachable: '
check status-down-alpha "alpha still shown" has "$work/out" '^alpha: web 1/1 running'
run top-down 1 op top --interval 0.3
check top-down "top: beta shown unreachable, alpha still shown" sh -c "grep -q '^beta: unreachable: ' '$work/out' && grep -qE '^ *alpha +web\.1 ' '$work/out'"
run status-down-json 1 op status --json
check status-down-json "JSON: beta unreachable with an error" python3 -c '
import json, sys
hs = {h["host"]: h for h in json.load(open(sys.argv[1]))["hosts"]}
assert hs["alpha"]["reachable"] and not hs["beta"]["reachable"] and hs["beta"]["error"], hs' "$work/out"

## the host comes back; apply converges it
"$hosts" boot "$state" 3
check back-old "beta came back on its old formation" wait_for 60 active_on 3 shop-web@2.service
run apply-back 0 op apply
check back-converged "beta converged" inactive_on 3 shop-web@2.service
check back-env "beta runs the new release" \
    bash -c "'$hosts' exec '$state' 3 systemctl show -P Environment shop-web@1.service | grep -q RELEASE=2"
check back-worker "beta's worker runs" active_on 3 shop-worker@1.service

## one shared port per host and type (socket = "shared")
for i in 2 3; do
    on "$i" sh -c 'mkdir -p /srv/board && cat > /srv/board/app.py' <<'PY'
import os, socket
def app(environ, start_response):
    body = (socket.gethostname() + " " + os.environ.get("FORMATION_INSTANCE", "?") + "\n").encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
PY
done
put /srv/board.toml <<'EOF'
app = "board"

[process.web]
command = "gunicorn --workers 1 --chdir /srv/board app:app"
count = 2
port = 6000
socket = "shared"
ready = "notify"
min_ready = "500ms"

[hosts.alpha]
address = "10.231.0.12"

[hosts.beta]
address = "root@10.231.0.13"
EOF
run shared-apply 0 on 1 formation -f /srv/board.toml apply
check shared-sockets "each host holds its own board-web.socket" active_on 2 board-web.socket
check shared-sockets-beta "beta too" active_on 3 board-web.socket
check shared-alpha-answers "alpha's port answers from the operator" \
    wait_for 20 on 1 curl -sf -o /dev/null http://10.231.0.12:6000/
check shared-beta-answers "beta's port answers" wait_for 20 on 1 curl -sf -o /dev/null http://10.231.0.13:6000/
run shared-status 0 on 1 formation -f /srv/board.toml status
check shared-status-alpha "the hosts' status shows alpha's shared socket" \
    has "$work/out" '^ *alpha +board-web\.socket +active/running .* 6000 +shared: 2 instances accept'
check shared-status-beta "and beta's" has "$work/out" '^ *beta +board-web\.socket +active/running'
run shared-status-json 0 on 1 formation -f /srv/board.toml status --json
check shared-status-json "JSON: each host's type has its shared_socket" python3 -c '
import json, sys
hs = json.load(open(sys.argv[1]))["hosts"]
assert len(hs) == 2 and all(h["types"][0]["shared_socket"]["port"] == 6000 for h in hs), hs' "$work/out"
run shared-destroy 0 on 1 formation -f /srv/board.toml destroy
check shared-closed "destroy closes both ports" \
    bash -c "! '$hosts' exec '$state' 1 curl -s -m 2 http://10.231.0.12:6000/ && ! '$hosts' exec '$state' 1 curl -s -m 2 http://10.231.0.13:6000/"

## destroy on every host
run destroy 0 op destroy
check destroyed-alpha "alpha's units gone" inactive_on 2 shop-web@1.service
check destroyed-beta "beta's units gone" inactive_on 3 shop-web@1.service shop-worker@1.service
check destroyed-file "beta's formation removed" bash -c "! '$hosts' exec '$state' 3 test -e /etc/formation/shop.toml"

finish multi-host
