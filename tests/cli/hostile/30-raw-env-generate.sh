# Raw lines, [env] and generate -o (issue 19, items 6, 8, 13). Sourced by
# hostile.sh ($formation, $tests, $work, t/has/hasnt/ok); names start rw_.
#  - generate -o: what the app owns in DIR ends up exactly the new set.
#    Sockets, socket drop-ins, drop-in directories, the wants link,
#    leftover temporaries and a host's directory it wrote are removed once
#    the formation no longer has them, and --check reports each; files it
#    does not own (stray, foreign, links) are left alone or refused.
#  - Every raw key check lets through loads under `systemd-analyze verify`
#    (the units of tests/golden/16-raw-keys, made by generate -o), and each
#    line it refuses for a load failure does make systemd refuse the unit.

rw_dir=$work/units
rw_f=$work/shop.toml
rw_write() {  # rw_write SOCKET COUNT [EXTRA TYPE LINES]: the formation
    printf 'app = "shop"\n[process.web]\ncommand = "run"\nport = 5000\ncount = %s\n%s\n%s\n' "$2" \
        "$([ "$1" = yes ] && echo 'socket = true')" "${3:-}" >"$rw_f"
}
rw_gen() { "$formation" -f "$rw_f" generate -o "$rw_dir" "$@"; }

## 1. Sockets: count lowered, then socket dropped.
rw_write yes 3 $'[process.worker]\ncommand = "work"'
t rw-gen 0 rw_gen
ok test -f "$rw_dir/shop-web@.socket"
ok test -f "$rw_dir/shop-web@3.socket.d/50-formation.conf"
echo "keep me" >"$rw_dir/someone-else.socket"
echo "not formation's" >"$rw_dir/shop-web@.socket.bak"
rw_write yes 1 $'[process.worker]\ncommand = "work"'
t rw-count-check 1 rw_gen --check
for rw_p in shop-web@2.socket.d/50-formation.conf shop-web@3.socket.d/50-formation.conf \
            shop-web@2.service.d/50-formation.conf shop-web@3.service.d/50-formation.conf; do
    has rw-count-check-lists "$work/out" "^--- a/$rw_p\$"
done
has rw-count-check-stale "$work/err" "5 files are stale in $rw_dir"
ok test -f "$rw_dir/shop-web@3.socket.d/50-formation.conf"  # --check wrote nothing
t rw-count-gen 0 rw_gen
has rw-count-gen "$work/out" "^  remove shop-web@3.socket.d/50-formation.conf\$"
ok test ! -e "$rw_dir/shop-web@3.socket.d"
ok test ! -e "$rw_dir/shop-web@2.socket.d"
ok test -f "$rw_dir/shop-web@1.socket.d/50-formation.conf"
t rw-count-fresh 0 rw_gen --check

rw_write no 1 $'[process.worker]\ncommand = "work"'
t rw-socket-check 1 rw_gen --check
has rw-socket-check-template "$work/out" '^--- a/shop-web@\.socket$'
has rw-socket-check-dropin "$work/out" '^--- a/shop-web@1\.socket\.d/50-formation\.conf$'
has rw-socket-check-requires "$work/out" '^-Requires=shop-web@%i\.socket$'
t rw-socket-gen 0 rw_gen
has rw-socket-gen "$work/out" '^  remove shop-web@\.socket$'
ok test ! -e "$rw_dir/shop-web@.socket"
ok test ! -e "$rw_dir/shop-web@1.socket.d"
ok test -f "$rw_dir/shop-web@1.service.d/50-formation.conf"
ok grep -q "keep me" "$rw_dir/someone-else.socket"
ok grep -q "not formation's" "$rw_dir/shop-web@.socket.bak"
t rw-socket-fresh 0 rw_gen --check

## 2. A type dropped: its template and drop-ins go.
rw_write no 1
t rw-type-check 1 rw_gen --check
has rw-type-check "$work/out" '^--- a/shop-worker@\.service$'
t rw-type-gen 0 rw_gen
ok test ! -e "$rw_dir/shop-worker@.service"

## 3. Temporaries an interrupted run left beside the app's files are stale too;
##    a name that only looks like one is not formation's.
echo partial >"$rw_dir/.shop-web@.service.formation-0123456789ab"
echo partial >"$rw_dir/shop-web@1.service.d/.50-formation.conf.formation-abcdef012345"
echo mine >"$rw_dir/.shop-web@.service.formation-notmine"
t rw-tmp-check 1 rw_gen --check
has rw-tmp-check "$work/out" '^--- a/\.shop-web@\.service\.formation-0123456789ab$'
has rw-tmp-check "$work/out" '^--- a/shop-web@1\.service\.d/\.50-formation\.conf\.formation-abcdef012345$'
t rw-tmp-gen 0 rw_gen
ok test ! -e "$rw_dir/.shop-web@.service.formation-0123456789ab"
ok test ! -e "$rw_dir/shop-web@1.service.d/.50-formation.conf.formation-abcdef012345"
ok test -f "$rw_dir/.shop-web@.service.formation-notmine"
t rw-tmp-fresh 0 rw_gen --check

## 4. A foreign file under a name formation would write is a conflict when
##    wanted, left alone when not; a link is never followed.
echo "[Socket]" >"$rw_dir/shop-web@.socket"
t rw-foreign-unwanted 0 rw_gen --check
rw_write yes 2
t rw-foreign-conflict 1 rw_gen
has rw-foreign-conflict "$work/err" "shop-web@.socket exists and was not written by formation"
ok test ! -e "$rw_dir/shop-web@2.service.d"  # nothing written
rm "$rw_dir/shop-web@.socket"
mkdir -p "$work/victim" && echo precious >"$work/victim/50-formation.conf"
ln -s "$work/victim" "$rw_dir/shop-web@2.socket.d"
t rw-link-refused 1 rw_gen
has rw-link-refused "$work/err" "shop-web@2.socket.d is a symlink or not a directory"
ok test "$(cat "$work/victim/50-formation.conf")" = precious
rm "$rw_dir/shop-web@2.socket.d"
t rw-link-gone 0 rw_gen
rw_write yes 1
ln -s "$work/victim" "$rw_dir/shop-web@7.socket.d"  # a name the app's could have: not followed to look
t rw-link-stale 1 rw_gen
has rw-link-stale "$work/err" "shop-web@7.socket.d is a symlink or not a directory"
ok test "$(cat "$work/victim/50-formation.conf")" = precious
rm "$rw_dir/shop-web@7.socket.d"
t rw-link-removed 0 rw_gen
ok test "$(ls "$work/victim")" = 50-formation.conf

## 5. --user moves the wants link: the old one and its directory go.
t rw-user 0 "$formation" --user -f "$rw_f" generate -o "$rw_dir"
has rw-user "$work/out" '^  remove multi-user\.target\.wants/shop\.target$'
ok test ! -e "$rw_dir/multi-user.target.wants"
ok test -L "$rw_dir/default.target.wants/shop.target"

## 6. Hosts: a host's directory goes with the host; units of the file
##    without hosts go once it has them, and back.
rw_h=$work/hosts
printf 'app = "shop"\n[process.web]\ncommand = "run"\n[hosts.alpha]\naddress = "a"\n[hosts.beta]\naddress = "b"\n' >"$work/h2.toml"
printf 'app = "shop"\n[process.web]\ncommand = "run"\n[hosts.alpha]\naddress = "a"\n' >"$work/h1.toml"
printf 'app = "shop"\n[process.web]\ncommand = "run"\n' >"$work/h0.toml"
cp "$work/h2.toml" "$work/h.toml"  # one file: the units name it
t rw-hosts-gen 0 "$formation" -f "$work/h.toml" generate -o "$rw_h"
mkdir -p "$rw_h/gamma" && echo theirs >"$rw_h/gamma/shop-web@.service"
cp "$work/h1.toml" "$work/h.toml"  # one file: the units name it
t rw-hosts-check 1 "$formation" -f "$work/h.toml" generate -o "$rw_h" --check
has rw-hosts-check "$work/out" '^--- a/beta/shop-web@\.service$'
has rw-hosts-check "$work/err" "4 files are stale in $rw_h;"
cp "$work/h1.toml" "$work/h.toml"  # one file: the units name it
t rw-hosts-drop 0 "$formation" -f "$work/h.toml" generate -o "$rw_h"
has rw-hosts-drop "$work/out" '^  remove beta/shop\.target$'
ok test ! -e "$rw_h/beta"
ok test -f "$rw_h/alpha/shop-web@.service"
cp "$work/h0.toml" "$work/h.toml"  # one file: the units name it
t rw-hosts-none 0 "$formation" -f "$work/h.toml" generate -o "$rw_h"
ok test ! -e "$rw_h/alpha"
ok test -f "$rw_h/shop-web@.service"
ok test "$(cat "$rw_h/gamma/shop-web@.service")" = theirs  # not formation's: left alone
cp "$work/h2.toml" "$work/h.toml"  # one file: the units name it
t rw-hosts-back 0 "$formation" -f "$work/h.toml" generate -o "$rw_h"
ok test ! -e "$rw_h/shop-web@.service"
cp "$work/h2.toml" "$work/h.toml"  # one file: the units name it
t rw-hosts-fresh 0 "$formation" -f "$work/h.toml" generate -o "$rw_h" --check

## 7. check refuses systemd's variables in [env] and instance_env, and
##    hidden characters, at file:line:col.
printf 'app = "shop"\n[env]\nNOTIFY_SOCKET = "/run/x"\nPATH = "/srv/venv/bin:/usr/bin"\n[process.web]\ncommand = "run"\n' >"$work/env.toml"
t rw-env-notify 2 "$formation" -f "$work/env.toml" check
has rw-env-notify "$work/err" "env.toml:3:1: error: env NOTIFY_SOCKET is set by systemd"
hasnt rw-env-path "$work/err" "PATH"
printf 'app = "shop"\ninstance_env = ["PATH"]\n[process.web]\ncommand = "run"\n' >"$work/ienv.toml"
t rw-instance-env 2 "$formation" -f "$work/ienv.toml" check
has rw-instance-env "$work/err" 'ienv.toml:2:17: error: instance_env "PATH" cannot carry'
printf 'app = "shop"\ndescription = "Shop \xe2\x80\xae)live("\n[process.web]\ncommand = "run"\n' >"$work/rlo.toml"
t rw-rlo 2 "$formation" -f "$work/rlo.toml" check
has rw-rlo "$work/err" 'rlo.toml:2:15: error: description contains U\+202E'
hasnt rw-rlo-not-echoed "$work/err" $'\xe2\x80\xae'

## 8. Raw keys against systemd 252 (item 6).
if command -v systemd-analyze >/dev/null; then
    # Every key let through, with its representative value, loads without a word.
    rw_raw=$work/raw-units
    t rw-raw-gen 0 "$formation" -q -f "$tests/golden/16-raw-keys/input/raw.toml" generate -o "$rw_raw"
    rw_units=$(cd "$rw_raw" && ls raw-*@.service | sed 's/@\.service$/@1.service/')
    ok test "$(echo "$rw_units" | wc -l)" -gt 300
    (cd "$rw_raw" && SYSTEMD_UNIT_PATH="$rw_raw:" systemd-analyze verify --man=no raw.target $rw_units) >"$work/verify" 2>&1
    if grep -v -e 'is not executable: No such file or directory' "$work/verify" | grep -q .; then
        echo "FAIL rw-raw-verify:"; head -20 "$work/verify"; failed=$((failed + 1))
    else
        passed=$((passed + 1))
    fi
    # Each line refused as unloadable is: written into a template by hand,
    # systemd refuses the unit (or, for a line it would drop, says so).
    printf 'app = "shop"\n[process.web]\ncommand = ["/bin/true"]\nhardening = "none"\n' >"$work/base.toml"
    t rw-base 0 "$formation" -q -f "$work/base.toml" generate -o "$work/base"
    rw_i=0
    while IFS= read -r rw_line; do
        rw_i=$((rw_i + 1))
        printf 'app = "shop"\n[process.web]\ncommand = ["/bin/true"]\nsystemd.Service = ["%s"]\n' \
            "$(sed 's/\\/\\\\/g; s/"/\\"/g' <<<"$rw_line")" >"$work/bad.toml"
        t "rw-refused-$rw_i" 2 "$formation" -f "$work/bad.toml" check
        has "rw-refused-$rw_i-where" "$work/err" '^.*bad\.toml:4:20: error: '
        rm -rf "$work/by-hand" && mkdir -p "$work/by-hand"
        { cat "$work/base/shop-web@.service"; printf '%s\n' "$rw_line"; } >"$work/by-hand/shop-web@.service"
        (cd "$work/by-hand" && SYSTEMD_UNIT_PATH="$work/by-hand:" systemd-analyze verify --man=no shop-web@1.service) \
            >"$work/verify" 2>&1
        if grep -qE 'bad unit file setting|failed to load|ignoring|Ignoring|Refusing' "$work/verify"; then
            passed=$((passed + 1))
        else
            echo "FAIL rw-systemd-refuses-$rw_i: systemd took $rw_line:"; head -5 "$work/verify"; failed=$((failed + 1))
        fi
    done <<'LINES'
ExecStart=/bin/false
Type=oneshot
Type=dbus
ExecStartPre=/bin/true "unterminated
ExecStartPre=/bin/true %Z
ExecStartPost=./relative
ExecStopPost=/usr/bin/
ExecReload=@/bin/true
ExecCondition=+
RootDirectory=srv/chroot
RootImage=/srv/../x.raw
PIDFile=/run/../x.pid
DynamicUser=maybe
SELinuxContext=%Z
SupplementaryGroups=%Z
User=a:b
WorkingDirectory=relative
Environment=A=%Z
RuntimeRandomizedExtraSec=1h
LINES
else
    echo "   (30-raw-env-generate: no systemd-analyze, raw keys not verified)"
fi
