/**
 * Per-session request recording for scenario fixtures. A client names its session with the
 * `session` query parameter; its n-th request gets the scenario's n-th connection, and every
 * request is recorded (method, path, headers, arrival time) for tests to read back as JSON.
 * Memory is bounded: old sessions are evicted and each keeps at most MAX_REQUESTS records.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RecordedRequest {
  /** 1-based position of this request in its session. */
  n: number;
  fixture: string;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Milliseconds since the Unix epoch, with sub-millisecond precision. */
  at: number;
  /** When the response ended (finished or the connection closed), same clock; null while it is open. */
  endedAt: number | null;
}

const MAX_SESSIONS = 10_000;
const MAX_REQUESTS = 100;

export class SessionLog {
  readonly #sessions = new Map<string, { count: number; requests: RecordedRequest[] }>();

  /** Records a request (and, given its response, when that ends) and returns its 1-based position in the session. */
  record(token: string, fixture: string, req: IncomingMessage, res?: ServerResponse): number {
    let session = this.#sessions.get(token);
    if (!session) {
      if (this.#sessions.size >= MAX_SESSIONS) this.#sessions.delete(this.#sessions.keys().next().value!);
      session = { count: 0, requests: [] };
      this.#sessions.set(token, session);
    }
    session.count++;
    if (session.requests.length < MAX_REQUESTS) {
      const record: RecordedRequest = {
        n: session.count,
        fixture,
        method: req.method ?? '',
        path: req.url ?? '',
        headers: { ...req.headers },
        at: performance.timeOrigin + performance.now(),
        endedAt: null,
      };
      session.requests.push(record);
      const ended = () => {
        record.endedAt ??= performance.timeOrigin + performance.now();
      };
      if (res) {
        // Stamped when the server ends the response, before the bytes leave: a client cannot see
        // the end earlier, so a wait measured from here is never overstated (reconnection delays
        // are judged as lower bounds). A reset or a client leaving is stamped on close.
        const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
        res.end = ((...args: unknown[]) => {
          ended();
          return end(...args);
        }) as ServerResponse['end'];
        res.once('close', ended);
      }
    }
    return session.count;
  }

  get(token: string): RecordedRequest[] | undefined {
    return this.#sessions.get(token)?.requests;
  }
}
