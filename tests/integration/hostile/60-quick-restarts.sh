# Issue 19, item 14: an operator's restart, start, apply or scale is never
# refused by systemd's crash-loop limiter (StartLimitBurst= starts within
# StartLimitIntervalSec=, which counts an operator's starts too), while a
# process that crashes by itself still hits it.
#
# The apps here allow 5 starts in 10 minutes instead of the default 10 s,
# so that seven operator starts in a row exceed the limit however fast or
# slow this machine runs them: without the reset, the sixth would fail.
# Sourced by hostile.sh: $formation, $work and lib.sh's helpers; names
# prefixed qr_ (apps qr-…).

qr_file=$work/qr-app.toml
qr_write() {  # qr_write W_COUNT ROUND: a healthy app; ROUND changes its environment (a restart on apply)
    cat >"$qr_file" <<EOF
app = "qr-app"

[defaults]
start_limit_burst = 5
start_limit_interval = "10min"
min_ready = "0s"

[env]
QR_ROUND = "$2"

[process.w]
command = ["sleep", "infinity"]
count = $1

[process.web]
command = ["sleep", "infinity"]
port = 7610
socket = true
EOF
}
qr_fa() { "$formation" -a qr-app "$@"; }
qr_healthy() { all_running qr-app-w@1.service qr-app-web@1.service && listening 7610; }
qr_why() { echo "w@1 $(state qr-app-w@1.service) $(prop qr-app-w@1.service Result), web@1 $(state qr-app-web@1.service) $(prop qr-app-web@1.service Result), socket $(state qr-app-web@1.socket) $(prop qr-app-web@1.socket Result)"; }
qr_no_failed() { [ -z "$(systemctl list-units --state=failed --all --plain --no-legend 'qr-app*' | awk '{print $1}')" ]; }

qr_write 1 0
run qr-apply 0 "$formation" -f "$qr_file" apply
check qr-apply-healthy "after apply: $(qr_why)" wait_for 10 qr_healthy

# Seven rolling restarts of one instance in a row.
qr_began=$SECONDS
for qr_i in 1 2 3 4 5 6 7; do run "qr-restart-w-$qr_i" 0 qr_fa restart w; done
echo "   (seven restarts of qr-app-w@1 took $((SECONDS - qr_began)) s)"
check qr-restart-w-healthy "after 7 restarts: $(qr_why)" qr_healthy
check qr-restart-w-not-limited "qr-app-w@1.service Result is $(prop qr-app-w@1.service Result)" \
    test "$(prop qr-app-w@1.service Result)" = success

# Of the whole app (web has a socket, which keeps listening).
for qr_i in 1 2 3 4 5 6 7; do run "qr-restart-all-$qr_i" 0 qr_fa restart; done
check qr-restart-all-healthy "after 7 restarts of the app: $(qr_why)" qr_healthy

# start on running instances queues start jobs too, which systemd counts.
for qr_i in 1 2 3 4 5 6 7; do run "qr-start-running-$qr_i" 0 qr_fa start; done
check qr-start-running-healthy "after 7 starts: $(qr_why)" qr_healthy

# stop and start: the service, its socket and the app target start each time.
for qr_i in 1 2 3 4 5 6 7; do
    run "qr-stop-$qr_i" 0 qr_fa stop
    run "qr-start-$qr_i" 0 qr_fa start
done
check qr-stop-start-healthy "after 7 stops and starts: $(qr_why)" qr_healthy

# apply of a changed environment restarts every instance.
for qr_i in 1 2 3 4 5 6 7; do
    qr_write 1 "$qr_i"
    run "qr-apply-$qr_i" 0 "$formation" -f "$qr_file" apply
done
check qr-apply-restarted "the last apply restarted nothing" has "$work/out" 'restart +qr-app-w@1.service'
check qr-apply-healthy-after "after 7 applies: $(qr_why)" qr_healthy

# scale down and up: each scale up starts instance 2 again.
for qr_i in 1 2 3 4 5 6 7; do
    run "qr-scale-up-$qr_i" 0 qr_fa scale w=2
    run "qr-scale-down-$qr_i" 0 qr_fa scale w=1
done
run qr-scale-up-last 0 qr_fa scale w=2
check qr-scale-healthy "after 15 scales: $(qr_why), w@2 $(state qr-app-w@2.service) $(prop qr-app-w@2.service Result)" \
    eval 'qr_healthy && running qr-app-w@2.service'
check qr-no-failed "failed units of qr-app: $(systemctl list-units --state=failed --all --plain --no-legend 'qr-app*')" qr_no_failed
run qr-status 0 qr_fa status

# A process that crashes by itself is still given up on: its automatic
# restarts do not go through formation, so the limit holds.
cat >"$work/qr-crash.toml" <<'EOF'
app = "qr-crash"

[process.boom]
command = ["sh", "-c", "exit 3"]
restart_delay = "100ms"
start_limit_burst = 5
start_limit_interval = "10min"
EOF
run qr-crash-apply 1 "$formation" -f "$work/qr-crash.toml" apply
check qr-crash-reported "apply did not report the crash: $(head -3 "$work/err")" has "$work/err" 'qr-crash-boom@1.service'
qr_gave_up() { [ "$(prop qr-crash-boom@1.service ActiveState)" = failed ]; }
check qr-crash-gave-up "qr-crash-boom@1 is $(state qr-crash-boom@1.service) after a minute, NRestarts $(prop qr-crash-boom@1.service NRestarts)" \
    wait_for 60 qr_gave_up
qr_limit_logged() { journalctl -q --no-pager -u qr-crash-boom@1.service -o cat | grep -q 'Start request repeated too quickly'; }
check qr-crash-start-limit-hit "the journal of qr-crash-boom@1 has no 'Start request repeated too quickly'" \
    wait_for 10 qr_limit_logged
run qr-crash-status 1 "$formation" -a qr-crash status
check qr-crash-status-gave-up "status does not say systemd gave up: $(grep boom "$work/out" | head -2)" has "$work/out" 'gave up'

run qr-crash-destroy 0 "$formation" -a qr-crash destroy
run qr-destroy 0 qr_fa destroy
check qr-gone "units left: $(systemctl list-units --all --plain --no-legend 'qr-*' | awk '{print $1}' | tr '\n' ' ')" \
    test -z "$(systemctl list-units --all --plain --no-legend 'qr-*')"
