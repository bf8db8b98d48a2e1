/**
 * CORS for the stream fixtures, so that a page on any origin can read them, with or without
 * credentials (Fetch, the CORS protocol): a request with a well-formed `Origin` gets that origin
 * echoed with `Access-Control-Allow-Credentials: true` and `Vary: Origin`; a preflight is answered
 * 204, allowing GET and the headers it asks for. Scenario fixtures script their own CORS headers
 * (hdr-cors-*) and get none of this. Only well-formed values are echoed, so no request can make
 * a header the server cannot write.
 */
import type { IncomingMessage } from 'node:http';

/** A serialised origin: scheme, host and optional port (Fetch/HTML "ASCII serialization of an origin"). */
const ORIGIN = /^[a-z][a-z0-9+.-]{0,15}:\/\/[A-Za-z0-9.-]{1,253}(:\d{1,5})?$|^[a-z][a-z0-9+.-]{0,15}:\/\/\[[0-9A-Fa-f:.]{2,45}\](:\d{1,5})?$/;
const TOKEN_LIST = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+( *, *[!#$%&'*+.^_`|~0-9A-Za-z-]+)*$/;

function originOf(req: IncomingMessage): string | null {
  const origin = req.headers.origin;
  return typeof origin === 'string' && ORIGIN.test(origin) ? origin : null;
}

/** The CORS headers for a response to `req`; none when it carries no well-formed Origin. */
export function corsHeaders(req: IncomingMessage): Array<[string, string]> {
  const origin = originOf(req);
  if (origin === null) return [];
  return [['access-control-allow-origin', origin], ['access-control-allow-credentials', 'true'], ['vary', 'origin']];
}

/** The answer to a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method), or null when `req` is none. */
export function preflightHeaders(req: IncomingMessage): Record<string, string> | null {
  const method = req.headers['access-control-request-method'];
  if (req.method !== 'OPTIONS' || originOf(req) === null || typeof method !== 'string') return null;
  const asked = req.headers['access-control-request-headers'];
  const headers: Record<string, string> = Object.fromEntries(corsHeaders(req));
  headers['access-control-allow-methods'] = 'GET, HEAD';
  // Every header asked for is allowed by name: `*` would not cover authorization, nor anything with credentials.
  if (typeof asked === 'string' && asked.length <= 1024 && TOKEN_LIST.test(asked.trim())) headers['access-control-allow-headers'] = asked.trim();
  headers['access-control-max-age'] = '600';
  headers.vary = 'origin, access-control-request-method, access-control-request-headers';
  return headers;
}
