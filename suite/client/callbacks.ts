/**
 * The callback endpoint: a service posts what its client observed to `<callbackUrl>/<n>`, n
 * counting from 1 per client. Callbacks may arrive out of order (a service may post them
 * concurrently): the inbox puts them back in the order of n. Everything is capped — body size,
 * callbacks and bytes per client — and a service that breaks the rules is recorded, not obeyed.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readCallback, type Callback } from './protocol.ts';

export const MAX_CALLBACK_BYTES = 1024 * 1024;
export const MAX_CALLBACKS = 5000;
export const MAX_INBOX_BYTES = 16 * 1024 * 1024;

export class Inbox {
  readonly #byNumber = new Map<number, { callback: Callback; at: number }>();
  /** Protocol problems, in words (the first few of each kind are kept). */
  readonly problems: string[] = [];
  bytes = 0;
  received = 0;
  flooded = false;
  /** When the last callback arrived (ms since the epoch), or null. */
  lastAt: number | null = null;

  problem(text: string): void {
    if (this.problems.length < 10) this.problems.push(text);
  }

  accept(n: number, callback: Callback | string): void {
    this.lastAt = performance.timeOrigin + performance.now();
    if (typeof callback === 'string') return this.problem(`callback ${n}: ${callback}`);
    if (this.#byNumber.has(n)) return this.problem(`callback ${n} was posted twice`);
    this.#byNumber.set(n, { callback, at: this.lastAt });
  }

  /** The callbacks 1, 2, 3, … as far as they are contiguous. */
  ordered(): Callback[] {
    const out: Callback[] = [];
    for (let n = 1; this.#byNumber.has(n); n++) out.push(this.#byNumber.get(n)!.callback);
    return out;
  }

  /** Numbers received beyond a gap (a callback that never came). */
  stranded(): number[] {
    const contiguous = this.ordered().length;
    return [...this.#byNumber.keys()].filter((n) => n > contiguous + 1).sort((a, b) => a - b);
  }
}

export interface CallbackServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** A fresh inbox at `<url>/<key>`. */
  open(key: string): Inbox;
  /** Later callbacks to this key are answered 404 and not recorded. */
  close(key: string): void;
  stop(): Promise<void>;
}

const PATH = /^\/([A-Za-z0-9_.-]{1,120})\/(\d{1,9})$/;

function answer(res: ServerResponse, status: number): void {
  if (!res.headersSent) res.writeHead(status, { 'content-length': 0 });
  res.end();
}

export async function startCallbackServer(maxCallbacks = MAX_CALLBACKS): Promise<CallbackServer> {
  const inboxes = new Map<string, Inbox>();
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const match = PATH.exec(req.url ?? '');
    const inbox = match ? inboxes.get(match[1]!) : undefined;
    if (!match || !inbox) {
      // An unknown path may still name a live client with a malformed counter: record that.
      const key = /^\/([A-Za-z0-9_.-]{1,120})(?:\/|$)/.exec(req.url ?? '')?.[1];
      inboxes.get(key ?? '')?.problem(`a callback to ${JSON.stringify((req.url ?? '').slice(0, 80))}: the path must end in /<n>, n = 1, 2, 3, …`);
      req.resume();
      return answer(res, 404);
    }
    if (req.method !== 'POST') {
      inbox.problem(`a callback with method ${req.method} (POST expected)`);
      req.resume();
      return answer(res, 405);
    }
    const n = Number(match[2]);
    if (n < 1) {
      inbox.problem('a callback numbered 0 (numbers start at 1)');
      req.resume();
      return answer(res, 400);
    }
    if (inbox.flooded || inbox.received >= maxCallbacks || inbox.bytes >= MAX_INBOX_BYTES) {
      if (!inbox.flooded) inbox.problem(`flooded: more than ${maxCallbacks} callbacks or ${MAX_INBOX_BYTES} bytes for one client`);
      inbox.flooded = true;
      req.resume();
      return answer(res, 429);
    }
    inbox.received++;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      inbox.bytes += chunk.length;
      if (size > MAX_CALLBACK_BYTES) {
        inbox.problem(`callback ${n}: a body longer than ${MAX_CALLBACK_BYTES} bytes`);
        answer(res, 413);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_CALLBACK_BYTES) return;
      inbox.accept(n, readCallback(Buffer.concat(chunks).toString('utf8')));
      answer(res, 202);
    });
    req.on('error', () => undefined);
  };
  const server: Server = createServer(handle);
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    open(key) {
      const inbox = new Inbox();
      inboxes.set(key, inbox);
      return inbox;
    },
    close(key) {
      inboxes.delete(key);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
