"""
Test service for httpx-sse (pinned in ../python-requirements.txt): ``aconnect_sse`` over an
``httpx.AsyncClient``, every ``ServerSentEvent`` that ``aiter_sse()`` yields reported as it is.
httpx-sse parses one response and never reconnects; the end of its iteration (or the exception
that ends it) is reported as an error.
"""
import os
import sys

import httpx
from httpx_sse import aconnect_sse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_shared"))
from service import describe, installed_version, run_async, serve  # noqa: E402


_client = []


def shared_client():
    """One AsyncClient for every stream, as httpx advises (building one costs a TLS context)."""
    if not _client:
        # follow_redirects: httpx does not follow them unless asked (EventSource does).
        _client.append(httpx.AsyncClient(follow_redirects=True, timeout=httpx.Timeout(5.0)))
    return _client[0]


def create(params, report):
    async def run():
        headers = dict(params.get("headers") or {})
        body = params.get("body")
        timeout = httpx.Timeout(5.0, read=params["readTimeoutMs"] / 1000) if params.get("readTimeoutMs") else httpx.Timeout(5.0)
        try:
            async with aconnect_sse(shared_client(), params.get("method") or "GET", params["streamUrl"], headers=headers, timeout=timeout, **({"content": body} if body is not None else {})) as source:
                async for sse in source.aiter_sse():
                    report({"kind": "event", "event": {"type": sse.event, "data": sse.data, "id": sse.id}})
            report({"kind": "error", "error": "the stream ended"})
        except Exception as error:  # noqa: BLE001 - whatever ends the stream is reported
            report({"kind": "error", "error": describe(error)})

    return run_async(run)


serve("httpx-sse", installed_version("httpx-sse"), ["headers", "post", "report", "read-timeout"], create)
