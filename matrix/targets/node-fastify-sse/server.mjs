// Fastify with @fastify/sse: routes declared `{ sse: 'only' }`, every message sent with
// `reply.sse.send({ id, event, data, retry })` — the plugin's own serialiser — the stream opened
// with `reply.sse.sendHeaders()`, kept open with `reply.sse.keepAlive()` (the plugin's heartbeat,
// a comment every second with `heartbeatInterval: 1000`; the default is 30 s), and resumed from `reply.sse.lastEventId`.
//
// The data option: the plugin's default serializer is JSON.stringify, which would send "hello" as
// "\"hello\"" and escape line breaks; this adapter registers `serializer: String`, so text is sent
// as the text the application passed (plain-text apps must do the same to attach an id or event).
// Usage: PORT=3000 node server.mjs corpus.json
import Fastify from 'fastify';
import fastifySSE from '@fastify/sse';
import { HOST, PORT, inexpressible, isDelay, itemsAfter, loadServerFixtures, sleep } from '../_shared/corpus.mjs';

const fixtures = loadServerFixtures(process.argv[2]);

// The plugin has no comment API (only its own heartbeat).
const RULES = [[(m) => m.comment !== undefined, '@fastify/sse has no API for a comment line']];

const app = Fastify({ logger: { level: 'warn' } });
await app.register(fastifySSE, { serializer: String, heartbeatInterval: 1000 });

app.get('/:id', { sse: 'only' }, async (request, reply) => {
  const fixture = fixtures.get(request.params.id);
  if (!fixture) return reply.code(404).send('not found');
  const why = inexpressible(fixture.send, RULES);
  if (why) return reply.code(404).send(`not expressible with @fastify/sse: ${why}`);

  reply.sse.sendHeaders();
  for (const item of itemsAfter(fixture, reply.sse.lastEventId ?? undefined)) {
    if (!reply.sse.isConnected) return;
    if (isDelay(item)) await sleep(item.delay);
    // A message needs a `data` key to be a message; `data: undefined` writes no data line.
    else await reply.sse.send({ id: item.id, event: item.event, data: item.data, retry: item.retry });
  }
  if (fixture.end === 'open') reply.sse.keepAlive(); // otherwise the plugin ends the stream on return
});

await app.listen({ port: PORT, host: HOST });
console.log(`fastify-sse listening on http://${HOST}:${PORT}`);
