/**
 * What the client harness runs: every stream fixture in several chunkings (its own, whole, byte
 * by byte, and two-way splits), and every scenario fixture whose outcome a test service can
 * report. A case that cannot run says why, naming the missing capability or client action.
 */
import type { Connection, LoadedFixture, ScenarioFixture, StreamFixture } from '../../spec/fixture.ts';
import type { SseEvent } from '../../spec/interpreter.ts';
import { interpret } from '../../spec/interpreter.ts';
import { resolveConnection, resolveStream } from '../../spec/response.ts';
import { wireBytes, type Chunking } from '../../reference-server/chunking.ts';

export type Variant = 'fixture' | 'whole' | 'bytes' | 'splits';

export interface StreamCase {
  kind: 'stream';
  fixture: StreamFixture;
  file: string;
  variant: Variant;
  /** The chunkings to feed: one, or the split points of a `splits` case (best spread first). */
  chunkings: Chunking[];
  /** All split points of the body (for the report: how many of them ran). */
  splitPoints: number;
  expected: SseEvent[];
  /** Event types to listen for: every expected type and every `event:` value on the wire. */
  types: string[];
}

export interface ScenarioCase {
  kind: 'scenario';
  fixture: ScenarioFixture;
  file: string;
  /** Why it does not run (a missing capability or client action), or null. */
  skip: string | null;
  types: string[];
  /** Requests expected: exactly `count` when `exact`, at least `count` otherwise. */
  requests: { count: number; exact: boolean };
  timeoutMs: number;
  settleMs: number;
}

export type ClientCase = StreamCase | ScenarioCase;

function typesOn(chunks: readonly Uint8Array[], expected: readonly SseEvent[]): string[] {
  const types = new Set(expected.map((e) => e.type));
  interpret(chunks, { onField: (name, value) => name === 'event' && value !== '' && types.add(value) });
  types.delete('message');
  return [...types];
}

/** Split points 1 … length−1, in an order that spreads any prefix of them over the body. */
export function splitOrder(length: number): number[] {
  const points = Array.from({ length: Math.max(0, length - 1) }, (_, i) => i + 1);
  return points.sort((a, b) => ((a * 0.6180339887) % 1) - ((b * 0.6180339887) % 1));
}

/** The cases of one stream fixture. `splits`: how many split points at most ('all' for every one). */
export function streamCases(loaded: LoadedFixture & { fixture: StreamFixture }, splits: number | 'all'): StreamCase[] {
  const { fixture, file } = loaded;
  const resolved = resolveStream(fixture);
  const length = wireBytes(resolved.wire).length;
  const expected = fixture.expect.events;
  const types = typesOn(resolved.wire.chunks, expected);
  const base = { kind: 'stream' as const, fixture, file, expected, types, splitPoints: Math.max(0, length - 1) };
  const points = splitOrder(length);
  const chosen = splits === 'all' ? points : points.slice(0, splits);
  const cases: StreamCase[] = [
    { ...base, variant: 'fixture', chunkings: [{ kind: 'fixture' }] },
    { ...base, variant: 'whole', chunkings: [{ kind: 'whole' }] },
    { ...base, variant: 'bytes', chunkings: [{ kind: 'bytes' }] },
  ];
  if (chosen.length > 0) cases.push({ ...base, variant: 'splits', chunkings: chosen.map((at) => ({ kind: 'split', at })) });
  return cases;
}

/** Essence of a Content-Type, as MIME parsing gives it (enough for the fixtures). */
function essence(value: string | undefined): string | null {
  if (value === undefined) return null;
  const type = value.split(';')[0]!.trim().toLowerCase();
  return /^[!#$%&'*+.^_`|~0-9a-z-]+\/[!#$%&'*+.^_`|~0-9a-z-]+$/.test(type) ? type : null;
}

/** Whether a connection opens (200 + text/event-stream): §9.2.2 step 15 announces it and its events are dispatched. */
export function opens(connection: Connection): boolean {
  const resolved = resolveConnection(connection);
  const contentType = resolved.headers.find(([name]) => name === 'content-type')?.[1];
  return resolved.status === 200 && essence(contentType) === 'text/event-stream';
}

/** Why a scenario cannot be run through a test service, or null. */
export function scenarioSkip(fixture: ScenarioFixture): string | null {
  const client = fixture.client ?? {};
  if (fixture.informational) return 'informational: not a conformance assertion';
  if ('apiProposal' in client) return `needs the proposed API ${String(client.apiProposal)}`;
  if (client.crossOrigin || client.crossOriginRedirect || 'withCredentials' in client) return 'needs a cross-origin (CORS / credentials) setup; the stream server is one origin';
  if ('url' in client) return 'needs an invalid URL: no request is made, so nothing reaches the stream server';
  if ('scheme' in client) return `needs a non-HTTP (${String(client.scheme)}:) URL: no request reaches the stream server`;
  if ('windowStopAfterMs' in client) return 'needs window.stop() (browsers only): the protocol has no command for it';
  if ('closeOn' in client) return `needs close() inside the ${String(client.closeOn)} handler: the protocol has no such command (DELETE comes later, over the network)`;
  if ('closeDuringWait' in client) return 'needs close() during the reconnection wait: the protocol has no such command';
  if ('refuseFirstAttempt' in client) return 'needs the first connection attempt refused: not run by the client harness';
  const unknown = Object.keys(client);
  if (unknown.length > 0) return `needs client actions the protocol has no command for: ${unknown.join(', ')}`;
  return null;
}

const SETTLE_EXACT_MS = 1000;
const SETTLE_OPEN_MS = 150;
const SETTLE_OTHER_MS = 300;
/** Covers one wait of the common 3000 ms default reconnection time. */
const BASE_TIMEOUT_MS = 4000;

export function scenarioCase(loaded: LoadedFixture & { fixture: ScenarioFixture }): ScenarioCase {
  const { fixture, file } = loaded;
  const expected = fixture.connections.flatMap((c) => c.events ?? []);
  const types = [...new Set(fixture.connections.flatMap((c) => typesOn(resolveConnection(c).wire.chunks, expected)))];
  const exact = fixture.expect.requests !== undefined;
  const last = fixture.connections.at(-1)!;
  const settleMs = exact ? SETTLE_EXACT_MS : last.end === 'open' && opens(last) ? SETTLE_OPEN_MS : SETTLE_OTHER_MS;
  const delays = fixture.connections.reduce((sum, c) => sum + (c.request?.minDelayMs ?? 0), 0);
  return {
    kind: 'scenario',
    fixture,
    file,
    skip: scenarioSkip(fixture),
    types,
    requests: { count: fixture.expect.requests ?? fixture.connections.length, exact },
    timeoutMs: BASE_TIMEOUT_MS + delays + settleMs,
    settleMs,
  };
}

export function planCases(fixtures: readonly LoadedFixture[], splits: number | 'all'): ClientCase[] {
  const cases: ClientCase[] = [];
  for (const loaded of fixtures) {
    if (loaded.fixture.kind === 'stream') cases.push(...streamCases(loaded as LoadedFixture & { fixture: StreamFixture }, splits));
    else cases.push(scenarioCase(loaded as LoadedFixture & { fixture: ScenarioFixture }));
  }
  return cases;
}
