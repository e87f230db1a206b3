# Issue 19 items 3 and 4 against the real systemd: tricky Procfile-style
# shell lines (substitutions in leading assignments, redirections first,
# quotes, a line of assignments only, builtins, comments, …) run by real
# instances, each compared with `/bin/sh -c LINE` as written, run here with
# the same environment: the same output (the instance's journal against
# sh's stdout and stderr), the same exit status and the same files left in
# its working directory. Where formation puts exec is checked in a few
# ExecStart= lines, and a long-running line's main process must be the
# program, not the shell. Sourced by hostile.sh: $formation, $work and
# lib.sh's helpers; names prefixed sl_ (app sl).

# Hardened units have PrivateTmp= and ProtectHome=: the lines work in /srv.
sl_root=/srv/sl
sl_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin  # systemd's fixed PATH
sl_lines=()
while IFS= read -r sl_line; do sl_lines+=("$sl_line"); done <<'EOF'
G=$(echo hello world) printenv G
x=1
2>/dev/null G=hi printenv G
G=`echo a b` H=${SL_UNSET:-$(echo c) d} printenv G H
>out 2>&1 G="a $(echo "b c") d" printenv G
G=$((1 + (2*3))) H=$((1<<4)) printenv G H
G=${FORMATION_INSTANCE%.*} H=100% printenv G H
printenv FORMATION_APP # a comment; not | a list
x=1 y=$(echo 2) # assignments and a comment only
>created
echo "a\tb" 'c\nd'
G=hi exec printenv G
cd .. && printenv FORMATION_APP
G=$(case x in x) echo cased;; esac) printenv G
\printenv FORMATION_APP
"printenv" 'FORMATION_INSTANCE'
<in cat
G=1 2>&1 >out H=2 printenv G H
$SL_UNSET printenv FORMATION_APP
G=$(printf '%s' "a)b") H=${SL_UNSET:-'}'} printenv G H
G=\$HOME H='$(not run)' printenv G H
G="${SL_UNSET:-a  b}" printenv G
2>err >out G=$(echo x >&2; echo y) printenv G
EOF
sl_type() { printf 'l%02d' "$1"; }
sl_unit() { echo "sl-$(sl_type "$1")@1.service"; }
sl_toml_string() {
    local s=${1//\\/\\\\}
    s=${s//\"/\\\"}
    printf '"%s"' "$s"
}
sl_formation() {
    printf 'app = "sl"\n\n[defaults]\nrestart = "no"\nwritable_paths = ["%s"]\n' "$sl_root"
    local i
    for i in "${!sl_lines[@]}"; do
        printf '\n[process.%s]\ncommand = %s\nworking_directory = "%s/unit/%s"\n' \
            "$(sl_type "$i")" "$(sl_toml_string "${sl_lines[$i]}")" "$sl_root" "$(sl_type "$i")"
    done
    # Stays up: its main process must be the program that exec replaced sh with.
    printf '\n[process.main]\ncommand = "G=$(echo up) 2>/dev/null sleep infinity"\nrestart = "always"\n'
}
sl_prepare() {  # a working directory with the same "in" file for the instance and for sh -c
    mkdir -p "$1" && printf 'in put\nline two\n' >"$1/in"
}
sl_files() { (cd "$1" && for f in *; do printf '%s=%s\n' "$f" "$(cat "$f")"; done); }
sl_stopped() { case $(prop "$1" ActiveState) in inactive|failed) return 0 ;; *) return 1 ;; esac; }
sl_printed_as_sh() {
    sl_got=$(journalctl -q -o cat --since "@$sl_since" SYSLOG_IDENTIFIER="sl-$sl_t.1")
    [ "$sl_got" = "$sl_want" ]
}
sl_script() {  # the line /bin/sh -c runs in UNIT, as systemd has it
    systemctl show -P ExecStart "$1" | sed -n 's/^.*argv\[\]=\/bin\/sh -c \(.*\) ; ignore_errors=.*$/\1/p'
}

rm -rf "$sl_root"
for sl_i in "${!sl_lines[@]}"; do
    sl_prepare "$sl_root/unit/$(sl_type "$sl_i")"
    sl_prepare "$sl_root/sh/$(sl_type "$sl_i")"
done
sl_formation >"$work/sl.toml"
run sl-check 0 "$formation" -f "$work/sl.toml" check
sl_since=$(date +%s)
# Lines that exit at once make apply say they did not stay up (exit 1).
"$formation" -f "$work/sl.toml" apply >"$work/apply.out" 2>&1
check sl-installed "apply did not install sl: $(tail -5 "$work/apply.out" | tr '\n' '|')" test -e /etc/formation/sl.toml

for sl_i in "${!sl_lines[@]}"; do
    sl_t=$(sl_type "$sl_i") sl_u=$(sl_unit "$sl_i") sl_line=${sl_lines[$sl_i]}
    check "sl-$sl_t-ran" "$sl_u is $(state "$sl_u") for: $sl_line" wait_for 20 sl_stopped "$sl_u"
    sl_want_rc=0
    sl_want=$(cd "$sl_root/sh/$sl_t" &&
        env -i PATH="$sl_path" FORMATION_APP=sl FORMATION_INSTANCE="$sl_t.1" /bin/sh -c "$sl_line" </dev/null 2>&1) ||
        sl_want_rc=$?
    # This run's lines, by the identifier systemd gives the stream. Not by
    # _SYSTEMD_INVOCATION_ID: journald misses it when the process is gone
    # before it reads the line; nor with --after-cursor, which, with a
    # match, loses the first line.
    journalctl --sync
    wait_for 5 sl_printed_as_sh  # a line journald had yet to read gets a few seconds
    sl_got_rc=$(prop "$sl_u" ExecMainStatus)
    check "sl-$sl_t-exited" "$sl_u has ExecMainCode=$(prop "$sl_u" ExecMainCode) (1 is exited)" \
        test "$(prop "$sl_u" ExecMainCode)" = 1
    check "sl-$sl_t-output" "for: $sl_line: the instance printed [$sl_got], sh -c [$sl_want]" \
        test "$sl_got" = "$sl_want"
    check "sl-$sl_t-status" "for: $sl_line: the instance exited $sl_got_rc, sh -c $sl_want_rc" \
        test "$sl_got_rc" = "$sl_want_rc"
    sl_got_files=$(sl_files "$sl_root/unit/$sl_t") sl_want_files=$(sl_files "$sl_root/sh/$sl_t")
    check "sl-$sl_t-files" "for: $sl_line: the instance left [$sl_got_files], sh -c [$sl_want_files]" \
        test "$sl_got_files" = "$sl_want_files"
done

# Where exec went: before the command word, never inside a substitution or
# after an assignment-only line; and not at all where the shell must stay.
sl_exec_at() {  # sl_exec_at INDEX SCRIPT
    local got want=${2//\$/\$\$}  # systemd keeps "$$" until it runs the line
    got=$(sl_script "$(sl_unit "$1")")
    check "sl-$(sl_type "$1")-exec-at" "ExecStart of $(sl_unit "$1") runs [$got], wanted [$want]" test "$got" = "$want"
}
sl_exec_at 0 'G=$(echo hello world) exec printenv G'
sl_exec_at 1 'x=1'
sl_exec_at 2 '2>/dev/null G=hi exec printenv G'
sl_exec_at 3 'G=`echo a b` H=${SL_UNSET:-$(echo c) d} exec printenv G H'
sl_exec_at 4 '>out 2>&1 G="a $(echo "b c") d" exec printenv G'
sl_exec_at 9 '>created'
sl_exec_at 10 "echo \"a\\tb\" 'c\\nd'"
sl_exec_at 11 'G=hi exec printenv G'
sl_exec_at 17 'G=1 2>&1 >out H=2 exec printenv G H'

check sl-compound-kill-mode "$(sl_unit 12) has KillMode=$(prop "$(sl_unit 12)" KillMode)" \
    test "$(prop "$(sl_unit 12)" KillMode)" = control-group

check sl-main-running "sl-main@1.service is $(state sl-main@1.service)" wait_for 20 running sl-main@1.service
sl_main_comm=$(cat "/proc/$(prop sl-main@1.service MainPID)/comm" 2>/dev/null)
check sl-main-is-the-program "the main process of sl-main@1 is $sl_main_comm, not sleep" test "$sl_main_comm" = sleep
check sl-main-kill-mode "sl-main@1 has KillMode=$(prop sl-main@1.service KillMode)" \
    test "$(prop sl-main@1.service KillMode)" = mixed

run sl-destroy 0 "$formation" -a sl destroy
check sl-destroyed "units of sl are left: $(instances_of sl | tr '\n' ' ')" test -z "$(instances_of sl)"
rm -rf "$sl_root"
