// Hono on Node (@hono/node-server): every event goes through `streamSSE` / `stream.writeSSE`, the
// helper's own serialiser. Last-Event-ID is read from the request (Hono has no resume mechanism).
// Usage: PORT=3000 node server.mjs corpus.json
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { HOST, PORT, foldDataless, inexpressible, isDelay, itemsAfter, listening, loadServerFixtures } from '../_shared/corpus.mjs';

const fixtures = loadServerFixtures(process.argv[2]);

// What writeSSE cannot say. Its SSEMessage type requires `data` and it always writes a data line,
// so a lone id or retry is folded into the next event (same events for the client) and answered
// 404 where that is impossible; it has no comment API; it refuses (throws) an event or id
// containing CR/LF.
const RULES = [
  [(m) => m.comment !== undefined, 'Hono has no API for a comment line'],
  [(m) => m.data === undefined, 'writeSSE requires data: a lone id/retry that cannot be folded into the next event'],
  [(m) => /[\r\n]/.test(m.event ?? '') || /[\r\n]/.test(m.id ?? ''), 'writeSSE throws on CR/LF in event or id (refuses, safe)'],
];
const items = (fixture) => foldDataless(fixture.send, ['id', 'retry']);

const app = new Hono();

app.get('/:id', (c) => {
  const fixture = fixtures.get(c.req.param('id'));
  if (!fixture) return c.notFound();
  const why = inexpressible(items(fixture), RULES);
  if (why) return c.text(`not expressible with hono: ${why}`, 404);

  return streamSSE(c, async (stream) => {
    for (const item of itemsAfter(fixture, c.req.header('last-event-id'), items(fixture))) {
      if (stream.aborted) return;
      if (isDelay(item)) await stream.sleep(item.delay);
      else await stream.writeSSE({ data: item.data, event: item.event, id: item.id, retry: item.retry });
    }
    if (fixture.end !== 'open') return;
    // Hono has no keep-alive and no comment API: the stream simply stays open until the client leaves.
    await new Promise((resolve) => stream.onAbort(resolve));
  });
});

listening('hono', serve({ fetch: app.fetch, port: PORT, hostname: HOST }));
