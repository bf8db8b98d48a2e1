"""
Test service for sseclient-py (pinned in ../python-requirements.txt), as its documentation uses
it: ``SSEClient(requests.get(url, stream=True, headers={"Accept": "text/event-stream"}))``, every
``Event`` that ``events()`` yields reported as it is. sseclient-py parses one response handed to
it and never reconnects; the end of ``events()`` (or the exception that ends it) is reported as an
error.
"""
import os
import socket
import sys

import requests
import sseclient

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_shared"))
from service import describe, installed_version, run_thread, serve  # noqa: E402


def _shutdown(response):
    """Wakes the thread blocked reading ``response``: shut its socket down, then close it."""
    connection = getattr(response.raw, "_connection", None)
    sock = getattr(connection, "sock", None)
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    response.close()


def create(params, report):
    state = {"response": None, "closed": False}

    def work():
        headers = {"Accept": "text/event-stream", **(params.get("headers") or {})}
        try:
            response = requests.request(params.get("method") or "GET", params["streamUrl"], stream=True, headers=headers, data=params.get("body"), timeout=(5, params["readTimeoutMs"] / 1000 if params.get("readTimeoutMs") else None))
            state["response"] = response
            if state["closed"]:
                return _shutdown(response)
            for event in sseclient.SSEClient(response).events():
                report({"kind": "event", "event": {"type": event.event, "data": event.data, "id": event.id}})
            report({"kind": "error", "error": "the stream ended"})
        except Exception as error:  # noqa: BLE001 - whatever ends the stream is reported
            report({"kind": "error", "error": describe(error)})

    def stop():
        state["closed"] = True
        if state["response"] is not None:
            _shutdown(state["response"])

    return run_thread(work, stop)


serve("sseclient-py", installed_version("sseclient-py"), ["headers", "post", "report", "read-timeout"], create)
