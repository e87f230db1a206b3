#!/bin/bash
# Output conventions that need no systemd: check --json and list --json
# parse and hold the shapes formation(1) (JSON OUTPUT) describes, -q
# silences check, and JSON never carries colors, even on a terminal.
#   output.sh FORMATION
set -u
formation=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/lib.sh"    # t, has, hasnt, ok
source "$(dirname "$0")/../json.sh"   # json
empty() {  # empty NAME FILE
    if [ ! -s "$2" ]; then passed=$((passed+1)); else
        echo "FAIL $1: $(basename "$2") is not empty:"; sed 's/^/    /' "$2" | head; failed=$((failed+1)); fi
}

cat >"$work/f.toml" <<'T'
app = "shop"
[env]
API_KEY = "x"
[process.web]
command = "run web"
count = 3
port = 5000
[process.worker]
command = "run worker"
count = 2
T
printf 'app = "shop"\n[process.web]\ncommand = "run"\ncount = -1\ncout = 2\n' >"$work/bad.toml"

# --- check --json --------------------------------------------------------------
t check-json 0 "$formation" -f "$work/f.toml" check --json
json check-json '
assert list(j) == ["file", "ok", "app", "types", "instances", "errors", "warnings"], list(j)
assert j["ok"] is True and j["app"] == "shop" and j["instances"] == 5
assert j["types"] == [{"name": "web", "count": 3, "socket": "none", "schedule": None}, {"name": "worker", "count": 2, "socket": "none", "schedule": None}]
assert j["errors"] == []
w = j["warnings"]
assert len(w) == 1 and w[0]["line"] == 3 and w[0]["column"] == 1 and "API_KEY" in w[0]["message"], w
assert w[0]["file"].endswith("f.toml")'
empty check-json-stderr "$work/err"      # the warning is in the JSON, not on stderr

t check-json-invalid 2 "$formation" -f "$work/bad.toml" check --json
json check-json-invalid '
assert j["ok"] is False and j["app"] is None and j["instances"] is None and j["types"] == []
e = j["errors"]
assert len(e) == 2, e
assert (e[0]["line"], e[0]["column"]) == (4, 9) and "count" in e[0]["message"], e[0]
assert e[1]["line"] == 5 and "cout" in e[1]["message"], e[1]'
empty check-json-invalid-stderr "$work/err"

t check-json-missing 2 "$formation" -f "$work/nope.toml" check --json
json check-json-missing '
assert j["ok"] is False
assert j["errors"][0]["line"] is None and "no such file" in j["errors"][0]["message"]'

# Whatever a file holds, the JSON stays valid (control characters, bad UTF-8).
printf 'app = "shop"\n[process.web]\ncommand = "run"\n\x01 = 1\n' >"$work/ctl.toml"
t check-json-control 2 "$formation" -f "$work/ctl.toml" check --json
json check-json-control 'assert j["ok"] is False and j["errors"]'

# --- -q ----------------------------------------------------------------------
t check-quiet 0 "$formation" -q -f "$work/f.toml" check
empty check-quiet-stdout "$work/out"
empty check-quiet-stderr "$work/err"     # no secret warning either
t check-quiet-after-verb 0 "$formation" -f "$work/f.toml" check -q
empty check-quiet-after-verb "$work/out"
t check-quiet-invalid 2 "$formation" -q -f "$work/bad.toml" check
has check-quiet-invalid "$work/err" "bad.toml:4:9: error"
t check-not-quiet 0 "$formation" -f "$work/f.toml" check
has check-not-quiet "$work/out" "ok: app shop"
has check-not-quiet "$work/err" "warning: .*API_KEY"

# import: its warnings and notes are not errors.
mkdir -p "$work/shop"
printf 'web: source env.sh && run web\n' >"$work/shop/Procfile"
t import-warns 0 "$formation" import "$work/shop/Procfile"
has import-warns "$work/err" "warning: .*source"
t import-quiet 0 "$formation" -q import "$work/shop/Procfile"
empty import-quiet-stderr "$work/err"
has import-quiet-stdout "$work/out" "^app = \"shop\""

# --- list --json (systemd unreachable here or not: the shape holds) --------------
mkdir -p "$work/etc"
cp "$work/f.toml" "$work/etc/shop.toml"
export FORMATION_CONFIG_DIRS=$work/etc
rc=0
"$formation" list --json >"$work/out" 2>"$work/err" || rc=$?
ok test "$rc" = 0 -o "$rc" = 3
json list-json '
assert isinstance(j, list) and len(j) == 1
a = j[0]
assert list(a) == ["app", "types", "desired", "running", "formation", "note"], list(a)
assert a["app"] == "shop" and a["desired"] == 5 and a["note"] is None
assert a["types"] == [{"name": "web", "count": 3}, {"name": "worker", "count": 2}]
assert a["formation"].endswith("/etc/shop.toml")
assert a["running"] is None or isinstance(a["running"], int)'

# --- on a terminal: JSON has no colors, check no escape sequences ---------------
if command -v script >/dev/null; then
    script -qec "$formation -f $work/f.toml check --json" /dev/null >"$work/tty" 2>&1
    hasnt check-json-tty "$work/tty" $'\033'
    tr -d '\r' <"$work/tty" >"$work/out"
    json check-json-tty 'assert j["ok"] is True'
else
    echo "FAIL script(1) is missing (util-linux)"; failed=$((failed+1))
fi

echo "output: $passed passed, $failed failed"
[ "$failed" = 0 ]
