#!/bin/bash
# Every file of tests/corpus/bad must be refused: exit 2, FILE:LINE on
# stderr for the line its first comment names, and nothing written anywhere.
set -u
formation=$1 corpus=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
for input in "$corpus"/*.toml; do
    name=$(basename "$input")
    expect=$(sed -n '1s/^# expect-line: *//p' "$input")
    for verb in check "generate -o $work/out"; do
        rc=0
        "$formation" -f "$input" $verb >"$work/stdout" 2>"$work/stderr" || rc=$?
        why=""
        [ "$rc" = 2 ] || why="exit $rc, not 2"
        if [ "$expect" = any ]; then
            grep -qF "$input" "$work/stderr" || why="$why; stderr does not name the file"
        else
            grep -qE "^$(printf '%s' "$input" | sed 's/[.[\*^$]/\\&/g'):$expect(:[0-9]+)?: error: " "$work/stderr" || why="$why; no $input:$expect: error on stderr"
        fi
        [ -e "$work/out" ] && why="$why; $work/out was created"
        if [ -n "$why" ]; then
            echo "FAIL $name ($verb): ${why#; }"; sed 's/^/    /' "$work/stderr"; failed=$((failed+1))
        else
            passed=$((passed+1))
        fi
        rm -rf "$work/out"
    done
    echo "ok   $name: $(head -1 "$work/stderr")"
done
echo "corpus: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
