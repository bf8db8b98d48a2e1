/**
 * Response headers: the status and Content-Type clients require (§9.2.2 step 15.3), and the
 * headers that decide whether events get through caches and proxies (spec/INTEROP.md#cache-control, #charset, #no-content-length).
 * Compression is judged by delivery, from when the events arrived.
 */
import type { Check } from './check.ts';
import { passIf, type Finding } from '../result.ts';
import { curlHeaders } from '../repro.ts';
import { parseMediaType } from '../../spec/media-type.ts';

/** Statuses a proxy or gateway answers with when the server behind it failed (RFC 9110 §15.6). */
const GATEWAY: Record<number, string> = { 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

function statusInWords(status: number | undefined, headers: Record<string, string>): string {
  const gateway = status === undefined ? undefined : GATEWAY[status];
  if (gateway === undefined) return `status ${status}`;
  const page = /^text\/html\b/i.test(headers['content-type'] ?? '') ? ' with an HTML page' : '';
  return `status ${status} (${gateway})${page}: a proxy or gateway answered instead of the event stream — the server behind it failed or could not be reached`;
}

export const headersCheck: Check = {
  name: 'headers',
  description: 'Status 200, Content-Type text/event-stream, no caching, no Content-Length.',
  requirements: ['server.status.200', 'server.header.content-type', 'server.header.charset', 'server.header.cache-control', 'server.header.no-content-length'],
  needs: 'response',
  scope: 'fixture',
  applies: () => true,
  run({ transcript, url, headers: sent }) {
    const { status, headers } = transcript;
    const repro = curlHeaders(url, sent);
    const findings: Finding[] = [];
    const add = (requirement: string, held: boolean, message: string, expected?: unknown, actual?: unknown) =>
      findings.push({ requirement, status: passIf(held), message, expected, actual, repro });

    add('server.status.200', status === 200, status === 200 ? 'status 200' : `${statusInWords(status, headers)}: clients fail the connection on anything but 200 and never reconnect`, 200, status);

    const contentType = headers['content-type'];
    const media = contentType === undefined ? null : parseMediaType(contentType);
    if (contentType === undefined) add('server.header.content-type', false, 'no Content-Type header: clients fail the connection', 'text/event-stream', null);
    else if (!media) add('server.header.content-type', false, `Content-Type ${JSON.stringify(contentType)} cannot be parsed as a MIME type`, 'text/event-stream', contentType);
    else add('server.header.content-type', media.essence === 'text/event-stream', media.essence === 'text/event-stream' ? `Content-Type ${contentType}` : `Content-Type is ${media.essence}, not text/event-stream: clients fail the connection`, 'text/event-stream', contentType);

    const charset = media?.params.get('charset');
    if (charset !== undefined) {
      add('server.header.charset', charset.toLowerCase() === 'utf-8', charset.toLowerCase() === 'utf-8' ? 'charset=utf-8' : `charset=${charset}: Chromium aborts the connection for any charset other than "utf-8"`, 'utf-8', charset);
    } else {
      add('server.header.charset', true, 'no charset parameter (event streams are always UTF-8)');
    }

    const cacheControl = (headers['cache-control'] ?? '').toLowerCase();
    const noCache = /(^|[\s,])(no-cache|no-store)([\s,=]|$)/.test(cacheControl);
    add('server.header.cache-control', noCache, noCache ? `Cache-Control: ${headers['cache-control']}` : `Cache-Control is ${headers['cache-control'] === undefined ? 'missing' : JSON.stringify(headers['cache-control'])}: a cache or proxy may store or replay the stream`, 'no-cache or no-store', headers['cache-control'] ?? null);

    const length = headers['content-length'];
    add('server.header.no-content-length', length === undefined, length === undefined ? 'no Content-Length' : `Content-Length: ${length} on an event stream: the stream is capped and must have been buffered whole`, null, length);

    return findings;
  },
};
