#!/bin/bash
# [hosts] without any host: check, generate per host, -H, and what formation
# hands ssh (a fake ssh records its argv and stdin, or plays a host that is
# down or runs another version).
#   hosts.sh FORMATION
set -u
formation=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/lib.sh"

cat >"$work/f.toml" <<'T'
app = "shop"
[process.web]
command = "run"
port = 5000
count = 2
hosts = ["alpha"]
[process.worker]
command = "work"
[hosts.alpha]
address = "root@10.0.0.11"
[hosts.beta]
address = "deploy@beta"
port = 2222
T
fm() { "$formation" -f "$work/f.toml" "$@"; }

t check 0 fm check
t generate 0 fm generate -o "$work/units"
has generate-lines "$work/out" '^  create alpha/shop-web@\.service$'
ok test -f "$work/units/alpha/shop-web@2.service.d/50-formation.conf"
ok test -f "$work/units/beta/shop-worker@.service"
ok test ! -e "$work/units/beta/shop-web@.service"
t generate-check 0 fm generate -o "$work/units" --check
mkdir -p "$work/elsewhere" "$work/out2" && ln -s "$work/elsewhere" "$work/out2/beta"
t generate-link 1 fm generate -o "$work/out2"
has generate-link-msg "$work/err" 'out2/beta is a symbolic link'
ok test -z "$(ls "$work/elsewhere")"

t H-unknown 2 fm -H gamma status
has H-unknown-msg "$work/err" 'has no \[hosts\.gamma\]'
t H-with-app 2 fm -H alpha -a shop status
t H-check 2 fm -H alpha check

# A fake ssh: records its arguments and stdin, answers as told by $FAKE.
cat >"$work/ssh" <<'S'
#!/bin/bash
printf '%s\n' "$@" >"$WORK/argv.$$"
cat >"$WORK/stdin.$$"
case ${FAKE:-ok} in
    down) echo "ssh: connect to host x port 22: Connection refused" >&2; exit 255 ;;
    old) echo "formation remote: version mismatch: this host runs formation 0.0.1, the caller formation x" >&2; exit 2 ;;
    *) echo "did it"; exit 0 ;;
esac
S
chmod +x "$work/ssh"
export FORMATION_SSH=$work/ssh WORK=$work

t apply 0 fm apply --settle 1s
has apply-prefixed "$work/out" '^alpha: did it$'
has apply-done "$work/out" 'apply done on alpha, beta'
argv_beta=$(grep -l '^deploy@beta$' "$work"/argv.*)
ok grep -qx -- '-p' "$argv_beta"
ok grep -qx -- '2222' "$argv_beta"
ok grep -qx -- 'BatchMode=yes' "$argv_beta"
# "--" right before the address, then one quoted command.
ok test "$(grep -A1 -x -- '--' "$argv_beta" | tail -1)" = deploy@beta
# The release command runs on the first host of the roll only.
argv_alpha=$(grep -l '^root@10.0.0.11$' "$work"/argv.*)
has apply-remote-first "$argv_alpha" "^'formation' 'remote' '--expect' '[^']+' '-f' '-' 'apply' '--settle=1s'\$"
has apply-remote "$argv_beta" "^'formation' 'remote' '--expect' '[^']+' '-f' '-' 'apply' '--settle=1s' '--no-release'\$"
stdin_beta=${argv_beta/argv/stdin}
ok test "$(head -1 "$stdin_beta")" = 'host = "beta"  # this host'"'"'s share of the formation below (written by formation apply)'
ok cmp <(tail -n +2 "$stdin_beta") "$work/f.toml"

rm -f "$work"/argv.* "$work"/stdin.*
t dry-run 0 fm -q apply --dry-run
ok grep -qF -- "'-q' '-f' '-' 'apply' '--dry-run'" "$work"/argv.*
rm -f "$work"/argv.* "$work"/stdin.*
t restart-web 0 fm restart web
ok test "$(ls "$work"/argv.* | wc -l)" = 1   # web runs on alpha only
has restart-args "$work"/argv.* "'-a' 'shop' 'restart' '--' 'web'\$"

FAKE=down t apply-down 1 fm apply
has down-named "$work/err" 'apply failed on host alpha \(root@10\.0\.0\.11\): unreachable: ssh: connect to host x port 22: Connection refused'
has down-roll "$work/err" 'the roll stopped at alpha; done: none; not reached: beta'
FAKE=old t apply-old 2 fm apply
has old-named "$work/err" 'apply failed on host alpha .*version mismatch'

FAKE=down t status-down 1 fm status
has status-down-alpha "$work/out" '^alpha: unreachable: '
has status-down-beta "$work/out" '^beta: unreachable: '
FAKE=down t status-down-json 1 fm status --json
ok python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [h["reachable"] for h in d["hosts"]] == [False, False]' "$work/out"

cp "$work/f.toml" "$work/g.toml"
rm -f "$work"/argv.*
t scale 0 "$formation" -f "$work/g.toml" scale worker=2
ok test "$(ls "$work"/argv.* | wc -l)" = 2
has scale-file "$work/g.toml" '^count = 2$'
ok test "$(grep -c '^count' "$work/g.toml")" = 2
FAKE=down t scale-down 1 "$formation" -f "$work/g.toml" scale web=5
hasnt scale-down-file "$work/g.toml" "count = 5"

# Without [hosts], -f - reads the formation from stdin.
printf 'app = "x"\n[process.web]\ncommand = "run"\n' | "$formation" -f - check >"$work/out" 2>&1
has stdin-check "$work/out" 'ok: app x'

echo "hosts: $passed passed, $failed failed"
[ "$failed" = 0 ]
