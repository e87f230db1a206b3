#!/bin/bash
# Hostile and careless inputs against a real systemd, in one container
# (issue 19): every scenario file of tests/integration/hostile/, in order.
# Each is sourced with $formation, $work and lib.sh's helpers at hand, and
# cleans up the apps it made. Runs INSIDE the sandbox container:
#   tests/sandbox/sandbox run --install BUILD -- bash /ABS/tests/integration/hostile.sh /ABS/formation
set -u
formation=${1:?usage: hostile.sh /abs/path/formation [SCENARIO...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
cd /  # the inherited directory may not exist inside the container
source "$here/lib.sh"
shopt -s nullglob
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=("$here"/hostile/*.sh)
for scenario in "${scenarios[@]}"; do
    work=/var/tmp/formation-hostile/$(basename "$scenario" .sh)
    rm -rf "$work" && mkdir -p "$work" || exit 1
    before=$failed
    echo "== $(basename "$scenario")"
    # A subshell would lose the counts: scenarios are sourced, and keep to
    # their own names (functions and variables prefixed by the scenario).
    source "$scenario"
    [ "$failed" = "$before" ] || echo "   ($(basename "$scenario"): $((failed - before)) failed)"
done
finish hostile
