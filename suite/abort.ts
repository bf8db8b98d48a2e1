/**
 * A connection given up before any answer: the request is sent whole, then the connection is
 * closed at once — what a page that navigates away, or an EventSource closed while connecting,
 * does to a server (§9.2.2 close() aborts the fetch). A fresh connection each time, bounded by a
 * deadline; it resolves with null once the request went out, or with why it could not.
 */
import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { TlsTrust } from './transport.ts';

export function abortAfterSending(url: string, headers: Record<string, string>, timeoutMs: number, tls: TlsTrust = {}): Promise<string | null> {
  return new Promise((resolve) => {
    let req: ClientRequest;
    let settled = false;
    const done = (why: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(why);
    };
    const timer = setTimeout(() => done(`the request could not be sent within ${timeoutMs} ms`), timeoutMs);
    const options = { headers: { accept: 'text/event-stream', 'cache-control': 'no-cache', ...headers }, agent: false as const, ...(tls.ca !== undefined ? { ca: tls.ca } : {}), ...(tls.insecure ? { rejectUnauthorized: false } : {}) };
    try {
      req = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, options);
    } catch (error) {
      clearTimeout(timer);
      resolve((error as Error).message);
      return;
    }
    // 'finish': the whole request is handed to the socket; closing now leaves the server a request without a reader.
    req.once('finish', () => done(null));
    req.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    req.end();
  });
}
