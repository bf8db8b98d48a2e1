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
import { applyLines } from './apply-lines.ts';
import { EventStream } from './field-steps.ts';
import { firstLineEnd, lastLineEnd, latin1 } from './line-ends.ts';
import { LineScanner } from './line-scan.ts';
import { pushText } from './text-lines.ts';
import { HeldText } from './utf8.ts';
import type { Interpretation, Interpreter, InterpreterOptions, Observation, SseEvent } from './interpreter-api.ts';

export type { Interpretation, Interpreter, InterpreterOptions, Observation, SseEvent } from './interpreter-api.ts';

const LF = 0x0a;
const BOM = 0xfeff;
/** Held text moves on to `partial` in pieces of this size (see feedHeld). */
const RELEASE_AT = 64 * 1024;
/** Larger chunks are read in pieces of this size (any chunking reads the same). */
const MAX_PIECE = 1024 * 1024;

export function createInterpreter(options: InterpreterOptions = {}): Interpreter {
  // The buffers and the field steps (field-steps.ts), shared by both ways of finding lines.
  const st = new EventStream(options);

  // §9.2.6: "decoded using the UTF-8 decode algorithm". The scanner (line-scan.ts) decodes whole
  // lines, the bytes of a line waiting in its memory until the line ends; the lines are applied by
  // applyLines (apply-lines.ts). A line too long to wait as bytes, and every line when raw fields
  // are wanted (or no WebAssembly runs here), goes through `held` instead: one streaming decoder
  // (utf8.ts), so a code point split across chunks is decoded once; its text is split into lines
  // by pushText (text-lines.ts).
  const held = new HeldText();
  const scanner = !options.onField && LineScanner.available ? new LineScanner() : undefined;
  let applying = false; // the scanner's lines are being applied (a listener may end the stream)
  let waiting: Uint8Array[] | null = null; // chunks fed by a listener meanwhile

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
    if (held.length > 0 || held.pending || st.partial !== '') {
      // A long line waits in `held` and `partial`: it ends at the chunk's first line end.
      const first = firstLineEnd(chunk);
      if (first === -1) return feedHeld(chunk, 0, length);
      feedHeld(chunk, 0, first + 1);
      if (st.stopped || first + 1 === length) return;
      from = first + 1;
    }
    const sc = scanner!;
    const before = sc.length;
    sc.append(chunk, from, length);
    if (st.crEndedChunk && before === 0) {
      // A CR that ended the previous text already ended its line; an LF here completes the CRLF.
      st.crEndedChunk = false;
      if (sc.bytes[0] === LF) sc.drop(1);
      else st.observe({ kind: 'lone-cr', line: st.line });
    }
    const last = lastLineEnd(chunk, from);
    if (last === -1) {
      if (sc.length > st.maxLineLength) {
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
    if (!st.started) {
      st.started = true;
      // UTF-8 decode removes exactly one leading BOM per stream (as in pushDecoded).
      if (end >= 3 && sc.bytes[0] === 0xef && sc.bytes[1] === 0xbb && sc.bytes[2] === 0xbf) start = 3;
    }
    sc.at = start;
    applying = true;
    try {
      do {
        const text = sc.scan(end);
        if (sc.replaced > 0) st.observe({ kind: 'invalid-utf8', line: st.line + 1, replacements: sc.replaced });
        applyLines(st, text, sc.records, sc.first, sc.count);
      } while (!st.stopped && sc.count > 0 && sc.at < end);
    } finally {
      applying = false;
    }
    if (st.stopped) return;
    sc.drop(end);
    if (st.crEndedChunk && sc.length > 0) {
      // The CR is the chunk's last line end and bytes other than LF follow it.
      st.crEndedChunk = false;
      st.observe({ kind: 'lone-cr', line: st.line });
    }
  }

  function pushDecoded(text: string): void {
    if (text.length === 0) return;
    if (!st.started) {
      st.started = true;
      // UTF-8 decode removes exactly one leading BOM per stream (§9.2.6, Encoding "UTF-8 decode").
      if (text.charCodeAt(0) === BOM) text = text.slice(1);
    }
    pushText(st, text);
  }

  /** Hands on the held text up to `end` (its last line end, or all of it). */
  function release(end: number): void {
    const text = held.take(end);
    if (held.taken > 0) st.observe({ kind: 'invalid-utf8', line: st.line + 1, replacements: held.taken });
    pushDecoded(text);
  }

  /** Decodes chunk[start, end) into `held`, handing it on up to the last line end. */
  function feedHeld(chunk: Uint8Array, start: number, end: number): void {
    held.decode(chunk, start, end);
    if (held.lineEnd > 0) release(held.lineEnd);
    // Held code units are checked against the line length limit as they arrive; and a huge line
    // moves on to `partial` in large pieces, keeping the buffer small.
    if (!st.stopped && (held.length >= RELEASE_AT || st.partial.length + held.length > st.maxLineLength)) release(held.length);
  }

  function feed(chunk: Uint8Array): void {
    if (st.stopped || chunk.length === 0) return;
    if (chunk.length > MAX_PIECE) {
      for (let at = 0; at < chunk.length && !st.stopped; at += MAX_PIECE) feed(chunk.subarray(at, at + MAX_PIECE));
      return;
    }
    if (scanner !== undefined) {
      // Fed from a listener while the scanner's lines are applied: the bytes come after the
      // chunk being read, so they wait (copied: the caller may reuse its buffer) until it is read.
      if (applying) return void (waiting ??= []).push(chunk.slice());
      feedScanned(chunk);
      while (waiting !== null && !st.stopped) {
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
      if (st.stopped) return;
      if (scanner !== undefined && scanner.length > 0) {
        // An unfinished line's bytes, decoded as `held` decodes them. (Ended by a listener while
        // lines are applied, the lines after its event are dropped as a held string would be.)
        if (!applying) feedHeld(scanner.bytes, 0, scanner.length);
        scanner.length = 0;
        if (st.stopped) return;
      }
      // A truncated code point at the very end becomes U+FFFD.
      held.flush();
      if (held.length > 0) release(held.length);
      if (st.stopped) return;
      // A CR as the final byte was already a complete line end: nothing more to do for it.
      if (st.crEndedChunk) st.observe({ kind: 'lone-cr', line: st.line });
      st.crEndedChunk = false;
      // "Once the end of the file is reached, any pending data must be discarded."
      if (st.partial.length > 0 || st.pendingFields > 0) {
        st.observe({ kind: 'unterminated-event', line: st.line + 1, partialLine: st.partial, pendingFields: st.pendingFields });
      }
      st.partial = '';
      st.data = null;
      st.eventType = '';
      st.pendingFields = 0;
      st.stopped = true;
      scanner?.release();
    },
    get lastEventId() {
      return st.lastEventId;
    },
    get retry() {
      return st.retry;
    },
    get stopped() {
      return st.stopped;
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
