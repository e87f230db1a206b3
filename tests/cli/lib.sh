# Helpers shared by the command-line tests. Source it after setting $work (a
# scratch directory); it keeps the counts in $passed and $failed.
passed=0 failed=0
t() {  # t NAME EXPECTED_RC CMD... ; output in $work/out, $work/err
    local name=$1 want=$2; shift 2
    local rc=0
    "$@" >"$work/out" 2>"$work/err" || rc=$?
    if [ "$rc" = "$want" ]; then passed=$((passed+1)); else
        echo "FAIL $name: exit $rc, wanted $want"; sed 's/^/    /' "$work/err" | head -20; failed=$((failed+1)); fi
}
has() {  # has NAME FILE PATTERN
    if grep -qE -- "$3" "$2"; then passed=$((passed+1)); else
        echo "FAIL $1: no /$3/ in $(basename "$2"):"; sed 's/^/    /' "$2" | head -20; failed=$((failed+1)); fi
}
hasnt() {  # hasnt NAME FILE FIXED-STRING
    if ! grep -qF -- "$3" "$2"; then passed=$((passed+1)); else
        echo "FAIL $1: \"$3\" found in $(basename "$2")"; failed=$((failed+1)); fi
}
ok() { if "$@"; then passed=$((passed+1)); else echo "FAIL: $*"; failed=$((failed+1)); fi; }
