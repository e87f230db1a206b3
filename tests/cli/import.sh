#!/bin/bash
# formation import through the real binary: what it writes, what it refuses,
# and that the result is a formation `formation check` and `generate` take.
set -u
formation=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/lib.sh"    # t, has, hasnt, ok

app=$work/shop
mkdir -p "$app"
cat >"$app/Procfile" <<'P'
web: bundle exec puma -p $PORT
worker: bundle exec sidekiq
release: bundle exec rails db:migrate
assets: [[ -d public ]] && rbenv exec rake assets:watch
P
cat >"$app/.env" <<'E'
RAILS_ENV=production
DATABASE_URL=postgres://shop:hunter2pw@db/shop
SECRET_KEY_BASE="topsecretvalue"
E

# Import, then check: the file is valid, warns about nothing, and keeps secrets out.
t import 0 "$formation" import "$app/Procfile" -o "$app/formation.toml" -m web=2,worker=1
has import "$work/out" "wrote $app/shop.env \(mode 0600\): 2 secrets"
has import "$work/out" "wrote $app/formation.toml: app shop"
has import-release "$work/err" "Procfile:3:1: note: release is Heroku's release phase"
has import-bashism "$work/err" "Procfile:4:9: warning: assets: \"\[\[\" is bash syntax"
has import-rbenv "$work/err" "Procfile:4:.*rbenv works through a login shell"
t check 0 "$formation" -f "$app/formation.toml" check
has check "$work/out" "app shop, 3 process types, 3 instances"
ok test ! -s "$work/err"
ok test "$(stat -c %a "$app/shop.env")" = 600
ok test "$(stat -c %a "$app/formation.toml")" = 644
hasnt no-secret-in-formation "$app/formation.toml" "hunter2pw"
hasnt no-secret-in-formation "$app/formation.toml" "topsecretvalue"
has secrets-file "$app/shop.env" '^SECRET_KEY_BASE="topsecretvalue"$'
has env-files "$app/formation.toml" "^env_files = \[\"$app/shop.env\"\]$"
has release-top "$app/formation.toml" '^release = "bundle exec rails db:migrate"$'
hasnt release-type "$app/formation.toml" '^\[process\.release\]'
t generate 0 "$formation" -f "$app/formation.toml" generate -o "$work/units"
has generate "$work/units/shop-web@.service" "^EnvironmentFile=$app/shop.env$"
has generate "$work/units/shop-web@2.service.d/50-formation.conf" "PORT=5001"
has generate "$work/units/shop-worker@1.service.d/50-formation.conf" "PORT=5100"
ok test ! -e "$work/units/shop-release@1.service.d"
hasnt no-secret-in-units "$work/units/shop-web@.service" "hunter2pw"

# An existing file is replaced only with --force, and keeps nothing of the old one.
echo "keep" >"$app/formation.toml"
t overwrite-refused 1 "$formation" import "$app/Procfile" -o "$app/formation.toml"
has overwrite-refused "$work/err" "formation.toml exists; use --force"
ok grep -qx keep "$app/formation.toml"
rm "$app/formation.toml"
t secrets-overwrite-refused 1 "$formation" import "$app/Procfile" -o "$app/formation.toml"
has secrets-overwrite-refused "$work/err" "shop.env exists; use --force"
ok test ! -e "$app/formation.toml"
chmod 644 "$app/shop.env"
t force 0 "$formation" import "$app/Procfile" -o "$app/formation.toml" --force
ok test "$(stat -c %a "$app/shop.env")" = 600

# Without -o: the formation on stdout, unless there are secrets to write.
t stdout-secrets 2 "$formation" import "$app/Procfile"
has stdout-secrets "$work/err" "use -o FILE"
ok test ! -s "$work/out"
printf 'web: ./run\n' >"$work/Procfile"
t stdout 0 "$formation" import "$work/Procfile" --app plain
has stdout "$work/out" '^app = "plain"$'
has stdout "$work/out" '^port = 5000$'
t stdout-check 0 bash -c "'$formation' import '$work/Procfile' --app plain >'$work/plain.toml' && '$formation' -f '$work/plain.toml' check"

# Env files: -e replaces the default .env; a,b and repeats, a later file wins.
printf 'A=1\nB=1\n' >"$work/a.env"; printf 'B=2\n' >"$work/b.env"; printf 'C=3\n' >"$work/c.env"
t env-merge 0 "$formation" import "$app/Procfile" --app m -e "$work/a.env,$work/b.env" -e "$work/c.env"
has env-merge "$work/out" '^A = "1"$'
has env-merge "$work/out" '^B = "2"$'
has env-merge "$work/out" '^C = "3"$'
hasnt env-merge-no-default "$work/out" "RAILS_ENV"
t env-missing 2 "$formation" import "$app/Procfile" -e "$work/nope.env"
has env-missing "$work/err" "nope.env: no such file"

# Bad input: exit 2, FILE:LINE, nothing written.
mkdir -p "$work/dup"
printf 'web: a\nworker: b\nweb: c\n' >"$work/dup/Procfile"
t dup 2 "$formation" import "$work/dup/Procfile" -o "$work/dup/formation.toml"
has dup "$work/err" "Procfile:3:1: error: process type \"web\" is declared twice \(first on line 1\)"
ok test ! -e "$work/dup/formation.toml"
printf 'web: a\n' >"$work/dup/Procfile"; printf 'A=1\nB="open\n' >"$work/dup/bad.env"
t bad-env 2 "$formation" import "$work/dup/Procfile" --dialect honcho -e "$work/dup/bad.env" -o "$work/dup/formation.toml"
has bad-env "$work/err" "bad.env:2:1: error: no closing quotation"
ok test ! -e "$work/dup/formation.toml"
printf '1ABC=x\n' >"$work/dup/digit.env"
t bad-env-name 2 "$formation" import "$work/dup/Procfile" -e "$work/dup/digit.env"
has bad-env-name "$work/err" "digit.env:1:1: error: \"1ABC\" cannot be set by formation"
printf '# nothing here\n' >"$work/dup/Procfile"
t empty-procfile 2 "$formation" import "$work/dup/Procfile"
has empty-procfile "$work/err" "Procfile: error: no process types"
printf '9lives: a\n' >"$work/dup/Procfile"
t bad-type-name 2 "$formation" import "$work/dup/Procfile"
has bad-type-name "$work/err" "Procfile:1:1: error: process type \"9lives\" cannot be a formation type"
t missing-procfile 2 "$formation" import "$work/nope/Procfile"
has missing-procfile "$work/err" "nope/Procfile: no such file"
t bad-scale 2 "$formation" import "$app/Procfile" -m wbe=2
has bad-scale "$work/err" '^-m: error: no process type "wbe" in the Procfile'
t bad-dialect 2 "$formation" import "$app/Procfile" --dialect heroku
t bad-app 2 "$formation" import "$app/Procfile" --app Shop_1
has bad-app "$work/err" "not a valid app name"
mkdir -p "$work/123" && printf 'web: a\n' >"$work/123/Procfile"
t underivable-app 2 "$formation" import "$work/123/Procfile"
has underivable-app "$work/err" "give one with --app NAME"
printf 'web: a\n' >"$work/dup/Procfile"
t derived-app 0 "$formation" import "$work/dup/../123/../shop/../dup/Procfile"
has derived-app "$work/out" '^app = "dup"$'
has derived-app "$work/out" "^working_directory = \"$work/dup\"$"

echo "import: $passed passed, $failed failed"
[ "$failed" = 0 ]
