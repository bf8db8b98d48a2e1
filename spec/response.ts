/**
 * A fixture's responses made concrete: status, headers, the wire and how the connection ends.
 * The reference server writes exactly this; tests and exports read it too, so defaults live here.
 */
import type { Connection, Ending, ResponseSpec, SendItem, StreamFixture } from './fixture.ts';
import { isDelay, withPauses } from './pauses.ts';
import { serializeMessage } from './serialize.ts';
import { encodeWire, type Wire } from './wire.ts';

export interface ResolvedResponse {
  status: number;
  /** Lower-case names, in order. */
  headers: Array<[string, string]>;
  wire: Wire;
  end: Ending;
  /**
   * True for raw `wire` fixtures, whose chunk boundaries are part of what they test: each chunk
   * must leave as its own segment. `send` messages only need to leave promptly, so consecutive
   * ones without a pause may share a segment.
   */
  segmented: boolean;
  /** Milliseconds to wait before the status line and headers. */
  headDelayMs: number;
}

/** What a correct event-stream response carries unless a fixture says otherwise. */
export const DEFAULT_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
};

const utf8 = new TextEncoder();

/** A `send` list as a wire: one chunk per message, so each is flushed as it is sent. */
export function sendToWire(items: readonly SendItem[]): Wire {
  const timed = withPauses(items);
  return { chunks: timed.map(({ item }) => utf8.encode(serializeMessage(item))), delays: timed.map(({ pauseMs }) => pauseMs) };
}

function headersOf(spec: ResponseSpec | undefined): Array<[string, string]> {
  const merged: Record<string, string | null> = { ...DEFAULT_HEADERS };
  for (const [name, value] of Object.entries(spec?.headers ?? {})) merged[name.toLowerCase()] = value;
  return Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== null);
}

/**
 * The events of a resumable `send` list after a Last-Event-ID (the fixture's resume contract):
 * everything after the message with that id, or for an unknown id what `unknownId` declares.
 */
export function sendAfter(fixture: StreamFixture, lastEventId: string | undefined): SendItem[] {
  const send = fixture.send ?? [];
  if (lastEventId === undefined || !fixture.resume) return send;
  const index = send.findIndex((item) => !isDelay(item) && item.id === lastEventId);
  if (index !== -1) return send.slice(index + 1);
  return fixture.resume.unknownId === 'replay' ? send : [];
}

export function resolveStream(fixture: StreamFixture, lastEventId?: string): ResolvedResponse {
  const wire = fixture.send ? sendToWire(sendAfter(fixture, lastEventId)) : encodeWire(fixture.wire ?? []);
  return { status: fixture.response?.status ?? 200, headers: headersOf(fixture.response), wire, end: fixture.end ?? 'close', segmented: !fixture.send, headDelayMs: fixture.response?.headDelayMs ?? 0 };
}

export function resolveConnection(connection: Connection): ResolvedResponse {
  const { response } = connection;
  const wire = response.send ? sendToWire(response.send) : encodeWire(response.wire ?? []);
  return { status: response.status ?? 200, headers: headersOf(response), wire, end: connection.end ?? 'close', segmented: !response.send, headDelayMs: response.headDelayMs ?? 0 };
}
