"""Flask as SSE tutorials write it: a generator yielding f"data: {x}\n\n" strings (with id:, event:
and retry: lines in front when the event has them), returned as Response(generator,
mimetype="text/event-stream") and served by app.run() (Werkzeug's threaded server); a ": ping"
comment every second while an open stream idles; Last-Event-ID read from the request by hand.
No value is escaped — that is the target.

Usage: PORT=3000 /usr/bin/python3 server.py corpus.json
"""
import os
import sys
import time

from flask import Flask, Response, request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_shared"))
from corpus import HOST, PORT, items_after, load_server_fixtures  # noqa: E402  (what no SSE library provides)

FIXTURES = load_server_fixtures()


# ── the tutorial ──────────────────────────────────────────────────────────────────────────────────
app = Flask(__name__)


@app.route("/<fixture_id>")
def stream(fixture_id):
    fixture = FIXTURES.get(fixture_id)
    if fixture is None:
        return "not found", 404
    items = items_after(fixture, request.headers.get("Last-Event-ID"))

    def generate():
        for item in items:
            if "delay" in item:
                time.sleep(item["delay"] / 1000)
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
                time.sleep(1)
                yield ": ping\n\n"

    return Response(generate(), mimetype="text/event-stream")


if __name__ == "__main__":
    print(f"python-flask listening on http://{HOST}:{PORT}", flush=True)
    app.run(host=HOST, port=PORT, threaded=True)
