#!/usr/bin/python3
# ready = "port": an HTTP server on 127.0.0.1:$PORT that sleeps DELAY seconds
# before it listens ("never": it never listens).
import http.server
import os
import sys
import time

delay = sys.argv[1] if len(sys.argv) > 1 else "0"
port = int(os.environ["PORT"])
if delay == "never":
    print("never listening on %d" % port, flush=True)
    while True:
        time.sleep(3600)
time.sleep(float(delay))


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 128  # listen() backlog: probes must not time out on a full queue


server = Server(("127.0.0.1", port), Quiet)
print("listening on %d" % port, flush=True)
server.serve_forever()
