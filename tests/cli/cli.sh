#!/bin/bash
# The command line's contract: exit codes, messages, and what generate owns.
set -u
formation=$1 tests=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
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
ok() { if "$@"; then passed=$((passed+1)); else echo "FAIL: $*"; failed=$((failed+1)); fi; }

cat >"$work/f.toml" <<'T'
app = "shop"
[process.web]
command = "run web"
count = 3
port = 5000
[process.worker]
command = "run worker"
count = 1
T

t help 0 "$formation" --help
has help "$work/out" "generate"
t version 0 "$formation" --version
t no-verb 2 "$formation"
t unknown-verb 2 "$formation" frobnicate
t missing-file 2 "$formation" -f "$work/nope.toml" check
has missing-file "$work/err" "nope.toml: no such file"
t check-ok 0 "$formation" -f "$work/f.toml" check
has check-ok "$work/out" "app shop, 2 process types, 4 instances"

printf 'app = "shop"\n[env]\nAPI_KEY = "x"\n[process.web]\ncommand = "run"\n' >"$work/secret.toml"
t check-secret-warns 0 "$formation" -f "$work/secret.toml" check
has check-secret-warns "$work/err" "secret.toml:3:1: warning: .*API_KEY"

out=$work/units
t generate 0 "$formation" -f "$work/f.toml" generate -o "$out"
ok test -f "$out/shop-web@3.service.d/50-formation.conf"
ok test -L "$out/multi-user.target.wants/shop.target"
t generate-check-fresh 0 "$formation" -f "$work/f.toml" generate -o "$out" --check
echo "keep me" >"$out/someone-else.service"

sed -i 's/count = 3/count = 1/' "$work/f.toml"
t generate-check-stale 1 "$formation" -f "$work/f.toml" generate -o "$out" --check
has generate-check-stale "$work/out" '^-Wants=shop-web@3.service'
has generate-check-stale "$work/err" "stale"
ok test -f "$out/shop-web@3.service.d/50-formation.conf"   # --check wrote nothing
t generate-shrink 0 "$formation" -f "$work/f.toml" generate -o "$out"
has generate-shrink "$work/out" "remove shop-web@3.service.d/50-formation.conf"
ok test ! -e "$out/shop-web@3.service.d"
ok test ! -e "$out/shop-web@2.service.d"
ok test -f "$out/shop-web@1.service.d/50-formation.conf"
ok grep -q "keep me" "$out/someone-else.service"
t generate-again 0 "$formation" -f "$work/f.toml" generate -o "$out"
has generate-again "$work/out" "up to date"

# A file formation did not write is never overwritten.
mkdir -p "$work/foreign" && echo "[Unit]" >"$work/foreign/shop.target"
t generate-conflict 1 "$formation" -f "$work/f.toml" generate -o "$work/foreign"
has generate-conflict "$work/err" "shop.target exists and was not written by formation"
ok test ! -e "$work/foreign/shop-web@.service"

# Apps sharing a prefix own disjoint files.
sed 's/app = "shop"/app = "shop-api"/' "$work/f.toml" >"$work/g.toml"
t generate-prefix-app 0 "$formation" -f "$work/g.toml" generate -o "$out"
t generate-first-app-unchanged 0 "$formation" -f "$work/f.toml" generate -o "$out" --check
ok grep -qx "shop-api-web@.service" "$out/.formation/shop-api.manifest"
ok bash -c "! grep -q shop-api '$out/.formation/shop.manifest'"

# Bad input writes nothing.
printf 'app = "shop"\n[process.web]\ncommand = ""\n' >"$work/bad.toml"
t bad-generate 2 "$formation" -f "$work/bad.toml" generate -o "$work/never"
ok test ! -e "$work/never"
has bad-generate "$work/err" "bad.toml:3:11: error: "
has bad-generate "$work/err" '^ +\^$'

echo "cli: $passed passed, $failed failed"
[ "$failed" = 0 ]
