/**
 * The fixture model: what a fixture file says once YAML is parsed and the schema has accepted it.
 * `fixture.schema.json` is the same contract for validation; keep the two in step.
 */
import type { SseEvent } from './interpreter.ts';

/** Bytes of one chunk, written readably (see `spec/FIXTURES.md`, "The wire"). */
export type WirePart = string | { hex: string } | { repeat: WirePart; times: number } | { concat: WirePart[] };
/** One entry of a `wire` list: a chunk, several identical chunks, or a pause. */
export type WireItem = WirePart | { delay: number };

/** What an application asks a server to send; the server serialises it (`spec/serialize.ts`). */
export interface Message {
  id?: string;
  event?: string;
  data?: string;
  retry?: number | string;
  comment?: string;
}
export type SendItem = Message | { delay: number };

export type Ending = 'close' | 'reset' | 'open';

export interface ResponseSpec {
  status?: number;
  /** Wait this long before sending the status line and headers (a server still thinking). */
  headDelayMs?: number;
  /** Header name → value; null removes one of the defaults (Content-Type, Cache-Control). */
  headers?: Record<string, string | null>;
  wire?: WireItem[];
  send?: SendItem[];
}

export interface Divergence {
  implementation: string;
  behaviour: string;
  source: string;
}

export interface Expectation {
  events: SseEvent[];
  /** Reconnection time after the stream: a number, a decimal string for huge values, null = unchanged. */
  retry?: number | string | null;
  lastEventId?: string;
  /** Fields whose exact value a server may choose (how it neutralises CR/LF), as long as no field is injected. */
  lenient?: Array<'type' | 'lastEventId'>;
}

interface FixtureBase {
  id: string;
  title: string;
  category: string;
  requirements: string[];
  explanation: string;
  source: string;
  divergences?: Divergence[];
  notes?: string;
  /** Not a conformance assertion (implementation-defined or unsettled: spec/INTEROP.md#implementation-defined). */
  informational?: boolean;
}

/** What a server must do with Last-Event-ID for a `send` fixture (the fixture's contract). */
export interface ResumeSpec {
  /** `replay` — an unknown id replays the stream from the start; `nothing` — sends no event. */
  unknownId: 'replay' | 'nothing';
}

export interface StreamFixture extends FixtureBase {
  kind: 'stream';
  response?: Omit<ResponseSpec, 'wire' | 'send'>;
  wire?: WireItem[];
  send?: SendItem[];
  end?: Ending;
  resume?: ResumeSpec;
  expect: Expectation;
}

export interface RequestExpectation {
  /** The Last-Event-ID the request must carry; null = must carry none. Absent = not checked. */
  lastEventId?: string | null;
  /** The request may come no sooner than this many ms after the previous connection ended. */
  minDelayMs?: number;
  /** Other request headers it must carry (lower-case names). */
  headers?: Record<string, string>;
}

export interface Connection {
  request?: RequestExpectation;
  response: ResponseSpec;
  end?: Ending;
  /** Message events the client dispatches on this connection. */
  events?: SseEvent[];
}

export interface ScenarioFixture extends FixtureBase {
  kind: 'scenario';
  connections: Connection[];
  /** What a client harness must do (close() in a handler, withCredentials, …): for client suites. */
  client?: Record<string, unknown>;
  expect: {
    /** Everything the client observes, in order: "open", "error(0)", "message(type,data,id)"… */
    log?: string[];
    /** Exactly this many requests are made (no further reconnection). */
    requests?: number;
  };
}

export type Fixture = StreamFixture | ScenarioFixture;

/** A loaded fixture with where it came from. */
export interface LoadedFixture {
  fixture: Fixture;
  file: string;
}
