#!/bin/bash
# A bounded fuzz run: new inputs go to a scratch directory, never into the
# seed corpus in the source tree.  run.sh FUZZER SEEDS SECONDS
set -eu
fuzzer=$1 seeds=$2 seconds=$3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"   # crash-* files land here; printed below if any
if ! "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$scratch" "$seeds" 2>"$scratch/log"; then
    tail -60 "$scratch/log"
    for f in "$scratch"/crash-* "$scratch"/leak-* "$scratch"/timeout-*; do [ -e "$f" ] && { echo "== $f"; od -c "$f" | head -20; }; done
    exit 1
fi
grep -E 'stat::number_of_executed_units|Done' "$scratch/log" | tail -2
