/**
 * Writes one resolved fixture response to the wire exactly: every chunk a separate write (the
 * socket has Nagle off, so each reaches the client as its own segment), the fixture's pauses, and
 * its ending. Writes respect backpressure, and a client that leaves stops everything at once:
 * no timer, listener or buffer outlives the connection.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants as h2, type Http2ServerResponse } from 'node:http2';
import type { ResolvedResponse } from '../spec/response.ts';

export interface ReplayOptions {
  /** Interval of the `:` keep-alive comment for fixtures that stay open. */
  keepAliveMs: number;
}

/** Resolves after `ms`, or early (false) when the response closes. */
function pause(res: ServerResponse, ms: number): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (value: boolean) => {
      clearTimeout(timer);
      res.off('close', onClose);
      resolve(value);
    };
    const onClose = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    res.once('close', onClose);
  });
}

/** Writes a chunk; waits for 'drain' when the socket buffer is full. False once the client left. */
function write(res: ServerResponse, chunk: Uint8Array): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return Promise.resolve(false);
  if (res.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (value: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(value);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

const KEEP_ALIVE = new TextEncoder().encode(':\n');

/** Header fields that only mean something to one HTTP/1.1 connection (RFC 9113 §8.2.2). */
const CONNECTION_SPECIFIC = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/** Ends the response abruptly: a TCP reset over HTTP/1.1, RST_STREAM over HTTP/2. */
function reset(req: IncomingMessage, res: ServerResponse): void {
  if (req.httpVersionMajor === 2) {
    (res as unknown as Http2ServerResponse).stream.close(h2.NGHTTP2_INTERNAL_ERROR);
    return;
  }
  // No terminating chunk: the socket is destroyed (RST where the OS allows).
  const socket = res.socket;
  if (!socket) return;
  if (socket.writableLength === 0) socket.resetAndDestroy?.() ?? socket.destroy();
  else socket.once('drain', () => socket.resetAndDestroy?.() ?? socket.destroy());
}

export async function replay(req: IncomingMessage, res: ServerResponse, response: ResolvedResponse, options: ReplayOptions): Promise<void> {
  if (response.headDelayMs > 0 && !(await pause(res, response.headDelayMs))) return;
  const h2 = req.httpVersionMajor === 2;
  res.writeHead(response.status, h2 ? response.headers.filter(([name]) => !CONNECTION_SPECIFIC.has(name)) : response.headers);
  // HTTP/2 sends the HEADERS frame at writeHead; HTTP/1.1 needs the head flushed now.
  if (!h2) res.flushHeaders();
  if (req.method === 'HEAD' || response.status === 204 || response.status === 304) {
    res.end();
    return;
  }
  const { chunks, delays } = response.wire;
  for (let i = 0; i < chunks.length; i++) {
    if (delays[i]! > 0 && !(await pause(res, delays[i]!))) return;
    if (chunks[i]!.length === 0) continue; // an empty chunk is no write at all
    // node:http corks writes made in one tick; yielding first gives each chunk its own segment.
    if (i > 0 && response.segmented) await new Promise<void>((resolve) => setImmediate(resolve));
    if (!(await write(res, chunks[i]!))) return;
  }
  switch (response.end) {
    case 'close':
      res.end();
      return;
    case 'reset':
      reset(req, res);
      return;
    case 'open':
      // Stay open, with a keep-alive comment now and then (§9.2.7), until the client leaves.
      while (await pause(res, options.keepAliveMs)) {
        if (!(await write(res, KEEP_ALIVE))) return;
      }
  }
}
