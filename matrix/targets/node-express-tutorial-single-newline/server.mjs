// The same Express tutorial server, written by someone who ended every event with a single '\n'
// (`res.write('data: ' + x + '\n')`): no event is ever followed by a blank line, so no client
// ever dispatches one. Otherwise identical to ../express-tutorial/server.mjs.
// Usage: PORT=3000 node server.mjs corpus.json
import express from 'express';
import { HOST, PORT, listening, loadServerFixtures } from '../_shared/corpus.mjs';
import { replayFixtures } from '../_shared/express-route.mjs';

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

replayFixtures(app, fixtures, {
  headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' },
  write: sendEvent,
  ping: (res) => res.write(': ping\n'),
});

listening('express-tutorial-single-newline', app.listen(PORT, HOST));
