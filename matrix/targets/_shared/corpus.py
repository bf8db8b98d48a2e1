"""What every Python target shares and no SSE library provides: reading the corpus export, the
application's event log for resumption, folding a lone id/retry into the next event, and the 404
rules for what a library cannot express. The SSE wire itself is always produced by the library
under test, never here. The twin of _shared/corpus.mjs for the Node targets.

Usage in an adapter (run from its own folder):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_shared"))
    from corpus import HOST, PORT, load_server_fixtures, items_after
"""
import json
import os
import sys

HOST = "127.0.0.1"
PORT = int(os.environ.get("PORT", "3000"))


def load_server_fixtures(path=None):
    """The server fixtures of a corpus export (`sse-conformance fixtures --json`), by id."""
    path = path or (sys.argv[1] if len(sys.argv) > 1 else None)
    if not path:
        raise SystemExit("usage: PORT=3000 python server.py <corpus.json>")
    with open(path, encoding="utf-8") as corpus:
        return {f["id"]: f for f in json.load(corpus)["fixtures"] if "send" in f}


def is_delay(item):
    return "delay" in item


def messages_of(items):
    """The messages (not pauses) of a list of items."""
    return [m for m in items if not is_delay(m)]


def items_after(fixture, last_id, items=None):
    """The items still to send to a client that reconnected with Last-Event-ID `last_id` (§9.2.4) —
    the application's event log, for libraries that only hand over the header. A fixture without
    `resume`, or a request without the header, gets everything."""
    items = fixture["send"] if items is None else items
    if "resume" not in fixture or last_id is None:
        return items
    for i, item in enumerate(items):
        if item.get("id") == last_id:
            return items[i + 1:]
    return items if fixture["resume"]["unknownId"] == "replay" else []


def fold_dataless(items, fields):
    """For libraries whose event call requires data: a message carrying only `fields` (a lone retry
    or id) is folded into the event right after it, when that is immediate, carries data and sets
    none of the same fields — the client receives exactly the same events. Anything that cannot be
    folded is left as it is (for `inexpressible` to reject)."""
    out = []
    for m in reversed(items):
        nxt = out[0] if out else None
        lone = not is_delay(m) and "data" not in m and "comment" not in m and all(k in fields for k in m)
        target = nxt is not None and not is_delay(nxt) and "data" in nxt and all(k not in nxt for k in m)
        if lone and target:
            out[0] = {**m, **nxt}
        else:
            out.insert(0, m)
    return out


def inexpressible(items, rules):
    """The first reason a fixture's items cannot be expressed through a library, or None. `rules`
    is a list of (predicate over one message, reason); a fixture with any message matching a rule
    is answered 404 (reported as SKIP), so a library is never blamed for what its API cannot say."""
    for message in messages_of(items):
        for matches, reason in rules:
            if matches(message):
                return reason
    return None


def listening(name):
    print(f"{name} listening on http://{HOST}:{PORT}", flush=True)
