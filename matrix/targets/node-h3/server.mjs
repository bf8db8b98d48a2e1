// h3 v2: every message goes through `createEventStream(event)` — `push()` for events and
// `pushComment()` for comments, the library's own serialiser — and the stream is returned from
// the handler. h3 has no keep-alive of its own, so an open stream gets a `pushComment('')` every
// second (the library's comment API, as its docs suggest for heartbeats); Last-Event-ID is read from
// the request (h3 has no resume mechanism).
// Usage: PORT=3000 node server.mjs corpus.json
import { H3, createEventStream, getRequestHeader, getRouterParam, serve } from 'h3';
import { HOST, PORT, foldDataless, inexpressible, isDelay, itemsAfter, loadServerFixtures, sleep } from '../_shared/corpus.mjs';

const fixtures = loadServerFixtures(process.argv[2]);

// EventStreamMessage requires `data` and the serialiser always writes a data line, so a lone id or
// retry is folded into the next event (same events for the client), and answered 404 where that is
// impossible.
const RULES = [[(m) => m.comment === undefined && m.data === undefined, 'push() requires data: a lone id/retry that cannot be folded into the next event']];
const items = (fixture) => foldDataless(fixture.send, ['id', 'retry']);

async function produce(stream, fixture, lastId) {
  let open = true;
  stream.onClosed(() => (open = false));
  for (const item of itemsAfter(fixture, lastId, items(fixture))) {
    if (!open) return;
    if (isDelay(item)) await sleep(item.delay);
    else if (item.comment !== undefined) await stream.pushComment(item.comment);
    else await stream.push({ data: item.data, event: item.event, id: item.id, retry: item.retry });
  }
  if (fixture.end !== 'open') return stream.close();
  const ping = setInterval(() => stream.pushComment(''), 1000);
  stream.onClosed(() => clearInterval(ping));
}

const app = new H3().get('/:id', (event) => {
  const fixture = fixtures.get(decodeURIComponent(getRouterParam(event, 'id') ?? ''));
  if (!fixture) return new Response('not found', { status: 404 });
  const why = inexpressible(items(fixture), RULES);
  if (why) return new Response(`not expressible with h3: ${why}`, { status: 404 });

  const stream = createEventStream(event);
  produce(stream, fixture, getRequestHeader(event, 'last-event-id') ?? undefined).catch((error) => {
    console.error(error);
    stream.close();
  });
  return stream;
});

serve(app, { port: PORT, hostname: HOST });
