#!/bin/bash
# Every server formation.toml(5) SOCKETS names, run with Debian's packages
# as the manual says (issue 24). Runs INSIDE the sandbox container
# (tests/sandbox/sandbox run --install BUILD -- bash servers.sh FORMATION
# MANPAGE). The [process.web] blocks of the manual's "Servers, tested"
# section are the settings run here, read from the page itself
# (man/formation.toml.5.scd): each one, with count = 3 and a port added, is
# applied, answers, and goes through `restart`, `reload` (where it has a
# reload_signal) and `scale web=2` while wrk (8 keep-alive connections)
# loads instance 1's port (the shared port with socket = "shared") and
# nginx (no upstream keep-alive) in front (one upstream per instance, or
# the shared port's one). The failed requests of each
# become the suite's table, which must keep every promise of the manual's
# table: "0" is no failed request, "≤1/conn" at most one per keep-alive
# connection. Then an rq worker on redis: a restart under a queue of jobs
# loses none and runs none twice.
set -u
formation=$1 page=$2
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/webapp.sh"
webapp_begin /srv/servers
cp "$(dirname "$0")"/servers/* "$srv/"
webapp_cleanup_servers() {
    kill "$nginx_shared_pid" 2>/dev/null
    systemctl stop servers-redis.service >/dev/null 2>&1
    "$formation" -a jobs destroy >/dev/null 2>&1
    webapp_cleanup
}
trap webapp_cleanup_servers EXIT
wrk_connections=8

# --- the manual's blocks and table --------------------------------------------
# Each code block whose first line is "# SERVER, socket = MODE" is a block.
awk -v dir="$work/blocks" '
    /^```/ { if (inside) { inside = 0; close(out) } else { fence = 1 }; next }
    fence { fence = 0
            if (match($0, /^# [a-z]+, socket = (true|"shared"|false)$/)) {
                split(substr($0, 3), p, ", socket = "); gsub(/"/, "", p[2])
                out = dir "/" p[1] "-" p[2]; inside = 1; system("mkdir -p " dir); print "" > out; next } }
    inside { print > out }' "$page"
blocks=$(ls "$work/blocks" 2>/dev/null)
check blocks "the manual has a block for each server and socket mode (found: $(echo $blocks))" \
    [ "$(echo $blocks | wc -w)" = 12 ]
# The table: the lines between "SERVER  SOCKET  RESTART" and the block's end.
sed -n '/^SERVER  *SOCKET  *RESTART/,/^```/p' "$page" | sed '1d;$d' >"$work/manual-table"
check table "the manual has the table of results" [ "$(wc -l <"$work/manual-table")" = 12 ]

# --- each block under load ----------------------------------------------------
webapp_start_nginx 5400 5401 5402
# A shared port is one upstream (formation.toml(5)): a second nginx on 8081.
sed -e 's/127.0.0.1:8080/127.0.0.1:8081/' -e 's/ server 127.0.0.1:5401; server 127.0.0.1:5402;//' \
    -e "s|pid $srv/nginx.pid|pid $srv/nginx-shared.pid|" "$srv/nginx.conf" >"$srv/nginx-shared.conf"
nginx -c "$srv/nginx-shared.conf" -g 'daemon off;' &
nginx_shared_pid=$!
failed() { local f; f=$(wrk_figures "$work/$1.wrk"); set -- $f; echo $(($2 + $3)); }
requests() { wrk_figures "$work/$1.wrk" | cut -d' ' -f1; }
# cell NAME DOWN: "0", "≤1/conn" (at most one failed request per
# connection for each of the DOWN instances that went down on that path)
# or the count.
cell() {
    local n; n=$(failed "$1")
    if [ "$n" = 0 ]; then echo 0; elif [ "$n" -le $((wrk_connections * $2)) ]; then echo "≤1/conn"; else echo "$n"; fi
}
printf '%-9s %-7s %-22s %-22s %s\n' SERVER SOCKET RESTART RELOAD "SCALE DOWN" >"$work/table"
for server in gunicorn uvicorn puma node; do
    for mode in true shared false; do
        block="$work/blocks/$server-$mode"
        [ -f "$block" ] || continue
        { echo 'app = "shop"'; cat "$block"
          echo "working_directory = \"$srv\""; echo "count = 3"; echo "port = 5400"; echo 'stop_timeout = "15s"'
        } >"$work/shop.toml"
        name="$server-$mode"
        if ! "$formation" -f "$work/shop.toml" apply >"$work/apply" 2>&1; then
            check "$name-apply" "the manual's block applies" false; sed 's/^/    /' "$work/apply" "$work/shop.toml"
            "$formation" -a shop destroy >/dev/null 2>&1; continue
        fi
        check "$name-answers" "$server ($mode) answers on port 5400" wait_for 15 curl -sf -o /dev/null http://127.0.0.1:5400/
        [ "$mode" = shared ] || check "$name-answers-3" "and on instance 3's port" wait_for 15 curl -sf -o /dev/null http://127.0.0.1:5402/
        row=("$server" "$mode")
        for verb in restart reload scale; do
            if [ "$verb" = reload ] && ! grep -q '^reload_signal' "$block"; then row+=("-"); continue; fi
            # A fresh nginx worker: no upstream still marked down by the last verb.
            kill -HUP "$nginx_pid" "$nginx_shared_pid"; sleep 1
            # wrk runs from 1.5 s before the verb to 1 s after it ends.
            wrk_run "$name-$verb-d" 300 http://127.0.0.1:5400/
            wrk_run "$name-$verb-n" 300 "http://127.0.0.1:$([ "$mode" = shared ] && echo 8081 || echo 8080)/"
            sleep 1.5
            case $verb in
                restart) "$formation" -a shop restart web ;;
                reload) "$formation" -a shop reload web ;;
                scale) "$formation" -a shop scale web=2 ;;
            esac >"$work/verb" 2>&1 || { echo "    $name: $verb failed:"; sed 's/^/    /' "$work/verb"; }
            sleep 1
            kill -INT "${wrk_pids[@]}"
            wrk_wait
            check "$name-$verb-load" "$name $verb: wrk made requests" [ "$(requests "$name-$verb-d")" -gt 0 ]
            # Instances that went down: a restart or reload, all 3; a scale, 1. Straight at
            # instance 1's own port only that one counts; at a shared port, all of them.
            down=$([ "$verb" = scale ] && echo 1 || echo 3)
            row+=("$(cell "$name-$verb-d" "$([ "$mode" = shared ] && echo "$down" || echo 1)") / $(cell "$name-$verb-n" "$down")")
        done
        printf '%-9s %-7s %-22s %-22s %s\n' "${row[@]}" >>"$work/table"
        "$formation" -a shop destroy >/dev/null 2>&1
    done
done
echo "servers: failed requests (straight at the port / through nginx), wrk with $wrk_connections keep-alive connections:"
sed 's/^/    /' "$work/table"

# --- the results keep the manual's promises ------------------------------------
# A promise "0" holds only with 0; "≤1/conn" with 0 or ≤1/conn; "-" where the
# suite ran nothing; any other text promises nothing.
keeps() {  # keeps PROMISE RESULT
    case $1 in
        0) [ "$2" = 0 ] ;;
        "≤1/conn") [ "$2" = 0 ] || [ "$2" = "≤1/conn" ] ;;
        -) [ "$2" = - ] ;;
        *) true ;;
    esac
}
while read -r server mode rest; do
    promised=$(grep -E "^$server +$mode " "$work/manual-table")
    measured=$(grep -E "^$server +$mode " "$work/table")
    [ -n "$promised" ] || { check "promise-$server-$mode" "the manual's table has $server $mode" false; continue; }
    # Columns: RESTART, RELOAD, SCALE DOWN, each "DIRECT / NGINX" or "-".
    p=$(echo "$promised" | sed -E 's/^[^ ]+ +[^ ]+ +//')
    m=$(echo "$measured" | sed -E 's/^[^ ]+ +[^ ]+ +//')
    IFS='|' read -r -a pcells <<<"$(echo "$p" | sed -E 's/ {2,}/|/g')"
    IFS='|' read -r -a mcells <<<"$(echo "$m" | sed -E 's/ {2,}/|/g')"
    ok=1
    for i in 0 1 2; do
        pd=${pcells[$i]%% / *} pn=${pcells[$i]##* / } md=${mcells[$i]%% / *} mn=${mcells[$i]##* / }
        keeps "$pd" "$md" && keeps "$pn" "$mn" || ok=0
    done
    check "promise-$server-$mode" "the manual promises \"$p\" for $server ($mode); measured \"$m\"" [ "$ok" = 1 ]
done < <(tail -n +2 "$work/table")

# --- an rq worker on redis --------------------------------------------------------
systemd-run -q --unit=servers-redis --property=Type=exec redis-server --port 6390 --save '' --appendonly no
check redis "redis answers" wait_for 10 sh -c 'redis-cli -p 6390 ping 2>/dev/null | grep -q PONG'
cat >"$srv/jobs.py" <<'PY'
import os, time
def work(n):
    time.sleep(0.05)
    with open(os.environ["DONE"], "a") as f:
        f.write("%d %s\n" % (n, os.environ.get("FORMATION_INSTANCE", "?")))
PY
sed -n '/^# rq worker$/,/^```/p' "$page" | sed '1d;$d' >"$work/rq-block"
check rq-block "the manual has the rq worker block" grep -q '^command = .*rq worker' "$work/rq-block"
{ echo 'app = "jobs"'; echo "[env]"; echo "DONE = \"$srv/done\""; echo "PYTHONPATH = \"$srv\""
  cat "$work/rq-block"; echo "working_directory = \"$srv\""; echo "count = 2"; echo 'stop_timeout = "15s"'
} >"$work/jobs.toml"
sed -i 's|redis://localhost:6379|redis://127.0.0.1:6390|' "$work/jobs.toml"
writable() { grep -q writable_paths "$work/jobs.toml" || echo "writable_paths = [\"$srv\"]" >>"$work/jobs.toml"; }
writable
run rq-apply 0 "$formation" -f "$work/jobs.toml" apply
/usr/bin/python3 - "$srv" <<'PY'
import sys; sys.path.insert(0, sys.argv[1])
from redis import Redis
from rq import Queue
q = Queue(connection=Redis(port=6390))
for n in range(300):
    q.enqueue("jobs.work", n)
PY
sleep 3
run rq-restart 0 "$formation" -a jobs restart worker
# rq 1.13 (Debian 12) marks its worker busy only after it has taken a job
# from the queue: a SIGTERM in that instant raises StopRequested and the
# job is gone (rq's race, worker.py request_stop/_shutdown; seen once in CI).
# So: every job ran, but at most one for each worker the restart stopped,
# and only once the queue is empty (not merely slow); never one twice.
jobs_done() { cut -d' ' -f1 "$srv/done" 2>/dev/null | sort -u | wc -l; }
queue_empty() { [ "$(redis-cli -p 6390 llen rq:queue:default)" = 0 ]; }
wait_for 60 sh -c "[ \$(cut -d' ' -f1 '$srv/done' 2>/dev/null | sort -u | wc -l) = 300 ]" ||
    { wait_for 20 queue_empty; sleep 2; }
missing=$((300 - $(jobs_done)))
[ "$missing" = 0 ] || echo "rq: $missing job(s) lost at the restart (rq's race between taking a job and starting it)"
check rq-all-done "every job ran (300), but at most one per stopped worker, with the queue empty" \
    sh -c "[ $missing -le 2 ] && [ \"\$(redis-cli -p 6390 llen rq:queue:default)\" = 0 ]"
check rq-once "no job ran twice" [ "$(wc -l <"$srv/done")" = "$(jobs_done)" ]
check rq-both "both workers took jobs" [ "$(cut -d' ' -f2 "$srv/done" | sort -u | wc -l)" = 2 ]
if [ "$(wc -l <"$srv/done")" != 300 ] || [ "$(cut -d' ' -f1 "$srv/done" | sort -u | wc -l)" != 300 ]; then
    echo "rq: $(wc -l <"$srv/done") lines, $(cut -d' ' -f1 "$srv/done" | sort -u | wc -l) jobs; twice: $(cut -d' ' -f1 "$srv/done" | sort | uniq -d | tr '\n' ' ')"
    /usr/bin/python3 - <<'PY'
from redis import Redis
from rq import Queue
from rq.registry import StartedJobRegistry, FailedJobRegistry
r = Redis(port=6390); q = Queue(connection=r)
print("rq: queued", len(q), "started", len(StartedJobRegistry(queue=q)), "failed", len(FailedJobRegistry(queue=q)))
for j in FailedJobRegistry(queue=q).get_job_ids()[:3]:
    print("rq failed:", j, (q.fetch_job(j).exc_info or "")[-300:])
PY
    journalctl -o cat -u 'jobs-worker@*' | grep -iE 'stop|shutdown|abandon|error|Traceback' | tail -20 | sed 's/^/    | /'
fi

finish servers
