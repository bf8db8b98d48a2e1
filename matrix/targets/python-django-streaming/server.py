"""Django as SSE tutorials write it for ASGI: a view returning
`StreamingHttpResponse(event_stream(), content_type="text/event-stream")` with
`response["Cache-Control"] = "no-cache"`, where `event_stream` is an async generator yielding
f"data: {x}\n\n" strings (with id:, event: and retry: lines in front when the event has them, a
comment as ": {x}\n\n") and `asyncio.sleep` for pauses; a ": ping" comment every second while an
open stream idles; Last-Event-ID read from `request.headers` by hand. No value is escaped — that
is the target. Django has no SSE API; this is its streaming API.

Usage: PORT=3000 python server.py corpus.json    (Django's ASGI handler served by uvicorn)
"""
import asyncio
import os
import sys

import django
import uvicorn
from django.conf import settings

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_shared"))
from corpus import HOST, PORT, is_delay, items_after, listening, load_server_fixtures  # noqa: E402

FIXTURES = load_server_fixtures()

settings.configure(DEBUG=False, ALLOWED_HOSTS=["127.0.0.1"], ROOT_URLCONF=__name__, SECRET_KEY="matrix-only", MIDDLEWARE=[])
django.setup()

from django.core.asgi import get_asgi_application  # noqa: E402
from django.http import Http404, StreamingHttpResponse  # noqa: E402
from django.urls import path  # noqa: E402


# ── the tutorial ──────────────────────────────────────────────────────────────────────────────────
def sse_view(request, fixture_id):
    fixture = FIXTURES.get(fixture_id)
    if fixture is None:
        raise Http404("not found")
    items = items_after(fixture, request.headers.get("Last-Event-ID"))

    async def event_stream():
        for item in items:
            if is_delay(item):
                await asyncio.sleep(item["delay"] / 1000)
                continue
            if "comment" in item:
                yield f": {item['comment']}\n\n"
                continue
            message = ""
            if "retry" in item:
                message += f"retry: {item['retry']}\n"
            if "id" in item:
                message += f"id: {item['id']}\n"
            if "event" in item:
                message += f"event: {item['event']}\n"
            if "data" in item:
                message += f"data: {item['data']}\n"
            yield message + "\n"
        if fixture.get("end") == "open":
            while True:
                await asyncio.sleep(1)
                yield ": ping\n\n"

    response = StreamingHttpResponse(event_stream(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    return response


urlpatterns = [path("<str:fixture_id>", sse_view)]
application = get_asgi_application()

if __name__ == "__main__":
    listening("python-django-streaming")
    uvicorn.run(application, host=HOST, port=PORT, access_log=False, log_level="warning", lifespan="off", timeout_graceful_shutdown=1)
