/**
 * The reference server: every fixture served over plain node:http, byte-exactly.
 *
 *   GET /                  JSON index of the fixtures and their URLs
 *   GET /<id>              a stream fixture (Last-Event-ID honoured for resumable `send` fixtures)
 *   GET /<id>?chunks=C     a stream fixture's body cut differently: whole, bytes, split:<n> (chunking.ts)
 *   GET /<id>?session=T    a scenario fixture: the session's n-th request gets connection n;
 *                          a stream fixture: the first request gets the stream, later ones 204
 *   GET /_sessions/<T>     the requests recorded for session T (JSON)
 *
 * Anything else gets a JSON error: 404 for an unknown path (nothing is ever read from disk), 405
 * with Allow for a method other than GET/HEAD, 431 for oversized headers (node:http), 400 for a
 * malformed request. No input can crash the process.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Fixture, LoadedFixture, StreamFixture } from '../spec/fixture.ts';
import { loadFixtures } from '../spec/loader.ts';
import { resolveConnection, resolveStream, type ResolvedResponse } from '../spec/response.ts';
import { chunkingParam, parseChunking, rechunk } from './chunking.ts';
import { replay } from './replay.ts';
import { SessionLog } from './sessions.ts';

export interface ReferenceServerOptions {
  host?: string;
  port?: number;
  fixtures?: readonly LoadedFixture[];
  /** Interval of keep-alive comments on fixtures that stay open (default 5000 ms). */
  keepAliveMs?: number;
  /**
   * Awaited before the first response of a session is written (a client harness uses it to hold
   * the stream until the client under test is ready). It must settle by itself; the server waits
   * at most GATE_LIMIT_MS for it.
   */
  gate?: (token: string) => Promise<void>;
}

/** The longest the server holds a session's first response for the gate. */
const GATE_LIMIT_MS = 10_000;

export interface ReferenceServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  server: Server;
  sessions: SessionLog;
  close(): Promise<void>;
}

const ID_PATH = /^\/([a-z0-9][a-z0-9-]{0,79})$/;
const SESSION_PATH = /^\/_sessions\/([A-Za-z0-9_.-]{1,100})$/;
const TOKEN = /^[A-Za-z0-9_.-]{1,100}$/;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body, null, 2) + '\n';
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

/**
 * A scenario's relative redirect target (`location: "?hop=2"`) with the session kept, so the
 * followed request counts as the session's next connection instead of starting over at the
 * redirect (spec/FIXTURES.md: the format has no placeholder for the token). Absolute URLs stay.
 */
function keepSession(location: string, token: string): string {
  if (/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(location)) return location;
  const hash = location.indexOf('#');
  const ref = hash === -1 ? location : location.slice(0, hash);
  const q = ref.indexOf('?');
  const params = new URLSearchParams(q === -1 ? '' : ref.slice(q + 1));
  if (params.has('session')) return location;
  params.append('session', token);
  return `${q === -1 ? ref : ref.slice(0, q)}?${params}${hash === -1 ? '' : location.slice(hash)}`;
}

export function createReferenceHandler(options: ReferenceServerOptions & { sessions: SessionLog; baseUrl: () => string }) {
  const fixtures = new Map<string, Fixture>((options.fixtures ?? loadFixtures()).map(({ fixture }) => [fixture.id, fixture]));
  const replayOptions = { keepAliveMs: options.keepAliveMs ?? 5000 };
  const resolvedStreams = new Map<string, ResolvedResponse>();
  const { sessions } = options;

  function index(res: ServerResponse): void {
    const base = options.baseUrl();
    sendJson(res, 200, {
      fixtures: [...fixtures.values()].map((f) => ({
        id: f.id,
        title: f.title,
        category: f.category,
        kind: f.kind,
        url: f.kind === 'scenario' ? `${base}/${f.id}?session={token}` : `${base}/${f.id}`,
      })),
      sessions: `${base}/_sessions/{token}`,
    });
  }

  /** Waits for the gate of a session's first request, never longer than GATE_LIMIT_MS. */
  async function passGate(token: string, res: ServerResponse): Promise<void> {
    if (!options.gate) return;
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, GATE_LIMIT_MS)));
    const left = new Promise<void>((resolve) => res.once('close', resolve));
    await Promise.race([options.gate(token).catch(() => undefined), limit, left]);
    clearTimeout(timer);
  }

  async function serveStream(req: IncomingMessage, res: ServerResponse, fixture: StreamFixture, query: URLSearchParams, token: string | null): Promise<void> {
    const chunking = parseChunking(query.get('chunks'));
    if (!chunking) return sendJson(res, 400, { error: 'chunks must be fixture, whole, bytes or split:<n>' });
    if (token !== null) {
      // One stream per session: a reconnection is told to stop (§9.2.7 "HTTP 204 No Content").
      const n = sessions.record(token, fixture.id, req, res);
      if (n > 1) return void res.writeHead(204).end();
      await passGate(token, res);
    }
    const lastEventId = req.headers['last-event-id'];
    let resolved: ResolvedResponse;
    if (typeof lastEventId === 'string' && fixture.resume) resolved = resolveStream(fixture, lastEventId);
    else {
      // Without resumption every request gets the same bytes: resolve once, share the chunks.
      // (Split points are many and each is asked for once: those are cut afresh.)
      const key = `${fixture.id} ${chunkingParam(chunking)}`;
      let shared = resolvedStreams.get(key);
      if (!shared) {
        const base = resolvedStreams.get(fixture.id) ?? resolveStream(fixture);
        resolvedStreams.set(fixture.id, base);
        shared = chunking.kind === 'fixture' ? base : { ...base, wire: rechunk(base.wire, chunking), segmented: true };
        if (chunking.kind !== 'split') resolvedStreams.set(key, shared);
      }
      return replay(req, res, shared, replayOptions);
    }
    if (chunking.kind !== 'fixture') resolved = { ...resolved, wire: rechunk(resolved.wire, chunking), segmented: true };
    return replay(req, res, resolved, replayOptions);
  }

  async function serveFixture(req: IncomingMessage, res: ServerResponse, fixture: Fixture, query: URLSearchParams): Promise<void> {
    const token = query.get('session');
    if (token !== null && !TOKEN.test(token)) return sendJson(res, 400, { error: 'session must match [A-Za-z0-9_.-]{1,100}' });
    if (fixture.kind === 'stream') return serveStream(req, res, fixture, query, token);
    const n = token === null ? 1 : sessions.record(token, fixture.id, req, res);
    if (n === 1 && token !== null) await passGate(token, res);
    const connection = fixture.connections[n - 1];
    // Past the scripted connections: 204 tells any client to stop reconnecting (§9.2.7).
    if (!connection) {
      res.writeHead(204).end(); // no body, so no Content-Length or Content-Type (RFC 9110 §8.6)
      return;
    }
    const resolved = resolveConnection(connection);
    if (token !== null) resolved.headers = resolved.headers.map(([name, value]) => [name, name === 'location' ? keepSession(value, token) : value]);
    return replay(req, res, resolved, replayOptions);
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q === -1 ? raw : raw.slice(0, q);
    const query = new URLSearchParams(q === -1 ? '' : raw.slice(q + 1));
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res, 405, { error: `method ${req.method} not allowed` }, { allow: 'GET, HEAD' });
    }
    if (path === '/') return index(res);
    const session = SESSION_PATH.exec(path);
    if (session) return sendJson(res, 200, { session: session[1], requests: sessions.get(session[1]!) ?? [] });
    const match = ID_PATH.exec(path);
    const fixture = match ? fixtures.get(match[1]!) : undefined;
    if (!fixture) {
      const shown = path.length > 100 ? `${path.slice(0, 100)}…` : path;
      return sendJson(res, 404, { error: `no fixture at ${JSON.stringify(shown)}`, index: `${options.baseUrl()}/` });
    }
    return serveFixture(req, res, fixture, query);
  };
}

export async function startReferenceServer(options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  const sessions = new SessionLog();
  let url = '';
  const handle = createReferenceHandler({ ...options, sessions, baseUrl: () => url });
  const sockets = new Set<Socket>();
  const streams = new Set<ServerResponse>();
  const server = createServer({ noDelay: true, keepAliveTimeout: 5000 }, (req, res) => {
    streams.add(res);
    res.once('close', () => streams.delete(res));
    handle(req, res).catch((error: unknown) => {
      // Nothing a client sends may crash the server; a bug here ends this response only.
      if (!res.headersSent) sendJson(res, 500, { error: String(error) });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // As node:http's default: answer only on a socket that has sent nothing yet. Mid-response the
    // status line would land inside the event stream's body, so the socket is destroyed instead.
    if (socket.writable && (socket as Socket).bytesWritten === 0) {
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    } else socket.destroy();
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    server,
    sessions,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // End every stream cleanly (the terminating chunk), then drop what is left.
        for (const res of streams) if (!res.writableEnded) res.end();
        server.closeIdleConnections();
        setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, 200).unref();
      }),
  };
}
