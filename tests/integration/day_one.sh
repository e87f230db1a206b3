#!/bin/bash
# What a user switching from foreman meets on day one, against a real
# systemd: each instance knows its name (FORMATION_INSTANCE, and PS through
# instance_env); a line with only a redirect is still exec'd (the program,
# not the shell, is the main process); shell = "/bin/bash -l" runs bash as a
# login shell; every instance sits in the app's slice, whose app-wide
# memory_max/cpu_quota systemd applies and apply changes in place; after =
# orders types without restarting them on a scale; network_online pulls in
# network-online.target; writable_paths opens a path under /home at the
# default hardening; destroy leaves no slice behind. Runs INSIDE the sandbox
# container: sandbox run --install BUILD -- bash day_one.sh /ABS/formation
set -u
formation=${1:?usage: day_one.sh /abs/path/to/formation}
work=/var/tmp/formation-day-one
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
source "$(dirname "$0")/lib.sh"

out=/var/lib/dayone
rm -rf "$out" && mkdir -p "$out"
mkdir -p /etc/profile.d /home/deploy/app/tmp
echo 'export DAYONE_PROFILE=read' >/etc/profile.d/dayone.sh
slice='my\x2dshop.slice'
# The limits are asserted as systemd holds them (MemoryMax=, CPUQuota=): in
# this container (cgroup v1 hybrid) the memory controller is not delegated,
# so the kernel's own memory.max cannot be read back here.

write() {  # write MEMORY_MAX WEB_COUNT
    cat >"$work/my-shop.toml" <<EOF
app = "my-shop"
memory_max = "$1"
cpu_quota = "50%"
instance_env = ["PS"]

[process.web]
command = "echo \"\$FORMATION_APP \$FORMATION_INSTANCE \$PS\" > $out/\$FORMATION_INSTANCE; exec sleep infinity"
count = $2

[process.redir]
command = "sleep infinity 2>&1 >/dev/null"

[process.bashy]
shell = "/bin/bash -l"
command = "[[ -n \$BASH_VERSION ]] && echo \"bash \$DAYONE_PROFILE\" > $out/bashy; exec sleep infinity"
after = ["web"]
network_online = true

[process.writer]
working_directory = "/home/deploy/app"
writable_paths = ["/home/deploy/app/tmp"]
command = "touch tmp/ok; touch nope 2>/dev/null && touch $out/home-writable; exec sleep infinity"
EOF
}

write 1G 2
run apply 0 "$formation" -f "$work/my-shop.toml" apply
check apply-running "every instance runs" all_running my-shop-web@1.service my-shop-web@2.service \
    my-shop-redir@1.service my-shop-bashy@1.service my-shop-writer@1.service

# Identity.
wait_for 5 test -s "$out/web.2"
check identity-1 "web@1 sees app, FORMATION_INSTANCE and PS" test "$(cat "$out/web.1" 2>/dev/null)" = "my-shop web.1 web.1"
check identity-2 "web@2 sees its own name" test "$(cat "$out/web.2" 2>/dev/null)" = "my-shop web.2 web.2"

# A redirect-only line is exec'd: the main process is sleep, not sh.
redir_pid=$(prop my-shop-redir@1.service MainPID)
check redirect-exec "main process of 'sleep … 2>&1' is sleep (got $(cat /proc/$redir_pid/comm 2>/dev/null))" \
    test "$(cat /proc/$redir_pid/comm 2>/dev/null)" = sleep
check redirect-killmode "KillMode=mixed for a redirect-only line" test "$(prop my-shop-redir@1.service KillMode)" = mixed

# bash -l: bash syntax works and the profile was read.
wait_for 5 test -s "$out/bashy"
check login-shell "bash ran as a login shell (got '$(cat "$out/bashy" 2>/dev/null)')" \
    test "$(cat "$out/bashy" 2>/dev/null)" = "bash read"
check plain-sh-has-no-profile "web (plain /bin/sh) did not read the profile" \
    test -z "$(tr '\0' '\n' </proc/"$(prop my-shop-web@1.service MainPID)"/environ | grep DAYONE_PROFILE)"

# The slice: every instance in it, app-wide limits applied by systemd.
for u in my-shop-web@1.service my-shop-redir@1.service my-shop-bashy@1.service my-shop-writer@1.service; do
    check "slice-$u" "$u runs in $slice (cgroup $(prop "$u" ControlGroup))" \
        test "$(prop "$u" ControlGroup)" = "/$slice/$u"
done
check slice-memory "slice MemoryMax is 1G" test "$(prop "$slice" MemoryMax)" = 1073741824
check slice-cpu "slice CPUQuota is 50%" test "$(prop "$slice" CPUQuotaPerSecUSec)" = 500ms

# Ordering: bashy starts after every web instance; network-online pulled in.
check after "bashy is ordered after web@1 and web@2 ($(prop my-shop-bashy@1.service After))" \
    bash -c '[[ " $1 " == *" my-shop-web@1.service "* && " $1 " == *" my-shop-web@2.service "* ]]' _ "$(prop my-shop-bashy@1.service After)"
check network-online "bashy wants network-online.target" has <(prop my-shop-bashy@1.service Wants) network-online.target

# writable_paths under ProtectHome=read-only (default hardening).
wait_for 5 test -e /home/deploy/app/tmp/ok
check writable-path "writer wrote into its writable path under /home" test -e /home/deploy/app/tmp/ok
check home-read-only "writer could not write elsewhere under /home" test ! -e "$out/home-writable"
check home-read-only-2 "no file outside the writable path" test ! -e /home/deploy/app/nope

# Scale web and raise the app's memory: the slice changes in place, bashy
# (ordered after web) and the others keep their processes.
before=$(for u in my-shop-bashy@1.service my-shop-redir@1.service my-shop-writer@1.service my-shop-web@1.service; do
    echo "$u $(prop "$u" MainPID)"; done)
write 2G 3
run apply-2 0 "$formation" -f "$work/my-shop.toml" apply
after=$(for u in my-shop-bashy@1.service my-shop-redir@1.service my-shop-writer@1.service my-shop-web@1.service; do
    echo "$u $(prop "$u" MainPID)"; done)
check no-restart "scaling web and changing the slice restarted nothing: $before / $after" test "$before" = "$after"
check scaled "web@3 runs" running my-shop-web@3.service
check slice-memory-2 "slice MemoryMax is now 2G" test "$(prop "$slice" MemoryMax)" = 2147483648
check after-2 "bashy is now ordered after web@3 too" has <(prop my-shop-bashy@1.service After) 'my-shop-web@3.service'
check plan-said "apply printed no restart" bash -c '! grep -q restart "$1"' _ "$work/out"

# What systemd ignores while loading (a raw value check cannot judge) is
# reported by apply, with the file and line systemd names.
cat >"$work/warn.toml" <<'EOF'
app = "warn"
[process.web]
command = "exec sleep infinity"
systemd.Service = ["Nice=abc"]
EOF
run warn-apply 0 "$formation" -f "$work/warn.toml" apply
check warn-reported "apply reports systemd's warning: $(cat "$work/err")" \
    has "$work/err" "warning: systemd ignored a setting of warn-web@1.service: .*warn-web@.service:[0-9]+: Failed to parse nice priority 'abc', ignoring"
run warn-apply-again 0 "$formation" -f "$work/warn.toml" apply
check warn-not-repeated "a second apply with nothing to do loads nothing and says nothing" test ! -s "$work/err"
run warn-destroy 0 "$formation" -a warn destroy

# destroy: the slice goes too.
run destroy 0 "$formation" -a my-shop destroy
check destroy-slice "no active slice after destroy ($(prop "$slice" ActiveState))" stopped "$slice"
check destroy-units "no instance left" test -z "$(active_of my-shop)"

finish day-one
