/**
 * The mutants: one real-world server bug each, the requirement the suite must fail it on, and the
 * fixtures that show it. Together they must trip every (check, requirement) the suite can report.
 */
import type { Message, SendItem } from '../../spec/fixture.ts';
import { isDelay } from '../../spec/pauses.ts';
import { serializeMessage } from '../../spec/serialize.ts';
import type { RunOptions } from '../../suite/runner.ts';
import type { Mutation } from './server.ts';

export interface Mutant {
  name: string;
  /** What the broken server does, in words. */
  bug: string;
  mutation: Mutation;
  /** `check/requirement` pairs the suite must report as failed. */
  trips: string[];
  /** `check/requirement` pairs the suite must report as warnings: a timing inside its warn band. */
  warns?: string[];
  only: string[];
  mode?: 'fixtures' | 'probe';
  options?: Partial<RunOptions>;
}

/** How tutorials write events: every value as is, on one line each. */
function naive(message: Message): string {
  let out = message.comment !== undefined ? `: ${message.comment}\n` : '';
  if (message.retry !== undefined) out += `retry: ${message.retry}\n`;
  if (message.event !== undefined) out += `event: ${message.event}\n`;
  if (message.id !== undefined) out += `id: ${message.id}\n`;
  if (message.data !== undefined) out += `data: ${message.data}\n`;
  return out === '' || (message.comment !== undefined && out.split('\n').length === 2) ? out : `${out}\n`;
}

const canonicalData = (transform: (value: string) => string[]) => (message: Message) => {
  const { data, ...rest } = message;
  const head = serializeMessage(rest);
  if (data === undefined) return head;
  const fields = head.endsWith('\n\n') ? head.slice(0, -1) : head;
  return `${fields}${transform(data).map((line) => `data: ${line}\n`).join('')}\n`;
};

const eventsOnly = (items: SendItem[]) => items.filter((i) => !isDelay(i));

export const mutants: Mutant[] = [
  { name: 'wrong-content-type', bug: 'serves text/plain', mutation: { headers: (h) => ({ ...h, 'content-type': 'text/plain' }) }, trips: ['headers/server.header.content-type'], only: ['srv-data-single'] },
  { name: 'charset-latin1', bug: 'labels the stream charset=iso-8859-1', mutation: { headers: (h) => ({ ...h, 'content-type': 'text/event-stream; charset=iso-8859-1' }) }, trips: ['headers/server.header.charset'], only: ['srv-data-single'], options: { strict: true } },
  { name: 'no-cache-control', bug: 'sends no Cache-Control (nchan)', mutation: { headers: ({ 'cache-control': _, ...h }) => h }, trips: ['headers/server.header.cache-control'], only: ['srv-data-single'], options: { strict: true } },
  { name: 'status-201', bug: 'answers 201 Created', mutation: { status: 201 }, trips: ['headers/server.status.200'], only: ['srv-data-single'] },
  { name: 'buffer-to-end', bug: 'buffers the whole stream and sends it with Content-Length', mutation: { bufferAll: true }, trips: ['delivery/server.delivery.no-buffering', 'headers/server.header.no-content-length'], only: ['srv-delivery-spaced'], options: { strict: true } },
  { name: 'gzip', bug: 'gzips the whole stream at once, so spaced events arrive together', mutation: { gzip: true }, trips: ['delivery/server.header.no-compression', 'delivery/server.delivery.no-buffering'], only: ['srv-delivery-spaced'], options: { strict: true } },
  { name: 'hold-open-stream', bug: 'holds the events of an open stream until it ends (a buffering proxy)', mutation: { holdEvents: true }, trips: ['delivery/server.delivery.not-held'], warns: ['idle/server.idle.no-cut'], only: ['srv-keepalive'], options: { heartbeatMs: 400 } },
  { name: 'gzip-without-flush', bug: 'gzips an open stream without flushing each event (compression middleware)', mutation: { gzipStream: true }, trips: ['delivery/server.delivery.not-held'], only: ['srv-keepalive'], options: { heartbeatMs: 400 } },
  { name: 'lost-continuation-lines', bug: 'writes a multi-line value as one data line (better-sse plain-string serialiser)', mutation: { serialize: naive }, trips: ['events/server.data.split-lines', 'framing/server.framing.known-fields'], only: ['srv-data-lf'], options: { strict: true } },
  { name: 'lf-only-split', bug: 'splits values on LF only, so a lone CR survives (nchan)', mutation: { serialize: canonicalData((v) => v.split('\n')) }, trips: ['events/server.data.split-lines'], only: ['srv-data-lone-cr'] },
  { name: 'no-blank-line', bug: 'ends each event with a single newline (the tutorial server)', mutation: { serialize: (m) => serializeMessage(m).replace(/\n\n$/, '\n') }, trips: ['framing/server.framing.blank-line', 'events/server.data.exact'], only: ['srv-data-single'] },
  { name: 'no-space-after-colon', bug: 'writes "data:" + value, losing a leading space', mutation: { serialize: canonicalData((v) => v.split(/\r\n|\r|\n/).map((l) => l.replace(/^ /, ''))) }, trips: ['events/server.data.exact'], only: ['srv-data-leading-space'] },
  { name: 'event-injection', bug: 'writes the event name as is (@fastify/sse, fastify-sse-v2)', mutation: { serialize: naive }, trips: ['events/server.event.no-newline'], only: ['srv-event-injection'] },
  { name: 'id-injection', bug: 'writes the id as is', mutation: { serialize: naive }, trips: ['events/server.id.no-newline'], only: ['srv-id-injection'] },
  { name: 'id-nul', bug: 'writes an id containing U+0000', mutation: { serialize: naive }, trips: ['framing/server.id.no-nul'], only: ['srv-id-nul'] },
  { name: 'bom-every-event', bug: 'prefixes every event with a BOM', mutation: { serialize: (m) => `\uFEFF${serializeMessage(m)}` }, trips: ['framing/server.bom.start-only'], only: ['srv-data-two-events'] },
  { name: 'latin1-body', bug: 'encodes the body as Latin-1', mutation: { encoding: 'latin1' }, trips: ['framing/server.encoding.utf8'], only: ['srv-data-non-ascii'] },
  { name: 'retry-with-unit', bug: 'writes "retry: 150ms"', mutation: { serialize: (m) => serializeMessage({ ...m, retry: undefined }).replace(/^/, m.retry !== undefined ? `retry: ${m.retry}ms\n` : '') }, trips: ['retry/server.retry.digits', 'framing/server.retry.digits'], only: ['srv-retry'] },
  { name: 'refuse-reconnect', bug: 'answers every reconnect with 503', mutation: { refuse: (n) => (n > 1 ? 503 : undefined) }, trips: ['retry/server.reconnect.accepts'], only: ['srv-retry'], options: { strict: true } },
  { name: 'ignore-last-event-id', bug: 'ignores Last-Event-ID and replays from the start', mutation: { resume: (f) => f.send ?? [] }, trips: ['resume/server.resume.after-last-event-id'], only: ['srv-resume-sequential'] },
  {
    name: 'resume-skips-one',
    bug: 'resumes one event too late',
    mutation: { resume: (f, id) => { const s = eventsOnly(f.send ?? []); const i = s.findIndex((m) => !isDelay(m) && m.id === id); return i === -1 ? s : s.slice(i + 2); } },
    trips: ['resume/server.resume.after-last-event-id'],
    only: ['srv-resume-sequential'],
  },
  {
    name: 'unknown-id-500',
    bug: 'fails with 500 on a Last-Event-ID it does not know',
    mutation: { resume: (f, id) => { const s = f.send ?? []; if (id === undefined) return s; const i = s.findIndex((m) => !isDelay(m) && m.id === id); return i === -1 ? 'error' : s.slice(i + 1); } },
    trips: ['resume/server.resume.unknown-id'],
    only: ['srv-resume-sequential'],
  },
  { name: 'slow-headers', bug: 'sends no headers until long after the request', mutation: { headerDelayMs: 1500 }, trips: ['delivery/server.delivery.first-byte'], only: ['srv-data-single'], options: { limits: { timeoutMs: 300 } } },
  // The headers take 3250 ms: past the limit (3200 ms, --timeout / 1.25) but inside the warn band
  // up to --timeout 4000 ms (750 ms of room for a loaded machine), so a MUST warns, not fails.
  { name: 'slow-headers-in-band', bug: 'sends its headers late, but within --timeout', mutation: { headerDelayMs: 3250 }, trips: [], warns: ['delivery/server.delivery.first-byte'], only: ['srv-data-single'], options: { limits: { timeoutMs: 4000 } } },
  { name: 'headers-on-first-write', bug: 'writes the response head only with the first event (no flushHeaders)', mutation: { headersOnFirstWrite: true }, trips: ['early-headers/server.delivery.headers-before-event'], only: ['srv-delivery-first-delayed'], options: { strict: true } },
  { name: 'idle-cut', bug: 'closes an open stream after 400 ms of silence (a proxy idle timeout)', mutation: { keepAliveMs: null, closeAfterIdleMs: 400 }, trips: ['idle/server.idle.no-cut'], only: ['srv-keepalive'], options: { idleCutMs: 400 } },
  { name: 'no-keepalive', bug: 'stays silent on an idle stream', mutation: { keepAliveMs: null }, trips: ['keepalive/server.comment.keepalive'], only: ['srv-keepalive'], options: { strict: true, heartbeatMs: 400 } },
  { name: 'h2-connection-header', bug: 'sends Connection: keep-alive over HTTP/2', mutation: { h2cConnectionHeader: true }, trips: ['http2/server.header.no-connection-h2'], only: ['srv-data-single'] },
  { name: 'cors-wildcard-credentials', bug: 'answers Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true', mutation: { cors: 'wildcard-credentials' }, trips: ['cors/server.cors.credentials'], only: ['srv-data-single'], options: { origin: 'https://app.example', credentials: true } },
  { name: 'cors-none', bug: 'sends no CORS headers at all', mutation: { cors: 'none' }, trips: ['cors/server.cors.allow-origin'], only: ['srv-data-single'], options: { origin: 'https://app.example' } },
  { name: 'cors-preflight-no-last-event-id', bug: 'a preflight allows authorization but not last-event-id', mutation: { preflightAllowHeaders: 'authorization' }, trips: ['cors/server.cors.preflight'], only: ['srv-data-single'], options: { origin: 'https://app.example', credentials: true, strict: true } },
  { name: 'leak-on-abort', bug: 'keeps a handler for every aborted connection and stops answering after 6', mutation: { leakOnAbort: 6 }, trips: ['churn/server.churn.recovers'], only: ['srv-keepalive'], options: { heartbeatMs: 400, limits: { timeoutMs: 1000 } } },
  { name: 'probe-replay', bug: 'replays from the start on reconnect (probe mode)', mutation: { resume: (f) => f.send ?? [] }, trips: ['probe-resume/server.resume.after-last-event-id'], only: ['srv-resume-sequential'], mode: 'probe', options: { durationMs: 800 } },
  { name: 'probe-no-keepalive', bug: 'stays silent on an idle stream (probe mode)', mutation: { keepAliveMs: null }, trips: ['keepalive/server.comment.keepalive', 'idle/server.idle.no-cut'], only: ['srv-keepalive'], mode: 'probe', options: { strict: true, heartbeatMs: 300, idleCutMs: 450, durationMs: 700 } },
];
