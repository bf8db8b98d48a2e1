"""django-eventstream under Django's ASGI handler (served by uvicorn), configured as its docs
describe: the app in INSTALLED_APPS, its database storage (`DjangoModelStorage`, SQLite) so every
channel is reliable, and its `events` view serving a channel. The application publishes with
`send_event(channel, event_type, data, json_encode=False)` (the text as is; type "message" when
the message has none) and pauses between messages.

django-eventstream is publish/subscribe: a client subscribes to a channel and receives what is
published after it subscribed. Each fresh request gets a channel of its own
(`<fixture>~<n>`), and the application publishes the fixture's messages once the library has
sent the subscriber its first bytes: a subscriber without Last-Event-ID starts at the channel's
current id, so what was stored before it subscribed would never reach it. The library
numbers every event itself (`id: <channel>:<n>`) and resumes natively: a request whose
Last-Event-ID names one of this fixture's channels is handed to the library on that channel,
which replays the rest from its storage; the application publishes nothing then.

Usage: PORT=3000 python server.py corpus.json
"""
import asyncio
import itertools
import os
import sys
import tempfile

import django
import uvicorn
from django.conf import settings

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_shared"))
from corpus import HOST, PORT, inexpressible, is_delay, listening, load_server_fixtures  # noqa: E402

FIXTURES = load_server_fixtures()
RULES = [
    (lambda m: "comment" in m, "django-eventstream has no API for a comment line"),
    (lambda m: "retry" in m, "django-eventstream has no API for retry"),
    (lambda m: "id" in m, "django-eventstream numbers events itself (<channel>:<n> from its storage): the application cannot choose an id"),
    (lambda m: "data" not in m, "send_event() requires data"),
]

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    SECRET_KEY="matrix-only",
    MIDDLEWARE=[],
    INSTALLED_APPS=["django_eventstream"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(tempfile.mkdtemp(prefix="django-eventstream-"), "events.sqlite3")}},
    EVENTSTREAM_STORAGE_CLASS="django_eventstream.storage.DjangoModelStorage",
)
django.setup()

from asgiref.sync import sync_to_async  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import Http404  # noqa: E402
from django.urls import path  # noqa: E402
from django_eventstream import send_event  # noqa: E402
from django_eventstream.utils import parse_last_event_id  # noqa: E402
from django_eventstream.views import events  # noqa: E402

subscriptions = itertools.count(1)


def resumed_channel(request, fixture_id):
    """The channel of this fixture named by the request's Last-Event-ID, if any (the library's own
    id format, parsed by the library)."""
    header = request.headers.get("Last-Event-ID")
    try:
        channels = parse_last_event_id(header) if header else {}
    except ValueError:
        return None
    return next((c for c in channels if c.startswith(f"{fixture_id}~")), None)


async def publish(channel, items):
    for item in items:
        if is_delay(item):
            await asyncio.sleep(item["delay"] / 1000)
        else:
            await sync_to_async(send_event)(channel, item.get("event", "message"), item["data"], json_encode=False)


def published_after_first_bytes(content, channel, items):
    """The library's stream, unchanged; once its first chunk has gone out the subscriber is
    registered and caught up, and the application publishes."""
    async def stream():
        publisher = None
        try:
            async for chunk in content:
                yield chunk
                if publisher is None:
                    publisher = asyncio.ensure_future(publish(channel, items))
        finally:
            if publisher is not None:
                publisher.cancel()
    return stream()


def subscribe(request, fixture_id):
    fixture = FIXTURES.get(fixture_id)
    if fixture is None:
        raise Http404("not found")
    why = inexpressible(fixture["send"], RULES)
    if why:
        raise Http404(f"not expressible with django-eventstream: {why}")
    channel = resumed_channel(request, fixture_id)
    if channel is not None:
        return events(request, channels=[channel])  # the library replays from its storage
    channel = f"{fixture_id}~{next(subscriptions)}"
    response = events(request, channels=[channel])
    if response.streaming:
        response.streaming_content = published_after_first_bytes(response.streaming_content, channel, fixture["send"])
    return response


urlpatterns = [path("<str:fixture_id>", subscribe)]
application = get_asgi_application()

if __name__ == "__main__":
    call_command("migrate", verbosity=0)
    listening("python-django-eventstream")
    uvicorn.run(application, host=HOST, port=PORT, access_log=False, log_level="warning", lifespan="off", timeout_graceful_shutdown=1)
