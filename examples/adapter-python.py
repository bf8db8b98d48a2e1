"""An adapter: serves every server fixture of the corpus at /<id>, through "your library" — here a
tiny hand-written SSE writer (Python standard library only) standing in for it. Replace
`write_event` with your library's API.

Usage: npx sse-conformance fixtures --json > corpus.json
       PORT=3000 python3 examples/adapter-python.py corpus.json & npx sse-conformance run http://127.0.0.1:3000
"""
import json
import os
import re
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

with open(sys.argv[1] if len(sys.argv) > 1 else "corpus.json", encoding="utf-8") as f:
    FIXTURES = {fx["id"]: fx for fx in json.load(f)["fixtures"] if "send" in fx}

LINE_BREAK = re.compile(r"\r\n|\r|\n")


def write_event(out, m):
    """One message as SSE (§9.2.6): values split on every line break, CR/LF/NUL kept out of fields."""
    text = "".join(f": {line}\n" for line in LINE_BREAK.split(m["comment"])) if "comment" in m else ""
    if "retry" in m:
        text += f"retry: {m['retry']}\n"
    if "event" in m:
        text += "event: " + re.sub(r"[\r\n]", "", m["event"]) + "\n"
    if "id" in m:
        text += "id: " + re.sub(r"[\r\n\0]", "", m["id"]) + "\n"
    if "data" in m:
        text += "".join(f"data: {line}\n" for line in LINE_BREAK.split(m["data"]))
    only_comment = set(m) == {"comment"}
    out.write((text if only_comment else text + "\n").encode("utf-8"))
    out.flush()


class Adapter(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        fixture = FIXTURES.get(self.path[1:])
        if fixture is None:  # not implemented: the suite reports SKIP
            self.send_response(404)
            self.send_header("content-length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("cache-control", "no-cache")
        self.send_header("connection", "close")  # the body ends when the connection does
        self.end_headers()
        items = fixture["send"]
        last_id = self.headers.get("last-event-id")
        if fixture.get("resume") and last_id is not None:
            at = next((i for i, m in enumerate(items) if m.get("id") == last_id), None)
            items = items[at + 1:] if at is not None else items if fixture["resume"]["unknownId"] == "replay" else []
        try:
            for item in items:
                if "delay" in item:
                    time.sleep(item["delay"] / 1000)
                else:
                    write_event(self.wfile, item)
            while fixture.get("end") == "open":  # keep-alive while the client stays
                time.sleep(1)
                self.wfile.write(b":\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def log_message(self, *args):
        pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("PORT", "3000"))), Adapter).serve_forever()
