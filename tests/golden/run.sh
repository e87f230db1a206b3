#!/bin/bash
# Golden trees for the generator (systemd's test-fstab-generator shape):
# tests/golden/NN-name/input/ holds installed formations (APP.toml, and
# .last-good/ copies), vendor/ an optional second directory of the search
# path; NN-name/expected/ is the whole tree formation-generator writes for
# them, symlinks included. Each case runs the real binary:
#   FORMATION_CONFIG_DIRS=input[:vendor] formation-generator OUT OUT OUT
# and compares the file list, then `diff -r`. The input's path in the
# output (headers, SourcePath=) reads /etc/formation, as on a host.
# Comments at the top of an input state what else must hold:
#   ## expect-error "TEXT"      TEXT is in what the generator logged
#   ## expect-no-units APP      no file of APP is generated
#   ## scope user               run as the user generator
#   ## generator-env VAR=VALUE  in the generator's environment (e.g. the
#                               crash hook of formation-generator(8))
# An input APP.toml.sh prints APP.toml (a file too big to keep in git, such
# as 100,000 levels of nesting); the case then runs on a copy of input/.
# Every tree also passes `systemd-analyze verify` with no warning, and
# `formation generate -o --helper /usr/bin/formation` of each valid file
# gives that app's part of it (without SourcePath=, with the file named
# relative to the tree). tests/golden-ops/ has the trees for hosts without
# formation.
#
#   run.sh FORMATION GENERATOR GOLDEN_DIR
#   FORMATION_UPDATE_GOLDEN=1 run.sh …     rewrite the expected trees (review the diff!)
set -u
formation=$1 generator=$2 dir=$(cd "$3" && pwd)
export FORMATION_HELPER=/usr/bin/formation
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
fail() { echo "FAIL $name: $*"; failed=$((failed + 1)); }

for case in "$dir"/[0-9][0-9]-*/; do
    case=${case%/}; name=$(basename "$case")
    out=$work/$name/out; mkdir -p "$out"
    input=$case/input
    if compgen -G "$case/input/*.toml.sh" >/dev/null; then
        input=$work/$name/input; cp -a "$case/input" "$input"
        for script in "$input"/*.toml.sh; do bash "$script" >"${script%.sh}" && rm "$script"; done
    fi
    dirs=$input; [ -d "$case/vendor" ] && dirs=$dirs:$case/vendor
    scope=system; grep -qs '^## scope user' "$input"/*.toml && scope=user
    generator_env=(); while read -r assignment; do generator_env+=("$assignment"); done < \
        <(sed -n 's/^## generator-env //p' "$input"/*.toml 2>/dev/null)
    rc=0
    env "${generator_env[@]}" FORMATION_GENERATOR_LOG=stderr FORMATION_CONFIG_DIRS=$dirs SYSTEMD_SCOPE=$scope "$generator" "$out" "$out" "$out" 2>"$work/$name/log" || rc=$?
    # Paths of this checkout become those of a host.
    to_host="s|$input|/etc/formation|g; s|$case/input|/etc/formation|g; s|$case/vendor|/usr/lib/formation|g"
    sed -i "$to_host" "$work/$name/log"
    find "$out" -type f -exec sed -i "$to_host" {} +
    if [ "${FORMATION_UPDATE_GOLDEN:-}" = 1 ]; then
        rm -rf "$case/expected"; cp -a "$out" "$case/expected"; echo "updated $name/expected"
    fi
    ok=1
    # An error the inputs do not announce makes a non-zero exit a failure.
    want_rc=0; grep -qs '^## expect-error' "$input"/*.toml "$input"/.last-good/*.toml && want_rc=1
    [ "$rc" = "$want_rc" ] || { fail "exit status $rc, wanted $want_rc"; sed 's/^/    /' "$work/$name/log"; ok=0; }
    # An expected tree with no file is no directory in git: the same as empty.
    expected=$case/expected; [ -d "$expected" ] || { expected=$work/$name/empty; mkdir -p "$expected"; }
    if ! diff <(cd "$expected" && find . -mindepth 1 | sort) <(cd "$out" && find . -mindepth 1 | sort) >"$work/$name/list"; then
        fail "file list differs from expected/ (FORMATION_UPDATE_GOLDEN=1 to accept)"; sed 's/^/    /' "$work/$name/list"; ok=0
    elif ! diff -ru --no-dereference "$expected" "$out"; then
        fail "generated tree differs from expected/ (FORMATION_UPDATE_GOLDEN=1 to accept)"; ok=0
    fi
    while IFS= read -r line; do
        text=$(sed 's/^## expect-error "\(.*\)"$/\1/; s/\\"/"/g' <<<"$line")
        grep -qF -- "$text" "$work/$name/log" || { fail "log lacks: $text"; sed 's/^/    /' "$work/$name/log"; ok=0; }
    done < <(grep -h '^## expect-error' "$input"/*.toml 2>/dev/null)
    for app in $(grep -h '^## expect-no-units' "$input"/*.toml 2>/dev/null | awk '{print $3}'); do
        if (cd "$out" && find . -name "$app.target" -o -name "$app-*@*" | grep -q .); then fail "units of $app were generated"; ok=0; fi
    done
    # The same bytes from `formation generate -o` for each valid file of input/.
    for file in "$input"/*.toml; do
        grep -qs '^## expect' "$file" && continue
        app=$(basename "$file" .toml)
        [ -f "$out/$app.target" ] || continue
        gen=$work/$name/generate-$app
        user_flag=; [ "$scope" = user ] && user_flag=--user
        # Health checks need the app installed on the host: an ops tree refuses them.
        if grep -qs '^health *=' "$file"; then
            if HOME=/nonexistent "$formation" $user_flag -q -f "$file" generate -o "$gen" --helper /usr/bin/formation >"$work/$name/gen.log" 2>&1 ||
                    ! grep -q 'needs the app installed on its hosts' "$work/$name/gen.log" || [ -e "$gen" ]; then
                fail "generate -o did not refuse the health checks of $app"; cat "$work/$name/gen.log"; ok=0
            fi
            continue
        fi
        if ! HOME=/nonexistent XDG_CONFIG_HOME=/etc/formation-user-cfg "$formation" $user_flag -q -f "$file" generate -o "$gen" --helper /usr/bin/formation >"$work/$name/gen.log" 2>&1; then
            fail "generate -o failed for $app"; cat "$work/$name/gen.log"; ok=0; continue
        fi
        [ "$scope" = user ] && find "$gen" -type f -exec sed -i "s|/etc/formation-user-cfg/formation|/etc/formation|g" {} +
        subset=$work/$name/subset-$app; mkdir -p "$subset"
        # APP.slice, with "-" written \x2d (and "\" escaped for find's pattern).
        slice_pattern=$(sed 's/-/\\\\x2d/g' <<<"$app").slice
        (cd "$out" && find . \( -path "./$app.target" -o -path "./$slice_pattern" -o \( -path "./$app-*@*" ! -path "./$app-*-*@*" \) -o -path "./$app-health.service" -o -path "./*.wants/$app.target" \
            -o \( -path "./$app-*.socket" ! -path "./$app-*-*.socket" ! -path "./$app-*@*" \) \
            -o \( -path "./$app-*-socket.service" ! -path "./$app-*-*-socket.service" \) \
            -o \( -path "./$app-*.on-failure@*" ! -path "./$app-*-*.on-failure@*" \) \
            -o \( -path "./$app-*.timer" ! -path "./$app-*-*.timer" \) \
            -o \( -path "./$app-*.service" ! -path "./$app-*-*.service" ! -path "./$app-*@*" \) \) \
            \( -type f -o -type l \) -exec cp -a --parents {} "$subset" \;)
        # An ops tree has no SourcePath= (the file is not on the host) and
        # names the file relative to itself; the rest is the same bytes.
        find "$subset" -type f -exec sed -i '/^SourcePath=/d' {} +
        find "$gen" -type f -exec sed -i "1s|^# Generated by formation from \.\./.*/$app\.toml\. |# Generated by formation from /etc/formation/$app.toml. |" {} +
        if ! diff -ru --no-dereference "$subset" "$gen" >"$work/$name/gen.diff"; then
            fail "generate -o of $app differs from the generator's output"; head -20 "$work/$name/gen.diff"; ok=0
        fi
    done
    if [ "$ok" = 1 ] && command -v systemd-analyze >/dev/null && [ "$scope" = system ] && [ -n "$(ls "$out")" ]; then
        units=$(cd "$out" && ls *.target *.slice *.timer 2>/dev/null; ls *.service *.socket 2>/dev/null | grep -v @)
        insts=$(cd "$out" && ls -d *@*.service.d *@*.socket.d 2>/dev/null | sed 's/\.d$//')
        tpls=$(cd "$out" && ls *@.service 2>/dev/null | sed 's/@\.service$/@1.service/')
        # Judge by what it says: any warning fails, but for programs this
        # machine lacks (bundle, gunicorn) and names verify cannot take.
        (cd "$out" && SYSTEMD_UNIT_PATH="$out:" systemd-analyze verify --man=no $units $insts $tpls) >"$work/$name/verify" 2>&1
        if grep -v -e 'Failed to prepare filename' -e 'is not a valid unit name' -e 'is not executable: No such file or directory' \
                -e "Command .* is not executable" "$work/$name/verify" | grep -q .; then
            fail "systemd-analyze verify:"; cat "$work/$name/verify"; ok=0
        fi
    fi
    [ "$ok" = 1 ] && { echo "ok   $name"; passed=$((passed + 1)); }
done
echo "golden: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
