"""
The protocol side of a Python test service (spec/CLIENT-SERVICE.md), so each service file holds
only what its client's API does. A service calls ``serve(name, version, capabilities, create)``;
``create(params, report)`` starts one client and returns an object with ``close()`` and,
optionally, ``command(body) -> bool``. ``report(message)`` posts a callback to
``<callbackUrl>/<n>``, one at a time, in order; after ``close()`` nothing more is posted.

    python service.py --port <n>      (prints "listening on http://127.0.0.1:<n>")

Clients built on asyncio run on one shared event loop (``run_async``); blocking clients run in a
thread of their own (``run_thread``). Only the standard library is used here.
SSE_SERVICE_DEBUG=1 logs every callback to stderr.
"""
from __future__ import annotations

import asyncio
import json
import os
import queue
import signal
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import version as installed_version
from typing import Any, Callable, Coroutine

__all__ = ["serve", "run_async", "run_thread", "installed_version", "describe"]

MAX_BODY = 64 * 1024
CALLBACK_TIMEOUT_S = 5.0
_DEBUG = os.environ.get("SSE_SERVICE_DEBUG") == "1"


class Reporter:
    """Posts callbacks in order from a thread of its own; ``stop()`` drops whatever is left."""

    def __init__(self, callback_url: str) -> None:
        self._url = callback_url
        self._n = 0
        self._queue: queue.Queue[Any] = queue.Queue()
        self._stopped = threading.Event()
        threading.Thread(target=self._post_all, daemon=True).start()

    def report(self, message: dict) -> None:
        if not self._stopped.is_set():
            self._queue.put(message)

    def stop(self) -> None:
        self._stopped.set()
        self._queue.put(None)

    def _post_all(self) -> None:
        while True:
            message = self._queue.get()
            if message is None or self._stopped.is_set():
                return
            self._n += 1
            if _DEBUG:
                print(f"{time.monotonic():.3f} post {self._url}/{self._n} {message}", file=sys.stderr, flush=True)
            body = json.dumps(message).encode("utf-8")
            request = urllib.request.Request(f"{self._url}/{self._n}", data=body, method="POST", headers={"content-type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=CALLBACK_TIMEOUT_S) as answer:
                    answer.read(MAX_BODY)
            except Exception:  # noqa: BLE001 - a lost callback is the harness's to notice
                pass


def describe(error: BaseException) -> str:
    """An exception as error text: its type and message (no header values are ever in it)."""
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


_loop: asyncio.AbstractEventLoop | None = None
_loop_lock = threading.Lock()


def _shared_loop() -> asyncio.AbstractEventLoop:
    global _loop
    with _loop_lock:
        if _loop is None:
            _loop = asyncio.new_event_loop()
            threading.Thread(target=_loop.run_forever, daemon=True).start()
        return _loop


class _AsyncClient:
    def __init__(self, make: Callable[[], Coroutine[Any, Any, None]]) -> None:
        self._loop = _shared_loop()
        self._future = asyncio.run_coroutine_threadsafe(make(), self._loop)

    def close(self) -> None:
        self._loop.call_soon_threadsafe(self._future.cancel)


def run_async(make: Callable[[], Coroutine[Any, Any, None]]) -> _AsyncClient:
    """Runs ``make()`` on the shared event loop; ``close()`` cancels it."""
    return _AsyncClient(make)


class _ThreadClient:
    def __init__(self, work: Callable[[], None], stop: Callable[[], None]) -> None:
        self._stop = stop
        threading.Thread(target=work, daemon=True).start()

    def close(self) -> None:
        try:
            self._stop()
        except Exception:  # noqa: BLE001 - closing twice or too early is harmless
            pass


def run_thread(work: Callable[[], None], stop: Callable[[], None]) -> _ThreadClient:
    """Runs the blocking ``work()`` in a thread; ``close()`` calls ``stop()`` to end it."""
    return _ThreadClient(work, stop)


def serve(name: str, version: str, capabilities: list[str], create: Callable[[dict, Callable[[dict], None]], Any]) -> None:
    clients: dict[str, tuple[Any, Reporter]] = {}
    lock = threading.Lock()
    counter = [0]

    def close(entry: tuple[Any, Reporter]) -> None:
        client, reporter = entry
        reporter.stop()
        client.close()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # quiet: the harness reports
            pass

        def _send(self, status: int, body: Any = None, headers: dict | None = None) -> None:
            text = b"" if body is None else (body.encode() if isinstance(body, str) else json.dumps(body).encode())
            self.send_response(status)
            self.send_header("content-type", "text/plain" if isinstance(body, str) else "application/json")
            self.send_header("content-length", str(len(text)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(text)

        def _json(self) -> Any:
            length = int(self.headers.get("content-length") or 0)
            if length > MAX_BODY:
                raise ValueError("body too large")
            return json.loads(self.rfile.read(length).decode("utf-8"))

        def do_GET(self) -> None:
            if self.path != "/":
                return self._send(404, "no such resource")
            self._send(200, {"name": name, "clientVersion": version, "capabilities": capabilities})

        def do_POST(self) -> None:
            try:
                body = self._json()
            except ValueError:
                return self._send(400, "the body must be JSON")
            if self.path == "/":
                if not isinstance(body, dict) or not isinstance(body.get("streamUrl"), str) or not isinstance(body.get("callbackUrl"), str):
                    return self._send(400, "streamUrl and callbackUrl are required")
                reporter = Reporter(body["callbackUrl"])
                try:
                    client = create(body, reporter.report)
                except Exception as error:  # noqa: BLE001
                    reporter.stop()
                    return self._send(500, describe(error))
                with lock:
                    counter[0] += 1
                    key = str(counter[0])
                    clients[key] = (client, reporter)
                return self._send(201, None, {"location": f"/clients/{key}"})
            entry = clients.get(self.path.removeprefix("/clients/"))
            if not self.path.startswith("/clients/") or entry is None:
                return self._send(404, "no such client")
            command = getattr(entry[0], "command", None)
            accepted = command(body) if command else False
            if accepted:
                return self._send(202)
            self._send(400, f"unsupported command {json.dumps(body.get('command') if isinstance(body, dict) else None)}")

        def do_DELETE(self) -> None:
            if self.path == "/":
                self._send(204)
                with lock:
                    entries = list(clients.values())
                    clients.clear()
                for entry in entries:
                    close(entry)
                threading.Timer(0.05, lambda: os._exit(0)).start()
                return
            with lock:
                entry = clients.pop(self.path.removeprefix("/clients/"), None) if self.path.startswith("/clients/") else None
            if entry is None:
                return self._send(404, "no such client")
            close(entry)
            self._send(204)

    args = sys.argv[1:]
    port = int(args[args.index("--port") + 1]) if "--port" in args else int(os.environ.get("PORT", "0"))
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: os._exit(0))
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()
