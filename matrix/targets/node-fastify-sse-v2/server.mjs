// Fastify with fastify-sse-v2: each fixture is an async generator of EventMessage objects
// ({ id, event, data, retry, comment }) handed to `reply.sse(iterable)`, the plugin's own
// serialiser; the response ends when the generator does. The plugin has no keep-alive, so an
// open stream yields a `{ comment: 'ping' }` message every second, and no resume mechanism, so
// Last-Event-ID is read from the request. Plugin options are the defaults (retryDelay 3000:
// every stream starts with `retry: 3000`).
// Usage: PORT=3000 node server.mjs corpus.json
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import { FastifySSEPlugin } from 'fastify-sse-v2';
import { HOST, PORT, isDelay, itemsAfter, loadServerFixtures } from '../_shared/corpus.mjs';

const fixtures = loadServerFixtures(process.argv[2]);

async function* messages(fixture, lastId, signal) {
  try {
    for (const item of itemsAfter(fixture, lastId)) {
      if (isDelay(item)) await sleep(item.delay, undefined, { signal });
      else yield { id: item.id, event: item.event, data: item.data, retry: item.retry, comment: item.comment };
    }
    if (fixture.end !== 'open') return;
    for (;;) {
      await sleep(1000, undefined, { signal });
      yield { comment: 'ping' };
    }
  } catch (error) {
    if (error.name !== 'AbortError') throw error; // the client left
  }
}

const app = Fastify({ logger: { level: 'warn' } });
await app.register(FastifySSEPlugin);

app.get('/:id', (request, reply) => {
  const fixture = fixtures.get(request.params.id);
  if (!fixture) return reply.code(404).send('not found');
  const left = new AbortController();
  reply.raw.once('close', () => left.abort());
  reply.sse(messages(fixture, request.headers['last-event-id'], left.signal));
});

await app.listen({ port: PORT, host: HOST });
console.log(`fastify-sse-v2 listening on http://${HOST}:${PORT}`);
