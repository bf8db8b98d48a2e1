// What every target adapter shares and no SSE library provides: reading the corpus export, the
// application's pauses, and the application's event log for resumption. The SSE wire itself is
// always produced by the library under test — never here.
//
// Usage in an adapter:  const fixtures = loadServerFixtures(process.argv[2]);
import { readFileSync } from 'node:fs';

export const HOST = '127.0.0.1';
export const PORT = Number(process.env.PORT ?? 3000);

/** The server fixtures of a corpus export (`sse-conformance fixtures --json`), by id. */
export function loadServerFixtures(path = process.argv[2]) {
  if (!path) throw new Error('usage: PORT=3000 node server.mjs <corpus.json>');
  const corpus = JSON.parse(readFileSync(path, 'utf8'));
  return new Map(corpus.fixtures.filter((f) => f.send).map((f) => [f.id, f]));
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const isDelay = (item) => 'delay' in item;

/**
 * The items still to send to a client that reconnected with Last-Event-ID `lastId` — the part of
 * resumption that is the application's (its event log), for libraries that only hand over the
 * header. A fixture without `resume`, or a request without the header, gets everything.
 */
export function itemsAfter(fixture, lastId, items = fixture.send) {
  if (!fixture.resume || lastId === undefined || lastId === null) return items;
  const at = items.findIndex((m) => m.id === lastId);
  if (at >= 0) return items.slice(at + 1);
  return fixture.resume.unknownId === 'replay' ? items : [];
}

/**
 * For libraries whose event call requires data: a message carrying only `fields` (say, only a
 * retry, or only an id) is folded into the event right after it, when that is immediate, carries
 * data and sets none of the same fields — the fields then travel in that event's block, and a
 * client receives exactly the same events. Anything that cannot be folded is left as it is (for
 * `inexpressible` to reject).
 */
export function foldDataless(items, fields) {
  const out = [];
  for (let i = items.length - 1; i >= 0; i--) {
    const m = items[i];
    const next = out[0];
    const lone = !isDelay(m) && m.data === undefined && m.comment === undefined && Object.keys(m).every((k) => fields.includes(k));
    const target = next && !isDelay(next) && next.data !== undefined && Object.keys(m).every((k) => !(k in next));
    if (lone && target) out[0] = { ...m, ...next };
    else out.unshift(m);
  }
  return out;
}

/** The messages (not pauses) of a list of items. */
export const messagesOf = (items) => items.filter((m) => !isDelay(m));

/**
 * The first reason a fixture's items cannot be expressed through a library, or null. `rules` is a list of
 * [predicate over one message, reason]; a fixture with any message matching a rule is answered 404
 * (reported as SKIP by the suite), so a library is never blamed for what its API cannot say.
 */
export function inexpressible(items, rules) {
  for (const message of messagesOf(items)) {
    for (const [matches, reason] of rules) if (matches(message)) return reason;
  }
  return null;
}

export function listening(name, server) {
  console.log(`${name} listening on http://${HOST}:${PORT}`);
  return server;
}
