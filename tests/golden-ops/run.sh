#!/bin/bash
# Golden trees for ops repos: what `formation generate -o` writes for hosts
# that may not have formation (formation(1), GENERATE). Each case NN-name/
# holds formation.toml, an optional `args` file (more options for
# generate: --helper PATH, --user) and either expected/, the whole tree, or
# expected-error, lines that must be in what generate printed when it
# refuses (exit 2, nothing written). The case runs in a copy:
#   cd COPY && formation -f formation.toml generate -o units ARGS
# so the units name their file as ../formation.toml. Every tree also:
# passes --check right after, has no SourcePath= (the file is not on the
# host), names no formation binary unless --helper gave one, and passes
# `systemd-analyze verify` with no warning (system scope).
#
#   run.sh FORMATION GOLDEN_OPS_DIR
#   FORMATION_UPDATE_GOLDEN=1 run.sh …     rewrite expected/ (review the diff!)
set -u
formation=$1 dir=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
fail() { echo "FAIL $name: $*"; failed=$((failed + 1)); ok=0; }

for case in "$dir"/[0-9][0-9]-*/; do
    case=${case%/}; name=$(basename "$case") ok=1
    copy=$work/$name; mkdir -p "$copy"; cp "$case/formation.toml" "$copy/"
    args=(); [ -f "$case/args" ] && read -ra args <"$case/args"
    rc=0
    (cd "$copy" && HOME=/nonexistent "$formation" -f formation.toml generate -o units "${args[@]}") >"$copy/log" 2>&1 || rc=$?
    if [ -f "$case/expected-error" ]; then
        [ "$rc" = 2 ] || fail "exit status $rc, wanted 2"
        [ -e "$copy/units" ] && fail "it wrote $copy/units"
        while IFS= read -r line; do
            grep -qF -- "$line" "$copy/log" || fail "output lacks: $line"
        done <"$case/expected-error"
        [ "$ok" = 1 ] || sed 's/^/    /' "$copy/log"
        [ "$ok" = 1 ] && { echo "ok   $name"; passed=$((passed + 1)); }
        continue
    fi
    [ "$rc" = 0 ] || { fail "exit status $rc"; sed 's/^/    /' "$copy/log"; continue; }
    out=$copy/units
    if [ "${FORMATION_UPDATE_GOLDEN:-}" = 1 ]; then
        rm -rf "$case/expected"; cp -a "$out" "$case/expected"; echo "updated $name/expected"
    fi
    if ! diff <(cd "$case/expected" && find . -mindepth 1 | sort) <(cd "$out" && find . -mindepth 1 | sort) >"$copy/list"; then
        fail "file list differs from expected/ (FORMATION_UPDATE_GOLDEN=1 to accept)"; sed 's/^/    /' "$copy/list"
    elif ! diff -ru --no-dereference "$case/expected" "$out"; then
        fail "tree differs from expected/ (FORMATION_UPDATE_GOLDEN=1 to accept)"
    fi
    (cd "$copy" && "$formation" -f formation.toml generate -o units --check "${args[@]}") >"$copy/check" 2>&1 ||
        { fail "--check right after generate:"; sed 's/^/    /' "$copy/check"; }
    grep -rl '^SourcePath=' "$out" >"$copy/sp" && { fail "SourcePath= in:"; cat "$copy/sp"; }
    if ! printf '%s\n' "${args[@]}" | grep -qx -- --helper; then
        grep -rlE 'formation"? "?(wait-ready|guard|health|on-failure)' "$out" >"$copy/helper" &&
            { fail "units run formation without --helper:"; cat "$copy/helper"; }
    fi
    if command -v systemd-analyze >/dev/null && ! printf '%s\n' "${args[@]}" | grep -qx -- --user; then
        for tree in "$out" "$out"/*/; do
            tree=${tree%/}
            [ -f "$(ls "$tree"/*.target 2>/dev/null | head -1)" ] || continue
            units=$(cd "$tree" && ls *.target *.slice *.timer 2>/dev/null; ls *.service *.socket 2>/dev/null | grep -v @)
            insts=$(cd "$tree" && ls -d *@*.service.d *@*.socket.d 2>/dev/null | sed 's/\.d$//')
            (cd "$tree" && SYSTEMD_UNIT_PATH="$tree:" systemd-analyze verify --man=no $units $insts) >"$copy/verify" 2>&1
            # Programs this machine lacks (the formations' own commands) aside.
            if grep -v -e 'is not executable: No such file or directory' "$copy/verify" | grep -q .; then
                fail "systemd-analyze verify ($tree):"; cat "$copy/verify"
            fi
        done
    fi
    [ "$ok" = 1 ] && { echo "ok   $name"; passed=$((passed + 1)); }
done
echo "golden-ops: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
