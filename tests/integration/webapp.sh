# The web app under load that traffic.sh, safe_deploys.sh and
# tests/bench/safe-deploys share: Debian's gunicorn serving a small WSGI app
# from $srv as `web` instances on ports 5000-5002, nginx in front on
# 127.0.0.1:8080 (default upstream settings: max_fails=1, fail_timeout=10s,
# proxy_next_upstream error timeout), wrk as the load. Source it, then call
# webapp_begin SRV (a scenario) or set $work (scratch, for wrk's output)
# and $srv (outside /tmp: hardened units have PrivateTmp) yourself.

# webapp_begin SRV: scratch in $work, the app's directory $srv = SRV
# (outside /tmp: hardened units have PrivateTmp), and on exit nginx killed,
# the app `shop` destroyed (with $formation) and both directories removed.
webapp_begin() {
    work=$(mktemp -d)
    srv=$1
    mkdir -p "$srv"
    trap webapp_cleanup EXIT
}
webapp_cleanup() {
    [ -n "${nginx_pid:-}" ] && kill "$nginx_pid" 2>/dev/null
    "$formation" -a shop destroy >/dev/null 2>&1
    rm -rf "$work" "$srv"
}

# webapp_write_app SECONDS SAY: $srv/app.py, each request taking SECONDS and
# answering "ok $SAY" (SAY: the environment variable to show, RELEASE or
# PORT). BEHAVIOR in its environment makes a bad release: 500, every answer
# is 500; crash, it cannot even be imported (gunicorn's worker fails to
# boot). $srv/sick-PORT makes that instance's /healthz alone answer 500.
webapp_write_app() {
    cat >"$srv/app.py" <<PY
import os, time
if os.environ.get("BEHAVIOR") == "crash":
    raise RuntimeError("release " + os.environ.get("RELEASE", "?") + " cannot start")
def app(environ, start_response):
    time.sleep($1)
    bad = os.environ.get("BEHAVIOR") == "500"
    if environ.get("PATH_INFO") == "/healthz" and os.path.exists("$srv/sick-" + os.environ.get("PORT", "")):
        bad = True
    body = (("broken " if bad else "ok ") + os.environ.get("$2", "?") + "\n").encode()
    start_response("500 Internal Server Error" if bad else "200 OK",
                   [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
PY
}

# webapp_start_nginx [PORT...]: nginx on 127.0.0.1:8080 in front of the
# PORTs (default 5000-5002: one upstream per instance; a shared socket
# needs one); its pid in $nginx_pid (the caller's cleanup kills it). With
# $nginx_access_log set, it logs "STATUS REQUEST_TIME" of every request
# there (499: the client closed its connection before the answer).
nginx_pid="" nginx_access_log=""
webapp_start_nginx() {
    local access="access_log off;" servers="" port ports=("$@")
    [ $# = 0 ] && ports=(5000 5001 5002)
    for port in "${ports[@]}"; do servers="$servers server 127.0.0.1:$port;"; done
    [ -n "$nginx_access_log" ] &&
        access="log_format timing '\$status \$request_time'; access_log $nginx_access_log timing;"
    cat >"$srv/nginx.conf" <<N
worker_processes 1;
error_log $srv/nginx-error.log;
pid $srv/nginx.pid;
events { worker_connections 1024; }
http {
    $access
    upstream web {$servers }
    server { listen 127.0.0.1:8080; location / { proxy_pass http://web; } }
}
N
    nginx -c "$srv/nginx.conf" -g 'daemon off;' &
    nginx_pid=$!
}

# wrk_run NAME SECONDS URL: load in the background (1 thread,
# $wrk_connections connections), summary in $work/NAME.wrk; wrk_wait waits
# for every such run.
# wrk counts a response slower than $wrk_timeout as a "timeout" socket
# error, though it came with a 200; the default 10 s is far beyond a request
# waiting in a socket's queue while its instance restarts (slow, not
# failed), so one still counts as an error. 2 s makes a connection accepted
# and never answered (a black hole) count once every 2 s.
wrk_connections=8 wrk_timeout=10s
wrk_pids=()
wrk_run() {
    wrk -t1 -c"$wrk_connections" -d"$2"s --timeout "$wrk_timeout" --latency "$3" >"$work/$1.wrk" 2>&1 &
    wrk_pids+=($!)
}
wrk_wait() { wait "${wrk_pids[@]}"; wrk_pids=(); }
# wrk_figures FILE: "REQUESTS NON2XX SOCKET_ERRORS REQ_PER_SEC MAX_LATENCY"
wrk_figures() {
    awk '/requests in/ { req = $1 }
         /Non-2xx or 3xx responses:/ { bad = $NF }
         /Socket errors:/ { gsub(",", ""); err = $4 + $6 + $8 + $10 }
         /Requests\/sec:/ { rps = $2 }
         $1 == "Latency" && max == "" { max = $4 }
         END { printf "%d %d %d %d %s\n", req, bad, err, rps, max }' "$1"
}
# figure NAME N: the Nth of wrk_figures of run NAME
figure() { wrk_figures "$work/$1.wrk" | cut -d' ' -f"$2"; }

# wrk_p99_ms FILE: wrk's 99th percentile latency in milliseconds.
wrk_p99_ms() {
    awk '$1 == "99%" { v = $2
         if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) }
         else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
         print v }' "$1"
}
# no_failures WRKFILE: wrk made requests, none non-2xx, no socket error
# (else its figures and output, indented).
no_failures() {
    local f; f=$(wrk_figures "$1")
    set -- $f "$1"
    [ "$1" -gt 0 ] && [ "$2" = 0 ] && [ "$3" = 0 ] || { echo "    $6: $f (requests non-2xx socket-errors req/s max-latency)"; sed 's/^/    /' "$6"; return 1; }
}
