#!/bin/bash
# Deploys that drop nothing (issue 12), against a real systemd. Runs INSIDE
# the sandbox container (tests/sandbox/sandbox run -- bash traffic.sh
# FORMATION): Debian's gunicorn serves a small WSGI app as three `web`
# instances, nginx (default upstream settings) is in front, and wrk is the
# load (webapp.sh). With socket = true a rolling restart and a scale-down
# under load must fail no request and see no socket error; the same runs
# without sockets are printed beside, not asserted.
set -u
formation=$1
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/webapp.sh"
webapp_begin /srv/traffic

# Each request takes ~10 ms, so a restart always finds some in flight.
webapp_write_app 0.01 PORT
webapp_start_nginx

# formation FILE: socket (true/false), ready, count, extra lines
write_formation() {
    cat >"$work/shop.toml" <<T
app = "shop"
[process.web]
command = "gunicorn --workers 2 --chdir $srv --bind 127.0.0.1:\$PORT app:app"
count = $3
port = 5000
socket = $1
ready = "$2"
stop_timeout = "15s"
$4
T
}

wrk_connections=16
socket_since() { prop "$1" ActiveEnterTimestampMonotonic; }

# restart_under_load LABEL: formation restart web while wrk loads nginx and
# instance 2's port; leaves $work/LABEL-{lb,direct}.wrk and the roll's time.
restart_under_load() {
    wrk_run "$1-lb" 14 http://127.0.0.1:8080/
    wrk_run "$1-direct" 14 http://127.0.0.1:5001/
    sleep 2
    local t0=$SECONDS
    "$formation" -a shop restart web >"$work/$1.restart" 2>&1
    echo $? >"$work/$1.rc"
    echo $((SECONDS - t0)) >"$work/$1.took"
    wrk_wait
}

# --- with sockets --------------------------------------------------------
write_formation true notify 3 ""
run apply-sockets 0 "$formation" -f "$work/shop.toml" apply
check sockets-listening "every instance has its socket, started with it" \
    all_running shop-web@1.service shop-web@2.service shop-web@3.service
for i in 1 2 3; do check "socket-$i" "shop-web@$i.socket is active" systemctl -q is-active "shop-web@$i.socket"; done
check warm "nginx answers through the instances" wait_for 20 curl -sf -o /dev/null http://127.0.0.1:8080/

run status-socket 0 "$formation" -a shop status
check status-column "status shows a SOCKET column" has "$work/out" 'SOCKET'
check status-socket-state "status shows each socket running" has "$work/out" 'shop-web@3\.service .*active/running.*active/running'
run status-json 0 "$formation" -a shop status --json
check status-json-socket "status --json has the socket" has "$work/out" '"socket":"active/running"'

since1=$(socket_since shop-web@1.socket)
restart_under_load sock
check restart-ok "restart under load exits 0" [ "$(cat "$work/sock.rc")" = 0 ]
check restart-lb "through nginx: no failed request, no socket error" no_failures "$work/sock-lb.wrk"
check restart-direct "straight to instance 2: no failed request, no socket error" no_failures "$work/sock-direct.wrk"
check restart-paced "each restarted instance held up for min_ready (2 s) before the next: roll took $(cat "$work/sock.took") s" \
    [ "$(cat "$work/sock.took")" -ge 6 ]
check socket-untouched "a service restart leaves its socket alone" [ "$(socket_since shop-web@1.socket)" = "$since1" ]

# Scale-down under load: web@3 and web@2 drain, then their sockets stop.
wrk_run scale-lb 10 http://127.0.0.1:8080/
sleep 2
run scale-down 0 "$formation" -f "$work/shop.toml" scale web=1
wrk_wait
check scale-lb "scale 3→1 through nginx: no failed request, no socket error" no_failures "$work/scale-lb.wrk"
for i in 2 3; do
    check "scaled-$i" "web@$i and its socket are stopped" stopped "shop-web@$i.service"
    check "scaled-socket-$i" "shop-web@$i.socket is stopped" stopped "shop-web@$i.socket"
done
check no-reactivation "a connection to a removed port is refused and starts nothing" \
    bash -c '! (exec 3<>/dev/tcp/127.0.0.1/5002) 2>/dev/null'
sleep 0.5
check still-stopped "web@3 was not socket-activated again" stopped shop-web@3.service

run scale-up 0 "$formation" -f "$work/shop.toml" scale web=3
check scale-up-sockets "scale-up starts each new instance with its socket (Requires=)" \
    systemctl -q is-active shop-web@2.socket shop-web@3.socket shop-web@2.service shop-web@3.service

# A port change restarts the sockets; a command change does not.
since1=$(socket_since shop-web@1.socket)
write_formation true notify 3 'env = { FLAVOUR = "new" }'
run apply-env 0 "$formation" -f "$work/shop.toml" apply
check env-socket-kept "a changed environment restarts the service, not its socket" \
    [ "$(socket_since shop-web@1.socket)" = "$since1" ]
check env-socket-plan "apply's plan names no socket" bash -c "! grep -q 'socket' '$work/out'"
sed -i 's/^port = 5000/port = 5100/' "$work/shop.toml"
run apply-port 0 "$formation" -f "$work/shop.toml" apply
check port-plan "apply says the socket restarts" has "$work/out" 'restart shop-web@1.service \(and its socket'
check port-new "the socket listens on the new port" listening 5100
check port-old "and no longer on the old one" bash -c '! (exec 3<>/dev/tcp/127.0.0.1/5000) 2>/dev/null'
check port-running "the instances run again" all_running shop-web@1.service shop-web@2.service shop-web@3.service
sed -i 's/^port = 5100/port = 5000/' "$work/shop.toml"
run apply-port-back 0 "$formation" -f "$work/shop.toml" apply

# A restart that dies during min_ready stops the roll: gunicorn notifies
# READY=1, then exits when its workers cannot import the app (seconds
# later on a loaded machine: min_ready 6s here).
sed -i 's/ app:app"/ nosuchmodule:app"/' "$work/shop.toml"
echo 'min_ready = "6s"' >>"$work/shop.toml"
pid2=$(prop shop-web@2.service MainPID)
run bad-roll 1 "$formation" -f "$work/shop.toml" apply
check bad-roll-says "apply names the instance and min_ready" has "$work/err" 'restart shop-web@1.service: did not stay up for 6 s \(min_ready\)'
check bad-roll-logs "with the process's last lines" has "$work/err" 'nosuchmodule|Worker failed to boot'
check bad-roll-rest "and what stays on the old code" has "$work/err" 'still on the previous configuration: shop-web@2.service shop-web@3.service'
check bad-roll-untouched "web@2 kept its process" [ "$(prop shop-web@2.service MainPID)" = "$pid2" ]
sed -i -e 's/ nosuchmodule:app"/ app:app"/' -e '/^min_ready/d' "$work/shop.toml"
run good-again 0 "$formation" -f "$work/shop.toml" apply

run parallel 0 "$formation" -a shop restart --parallel 3 web
check parallel-all "restart --parallel 3 restarts all three" [ "$(grep -c '^restarted' "$work/out")" = 3 ]

run stop-web 0 "$formation" -a shop stop web
check stop-sockets "stop TYPE stops the sockets too" stopped shop-web@1.socket
run start-web 0 "$formation" -a shop start web
check start-sockets "start brings them back" systemctl -q is-active shop-web@1.socket shop-web@1.service
run destroy 0 "$formation" -a shop destroy
check destroy-sockets "destroy stops the sockets" stopped shop-web@2.socket

# --- without sockets, for comparison (printed, not asserted) -------------
write_formation false port 3 ""
run apply-plain 0 "$formation" -f "$work/shop.toml" apply
wait_for 20 curl -sf -o /dev/null http://127.0.0.1:8080/
restart_under_load plain
wrk_run plain-scale 10 http://127.0.0.1:8080/
sleep 2
"$formation" -f "$work/shop.toml" scale web=1 >/dev/null 2>&1
wrk_wait

echo "traffic: figures (requests non-2xx socket-errors req/s max-latency):"
for label in sock-lb sock-direct scale-lb plain-lb plain-direct plain-scale; do
    printf '  %-13s %s\n' "$label" "$(wrk_figures "$work/$label.wrk")"
done
echo "  roll took: sockets $(cat "$work/sock.took") s, without $(cat "$work/plain.took") s"
finish traffic
