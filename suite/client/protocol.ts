/**
 * The client test-service protocol (spec/CLIENT-SERVICE.md) as types and tolerant readers: what the
 * harness sends a service and how it reads what a service sends back. LaunchDarkly's
 * sse-contract-tests services speak it unchanged; the optional capabilities of our own have names
 * of their own.
 */

/** Capabilities LaunchDarkly's harness defines, with its names. */
export const LD_CAPABILITIES = ['comments', 'event-type-listeners', 'headers', 'last-event-id', 'post', 'read-timeout', 'report', 'restart'] as const;

/**
 * Our optional additions. `open-events`: `{kind: "open"}` each time a connection opens.
 * `ready-state`: open and error callbacks carry `readyState` (0 connecting, 1 open, 2 closed).
 * `reconnect-attempts`: `{kind: "reconnecting", delayMs}` when the client schedules a reconnection.
 */
export const OWN_CAPABILITIES = ['open-events', 'ready-state', 'reconnect-attempts'] as const;

/** What `POST /` carries: one client to create. */
export interface CreateParams {
  streamUrl: string;
  callbackUrl: string;
  tag: string;
  /** The initial reconnection delay to configure where the client allows it; null: leave the client's default. */
  initialDelayMs: number | null;
  readTimeoutMs?: number;
  lastEventId?: string;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
}

/** One callback, normalised. */
export type Callback =
  | { kind: 'event'; type: string; data: string; id: string }
  | { kind: 'comment'; comment: string }
  | { kind: 'error'; message: string; readyState: number | null }
  | { kind: 'open'; readyState: number | null }
  | { kind: 'reconnecting'; delayMs: number | null };

/** What `GET /` told us. */
export interface ServiceInfo {
  capabilities: string[];
  /** `name` of the status document, if any (LaunchDarkly's SDK services send it). */
  name: string | null;
  /** `clientVersion` (or `version`) of the status document, if any. */
  version: string | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readyStateOf(value: unknown): number | null {
  return value === 0 || value === 1 || value === 2 ? value : null;
}

/**
 * A status document: an empty body means no capabilities (the document is optional); anything
 * else must be a JSON object whose `capabilities`, if present, is an array of strings.
 */
export function readStatus(text: string): ServiceInfo | string {
  if (text.trim() === '') return { capabilities: [], name: null, version: null };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return `GET / answered a body that is not JSON: ${JSON.stringify(text.slice(0, 80))}`;
  }
  if (!isRecord(doc)) return 'GET / answered JSON that is not an object';
  const capabilities = doc.capabilities ?? [];
  if (!Array.isArray(capabilities) || !capabilities.every((c) => typeof c === 'string')) return 'GET / answered "capabilities" that is not an array of strings';
  const version = typeof doc.clientVersion === 'string' ? doc.clientVersion : typeof doc.version === 'string' ? doc.version : null;
  return { capabilities: [...new Set(capabilities as string[])], name: typeof doc.name === 'string' ? doc.name : null, version };
}

/**
 * One callback body. Accepted where LaunchDarkly's documentation and its harness differ: error
 * text in `error` (what its harness reads) or `comment` (what its documentation shows), or
 * `message`. An event's `type` absent or empty is `message`; an absent `id` is the empty string.
 */
export function readCallback(text: string): Callback | string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return `a callback body that is not JSON: ${JSON.stringify(text.slice(0, 80))}`;
  }
  if (!isRecord(doc)) return 'a callback body that is not a JSON object';
  switch (doc.kind) {
    case 'event': {
      const event = doc.event;
      if (!isRecord(event) || typeof event.data !== 'string') return 'an event callback without event.data as a string';
      if (event.type !== undefined && event.type !== null && typeof event.type !== 'string') return 'an event callback whose event.type is not a string';
      if (event.id !== undefined && event.id !== null && typeof event.id !== 'string') return 'an event callback whose event.id is not a string';
      return { kind: 'event', type: typeof event.type === 'string' && event.type !== '' ? event.type : 'message', data: event.data, id: typeof event.id === 'string' ? event.id : '' };
    }
    case 'comment':
      return { kind: 'comment', comment: typeof doc.comment === 'string' ? doc.comment : '' };
    case 'error': {
      const text = [doc.error, doc.comment, doc.message].find((v) => typeof v === 'string') as string | undefined;
      return { kind: 'error', message: text ?? '', readyState: readyStateOf(doc.readyState) };
    }
    case 'open':
      return { kind: 'open', readyState: readyStateOf(doc.readyState) };
    case 'reconnecting':
      return { kind: 'reconnecting', delayMs: typeof doc.delayMs === 'number' && Number.isFinite(doc.delayMs) ? doc.delayMs : null };
    default:
      return `a callback of unknown kind ${JSON.stringify(doc.kind)}`;
  }
}
