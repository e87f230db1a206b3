# json NAME PYTHON-ASSERTIONS: $work/out must be one JSON value, bound to j
# in the assertions. Counts in $passed/$failed like the lib.sh it goes with;
# sourced by tests/cli/output.sh and tests/integration/output.sh.
json() {
    if python3 -m json.tool "$work/out" >/dev/null 2>"$work/jerr" &&
        python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
exec(sys.argv[2])' "$work/out" "$2" 2>"$work/jerr"; then passed=$((passed+1)); else
        echo "FAIL $1:"; sed 's/^/    /' "$work/jerr" "$work/out" | head -30; failed=$((failed+1)); fi
}
