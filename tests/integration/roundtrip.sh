#!/bin/bash
# Byte-exact round trip against a real systemd. Runs INSIDE the sandbox
# container (tests/sandbox/sandbox run -- bash tests/integration/roundtrip.sh
# FORMATION): hostile env values and argv words (every %X specifier, $VAR,
# ${VAR}, $$, quotes, backslashes, control characters, unicode, empty words,
# shell lines mixing them) are applied, and /proc/MAINPID/environ and cmdline of
# every running instance are compared byte for byte with what the TOML says
# (roundtrip/cases.py: one table generates the TOML; tomllib reads it back).
# Values systemd or the kernel cannot carry must be refused by `formation check`
# at FILE:LINE:COL. Also: the same formation survives a daemon-reload and an
# idempotent re-apply unchanged, and `destroy` removes it.
# Give both paths absolute: inside the container getcwd() fails (the working
# directory is the host's inode, not the overlay's), so nothing here resolves
# a relative path.
set -u
formation=$1
case $formation:$0 in /*:/*) ;; *) echo "roundtrip.sh: give absolute paths (script and FORMATION)" >&2; exit 2 ;; esac
cases=$(dirname "$0")/roundtrip/cases.py
cd /
work=$(mktemp -d /var/tmp/roundtrip.XXXXXX)  # the container's own /var/tmp overlay
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
ok() {  # ok NAME CMD...
    local name=$1; shift
    if "$@"; then passed=$((passed+1)); else echo "FAIL $name: $*"; failed=$((failed+1)); fi
}
wait_for() {  # wait_for SECONDS CMD...: until CMD succeeds
    local end=$((SECONDS + $1)); shift
    until "$@"; do [ $SECONDS -ge $end ] && return 1; sleep 0.1; done
}
sub() {  # sub NAME CMD...: a sub-check printing "X: N passed, M failed"; its counts are ours
    local name=$1; shift
    "$@" >"$work/sub.out" 2>&1
    sed '$d' "$work/sub.out"
    local last; last=$(tail -n1 "$work/sub.out")
    if [[ $last =~ :\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
    else
        echo "FAIL $name: no summary line"; echo "$last"; failed=$((failed+1))
    fi
}

python3 "$cases" gen "$work" || { echo "roundtrip: 0 passed, 1 failed (gen)"; exit 1; }
fm() { "$formation" -f "$work/roundtrip.toml" "$@"; }

ok mkdirs python3 "$cases" mkdirs
ok check fm check
ok apply fm apply
all_active() { ! systemctl list-units --all --plain --no-legend 'rt-*.service' | awk '{print $3}' | grep -qv '^active$'; }
ok all-active wait_for 10 all_active
want=$(python3 -c 'import sys, tomllib; d = tomllib.load(open(sys.argv[1], "rb")); print(sum(p.get("count", 1) for p in d["process"].values()))' "$work/roundtrip.toml")
ok "all-$want-instances" test "$(systemctl list-units --plain --no-legend --state=active 'rt-*.service' | wc -l)" = "$want"
sub values python3 "$cases" verify "$work" rt

# What systemd parsed is what a reload parses again: same bytes after daemon-reload,
# and a second apply restarts nothing.
systemctl show -p MainPID --value rt-argv@1.service >"$work/pid1"
systemctl daemon-reload
ok reload-no-restart test "$(systemctl show -p MainPID --value rt-argv@1.service)" = "$(cat "$work/pid1")"
ok reapply fm apply
ok reapply-no-restart test "$(systemctl show -p MainPID --value rt-argv@1.service)" = "$(cat "$work/pid1")"
sub values-after-reload python3 "$cases" verify "$work" rt

# systemd's own reading of the units: no warnings about them in the journal.
ok no-unit-warnings bash -c "! journalctl -q -b -u 'rt-*' -g 'Ignoring|Invalid|Failed to resolve|Unknown|not valid' | grep ."

sub refusals python3 "$cases" refusals "$work" "$formation"

ok destroy fm destroy
ok destroyed bash -c "! ls /etc/systemd/system | grep -q '^rt[-.]'"
ok destroyed-units test "$(systemctl list-units --all --plain --no-legend 'rt-*' | wc -l)" = 0

echo "roundtrip: $passed passed, $failed failed"
[ "$failed" = 0 ]
