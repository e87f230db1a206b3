#!/bin/bash
# formation metrics, formation-metrics.socket and formation top (issue 23),
# against a real systemd. Runs INSIDE the sandbox container
# (tests/sandbox/sandbox run --install BUILD -- bash metrics_top.sh FORMATION). An app with two web
# instances, a worker and two scheduled types: `formation metrics` is what
# systemd says (up, CPU, memory, restarts, start time, desired counts, last
# and next runs), `promtool check metrics` accepts it; the installed socket
# unit serves it over HTTP one connection at a time (HEAD, 404, 405, 400, a
# silent client); Debian's Prometheus server scrapes it and answers queries
# with the instances' values, a restart counted, a failed run seen. `top`
# under tmux shows every instance, refreshes with what systemd says, fits a
# narrow terminal, quits on q and on Ctrl-C with the terminal restored; not
# on a terminal it prints one frame.
set -u
formation=$1
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
cleanup() {
    tmux kill-server >/dev/null 2>&1
    systemctl stop prom-test.service formation-metrics.socket >/dev/null 2>&1
    systemctl reset-failed prom-test.service >/dev/null 2>&1
    "$formation" -a shop destroy >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/shop.toml" <<'T'
app = "shop"

[process.web]
command = "exec python3 -m http.server --bind 127.0.0.1 $PORT"
count = 2
port = 5300
ready = "port"

[process.worker]
command = "while :; do sleep 1; done"

[process.tick]
command = "echo tick"
schedule = "*:*:0/2"

[process.report]
command = "echo report failed; exit 4"
schedule = "yearly"
T
run apply 0 "$formation" apply -f "$work/shop.toml"
run report-fails 1 "$formation" -a shop start report
check tick-ran "the 2 s timer ran tick" wait_for 10 sh -c '[ "$(systemctl show -P ExecMainExitTimestampMonotonic shop-tick.service)" -gt 0 ]'
# Some CPU for web.1 to count.
for _ in 1 2 3 4 5; do curl -s -o /dev/null http://127.0.0.1:5300/; done

# 1. The text, checked by Prometheus's own linter.
run metrics 0 "$formation" metrics
cp "$work/out" "$work/metrics.txt"
check promtool "promtool check metrics accepts the output" sh -c "promtool check metrics <'$work/metrics.txt' >'$work/lint' 2>&1 || { cat '$work/lint'; exit 1; }"
host=$(hostname)
w1="app=\"shop\",type=\"web\",instance=\"web.1\",host=\"$host\""
value() { sed -n "s/^$1{$2} //p" "$3"; }      # value FAMILY LABELS FILE
check up-web1 "web.1 up" [ "$(value formation_instance_up "$w1" "$work/metrics.txt")" = 1 ]
check ready-web1 "web.1 ready" [ "$(value formation_instance_ready "$w1" "$work/metrics.txt")" = 1 ]
check desired-web "web desired 2" [ "$(value formation_type_desired_instances "app=\"shop\",type=\"web\",host=\"$host\"" "$work/metrics.txt")" = 2 ]
check no-desired-tick "a scheduled type has no desired count" sh -c "! grep -q 'formation_type_desired_instances{app=\"shop\",type=\"tick\"' '$work/metrics.txt'"
# What systemd knows of web.1's memory and CPU, the same; what it does not
# know (no memory or cpuacct controller, as in this test container on a
# cgroup v1 host), no sample rather than a made-up 0.
mem=$(value formation_instance_memory_bytes "$w1" "$work/metrics.txt")
sd_mem=$(prop shop-web@1.service MemoryCurrent)
if [ "$sd_mem" = "[not set]" ] || [ -z "$sd_mem" ]; then
    check memory "no memory sample when systemd has none (${mem:-none})" [ -z "$mem" ]
else
    check memory "web.1's memory is systemd's MemoryCurrent (${mem:-none} ~ $sd_mem)" \
        python3 -c "import sys; sys.exit(not (0 < int('$mem') and abs(int('$mem') - $sd_mem) < 4 << 20))"
fi
cpu=$(value formation_instance_cpu_seconds_total "$w1" "$work/metrics.txt")
sd_cpu=$(prop shop-web@1.service CPUUsageNSec)
if [ "$sd_cpu" = "[not set]" ] || [ -z "$sd_cpu" ]; then
    check cpu "no CPU sample when systemd has none (${cpu:-none})" [ -z "$cpu" ]
else
    check cpu "web.1's CPU seconds are systemd's CPUUsageNSec (${cpu:-none}, $sd_cpu ns)" \
        python3 -c "import sys; v=float('$cpu'); sys.exit(not (0 < v <= $sd_cpu/1e9 + 1))"
fi
start=$(value formation_instance_start_time_seconds "$w1" "$work/metrics.txt")
enter=$(prop shop-web@1.service ActiveEnterTimestamp)
check start-time "web.1's start time is its ActiveEnterTimestamp ($start, $enter)" \
    python3 -c "import sys; sys.exit(abs(float('$start') - $(date -d "$enter" +%s)) > 2)"
check restarts-zero "web.1 not restarted yet" [ "$(value formation_instance_restarts_total "$w1" "$work/metrics.txt")" = 0 ]
rep="app=\"shop\",type=\"report\",host=\"$host\""
tick="app=\"shop\",type=\"tick\",host=\"$host\""
check report-failed "the failed report run is 0" [ "$(value formation_scheduled_last_run_success "$rep" "$work/metrics.txt")" = 0 ]
tick_next_soon() {
    "$formation" metrics >"$work/next.txt"
    python3 -c "import sys,time; sys.exit(not (0 <= float('$(value formation_scheduled_next_run_timestamp_seconds "$tick" "$work/next.txt")') - time.time() <= 3))"
}
# (While a run goes, the timer has no next run yet: look again.)
check tick-next "tick's next run is within 3 s" wait_for 5 tick_next_soon
check tick-last "tick's last run began within 4 s" \
    python3 -c "import sys,time; sys.exit(not (0 <= time.time() - float('$(value formation_scheduled_last_run_timestamp_seconds "$tick" "$work/metrics.txt")') <= 4))"

# 2. A crash restarted by systemd is counted.
kill -9 "$(prop shop-web@2.service MainPID)"
check web2-back "web.2 restarted" wait_for 10 sh -c '[ "$(systemctl show -P NRestarts shop-web@2.service)" = 1 ] && [ "$(systemctl show -P ActiveState shop-web@2.service)" = active ]'
"$formation" metrics >"$work/after.txt"
check restarts-one "web.2's restart counted" [ "$(value formation_instance_restarts_total "${w1/web.1/web.2}" "$work/after.txt")" = 1 ]

# 3. The installed socket unit: one connection, one answer, nothing resident.
run socket 0 systemctl start formation-metrics.socket
check listening "the socket listens on 127.0.0.1:9469" listening 9469
curl -s -D "$work/headers" -o "$work/http.txt" http://127.0.0.1:9469/metrics
check http-200 "GET /metrics answers 200" has_or_show "$work/headers" '^HTTP/1.1 200 OK'
check http-type "the exposition format's content type" has_or_show "$work/headers" '^Content-Type: text/plain; version=0.0.4'
check http-body "the body has web.1" has_or_show "$work/http.txt" "^formation_instance_up\\{$w1\\} 1\$"
check http-lint "promtool accepts what the socket serves" sh -c "promtool check metrics <'$work/http.txt' >/dev/null 2>&1"
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
check http-head "HEAD /metrics 200 and no body" [ "$(curl -s -I http://127.0.0.1:9469/metrics | head -1 | tr -d '\r')" = "HTTP/1.1 200 OK" ]
check http-404 "another path 404" [ "$(code http://127.0.0.1:9469/nope)" = 404 ]
check http-405 "POST 405" [ "$(code -X POST http://127.0.0.1:9469/metrics)" = 405 ]
check http-400 "not HTTP: 400" sh -c "printf 'hello there\r\n\r\n' | timeout 5 python3 -c \"
import socket,sys
s=socket.create_connection(('127.0.0.1',9469)); s.sendall(sys.stdin.buffer.read()); print(s.recv(100).decode())\" | grep -q '^HTTP/1.1 400 '"
# A client that connects and says nothing is dropped within 5 s, and no
# scrape service is left behind.
check silent "a silent client is closed within 7 s" timeout 10 python3 -c "
import socket,sys,time
s=socket.create_connection(('127.0.0.1',9469)); t=time.time(); d=s.recv(10); sys.exit(not (d == b'' and time.time()-t < 7))"
check none-left "no formation-metrics@ service is left" wait_for 5 sh -c '! systemctl list-units --plain --no-legend "formation-metrics@*" | grep -q .'
check sandboxed "the scrape service runs without capabilities" sh -c '[ -z "$(systemctl show -P CapabilityBoundingSet formation-metrics@x.service)" ]'

# 4. Debian's Prometheus scrapes it, with the README's scrape config:
# honor_labels keeps formation's `instance` label ("web.1"; Prometheus's own
# would rename it exported_instance).
cat >"$work/prometheus.yml" <<'Y'
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: formation
    honor_labels: true
    static_configs:
      - targets: ["127.0.0.1:9469"]
Y
run prometheus 0 systemd-run --unit=prom-test --property=Type=exec /usr/bin/prometheus \
    --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" --web.listen-address=127.0.0.1:9091
query() { curl -s --get --data-urlencode "query=$1" http://127.0.0.1:9091/api/v1/query; }
scraped() { query 'up{job="formation"}' | grep -q '"value":\[[0-9.]*,"1"\]'; }
check scraped "Prometheus scraped the socket (up == 1)" wait_for 30 scraped
query "formation_instance_up{app=\"shop\",instance=\"web.1\"}" >"$work/q1"
check query-up "Prometheus has web.1 up = 1" has_or_show "$work/q1" '"instance":"web.1".*"value":\[[0-9.]*,"1"\]'
query "formation_instance_restarts_total{app=\"shop\",instance=\"web.2\"}" >"$work/q2"
check query-restarts "Prometheus has web.2's restart" has_or_show "$work/q2" '"value":\[[0-9.]*,"1"\]'
query 'formation_scheduled_last_run_success{app="shop",type="report"}' >"$work/q3"
check query-failed "Prometheus has the failed report run" has_or_show "$work/q3" '"value":\[[0-9.]*,"0"\]'
query 'count(formation_instance_up{app="shop"})' >"$work/q4"
check query-count "three instances (web.1, web.2, worker.1)" has_or_show "$work/q4" '"value":\[[0-9.]*,"3"\]'

# 5. formation top, on a terminal (tmux) and not.
# Exit status 1, as status: report's last run failed.
run top-once 1 timeout 10 "$formation" -a shop top --interval 0.3
check top-once-title "one frame: the title counts the instances" has_or_show "$work/out" '^shop: 3/3 running$'
check top-once-rows "one frame: every instance with its state" sh -c "grep -qE '^ +web\.1 +active/running ' '$work/out' && grep -qE '^ +web\.2 +active/running ' '$work/out' && grep -qE '^ +worker\.1 +active/running ' '$work/out'"
check top-once-header "one frame: the columns" has_or_show "$work/out" '^ +INSTANCE +STATE +CPU% +MEMORY +RESTARTS +UPTIME +NOTE$'
check top-once-headings "one frame: a heading per type, the scheduled ones too" sh -c "grep -q '^web 2/2 running' '$work/out' && grep -q '^tick scheduled (\*:\*:0/2)' '$work/out'"
run top-bad-app 2 "$formation" -a nosuch top
export TERM=xterm-256color
screen() { tmux capture-pane -p -t top; }
shows() { screen | grep -qE -- "$1"; }
tmux new-session -d -s top -x 150 -y 40 "bash --norc --noprofile"
tmux send-keys -t top "stty -a > $work/stty.before; $formation -a shop top --interval 0.5; echo top-exited-\$?" Enter
check tty-rows "top on a terminal shows every instance" wait_for 10 sh -c "tmux capture-pane -p -t top | grep -qE '^ +web\.2 +active/running' && tmux capture-pane -p -t top | grep -qE '^ +worker\.1 +active/running'"
check tty-title "its title: counts, the time, q quits" shows '^shop: 3/3 running  [0-9]{2}:[0-9]{2}:[0-9]{2}, every 0\.5s; q quits$'
# It refreshes from systemd: a stopped instance shows within a second or two.
systemctl stop shop-web@2.service
check tty-refresh "top shows web.2 stopped" wait_for 5 shows '^ +web\.2 +inactive/dead'
check tty-refresh-title "and counts it" shows '^shop: 2/3 running'
first=$(screen | head -1)
check tty-clock "the clock moves" wait_for 3 sh -c "[ \"\$(tmux capture-pane -p -t top | head -1)\" != '$first' ]"
tmux send-keys -t top q
check tty-quit "q quits (exit status 0, or 1 with web.2 stopped)" wait_for 5 shows '^top-exited-[01]$'
tmux send-keys -t top "stty -a > $work/stty.after" Enter
check tty-restored "the terminal's modes are restored" wait_for 5 sh -c "[ -s $work/stty.after ] && cmp -s $work/stty.before $work/stty.after"
check tty-alt-screen "the frame went with the alternate screen" sh -c "! tmux capture-pane -p -t top | grep -q 'q quits'"
# Ctrl-C quits and restores as well.
tmux send-keys -t top "clear; $formation -a shop top; echo top-exited-\$?" Enter
check tty-again "top again" wait_for 10 shows '^ +worker\.1 +active/running'
tmux send-keys -t top C-c
check tty-ctrl-c "Ctrl-C quits" wait_for 5 shows '^top-exited-[01]$'
tmux send-keys -t top "stty -a > $work/stty.after2" Enter
check tty-restored2 "restored after Ctrl-C" wait_for 5 sh -c "[ -s $work/stty.after2 ] && cmp -s $work/stty.before $work/stty.after2"
# A narrow, short terminal: lines cut, never wrapped; what does not fit is counted.
tmux kill-session -t top
tmux new-session -d -s top -x 40 -y 8 "$formation -a shop top"
check tty-narrow "a 40x8 terminal shows the first lines" wait_for 10 shows '^shop: 2/3 running'
check tty-narrow-cut "no line is wider than 40 columns" sh -c "tmux capture-pane -p -t top | python3 -c 'import sys; sys.exit(any(len(l.rstrip(\"\\n\")) > 40 for l in sys.stdin))'"
check tty-narrow-more "the lines that do not fit are counted" shows '^  … [0-9]+ more lines'
tmux send-keys -t top q
check tty-narrow-quit "q quits" wait_for 5 sh -c '! tmux has-session -t top 2>/dev/null'

finish metrics-top
