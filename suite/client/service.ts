/**
 * Talking to a test service: status, create, command, delete. Every call has a deadline and every
 * answer a size cap; a failure is a sentence naming the call, never an exception the run dies of.
 */
import { readStatus, type CreateParams, type ServiceInfo } from './protocol.ts';

/** The largest answer read from a service. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface Answer {
  status: number;
  location: string | null;
  text: string;
}

/**
 * One HTTP exchange with a service: the answer, or why there is none (a sentence). A request that
 * met a kept-alive connection the service had just closed (it never reached the service) is sent
 * once more on a fresh one.
 */
export async function call(method: string, url: string, body: unknown, timeoutMs: number): Promise<Answer | string> {
  const first = await exchange(method, url, body, timeoutMs);
  return typeof first === 'string' && /: (UND_ERR_SOCKET|ECONNRESET)$/.test(first) ? exchange(method, url, body, timeoutMs) : first;
}

async function exchange(method: string, url: string, body: unknown, timeoutMs: number): Promise<Answer | string> {
  const what = `${method} ${new URL(url).pathname}`;
  try {
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (response.body) {
      for await (const chunk of response.body) {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) {
          await response.body.cancel().catch(() => undefined);
          return `${what}: the answer is longer than ${MAX_ANSWER_BYTES} bytes`;
        }
        chunks.push(chunk);
      }
    }
    return { status: response.status, location: response.headers.get('location'), text: Buffer.concat(chunks).toString('utf8') };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return `${what}: no answer within ${timeoutMs} ms`;
    // fetch says "fetch failed"; the reason (ECONNREFUSED, …) is in its cause.
    return `${what}: ${e.cause?.code ?? e.cause?.errors?.[0]?.code ?? e.cause?.message ?? e.message}`;
  }
}

const ok = (status: number) => status >= 200 && status < 300;

function excerpt(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return t === '' ? '' : `: ${t.length > 120 ? `${t.slice(0, 120)}…` : t}`;
}

/**
 * `GET /`, retried until the service answers or `waitMs` passes (a service may still be starting).
 * Returns the capabilities, or `{ unreachable }` / `{ garbage }` with the reason.
 */
export async function status(serviceUrl: string, timeoutMs: number, waitMs: number): Promise<ServiceInfo | { unreachable: string } | { garbage: string; info: ServiceInfo }> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const answer = await call('GET', serviceUrl, undefined, timeoutMs);
    if (typeof answer !== 'string') {
      if (answer.status !== 200) return { unreachable: `GET / answered ${answer.status}${excerpt(answer.text)}` };
      const info = readStatus(answer.text);
      return typeof info === 'string' ? { garbage: info, info: { capabilities: [], name: null, version: null } } : info;
    }
    if (Date.now() + 100 >= deadline) return { unreachable: answer };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `POST /`: the new client's resource URL, or why there is none. */
export async function create(serviceUrl: string, params: CreateParams, timeoutMs: number): Promise<{ resource: string } | { problem: string }> {
  const answer = await call('POST', serviceUrl, params, timeoutMs);
  if (typeof answer === 'string') return { problem: answer };
  if (!ok(answer.status)) return { problem: `POST / answered ${answer.status}${excerpt(answer.text)}` };
  if (!answer.location) return { problem: `POST / answered ${answer.status} without a Location header` };
  try {
    // A relative Location is resolved against the service URL.
    const resource = new URL(answer.location, serviceUrl).href;
    if (!/^https?:$/.test(new URL(resource).protocol)) throw new Error('scheme');
    return { resource };
  } catch {
    return { problem: `POST / answered a Location that is not an http URL: ${JSON.stringify(answer.location.slice(0, 100))}` };
  }
}

/** `POST <resource>` with a command; null when it was accepted. */
export async function command(resource: string, body: Record<string, unknown>, timeoutMs: number): Promise<string | null> {
  const answer = await call('POST', resource, body, timeoutMs);
  if (typeof answer === 'string') return answer;
  return ok(answer.status) ? null : `command ${JSON.stringify(body.command)} answered ${answer.status}${excerpt(answer.text)}`;
}

/** `DELETE <resource>`; null when the client was stopped. */
export async function remove(resource: string, timeoutMs: number): Promise<string | null> {
  const answer = await call('DELETE', resource, undefined, timeoutMs);
  if (typeof answer === 'string') return answer;
  return ok(answer.status) ? null : `DELETE answered ${answer.status}${excerpt(answer.text)}`;
}
