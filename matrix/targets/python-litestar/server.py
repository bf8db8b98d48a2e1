"""Litestar's own SSE response: the route handler returns `litestar.response.ServerSentEvent` over
an async generator that yields `litestar.response.ServerSentEventMessage`s built from the
message's fields as given (data, event, id, retry, comment — nothing added, so the dataclass's
own defaults apply), with `asyncio.sleep` for pauses. Litestar has no keep-alive (an open stream
is silent) and no resume mechanism: the `Last-Event-ID` header is declared as a parameter and the
application's event log resumes after it.

Usage: PORT=3000 python server.py corpus.json    (served by uvicorn)
"""
import asyncio
import os
import sys

import uvicorn
from litestar import Litestar, get
from litestar.exceptions import NotFoundException
from litestar.params import Parameter
from litestar.response import ServerSentEvent, ServerSentEventMessage

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_shared"))
from corpus import HOST, PORT, is_delay, items_after, listening, load_server_fixtures  # noqa: E402

FIXTURES = load_server_fixtures()


@get("/{fixture_id:str}")
async def stream(fixture_id: str, last_event_id: str | None = Parameter(header="Last-Event-ID", default=None)) -> ServerSentEvent:
    fixture = FIXTURES.get(fixture_id)
    if fixture is None:
        raise NotFoundException()
    items = items_after(fixture, last_event_id)

    async def messages():
        for item in items:
            if is_delay(item):
                await asyncio.sleep(item["delay"] / 1000)
            else:
                yield ServerSentEventMessage(**item)
        if fixture.get("end") == "open":
            await asyncio.Event().wait()  # idle: Litestar has no keep-alive

    return ServerSentEvent(messages())


app = Litestar(route_handlers=[stream])

if __name__ == "__main__":
    listening("python-litestar")
    uvicorn.run(app, host=HOST, port=PORT, access_log=False, log_level="warning", timeout_graceful_shutdown=1)
