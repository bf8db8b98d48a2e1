/**
 * A CORS preflight as a browser sends it (Fetch "CORS-preflight fetch"): OPTIONS with `Origin`,
 * `Access-Control-Request-Method` and `Access-Control-Request-Headers` (lowercase, sorted, joined
 * by commas), none of the user's headers (a preflight carries no credentials), and no redirect
 * followed. Bounded like every read: a deadline for the whole exchange and a cap on the body. The
 * answer is a transcript, so a report shows it as it shows any response.
 */
import type { Limits, Transcript } from './read-response.ts';
import type { TlsTrust } from './transport.ts';

export interface PreflightRequest {
  url: string;
  origin: string;
  method: string;
  /** Header names the actual request will carry. */
  headers: readonly string[];
  limits: Limits;
  /** What to trust over TLS (--insecure, --ca), as for every other read of the run. */
  tls?: TlsTrust;
}

/** More body than a preflight answer ever needs; the rest is not read. */
const BODY_CAP = 64 * 1024;

export async function preflight({ url, origin, method, headers, limits, tls }: PreflightRequest): Promise<Transcript> {
  const started = performance.now();
  const requestHeaders: Record<string, string> = {
    origin,
    'access-control-request-method': method,
    'access-control-request-headers': [...new Set(headers.map((h) => h.toLowerCase()))].sort().join(','),
    accept: '*/*',
  };
  const transcript: Transcript = { url, requestHeaders, headers: {}, chunks: [], bytes: 0, encoding: null, fields: {}, events: [], retry: null, lastEventId: '', observations: [], stop: 'end', durationMs: 0 };
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), limits.timeoutMs);
  try {
    // Loaded on use: the check list is imported by commands that never make a request (--help, list).
    const [{ request }, { transportFor }] = await Promise.all([import('undici'), import('./transport.ts')]);
    const response = await request(url, {
      method: 'OPTIONS',
      headers: requestHeaders,
      signal: controller.signal,
      dispatcher: transportFor(tls).dispatcher,
      headersTimeout: limits.timeoutMs,
      bodyTimeout: limits.timeoutMs,
      // Fetch: a redirect answering a preflight is a network error, so it is not followed.
      maxRedirections: 0,
    } as Parameters<typeof import('undici').request>[1]);
    transcript.headersAt = Math.round((performance.now() - started) * 10) / 10;
    transcript.status = response.statusCode;
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) transcript.headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    await response.body.dump({ limit: BODY_CAP }).catch(() => undefined);
  } catch (error) {
    const timedOut = controller.signal.aborted || (error as { code?: string }).code === 'UND_ERR_HEADERS_TIMEOUT';
    transcript.stop = timedOut ? 'headers-timeout' : 'connect-error';
    transcript.error = timedOut ? `no answer to the preflight within ${limits.timeoutMs} ms` : `the preflight failed: ${(error as Error).message}`;
  } finally {
    clearTimeout(deadline);
  }
  transcript.durationMs = Math.round((performance.now() - started) * 10) / 10;
  return transcript;
}
