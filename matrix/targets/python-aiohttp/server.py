"""aiohttp as SSE examples write it — aiohttp has no SSE API of its own, so its API here is
web.StreamResponse: headers set by hand (Content-Type, Cache-Control, Connection), prepare(),
then `await response.write(...)` of each formatted event; a ": ping" comment every second while an
open stream idles; Last-Event-ID read from the request by hand. The formatter is the careful kind
many examples use: data (and comment) split into lines with Python's str.splitlines(), one
"data: " line each; id, event and retry written as given.

Usage: PORT=3000 /usr/bin/python3 server.py corpus.json
"""
import asyncio
import os
import sys

from aiohttp import web

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_shared"))
from corpus import HOST, PORT, items_after, load_server_fixtures  # noqa: E402  (what no SSE library provides)

FIXTURES = load_server_fixtures()


# ── the example code ──────────────────────────────────────────────────────────────────────────────
def format_sse(data=None, event=None, id=None, retry=None, comment=None):
    if comment is not None:
        return "".join(f": {line}\n" for line in comment.splitlines()) + "\n"
    message = ""
    if id is not None:
        message += f"id: {id}\n"
    if event is not None:
        message += f"event: {event}\n"
    if retry is not None:
        message += f"retry: {retry}\n"
    if data is not None:
        message += "".join(f"data: {line}\n" for line in data.splitlines())
    return message + "\n"


async def stream(request):
    fixture = FIXTURES.get(request.match_info["fixture_id"])
    if fixture is None:
        raise web.HTTPNotFound()
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache", "Connection": "keep-alive"}
    )
    await response.prepare(request)
    for item in items_after(fixture, request.headers.get("Last-Event-ID")):
        if "delay" in item:
            await asyncio.sleep(item["delay"] / 1000)
        else:
            await response.write(format_sse(**item).encode("utf-8"))
    if fixture.get("end") == "open":
        while True:
            await asyncio.sleep(1)
            await response.write(b": ping\n\n")
    await response.write_eof()
    return response


app = web.Application()
app.router.add_get("/{fixture_id}", stream)

if __name__ == "__main__":
    web.run_app(app, host=HOST, port=PORT, print=lambda *_: print(f"python-aiohttp listening on http://{HOST}:{PORT}", flush=True))
