# A WSGI app for gunicorn: each request takes 10 ms and says which instance answered.
import os, time
def app(environ, start_response):
    time.sleep(0.01)
    body = ("ok gunicorn " + os.environ.get("FORMATION_INSTANCE", "?") + "\n").encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
