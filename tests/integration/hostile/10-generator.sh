# Issue 19, item 1: no installed file can cost another app its units. A
# healthy app runs; then files 100,000 levels deep (a dotted key, a table
# header, arrays: they overflowed the parser's stack and killed the whole
# generator, so at the next daemon-reload the healthy app became not-found)
# are dropped into /etc/formation, and, with the generator's test hook
# (FORMATION_GENERATOR_TEST_CRASH in DefaultEnvironment=, see
# formation-generator(8)), a file whose
# reading process dies of SIGSEGV. After each daemon-reload the healthy
# app's units are still loaded from the generator, its instances still run
# with the same PIDs, and the journal names each hostile file; an app whose
# file crashes the reader but that has a last good copy runs on it. Sourced
# by hostile.sh: $formation, $work and lib.sh's helpers; names prefixed gen_
# (apps gen-…).

gen_repeat() { yes -- "$1" | head -n "$2" | tr -d '\n'; }
gen_pids() { echo "$(prop gen-ok-web@1.service MainPID) $(prop gen-ok-web@2.service MainPID)"; }
gen_cursor() { journalctl -q -n 0 --show-cursor | sed -n 's/^-- cursor: //p'; }
# What the generator logged since the cursor, in $work/journal. Not with
# -t: journalctl --after-cursor with a match skips the first entry that
# matches when the cursor's own entry does not.
gen_logged() {
    journalctl -q --after-cursor="$gen_since" -o short-unix 2>/dev/null |
        sed -n 's/^[0-9.]* [^ ]* formation-generator\[[0-9]*\]: //p' >"$work/journal"
}
# gen_journal NAME PATTERN: the generator logged PATTERN (journald may take a moment).
gen_journal() {
    local name=$1 pattern=$2
    if wait_for 10 eval 'gen_logged && has "$work/journal" "$pattern"'; then passed=$((passed + 1)); else
        echo "FAIL $name: the journal lacks /$pattern/:"; sed 's/^/    /' "$work/journal" | cut -c1-200 | head -20
        failed=$((failed + 1))
    fi
}
# gen_healthy NAME: gen-ok's units loaded from the generator, its instances
# running with the PIDs they had, its target active.
gen_healthy() {
    check "$1-loaded" "gen-ok-web@1 is $(prop gen-ok-web@1.service LoadState), from $(prop gen-ok-web@1.service FragmentPath)" \
        eval '[ "$(prop gen-ok-web@1.service LoadState)" = loaded ] && [ "$(prop gen-ok-web@1.service FragmentPath)" = /run/systemd/generator/gen-ok-web@.service ]'
    check "$1-target" "gen-ok.target is $(prop gen-ok.target LoadState)/$(prop gen-ok.target ActiveState)" \
        eval '[ "$(prop gen-ok.target LoadState)/$(prop gen-ok.target ActiveState)" = loaded/active ]'
    check "$1-running" "gen-ok's instances are $(state gen-ok-web@1.service), $(state gen-ok-web@2.service)" \
        all_running gen-ok-web@1.service gen-ok-web@2.service
    check "$1-same-pids" "gen-ok's PIDs changed: $gen_pids_before -> $(gen_pids)" test "$(gen_pids)" = "$gen_pids_before"
}
gen_no_units() {  # gen_no_units NAME APP
    check "$1" "$2 has units: $(systemctl list-units --all --plain --no-legend "$2*" | head -3)" \
        test "$(prop "$2.target" LoadState)" = not-found
}

## A healthy app, applied and running ------------------------------------------
cat >"$work/gen-ok.toml" <<'EOF'
app = "gen-ok"
[process.web]
command = ["sleep", "infinity"]
count = 2
EOF
run gen-ok-apply 0 "$formation" -f "$work/gen-ok.toml" apply
check gen-ok-up "gen-ok is not running" all_running gen-ok-web@1.service gen-ok-web@2.service
gen_pids_before=$(gen_pids)

## Files 100,000 levels deep, beside it ------------------------------------------
{ echo 'app = "gen-dotted"'; gen_repeat a. 100000; echo 'b = 1'; } >/etc/formation/gen-dotted.toml
{ echo 'app = "gen-header"'; printf '['; gen_repeat t. 100000; echo 't]'; } >/etc/formation/gen-header.toml
{ echo 'app = "gen-arrays"'; printf 'x = '; gen_repeat '[' 100000; gen_repeat ']' 100000; echo; } >/etc/formation/gen-arrays.toml
check gen-deep-size "the dotted file is not about 200 KB" test "$(stat -c %s /etc/formation/gen-dotted.toml)" -gt 190000
gen_since=$(gen_cursor)
run gen-deep-reload 0 systemctl daemon-reload
gen_healthy gen-deep
gen_journal gen-deep-dotted-logged "/etc/formation/gen-dotted\.toml:2:129: nested too deeply"
gen_journal gen-deep-header-logged "/etc/formation/gen-header\.toml:2:130: nested too deeply"
gen_journal gen-deep-arrays-logged "/etc/formation/gen-arrays\.toml:2:69: nested too deeply"
gen_journal gen-deep-no-units-logged "gen-dotted: no units generated"
gen_no_units gen-deep-dotted-no-units gen-dotted
gen_no_units gen-deep-header-no-units gen-header
# The command line refuses the installed file the same way (no crash).
run gen-deep-status 2 "$formation" -a gen-dotted status
check gen-deep-status-position "status does not name gen-dotted.toml:2:129" has "$work/err" "gen-dotted\.toml:2:129: error: nested too deeply"
run gen-deep-list 0 "$formation" list
check gen-deep-list-says "list does not call gen-dotted invalid" has "$work/out" "gen-dotted.*invalid file"
check gen-deep-list-ok "list does not show gen-ok" has "$work/out" "gen-ok"

## A file whose reading crashes (the test hook), and gen-ok itself crashing --------
cat >/etc/formation/gen-boom.toml <<'EOF'
app = "gen-boom"
[process.web]
command = ["sleep", "infinity"]
EOF
# systemd gives generators its own environment: DefaultEnvironment= reaches
# them at the next daemon-reload, `systemctl set-environment` does not.
mkdir -p /etc/systemd/system.conf.d
printf '[Manager]\nDefaultEnvironment=FORMATION_GENERATOR_TEST_CRASH=gen-boom,gen-ok\n' \
    >/etc/systemd/system.conf.d/50-formation-gen-test.conf
gen_since=$(gen_cursor)
run gen-crash-reload 0 systemctl daemon-reload
gen_journal gen-crash-boom-logged "/etc/formation/gen-boom\.toml: the process reading this file (was killed by signal 11|exited)"
gen_journal gen-crash-boom-no-units "gen-boom: no units generated"
gen_no_units gen-crash-boom-no-units-loaded gen-boom
# gen-ok's own file crashed its reader: its last good copy (apply kept one) makes the same units.
gen_journal gen-crash-ok-last-good "gen-ok: /etc/formation/gen-ok\.toml crashed the generator; running on its last good formation"
gen_healthy gen-crash
gen_journal gen-crash-deep-still-logged "gen-header\.toml:2:130: nested too deeply"

## Cleanup: without the hook and the hostile files, nothing of them is left ------
rm -f /etc/systemd/system.conf.d/50-formation-gen-test.conf
rm -f /etc/formation/gen-dotted.toml /etc/formation/gen-header.toml /etc/formation/gen-arrays.toml /etc/formation/gen-boom.toml
gen_since=$(gen_cursor)
run gen-clean-reload 0 systemctl daemon-reload
gen_healthy gen-clean
gen_logged
check gen-clean-quiet "the generator still logged: $(head -3 "$work/journal")" test ! -s "$work/journal"
run gen-ok-destroy 0 "$formation" -a gen-ok destroy
check gen-ok-gone "gen-ok left units: $(systemctl list-units --all --plain --no-legend 'gen-*' | head -3)" \
    test -z "$(systemctl list-units --all --plain --no-legend 'gen-*')"
