// The same Express tutorial server, written by someone who ended every event with a single '\n'
// (`res.write('data: ' + x + '\n')`): no event is ever followed by a blank line, so no client
// ever dispatches one. Otherwise identical to ../express-tutorial/server.mjs.
// Usage: PORT=3000 node server.mjs corpus.json
import express from 'express';
import { HOST, PORT, isDelay, itemsAfter, listening, loadServerFixtures, sleep } from '../_shared/corpus.mjs';

const fixtures = loadServerFixtures(process.argv[2]);
const app = express();

// The tutorial's event writer. Every field value goes on the wire as given.
function sendEvent(res, { id, event, data, retry, comment }) {
  if (comment !== undefined) return res.write(': ' + comment + '\n');
  if (retry !== undefined) res.write('retry: ' + retry + '\n');
  if (id !== undefined) res.write('id: ' + id + '\n');
  if (event !== undefined) res.write('event: ' + event + '\n');
  if (data !== undefined) res.write('data: ' + data + '\n');
}

app.get('/:id', async (req, res) => {
  const fixture = fixtures.get(req.params.id);
  if (!fixture) return res.sendStatus(404);

  res.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  res.flushHeaders();
  let closed = false;
  res.on('close', () => (closed = true));

  for (const item of itemsAfter(fixture, req.get('Last-Event-ID'))) {
    if (closed) return;
    if (isDelay(item)) await sleep(item.delay);
    else sendEvent(res, item);
  }
  if (fixture.end !== 'open') return res.end();
  const ping = setInterval(() => res.write(': ping\n'), 1000);
  res.on('close', () => clearInterval(ping));
});

listening('express-tutorial-single-newline', app.listen(PORT, HOST));
