"""aiohttp-sse on aiohttp's own server: `async with sse_response(request, ping_interval=1) as resp`
then `await resp.send(data, id=, event=, retry=)` per message and `asyncio.sleep` for pauses; its
keep-alive writes ": ping" every second. aiohttp-sse reads `Last-Event-ID` for the application
(`resp.last_event_id`) but keeps no event log, so the application's log resumes after it.

`send` requires data and has no comment: a lone id or retry is folded into the event right after
it (the client receives the same events); comments, and the values `send` refuses with ValueError
(CR/LF in event or id, NUL in id), make the fixture a 404.

Usage: PORT=3000 python server.py corpus.json
"""
import asyncio
import os
import re
import sys

from aiohttp import web
from aiohttp_sse import sse_response

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_shared"))
from corpus import HOST, PORT, fold_dataless, inexpressible, is_delay, items_after, listening, load_server_fixtures  # noqa: E402

FIXTURES = load_server_fixtures()
BREAK = re.compile(r"[\r\n]")
RULES = [
    (lambda m: "comment" in m, "aiohttp-sse has no API for a comment line"),
    (lambda m: "data" not in m, "send() requires data, and this id/retry cannot be folded into the next event"),
    (lambda m: BREAK.search(m.get("event", "")), 'send() raises ValueError("event must not contain line separators") — refuses, safe'),
    (lambda m: BREAK.search(m.get("id", "")) or "\0" in m.get("id", ""), 'send() raises ValueError("id must not contain line separators or null characters") — refuses, safe'),
]


async def stream(request):
    fixture = FIXTURES.get(request.match_info["fixture_id"])
    if fixture is None:
        raise web.HTTPNotFound(text="not found")
    why = inexpressible(fold_dataless(fixture["send"], ["id", "retry"]), RULES)
    if why:
        raise web.HTTPNotFound(text=f"not expressible with aiohttp-sse: {why}")
    async with sse_response(request, ping_interval=1) as resp:
        for item in fold_dataless(items_after(fixture, resp.last_event_id), ["id", "retry"]):
            if is_delay(item):
                await asyncio.sleep(item["delay"] / 1000)
            else:
                await resp.send(item["data"], id=item.get("id"), event=item.get("event"), retry=item.get("retry"))
        if fixture.get("end") == "open":
            await resp.wait()  # idle until the client leaves: aiohttp-sse's ping speaks
    return resp


app = web.Application()
app.router.add_get("/{fixture_id}", stream)

if __name__ == "__main__":
    listening("python-aiohttp-sse")
    web.run_app(app, host=HOST, port=PORT, print=None, access_log=None, shutdown_timeout=1)
