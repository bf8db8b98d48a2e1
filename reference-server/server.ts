/**
 * The reference server: every fixture served byte-exactly over node:http, over TLS (`tls`), or
 * over HTTP/2 with HTTP/1.1 fallback through ALPN (`http2`, which implies TLS).
 *
 *   GET /                  JSON index of the fixtures and their URLs
 *   GET /<id>              a stream fixture (Last-Event-ID honoured for resumable `send` fixtures)
 *   GET /<id>?chunks=C     a stream fixture's body cut differently: whole, bytes, split:<n> (chunking.ts)
 *   GET /<id>?session=T    a scenario fixture: the session's n-th request gets connection n;
 *                          a stream fixture: the first request gets the stream, later ones 204
 *   GET /_sessions/<T>     the requests recorded for session T (JSON)
 *   OPTIONS /<id>          a CORS preflight for a stream fixture: allowed for any origin (cors.ts)
 *
 * Anything else gets a JSON error: 404 for an unknown path (nothing is ever read from disk), 405
 * with Allow for a method other than GET/HEAD, 431 for oversized headers (node:http), 400 for a
 * malformed request. No input can crash the process.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2SecureServer, type Http2Session } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Fixture, LoadedFixture, StreamFixture } from '../spec/fixture.ts';
import { loadFixtures } from '../spec/loader.ts';
import { resolveConnection, resolveStream, type ResolvedResponse } from '../spec/response.ts';
import { chunkingParam, parseChunking, rechunk } from './chunking.ts';
import { corsHeaders, preflightHeaders } from './cors.ts';
import { replay } from './replay.ts';
import { SessionLog } from './sessions.ts';
import type { TlsMaterial } from './tls.ts';

export interface ReferenceServerOptions {
  host?: string;
  port?: number;
  fixtures?: readonly LoadedFixture[];
  /** Interval of keep-alive comments on fixtures that stay open (default 5000 ms). */
  keepAliveMs?: number;
  /** Serve HTTPS: with this certificate, or `true` for a self-signed one made at start. */
  tls?: TlsMaterial | boolean;
  /** Serve HTTP/2 (and HTTP/1.1 to clients that do not offer h2 through ALPN); implies TLS. */
  http2?: boolean;
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
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 or https://127.0.0.1:41234 */
  url: string;
  server: Server | Http2SecureServer;
  /** The certificate served over TLS (PEM), for clients to trust; null over plain HTTP. */
  certificate: string | null;
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
    const cors = corsHeaders(req);
    const withCors = (response: ResolvedResponse): ResolvedResponse => (cors.length === 0 ? response : { ...response, headers: [...response.headers, ...cors] });
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
      return replay(req, res, withCors(shared), replayOptions);
    }
    if (chunking.kind !== 'fixture') resolved = { ...resolved, wire: rechunk(resolved.wire, chunking), segmented: true };
    return replay(req, res, withCors(resolved), replayOptions);
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
    // A CORS preflight for a stream fixture is allowed; any other OPTIONS is a method not allowed.
    const preflight = preflightHeaders(req);
    const streamId = preflight ? ID_PATH.exec(path)?.[1] : undefined;
    if (preflight && streamId !== undefined && fixtures.get(streamId)?.kind === 'stream') return void res.writeHead(204, preflight).end();
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

/** Every listener answers the same way; this owns the server of the chosen transport. */
async function createTransport(options: ReferenceServerOptions, onRequest: (req: IncomingMessage, res: ServerResponse) => void) {
  const wantsTls = options.http2 === true || options.tls !== undefined && options.tls !== false;
  if (!wantsTls) return { server: createServer({ noDelay: true, keepAliveTimeout: 5000 }, onRequest), certificate: null };
  const material = typeof options.tls === 'object' ? options.tls : await (await import('./tls.ts')).selfSignedCertificate(options.host ?? '127.0.0.1');
  if (options.http2) {
    // The compatibility API gives HTTP/2 requests the shape of node:http's (RFC 9113 over TLS).
    const server = createSecureServer({ ...material, allowHTTP1: true }, onRequest as never);
    return { server, certificate: material.cert };
  }
  return { server: createHttpsServer({ ...material, noDelay: true, keepAliveTimeout: 5000 }, onRequest), certificate: material.cert };
}

export async function startReferenceServer(options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  const sessions = new SessionLog();
  let url = '';
  const handle = createReferenceHandler({ ...options, sessions, baseUrl: () => url });
  const sockets = new Set<Socket>();
  const h2sessions = new Set<Http2Session>();
  const streams = new Set<ServerResponse>();
  const { server, certificate } = await createTransport(options, (req, res) => {
    streams.add(res);
    res.once('close', () => streams.delete(res));
    handle(req, res).catch((error: unknown) => {
      // Nothing a client sends may crash the server; a bug here ends this response only.
      if (!res.headersSent) sendJson(res, 500, { error: String(error) });
      else res.destroy();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('session', (session: Http2Session) => {
    h2sessions.add(session);
    session.once('close', () => h2sessions.delete(session));
    session.on('error', () => undefined); // a client that breaks its session ends it, never the server
  });
  // A failed TLS handshake is the client's problem: the socket goes, the server stays.
  server.on('tlsClientError', () => undefined);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // As node:http's default: answer only on a socket that has sent nothing yet. Mid-response the
    // status line would land inside the event stream's body, so the socket is destroyed instead.
    if (socket.writable && socket.bytesWritten === 0 && certificate === null) {
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
  url = `${certificate === null ? 'http' : 'https'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    server,
    certificate,
    sessions,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // End every stream cleanly (the terminating chunk or END_STREAM), then drop what is left.
        // A connection whose response just ended is idle: close it then, not after the grace time.
        const closeIdle = () => {
          if ('closeIdleConnections' in server) server.closeIdleConnections();
        };
        for (const res of streams) if (!res.writableEnded) res.end(closeIdle);
        for (const session of h2sessions) session.close();
        closeIdle();
        // A connection that never sent a request has nothing to finish.
        for (const socket of sockets) if (socket.bytesRead === 0) socket.destroy();
        setTimeout(() => {
          for (const session of h2sessions) session.destroy();
          for (const socket of sockets) socket.destroy();
        }, 200).unref();
      }),
  };
}
