/**
 * Building blocks for hostile loopback servers: a raw TCP server that hands each HTTP request head
 * to a handler (so a case can answer with anything, or nothing), a lazy writer that respects
 * backpressure and stops when the client goes, and a seeded PRNG. Every server listens on
 * 127.0.0.1 port 0 and counts what it did, so tests can assert that the suite went away.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { prng } from '../helpers/prng.ts';

export interface ServerStats {
  /** TCP connections accepted. */
  connections: number;
  /** HTTP request heads received. */
  requests: number;
  /** Bytes written to clients, all connections together. */
  bytesWritten: number;
  /** Sockets still open, including idle spare connections the HTTP client opened. */
  open: number;
  /** Sockets still open that carried a request (0 once the suite let go of every stream). */
  serving: number;
  /** The request heads, as text (first 64 KiB of each). */
  heads: string[];
}

export interface HostileServer {
  url: string;
  port: number;
  stats: ServerStats;
  /** Stops accepting; already accepted sockets stay (use close() to drop everything). */
  stopListening(): void;
  close(): Promise<void>;
}

export interface RequestContext {
  socket: Socket;
  /** 1-based, across all connections. */
  request: number;
  /** The request head (request line and headers). */
  head: string;
  /** The request's Last-Event-ID header, if any. */
  lastEventId: string | undefined;
  server: HostileServer;
  /** Writes and counts. Returns the socket's write() result (false: wait for 'drain'). */
  write(data: string | Uint8Array): boolean;
}

const MAX_HEAD = 1024 * 1024;

/** A raw TCP server: `onRequest` runs once per complete request head, and may answer anything. */
export async function rawServer(onRequest: (ctx: RequestContext) => void): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const stats: ServerStats = { connections: 0, requests: 0, bytesWritten: 0, open: 0, serving: 0, heads: [] };
  let listening = true;
  const server: Server = createServer((socket) => {
    stats.connections++;
    stats.open++;
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => {});
    let served = false;
    socket.on('close', () => {
      stats.open--;
      if (served) stats.serving--;
      sockets.delete(socket);
    });
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (data: Buffer) => {
      pending = pending.length + data.length > MAX_HEAD ? data : Buffer.concat([pending, data]);
      for (let end = pending.indexOf('\r\n\r\n'); end !== -1; end = pending.indexOf('\r\n\r\n')) {
        const head = pending.subarray(0, end).toString('latin1');
        pending = pending.subarray(end + 4);
        stats.requests++;
        if (!served) stats.serving++;
        served = true;
        stats.heads.push(head.slice(0, 64 * 1024));
        const lastEventId = /^last-event-id: ?(.*)$/im.exec(head)?.[1];
        onRequest({
          socket,
          request: stats.requests,
          head,
          lastEventId,
          server: hostile,
          write(chunk) {
            if (socket.destroyed || socket.writableEnded) return false;
            stats.bytesWritten += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
            return socket.write(chunk);
          },
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const hostile: HostileServer = {
    url: `http://127.0.0.1:${port}/stream`,
    port,
    stats,
    stopListening() {
      if (listening) server.close();
      listening = false;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      if (!listening) return Promise.resolve();
      listening = false;
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return hostile;
}

/**
 * Writes what `next` produces for as long as the client reads: waits for 'drain' when the socket
 * buffer is full, and stops when `next` returns null or the socket closes. Never holds more than
 * one piece in memory.
 */
export function pump(ctx: RequestContext, next: () => string | Uint8Array | null, done?: () => void): void {
  const { socket } = ctx;
  let stopped = false;
  const stop = () => {
    stopped = true;
  };
  socket.once('close', stop);
  const go = () => {
    while (!stopped && !socket.destroyed) {
      const piece = next();
      if (piece === null) {
        socket.off('close', stop);
        done?.();
        return;
      }
      if (!ctx.write(piece)) {
        socket.once('drain', go);
        return;
      }
    }
  };
  go();
}

/** Writes `text` one piece at a time, `everyMs` apart, until it is written or the socket closes. */
export function dribble(ctx: RequestContext, text: string | Buffer, everyMs: number, size = 1, done?: () => void): void {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  let at = 0;
  const timer = setInterval(() => {
    if (ctx.socket.destroyed || at >= bytes.length) {
      clearInterval(timer);
      if (!ctx.socket.destroyed) done?.();
      return;
    }
    ctx.write(bytes.subarray(at, at + size));
    at += size;
  }, everyMs);
  ctx.socket.once('close', () => clearInterval(timer));
}

/** Sends comment lines every `everyMs` until the socket closes (a well-behaved keep-alive). */
export function keepAlive(ctx: RequestContext, everyMs: number): void {
  const timer = setInterval(() => ctx.write(':\n'), everyMs);
  ctx.socket.once('close', () => clearInterval(timer));
}

export const SSE_HEAD = 'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n';

/** A 302 response with no body to `location`; `close` asks the client to close the connection. */
export function found(location: string, close: boolean): string {
  return `HTTP/1.1 302 Found\r\nlocation: ${location}\r\ncontent-length: 0\r\n${close ? 'connection: close\r\n' : ''}\r\n`;
}

export function randomBytes(random: () => number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}
