# Helpers shared by the scenarios that run inside the test container.
# Source it after setting $work (a scratch directory); it keeps the counts
# in $passed and $failed and ends a script with `finish NAME`.
passed=0 failed=0

# check NAME MESSAGE CMD...: CMD must succeed, else "FAIL NAME: MESSAGE".
check() {
    local name=$1 msg=$2; shift 2
    if "$@"; then passed=$((passed + 1)); else echo "FAIL $name: $msg"; failed=$((failed + 1)); fi
}
# run NAME WANT_RC CMD...: runs CMD, output in $work/out and $work/err.
run() {
    local name=$1 want=$2; shift 2
    local rc=0
    "$@" >"$work/out" 2>"$work/err" || rc=$?
    if [ "$rc" = "$want" ]; then passed=$((passed + 1)); else
        echo "FAIL $name: '$*' exited $rc, wanted $want"
        sed 's/^/    /' "$work/out" "$work/err" | head -40
        failed=$((failed + 1))
    fi
}
# wait_for SECONDS CMD...: until CMD succeeds; 1 on timeout.
wait_for() {
    local end=$((SECONDS + $1)); shift
    until "$@"; do [ $SECONDS -ge $end ] && return 1; sleep 0.1; done
}
has() { grep -qE -- "$2" "$1"; }
# has_or_show FILE REGEX: has, and when not, FILE indented (so a failure says why).
has_or_show() { has "$1" "$2" || { sed 's/^/    | /' "$1"; return 1; }; }
prop() { systemctl show -P "$2" "$1"; }                     # prop UNIT PROPERTY
state() { echo "$(prop "$1" ActiveState)/$(prop "$1" SubState)"; }
running() { [ "$(state "$1")" = active/running ]; }
stopped() { case $(prop "$1" ActiveState) in inactive|"") return 0 ;; *) return 1 ;; esac; }
all_running() { local u; for u; do running "$u" || return 1; done; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Loaded instance units of APP (not those of APP-other), one per line.
instances_of() {
    systemctl list-units --all --plain --no-legend "$1-*@*.service" |
        awk -v a="$1" '{ u = $1; sub(/^● /, "", u) } u ~ "^" a "-[a-z0-9]+@[0-9]+\\.service$" { print u, $3 }'
}
# Active instance units of APP, sorted.
active_of() { instances_of "$1" | awk '$2 == "active" || $2 == "activating" { print $1 }' | sort; }
finish() {
    echo "$1: $passed passed, $failed failed"
    [ "$failed" = 0 ]
}
