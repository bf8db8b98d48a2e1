/**
 * What the interpreter of WHATWG HTML §9.2.6 (interpreter.ts) takes and gives: its options, the
 * events and observations it reports, and the whole reading of a body.
 */

/** A dispatched MessageEvent, reduced to what §9.2.6 defines. */
export interface SseEvent {
  type: string;
  data: string;
  lastEventId: string;
}

export type Observation =
  /** A field name other than event/data/id/retry: often a data line whose `data:` prefix was lost. */
  | { kind: 'unknown-field'; line: number; field: string; value: string }
  /** `retry` whose value is not ASCII digits only (the field is ignored). */
  | { kind: 'invalid-retry'; line: number; value: string }
  /** `id` containing U+0000 (the field is ignored, the previous id stays). */
  | { kind: 'id-with-nul'; line: number; value: string }
  /** A line ended by a CR that is not followed by LF. Legal, but many parsers break on it. */
  | { kind: 'lone-cr'; line: number }
  /** U+FEFF at the start of a line other than the stream's first: the line's field becomes unknown. */
  | { kind: 'bom-after-start'; line: number }
  /** Bytes that are not UTF-8 and were replaced with U+FFFD. */
  | { kind: 'invalid-utf8'; line: number; replacements: number }
  /** At end of stream: a line or event without its terminating blank line was discarded. */
  | { kind: 'unterminated-event'; line: number; partialLine: string; pendingFields: number }
  /** A line longer than `maxLineLength` characters; the interpreter stopped reading. */
  | { kind: 'line-too-long'; line: number; limit: number };

export interface InterpreterOptions {
  /** Called for every dispatched event, in order (§9.2.6 "dispatch the event"). */
  onEvent?: (event: SseEvent) => void;
  /** Called when a valid `retry` field sets the reconnection time, as soon as its line ends. */
  onRetry?: (ms: number) => void;
  /** Called for every observation about the wire. */
  onObservation?: (observation: Observation) => void;
  /**
   * Called for every field line as "process the field" sees it (name, value), before its effect.
   * For tools that need the raw fields (a client harness listening for every `event` type on the
   * wire); when set, every field takes the general path below.
   */
  onField?: (name: string, value: string) => void;
  /**
   * The last event ID string carried over from a previous connection. The literal text starts
   * every stream at "", but WPT format-field-id(-2) and every engine keep it (spec/INTEROP.md#last-event-id-persists).
   */
  lastEventId?: string;
  /** Stop reading once a single line grows past this many UTF-16 code units. */
  maxLineLength?: number;
}

export interface Interpreter {
  /** Feeds the next bytes of the response body. */
  feed(chunk: Uint8Array): void;
  /** Signals end of stream: flushes the decoder and discards any unfinished event (§9.2.6 EOF). */
  end(): void;
  /** The EventSource's last event ID string, as committed by the latest dispatch. */
  readonly lastEventId: string;
  /** The reconnection time set by the latest valid `retry`, or null while unchanged. */
  readonly retry: number | null;
  /** True once `maxLineLength` was exceeded; further input is ignored. */
  readonly stopped: boolean;
}

/** Everything one complete response body says, for callers that hold all its chunks. */
export interface Interpretation {
  events: SseEvent[];
  /** Final reconnection time set by the stream, or null when no valid `retry` arrived. */
  retry: number | null;
  lastEventId: string;
  observations: Observation[];
}
