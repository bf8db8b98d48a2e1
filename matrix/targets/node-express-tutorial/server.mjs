// Express as SSE tutorials write it: set the text/event-stream headers, then res.write() each
// event as a template string — `res.write('data: ' + x + '\n\n')` — with no escaping of line
// breaks, a ping comment every second, and Last-Event-ID read from the request by hand.
// Usage: PORT=3000 node server.mjs corpus.json
import express from 'express';
import { HOST, PORT, listening, loadServerFixtures } from '../_shared/corpus.mjs';
import { replayFixtures } from '../_shared/express-route.mjs';

const fixtures = loadServerFixtures(process.argv[2]);
const app = express();

// The tutorial's event writer. Every field value goes on the wire as given.
function sendEvent(res, { id, event, data, retry, comment }) {
  if (comment !== undefined) return res.write(': ' + comment + '\n\n');
  if (retry !== undefined) res.write('retry: ' + retry + '\n');
  if (id !== undefined) res.write('id: ' + id + '\n');
  if (event !== undefined) res.write('event: ' + event + '\n');
  if (data !== undefined) res.write('data: ' + data + '\n\n');
  else res.write('\n');
}

replayFixtures(app, fixtures, {
  headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' },
  write: sendEvent,
  ping: (res) => res.write(': ping\n\n'),
});

listening('express-tutorial', app.listen(PORT, HOST));
