// An adapter: serves every server fixture of the corpus at /<id>, through "your library" — here
// a tiny hand-written SSE writer standing in for it. Replace `writeEvent` with your library's API.
// Usage: npx sse-conformance fixtures --json > corpus.json
//        PORT=3000 node examples/adapter-node.mjs corpus.json & npx sse-conformance run http://127.0.0.1:3000
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const corpus = JSON.parse(readFileSync(process.argv[2] ?? 'corpus.json', 'utf8'));
const fixtures = new Map(corpus.fixtures.filter((f) => f.send).map((f) => [f.id, f]));

function writeEvent(res, { id, event, data, retry, comment }) {
  let out = comment === undefined ? '' : comment.split(/\r\n|\r|\n/).map((l) => `: ${l}\n`).join('');
  if (retry !== undefined) out += `retry: ${retry}\n`;
  if (event !== undefined) out += `event: ${event.replace(/[\r\n]/g, '')}\n`;
  if (id !== undefined) out += `id: ${id.replace(/[\r\n\0]/g, '')}\n`;
  if (data !== undefined) out += data.split(/\r\n|\r|\n/).map((l) => `data: ${l}\n`).join('');
  res.write(out === '' || (comment !== undefined && out.split('\n').length === 2) ? out : `${out}\n`);
}

createServer(async (req, res) => {
  const fixture = fixtures.get(req.url.slice(1));
  if (!fixture) return res.writeHead(404).end(); // not implemented: the suite reports SKIP
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders(); // the head now, not with the first event: the client's `open` fires on it
  let items = fixture.send;
  const lastId = req.headers['last-event-id'];
  if (fixture.resume && lastId !== undefined) {
    const at = items.findIndex((m) => m.id === lastId);
    items = at >= 0 ? items.slice(at + 1) : fixture.resume.unknownId === 'replay' ? items : [];
  }
  for (const item of items) {
    if (res.destroyed) return;
    if ('delay' in item) await new Promise((r) => setTimeout(r, item.delay));
    else writeEvent(res, item);
  }
  if (fixture.end !== 'open') return res.end();
  const timer = setInterval(() => res.write(':\n'), 5000); // keep-alive while the client stays
  res.once('close', () => clearInterval(timer));
}).listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
