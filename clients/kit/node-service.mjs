/**
 * The protocol side of a Node test service (spec/CLIENT-SERVICE.md), so each service file holds
 * only what its client's API does. A service calls `serve({ name, version, capabilities, create })`;
 * `create(params, report)` starts one client and returns `{ close(), command?(body) }`, and
 * `report(message)` posts a callback to `<callbackUrl>/<n>`, one at a time, in order.
 *
 *   node service.mjs --port <n>      (prints "listening on http://127.0.0.1:<n>")
 */
import { createServer } from 'node:http';

const MAX_BODY = 64 * 1024;
const CALLBACK_TIMEOUT_MS = 5000;

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res, status, body, headers = {}) {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Posts callbacks in order; after `stop()` nothing more is posted. */
function reporter(callbackUrl) {
  let n = 0;
  let chain = Promise.resolve();
  let stopped = false;
  const report = (message) => {
    if (stopped) return;
    const url = `${callbackUrl}/${++n}`;
    const body = JSON.stringify(message);
    chain = chain.then(() =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS) })
        .then((r) => r.body?.cancel())
        .catch(() => undefined),
    );
  };
  return { report, stop: () => void (stopped = true) };
}

export function serve({ name, version, capabilities, create }) {
  const clients = new Map();
  let next = 0;
  const server = createServer({ keepAliveTimeout: 60_000 }, async (req, res) => {
    try {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/' && req.method === 'GET') return send(res, 200, { name, clientVersion: version, capabilities });
      if (path === '/' && req.method === 'DELETE') {
        send(res, 204);
        for (const c of clients.values()) c.close();
        server.close();
        setTimeout(() => process.exit(0), 50).unref();
        return;
      }
      if (path === '/' && req.method === 'POST') {
        let params;
        try {
          params = JSON.parse(await readBody(req));
        } catch {
          return send(res, 400, 'the body must be JSON');
        }
        if (typeof params?.streamUrl !== 'string' || typeof params?.callbackUrl !== 'string') return send(res, 400, 'streamUrl and callbackUrl are required');
        const id = String(++next);
        const callbacks = reporter(params.callbackUrl);
        const client = await create(params, callbacks.report);
        clients.set(id, {
          command: client.command,
          close: () => {
            callbacks.stop();
            client.close();
          },
        });
        return send(res, 201, undefined, { location: `/clients/${id}` });
      }
      const match = /^\/clients\/(\d+)$/.exec(path);
      const client = match ? clients.get(match[1]) : undefined;
      if (!client) return send(res, 404, 'no such client');
      if (req.method === 'DELETE') {
        clients.delete(match[1]);
        client.close();
        return send(res, 204);
      }
      if (req.method === 'POST') {
        let body;
        try {
          body = JSON.parse(await readBody(req));
        } catch {
          return send(res, 400, 'the body must be JSON');
        }
        const accepted = client.command ? await client.command(body) : false;
        return accepted ? send(res, 202) : send(res, 400, `unsupported command ${JSON.stringify(body?.command)}`);
      }
      return send(res, 405, 'method not allowed');
    } catch (error) {
      if (!res.headersSent) send(res, 500, String(error?.message ?? error));
      else res.destroy();
    }
  });
  const args = process.argv.slice(2);
  const at = args.indexOf('--port');
  const port = Number(at === -1 ? (process.env.PORT ?? 0) : args[at + 1]);
  server.listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      for (const c of clients.values()) c.close();
      server.close();
      process.exit(0);
    });
  }
  return server;
}

/**
 * An EventSource (the WHATWG interface) as a test-service client: every reported open, error and
 * message, with the ready state. Listens for `message` and for every type the harness names.
 */
export function eventSourceClient(EventSourceCtor, params, report, init) {
  const es = init === undefined ? new EventSourceCtor(params.streamUrl) : new EventSourceCtor(params.streamUrl, init);
  const isMessage = (e) => e && typeof e.data === 'string';
  const listening = new Set();
  const listen = (type) => {
    if (listening.has(type)) return;
    listening.add(type);
    es.addEventListener(type, (e) => {
      if (isMessage(e)) report({ kind: 'event', event: { type: e.type, data: e.data, id: e.lastEventId } });
    });
  };
  listen('message');
  es.addEventListener('open', (e) => {
    if (!isMessage(e)) report({ kind: 'open', readyState: es.readyState });
  });
  es.addEventListener('error', (e) => {
    if (!isMessage(e)) report({ kind: 'error', error: e.message ?? 'error event', readyState: es.readyState });
  });
  return {
    command: async (body) => {
      if (body?.command !== 'listen' || typeof body.listen?.type !== 'string') return false;
      listen(body.listen.type);
      return true;
    },
    close: () => es.close(),
  };
}
