# Issue 19, items 5 and 6, against the real systemd 252. Sourced by
# hostile.sh: $formation, $work and lib.sh's helpers; names prefixed rr_
# (apps rraw and rrbad).
#  - run: a type whose raw lines use a specifier a one-off unit cannot
#    resolve (Environment=HN=%H) runs, leaving that line out with a warning
#    (formation.toml(5)); %i is "run"; the instances themselves get %H.
#  - Raw lines systemd refuses to load (or drops) once written beside
#    formation's own: check refuses each at its file:line:col, apply installs
#    nothing, and the generator makes no unit of such a file installed by
#    hand, so no instance is ever "bad-setting".

rr_units() { systemctl list-units --all --plain --no-legend "$1-*" "$1.target" | awk '{print $1}' | tr '\n' ' '; }
rr_err() { head -8 "$work/err" | tr '\n' '|'; }

## run with a raw line that has a specifier -------------------------------------
cat >"$work/rraw.toml" <<'EOF'
app = "rraw"
[process.web]
command = ["sleep", "infinity"]
[process.web.systemd]
Service = ["Environment=HN=%H", "Environment=RUNNER=%i", "OOMScoreAdjust=100"]
EOF
run rr-apply 0 "$formation" -f "$work/rraw.toml" apply
check rr-running "rraw-web@1 is $(state rraw-web@1.service)" wait_for 20 running rraw-web@1.service
rr_pid=$(prop rraw-web@1.service MainPID)
check rr-instance-hn "the instance has no HN=$(hostname)" \
    grep -qx "HN=$(hostname)" <(tr '\0' '\n' </proc/"$rr_pid"/environ)
run rr-run 0 "$formation" -a rraw run web -- sh -c 'echo "HN=${HN-unset} RUNNER=$RUNNER"'
check rr-run-out "run printed: $(cat "$work/out")" [ "$(cat "$work/out")" = "HN=unset RUNNER=run" ]
check rr-run-warns "no warning that Environment=HN=%H is left out: $(rr_err)" \
    has "$work/err" '^formation: warning: run: leaving out Environment=HN=%H \(Environment=: specifier %H cannot be given to a one-off unit\)$'
check rr-run-warns-oom "no warning for OOMScoreAdjust=100: $(rr_err)" \
    has "$work/err" '^formation: warning: run: leaving out OOMScoreAdjust=100 \('
run rr-run-quiet 0 "$formation" -q -a rraw run web -- true
check rr-run-quiet-silent "-q still warned: $(rr_err)" [ ! -s "$work/err" ]
run rr-run-status 3 "$formation" -a rraw run web -- sh -c 'exit 3'
check rr-instance-untouched "rraw-web@1 changed: $(state rraw-web@1.service), PID $(prop rraw-web@1.service MainPID)" \
    eval 'running rraw-web@1.service && [ "$(prop rraw-web@1.service MainPID)" = "$rr_pid" ]'
run rr-destroy 0 "$formation" -a rraw destroy
check rr-destroyed "rraw has units: $(rr_units rraw)" test -z "$(rr_units rraw)"

## Raw lines that made every instance bad-setting ---------------------------------
rr_n=0
while IFS= read -r rr_line; do
    rr_n=$((rr_n + 1))
    printf 'app = "rrbad"\n[process.web]\ncommand = ["sleep", "infinity"]\nsystemd.Service = ["%s"]\n' \
        "$(sed 's/\\/\\\\/g; s/"/\\"/g' <<<"$rr_line")" >"$work/rrbad.toml"
    run "rr-bad-$rr_n-check" 2 "$formation" -f "$work/rrbad.toml" check
    check "rr-bad-$rr_n-where" "$rr_line: not refused at rrbad.toml:4:20: $(rr_err)" \
        has "$work/err" "rrbad\.toml:4:20: error: "
    run "rr-bad-$rr_n-apply" 2 "$formation" -f "$work/rrbad.toml" apply
    check "rr-bad-$rr_n-nothing" "$rr_line: apply left /etc/formation/rrbad.toml or units: $(rr_units rrbad)" \
        eval '[ ! -e /etc/formation/rrbad.toml ] && [ -z "$(rr_units rrbad)" ]'
    # Installed by hand, past check: the generator makes no unit of it.
    cp "$work/rrbad.toml" /etc/formation/rrbad.toml && systemctl daemon-reload
    rr_load=$(prop rrbad-web@1.service LoadState)
    check "rr-bad-$rr_n-no-unit" "$rr_line installed by hand: rrbad-web@1 is $rr_load" [ "$rr_load" = not-found ]
    rm -f /etc/formation/rrbad.toml && systemctl daemon-reload
done <<'LINES'
ExecStart=/bin/true
Type=oneshot
Type=dbus
ExecStartPre=/bin/true "unterminated
ExecStartPre=/bin/true %Z
ExecStartPost=./relative
ExecStopPost=/usr/bin/
RootDirectory=srv/chroot
PIDFile=/run/../x.pid
DynamicUser=maybe
User=a:b
WorkingDirectory=relative
Environment=NOTIFY_SOCKET=/run/elsewhere
LINES
check rr-clean "rrbad left units: $(rr_units rrbad)" test -z "$(rr_units rrbad)"
rm -f "$work/rraw.toml" "$work/rrbad.toml"
