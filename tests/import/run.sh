#!/bin/bash
# Golden imports of real-world Procfiles: each tests/import/NAME/ holds a
# Procfile (and .env), extra options in `args`, and expected/: the formation,
# the secrets file, stdout and stderr, with the case's directory shown as
# @DIR@. FORMATION_UPDATE_GOLDEN=1 rewrites expected/ instead of comparing;
# review the diff like code.
set -u
formation=$1 dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
fail() { echo "FAIL $name: $*"; failed=$((failed+1)); }

for case in "$dir"/*/; do
    name=$(basename "$case")
    run=$work/$name
    mkdir -p "$run"
    cp "$case/Procfile" "$run/"
    [ -f "$case/.env" ] && cp "$case/.env" "$run/"
    args=()
    [ -f "$case/args" ] && read -ra args <"$case/args"
    rc=0
    (cd "$run" && "$formation" import Procfile -o formation.toml "${args[@]}" >stdout 2>stderr) || rc=$?
    if [ "$rc" != 0 ]; then fail "import exited $rc"; sed 's/^/    /' "$run/stderr"; continue; fi

    actual=$work/$name.actual
    mkdir -p "$actual"
    for f in "$run"/formation.toml "$run"/*.env "$run"/stdout "$run"/stderr; do
        [ -f "$f" ] && sed "s|$run|@DIR@|g" "$f" >"$actual/$(basename "$f")"
    done
    if [ "${FORMATION_UPDATE_GOLDEN:-}" = 1 ]; then
        rm -rf "$case/expected" && cp -r "$actual" "$case/expected"
    elif diff -ru "$case/expected" "$actual"; then
        passed=$((passed+1))
    else
        fail "differs from expected/"
    fi

    # What every import promises, whatever the expected files say.
    if "$formation" -f "$run/formation.toml" check >/dev/null 2>"$run/check.err"; then passed=$((passed+1)); else
        fail "formation check refused the import:"; sed 's/^/    /' "$run/check.err"; fi
    if [ -s "$run/check.err" ]; then fail "formation check warned:"; sed 's/^/    /' "$run/check.err"; fi
    for secrets in "$run"/*.env; do
        [ -f "$secrets" ] || continue
        mode=$(stat -c %a "$secrets")
        if [ "$mode" = 600 ]; then passed=$((passed+1)); else fail "$(basename "$secrets") has mode $mode"; fi
        while IFS= read -r line; do
            case $line in '#'*|'') continue ;; esac
            value=${line#*=\"}; value=${value%\"}; value=${value//\\\$/\$}
            if grep -qF -- "$value" "$run/formation.toml"; then fail "secret value of ${line%%=*} in formation.toml"; fi
        done <"$secrets"
    done
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
