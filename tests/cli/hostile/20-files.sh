# The files formation writes for a user (issue 19, items 2, 9, 10, 11):
# scale's edit of FILE never goes through a link swapped in meanwhile, nor
# edits, as root, a FILE another user controls; import -o writes through no
# link; import shows no secret value and no raw control character, and
# writes no formation `check` refuses. Sourced by hostile.sh ($formation,
# $work, t/has/hasnt/ok); names here start with fl_.

fl_esc=$'\e' fl_bel=$'\a'
fl_same() {  # fl_same FILE "CONTENT" MODE OWNER: unchanged in all three
    [ "$(cat "$1")" = "$2" ] && [ "$(stat -c %a "$1")" = "$3" ] && [ "$(stat -c %U "$1")" = "$4" ]
}
fl_no_control() { ! grep -q "[$fl_esc$fl_bel]" "$1"; }

## scale -f FILE, through the multi-host path: a fake ssh plays the hosts,
## and runs $FL_DURING while the roll is under way (between read and write).
fl_dir=$work/scale
mkdir -p "$fl_dir"
cat >"$fl_dir/ssh" <<'S'
#!/bin/bash
cat >/dev/null
[ -z "${FL_DURING:-}" ] || bash -c "$FL_DURING"
echo "did it"
S
chmod +x "$fl_dir/ssh"
fl_write() {
    cat >"$fl_dir/f.toml" <<'T'
app = "shop"
[process.web]
command = "run"
count = 1
[hosts.alpha]
address = "root@10.0.0.11"
T
}
printf 'root only\n' >"$fl_dir/victim" && chmod 600 "$fl_dir/victim"
fl_owner=$(stat -c %U "$fl_dir/victim")
fl_scale() { FORMATION_SSH=$fl_dir/ssh "$formation" -f "$fl_dir/f.toml" scale "$@"; }

fl_write
t fl-scale-edits 0 fl_scale web=2
has fl-scale-edits "$fl_dir/f.toml" '^count = 2$'

# Swapped for a link to another file while the hosts scale: not written through.
fl_write
FL_DURING="mv '$fl_dir/f.toml' '$fl_dir/f.old' && ln -s '$fl_dir/victim' '$fl_dir/f.toml'" \
    t fl-swap-link 1 fl_scale web=3
has fl-swap-link "$work/err" 'f\.toml is no longer the file that was read.*: its count lines were not changed'
has fl-swap-link "$work/err" 'the hosts were scaled; set count = 3 under \[process\.web\]'
ok fl_same "$fl_dir/victim" "root only" 600 "$fl_owner"
ok test -L "$fl_dir/f.toml"
has fl-swap-link-old "$fl_dir/f.old" '^count = 1$'
rm -f "$fl_dir/f.toml" "$fl_dir/f.old"

# Replaced by an editor's save, or changed in place: the user's edit stays.
fl_write
FL_DURING="sed 's/run/run2/' '$fl_dir/f.toml' >'$fl_dir/n' && mv '$fl_dir/n' '$fl_dir/f.toml'" \
    t fl-swap-save 1 fl_scale web=4
has fl-swap-save "$fl_dir/f.toml" '^command = "run2"$'
has fl-swap-save "$fl_dir/f.toml" '^count = 1$'
fl_write
FL_DURING="echo '# mine' >>'$fl_dir/f.toml'" t fl-swap-append 1 fl_scale web=4
has fl-swap-append "$fl_dir/f.toml" '^# mine$'
has fl-swap-append "$fl_dir/f.toml" '^count = 1$'

# A FILE given as a link: its target is edited, the link stays (formation(1)).
fl_write
mv "$fl_dir/f.toml" "$fl_dir/real.toml" && ln -s real.toml "$fl_dir/f.toml"
t fl-link-target 0 fl_scale web=5
ok test -L "$fl_dir/f.toml"
has fl-link-target "$fl_dir/real.toml" '^count = 5$'
rm -f "$fl_dir/f.toml" "$fl_dir/real.toml"

# Root and a FILE another user controls: the hosts are scaled, FILE is not
# edited, exit 1 with what to do.
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
    fl_write
    chown nobody "$fl_dir/f.toml"
    : >"$fl_dir/called"
    FL_DURING="echo x >>'$fl_dir/called'" t fl-root-foreign-file 1 fl_scale web=6
    has fl-root-foreign-file "$work/err" 'f\.toml is owned by nobody, and root edits no file that another user controls'
    has fl-root-foreign-file "$work/err" 'set count = 6 under \[process\.web\] in .*f\.toml yourself'
    has fl-root-foreign-file "$fl_dir/f.toml" '^count = 1$'
    ok test -s "$fl_dir/called"
    chown root "$fl_dir/f.toml"
    mkdir -p "$fl_dir/theirs" && cp "$fl_dir/f.toml" "$fl_dir/theirs/f.toml" && chown nobody "$fl_dir/theirs"
    FORMATION_SSH=$fl_dir/ssh t fl-root-foreign-dir 1 "$formation" -f "$fl_dir/theirs/f.toml" scale web=7
    has fl-root-foreign-dir "$work/err" "is in $fl_dir/theirs, a directory owned by nobody"
    has fl-root-foreign-dir "$fl_dir/theirs/f.toml" '^count = 1$'
    # No count to change: nothing to refuse.
    FORMATION_SSH=$fl_dir/ssh t fl-root-foreign-same 0 "$formation" -f "$fl_dir/theirs/f.toml" scale web=1
    chmod 777 "$fl_dir/theirs" && chown root "$fl_dir/theirs"
    FORMATION_SSH=$fl_dir/ssh t fl-root-world-dir 1 "$formation" -f "$fl_dir/theirs/f.toml" scale web=7
    has fl-root-world-dir "$work/err" "a directory every user may write to"
    chmod 755 "$fl_dir/theirs"
    FORMATION_SSH=$fl_dir/ssh t fl-root-own-dir 0 "$formation" -f "$fl_dir/theirs/f.toml" scale web=7
    has fl-root-own-dir "$fl_dir/theirs/f.toml" '^count = 7$'
fi

## import -o: no write through a link planted at either output.
fl_app=$work/import/shop
mkdir -p "$fl_app"
printf 'web: ./web\n' >"$fl_app/Procfile"
printf 'DATABASE_URL=postgres://u:pw@db/x\n' >"$fl_app/.env"
ln -s "$fl_dir/victim" "$fl_app/formation.toml"
t fl-import-link 1 "$formation" import "$fl_app/Procfile" -o "$fl_app/formation.toml"
has fl-import-link "$work/err" 'formation\.toml is a symbolic link; import neither writes through a link nor replaces one'
t fl-import-link-force 1 "$formation" import "$fl_app/Procfile" -o "$fl_app/formation.toml" --force
ok test -L "$fl_app/formation.toml"
ok test ! -e "$fl_app/shop.env"
ok fl_same "$fl_dir/victim" "root only" 600 "$fl_owner"
rm "$fl_app/formation.toml"
ln -s "$fl_dir/victim" "$fl_app/shop.env"
t fl-import-env-link 1 "$formation" import "$fl_app/Procfile" -o "$fl_app/formation.toml" --force
has fl-import-env-link "$work/err" 'shop\.env is a symbolic link'
ok test ! -e "$fl_app/formation.toml"
ok fl_same "$fl_dir/victim" "root only" 600 "$fl_owner"
rm "$fl_app/shop.env"
t fl-import-writes 0 "$formation" import "$fl_app/Procfile" -o "$fl_app/formation.toml"
ok test "$(stat -c %a "$fl_app/shop.env")" = 600
ok test ! -L "$fl_app/shop.env"

## import: the values of env lines it warns about are never shown.
fl_sec=$work/import/sec
mkdir -p "$fl_sec"
printf 'web: ./web\n' >"$fl_sec/Procfile"
cat >"$fl_sec/.env" <<'E'
SESSION_SECRET=keyboard-cat-s3cr3t # rotate me
export DB_PASSWORD=pa55-w0rd-value
  API_TOKEN=t0ken-value-indented
STRIPE_KEY = sk-live-spaced
sk-live-on-its-own-line
Q="quoted-value" trailing-value
E
t fl-secrets-warned 0 "$formation" import "$fl_sec/Procfile" -o "$fl_sec/formation.toml"
for fl_v in keyboard-cat-s3cr3t pa55-w0rd-value t0ken-value-indented sk-live-spaced sk-live-on-its-own-line \
    quoted-value trailing-value; do
    hasnt fl-secrets-warned "$work/err" "$fl_v"
    hasnt fl-secrets-warned "$work/out" "$fl_v"
done
has fl-secrets-warned "$work/err" '/\.env:1:1: warning: SESSION_SECRET: foreman keeps'
has fl-secrets-warned "$work/err" '/\.env:2:8: warning: foreman ignores lines starting with "export "; imported as DB_PASSWORD$'
has fl-secrets-warned "$work/err" '/\.env:3:3: warning: line ignored, "API_TOKEN" not set'
has fl-secrets-warned "$work/err" '/\.env:4:1: warning: line ignored, "STRIPE_KEY" not set'
has fl-secrets-warned "$work/err" '/\.env:5:1: warning: line ignored: not NAME=value'
printf 'B=1\nA_TOKEN="open-s3cret\n' >"$fl_sec/bad.env"
t fl-secrets-error 2 "$formation" import "$fl_sec/Procfile" --dialect honcho -e "$fl_sec/bad.env" -a sec
hasnt fl-secrets-error "$work/err" "s3cret"
has fl-secrets-error "$work/err" 'bad\.env:2:1: error: no closing quotation'

## import: control characters of a Procfile are shown escaped.
fl_esc_dir=$work/import/esc
mkdir -p "$fl_esc_dir"
printf 'web: [[ -f x ]] && echo "\e]0;pwned\a\e[2J" && ./web\n  \e[31mindented: x\n' >"$fl_esc_dir/Procfile"
printf 'A\e]0;t\a=1\nB=\e[2J\n' >"$fl_esc_dir/.env"
t fl-escapes 0 "$formation" import "$fl_esc_dir/Procfile" -a esc
ok fl_no_control "$work/err"
ok fl_no_control "$work/out"
has fl-escapes "$work/err" 'Procfile:1:6: warning: web: "\[\[" is bash syntax'
has fl-escapes "$work/err" '\\x1b\]0;pwned\\x07\\x1b\[2J'
has fl-escapes "$work/err" 'Procfile:2:1: warning: line ignored'
has fl-escapes "$work/err" '^    +\\x1b\[31mindented: x$'

## import: an app name `check` refuses: exit 2, nothing written.
fl_bad=$work/import/default
mkdir -p "$fl_bad"
printf 'web: ./web\ndir: ./dir\n' >"$fl_bad/Procfile"
printf 'API_TOKEN=x\n' >"$fl_bad/.env"
t fl-app-default 2 "$formation" import "$fl_bad/Procfile" -o "$fl_bad/formation.toml"
has fl-app-default "$work/err" 'would not pass `formation check`: app "default" would make default\.target'
t fl-app-network 2 "$formation" import "$fl_bad/Procfile" -o "$fl_bad/formation.toml" -a network
has fl-app-network "$work/err" 'network\.target'
t fl-app-user-runtime 2 "$formation" import "$fl_bad/Procfile" -o "$fl_bad/formation.toml" -a user-runtime
has fl-app-user-runtime "$work/err" 'user-runtime-dir@\.service'
t fl-app-stdout 2 "$formation" import "$fl_bad/Procfile" -e /dev/null
ok test ! -s "$work/out"
for fl_f in formation.toml default.env network.env user-runtime.env; do ok test ! -e "$fl_bad/$fl_f"; done
