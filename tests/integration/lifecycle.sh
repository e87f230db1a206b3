#!/bin/bash
# The life of an app against a real systemd: apply from zero, idempotent
# re-apply, kill -9, scale up and down, changed command, failing command,
# two apps with prefix-sharing names, stop/start/rolling restart, destroy,
# --dry-run and a bad file. Runs INSIDE the sandbox container:
#   tests/sandbox/sandbox run -- bash tests/integration/lifecycle.sh /abs/path/formation
# The container has formation installed (sandbox --install): apply installs
# /etc/formation/APP.toml and the generator writes the units into
# /run/systemd/generator; the container's / is a throwaway overlay.
set -u
formation=${1:?usage: lifecycle.sh /abs/path/to/formation}
work=/var/tmp/formation-lifecycle
rm -rf "$work" && mkdir -p "$work/none" && cd "$work" || exit 1
units=/run/systemd/generator
etc=/etc/formation
source "$(dirname "$0")/lib.sh"    # check, run, wait_for, prop, state, running, stopped, listening, has

## helpers ------------------------------------------------------------------

mprop() { systemctl show -P "$1"; }                         # mprop PROPERTY (the manager)
pid() { prop "$1" MainPID; }
pids() { local u; for u; do echo "$u $(pid "$u") $(prop "$u" ExecMainStartTimestampMonotonic)"; done; }
# Every file of an app in the generator's directory, with its checksum.
files_of() {  # files_of APP
    (cd "$units" && find . -path "./$1.target" -o -path "./$1-*" -o -path "./multi-user.target.wants/$1.target" \
        | sort | while read -r f; do
            if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"; elif [ -f "$f" ]; then echo "$f $(sha256sum <"$f")"; fi
        done)
}
# Only what belongs to APP: APP-gateway-… is another app's.
only_app() { grep -E "^\./($1\.target|$1-[a-z0-9]+@|multi-user\.target\.wants/$1\.target)"; }
same() {  # same NAME WHAT BEFORE AFTER
    if [ "$3" = "$4" ]; then passed=$((passed + 1)); else
        echo "FAIL $1: $2 changed"; diff <(echo "$3") <(echo "$4") | sed 's/^/    /' | head -20; failed=$((failed + 1)); fi
}
differs_all() {  # differs_all NAME BEFORE AFTER: every unit's PID changed
    local u p q bad=""
    while read -r u p _; do
        q=$(echo "$3" | awk -v u="$u" '$1 == u {print $2}')
        [ "$p" != "$q" ] && [ "$q" -gt 0 ] 2>/dev/null || bad="$bad $u($p→$q)"
    done <<<"$2"
    if [ -z "$bad" ]; then passed=$((passed + 1)); else echo "FAIL $1: not restarted:$bad"; failed=$((failed + 1)); fi
}
mono() { prop "$1" "$2"Monotonic; }                         # mono UNIT ActiveEnterTimestamp
# ascending OP T1 T2…: every T > 0 (a unit that was never up reads 0), each OP the next (-le, -lt).
ascending() {
    local op=$1 prev=""; shift
    for t; do
        [ "${t:-0}" -gt 0 ] || return 1
        [ -z "$prev" ] || [ "$prev" "$op" "$t" ] || return 1
        prev=$t
    done
}
# The journal from here on: cursor=$(journal_mark); journal_since "$cursor".
journal_mark() { journalctl -q -n 0 --show-cursor | sed -n 's/^-- cursor: //p'; }
journal_since() { journalctl -q -o cat _PID=1 --after-cursor="$1"; }
# Units of APP systemd still knows about (not those of APP-gateway).
known_units() {  # known_units APP: "unit load active sub" lines
    systemctl list-units --all --plain --no-legend "$1.target" "$1-*@*.service" |
        awk -v a="$1" '{ u = $1; sub(/^● /, "", u) } u == a ".target" || u ~ "^" a "-[a-z0-9]+@[0-9]+\\.service$"'
}
jobs_total() { mprop NInstalledJobs; }
reloaded_at() { mprop UnitsLoadTimestampMonotonic; }

fm() { "$formation" -f "$work/api.toml" "$@"; }
gw() { "$formation" -f "$work/gateway.toml" "$@"; }

web='exec python3 -m http.server --bind 127.0.0.1 $PORT'
write_api() {  # write_api WEB_COUNT [WEB_COMMAND]
    cat >"$work/api.toml" <<EOF
# The api app: a web type on 7100+ and a worker.
app = "api"

[process.web]
command = "${2:-$web}"
count = $1 # web instances
port = 7100
ready = "port"
restart_delay = "300ms"

[process.worker]
command = "exec sleep infinity"
count = 1
EOF
}
cat >"$work/gateway.toml" <<EOF
app = "api-gateway"

[process.web]
command = "$web"
count = 2
port = 7400
ready = "port"
EOF
write_api 2

## 1. apply from zero -------------------------------------------------------
echo "## [${SECONDS}s] 1 apply from zero"
run apply-from-zero 0 fm apply
check apply-plan-printed "plan does not list the start of api-web@1.service" has "$work/out" 'start +api-web@1\.service'
for u in api-web@1.service api-web@2.service api-worker@1.service; do
    check "apply-running-$u" "$u is $(state $u), wanted active/running" running "$u"
done
check apply-port-7100 "nothing listens on 7100" wait_for 10 listening 7100
check apply-port-7101 "nothing listens on 7101" wait_for 10 listening 7101
check apply-target-active "api.target is $(prop api.target ActiveState)" test "$(prop api.target ActiveState)" = active
# Generated units are enabled by the generator's own wants link.
check apply-target-enabled "api.target is-enabled: $(systemctl is-enabled api.target 2>&1)" \
    test "$(systemctl is-enabled api.target 2>&1)" = generated
check apply-target-wanted "multi-user.target does not want api.target" bash -c "systemctl show -P Wants multi-user.target | grep -qw api.target"
check apply-installed "no $etc/api.toml, or not the file applied" cmp -s "$work/api.toml" "$etc/api.toml"
check apply-last-good "no last good copy" cmp -s "$work/api.toml" "$etc/.last-good/api.toml"
check apply-dropin-port "api-web@2.service.d has no PORT=7101" grep -q 'PORT=7101' "$units/api-web@2.service.d/50-formation.conf"

# The second app, whose name starts with the first's; its units must survive
# everything done to "api" below.
run gateway-apply 0 gw apply
check gateway-running "api-gateway-web@1/2 not running" all_running api-gateway-web@1.service api-gateway-web@2.service
check gateway-port-7400 "nothing listens on 7400" wait_for 10 listening 7400
api_units="api-web@1.service api-web@2.service api-worker@1.service"
gw_units="api-gateway-web@1.service api-gateway-web@2.service"
gw_pids=$(pids $gw_units)
gw_files=$(files_of api-gateway)
check gateway-files-listed "files_of api-gateway found no files" test -n "$gw_files"
gateway_untouched() {  # gateway_untouched AFTER-WHAT
    same "gateway-untouched-by-$1" "api-gateway's MainPIDs/start times" "$gw_pids" "$(pids $gw_units)"
    same "gateway-files-untouched-by-$1" "api-gateway's files" "$gw_files" "$(files_of api-gateway)"
}

## 2. idempotent re-apply ---------------------------------------------------
echo "## [${SECONDS}s] 2 idempotent re-apply"
before=$(pids $api_units $gw_units); jobs0=$(jobs_total); reload0=$(reloaded_at)
files0=$(files_of api)
run reapply 0 fm apply
check reapply-nothing-to-do "output is not 'nothing to do': $(head -3 "$work/out")" test "$(cat "$work/out")" = "nothing to do"
same reapply-no-restart "MainPID/ExecMainStartTimestamp" "$before" "$(pids $api_units $gw_units)"
check reapply-no-reload "daemon-reload happened (UnitsLoadTimestamp $reload0 → $(reloaded_at))" test "$(reloaded_at)" = "$reload0"
check reapply-no-job "jobs were queued (NInstalledJobs $jobs0 → $(jobs_total))" test "$(jobs_total)" = "$jobs0"
same reapply-files "api's files" "$files0" "$(files_of api)"

## 10. apply --dry-run --------------------------------------------------------
echo "## [${SECONDS}s] 10 apply --dry-run"
write_api 3
before=$(pids $api_units); jobs0=$(jobs_total); reload0=$(reloaded_at)
run dry-run 0 fm apply --dry-run
check dry-run-plan-create "plan lacks 'start api-web@3.service'" has "$work/out" 'start +api-web@3\.service'
check dry-run-plan-start "plan lacks 'start api-web@3.service'" has "$work/out" 'start +api-web@3\.service'
check dry-run-no-file "api-web@3.service.d was written" test ! -e "$units/api-web@3.service.d"
same dry-run-files "api's files" "$files0" "$(files_of api)"
same dry-run-pids "MainPIDs" "$before" "$(pids $api_units)"
check dry-run-not-started "api-web@3.service is $(state api-web@3.service)" stopped api-web@3.service
check dry-run-no-reload "daemon-reload happened" test "$(reloaded_at)" = "$reload0"
check dry-run-no-job "jobs were queued (NInstalledJobs $jobs0 → $(jobs_total))" test "$(jobs_total)" = "$jobs0"
cat >"$work/new.toml" <<EOF
app = "newapp"
[process.web]
command = "exec sleep infinity"
EOF
run dry-run-new-app 0 "$formation" -f "$work/new.toml" apply --dry-run
check dry-run-new-app-plan "plan lacks 'install /etc/formation/newapp.toml'" has "$work/out" 'install +/etc/formation/newapp\.toml'
check dry-run-new-app-nothing "files of newapp were written: $(files_of newapp | head -3)" test -z "$(files_of newapp)"
check dry-run-new-app-unknown "newapp.target is loaded: $(known_units newapp)" test -z "$(known_units newapp)"
write_api 2

## 11. a bad formation file ---------------------------------------------------
echo "## [${SECONDS}s] 11 bad formation file"
cp "$work/api.toml" "$work/api.good"
sed -i 's/^count = 2 # web instances$/count = 2 # web instances\nbogus_key = 1/' "$work/api.toml"
before=$(pids $api_units); jobs0=$(jobs_total); reload0=$(reloaded_at)
run bad-file-apply 2 fm apply
check bad-file-where "stderr lacks api.toml:LINE:COL naming bogus_key" has "$work/err" 'api\.toml:[0-9]+:[0-9]+.*bogus_key'
run bad-file-scale 2 fm scale web=3
run bad-file-scale-arg 2 "$formation" -f "$work/api.good" scale web=many
sed -i 's/^bogus_key = 1$//; s/^count = 2 # web instances$/count = -1 # web instances/' "$work/api.toml"
run bad-file-count 2 fm apply
same bad-file-files "api's files" "$files0" "$(files_of api)"
same bad-file-pids "MainPIDs" "$before" "$(pids $api_units)"
check bad-file-no-reload "daemon-reload happened" test "$(reloaded_at)" = "$reload0"
check bad-file-no-job "jobs were queued (NInstalledJobs $jobs0 → $(jobs_total))" test "$(jobs_total)" = "$jobs0"
check bad-file-untouched "scale rewrote the bad file" grep -q '^count = -1 # web instances$' "$work/api.toml"
mv "$work/api.good" "$work/api.toml"

## 3. kill -9 → restarted -----------------------------------------------------
echo "## [${SECONDS}s] 3 kill -9"
old=$(pid api-web@1.service)
kill -9 "$old"
new_pid() { local p; p=$(pid api-web@1.service); [ "$p" -gt 0 ] && [ "$p" != "$old" ] && running api-web@1.service; }
check kill-restarted "no new MainPID for api-web@1 within 10 s (was $old, now $(pid api-web@1.service), $(state api-web@1.service))" \
    wait_for 10 new_pid
check kill-nrestarts "NRestarts=$(prop api-web@1.service NRestarts), wanted ≥ 1" test "$(prop api-web@1.service NRestarts)" -ge 1
check kill-port-back "nothing listens on 7100 after the restart" wait_for 10 listening 7100
check kill-others-untouched "api-web@2 restarted too" test "$(pid api-web@2.service)" = "$(echo "$before" | awk '$1 == "api-web@2.service" {print $2}')"

## 4. scale up and down --------------------------------------------------------
echo "## [${SECONDS}s] 4 scale"
run scale-up 0 fm scale web=4
check scale-up-running "web@1..4 not all running" all_running api-web@{1,2,3,4}.service
check scale-up-port-7103 "nothing listens on 7103" wait_for 10 listening 7103
check scale-up-file "api.toml's count line is not 'count = 4 # web instances'" grep -q '^count = 4 # web instances$' "$work/api.toml"
check scale-up-file-comment "api.toml lost its first comment" grep -q '^# The api app' "$work/api.toml"
check scale-up-target-wants "api.target does not want api-web@4.service" grep -q '^Wants=api-web@4\.service$' "$units/api.target"
gateway_untouched scale-up
survivor=$(pids api-web@1.service api-worker@1.service)
cursor=$(journal_mark)
chmod 0600 "$work/api.toml"   # inline env may be in it: scale must keep it private
run scale-down 0 fm scale web=1
check scale-keeps-mode "api.toml is no longer mode 600" test "$(stat -c %a "$work/api.toml")" = 600
for i in 2 3 4; do
    check "scale-down-stopped-$i" "api-web@$i.service is $(state api-web@$i.service)" stopped "api-web@$i.service"
    check "scale-down-dropin-$i" "api-web@$i.service.d still in $units" test ! -e "$units/api-web@$i.service.d"
done
same scale-down-survivor "api-web@1/worker MainPID" "$survivor" "$(pids api-web@1.service api-worker@1.service)"
# The surplus are the highest indices, planned (and queued) highest first.
# The stop jobs then run concurrently, and systemd begins queued jobs in its
# own order, so the journal's order is not checked (see formation(1)).
stopping() { journal_since "$cursor" | sed -n 's/^Stopping \(api-web@[0-9]*\)\.service.*/\1/p' | sort | tr '\n' ' '; }
wait_for 5 eval '[ "$(stopping | wc -w)" -ge 3 ]'
check scale-down-stopped-set "systemd stopped: $(stopping)— wanted api-web@2 api-web@3 api-web@4" \
    test "$(stopping)" = "api-web@2 api-web@3 api-web@4 "
check scale-down-highest-first "the plan does not stop web@4, @3, @2 in that order" \
    eval "grep -oE 'stop +api-web@[0-9]' '$work/out' | tr -s ' ' | tr '\n' ' ' | grep -qx 'stop api-web@4 stop api-web@3 stop api-web@2 '"
check scale-down-file "api.toml's count line is not 'count = 1 # web instances'" grep -q '^count = 1 # web instances$' "$work/api.toml"
check scale-down-target-wants "api.target still wants api-web@2.service" eval '! grep -q "api-web@2" "$units/api.target"'
check scale-down-dropin "api-web@2.service.d is still generated" test ! -e "$units/api-web@2.service.d"
gateway_untouched scale-down
# Persistent: a restart of the app target brings back exactly one web.
systemctl restart api.target
check scale-persisted-web1 "api-web@1 is $(state api-web@1.service) after restarting api.target" wait_for 10 running api-web@1.service
sleep 0.5
active_web=$(known_units api | awk '$1 ~ /^api-web@/ && $3 == "active"' | wc -l)
check scale-persisted-one "after restarting api.target $active_web web instances are active, wanted 1" test "$active_web" = 1
gw_pids=$(pids $gw_units)  # the restart above is not formation's doing; re-baseline
(cd "$work/none" && run scale-by-app 0 "$formation" -a api scale web=2)
check scale-by-app-running "api-web@2 is $(state api-web@2.service) after scale -a api web=2" running api-web@2.service
check scale-by-app-stored "the installed api.toml does not say count = 2" grep -q '^count = 2' "$etc/api.toml"
check scale-by-app-file-alone "scale -a changed api.toml" grep -q '^count = 1 # web instances$' "$work/api.toml"
gateway_untouched scale-by-app
# Relative counts start from the installed formation (2 here, FILE says 1),
# under the lock: two `web=+1` at once both land.
run scale-plus-one 0 fm scale web=+1
check scale-plus-one-running "api-web@3 is $(state api-web@3.service) after scale web=+1" running api-web@3.service
check scale-plus-one-file "api.toml's count line is not 'count = 3 # web instances'" grep -q '^count = 3 # web instances$' "$work/api.toml"
(cd "$work/none" && "$formation" -q -a api scale web=+1 & "$formation" -q -a api scale web=+1 & wait)
check scale-plus-two-stored "the installed api.toml does not say count = 5 after two web=+1 at once" grep -q '^count = 5' "$etc/api.toml"
check scale-plus-two-running "api-web@5 is $(state api-web@5.service)" running api-web@5.service
run scale-minus-too-far 2 "$formation" -a api scale web=-6
check scale-minus-too-far-says "scale web=-6 did not say why" has "$work/err" "would make web's count -1 \(it is 5\)"
run scale-minus-three 0 "$formation" -a api scale web=-3
check scale-minus-three-stopped "api-web@3 is $(state api-web@3.service) after web=-3" stopped api-web@3.service
check scale-minus-three-kept "api-web@2 is $(state api-web@2.service) after web=-3" running api-web@2.service
gateway_untouched scale-relative
write_api 2  # the file catches up with what runs

## 7. the other way round: api-gateway's verbs leave api alone ------------------
echo "## [${SECONDS}s] 7 two apps"
api_pids=$(pids $api_units); api_files=$(files_of api)
run gateway-scale-up 0 gw scale web=3
run gateway-scale-down 0 gw scale web=2
run gateway-stop 0 gw stop web
check gateway-stopped "api-gateway-web@1 is $(state api-gateway-web@1.service)" stopped api-gateway-web@1.service
run gateway-start 0 gw start web
check gateway-started "api-gateway-web@1 is $(state api-gateway-web@1.service)" running api-gateway-web@1.service
same api-untouched-by-gateway "api's MainPIDs" "$api_pids" "$(pids $api_units)"
same api-files-untouched-by-gateway "api's files" "$api_files" "$(files_of api)"
gw_pids=$(pids $gw_units); gw_files=$(files_of api-gateway)

## 5. a changed command ---------------------------------------------------------
echo "## [${SECONDS}s] 5 changed command"
before_web=$(pids api-web@1.service api-web@2.service); before_worker=$(pids api-worker@1.service)
write_api 2 "$web --directory /"
run changed-apply 0 fm apply
check changed-plan "plan lacks 'restart api-web@1.service'" has "$work/out" 'restart +api-web@1\.service'
differs_all changed-restarted "$before_web" "$(pids api-web@1.service api-web@2.service)"
same changed-worker-untouched "api-worker@1 MainPID" "$before_worker" "$(pids api-worker@1.service)"
check changed-new-command "api-web@1 does not run the new command" \
    eval 'tr "\0" " " </proc/$(pid api-web@1.service)/cmdline | grep -q -- "--directory /"'
up1=$(mono api-web@1.service ActiveEnterTimestamp) down2=$(mono api-web@2.service ActiveExitTimestamp)
check changed-rolling "web@2 went down at $down2, before web@1 was back at $up1: not one at a time" ascending -le "$up1" "$down2"
check changed-ports "7100/7101 not listening after the restart" eval 'listening 7100 && listening 7101'
gateway_untouched changed-command

## 8. stop / start / rolling restart ---------------------------------------------
echo "## [${SECONDS}s] 8 stop, start, restart"
worker=$(pids api-worker@1.service)
run stop-web 0 fm stop web
check stop-web-stopped "web instances still up: $(state api-web@1.service) $(state api-web@2.service)" \
    eval 'stopped api-web@1.service && stopped api-web@2.service'
same stop-web-worker "api-worker@1 MainPID" "$worker" "$(pids api-worker@1.service)"
check stop-web-port "7100 still listening" eval '! listening 7100'
run start-web 0 fm start web
check start-web-running "web instances not running" all_running api-web@1.service api-web@2.service
check start-web-port "7101 not listening after start (ready = port)" listening 7101
same start-web-worker "api-worker@1 MainPID" "$worker" "$(pids api-worker@1.service)"
run stop-all 0 fm stop
check stop-all-stopped "api instances still up" eval 'stopped api-web@1.service && stopped api-worker@1.service'
check stop-all-target "api.target is $(prop api.target ActiveState)" test "$(prop api.target ActiveState)" = inactive
run start-all 0 fm start
check start-all-running "api instances not running" all_running $api_units
check start-all-target "api.target is $(prop api.target ActiveState)" test "$(prop api.target ActiveState)" = active
gateway_untouched stop-start
worker=$(pids api-worker@1.service)  # `stop` and `start` above restarted it
run scale-3 0 fm scale web=3
restart_units="api-web@1.service api-web@2.service api-web@3.service"
before=$(pids $restart_units)
run restart 0 fm restart web
differs_all restart-new-pids "$before" "$(pids $restart_units)"
u1=$(mono api-web@1.service ActiveEnterTimestamp) u2=$(mono api-web@2.service ActiveEnterTimestamp) u3=$(mono api-web@3.service ActiveEnterTimestamp)
d2=$(mono api-web@2.service ActiveExitTimestamp) d3=$(mono api-web@3.service ActiveExitTimestamp)
check restart-ordered "ActiveEnterTimestamps web@1 $u1, web@2 $u2, web@3 $u3: not distinct and ordered" ascending -lt "$u1" "$u2" "$u3"
check restart-rolling "web@2 went down at $d2 (web@1 up at $u1), web@3 at $d3 (web@2 up at $u2): not one at a time" \
    eval 'ascending -le "$u1" "$d2" && ascending -le "$u2" "$d3"'
check restart-listening "7100..7102 not all listening after restart" eval 'listening 7100 && listening 7101 && listening 7102'
same restart-worker "api-worker@1 MainPID (restart web only)" "$worker" "$(pids api-worker@1.service)"
# Everything, in the order formation reports: each instance goes down only
# after the one before it is back.
before=$(pids $restart_units api-worker@1.service)
run restart-all 0 fm restart
differs_all restart-all-new-pids "$before" "$(pids $restart_units api-worker@1.service)"
order=$(sed -n 's/^restarted //p' "$work/out")
check restart-all-each "formation reported restarting: $(echo $order)" test "$(echo "$order" | sort | tr '\n' ' ')" = "$(echo $restart_units api-worker@1.service | tr ' ' '\n' | sort | tr '\n' ' ')"
times=() prev=""
for u in $order; do
    [ -n "$prev" ] && times+=("$(mono "$prev" ActiveEnterTimestamp)" "$(mono "$u" ActiveExitTimestamp)")
    prev=$u
done
check restart-all-rolling "(previous up, next down) pairs in µs: ${times[*]}: not one at a time" ascending -le "${times[@]}"
gateway_untouched restart

## 6. a command that fails --------------------------------------------------------
echo "## [${SECONDS}s] 6 failing command"
cat >"$work/crash.toml" <<'EOF'
app = "crash"
[process.good]
command = "exec sleep infinity"
count = 2
[process.bad]
command = "test -e /run/fm-crash-fixed && exec sleep infinity; echo boom-$PORT; exit 3"
port = 7300
restart_delay = "200ms"
EOF
run crash-apply 1 "$formation" -f "$work/crash.toml" apply
check crash-journal-line "apply's stderr lacks the journal line 'boom-7300'" has "$work/err" 'boom-7300'
check crash-names-unit "apply's stderr does not name crash-bad@1.service" has "$work/err" 'crash-bad@1\.service'
check crash-good-running "crash-good@1/2 not running" all_running crash-good@1.service crash-good@2.service
check crash-target "crash.target is $(prop crash.target ActiveState)" test "$(prop crash.target ActiveState)" = active
# Dropping the failing type: its failed instance must not linger as a failed unit.
check crash-bad-failed "crash-bad@1 is $(state crash-bad@1.service), wanted failed (start limit)" \
    wait_for 15 systemctl is-failed -q crash-bad@1.service
# Fixed, a unit at its start limit starts again with `start` (which resets
# what failed, and only that: crash-good's instances keep their processes).
good_pid=$(prop crash-good@1.service MainPID)
touch /run/fm-crash-fixed
run crash-start-again 0 "$formation" -a crash start bad
check crash-start-again-running "crash-bad@1 is $(state crash-bad@1.service) after start" running crash-bad@1.service
check crash-start-again-good "crash-good@1 changed process" test "$(prop crash-good@1.service MainPID)" = "$good_pid"
rm -f /run/fm-crash-fixed
systemctl kill -s KILL crash-bad@1.service
check crash-bad-failed-again "crash-bad@1 is $(state crash-bad@1.service), wanted failed again" \
    wait_for 15 systemctl is-failed -q crash-bad@1.service
sed -i '/^\[process.bad\]$/,$d' "$work/crash.toml"
run crash-drop-type 0 "$formation" -f "$work/crash.toml" apply
check crash-drop-type-plan "plan does not say it forgets crash-bad@1.service" has "$work/out" 'forget +crash-bad@1\.service'
check crash-drop-type-file "crash-bad@.service still installed" test ! -e "$units/crash-bad@.service"
check crash-drop-type-unit "crash-bad@1 still known to systemd: $(known_units crash | grep bad)" \
    eval '! known_units crash | grep -q "^crash-bad@"'
check crash-drop-type-good "crash-good@1/2 not running" all_running crash-good@1.service crash-good@2.service
cat >"$work/missing.toml" <<'EOF'
app = "missing"
[process.good]
command = "exec sleep infinity"
[process.gone]
command = ["/nonexistent/program", "--serve"]
EOF
run missing-apply 1 "$formation" -f "$work/missing.toml" apply
check missing-journal-line "apply's stderr lacks systemd's line about /nonexistent/program" has "$work/err" 'nonexistent/program'
check missing-good-running "missing-good@1 not running" running missing-good@1.service
run crash-destroy 0 "$formation" -f "$work/crash.toml" destroy
run missing-destroy 0 "$formation" -f "$work/missing.toml" destroy
check crash-destroy-units "crash units left: $(known_units crash | tr '\n' ';')" test -z "$(known_units crash)"
check missing-destroy-units "missing units left: $(known_units missing | tr '\n' ';')" test -z "$(known_units missing)"
check crash-destroy-files "crash files left: $(files_of crash | tr '\n' ' ')" test -z "$(files_of crash)"
gateway_untouched crash

## 9. destroy ------------------------------------------------------------------------
echo "## [${SECONDS}s] 9 destroy"
run destroy 0 fm destroy
check destroy-files "files of api left: $(files_of api | only_app api | tr '\n' ' ')" test -z "$(files_of api | only_app api)"
check destroy-formation-dir "left in $etc: $(ls -a "$etc" "$etc/.last-good" | grep '^api\.' | tr '\n' ' ')" \
    eval '! ls -a "$etc" "$etc/.last-good" | grep -q "^api\."'
check destroy-units "systemd still knows: $(known_units api | tr '\n' ';')" test -z "$(known_units api)"
check destroy-not-enabled "api.target is-enabled: $(systemctl is-enabled api.target 2>&1)" eval '! systemctl is-enabled -q api.target 2>/dev/null'
check destroy-port "7100 still listening" eval '! listening 7100'
check destroy-no-process "api processes remain: $(pgrep -af 'http.server --bind 127.0.0.1 710' | head -3)" \
    eval '! pgrep -f "http.server --bind 127.0.0.1 710" >/dev/null'
check destroy-gateway-runs "api-gateway not running after destroying api" all_running $gw_units
gateway_untouched destroy
run destroy-again 2 fm destroy
run gateway-destroy 0 gw destroy
check gateway-destroy-units "systemd still knows: $(known_units api-gateway | tr '\n' ';')" test -z "$(known_units api-gateway)"
check gateway-destroy-files "files of api-gateway left: $(files_of api-gateway | tr '\n' ' ')" test -z "$(files_of api-gateway)"

finish lifecycle
