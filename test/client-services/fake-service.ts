/**
 * Test services for the client harness's own tests: one that speaks the protocol correctly, with
 * a small client built on the project's interpreter (so it agrees with the fixtures), and broken
 * ones — each broken in one way a real service can be — proving that the harness notices.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createInterpreter } from '../../spec/interpreter.ts';

export type Fault =
  | 'none'
  /** GET / never answers. */
  | 'silent-status'
  /** GET / answers a body that is not JSON. */
  | 'garbage-status'
  /** POST / answers 500. */
  | 'refuses'
  /** POST / never answers. */
  | 'hangs'
  /** The first five POST / never answer (a burst the service is too slow for); later ones do. */
  | 'stalls-first'
  /** After three clients, the service goes away: every connection is refused. */
  | 'dies'
  /** Creates clients but never posts a callback. */
  | 'mute'
  /** Posts each client's callbacks in reverse order of n (allowed: the harness reorders). */
  | 'reversed'
  /** Skips callback number 2. */
  | 'gap'
  /** Posts callback bodies that are not JSON. */
  | 'garbage-callbacks'
  /** Posts 300 callbacks for one client. */
  | 'flood'
  /** The client drops the last event of every response (a parser bug). */
  | 'drops-last'
  /** The client never reconnects. */
  | 'no-reconnect';

const FLOOD = 300;
const STALLED = 5;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A minimal client: reconnects after the reconnection time with Last-Event-ID (§9.2.3), fails the
 * connection on a status other than 200 or a Content-Type other than text/event-stream (§9.2.2
 * step 15), and reports open, events and errors with the ready state.
 */
function startClient(params: { streamUrl: string; initialDelayMs: number | null }, fault: Fault, report: (message: unknown) => void): () => void {
  const abort = new AbortController();
  let closed = false;
  let lastEventId = '';
  let retry = params.initialDelayMs ?? 1000;
  void (async () => {
    while (!closed) {
      try {
        const headers: Record<string, string> = { accept: 'text/event-stream', 'cache-control': 'no-cache' };
        if (lastEventId !== '') headers['last-event-id'] = lastEventId;
        const response = await fetch(params.streamUrl, { headers, signal: abort.signal });
        const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
        if (response.status !== 200 || type !== 'text/event-stream') {
          await response.body?.cancel();
          closed = true;
          report({ kind: 'error', error: `status ${response.status}`, readyState: 2 });
          return;
        }
        report({ kind: 'open', readyState: 1 });
        const held: unknown[] = [];
        const interpreter = createInterpreter({
          lastEventId,
          onEvent: (event) => {
            const message = { kind: 'event', event: { type: event.type, data: event.data, id: event.lastEventId } };
            if (fault === 'drops-last') held.push(message);
            else report(message);
          },
          onRetry: (ms) => (retry = Number(ms)),
        });
        for await (const chunk of response.body!) interpreter.feed(chunk);
        interpreter.end();
        held.slice(0, -1).forEach(report);
        lastEventId = interpreter.lastEventId;
      } catch {
        if (closed) return;
      }
      if (fault === 'no-reconnect') {
        closed = true;
        report({ kind: 'error', error: 'ended', readyState: 2 });
        return;
      }
      report({ kind: 'error', error: 'ended', readyState: 0 });
      await sleep(retry);
    }
  })();
  return () => {
    closed = true;
    abort.abort();
  };
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

export interface FakeService {
  url: string;
  close(): Promise<void>;
}

export async function startFakeService(fault: Fault, capabilities = ['open-events', 'ready-state']): Promise<FakeService> {
  const clients = new Map<string, () => void>();
  let next = 0;
  let posts = 0;
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    if (path === '/' && req.method === 'GET') {
      if (fault === 'silent-status') return; // never answers
      if (fault === 'garbage-status') return void res.writeHead(200).end('<html>hello</html>');
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'fake', capabilities }));
    }
    if (path === '/' && req.method === 'POST') {
      const params = JSON.parse(await body(req)) as { streamUrl: string; callbackUrl: string; initialDelayMs: number | null };
      if (fault === 'hangs' || (fault === 'stalls-first' && ++posts <= STALLED)) return;
      if (fault === 'refuses') return void res.writeHead(500).end('no');
      const id = String(++next);
      let n = 0;
      const queue: Array<[number, string]> = [];
      const post = (number: number, text: string) => void fetch(`${params.callbackUrl}/${number}`, { method: 'POST', body: text }).then((r) => r.body?.cancel(), () => undefined);
      const report = (message: unknown) => {
        if (fault === 'mute') return;
        n++;
        if (fault === 'gap' && n === 2) n++;
        const text = fault === 'garbage-callbacks' ? '{kind: event' : JSON.stringify(message);
        if (fault === 'flood') {
          // 300 callbacks from the first report on, 10 in flight at a time.
          if (n > 1) return;
          let k = 0;
          const lane = async () => {
            while (k < FLOOD) await fetch(`${params.callbackUrl}/${++k}`, { method: 'POST', body: text }).then((r) => r.body?.cancel(), () => undefined);
          };
          for (let i = 0; i < 10; i++) void lane();
        } else if (fault === 'reversed') queue.push([n, text]);
        else post(n, text);
      };
      const stop = startClient(params, fault, report);
      // Reversed: what was reported in each 100 ms goes out last-first.
      const flush = fault === 'reversed' ? setInterval(() => queue.splice(0).reverse().forEach(([number, text]) => post(number, text)), 100) : undefined;
      clients.set(id, () => {
        clearInterval(flush);
        stop();
      });
      res.writeHead(201, { location: `/clients/${id}` }).end();
      if (fault === 'dies' && next === 3) {
        res.once('finish', () => {
          server.close();
          server.closeAllConnections();
        });
      }
      return;
    }
    const stop = clients.get(path.replace('/clients/', ''));
    if (req.method === 'DELETE' && stop) {
      stop();
      clients.delete(path.replace('/clients/', ''));
      return void res.writeHead(204).end();
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stop of clients.values()) stop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
