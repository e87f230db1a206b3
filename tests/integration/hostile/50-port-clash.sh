# Issue 19, item 7: a TCP port two apps claim, and one a foreign process
# holds. apply refuses a socket on a port another installed app claims
# (exit 2, naming that app and its file); when a process outside formation
# holds the port, apply fails naming the port, the holder and what systemd
# said; status fails naming the socket; destroy leaves no unit, failed or
# not. Sourced by hostile.sh: $formation, $work and lib.sh's helpers; names
# prefixed pc_ (apps pc-…).

pc_write() {  # pc_write APP PORT SOCKET [COUNT]
    cat >"$work/$1.toml" <<EOF
app = "$1"
[process.web]
command = ["sleep", "infinity"]
count = ${4:-1}
port = $2
socket = $3
EOF
}
pc_units() { systemctl list-units --all --plain --no-legend "$1-*" "$1.target" | awk '{print $1}' | tr '\n' ' '; }
pc_failed() { systemctl list-units --state=failed --all --plain --no-legend 'pc-*' | awk '{print $1}' | tr '\n' ' '; }
pc_err() { head -12 "$work/err" | tr '\n' '|'; }
pc_system_before=$(systemctl is-system-running 2>/dev/null)

## Two apps, one port ---------------------------------------------------------
pc_write pc-one 7510 true
run pc-one-apply 0 "$formation" -f "$work/pc-one.toml" apply
check pc-one-listening "port 7510 does not accept connections" wait_for 10 listening 7510

pc_write pc-two 7510 true
run pc-two-refused 2 "$formation" -f "$work/pc-two.toml" apply
check pc-two-at-port-line "not reported at pc-two.toml's port line: $(pc_err)" has "$work/err" "pc-two\.toml:5:[0-9]+: error: port 7510"
check pc-two-names-app "the refusal does not name app pc-one: $(pc_err)" has "$work/err" "app pc-one"
check pc-two-names-file "the refusal does not name /etc/formation/pc-one.toml: $(pc_err)" has "$work/err" "/etc/formation/pc-one\.toml"
check pc-two-not-installed "/etc/formation/pc-two.toml was installed" test ! -e /etc/formation/pc-two.toml
check pc-two-no-units "pc-two has units: $(pc_units pc-two)" test -z "$(pc_units pc-two)"
run pc-two-dry-run-refused 2 "$formation" -f "$work/pc-two.toml" apply --dry-run
check pc-one-untouched "pc-one-web@1 is $(state pc-one-web@1.service), port 7510 listening: $(listening 7510 && echo yes)" \
    eval 'running pc-one-web@1.service && listening 7510'

# Installed by hand, past apply's check: start fails naming the port, who
# holds it and the app that claims it; destroy leaves nothing failed.
cp "$work/pc-two.toml" /etc/formation/pc-two.toml && systemctl daemon-reload
run pc-two-hand-start 1 "$formation" -a pc-two start
check pc-two-hand-names "start does not name port 7510, systemd and app pc-one: $(pc_err)" \
    has "$work/err" "port 7510 of pc-two-web@1\.socket is in use by systemd \(PID 1\).*; app pc-one claims it \(/etc/formation/pc-one\.toml gives it to web\.1\)"
run pc-two-hand-status 1 "$formation" -a pc-two status
check pc-two-hand-status-note "status does not name the failed socket" has "$work/out" "socket pc-two-web@1\.socket failed"
run pc-two-hand-destroy 0 "$formation" -a pc-two destroy
check pc-two-hand-gone "pc-two has units: $(pc_units pc-two); failed: $(pc_failed)" \
    eval '[ -z "$(pc_units pc-two)" ] && [ -z "$(pc_failed)" ]'
check pc-one-still-listening "port 7510 no longer accepts connections" listening 7510

# A plain process on the port pc-one's socket holds could never bind it either.
pc_write pc-three 7510 false
run pc-three-refused 2 "$formation" -f "$work/pc-three.toml" apply
check pc-three-names-app "the refusal does not name app pc-one: $(pc_err)" has "$work/err" "app pc-one"

# Scaling into another app's port is refused the same way, nothing changed.
pc_write pc-four 7508 true
run pc-four-apply 0 "$formation" -f "$work/pc-four.toml" apply
run pc-four-scale-refused 2 "$formation" -a pc-four scale web=3
check pc-four-scale-names "the refusal does not name port 7510 and app pc-one: $(pc_err)" \
    eval "has '$work/err' 'port 7510' && has '$work/err' 'app pc-one'"
check pc-four-count-kept "pc-four's installed count changed" grep -q '^count = 1$' /etc/formation/pc-four.toml
check pc-four-no-second "pc-four-web@2 is $(state pc-four-web@2.service)" stopped pc-four-web@2.service
run pc-four-destroy 0 "$formation" -a pc-four destroy

# Two plain processes: a warning only (each may bind an address of its own).
pc_write pc-five 7520 false
pc_write pc-six 7520 false
run pc-five-apply 0 "$formation" -f "$work/pc-five.toml" apply
run pc-six-apply 0 "$formation" -f "$work/pc-six.toml" apply
check pc-six-warned "no warning naming port 7520 and app pc-five: $(pc_err)" \
    eval "has '$work/err' 'warning: port 7520' && has '$work/err' 'app pc-five'"
run pc-six-destroy 0 "$formation" -a pc-six destroy
run pc-five-destroy 0 "$formation" -a pc-five destroy
run pc-one-destroy 0 "$formation" -a pc-one destroy
check pc-one-gone "pc-one has units: $(pc_units pc-one)" test -z "$(pc_units pc-one)"

## A foreign process holds the port --------------------------------------------
# pc-seven's web@2 wants 7531, which a python web server (a transient unit,
# so it is named and stopped cleanly) holds on every IPv4 address.
pc_hold() {
    systemd-run -q --unit=pc-holder --collect python3 -m http.server --bind 0.0.0.0 7531 &&
        wait_for 15 listening 7531
}
check pc-holder-up "the python listener on 7531 did not come up" pc_hold
pc_write pc-seven 7530 true 2
run pc-seven-apply 1 "$formation" -f "$work/pc-seven.toml" apply
check pc-seven-names-socket "apply does not name pc-seven-web@2.socket as what failed: $(pc_err)" \
    has "$work/err" "start pc-seven-web@2\.service: its socket pc-seven-web@2\.socket failed: resources"
check pc-seven-names-port "apply does not say port 7531 is in use: $(pc_err)" has "$work/err" "port 7531 of pc-seven-web@2\.socket is in use"
check pc-seven-names-holder "apply does not name the holder (python3, pc-holder.service): $(pc_err)" \
    has "$work/err" "python3 \(PID [0-9]+, unit pc-holder\.service\)"
check pc-seven-systemd-said "apply does not show systemd's 'Address already in use': $(pc_err)" \
    has "$work/err" "Address already in use"
check pc-seven-web1-running "pc-seven-web@1 is $(state pc-seven-web@1.service)" running pc-seven-web@1.service

run pc-seven-status 1 "$formation" -a pc-seven status
check pc-seven-status-note "status does not name the failed socket: $(grep web@2 "$work/out" | head -2)" \
    has "$work/out" "pc-seven-web@2\.service .*socket pc-seven-web@2\.socket failed: resources"
check pc-seven-status-summary "status summary: $(head -1 "$work/out")" has "$work/out" "web 1/2 running, 1 failed"
check pc-seven-status-systemd-said "status does not show systemd's 'Address already in use'" has "$work/out" "Address already in use"
run pc-seven-status-json 1 "$formation" -a pc-seven status --json
check pc-seven-status-json-socket "status --json has no failed socket" has "$work/out" '"socket":"failed/failed"'

# Scaled away, the failed socket is forgotten: nothing of pc-seven stays failed.
run pc-seven-scale-down 0 "$formation" -a pc-seven scale web=1
check pc-seven-forget "the plan does not forget pc-seven-web@2.socket: $(cat "$work/out" | tr '\n' '|')" \
    has "$work/out" "forget +pc-seven-web@2\.socket"
check pc-seven-no-failed-after-scale "failed: $(pc_failed)" test -z "$(pc_failed)"
run pc-seven-scale-up 1 "$formation" -a pc-seven scale web=2

# The holder goes: start brings web@2 up (its failed socket is reset first).
systemctl stop pc-holder
run pc-seven-start 0 "$formation" -a pc-seven start
check pc-seven-started "pc-seven-web@2 is $(state pc-seven-web@2.service), socket $(state pc-seven-web@2.socket)" \
    eval 'running pc-seven-web@2.service && listening 7531'
run pc-seven-status-ok 0 "$formation" -a pc-seven status

# And back: the socket fails again, then destroy must leave nothing behind.
run pc-seven-stop 0 "$formation" -a pc-seven stop
check pc-holder-again "the python listener on 7531 did not come back" pc_hold
run pc-seven-start-held 1 "$formation" -a pc-seven start
check pc-seven-socket-failed "pc-seven-web@2.socket is $(state pc-seven-web@2.socket)" \
    test "$(prop pc-seven-web@2.socket ActiveState)" = failed
run pc-seven-destroy 0 "$formation" -a pc-seven destroy
check pc-seven-gone "pc-seven has units: $(pc_units pc-seven)" test -z "$(pc_units pc-seven)"
check pc-no-failed "failed units left: $(pc_failed)" test -z "$(pc_failed)"
if [ "$pc_system_before" = running ]; then
    check pc-not-degraded "is-system-running: $(systemctl is-system-running 2>&1); failed: $(systemctl list-units --state=failed --plain --no-legend | tr '\n' '|')" \
        test "$(systemctl is-system-running 2>/dev/null)" = running
fi
systemctl stop pc-holder 2>/dev/null
