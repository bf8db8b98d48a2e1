// sse-channel: each request gets an SseChannel; the client joins with `channel.addClient(req, res)`
// and every message goes out with `channel.send({ id, event, data, retry })` (or
// `channel.retry(ms)` for a lone retry) — the library's own encoder (eventsource-encoder). The
// channel's own ping (a comment every second: `pingInterval: 1000`; the default is 20 s) keeps open streams alive, and resumption is
// the library's history: for a reconnect carrying Last-Event-ID the fixture's events are first sent
// into the channel (with no client yet, they only fill its history, as on a long-lived channel),
// then `addClient` replays the history newer than that id by itself. `channel.close()` ends a stream.
// Usage: PORT=3000 node server.mjs corpus.json
import { createServer } from 'node:http';
import SseChannel from 'sse-channel';
import { HOST, PORT, foldDataless, inexpressible, isDelay, listening, loadServerFixtures, messagesOf, sleep } from '../_shared/corpus.mjs';

const fixtures = loadServerFixtures(process.argv[2]);

// send() always writes a data line (a missing data becomes ""), so a lone id is folded into the
// next event (same events for the client); a lone retry has its own call, channel.retry(ms).
const items = (fixture) => foldDataless(fixture.send, ['id']);
const RULES = [
  [(m) => m.comment !== undefined, 'sse-channel has no API for a comment line (only its own ping)'],
  [(m) => m.data === undefined && !(m.retry !== undefined && Object.keys(m).length === 1), 'send() always writes data: a lone id that cannot be folded into the next event'],
  [(m) => /[\r\n]/.test(m.event ?? '') || /[\r\n]/.test(m.id ?? ''), 'send() throws a TypeError on CR/LF in event or id (refuses, safe)'],
];

function send(channel, { id, event, data, retry }) {
  if (data === undefined && id === undefined && event === undefined) channel.retry(retry);
  else channel.send({ id, event, data, retry });
}

createServer(async (req, res) => {
  const fixture = fixtures.get(decodeURIComponent(new URL(req.url, 'http://x').pathname.slice(1)));
  if (!fixture || req.method !== 'GET') return res.writeHead(404).end();
  const why = inexpressible(items(fixture), RULES);
  if (why) return res.writeHead(404, { 'content-type': 'text/plain' }).end(`not expressible with sse-channel: ${why}`);

  const channel = new SseChannel({ pingInterval: 1000 });
  let closed = false;
  res.once('close', () => {
    closed = true;
    channel.close();
  });
  if (fixture.resume && req.headers['last-event-id'] !== undefined) {
    for (const message of messagesOf(items(fixture))) send(channel, message); // history only
    channel.addClient(req, res); // replays what is newer than Last-Event-ID
  } else {
    channel.addClient(req, res);
    for (const item of items(fixture)) {
      if (closed) return;
      if (isDelay(item)) await sleep(item.delay);
      else send(channel, item);
    }
  }
  if (fixture.end !== 'open') channel.close();
}).listen(PORT, HOST, function () {
  listening('sse-channel', this);
});
