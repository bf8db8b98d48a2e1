/**
 * The state of one event stream as WHATWG HTML §9.2.6 keeps it, and its steps once a line is
 * known: "process the field", dispatch, and the observations made on the way. The interpreter
 * (spec/interpreter.ts) finds the lines — whole lines scanned in WebAssembly (apply-lines.ts), or
 * decoded text (text-lines.ts) — and both hand them to this one owner of the buffers.
 */
import type { InterpreterOptions, Observation, SseEvent } from './interpreter-api.ts';

const COLON = 0x3a;
const SPACE = 0x20;
const BOM = 0xfeff;
// The letters of the field names, for comparing code units in place.
const A = 0x61;
const D = 0x64;
const E = 0x65;
const I = 0x69;
const N = 0x6e;
const T = 0x74;
const V = 0x76;
const DIGITS = /^[0-9]+$/;

/** Where a field's value starts: after the colon, skipping exactly one leading U+0020. */
function valueFrom(s: string, afterColon: number, end: number): number {
  return afterColon < end && s.charCodeAt(afterColon) === SPACE ? afterColon + 1 : afterColon;
}

export class EventStream {
  // §9.2.6: "the data buffer, the event type buffer, and the last event ID buffer".
  // `data` is null while the data buffer is empty; otherwise it holds the buffer minus its
  // trailing LF, which dispatch step 3 would remove anyway.
  data: string | null = null;
  eventType = '';
  idBuffer: string;
  lastEventId: string;
  retry: number | null = null;

  /** Number of the line being read, 1-based. */
  line = 0;
  /** Field lines read since the last blank line. */
  pendingFields = 0;
  /**
   * The start of a line that spans chunks. Appending with + is linear even for a huge line fed in
   * tiny chunks: V8 builds a rope (ConsString) and copies it flat once, when the line is read.
   */
  partial = '';
  /** The previous text ended in CR: a leading LF completes that CRLF. */
  crEndedChunk = false;
  /** A code point has been decoded (so a U+FEFF is no longer "leading"). */
  started = false;
  stopped = false;

  readonly onEvent: InterpreterOptions['onEvent'];
  readonly maxLineLength: number;
  private readonly onRetry: InterpreterOptions['onRetry'];
  private readonly onObservation: InterpreterOptions['onObservation'];
  readonly onField: InterpreterOptions['onField'];

  constructor(options: InterpreterOptions) {
    this.onEvent = options.onEvent;
    this.onRetry = options.onRetry;
    this.onObservation = options.onObservation;
    this.onField = options.onField;
    this.maxLineLength = options.maxLineLength ?? Infinity;
    this.idBuffer = options.lastEventId ?? '';
    this.lastEventId = this.idBuffer;
  }

  observe(observation: Observation): void {
    this.onObservation?.(observation);
  }

  dispatch(): void {
    // Dispatch step 1: the last event ID string is set even when no event results.
    this.lastEventId = this.idBuffer;
    this.pendingFields = 0;
    // Step 2: an empty data buffer resets the buffers and fires nothing.
    const data = this.data;
    if (data === null) {
      this.eventType = '';
      return;
    }
    // Steps 3–7 (the trailing LF was never stored). An empty type buffer means "message".
    const event: SseEvent = { type: this.eventType === '' ? 'message' : this.eventType, data, lastEventId: this.lastEventId };
    this.data = null;
    this.eventType = '';
    this.onEvent?.(event);
  }

  /** `data`: "append the field value to the data buffer, then append a single U+000A LF". */
  private appendData(s: string, valueStart: number, end: number): void {
    const value = s.slice(valueStart, end);
    this.data = this.data === null ? value : this.data + '\n' + value;
  }

  /** `id`: "if the field value does not contain U+0000 NULL, set the last event ID buffer";
   * otherwise the whole field is ignored. */
  private setId(value: string): void {
    if (value.includes('\0')) this.observe({ kind: 'id-with-nul', line: this.line, value });
    else this.idBuffer = value;
  }

  // §9.2.6 line processing, over s[start, end) so that common lines are never sliced whole.
  processLine(s: string, start: number, end: number): void {
    this.line++;
    // "If the line is empty (a blank line): dispatch the event."
    if (start === end) return this.dispatch();
    const first = s.charCodeAt(start);
    // "If the line starts with a U+003A COLON character: ignore the line."
    if (first === COLON) return;
    if (this.onField) return this.processField(s, start, end);

    // Nearly every line of a real stream is `data:`, `id:` or `event:`. Those are recognised
    // first, by their code units and the colon right after the name, which also settles where
    // the name ends: none of the names contains a colon, so that colon is the line's first.
    // Comparing code units in place beats startsWith and slicing the name.
    if (first === D && start + 4 < end && s.charCodeAt(start + 4) === COLON &&
        s.charCodeAt(start + 1) === A && s.charCodeAt(start + 2) === T && s.charCodeAt(start + 3) === A) {
      this.pendingFields++;
      return this.appendData(s, valueFrom(s, start + 5, end), end);
    }
    if (first === I && start + 2 < end && s.charCodeAt(start + 2) === COLON && s.charCodeAt(start + 1) === D) {
      this.pendingFields++;
      return this.setId(s.slice(valueFrom(s, start + 3, end), end));
    }
    if (first === E && start + 5 < end && s.charCodeAt(start + 5) === COLON &&
        s.charCodeAt(start + 1) === V && s.charCodeAt(start + 2) === E && s.charCodeAt(start + 3) === N &&
        s.charCodeAt(start + 4) === T) {
      this.pendingFields++;
      this.eventType = s.slice(valueFrom(s, start + 6, end), end);
      return;
    }
    this.processField(s, start, end);
  }

  /** Any other non-blank, non-comment line: the spec's steps as written. */
  private processField(s: string, start: number, end: number): void {
    if (s.charCodeAt(start) === BOM) this.observe({ kind: 'bom-after-start', line: this.line });
    // "If the line contains a U+003A COLON": the name is up to the first colon, and exactly one
    // leading U+0020 is removed from the value. Otherwise the whole line is the name.
    let colon = start;
    while (colon < end && s.charCodeAt(colon) !== COLON) colon++;
    const valueStart = colon < end ? valueFrom(s, colon + 1, end) : end;
    const nameLength = colon - start;
    this.pendingFields++;
    this.onField?.(s.slice(start, colon), s.slice(valueStart, end));

    // "Process the field": names are compared literally (no case folding).
    if (nameLength === 4 && s.startsWith('data', start)) {
      this.appendData(s, valueStart, end);
    } else if (nameLength === 2 && s.startsWith('id', start)) {
      this.setId(s.slice(valueStart, end));
    } else if (nameLength === 5 && s.startsWith('event', start)) {
      this.eventType = s.slice(valueStart, end);
    } else if (nameLength === 5 && s.startsWith('retry', start)) {
      const value = s.slice(valueStart, end);
      // "If the field value consists of only ASCII digits": set the reconnection time at once.
      // An empty value has no integer to read, so it is ignored (spec/INTEROP.md#retry).
      if (DIGITS.test(value)) {
        this.retry = Number(value);
        this.onRetry?.(this.retry);
      } else {
        this.observe({ kind: 'invalid-retry', line: this.line, value });
      }
    } else {
      // "Otherwise: the field is ignored."
      this.observe({ kind: 'unknown-field', line: this.line, field: s.slice(start, colon), value: s.slice(valueStart, end) });
    }
  }
}
