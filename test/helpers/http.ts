/**
 * HTTP plumbing for tests of the reference server. Clients here never decode: node:http `request`
 * only removes the transfer coding, raw `net` sockets see the exact response. Every wait is bounded.
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import type { ReferenceServer } from '../../reference-server/server.ts';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `promise`'s value, or undefined after `ms`; the timer never outlives the wait. */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([promise, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `probe` every 10 ms until it returns true or `ms` pass; returns its last answer. */
export async function waitFor(probe: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await sleep(10);
  }
  return probe();
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Name/value pairs as received (IncomingHttpHeaders merges and arrays some). */
  rawHeaders: string[];
  body: Buffer;
  /** end: the body ended cleanly; destroyed: we left after `untilBytes`; error: it broke off. */
  outcome: 'end' | 'destroyed' | 'error';
}

export interface FetchOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Leave (destroy the request) once this many body bytes arrived: for streams that stay open. */
  untilBytes?: number;
  timeoutMs?: number;
}

/** One request on its own connection (no agent, no pooling); the body bytes untouched. */
export function fetchRaw(url: string, options: FetchOptions = {}): Promise<RawResponse> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    let settled = false;
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false });
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(new Error(`${url}: no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let length = 0;
      const finish = (outcome: RawResponse['outcome']) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (outcome === 'destroyed') req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks), outcome });
      };
      if (options.untilBytes === 0) return finish('destroyed');
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
        if (options.untilBytes !== undefined && length >= options.untilBytes) finish('destroyed');
      });
      res.on('end', () => finish('end'));
      res.on('error', () => finish('error'));
      res.on('close', () => finish(res.complete ? 'end' : 'error'));
    });
    req.end();
  });
}

export interface RawExchange {
  text: string;
  status: number;
  head: string;
  body: string;
  closed: boolean;
}

/** Writes `data` to a fresh socket and reads until the server closes it (bounded). */
export function rawExchange(port: number, data: string | Buffer, timeoutMs = 10_000): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const status = /^HTTP\/1\.[01] (\d{3}) /.exec(text);
      resolve({ text, status: status ? Number(status[1]) : 0, head: split === -1 ? text : text.slice(0, split), body: split === -1 ? '' : text.slice(split + 4), closed });
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset after the answer is a close as far as these tests care; before any answer it is not.
      if (chunks.length > 0 || error.code === 'ECONNRESET') done(true);
      else {
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.on('close', () => done(true));
    socket.write(data);
  });
}

export function headerOf(head: string, name: string): string | undefined {
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (line.slice(0, colon).trim().toLowerCase() === name) return line.slice(colon + 1).trim();
  }
  return undefined;
}

export function portOf(server: ReferenceServer): number {
  return Number(new URL(server.url).port);
}

export function connectionCount(server: ReferenceServer): Promise<number> {
  return new Promise((resolve, reject) => server.server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
}

/** A header value as the bytes a browser sends: UTF-8, which node:http writes as latin1 chars. */
export const asHeaderBytes = (value: string) => Buffer.from(value, 'utf8').toString('latin1');


/** The offset of the first byte where `a` and `b` differ (the shorter length when one is a prefix). */
export function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}
