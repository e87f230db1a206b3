#!/bin/bash
# Hostile and careless inputs on the command line, no systemd needed
# (issue 19): every file of tests/cli/hostile/, each sourced in turn with
# $formation, $tests (the tests/ directory), a fresh $work and lib.sh's
# helpers (t, has, hasnt, ok).
set -u
formation=$1 tests=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
root=$(mktemp -d)
trap 'chmod -R u+rwx "$root" 2>/dev/null; rm -rf "$root"' EXIT
shopt -s nullglob
for scenario in "$here"/hostile/*.sh; do
    work=$root/$(basename "$scenario" .sh)
    mkdir -p "$work"
    before=$failed
    source "$scenario"
    [ "$failed" = "$before" ] || echo "   ($(basename "$scenario"): $((failed - before)) failed)"
done
echo "cli-hostile: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
