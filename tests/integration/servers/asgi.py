# An ASGI app for uvicorn: each request takes 10 ms and says which instance answered.
import asyncio, os
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await asyncio.sleep(0.01)
    body = ("ok uvicorn " + os.environ.get("FORMATION_INSTANCE", "?") + "\n").encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
