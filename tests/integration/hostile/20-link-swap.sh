# Issue 19 item 2 against the real systemd: root's `scale -f FILE` while a
# user swaps FILE for a link to a root-only file. The file behind the link
# stays as it was (content, owner, mode) every time; root refuses, with
# formation(1)'s message, to edit a FILE another user controls; and in a
# directory only root controls, a FILE swapped for a link during the
# converge is not written through. Sourced by hostile.sh ($formation, $work,
# check/run/wait_for/prop/running); names here start with ls_.

ls_user=ls-swapper
ls_victim=$work/victim                      # root's, 0600, in a root-only directory
ls_home=$work/home                          # the user's directory
ls_mine=$work/mine                          # root's own directory
ls_swapper_pid=""
mkdir -p "$ls_home" "$ls_mine" && chmod 755 "$work" "$ls_mine"
printf 'root only\n' >"$ls_victim" && chmod 600 "$ls_victim"
id "$ls_user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$ls_user"
chown "$ls_user" "$ls_home"

ls_formation() {  # ls_formation COUNT: a web whose start takes a second (ready = "port")
    cat <<EOF
app = "ls"
[process.web]
command = "sleep 1; exec python3 -m http.server --bind 127.0.0.1 \$PORT"
count = $1
port = 7610
ready = "port"
EOF
}
ls_victim_same() {
    [ "$(cat "$ls_victim")" = "root only" ] && [ "$(stat -c '%U %a' "$ls_victim")" = "root 600" ]
}
ls_cleanup() {
    [ -z "$ls_swapper_pid" ] || { kill "$ls_swapper_pid" 2>/dev/null; wait "$ls_swapper_pid" 2>/dev/null; }
    ls_swapper_pid=""
    "$formation" -a ls destroy >/dev/null 2>&1
    userdel "$ls_user" 2>/dev/null
    rm -rf "$ls_home" "$ls_mine" "$ls_victim"
}

# The user's formation.toml, installed by root.
ls_formation 1 >"$ls_home/formation.toml" && chown "$ls_user" "$ls_home/formation.toml"
run ls-apply 0 "$formation" -f "$ls_home/formation.toml" apply
check ls-apply-up "ls-web@1 running" running ls-web@1.service

# Root refuses to edit the user's FILE, says how to proceed, and scales the
# installed formation all the same (exit 1).
run ls-refuse 1 "$formation" -f "$ls_home/formation.toml" scale web=2
check ls-refuse-msg "the refusal names the owner" \
    has "$work/err" "formation\.toml is owned by $ls_user, and root edits no file that another user controls"
check ls-refuse-how "the refusal says what to do" \
    has "$work/err" 'set count = 2 under \[process\.web\] in .*formation\.toml yourself, or scale with -a ls'
check ls-refuse-file "FILE unchanged" grep -qx 'count = 1' "$ls_home/formation.toml"
check ls-refuse-scaled "ls-web@2 started all the same" running ls-web@2.service
# A root-owned FILE in the user's directory: refused too (the user can swap it).
chown root "$ls_home/formation.toml"
run ls-refuse-dir 1 "$formation" -f "$ls_home/formation.toml" scale web=3
check ls-refuse-dir-msg "the refusal names the directory" \
    has "$work/err" "is in $ls_home, a directory owned by $ls_user"
chown "$ls_user" "$ls_home/formation.toml"

# The attack: the user keeps swapping formation.toml for a link to the
# victim while root scales. Whatever root reads (the user's file or, through
# the link, the victim), the victim is never written, and no scale exits 0
# (FILE's count, 3, always needs the edit that is refused).
ls_formation 3 >"$ls_home/orig" && chown "$ls_user" "$ls_home/orig"
cp -p "$ls_home/orig" "$ls_home/formation.toml"
runuser -u "$ls_user" -- bash -c '
    cd "$1" || exit 1
    while :; do
        ln -sfn "$2" link.tmp && mv -fT link.tmp formation.toml
        sleep 0.05
        cp orig file.tmp && mv -fT file.tmp formation.toml
        sleep 0.05
    done' swapper "$ls_home" "$ls_victim" 2>/dev/null &
ls_swapper_pid=$!
check ls-race-swapping "the user's loop swaps formation.toml" wait_for 60 test -L "$ls_home/formation.toml"
ls_codes=""
for ls_n in 2 1 2 1 2 1; do
    rc=0
    "$formation" -f "$ls_home/formation.toml" scale "web=$ls_n" >"$work/out" 2>"$work/err" || rc=$?
    ls_codes="$ls_codes $rc"
    check "ls-race-$ls_n-victim" "victim changed by scale web=$ls_n (exit $rc)" ls_victim_same
    check "ls-race-$ls_n-exit" "scale web=$ls_n exited $rc, wanted 1 (FILE not edited) or 2 (read the victim)" \
        test "$rc" = 1 -o "$rc" = 2
done
kill "$ls_swapper_pid" && wait "$ls_swapper_pid" 2>/dev/null
ls_swapper_pid=""
echo "   (race exit codes:$ls_codes)"

# In a directory only root controls, FILE is edited; swapped for a link to
# the victim while the converge waits for the new instance (after the read,
# before the write), it is not written through.
ls_formation 1 >"$ls_mine/formation.toml"
run ls-mine 0 "$formation" -f "$ls_mine/formation.toml" scale web=1   # from whatever the race left
check ls-mine-one "ls-web@2 stopped" stopped ls-web@2.service
"$formation" -f "$ls_mine/formation.toml" scale web=2 >"$work/out" 2>"$work/err" &
ls_scale=$!
ls_activating() { case $(prop ls-web@2.service ActiveState) in activating | active) return 0 ;; esac; return 1; }
check ls-swap-window "ls-web@2 starting" wait_for 60 ls_activating
mv "$ls_mine/formation.toml" "$ls_mine/formation.old" && ln -s "$ls_victim" "$ls_mine/formation.toml"
rc=0; wait "$ls_scale" || rc=$?
check ls-swap-exit "scale exited $rc, wanted 1: $(tr '\n' ' ' <"$work/err")" test "$rc" = 1
check ls-swap-msg "names the file that changed" has "$work/err" 'formation\.toml is no longer the file that was read'
check ls-swap-victim "victim unchanged" ls_victim_same
check ls-swap-link "the link is left alone" test -L "$ls_mine/formation.toml"
check ls-swap-old "the file read is not edited either" grep -qx 'count = 1' "$ls_mine/formation.old"
check ls-swap-scaled "ls-web@2 running" running ls-web@2.service
# And without a swap, root edits its own FILE.
rm "$ls_mine/formation.toml" && mv "$ls_mine/formation.old" "$ls_mine/formation.toml"
run ls-edit 0 "$formation" -f "$ls_mine/formation.toml" scale web=1
check ls-edit-file "FILE edited" grep -qx 'count = 1' "$ls_mine/formation.toml"
run ls-edit2 0 "$formation" -f "$ls_mine/formation.toml" scale web=2
check ls-edit2-file "FILE edited" grep -qx 'count = 2' "$ls_mine/formation.toml"
check ls-edit-owner "FILE still root's, 0644" test "$(stat -c '%U %a' "$ls_mine/formation.toml")" = "root 644"

ls_cleanup
check ls-cleanup "ls-web@1 gone" stopped ls-web@1.service
