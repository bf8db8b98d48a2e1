/**
 * The UTF-8 side of §9.2.6 ("the stream must then be decoded using the UTF-8 decode algorithm"),
 * for spec/interpreter.ts: one streaming decoder, and a buffer for bytes that wait for their line
 * end before they are decoded.
 *
 * Why bytes wait: a line end (LF or CR) is an ASCII byte, and before any byte that is not a
 * continuation byte (80–BF) the UTF-8 decoder of the Encoding Standard is back in its initial
 * state (a pending sequence is an error there, and the byte is processed afresh). So decoding a
 * stream in pieces that end at line ends gives exactly what decoding it whole gives, and the bytes
 * of an unfinished line can be kept undecoded until its end arrives: a small chunk inside a line
 * then costs a copy instead of a call into the decoder. The pieces still go through one streaming
 * TextDecoder in order, so nothing depends on where the pieces end (a code point split across
 * chunks is decoded once, U+FFFD lands exactly where TextDecoder puts it).
 */

import { Buffer } from 'node:buffer';

const REPLACEMENT = '\uFFFD';
const NO_BYTES = new Uint8Array(0);

/** A streaming UTF-8 decoder that also counts the U+FFFD it had to insert. */
export interface Utf8Stream {
  /** Decodes bytes[start, end), continuing every earlier call. */
  decode(bytes: Uint8Array, start: number, end: number): string;
  /** End of stream: a sequence still incomplete becomes U+FFFD. */
  flush(): string;
  /** ASCII bytes went past the decoder (they decode to themselves): no EF BF BD spans them. */
  skipAscii(): void;
  /** Whether the decoder may be holding the start of a code point. */
  readonly holdsBytes: boolean;
  /** Invalid byte sequences replaced with U+FFFD by the latest call. */
  readonly invalid: number;
}

export function createUtf8Stream(): Utf8Stream {
  // ignoreBOM: the stream's leading BOM is removed by the interpreter, which also sees text that
  // never passes through here. (Always used with stream: true, so Node keeps one ICU converter.)
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let holdsBytes = false;
  let invalid = 0;
  // The last two bytes decoded, so that an EF BF BD split across calls is still recognised.
  let before2 = 0;
  let before1 = 0;

  /** U+FFFD in the text that the bytes did not carry as EF BF BD, i.e. inserted for invalid bytes. */
  function countInvalid(text: string, bytes: Uint8Array, start: number, end: number): number {
    let inserted = 0;
    for (let i = text.indexOf(REPLACEMENT); i !== -1; i = text.indexOf(REPLACEMENT, i + 1)) inserted++;
    let b2 = before2;
    let b1 = before1;
    for (let i = start; i < end; i++) {
      const b = bytes[i]!;
      if (b === 0xbd && b1 === 0xbf && b2 === 0xef) inserted--;
      b2 = b1;
      b1 = b;
    }
    return inserted;
  }

  function remember(bytes: Uint8Array, start: number, end: number): void {
    if (end - start >= 2) {
      before2 = bytes[end - 2]!;
      before1 = bytes[end - 1]!;
    } else if (end > start) {
      before2 = before1;
      before1 = bytes[start]!;
    }
  }

  return {
    decode(bytes, start, end) {
      const view = start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end);
      const text = decoder.decode(view, { stream: true });
      invalid = text.includes(REPLACEMENT) ? countInvalid(text, bytes, start, end) : 0;
      remember(bytes, start, end);
      holdsBytes = end > start ? bytes[end - 1]! >= 0x80 : holdsBytes;
      return text;
    },
    flush() {
      // Every U+FFFD here stands for a sequence the stream cut short.
      const text = decoder.decode();
      invalid = text.includes(REPLACEMENT) ? countInvalid(text, NO_BYTES, 0, 0) : 0;
      holdsBytes = false;
      return text;
    },
    skipAscii() {
      before2 = 0;
      before1 = 0;
    },
    get holdsBytes() {
      return holdsBytes;
    },
    get invalid() {
      return invalid;
    },
  };
}

/** A growable byte buffer: the undecoded bytes of the line being read. */
export class ByteHold {
  bytes: Uint8Array = Buffer.alloc(256);
  length = 0;
  /** No held byte is above 0x7F (or some may be: this is only ever cleared by the caller). */
  ascii = true;

  /** Appends chunk[start, end). Grows by doubling, so a huge line costs linear time. */
  append(chunk: Uint8Array, start: number, end: number): void {
    const length = this.length + end - start;
    if (length > this.bytes.length) {
      const grown = Buffer.alloc(Math.max(length, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    const bytes = this.bytes;
    // A loop beats creating a subarray for the few bytes of a small chunk.
    if (end - start < 64) for (let i = start, j = this.length; i < end; i++, j++) bytes[j] = chunk[i]!;
    else bytes.set(chunk.subarray(start, end), this.length);
    this.length = length;
  }
}
