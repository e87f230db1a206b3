#!/bin/bash
# The host model against a real systemd, inside the test container after
# `meson install`: the installed formation file is the only truth and
# formation's generator makes the units at every daemon-reload.
#   tests/sandbox/sandbox run --install BUILD -- bash tests/integration/host_model.sh /abs/formation
set -u
formation=${1:?usage: host_model.sh /abs/path/to/formation}
work=/var/tmp/formation-host-model
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
source "$(dirname "$0")/lib.sh"
gen=/run/systemd/generator
etc=/etc/formation

sleeper() {  # sleeper APP TYPE=COUNT… : a formation of sleeping types
    local app=$1; shift
    echo "app = \"$app\""
    local tc
    for tc; do
        printf '[process.%s]\ncommand = "exec sleep infinity"\ncount = %s\nstop_timeout = "5s"\n' "${tc%%=*}" "${tc#*=}"
    done
}

## 1. A file dropped into /etc/formation + daemon-reload makes the units ----
echo "## [${SECONDS}s] 1 dropped file"
mkdir -p "$etc"
sleeper drop web=2 worker=1 >"$etc/drop.toml"
systemctl daemon-reload
check drop-units "no drop-web@.service in $gen" test -f "$gen/drop-web@.service"
check drop-sourcepath "drop.target does not name its source" test "$(prop drop.target SourcePath)" = "$etc/drop.toml"
check drop-enabled "no wants link for drop.target" test -L "$gen/multi-user.target.wants/drop.target"
systemctl start drop.target
check drop-running "drop's instances: $(active_of drop | tr '\n' ' ')" \
    wait_for 10 bash -c "[ \"\$(systemctl list-units --plain --no-legend 'drop-*@*.service' --state=active | wc -l)\" = 3 ]"
run drop-status 0 "$formation" -a drop status
check drop-status-lists "status lacks drop-worker@1" has "$work/out" 'drop-worker@1\.service +active/running'

## 2. A broken file beside a good one: the good app runs, the error is logged
echo "## [${SECONDS}s] 2 broken beside good"
printf 'app = "broken"\n[process.web]\ncommand = "x"\ncout = 2\n' >"$etc/broken.toml"
systemctl daemon-reload
check broken-no-units "units were generated for broken" test ! -e "$gen/broken.target"
check broken-good-stays "drop stopped running" all_running drop-web@1.service drop-web@2.service drop-worker@1.service
# (broken.toml is new in this boot: anything about it is from this reload)
genlog() { journalctl -q -b -t formation-generator -o cat >"$work/genlog"; grep -qF -- "$1" "$work/genlog"; }
check broken-journal "the journal lacks the generator's error: $(cat "$work/genlog" 2>/dev/null)" \
    wait_for 5 genlog "$etc/broken.toml:4:1: unknown key \"cout\" in [process.web]"
check broken-journal-skip "the journal lacks 'broken: no units generated'" genlog "broken: no units generated"
run broken-apply-refused 2 "$formation" -f "$etc/broken.toml" apply
rm -f "$etc/broken.toml"

## 3. An installed file broken by hand: the app runs on its last good units
echo "## [${SECONDS}s] 3 last good"
sleeper shop web=2 >"$work/shop.toml"
run last-good-apply 0 "$formation" -f "$work/shop.toml" apply
check last-good-copy "no last good copy" cmp -s "$work/shop.toml" "$etc/.last-good/shop.toml"
pid1=$(prop shop-web@1.service MainPID)
echo 'count = "many"' >>"$etc/shop.toml"
systemctl daemon-reload
check last-good-still-units "shop's units are gone" test -f "$gen/shop-web@.service"
check last-good-running "shop-web@1 is $(state shop-web@1.service)" running shop-web@1.service
check last-good-same-pid "shop-web@1 was restarted by the reload" test "$(prop shop-web@1.service MainPID)" = "$pid1"
systemctl restart shop-web@2.service
check last-good-restartable "shop-web@2 did not come back after a restart" running shop-web@2.service
run last-good-status 0 "$formation" -a shop status
check last-good-status-says "status does not say it runs on its last good formation" \
    has "$work/err" "is invalid; shop runs on its last good formation"
run last-good-list 0 "$formation" list
check last-good-list-says "list does not say so" has "$work/out" "shop .*on its last good formation"
cp "$work/shop.toml" "$etc/shop.toml"   # mended by hand
systemctl daemon-reload

## 4. A description-only change restarts nothing; a command change does
echo "## [${SECONDS}s] 4 restarts by configuration"
pids=$(for u in shop-web@1.service shop-web@2.service; do prop $u MainPID; done)
sed -i '1a description = "Words only"\n# a comment' "$work/shop.toml"
run desc-apply 0 "$formation" -f "$work/shop.toml" apply
check desc-installs "plan does not install" has "$work/out" "install $etc/shop.toml"
check desc-no-restart "plan restarts something" bash -c "! grep -q restart '$work/out'"
check desc-same-pids "PIDs changed" test "$(for u in shop-web@1.service shop-web@2.service; do prop $u MainPID; done)" = "$pids"
check desc-reloaded "the unit's description is not the new one" test "$(prop shop-web@1.service Description)" = "Words only (web.1)"
sed -i 's/exec sleep infinity/exec sleep 1000000/' "$work/shop.toml"
run cmd-apply 0 "$formation" -f "$work/shop.toml" apply
check cmd-restarts "plan does not restart web@1" has "$work/out" "restart shop-web@1.service"
check cmd-new-pid "web@1 kept its PID" test "$(prop shop-web@1.service MainPID)" != "${pids%%$'\n'*}"
run cmd-again 0 "$formation" -f "$work/shop.toml" apply
check cmd-again-nothing "second apply did something: $(cat "$work/out")" has "$work/out" "^nothing to do$"

## 4c. A symlinked FILE stays a symlink when scale edits its count line
mkdir -p "$work/repo"
sleeper linked web=1 >"$work/repo/formation.toml"
ln -s "$work/repo/formation.toml" "$work/linked.toml"
run linked-apply 0 "$formation" -f "$work/linked.toml" apply
run linked-scale 0 "$formation" -f "$work/linked.toml" scale web=2
check linked-still-link "linked.toml is no longer a symlink" test -L "$work/linked.toml"
check linked-target-edited "the link's target does not say count = 2" grep -q '^count = 2' "$work/repo/formation.toml"
check linked-installed "the installed file does not say count = 2" grep -q '^count = 2' "$etc/linked.toml"
run linked-destroy 0 "$formation" -a linked destroy

## 5. A removed type is stopped with its own stop signal and timeout -------
echo "## [${SECONDS}s] 5 removed type"
cat >"$work/sig.toml" <<'T'
app = "sig"
[process.web]
command = "exec sleep infinity"
[process.drain]
# Ignores SIGTERM, leaves on SIGUSR1 with a last word.
command = ["/usr/bin/python3", "-c", "import signal,sys,time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\ndef bye(*a):\n    print('drained on USR1', flush=True); sys.exit(0)\nsignal.signal(signal.SIGUSR1, bye)\nprint('handlers set', flush=True)\nwhile True: time.sleep(1)\n"]
stop_signal = "SIGUSR1"
stop_timeout = "3s"
T
run sig-apply 0 "$formation" -f "$work/sig.toml" apply
check sig-running "sig-drain@1 is $(state sig-drain@1.service)" wait_for 5 running sig-drain@1.service
# Python installs its handler a moment after exec: a SIGUSR1 before that kills it silently.
check sig-handlers "sig-drain@1 never said its handlers were set" \
    wait_for 20 bash -c "journalctl -q -u sig-drain@1.service -o cat | grep -q 'handlers set'"
cursor=$(journalctl -q -n 0 --show-cursor | sed -n 's/^-- cursor: //p')
sed -i '/^\[process.drain\]/,$d' "$work/sig.toml"
run sig-remove 0 "$formation" -f "$work/sig.toml" apply
check sig-plan-order "the stop is not planned before the install" \
    bash -c "grep -n 'stop    sig-drain@1' '$work/out' | cut -d: -f1 | { read a; b=\$(grep -n 'install ' '$work/out' | cut -d: -f1); [ \"\$a\" -lt \"\$b\" ]; }"
check sig-stopped "sig-drain@1 is $(state sig-drain@1.service)" stopped sig-drain@1.service
# journald reads the stdout stream asynchronously: give its last line a moment.
check sig-own-signal "it was not stopped with SIGUSR1 (no 'drained on USR1' in its log)" \
    wait_for 15 bash -c "journalctl -q --after-cursor='$cursor' -u sig-drain@1.service -o cat | grep -q 'drained on USR1'"
check sig-template-gone "the template is still generated" test ! -e "$gen/sig-drain@.service"
check sig-web-stays "sig-web@1 is $(state sig-web@1.service)" running sig-web@1.service

## 6. systemd's own names are refused -------------------------------------
echo "## [${SECONDS}s] 6 reserved names"
for app in default sockets timers; do
    sleeper $app web=1 >"$work/$app.toml"
    run reserved-$app 2 "$formation" -f "$work/$app.toml" apply
    check reserved-$app-says "no reason given" has "$work/err" "would make $app.target, a unit of systemd's own"
    check reserved-$app-nothing "something was installed" test ! -e "$etc/$app.toml"
done
check reserved-default-target "default.target changed: $(prop default.target FragmentPath)" \
    test "$(prop default.target FragmentPath)" != "$gen/default.target"

## 7. A unit name formation did not generate is never taken over -----------
echo "## [${SECONDS}s] 7 shadowing"
printf '[Service]\nExecStart=/bin/sleep infinity\n' >/etc/systemd/system/mine-web@.service
systemctl daemon-reload
sleeper mine web=1 >"$work/mine.toml"
run shadow-refused 1 "$formation" -f "$work/mine.toml" apply
check shadow-names-file "the message does not name the unit's file" \
    has "$work/err" "mine-web@1.service is already loaded from /etc/systemd/system/mine-web@.service"
check shadow-nothing-installed "mine.toml was installed" test ! -e "$etc/mine.toml"
rm /etc/systemd/system/mine-web@.service; systemctl daemon-reload

## 8. apply --dry-run as a user that is not root writes nothing ------------
echo "## [${SECONDS}s] 8 dry run"
sleeper dry web=2 >"$work/dry.toml"; chmod 644 "$work/dry.toml"
before=$(find /etc/formation /run/formation /var/lib/formation -printf '%p %s %T@\n' 2>/dev/null | sort)
run dry-run-nobody 0 setpriv --reuid=65534 --regid=65534 --clear-groups "$formation" -f "$work/dry.toml" apply --dry-run
check dry-run-plan "dry run printed no plan" has "$work/out" 'start +dry-web@2\.service'
check dry-run-wrote-nothing "files changed" test "$(find /etc/formation /run/formation /var/lib/formation -printf '%p %s %T@\n' 2>/dev/null | sort)" = "$before"
run apply-nobody-refused 1 setpriv --reuid=65534 --regid=65534 --clear-groups "$formation" -f "$work/dry.toml" apply
check apply-nobody-says "no hint to use root: $(cat "$work/err")" has "$work/err" "run as root, or use --user"
check apply-nobody-nothing "a non-root apply installed something" test ! -e "$etc/dry.toml"

## 9. Without the generator, apply refuses and says how to install it -------
echo "## [${SECONDS}s] 9 no generator"
g=$(ls /usr/local/lib/systemd/system-generators/formation-generator)
mv "$g" "$work/saved-generator"
run no-generator 1 "$formation" -f "$work/dry.toml" apply
check no-generator-says "no hint" has "$work/err" "generator is not installed.*meson install"
check no-generator-nothing "dry.toml was installed" test ! -e "$etc/dry.toml"
mv "$work/saved-generator" "$g"

## 10. Concurrent scales both land; another app is never held up -----------
echo "## [${SECONDS}s] 10 concurrency"
sleeper race web=1 worker=1 >"$work/race.toml"
run race-apply 0 "$formation" -f "$work/race.toml" apply
"$formation" -q -a race scale web=4 >"$work/s1" 2>&1 & p1=$!
"$formation" -q -a race scale worker=3 >"$work/s2" 2>&1 & p2=$!
wait $p1; r1=$?; wait $p2; r2=$?
check race-both-ok "scales exited $r1 and $r2: $(cat "$work/s1" "$work/s2")" test "$r1$r2" = 00
check race-installed "installed counts: $(grep count "$etc/race.toml" | tr '\n' ' ')" \
    bash -c "grep -A3 'process.web' '$etc/race.toml' | grep -q 'count = 4' && grep -A3 'process.worker' '$etc/race.toml' | grep -q 'count = 3'"
check race-running "active: $(active_of race | tr '\n' ' ')" test "$(active_of race | wc -l)" = 7
# A slow rolling restart of race (each instance takes 2 s to stop) holds race's lock only.
cat >"$work/slow.toml" <<'T'
app = "slow"
[process.web]
command = ["/usr/bin/python3", "-c", "import signal,time\nsignal.signal(signal.SIGTERM, lambda *a: (time.sleep(2), exit(0)))\nwhile True: time.sleep(1)\n"]
count = 3
T
run slow-apply 0 "$formation" -f "$work/slow.toml" apply
"$formation" -q -a slow restart >"$work/slow.out" 2>&1 & slowpid=$!
sleep 0.5
t0=$SECONDS
sleeper other web=1 >"$work/other.toml"
run other-apply-while-slow 0 env FORMATION_LOCK_TIMEOUT=3 "$formation" -f "$work/other.toml" apply
check other-not-held "apply of another app waited for the rolling restart" kill -0 $slowpid
run same-app-waits 1 env FORMATION_LOCK_TIMEOUT=1 "$formation" -a slow scale web=2
check same-app-says "no lock message" has "$work/err" "another formation command is still working on app slow"
wait $slowpid
check slow-restart-ok "rolling restart failed: $(cat "$work/slow.out")" test $? = 0

## 11. A killed apply leaves nothing the next apply does not converge ------
echo "## [${SECONDS}s] 11 killed apply"
cat >"$work/kill.toml" <<'T'
app = "kill"
[process.web]
command = "exec sleep infinity"
count = 2
[process.slow]
# Takes 1 s to stop, so a kill lands inside the stop now and then.
command = ["/usr/bin/python3", "-c", "import signal,time\nsignal.signal(signal.SIGTERM, lambda *a: (time.sleep(1), exit(0)))\nwhile True: time.sleep(1)\n"]
count = 3
T
grep -v '^\[process.slow\]' "$work/kill.toml" | sed '/^# Takes/,$d' >"$work/kill-noslow.toml"
leaks=0
for delay in 0.05 0.2 0.4 0.7 1.0 1.3; do
    "$formation" -q -f "$work/kill.toml" apply >/dev/null 2>&1
    "$formation" -q -f "$work/kill-noslow.toml" apply >/dev/null 2>&1 & k=$!
    sleep $delay; kill -9 $k 2>/dev/null; wait $k 2>/dev/null
    "$formation" -q -f "$work/kill-noslow.toml" apply >"$work/repair" 2>&1
    left=$(active_of kill | grep slow || true)
    if [ -n "$left" ]; then echo "    killed after ${delay}s: still running after the repair apply: $left"; leaks=$((leaks + 1)); fi
    st=$("$formation" -a kill status 2>&1)
    grep -q 'slow' <<<"$st" && [ -n "$left" ] || true
done
check killed-apply-converges "$leaks of 6 killed applies left slow instances running" test "$leaks" = 0
check killed-apply-web "kill-web instances: $(active_of kill | tr '\n' ' ')" test "$(active_of kill | tr '\n' ' ')" = "kill-web@1.service kill-web@2.service "
# An instance nothing lists any more is still seen and stopped.
systemctl start kill-web@9.service 2>/dev/null || true
run orphan-status 0 "$formation" -a kill status
check orphan-seen "status does not show kill-web@9" has "$work/out" "kill-web@9"
run orphan-stop 0 "$formation" -a kill stop
check orphan-stopped "kill-web@9 is $(state kill-web@9.service)" stopped kill-web@9.service

## 12. Without a bus daemon, formation talks to systemd's private socket ---
echo "## [${SECONDS}s] 12 no dbus"
systemctl stop dbus.socket dbus.service
run nodbus-status 0 "$formation" -a shop status
check nodbus-status-rows "status lacks shop-web@1" has "$work/out" 'shop-web@1\.service +active/running'
run nodbus-scale 0 "$formation" -a shop scale web=3
check nodbus-scaled "shop-web@3 is $(state shop-web@3.service)" wait_for 5 running shop-web@3.service
systemctl start dbus.socket

## 13. destroy removes the installed file; the units go with it -------------
echo "## [${SECONDS}s] 13 destroy"
run destroy 0 "$formation" -a shop destroy
check destroy-file "$etc/shop.toml is still there" test ! -e "$etc/shop.toml"
check destroy-last-good "the last good copy is still there" test ! -e "$etc/.last-good/shop.toml"
check destroy-units "shop's units are still generated" test ! -e "$gen/shop.target"
check destroy-none-left "shop instances left: $(instances_of shop | tr '\n' ' ')" test -z "$(instances_of shop)"
check destroy-others "drop was touched" all_running drop-web@1.service drop-worker@1.service

finish host-model
