#!/usr/bin/python3
# A worker for the stop-semantics checks of process_model.sh.
#   proc.py ignore   ignores SIGTERM; two `sleep 1000` children
#   proc.py drain    on SIGTERM prints "draining", works 1 s, prints "drained", exits 0;
#                    two `sleep 1001` children
#   proc.py signal   prints "got SIGxxx" for the first stop-ish signal and exits 0
import signal
import subprocess
import sys
import time

mode = sys.argv[1]


def log(msg):
    print(msg, flush=True)


if mode == "ignore":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    kids = [subprocess.Popen(["sleep", "1000"]) for _ in range(2)]
    log("ignoring SIGTERM; children %s" % " ".join(str(k.pid) for k in kids))
elif mode == "drain":
    kids = [subprocess.Popen(["sleep", "1001"]) for _ in range(2)]

    def drain(signum, frame):
        log("draining after %s" % signal.Signals(signum).name)
        time.sleep(1)
        log("drained")
        sys.exit(0)

    signal.signal(signal.SIGTERM, drain)
    log("working; children %s" % " ".join(str(k.pid) for k in kids))
elif mode == "signal":
    def got(signum, frame):
        log("got %s" % signal.Signals(signum).name)
        sys.exit(0)

    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(s, got)
    log("waiting for a signal")
else:
    sys.exit("proc.py: unknown mode " + mode)

while True:
    time.sleep(3600)
