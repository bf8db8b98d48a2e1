"""FastAPI's own SSE response: a path operation declared with
`response_class=fastapi.sse.EventSourceResponse` that yields `fastapi.sse.ServerSentEvent`s —
`raw_data` for the text (`data` would be JSON-encoded), `event`, `id`, `retry` and `comment` as
given — with `asyncio.sleep` for pauses. FastAPI inserts its own ": ping" keep-alive (every 15 s;
the interval is a private constant). FastAPI has no resume mechanism: the `Last-Event-ID` header
is declared as a parameter and the application's event log resumes after it.

The events are built in a dependency, before the response starts: a `ServerSentEvent` FastAPI
refuses to build (it validates event and id) makes the fixture a 404 with FastAPI's own message.

Usage: PORT=3000 python server.py corpus.json    (served by uvicorn)
"""
import asyncio
import os
import sys
from typing import Annotated, AsyncIterable

import uvicorn
from fastapi import Depends, FastAPI, Header, HTTPException
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import ValidationError

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_shared"))
from corpus import HOST, PORT, is_delay, items_after, listening, load_server_fixtures  # noqa: E402

FIXTURES = load_server_fixtures()


def as_event(message):
    fields = {("raw_data" if key == "data" else key): value for key, value in message.items()}
    return ServerSentEvent(**fields)


def planned(fixture_id: str, last_event_id: Annotated[str | None, Header()] = None):
    """The fixture's items for this request, messages already turned into ServerSentEvents."""
    fixture = FIXTURES.get(fixture_id)
    if fixture is None:
        raise HTTPException(404, "not found")
    try:
        items = [item if is_delay(item) else as_event(item) for item in items_after(fixture, last_event_id)]
    except ValidationError as error:
        raise HTTPException(404, f"not expressible with FastAPI: {error.errors()[0]['msg']}")
    return fixture, items


app = FastAPI()


@app.get("/{fixture_id}", response_class=EventSourceResponse)
async def stream(plan: Annotated[tuple, Depends(planned)]) -> AsyncIterable[ServerSentEvent]:
    fixture, items = plan
    for item in items:
        if isinstance(item, ServerSentEvent):
            yield item
        else:
            await asyncio.sleep(item["delay"] / 1000)
    if fixture.get("end") == "open":
        await asyncio.Event().wait()  # idle: FastAPI's keep-alive speaks


if __name__ == "__main__":
    listening("python-fastapi")
    uvicorn.run(app, host=HOST, port=PORT, access_log=False, log_level="warning", timeout_graceful_shutdown=1)
