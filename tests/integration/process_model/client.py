#!/usr/bin/python3
# Rolling-restart probe: until STOPFILE exists, connects to every port in turn
# (0.2 s timeout) and counts rounds in which ALL ports refused at once
# (ECONNREFUSED: nothing listening), and rounds in which all failed in any way
# (a timeout means a listener that did not answer in time, e.g. under load).
# Prints one JSON object.
import errno
import json
import os
import socket
import sys
import time

stopfile, ports = sys.argv[1], [int(p) for p in sys.argv[2:]]
rounds = all_refused = all_failed = failed = refused_total = requests = 0
per_port = {p: 0 for p in ports}
bad_rounds = []
start = time.monotonic()
deadline = start + 120
while not os.path.exists(stopfile) and time.monotonic() < deadline:
    outcome = []
    for p in ports:
        requests += 1
        try:
            with socket.create_connection(("127.0.0.1", p), timeout=0.2):
                outcome.append("ok")
        except ConnectionRefusedError:
            outcome.append("refused")
        except socket.timeout:
            outcome.append("timeout")
        except OSError as e:
            outcome.append(errno.errorcode.get(e.errno, str(e.errno)))
    for p, o in zip(ports, outcome):
        if o != "ok":
            failed += 1
            per_port[p] += 1
        if o == "refused":
            refused_total += 1
    rounds += 1
    if all(o == "refused" for o in outcome):
        all_refused += 1
    if all(o != "ok" for o in outcome):
        all_failed += 1
        bad_rounds.append("%.3f:%s" % (time.monotonic() - start, ",".join(outcome)))
    time.sleep(0.01)
print(json.dumps({"rounds": rounds, "all_refused_rounds": all_refused, "all_failed_rounds": all_failed,
                  "failed_requests": failed, "refused_requests": refused_total, "requests": requests,
                  "failed_per_port": per_port, "all_failed_at": bad_rounds[:10]}))
