// better-sse: one `createSession(req, res)` per request; every message is written with the
// session's own EventBuffer field methods (event/id/retry/data/comment + dispatch) and sent with
// `session.batch`, so the library's serialiser and sanitiser produce every byte. Keep-alive is the
// session's own (a comment every second here: `keepAlive: 1000`), and resumption starts from `session.lastId`,
// which the library initialises from the client's Last-Event-ID.
//
// The data option: the session is created with `serializer: String`, so a string is sent as the
// text the application passed (what any app sending text, not JSON, does). better-sse's default
// serialiser is JSON.stringify, which sends "hello" as "\"hello\"" and escapes line breaks inside
// one JSON string; run with BETTER_SSE_SERIALIZER=json to use it.
//
// Why not `session.push(data, event, id)`: push always writes an event and an id field, inventing
// a random UUID when the application gives none, so a message without an id would change the
// client's last event id. The field methods write exactly the fields given.
// Usage: PORT=3000 node server.mjs corpus.json
import { createServer } from 'node:http';
import { createSession } from 'better-sse';
import { HOST, PORT, isDelay, itemsAfter, listening, loadServerFixtures, sleep } from '../_shared/corpus.mjs';

const fixtures = loadServerFixtures(process.argv[2]);
const options = { keepAlive: 1000, ...(process.env.BETTER_SSE_SERIALIZER === 'json' ? {} : { serializer: String }) };

function write(buffer, { id, event, data, retry, comment }) {
  if (comment !== undefined) buffer.comment(comment);
  if (retry !== undefined) buffer.retry(retry);
  if (event !== undefined) buffer.event(event);
  if (id !== undefined) buffer.id(id);
  if (data !== undefined) buffer.data(data);
  buffer.dispatch();
}

createServer(async (req, res) => {
  const fixture = fixtures.get(decodeURIComponent(new URL(req.url, 'http://x').pathname.slice(1)));
  if (!fixture || req.method !== 'GET') return res.writeHead(404).end();

  const session = await createSession(req, res, options);
  const lastId = req.headers['last-event-id'] === undefined ? undefined : session.lastId;
  for (const item of itemsAfter(fixture, lastId)) {
    if (!session.isConnected) return;
    if (isDelay(item)) await sleep(item.delay);
    else await session.batch((buffer) => write(buffer, item));
  }
  if (fixture.end !== 'open') return res.end();
  // Stay open: the session's own keep-alive timer sends a comment every second until the client leaves.
}).listen(PORT, HOST, function () {
  listening('better-sse', this);
});
