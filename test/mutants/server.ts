/**
 * A deliberately breakable SSE server for proving that checks can fail. It serves the server
 * fixtures like the reference server does (canonical serialiser, resume contract, keep-alive),
 * and each Mutation replaces exactly one behaviour with a real-world bug.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { createGzip, gzipSync } from 'node:zlib';
import type { Message, SendItem, StreamFixture } from '../../spec/fixture.ts';
import { loadFixtures } from '../../spec/loader.ts';
import { DEFAULT_HEADERS, sendAfter } from '../../spec/response.ts';
import { isDelay } from '../../spec/pauses.ts';
import { serializeMessage } from '../../spec/serialize.ts';
import { serverFixtures } from '../../suite/fixture-urls.ts';

export interface Mutation {
  /** Headers to send instead of the correct ones. */
  headers?: (correct: Record<string, string>) => Record<string, string>;
  status?: number;
  /** Serialiser to use instead of the canonical one. */
  serialize?: (message: Message) => string;
  /** Hold every byte until the end, then send it with Content-Length (a buffering proxy). */
  bufferAll?: boolean;
  gzip?: boolean;
  /** Send the head, then hold every event while the stream stays open (a proxy buffering an open stream). */
  holdEvents?: boolean;
  /** Gzip the stream as it goes without flushing each event (compression middleware without flush). */
  gzipStream?: boolean;
  /** What to send after a Last-Event-ID, instead of the fixture's contract. */
  resume?: (fixture: StreamFixture, lastEventId: string | undefined) => SendItem[] | 'error';
  /** Answer the n-th request for a fixture (1-based) with this status instead. */
  refuse?: (n: number) => number | undefined;
  /** Delay before the response headers. */
  headerDelayMs?: number;
  /** Keep-alive interval for open fixtures; null sends none. */
  keepAliveMs?: number | null;
  /** Encode the body in this encoding instead of UTF-8. */
  encoding?: BufferEncoding;
  /** Write the response head only with the first body write (no flushHeaders), as many frameworks do. */
  headersOnFirstWrite?: boolean;
  /** Close an open stream after this long without writing (a proxy's idle timeout). */
  closeAfterIdleMs?: number;
  /** Also speak HTTP/2 (prior knowledge) on the same port, with a `Connection: keep-alive` header. */
  h2cConnectionHeader?: boolean;
  /**
   * CORS instead of echoing the origin with credentials: `*` with credentials, or no CORS at all
   * (a preflight then gets the stream, as from a server that knows no OPTIONS).
   */
  cors?: 'wildcard-credentials' | 'none';
  /** What a preflight allows in Access-Control-Allow-Headers instead of what it asked for. */
  preflightAllowHeaders?: string;
  /**
   * Keep a handler for every connection the client aborts, and stop answering (never a header)
   * once this many are kept: a subscriber list or pool that leaks on disconnect.
   */
  leakOnAbort?: number;
}

/** An HTTP/2 frame: 9-byte header (length, type, flags, stream id) and payload (RFC 9113 §4.1). */
export function frame(type: number, flags: number, stream: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(stream, 5);
  return Buffer.concat([head, payload]);
}

/** HPACK literal header field without indexing, new name, no Huffman (RFC 7541 §6.2.2). */
export function literal(name: string, value: string): Buffer {
  return Buffer.concat([Buffer.from([0x00, name.length]), Buffer.from(name), Buffer.from([value.length]), Buffer.from(value)]);
}

/** Answers an HTTP/2 connection's first stream the way no HTTP/2 server may: with `Connection`. */
function speakBrokenHttp2(socket: Socket): void {
  socket.write(frame(0x4, 0, 0, Buffer.alloc(0))); // SETTINGS
  socket.write(frame(0x4, 0x1, 0, Buffer.alloc(0))); // SETTINGS ACK
  const block = Buffer.concat([Buffer.from([0x88]) /* :status 200 */, literal('content-type', 'text/event-stream'), literal('connection', 'keep-alive')]);
  socket.write(frame(0x1, 0x4, 1, block)); // HEADERS, END_HEADERS, stream 1
  socket.write(frame(0x0, 0x1, 1, Buffer.from('data: hello\n\n'))); // DATA, END_STREAM
}

export interface MutantServer {
  url: string;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startMutant(mutation: Mutation): Promise<MutantServer> {
  const fixtures = new Map(serverFixtures(loadFixtures()).map((f) => [f.id, f]));
  const requests = new Map<string, number>();
  const serialize = mutation.serialize ?? serializeMessage;

  let leaked = 0;

  /** What CORS headers the mutant sends to a request from `origin`. */
  function allowOrigin(origin: string | undefined): Record<string, string> {
    if (origin === undefined || mutation.cors === 'none') return {};
    return { 'access-control-allow-origin': mutation.cors === 'wildcard-credentials' ? '*' : origin, 'access-control-allow-credentials': 'true' };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (mutation.leakOnAbort !== undefined) {
      if (leaked >= mutation.leakOnAbort) return; // waits for a handler that never frees up
      res.once('close', () => (leaked += res.writableFinished ? 0 : 1));
    }
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    if (req.method === 'OPTIONS' && origin !== undefined && mutation.cors !== 'none') {
      const asked = req.headers['access-control-request-headers'] ?? '';
      res.writeHead(204, { ...allowOrigin(origin), 'access-control-allow-methods': 'GET', 'access-control-allow-headers': mutation.preflightAllowHeaders ?? asked }).end();
      return;
    }
    const fixture = fixtures.get((req.url ?? '').slice(1).split('?')[0]!);
    if (!fixture) {
      res.writeHead(404).end();
      return;
    }
    const n = (requests.get(fixture.id) ?? 0) + 1;
    requests.set(fixture.id, n);
    const refused = mutation.refuse?.(n);
    if (refused) {
      res.writeHead(refused).end();
      return;
    }
    const lastEventId = typeof req.headers['last-event-id'] === 'string' ? req.headers['last-event-id'] : undefined;
    const items = mutation.resume ? mutation.resume(fixture, lastEventId) : sendAfter(fixture, lastEventId);
    if (items === 'error') {
      res.writeHead(500).end('internal error');
      return;
    }
    const headers = { ...(mutation.headers ? mutation.headers({ ...DEFAULT_HEADERS }) : { ...DEFAULT_HEADERS }), ...allowOrigin(origin) };
    if (mutation.headerDelayMs) await sleep(mutation.headerDelayMs);
    if (mutation.bufferAll || mutation.gzip) {
      let body = '';
      for (const item of items) {
        if (isDelay(item)) await sleep(item.delay);
        else body += serialize(item);
      }
      const bytes = mutation.gzip ? gzipSync(body) : Buffer.from(body);
      res.writeHead(mutation.status ?? 200, { ...headers, 'content-length': String(bytes.length), ...(mutation.gzip ? { 'content-encoding': 'gzip' } : {}) });
      res.end(bytes);
      return;
    }
    res.writeHead(mutation.status ?? 200, mutation.gzipStream ? { ...headers, 'content-encoding': 'gzip' } : headers);
    if (!mutation.headersOnFirstWrite) res.flushHeaders();
    if (mutation.holdEvents) return; // the events wait in a buffer that fills only when the stream ends
    const gzip = mutation.gzipStream ? createGzip() : undefined;
    gzip?.pipe(res);
    res.once('close', () => gzip?.destroy());
    for (const item of items) {
      if (res.destroyed) return;
      if (isDelay(item)) await sleep(item.delay);
      else if (gzip) gzip.write(serialize(item));
      else res.write(serialize(item), mutation.encoding ?? 'utf8');
    }
    if (gzip) return; // open or not, the compressor keeps the events until its buffer fills
    if (fixture.end !== 'open') {
      res.end();
      return;
    }
    if (mutation.closeAfterIdleMs !== undefined) {
      const cut = setTimeout(() => res.end(), mutation.closeAfterIdleMs);
      res.once('close', () => clearTimeout(cut));
    }
    const interval = mutation.keepAliveMs === undefined ? 200 : mutation.keepAliveMs;
    const timer = interval === null ? undefined : setInterval(() => res.write(':\n'), interval);
    res.once('close', () => clearInterval(timer));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  // With h2c, a socket whose first bytes are the HTTP/2 preface gets the broken HTTP/2 answer;
  // any other goes to the HTTP/1.1 server.
  const front = mutation.h2cConnectionHeader
    ? createNetServer((socket) => {
        socket.on('error', () => undefined);
        socket.once('data', (first) => {
          if (first.subarray(0, 3).toString('latin1') === 'PRI') return speakBrokenHttp2(socket);
          socket.pause();
          socket.unshift(first);
          server.emit('connection', socket);
          socket.resume();
        });
      })
    : server;
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const address = front.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        front.close(() => resolve());
        server.closeAllConnections();
        if (front !== server) server.close();
      }),
  };
}
