#!/bin/bash
# The command line's contract: exit codes, messages, and what generate owns.
set -u
formation=$1 tests=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/lib.sh"    # t, has, hasnt, ok

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
# check explains what each type's port means, by socket mode.
printf 'app = "shop"\n[process.web]\ncommand = "run"\ncount = 3\nport = 5000\nsocket = "shared"\n[process.api]\ncommand = "run"\ncount = 2\nport = 6000\nsocket = true\n[process.raw]\ncommand = "run"\nport = 7000\n' >"$work/modes.toml"
t check-modes 0 "$formation" -f "$work/modes.toml" check
has check-modes "$work/out" '^  web: one socket on port 5000 shared by its 3 instances \(socket = "shared"'
has check-modes "$work/out" '^  api: a socket per instance on ports 6000-6001 \(socket = true'
has check-modes "$work/out" '^  raw: port 7000, bound by the processes themselves'
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
ok test -f "$out/shop-api-web@.service"
sed -i 's/count = 1/count = 0/' "$work/f.toml"
t generate-shrink-first-app 0 "$formation" -f "$work/f.toml" generate -o "$out"
ok test -f "$out/shop-api-web@.service"        # the other app's files stay
ok test -f "$out/shop-api-web@1.service.d/50-formation.conf"
t generate-prefix-app-fresh 0 "$formation" -f "$work/g.toml" generate -o "$out" --check
# No state, lock or temporary file is left in an ops repo.
ok test -z "$(find "$out" -name '.*' ! -path "$out")"

## A hostile ops repo: nothing found in DIR makes generate read, write or
## delete outside it.
victim=$work/victim; mkdir -p "$victim"; echo precious >"$victim/file"
hostile=$work/hostile; mkdir -p "$hostile/.formation"
printf '%s\n' "../victim/file" "$victim/file" "shop.target" >"$hostile/.formation/shop.manifest"
ln -s "$victim/file" "$hostile/.formation/lock"
ln -s "$victim" "$hostile/shop-web@1.service.d"      # a drop-in directory that is a link
snapshot() { (cd "$1" && find . -printf '%p %y %s %l\n' | sort; sha256sum "$victim/file"); }
before=$(snapshot "$hostile")
t hostile-check 1 "$formation" -f "$work/f.toml" generate -o "$hostile" --check
ok test "$(snapshot "$hostile")" = "$before"        # --check writes nothing anywhere
sed -i 's/count = 0/count = 2/' "$work/f.toml"
t hostile-generate 1 "$formation" -f "$work/f.toml" generate -o "$hostile"
has hostile-generate "$work/err" "shop-web@1.service.d is a symlink or not a directory"
ok test "$(cat "$victim/file")" = precious
ok test "$(ls "$victim")" = file
rm "$hostile/shop-web@1.service.d"
ln -s "$victim/file" "$hostile/shop.target"           # a unit that is a link elsewhere
t hostile-link-unit 1 "$formation" -f "$work/f.toml" generate -o "$hostile"
has hostile-link-unit "$work/err" "shop.target exists and was not written by formation"
ok test "$(cat "$victim/file")" = precious
rm "$hostile/shop.target"
ln -s "$victim" "$hostile/multi-user.target.wants"  # the wants directory is a link
t hostile-wants-link 1 "$formation" -f "$work/f.toml" generate -o "$hostile"
ok test "$(ls "$victim")" = file
rm "$hostile/multi-user.target.wants"
t hostile-clean 0 "$formation" -f "$work/f.toml" generate -o "$hostile"
ok test "$(cat "$victim/file")" = precious
ok test -L "$hostile/.formation/lock"                  # untouched, unread
ok test -f "$hostile/shop-web@2.service.d/50-formation.conf"

## Names from the command line are checked before they reach a path.
t app-traversal 2 "$formation" -a ../../../../tmp/victim destroy
has app-traversal "$work/err" "not an app name"
t app-traversal-status 2 "$formation" -a 'shop/../x' status
ok test "$(cat "$victim/file")" = precious

## systemd's own unit names are refused.
printf 'app = "default"\n[process.web]\ncommand = "run"\n' >"$work/default.toml"
t reserved-app 2 "$formation" -f "$work/default.toml" check
has reserved-app "$work/err" "default.toml:1:7: error: app \"default\" would make default.target"
printf 'app = "user-runtime"\n[process.dir]\ncommand = "run"\n' >"$work/ur.toml"
t reserved-type 2 "$formation" -f "$work/ur.toml" check
has reserved-type "$work/err" "user-runtime-dir@.service"

# Bad input writes nothing.
printf 'app = "shop"\n[process.web]\ncommand = ""\n' >"$work/bad.toml"
t bad-generate 2 "$formation" -f "$work/bad.toml" generate -o "$work/never"
ok test ! -e "$work/never"
has bad-generate "$work/err" "bad.toml:3:11: error: "
has bad-generate "$work/err" '^ +\^$'

echo "cli: $passed passed, $failed failed"
[ "$failed" = 0 ]
