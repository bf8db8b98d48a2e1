/**
 * Reads one HTTP response from a target — an event stream, or whatever came instead — bounded in
 * every direction, and keeps a transcript of everything that happened on the wire. Every step has a deadline and every read a cap, so a
 * hostile target yields a transcript that says why reading stopped — never a hang or a throw.
 */
import { request, type Dispatcher } from 'undici';
import { createInterpreter, type Observation, type SseEvent } from '../spec/interpreter.ts';
import { ACCEPT_ENCODING, bodyDecoder, type BodyDecoder } from './decode-body.ts';
import type { Limits } from './limits.ts';
import { describeConnectError } from './transport-errors.ts';
import type { Protocol } from './protocol.ts';
import { transportFor, type TlsTrust } from './transport.ts';

export { DEFAULT_LIMITS, type Limits } from './limits.ts';

export interface ReadOptions {
  url: string;
  headers?: Record<string, string>;
  lastEventId?: string;
  limits: Limits;
  /** Stop (as "enough") once this many events arrived and `settleMs` passed without more bytes. */
  expectEvents?: number;
  settleMs?: number;
  /** Stop once this many bytes arrived, feeding the interpreter only those (drop mid-event). */
  stopAfterBytes?: number;
  /** Keep reading for this long even when idle (keep-alive measurement). */
  holdMs?: number;
  /** What to trust over TLS (--insecure, --ca); the connection pool follows from it. */
  tls?: TlsTrust;
  dispatcher?: Dispatcher;
}

export type StopReason =
  | 'end' // the server ended the body cleanly
  | 'reset' // the connection broke mid-body
  | 'enough' // the expected events arrived and the stream settled
  | 'dropped' // we dropped the connection on purpose
  | 'idle' // no byte for idleMs
  | 'held' // holdMs elapsed
  | 'max-duration'
  | 'max-bytes'
  | 'max-events'
  | 'line-too-long'
  | 'headers-timeout'
  | 'bad-encoding' // the body is not what its Content-Encoding says
  | 'connect-error'
  | 'protocol-error'; // over HTTP/2 the server's response was malformed and the stream reset

export interface TimedChunk {
  t: number;
  bytes: Uint8Array;
}
export interface TimedEvent extends SseEvent {
  t: number;
}

export interface Transcript {
  url: string;
  requestHeaders: Record<string, string>;
  status?: number;
  headers: Record<string, string>;
  /** What the response was read over (ALPN's choice over TLS), once a connection was made. */
  protocol?: Protocol;
  /** Milliseconds from the start of the request to the response headers. */
  headersAt?: number;
  /** The body as the interpreter read it: decoded where the server compressed it. */
  chunks: TimedChunk[];
  bytes: number;
  /** The Content-Encoding undone (as a browser undoes it), or null for an uncompressed body. */
  encoding: string | null;
  /** How many lines of each field name arrived (`id`, `retry`, …): what the field checks judge. */
  fields: Record<string, number>;
  events: TimedEvent[];
  retry: number | null;
  lastEventId: string;
  observations: Observation[];
  stop: StopReason;
  /** A sentence for a person when reading stopped abnormally. */
  error?: string;
  durationMs: number;
}

const MAX_OBSERVATIONS = 200;
/** Distinct field names counted (a stream of random lines would otherwise grow the map). */
const MAX_FIELD_NAMES = 64;
/** Chunks kept for the report; the interpreter still sees every byte. */
const MAX_KEPT_BYTES = 256 * 1024;

export async function readResponse(options: ReadOptions): Promise<Transcript> {
  const { limits } = options;
  const started = performance.now();
  const now = () => Math.round((performance.now() - started) * 10) / 10;
  // What a browser's EventSource sends (Fetch: Accept and Cache-Control set by §9.2.2 steps 6–7,
  // Accept-Encoding by the browser's network stack); the user's headers override any of them.
  const requestHeaders: Record<string, string> = { accept: 'text/event-stream', 'cache-control': 'no-cache', 'accept-encoding': ACCEPT_ENCODING };
  for (const [name, value] of Object.entries(options.headers ?? {})) requestHeaders[name.toLowerCase()] = value;
  if (options.lastEventId !== undefined) requestHeaders['last-event-id'] = options.lastEventId;

  const transcript: Transcript = {
    url: options.url,
    requestHeaders,
    headers: {},
    chunks: [],
    bytes: 0,
    encoding: null,
    fields: {},
    events: [],
    retry: null,
    lastEventId: '',
    observations: [],
    stop: 'end',
    durationMs: 0,
  };
  const interpreter = createInterpreter({
    maxLineLength: limits.maxLineLength,
    onEvent: (event) => transcript.events.push({ ...event, t: now() }),
    onField: (name) => {
      if (name in transcript.fields || Object.keys(transcript.fields).length < MAX_FIELD_NAMES) transcript.fields[name] = (transcript.fields[name] ?? 0) + 1;
    },
    onObservation: (observation) => {
      if (transcript.observations.length < MAX_OBSERVATIONS) transcript.observations.push(observation);
    },
  });

  const controller = new AbortController();
  let stop: StopReason | undefined;
  const finish = (reason: StopReason) => {
    stop ??= reason;
    controller.abort();
  };
  // Deadlines: the whole read, the headers, and idleness (re-armed on every chunk).
  const total = setTimeout(() => finish('max-duration'), limits.maxDurationMs);
  // undici's headersTimeout restarts on every informational (1xx) response; this one does not.
  const headersDeadline = setTimeout(() => finish('headers-timeout'), limits.timeoutMs);
  let idle: NodeJS.Timeout | undefined;
  let hold: NodeJS.Timeout | undefined;
  const armIdle = (ms: number, reason: StopReason) => {
    clearTimeout(idle);
    idle = setTimeout(() => finish(reason), ms);
  };

  let decoding: BodyDecoder | null = null;
  const transport = transportFor(options.tls);
  const origin = new URL(options.url).origin;
  try {
    const response = await request(options.url, {
      method: 'GET',
      headers: requestHeaders,
      signal: controller.signal,
      dispatcher: options.dispatcher ?? transport.dispatcher,
      headersTimeout: limits.timeoutMs,
      bodyTimeout: 0,
    });
    clearTimeout(headersDeadline);
    // The redirect interceptor hands over the redirect it no longer follows (the 6th): for
    // EventSource (Fetch) a redirect loop is a network error, not a response.
    if (options.dispatcher === undefined && [301, 302, 303, 307, 308].includes(response.statusCode) && response.headers.location !== undefined) {
      throw new Error('too many redirects');
    }
    transcript.headersAt = now();
    transcript.protocol = transport.protocolOf(origin);
    transcript.status = response.statusCode;
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) transcript.headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    if (options.holdMs !== undefined) hold = setTimeout(() => finish('held'), options.holdMs);
    else armIdle(limits.idleMs, 'idle');
    const decoder = bodyDecoder(transcript.headers['content-encoding']);
    if (decoder !== null && 'unsupported' in decoder) {
      stop = 'bad-encoding';
      transcript.error = `the body is encoded as ${JSON.stringify(decoder.unsupported)}, which the request did not offer (Accept-Encoding: ${requestHeaders['accept-encoding']}) and browsers cannot decode`;
      throw new Error(transcript.error);
    }
    decoding = decoder;
    transcript.encoding = decoder?.coding ?? null;

    let kept = 0;
    for await (const raw of response.body) {
      let chunk: Buffer;
      try {
        chunk = decoder ? await decoder.decode(raw as Buffer) : (raw as Buffer);
      } catch (error) {
        stop = 'bad-encoding';
        transcript.error = `the body is not valid ${decoder!.coding} after ${transcript.bytes} decoded bytes (${(error as Error).message}): browsers fail such a stream`;
        break;
      }
      if (chunk.length === 0) continue;
      if (options.stopAfterBytes !== undefined && transcript.bytes + chunk.length >= options.stopAfterBytes) {
        chunk = chunk.subarray(0, options.stopAfterBytes - transcript.bytes);
        finish('dropped');
      }
      transcript.bytes += chunk.length;
      if (kept < MAX_KEPT_BYTES) {
        transcript.chunks.push({ t: now(), bytes: chunk.subarray(0, MAX_KEPT_BYTES - kept) });
        kept += chunk.length;
      }
      interpreter.feed(chunk);
      if (interpreter.stopped) finish('line-too-long');
      if (transcript.bytes >= limits.maxBytes) finish('max-bytes');
      if (transcript.events.length >= limits.maxEvents) finish('max-events');
      if (stop) break;
      if (options.holdMs === undefined) {
        const enough = options.expectEvents !== undefined && transcript.events.length >= options.expectEvents;
        armIdle(enough ? (options.settleMs ?? 100) : limits.idleMs, enough ? 'enough' : 'idle');
      }
    }
  } catch (error) {
    if (!stop) {
      if (transcript.status === undefined) {
        const protocol = transport.protocolOf(origin);
        if (protocol && !transport.failedHandshake(error)) transcript.protocol = protocol;
        const described = describeConnectError(error, { url: options.url, timeoutMs: limits.timeoutMs, handshake: transport.failedHandshake(error), protocol: transcript.protocol });
        stop = described.stop;
        transcript.error = described.error;
      } else {
        stop = 'reset';
        transcript.error = `the connection broke after ${transcript.bytes} bytes (${(error as Error).message})`;
      }
    }
  } finally {
    decoding?.close();
    clearTimeout(total);
    clearTimeout(headersDeadline);
    clearTimeout(idle);
    clearTimeout(hold);
    if (!controller.signal.aborted) controller.abort();
  }
  transcript.stop = stop ?? 'end';
  // A stream we stopped reading on purpose is not "ended": only a real end (or break) discards
  // the pending event, but for the report an unterminated event is pending either way.
  interpreter.end();
  transcript.retry = interpreter.retry;
  transcript.lastEventId = interpreter.lastEventId;
  transcript.durationMs = now();
  transcript.error ??= stopMessage(transcript, limits);
  return transcript;
}

function stopMessage(transcript: Transcript, limits: Limits): string | undefined {
  switch (transcript.stop) {
    case 'headers-timeout':
      return `no response headers from ${transcript.url} within ${limits.timeoutMs} ms`;
    case 'max-bytes':
      return `stopped reading after ${limits.maxBytes} bytes (--max-bytes)`;
    case 'max-events':
      return `stopped reading after ${limits.maxEvents} events (--max-events)`;
    case 'max-duration':
      return `stopped reading after ${limits.maxDurationMs} ms (--max-duration)`;
    case 'line-too-long':
      return `stopped reading: a line grew past ${limits.maxLineLength} characters (--max-line)`;
    default:
      return undefined;
  }
}
