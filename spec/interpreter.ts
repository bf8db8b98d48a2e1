/**
 * The executable reading of WHATWG HTML §9.2.6 "Interpreting an event stream".
 *
 * Bytes go in, in any chunking; events, reconnection-time changes and observations come out
 * through callbacks, synchronously, as soon as the bytes that complete them arrive. This is the
 * one interpreter of the project: the reference server's tests, the suite's checks and the
 * benchmarks all read streams through it, so nothing else in the tree splits lines.
 *
 * Observations are facts about the wire that the spec silently tolerates but a server should not
 * produce (an unknown field is usually a lost `data` line). They are data, never exceptions: the
 * interpreter does not throw on any input.
 */
import { isAscii } from 'node:buffer';
import { HeldText } from './utf8.ts';
import { firstLineEnd, lastLineEnd, latin1 } from './line-ends.ts';
import type { Interpretation, Interpreter, InterpreterOptions, Observation, SseEvent } from './interpreter-api.ts';
import { BLANK, COMMENT, CR_AT_END, CR_FLAGS, DATA, EVENT, EVENT_LINES, ID, KIND, LINE_COUNT_SHIFT, LineScanner, LONE_CR } from './line-scan.ts';

export type { Interpretation, Interpreter, InterpreterOptions, Observation, SseEvent } from './interpreter-api.ts';

const LF = 0x0a;
const CR = 0x0d;
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
/** Held text moves on to `partial` in pieces of this size (see feedHeld). */
const RELEASE_AT = 64 * 1024;
/** Larger chunks are read in pieces of this size (any chunking reads the same). */
const MAX_PIECE = 1024 * 1024;

export function createInterpreter(options: InterpreterOptions = {}): Interpreter {
  const { onEvent, onRetry, onObservation, onField } = options;
  const maxLineLength = options.maxLineLength ?? Infinity;

  // §9.2.6: "the data buffer, the event type buffer, and the last event ID buffer".
  // `data` is null while the data buffer is empty; otherwise it holds the buffer minus its
  // trailing LF, which dispatch step 3 would remove anyway.
  let data: string | null = null;
  let eventType = '';
  let idBuffer = options.lastEventId ?? '';
  let lastEventId = idBuffer;
  let retry: number | null = null;

  let line = 0; // number of the line being read, 1-based
  let pendingFields = 0; // field lines read since the last blank line
  // The start of a line that spans chunks. Appending with + is linear even for a huge line fed
  // in tiny chunks: V8 builds a rope (ConsString) and copies it flat once, when the line is read.
  let partial = '';
  let crEndedChunk = false; // the previous text ended in CR: a leading LF completes that CRLF
  let started = false; // a code point has been decoded (so a U+FEFF is no longer "leading")
  let stopped = false;

  // §9.2.6: "decoded using the UTF-8 decode algorithm". The scanner (line-scan.ts) decodes whole
  // lines, the bytes of a line waiting in its memory until the line ends; the lines are applied by
  // applyLines. A line too long to wait as bytes, and every line when raw fields are wanted (or no
  // WebAssembly runs here), goes through `held` instead: one streaming decoder (utf8.ts), so a code
  // point split across chunks is decoded once; its text is applied by pushText.
  const held = new HeldText();
  const scanner = !onField && LineScanner.available ? new LineScanner() : undefined;
  let applying = false; // the scanner's lines are being applied (a listener may end the stream)
  let waiting: Uint8Array[] | null = null; // chunks fed by a listener meanwhile

  function observe(observation: Observation): void {
    onObservation?.(observation);
  }

  function dispatch(): void {
    // Dispatch step 1: the last event ID string is set even when no event results.
    lastEventId = idBuffer;
    pendingFields = 0;
    // Step 2: an empty data buffer resets the buffers and fires nothing.
    if (data === null) {
      eventType = '';
      return;
    }
    // Steps 3–7 (the trailing LF was never stored). An empty type buffer means "message".
    const event: SseEvent = { type: eventType === '' ? 'message' : eventType, data, lastEventId };
    data = null;
    eventType = '';
    onEvent?.(event);
  }

  /** Where a field's value starts: after the colon, skipping exactly one leading U+0020. */
  function valueFrom(s: string, afterColon: number, end: number): number {
    return afterColon < end && s.charCodeAt(afterColon) === SPACE ? afterColon + 1 : afterColon;
  }

  /** `data`: "append the field value to the data buffer, then append a single U+000A LF". */
  function appendData(s: string, valueStart: number, end: number): void {
    const value = s.slice(valueStart, end);
    data = data === null ? value : data + '\n' + value;
  }

  /** `id`: "if the field value does not contain U+0000 NULL, set the last event ID buffer";
   * otherwise the whole field is ignored. */
  function setId(value: string): void {
    if (value.includes('\0')) observe({ kind: 'id-with-nul', line, value });
    else idBuffer = value;
  }

  // §9.2.6 line processing, over s[start, end) so that common lines are never sliced whole.
  function processLine(s: string, start: number, end: number): void {
    line++;
    // "If the line is empty (a blank line): dispatch the event."
    if (start === end) return dispatch();
    const first = s.charCodeAt(start);
    // "If the line starts with a U+003A COLON character: ignore the line."
    if (first === COLON) return;
    if (onField) return processField(s, start, end);

    // Nearly every line of a real stream is `data:`, `id:` or `event:`. Those are recognised
    // first, by their code units and the colon right after the name, which also settles where
    // the name ends: none of the names contains a colon, so that colon is the line's first.
    // Comparing code units in place beats startsWith and slicing the name.
    if (first === D && start + 4 < end && s.charCodeAt(start + 4) === COLON &&
        s.charCodeAt(start + 1) === A && s.charCodeAt(start + 2) === T && s.charCodeAt(start + 3) === A) {
      pendingFields++;
      return appendData(s, valueFrom(s, start + 5, end), end);
    }
    if (first === I && start + 2 < end && s.charCodeAt(start + 2) === COLON && s.charCodeAt(start + 1) === D) {
      pendingFields++;
      return setId(s.slice(valueFrom(s, start + 3, end), end));
    }
    if (first === E && start + 5 < end && s.charCodeAt(start + 5) === COLON &&
        s.charCodeAt(start + 1) === V && s.charCodeAt(start + 2) === E && s.charCodeAt(start + 3) === N &&
        s.charCodeAt(start + 4) === T) {
      pendingFields++;
      eventType = s.slice(valueFrom(s, start + 6, end), end);
      return;
    }
    processField(s, start, end);
  }

  /** Any other non-blank, non-comment line: the spec's steps as written. */
  function processField(s: string, start: number, end: number): void {
    if (s.charCodeAt(start) === BOM) observe({ kind: 'bom-after-start', line });
    // "If the line contains a U+003A COLON": the name is up to the first colon, and exactly one
    // leading U+0020 is removed from the value. Otherwise the whole line is the name.
    let colon = start;
    while (colon < end && s.charCodeAt(colon) !== COLON) colon++;
    const valueStart = colon < end ? valueFrom(s, colon + 1, end) : end;
    const nameLength = colon - start;
    pendingFields++;
    onField?.(s.slice(start, colon), s.slice(valueStart, end));

    // "Process the field": names are compared literally (no case folding).
    if (nameLength === 4 && s.startsWith('data', start)) {
      appendData(s, valueStart, end);
    } else if (nameLength === 2 && s.startsWith('id', start)) {
      setId(s.slice(valueStart, end));
    } else if (nameLength === 5 && s.startsWith('event', start)) {
      eventType = s.slice(valueStart, end);
    } else if (nameLength === 5 && s.startsWith('retry', start)) {
      const value = s.slice(valueStart, end);
      // "If the field value consists of only ASCII digits": set the reconnection time at once.
      // An empty value has no integer to read, so it is ignored (spec/INTEROP.md#retry).
      if (DIGITS.test(value)) {
        retry = Number(value);
        onRetry?.(retry);
      } else {
        observe({ kind: 'invalid-retry', line, value });
      }
    } else {
      // "Otherwise: the field is ignored."
      observe({ kind: 'unknown-field', line, field: s.slice(start, colon), value: s.slice(valueStart, end) });
    }
  }

  function endLine(s: string, start: number, end: number): void {
    if (partial === '') return processLine(s, start, end);
    const whole = partial + s.slice(start, end);
    partial = '';
    processLine(whole, 0, whole.length);
  }

  /** Keeps s[start, length) — the start of a line that ends in a later chunk. */
  function keepPartial(s: string, start: number): void {
    if (partial.length + s.length - start > maxLineLength) {
      stopped = true;
      partial = '';
      observe({ kind: 'line-too-long', line: line + 1, limit: maxLineLength });
      return;
    }
    partial += start === 0 ? s : s.slice(start);
  }

  // §9.2.6: lines end with CRLF, with an LF not preceded by CR, or with a CR not followed by LF.
  function pushText(s: string): void {
    let pos = 0;
    if (crEndedChunk && s.length > 0) {
      crEndedChunk = false;
      // A CR at the end of the previous chunk already ended its line; an LF here is the second
      // half of that CRLF and must not make an empty line.
      if (s.charCodeAt(0) === LF) pos = 1;
      else observe({ kind: 'lone-cr', line });
    }
    pushLines(s, pos, s.indexOf('\r', pos));
  }

  /** Stores the buffers that applyLines keeps in locals (a closure would put those on the heap). */
  function store(lines: number, buffer: string | null, type: string, id: string, fields: number): void {
    line = lines;
    data = buffer;
    eventType = type;
    idBuffer = id;
    pendingFields = fields;
  }

  /** The lines of s from pos on, any line ends; nextCR is the first CR at or after pos. */
  function pushLines(s: string, pos: number, nextCR: number): void {
    const length = s.length;
    let nextLF = s.indexOf('\n', pos);
    while (pos < length) {
      if (nextLF !== -1 && nextLF < pos) nextLF = s.indexOf('\n', pos);
      if (nextCR !== -1 && nextCR < pos) nextCR = s.indexOf('\r', pos);
      if (nextCR !== -1 && (nextLF === -1 || nextCR < nextLF)) {
        endLine(s, pos, nextCR);
        pos = nextCR + 1;
        if (pos === length) {
          // The line is complete now (no waiting for the next byte), but an LF may follow.
          crEndedChunk = true;
        } else if (s.charCodeAt(pos) === LF) {
          pos++;
        } else {
          observe({ kind: 'lone-cr', line });
        }
      } else if (nextLF !== -1) {
        endLine(s, pos, nextLF);
        pos = nextLF + 1;
      } else {
        return keepPartial(s, pos);
      }
      if (stopped) return;
    }
  }

  /**
   * A chunk read through the scanner (line-scan.ts): its bytes wait in the scanner's memory until
   * a line end arrives, then every whole line held is decoded and classified there at once and
   * applied here (applyLines). A line too long to wait as bytes (past maxLineLength bytes, which
   * the length in code units may be) moves to `held`, which counts its code units as they arrive,
   * and is ended there.
   */
  function feedScanned(chunk: Uint8Array): void {
    const length = chunk.length;
    let from = 0;
    if (held.length > 0 || held.pending || partial !== '') {
      // A long line waits in `held` and `partial`: it ends at the chunk's first line end.
      const first = firstLineEnd(chunk);
      if (first === -1) return feedHeld(chunk, 0, length);
      feedHeld(chunk, 0, first + 1);
      if (stopped || first + 1 === length) return;
      from = first + 1;
    }
    const sc = scanner!;
    const before = sc.length;
    sc.append(chunk, from, length);
    if (crEndedChunk && before === 0) {
      // A CR that ended the previous text already ended its line; an LF here completes the CRLF.
      crEndedChunk = false;
      if (sc.bytes[0] === LF) sc.drop(1);
      else observe({ kind: 'lone-cr', line });
    }
    const last = lastLineEnd(chunk, from);
    if (last === -1) {
      if (sc.length > maxLineLength) {
        // Too long to wait as bytes: on to `held`, which knows its length in code units.
        const bytes = sc.bytes.subarray(0, sc.length);
        sc.length = 0;
        feedHeld(bytes, 0, bytes.length);
      }
      return;
    }
    // Whole lines end after the chunk's last line end.
    const end = sc.length - (length - last - 1);
    let start = 0;
    if (!started) {
      started = true;
      // UTF-8 decode removes exactly one leading BOM per stream (as in pushDecoded).
      if (end >= 3 && sc.bytes[0] === 0xef && sc.bytes[1] === 0xbb && sc.bytes[2] === 0xbf) start = 3;
    }
    sc.at = start;
    applying = true;
    try {
      do {
        const text = sc.scan(end);
        if (sc.replaced > 0) observe({ kind: 'invalid-utf8', line: line + 1, replacements: sc.replaced });
        applyLines(text, sc.records, sc.first, sc.count);
      } while (!stopped && sc.count > 0 && sc.at < end);
    } finally {
      applying = false;
    }
    if (stopped) return;
    sc.drop(end);
    if (crEndedChunk && sc.length > 0) {
      // The CR is the chunk's last line end and bytes other than LF follow it.
      crEndedChunk = false;
      observe({ kind: 'lone-cr', line });
    }
  }

  /** What follows a line whose record carries CR flags: a lone CR is observed once the line is read. */
  function afterCR(flags: number): void {
    if (flags & LONE_CR) observe({ kind: 'lone-cr', line });
    else if (flags & CR_AT_END) crEndedChunk = true;
  }

  /** Applies scanned lines of the text s: `count` records from records[first] (see line-scan.ts). */
  function applyLines(s: string, records: Int32Array, first: number, count: number): void {
    let r = first;
    const last = first + 4 * count;
    let lines = line;
    let buffer = data;
    let type = eventType;
    let id = idBuffer;
    let fields = pendingFields;
    for (; r < last; r += 4) {
      const flags = records[r]!;
      const kind = flags & KIND;
      const end = records[r + 3]!;
      if (kind === EVENT_LINES) {
        // A simple event's fields (records of eight); its blank line dispatches below.
        lines += (flags >>> LINE_COUNT_SHIFT) - 1;
        const dataAt = records[r + 1]!;
        if (dataAt !== -1) {
          const value = s.slice(dataAt, records[r + 2]!);
          buffer = buffer === null ? value : buffer + '\n' + value;
        }
        if (end !== -1) type = s.slice(end, records[r + 4]!);
        const idAt = records[r + 5]!;
        if (idAt !== -1) id = s.slice(idAt, records[r + 6]!);
        r += 4;
      }
      if (kind === DATA) {
        lines++;
        fields++;
        const value = s.slice(records[r + 2]!, end);
        buffer = buffer === null ? value : buffer + '\n' + value;
      } else if (kind === BLANK || kind === EVENT_LINES) {
        // A blank line: dispatch (steps as in dispatch()).
        lines++;
        lastEventId = id;
        fields = 0;
        if (buffer !== null) {
          const event: SseEvent = { type: type === '' ? 'message' : type, data: buffer, lastEventId: id };
          buffer = null;
          type = '';
          if (onEvent !== undefined) {
            store(lines, buffer, type, id, fields);
            onEvent(event);
            if (stopped) return;
          }
        } else {
          type = '';
        }
      } else if (kind === EVENT) {
        lines++;
        fields++;
        type = s.slice(records[r + 2]!, end);
      } else if (kind === COMMENT) {
        lines++;
      } else if (kind === ID) {
        lines++;
        fields++;
        id = s.slice(records[r + 2]!, end);
      } else {
        store(lines, buffer, type, id, fields);
        processLine(s, records[r + 1]!, end);
        if (stopped) return;
        lines = line;
        buffer = data;
        type = eventType;
        id = idBuffer;
        fields = pendingFields;
      }
      if ((flags & CR_FLAGS) !== 0) {
        store(lines, buffer, type, id, fields);
        afterCR(flags);
      }
    }
    store(lines, buffer, type, id, fields);
  }

  function pushDecoded(text: string): void {
    if (text.length === 0) return;
    if (!started) {
      started = true;
      // UTF-8 decode removes exactly one leading BOM per stream (§9.2.6, Encoding "UTF-8 decode").
      if (text.charCodeAt(0) === BOM) text = text.slice(1);
    }
    pushText(text);
  }

  /** Hands on the held text up to `end` (its last line end, or all of it). */
  function release(end: number): void {
    const text = held.take(end);
    if (held.taken > 0) observe({ kind: 'invalid-utf8', line: line + 1, replacements: held.taken });
    pushDecoded(text);
  }

  /** Decodes chunk[start, end) into `held`, handing it on up to the last line end. */
  function feedHeld(chunk: Uint8Array, start: number, end: number): void {
    held.decode(chunk, start, end);
    if (held.lineEnd > 0) release(held.lineEnd);
    // Held code units are checked against the line length limit as they arrive; and a huge line
    // moves on to `partial` in large pieces, keeping the buffer small.
    if (!stopped && (held.length >= RELEASE_AT || partial.length + held.length > maxLineLength)) release(held.length);
  }

  function feed(chunk: Uint8Array): void {
    if (stopped || chunk.length === 0) return;
    if (chunk.length > MAX_PIECE) {
      for (let at = 0; at < chunk.length && !stopped; at += MAX_PIECE) feed(chunk.subarray(at, at + MAX_PIECE));
      return;
    }
    if (scanner !== undefined) {
      // Fed from a listener while the scanner's lines are applied: the bytes come after the
      // chunk being read, so they wait (copied: the caller may reuse its buffer) until it is read.
      if (applying) return void (waiting ??= []).push(chunk.slice());
      feedScanned(chunk);
      while (waiting !== null && !stopped) {
        const chunks = waiting;
        waiting = null;
        for (const next of chunks) feedScanned(next);
      }
      return;
    }
    // Without the scanner (raw fields wanted, or no WebAssembly here): an ASCII chunk is its own
    // decoding; anything else is decoded in `held`, whose text moves on at line ends.
    if (held.length === 0 && !held.pending && isAscii(chunk)) pushDecoded(latin1(chunk, 0, chunk.length));
    else feedHeld(chunk, 0, chunk.length);
  }

  return {
    feed,
    end(): void {
      if (stopped) return;
      if (scanner !== undefined && scanner.length > 0) {
        // An unfinished line's bytes, decoded as `held` decodes them. (Ended by a listener while
        // lines are applied, the lines after its event are dropped as a held string would be.)
        if (!applying) feedHeld(scanner.bytes, 0, scanner.length);
        scanner.length = 0;
        if (stopped) return;
      }
      // A truncated code point at the very end becomes U+FFFD.
      held.flush();
      if (held.length > 0) release(held.length);
      if (stopped) return;
      // A CR as the final byte was already a complete line end: nothing more to do for it.
      if (crEndedChunk) observe({ kind: 'lone-cr', line });
      crEndedChunk = false;
      // "Once the end of the file is reached, any pending data must be discarded."
      if (partial.length > 0 || pendingFields > 0) {
        observe({ kind: 'unterminated-event', line: line + 1, partialLine: partial, pendingFields });
      }
      partial = '';
      data = null;
      eventType = '';
      pendingFields = 0;
      stopped = true;
      scanner?.release();
    },
    get lastEventId() {
      return lastEventId;
    },
    get retry() {
      return retry;
    },
    get stopped() {
      return stopped;
    },
  };
}

export function interpret(
  chunks: Iterable<Uint8Array>,
  options: Omit<InterpreterOptions, 'onEvent' | 'onRetry' | 'onObservation'> = {},
): Interpretation {
  const events: SseEvent[] = [];
  const observations: Observation[] = [];
  const interpreter = createInterpreter({
    ...options,
    onEvent: (event) => events.push(event),
    onObservation: (observation) => observations.push(observation),
  });
  for (const chunk of chunks) interpreter.feed(chunk);
  interpreter.end();
  return { events, retry: interpreter.retry, lastEventId: interpreter.lastEventId, observations };
}
