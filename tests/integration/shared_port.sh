#!/bin/bash
# One port per type (issue 22), against a real systemd. Runs INSIDE the
# sandbox container (tests/sandbox/sandbox run -- bash shared_port.sh
# FORMATION): Debian's gunicorn serves a small WSGI app as `web` instances
# that all accept on one socket (socket = "shared", port 5000); wrk loads
# that port straight, with no load balancer, then through nginx with one
# upstream. A rolling restart, scale 3->6->2, a crashing instance, a port
# change and a reverted one; health checks on each instance's own socket (a
# sick instance restarted alone, a release that answers 500 refused after
# its first batch), and the descriptor order a one-socket server needs.
set -u
formation=$1
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/webapp.sh"
webapp_begin /srv/shared

# Each request takes 10 ms (/slow: 300 ms) and answers "web.N PORT
# LISTEN_FDNAMES"; an instance whose $srv/crash-web.N exists cannot even be
# imported (gunicorn: "Worker failed to boot", the process exits). With
# BEHAVIOR=500 every answer is a 500; $srv/sick-web.N makes that instance's
# /healthz alone answer 503.
cat >"$srv/app.py" <<PY
import os, time
me = os.environ.get("FORMATION_INSTANCE", "")
if os.path.exists("$srv/crash-" + me):
    raise RuntimeError("crashing on purpose")
def app(environ, start_response):
    time.sleep(0.3 if environ.get("PATH_INFO") == "/slow" else 0.01)
    status = "200 OK"
    if os.environ.get("BEHAVIOR") == "500":
        status = "500 Internal Server Error"
    elif environ.get("PATH_INFO") == "/healthz" and os.path.exists("$srv/sick-" + me):
        status = "503 Service Unavailable"
    body = (me + " " + os.environ.get("PORT", "?") + " " + os.environ.get("LISTEN_FDNAMES", "-") + "\n").encode()
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
PY
# write_formation PORT MODULE [MIN_READY [MORE_LINES]]
write_formation() {
    cat >"$work/shop.toml" <<T
app = "shop"
[process.web]
command = "gunicorn --workers 2 --chdir $srv $2"
count = 3
port = $1
socket = "shared"
ready = "notify"
min_ready = "${3:-1s}"
stop_timeout = "15s"
${4:-}
T
}

# Load until stopped: wrk_start NAME URL, then wrk_stop (SIGINT: wrk prints
# its summary), so the figures cover exactly what happened in between.
wrk_start() {
    wrk -t1 -c8 -d120s --timeout 10s --latency "$2" >"$work/$1.wrk" 2>&1 &
    wrk_pid=$!
    sleep 0.3
}
wrk_stop() { kill -INT "$wrk_pid"; wait "$wrk_pid"; }
# served_by PORT: how many instances answer 40 slow requests sent at once
# (each worker takes one at a time, so every running instance gets some).
served_by() {
    seq 40 | xargs -P 40 -I{} curl -s -m 20 "http://127.0.0.1:$1/slow" | awk '{ print $1 }' | sort -u | wc -l
}
pids() { local i; for i in "$@"; do prop "shop-web@$i.service" MainPID; done; }
# none_of "PIDS": no instance's main process is one of PIDS.
none_of() { local p; for p in $(pids 1 2 3); do case " $(echo $1) " in *" $p "*) return 1 ;; esac; done; }

# --- one port, three instances ------------------------------------------
write_formation 5000 app:app
run apply 0 "$formation" -f "$work/shop.toml" apply
check apply-running "three instances run" all_running shop-web@1.service shop-web@2.service shop-web@3.service
check socket-active "the type's one socket is active" systemctl -q is-active shop-web.socket
check socket-listen "on port 5000" has <(prop shop-web.socket Listen) '5000'
check no-own-sockets "no instance has a socket of its own" bash -c '! systemctl list-units --all --plain --no-legend "shop-web@*.socket" | grep -q .'
check same-port "every instance got PORT=5000" bash -c "for i in 1 2 3; do tr '\0' '\n' </proc/\$(systemctl show -P MainPID shop-web@\$i.service)/environ | grep -qx PORT=5000 || exit 1; done"
check all-serve "each of the three accepts on the port" [ "$(served_by 5000)" = 3 ]

run status 0 "$formation" -a shop status
check status-row "status shows the shared socket once, active, its port and who accepts" \
    has "$work/out" 'shop-web\.socket +active/running .* 5000 +shared: 3 instances accept, [0-9]+ waiting'
check status-once "once" [ "$(grep -c 'shop-web\.socket' "$work/out")" = 1 ]
run status-json 0 "$formation" -a shop status --json
check status-json "status --json has it per type" \
    has "$work/out" '"shared_socket":\{"unit":"shop-web.socket","active_state":"active","sub_state":"running","result":"success","port":5000,"waiting":[0-9]+\}'
run check-explains 0 "$formation" -f "$work/shop.toml" check
check check-explains-shared "check explains the choice" has "$work/out" 'one socket on port 5000 shared by its 3 instances'

# --- a rolling restart straight at the port: nothing fails, p99 stays low
wrk_start steady http://127.0.0.1:5000/
sleep 6
wrk_stop
before=$(pids 1 2 3)
wrk_start roll http://127.0.0.1:5000/
sleep 1
run restart 0 "$formation" -a shop restart web
wrk_stop
steady=$(wrk_p99_ms "$work/steady.wrk") roll=$(wrk_p99_ms "$work/roll.wrk")
echo "    steady: $(wrk_figures "$work/steady.wrk") p99 ${steady}ms; roll: $(wrk_figures "$work/roll.wrk") p99 ${roll}ms"
check roll-none-failed "a rolling restart under load: no failed request, no socket error" no_failures "$work/roll.wrk"
check roll-p99 "p99 during the roll (${roll} ms) within 3x steady (${steady} ms)" \
    awk -v r="$roll" -v s="$steady" 'BEGIN { exit !(r > 0 && s > 0 && r <= 3 * s) }'
check roll-restarted "every instance has a new process" none_of "$before"
check roll-socket-kept "the socket stayed up" systemctl -q is-active shop-web.socket

# --- scale 3 -> 6 -> 2 under load: the address never changes -----------
steady_rps=$(figure steady 4)
wrk_start scale http://127.0.0.1:5000/
sleep 1
run scale-up 0 "$formation" -f "$work/shop.toml" scale web=6
check scale-up-running "six run" all_running shop-web@{1,2,3,4,5,6}.service
check scale-up-serve "each of the six accepts on the same port" [ "$(served_by 5000)" = 6 ]
run scale-down 0 "$formation" -f "$work/shop.toml" scale web=2
wrk_stop
check scale-none-failed "scale 3 -> 6 -> 2 under load: no failed request, no socket error" no_failures "$work/scale.wrk"
check scale-down-stopped "web@3..6 stopped" bash -c 'for i in 3 4 5 6; do [ "$(systemctl show -P ActiveState shop-web@$i.service)" = inactive ] || exit 1; done'
check scale-down-serve "the two left serve the port" [ "$(served_by 5000)" = 2 ]
run scale-3 0 "$formation" -f "$work/shop.toml" scale web=3

# --- an instance that crashes costs capacity, never the port ------------
touch "$srv/crash-web.3"
systemctl kill -s KILL shop-web@3.service
sleep 1
wrk_start crash http://127.0.0.1:5000/
sleep 8
wrk_stop
crash_rps=$(figure crash 4)
echo "    crash: $(wrk_figures "$work/crash.wrk"); steady $steady_rps req/s"
check crash-serves "with web@3 crashing the port serves at least half the steady throughput ($crash_rps vs $steady_rps req/s)" \
    [ $((crash_rps * 2)) -ge "$steady_rps" ]
check crash-no-500 "and answers no error" [ "$(figure crash 2)" = 0 ]
check crash-socket "the socket stays active" systemctl -q is-active shop-web.socket
check crash-others "web@1 and web@2 keep running" all_running shop-web@1.service shop-web@2.service
run crash-status 1 "$formation" -a shop status
check crash-status-says "status says web@3 fails" has "$work/out" 'shop-web@3\.service .*(failed|auto-restart|activating)'
rm -f "$srv/crash-web.3"
run crash-restart 0 "$formation" -a shop restart web
check crash-recovered "once fixed, restart of the type brings all three back" all_running shop-web@{1,2,3}.service
check crash-recovered-serve "and all three accept" [ "$(served_by 5000)" = 3 ]

# --- behind nginx: one upstream for the type, whatever its count ---------
webapp_start_nginx 5000
check nginx-up "nginx answers through the one upstream" wait_for 20 curl -sf -o /dev/null http://127.0.0.1:8080/
wrk_start nginx http://127.0.0.1:8080/
sleep 1
run nginx-restart 0 "$formation" -a shop restart web
run nginx-scale 0 "$formation" -f "$work/shop.toml" scale web=4
wrk_stop
check nginx-none-failed "through nginx, a restart and a scale: no failed request, no socket error" no_failures "$work/nginx.wrk"
run nginx-scale-back 0 "$formation" -f "$work/shop.toml" scale web=3

# --- a port change moves the socket; a reverted one moves it back -------
write_formation 5100 app:app
run port-change 0 "$formation" -f "$work/shop.toml" apply
check port-plan "apply says it moves the socket" has "$work/out" 'move +shop-web\.socket'
check port-new "the new port is served by all three" [ "$(served_by 5100)" = 3 ]
check port-old "the old port refuses" bash -c '! (exec 3<>/dev/tcp/127.0.0.1/5000) 2>/dev/null'
write_formation 5200 nosuchmodule:app 3s
run port-bad 1 "$formation" -f "$work/shop.toml" apply
check port-bad-back "a bad release on another port goes back" has "$work/err" 'went back'
check port-bad-socket "the socket is active again" systemctl -q is-active shop-web.socket
check port-bad-old "on the previous port, served by all three" [ "$(served_by 5100)" = 3 ]
check port-bad-new "the bad release's port refuses" bash -c '! (exec 3<>/dev/tcp/127.0.0.1/5200) 2>/dev/null'
check port-bad-running "all three run" all_running shop-web@{1,2,3}.service

# --- health: each instance checked on a socket of its own --------------
# A check on the shared port would reach whichever instance accepts; so
# every instance also gets a unix socket (its second descriptor), and both
# readiness and the watcher ask there.
checked='health = { path = "/healthz", interval = "1s", failures = 2 }'
write_formation 5100 app:app 1s "$checked"
run health-apply 0 "$formation" -f "$work/shop.toml" apply
check health-sockets "each instance has its own health socket, active" \
    bash -c 'for i in 1 2 3; do systemctl -q is-active shop-web@$i.socket || exit 1; done'
check health-socket-path "listening on /run/formation/.health/shop-web@N.sock" \
    has <(prop shop-web@2.socket Listen) '/run/formation/\.health/shop-web@2\.sock'
check health-fds "the shared socket comes first (fd 3), then the health socket" \
    has <(curl -s http://127.0.0.1:5100/) '^web\.[123] 5100 shared:health$'
check health-own-socket "the health socket reaches that instance, not another" \
    has <(curl -s --unix-socket /run/formation/.health/shop-web@2.sock http://localhost/healthz) '^web\.2 '
check health-ready "its start waited for a check on its own socket" \
    has <(journalctl -u shop-web@3.service -o cat) 'GET /healthz on /run/formation/\.health/shop-web@3\.sock: HTTP 200 OK: ready'
run health-status 0 "$formation" -a shop status
check health-status "status shows each instance healthy" \
    bash -c "[ \$(grep -cE 'shop-web@[123]\.service .* healthy' '$work/out') = 3 ]"
keep=$(pids 1 3)
touch "$srv/sick-web.2"
check health-sick "the watcher restarts the sick instance (web.2) after 2 failed checks" \
    wait_for 15 bash -c "journalctl -u shop-health.service -o cat | grep -q 'shop-web@2.service: unhealthy: 2 failed checks in a row: GET /healthz on /run/formation/.health/shop-web@2.sock: HTTP 503'"
rm -f "$srv/sick-web.2"
check health-sick-alone "and no other instance" [ "$(pids 1 3)" = "$keep" ]
check health-sick-back "web.2 runs again" wait_for 15 all_running shop-web@2.service

# A release that starts and answers 500: the first batch (one instance, a
# quarter of three rounded up to 1) fails its check, the roll stops there,
# apply goes back. Clients see the bad instance only while it is checked.
wrk_start health-roll http://127.0.0.1:5100/
sleep 1
run health-restart 0 "$formation" -a shop restart web
wrk_stop
check health-roll-none-failed "a rolling restart gated on health: no failed request" no_failures "$work/health-roll.wrk"
keep=$(pids 2 3)
write_formation 5100 app:app 1s "$checked
env = { BEHAVIOR = \"500\" }"
wrk_start health-bad http://127.0.0.1:5100/
sleep 1
run health-bad 1 "$formation" -f "$work/shop.toml" apply
wrk_stop
echo "    during the bad apply: $(wrk_figures "$work/health-bad.wrk") (requests non-2xx socket-errors req/s max)"
check health-bad-check "refused by its health check" has "$work/err" 'health: not ready: 2 bad answers in a row'
check health-bad-back "apply went back to the previous release" has "$work/err" 'went back'
check health-bad-one-batch "the roll stopped after its first batch: web.2 and web.3 never restarted" [ "$(pids 2 3)" = "$keep" ]
check health-bad-socket "the socket is up" systemctl -q is-active shop-web.socket
check health-bad-none-errors "no socket error during it" [ "$(figure health-bad 3)" = 0 ]
wrk_start health-after http://127.0.0.1:5100/
sleep 3
wrk_stop
check health-after "then all three serve, and nothing fails" no_failures "$work/health-after.wrk"
check health-after-all "each of the three accepts" [ "$(served_by 5100)" = 3 ]

# A server that takes one descriptor, the first (uvicorn --fd 3, node's
# listen({fd: 3})): systemd passes the two sockets in an order of its own
# (health first on systemd 252); formation guard puts the shared one at 3.
cat >"$srv/fds.py" <<'PY'
import os, socket, threading
def serve(fd):
    s = socket.socket(fileno=fd)
    while True:
        c, _ = s.accept()
        c.recv(4096)
        body = ("fd%d %s\n" % (fd, os.environ.get("LISTEN_FDNAMES", ""))).encode()
        c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
        c.close()
if os.environ.get("DROP_HEALTH"):
    # As puma does with a socket it was given and has no bind for: closes
    # it and removes its file.
    os.unlink(os.environ["FORMATION_HEALTH_SOCKET"])
    os.close(4)
else:
    threading.Thread(target=serve, args=(4,), daemon=True).start()
serve(3)
PY
# write_fds [ENV]
write_fds() {
    cat >"$work/fds.toml" <<T
app = "fds"
[process.web]
command = ["/usr/bin/python3", "$srv/fds.py"]
count = 2
port = 5300
socket = "shared"
health = "/healthz"
start_timeout = "7s"
${1:-}
T
}
write_fds 'env = { DROP_HEALTH = "1" }'
run fds-drop 1 "$formation" -f "$work/fds.toml" apply
check fds-drop-says "a server that drops its health socket: the start fails, saying why" \
    has "$work/err" 'the server must accept on every socket systemd passes it'
write_fds
run fds-apply 0 "$formation" -f "$work/fds.toml" apply
check fds-fresh "once fixed, each instance's health socket is there again and answers" \
    has <(curl -s --unix-socket /run/formation/.health/fds-web@2.sock http://localhost/) '^fd4 shared:health$' 
check fds-port "descriptor 3 is the shared port" has <(curl -s http://127.0.0.1:5300/) '^fd3 shared:health$'
check fds-health "descriptor 4 the instance's health socket" \
    has <(curl -s --unix-socket /run/formation/.health/fds-web@1.sock http://localhost/) '^fd4 shared:health$'
run fds-destroy 0 "$formation" -a fds destroy
check fds-gone "destroy removes the health sockets" bash -c '! ls /run/formation/.health/fds-web@* 2>/dev/null'
write_formation 5100 app:app

# --- scale to 0 closes the port; destroy leaves nothing -----------------
write_formation 5100 app:app
run scale-0 0 "$formation" -f "$work/shop.toml" scale web=0
check zero-closed "with no instance the port refuses (no black hole)" \
    bash -c '! (exec 3<>/dev/tcp/127.0.0.1/5100) 2>/dev/null'
check zero-inactive "the socket stopped" stopped shop-web.socket
run scale-1 0 "$formation" -f "$work/shop.toml" scale web=1
check one-serves "one instance opens it again" wait_for 10 curl -sf -o /dev/null http://127.0.0.1:5100/
run destroy 0 "$formation" -a shop destroy
check destroy-nothing "destroy leaves no unit of the app loaded" \
    bash -c '! systemctl list-units --all --plain --no-legend "shop-*" "shop.*" | grep -q .'

finish shared-port
