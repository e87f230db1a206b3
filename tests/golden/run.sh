#!/bin/bash
# Golden trees for the compiler: tests/golden/NN-name.toml is generated into a
# temporary directory and compared (diff -r, symlinks included) with
# NN-name.expected/. Each generated tree must also pass `systemd-analyze verify`.
#
#   run.sh FORMATION GOLDEN_DIR            compare
#   FORMATION_UPDATE_GOLDEN=1 run.sh …     rewrite the expected trees (review the diff!)
set -u
formation=$1 dir=$2
export FORMATION_HELPER=/usr/bin/formation
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
for input in "$dir"/[0-9][0-9]-*.toml; do
    name=$(basename "$input" .toml)
    out=$work/$name
    if ! (cd "$(dirname "$input")" && "$formation" -f "$name.toml" generate -o "$out") >"$work/$name.log" 2>&1; then
        echo "FAIL $name: generate failed"; cat "$work/$name.log"; failed=$((failed+1)); continue
    fi
    rm -rf "$out/.formation/lock"
    if [ "${FORMATION_UPDATE_GOLDEN:-}" = 1 ]; then
        rm -rf "$dir/$name.expected"; cp -a "$out" "$dir/$name.expected"
        echo "updated $name.expected"
    fi
    if ! diff -ru --no-dereference "$dir/$name.expected" "$out"; then
        echo "FAIL $name: generated tree differs from $name.expected (FORMATION_UPDATE_GOLDEN=1 to accept)"
        failed=$((failed+1)); continue
    fi
    # Generating twice gives the same bytes and touches nothing.
    touch "$work/marker"
    again=$( (cd "$(dirname "$input")" && "$formation" -f "$name.toml" generate -o "$out") 2>&1)
    rm -f "$out/.formation/lock"
    if [ -n "$(find "$out" -newer "$work/marker" ! -path "$out/.formation")" ] || ! grep -q "up to date" <<<"$again"; then
        echo "FAIL $name: second generate was not a no-op: $again"; failed=$((failed+1)); continue
    fi
    if command -v systemd-analyze >/dev/null; then
        units=$(cd "$out" && ls *.service *.target 2>/dev/null | grep -v '@\.service$')
        insts=$(cd "$out" && ls -d *@*.service.d 2>/dev/null | sed 's/\.d$//')
        tpls=$(cd "$out" && ls *@.service 2>/dev/null | sed 's/@\.service$/@1.service/')
        # Its exit status also reflects programs missing on this machine
        # (bundle, gunicorn): judge by what it says, less those lines.
        (cd "$out" && SYSTEMD_UNIT_PATH="$out:" systemd-analyze verify --man=no $units $insts $tpls) >"$work/$name.verify" 2>&1
        if grep -v -e 'Failed to prepare filename' -e 'is not a valid unit name' -e 'is not executable: No such file or directory' "$work/$name.verify" | grep -q .; then
            echo "FAIL $name: systemd-analyze verify:"; cat "$work/$name.verify"; failed=$((failed+1)); continue
        fi
    fi
    echo "ok   $name"; passed=$((passed+1))
done
echo "golden: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
