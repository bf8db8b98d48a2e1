// Express 5 with the `compression` middleware (app.use(compression()), its defaults) in front of
// a correct SSE route: every value split into data: lines, CR/LF/NUL kept out of event and id,
// keep-alive comments, resumption after Last-Event-ID. Whatever the suite finds here is what the
// middleware does to a correct stream. With `flush` the route calls res.flush() after each event,
// as the middleware's documentation asks of event streams.
// The two targets (node-express-compression, node-express-compression-flush) each pass in their
// own installed express and compression, so each folder is a complete install of its own.
import { HOST, PORT, listening, loadServerFixtures } from '../_shared/corpus.mjs';
import { replayFixtures } from '../_shared/express-route.mjs';

export function serve({ express, compression, flush }) {
  const fixtures = loadServerFixtures(process.argv[2]);
  const app = express();
  app.use(compression());

  function writeEvent(res, { id, event, data, retry, comment }) {
    let out = comment === undefined ? '' : comment.split(/\r\n|\r|\n/).map((line) => `: ${line}\n`).join('');
    if (retry !== undefined) out += `retry: ${retry}\n`;
    if (event !== undefined) out += `event: ${event.replace(/[\r\n]/g, '')}\n`;
    if (id !== undefined) out += `id: ${id.replace(/[\r\n\0]/g, '')}\n`;
    if (data !== undefined) out += data.split(/\r\n|\r|\n/).map((line) => `data: ${line}\n`).join('');
    res.write(out === '' || (comment !== undefined && out.split('\n').length === 2) ? out : `${out}\n`);
    if (flush) res.flush();
  }

  replayFixtures(app, fixtures, {
    headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' },
    write: writeEvent,
    ping: (res) => {
      res.write(':\n');
      if (flush) res.flush();
    },
  });

  listening(flush ? 'express-compression-flush' : 'express-compression', app.listen(PORT, HOST));
}
