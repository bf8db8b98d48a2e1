"""sse-starlette on FastAPI: the path operation returns `sse_starlette.EventSourceResponse` over an
async generator that yields `sse_starlette.ServerSentEvent(data, event=, id=, retry=, comment=)`
with the fields as given, and `asyncio.sleep` for pauses; `ping=1` makes its keep-alive a comment
every second. sse-starlette has no resume mechanism: the `Last-Event-ID` header is declared as a
parameter and the application's event log resumes after it.

Usage: PORT=3000 python server.py corpus.json    (served by uvicorn)
"""
import asyncio
import os
import sys
from typing import Annotated

import uvicorn
from fastapi import FastAPI, Header, HTTPException
from sse_starlette import EventSourceResponse, ServerSentEvent

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_shared"))
from corpus import HOST, PORT, is_delay, items_after, listening, load_server_fixtures  # noqa: E402

FIXTURES = load_server_fixtures()
app = FastAPI()


@app.get("/{fixture_id}")
async def stream(fixture_id: str, last_event_id: Annotated[str | None, Header()] = None):
    fixture = FIXTURES.get(fixture_id)
    if fixture is None:
        raise HTTPException(404, "not found")
    items = items_after(fixture, last_event_id)

    async def events():
        for item in items:
            if is_delay(item):
                await asyncio.sleep(item["delay"] / 1000)
            else:
                yield ServerSentEvent(**item)
        if fixture.get("end") == "open":
            await asyncio.Event().wait()  # idle: sse-starlette's ping speaks

    return EventSourceResponse(events(), ping=1)


if __name__ == "__main__":
    listening("python-sse-starlette")
    uvicorn.run(app, host=HOST, port=PORT, access_log=False, log_level="warning", timeout_graceful_shutdown=1)
