#!/usr/bin/python3
# ready = "notify": sleeps DELAY seconds, then sends READY=1 to $NOTIFY_SOCKET
# (an AF_UNIX datagram socket; "@" means the abstract namespace), then idles.
import os
import socket
import sys
import time

delay = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
print("starting; ready in %.1f s" % delay, flush=True)
time.sleep(delay)
addr = os.environ["NOTIFY_SOCKET"]
if addr.startswith("@"):
    addr = "\0" + addr[1:]
with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
    s.connect(addr)
    s.sendall(b"READY=1\nSTATUS=serving")
print("sent READY=1", flush=True)
while True:
    time.sleep(3600)
