"""
Test service for aiohttp-sse-client (pinned in ../python-requirements.txt): its ``EventSource``
as an async context manager, iterated for messages, with ``on_open`` / ``on_error`` reported with
its ``ready_state``. ``initialDelayMs`` is its ``reconnection_time``; everything else is its
default (``max_connect_retry`` 5, a ClientSession of its own).
"""
import os
import sys
from datetime import timedelta

from aiohttp_sse_client import client as sse_client

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_shared"))
from service import describe, installed_version, run_async, serve  # noqa: E402


def create(params, report):
    async def run():
        holder = {}
        ready = lambda: holder["source"].ready_state if "source" in holder else 0  # noqa: E731
        options = {}
        if params.get("initialDelayMs") is not None:
            options["reconnection_time"] = timedelta(milliseconds=params["initialDelayMs"])
        if params.get("method"):
            options["option"] = {"method": params["method"]}
        if params.get("body") is not None:
            options["data"] = params["body"]
        if params.get("headers"):
            options["headers"] = dict(params["headers"])
        source = sse_client.EventSource(
            params["streamUrl"],
            on_open=lambda: report({"kind": "open", "readyState": ready()}),
            on_error=lambda: report({"kind": "error", "error": "error event", "readyState": ready()}),
            **options,
        )
        holder["source"] = source
        try:
            async with source:
                async for event in source:
                    report({"kind": "event", "event": {"type": event.type or "message", "data": event.data, "id": event.last_event_id}})
        except Exception as error:  # noqa: BLE001
            # What it raised, without a ready state: on_error already reported the state (when
            # the client called it), so this adds the reason and no entry to the log.
            report({"kind": "error", "error": describe(error)})

    return run_async(run)


serve("aiohttp-sse-client", installed_version("aiohttp-sse-client"), ["headers", "post", "report", "open-events", "ready-state"], create)
