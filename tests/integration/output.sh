#!/bin/bash
# Output conventions against a real systemd. Runs INSIDE the sandbox
# container (tests/sandbox/sandbox run --install BUILD -- bash output.sh
# FORMATION): apply --dry-run --json and apply --json hold the shapes
# formation(1) (JSON OUTPUT) describes, with each action's result; -q keeps
# apply silent; status has colors on a terminal only, never with NO_COLOR,
# and never in JSON. Terminals are pseudo-terminals from script(1).
set -u
formation=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/lib.sh"    # check, run, has, finish
source "$(dirname "$0")/../json.sh"   # json
# tty FILE CMD...: CMD's output as a person sees it on a terminal (stdout
# and stderr together, as script(1) records them).
tty() { local f=$1; shift; script -qec "$(printf '%q ' "$@")" /dev/null >"$f" 2>&1; }
esc=$'\033\['
hasnt() {  # hasnt FILE FIXED-STRING MESSAGE
    if ! grep -qF -- "$2" "$1"; then passed=$((passed+1)); else echo "FAIL $3"; failed=$((failed+1)); fi
}

cat >"$work/shop.toml" <<'T'
app = "out"
[process.web]
command = "sleep infinity"
count = 2
[process.bad]
command = "exit 3"
count = 0
T

# --- apply --dry-run --json: the plan, nothing done --------------------------------
run dry-json 0 "$formation" -f "$work/shop.toml" apply --dry-run --json
json dry-json '
assert list(j) == ["app", "formation", "dry_run", "actions", "ok"], list(j)
assert j["app"] == "out" and j["formation"] == "/etc/formation/out.toml"
assert j["dry_run"] is True and j["ok"] is None
a = j["actions"]
assert a[0] == {"action": "install", "path": "/etc/formation/out.toml"}, a
assert a[1] == {"action": "reload"}, a
assert [x["unit"] for x in a[2:] if x["action"] == "start"][:2] == ["out-web@1.service", "out-web@2.service"], a
assert all("result" not in x for x in a)'
check dry-json-nothing-installed "apply --dry-run --json installed the file" test ! -e /etc/formation/out.toml

# --- apply --json: the same plan with results ---------------------------------------
run apply-json 0 "$formation" -f "$work/shop.toml" apply --json
json apply-json '
assert j["dry_run"] is False and j["ok"] is True
a = j["actions"]
assert [x["action"] for x in a][:2] == ["install", "reload"], a
assert all(x["result"] == "done" and x["reason"] is None for x in a), a
assert {x.get("unit") for x in a if x["action"] == "start"} >= {"out-web@1.service", "out-web@2.service"}, a'
check apply-json-running "out-web@2 is not running after apply --json" wait_for 10 running out-web@2.service
hasnt "$work/out" "  start" "apply --json printed plan lines"

run apply-json-again 0 "$formation" -f "$work/shop.toml" apply --json
json apply-json-nothing 'assert j["actions"] == [] and j["ok"] is True, j'

# A failure: its action is "failed" with the reason, the exit status 1.
sed -i 's/count = 0/count = 1/' "$work/shop.toml"
run apply-json-failed 1 "$formation" -f "$work/shop.toml" apply --json --settle 1s
json apply-json-failed '
assert j["ok"] is False
bad = [x for x in j["actions"] if x.get("unit") == "out-bad@1.service"]
assert len(bad) == 1 and bad[0]["action"] == "start" and bad[0]["result"] == "failed", j["actions"]
assert bad[0]["reason"], bad'
check apply-json-failed-stderr "the failure is not on stderr" has "$work/err" "out-bad@1.service"
sed -i 's/count = 1$/count = 0/' "$work/shop.toml"
"$formation" -f "$work/shop.toml" apply >/dev/null 2>&1

# --- -q --------------------------------------------------------------------------------
sed -i 's/count = 2/count = 3/' "$work/shop.toml"
run apply-quiet 0 "$formation" -q -f "$work/shop.toml" apply
check apply-quiet-stdout "apply -q printed: $(head -3 "$work/out")" test ! -s "$work/out"
check apply-quiet-stderr "apply -q printed on stderr: $(head -3 "$work/err")" test ! -s "$work/err"
check apply-quiet-applied "out-web@3 is not running after apply -q" wait_for 10 running out-web@3.service

# --- colors on a terminal, never with NO_COLOR, never when piped or in JSON ----------
tty "$work/tty" "$formation" -a out status
check status-tty-color "status on a terminal has no color: $(head -3 "$work/tty")" grep -q "$esc" "$work/tty"
check status-tty-content "status on a terminal shows no instance" grep -q "out-web@1.service" "$work/tty"
tty "$work/tty-nc" env NO_COLOR= "$formation" -a out status
check status-tty-no-color "NO_COLOR= status on a terminal has colors" bash -c "! grep -q '$esc' '$work/tty-nc'"
check status-tty-no-color-content "NO_COLOR status shows no instance" grep -q "out-web@1.service" "$work/tty-nc"
run status-piped 0 "$formation" -a out status
check status-piped-no-color "status piped has colors" bash -c "! grep -q '$esc' '$work/out'"
tty "$work/tty-json" "$formation" -a out status --json
check status-json-tty "status --json on a terminal has colors" bash -c "! grep -q '$esc' '$work/tty-json'"
tr -d '\r' <"$work/tty-json" >"$work/out"
json status-json-tty 'assert j["app"] == "out"'
tty "$work/tty-apply" "$formation" -f "$work/shop.toml" apply --dry-run --json
check apply-json-tty "apply --dry-run --json on a terminal has colors" bash -c "! grep -q '$esc' '$work/tty-apply'"

"$formation" -a out destroy >/dev/null 2>&1
finish output
