/**
 * The UTF-8 side of §9.2.6 ("the stream must then be decoded using the UTF-8 decode algorithm"),
 * for spec/interpreter.ts: the Encoding Standard's UTF-8 decoder, streaming, written out in JS,
 * decoding into a buffer of UTF-16 code units that holds the text of the unfinished line.
 *
 * It decodes what the scanner (line-scan.ts) does not: a line too long to wait as bytes, and every
 * line when raw fields are wanted or no WebAssembly runs. Decoded here, a chunk inside a line costs
 * a loop over its bytes and no native call; a string is made only for text that a line end
 * completes (or a long line's pieces), one call over the code units.
 *
 * Exactness: the decoder is the Encoding Standard's (https://encoding.spec.whatwg.org/#utf-8-decoder,
 * with its lower and upper boundaries), so U+FFFD lands exactly where TextDecoder puts it; its state
 * survives between calls, so a code point split across chunks is decoded once; each U+FFFD it
 * inserts is counted.
 */

import { Buffer } from 'node:buffer';
import { LITTLE_ENDIAN, type Slicing } from './line-ends.ts';

const LF = 0x0a;
const CR = 0x0d;
const REPLACEMENT = 0xfffd;

/** The code units units[0, end) as a string. */
function unitsToString(units: Uint16Array, view: Buffer, end: number): string {
  if (LITTLE_ENDIAN) return (view as unknown as Slicing).ucs2Slice(0, end * 2);
  let text = '';
  for (let at = 0; at < end; at += 4096) text += String.fromCharCode(...units.subarray(at, Math.min(end, at + 4096)));
  return text;
}

/** Where decodeValid stopped, and the end of the last line end it wrote (-1: none): its other results. */
let stoppedAt = 0;
let lineEndAt = -1;

/**
 * The fast part of the decoder, in its initial state: ASCII, and whole valid sequences, each
 * accepting exactly the continuation bytes that the decoder's boundaries accept (see
 * HeldText#step), with the same result. Writes units from o on and returns the new end; stops at
 * the first byte it cannot take whole, or at end, and leaves that position in stoppedAt.
 */
function decodeValid(bytes: Uint8Array, i: number, end: number, units: Uint16Array, o: number): number {
  let lineEnd = -1;
  while (i < end) {
    const b = bytes[i]!;
    if (b < 0x80) {
      units[o++] = b;
      i++;
      if (b <= CR && (b === LF || b === CR)) lineEnd = o;
      continue;
    }
    if (b < 0xe0) {
      if (b >= 0xc2 && i + 1 < end) {
        const c1 = bytes[i + 1]! ^ 0x80;
        if (c1 < 0x40) {
          units[o++] = ((b & 0x1f) << 6) | c1;
          i += 2;
          continue;
        }
      }
    } else if (b < 0xf0) {
      if (i + 2 < end) {
        const c1 = bytes[i + 1]! ^ 0x80;
        const c2 = bytes[i + 2]! ^ 0x80;
        const cp = ((b & 0x0f) << 12) | (c1 << 6) | c2;
        // At least U+0800 (E0 needs A0–BF) and not a surrogate (ED needs 80–9F).
        if ((c1 | c2) < 0x40 && cp >= 0x800 && (cp & 0xf800) !== 0xd800) {
          units[o++] = cp;
          i += 3;
          continue;
        }
      }
    } else if (b < 0xf5 && i + 3 < end) {
      const c1 = bytes[i + 1]! ^ 0x80;
      const c2 = bytes[i + 2]! ^ 0x80;
      const c3 = bytes[i + 3]! ^ 0x80;
      const cp = ((b & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
      // At least U+10000 (F0 needs 90–BF), at most U+10FFFF (F4 needs 80–8F).
      if ((c1 | c2 | c3) < 0x40 && cp >= 0x10000 && cp <= 0x10ffff) {
        units[o++] = 0xd7c0 + (cp >> 10);
        units[o++] = 0xdc00 | (cp & 0x3ff);
        i += 4;
        continue;
      }
    }
    break;
  }
  stoppedAt = i;
  lineEndAt = lineEnd;
  return o;
}

/**
 * Decoded text not yet handed on: the code units after the last line end taken, and the state of
 * the UTF-8 decoder (a code point whose bytes have not all arrived).
 */
export class HeldText {
  units = new Uint16Array(256);
  private view = Buffer.from(this.units.buffer);
  /** Code units held. */
  length = 0;
  /** Code units up to and including the last line end (LF or CR) held; 0 when none. */
  lineEnd = 0;
  /** Where among the units held the decoder inserted U+FFFD for invalid bytes (rare). */
  private invalid: number[] = [];
  /** U+FFFD inserted among the units of the latest take(). */
  taken = 0;
  // The decoder's state (Encoding Standard, "UTF-8 decoder"): UTF-8 bytes needed, bytes seen,
  // code point, lower and upper boundary.
  private needed = 0;
  private seen = 0;
  private codePoint = 0;
  private lower = 0x80;
  private upper = 0xbf;

  /** Whether the decoder holds the start of a code point. */
  get pending(): boolean {
    return this.needed !== 0;
  }

  /** Decodes bytes[start, end) after all earlier bytes, appending their code units. */
  decode(bytes: Uint8Array, start: number, end: number): void {
    // Each byte makes at most one code unit, except that a 4-byte sequence makes two and an
    // unfinished sequence cut short makes one more U+FFFD: at most 3 units beyond the bytes.
    if (this.length + end - start + 3 > this.units.length) this.grow(this.length + end - start + 3);
    const units = this.units;
    let i = this.needed === 0 ? start : this.step(bytes, start, end);
    let o = this.length;
    for (;;) {
      o = decodeValid(bytes, i, end, units, o);
      i = stoppedAt;
      if (lineEndAt !== -1) this.lineEnd = lineEndAt;
      if (i >= end) break;
      // Anything else (invalid, or cut by the end of the bytes): the decoder, step by step.
      this.length = o;
      i = this.step(bytes, i, end);
      o = this.length;
    }
    this.length = o;
  }

  /**
   * The Encoding Standard's UTF-8 decoder, byte by byte, from bytes[i] until it is back in its
   * initial state or the bytes run out; returns where it stopped. Never sees a line end while
   * needing bytes: an ASCII byte ends a sequence (error) and is left to the caller.
   */
  private step(bytes: Uint8Array, i: number, end: number): number {
    const units = this.units;
    while (i < end) {
      const b = bytes[i]!;
      if (this.needed === 0) {
        i++;
        if (b >= 0xc2 && b <= 0xdf) {
          this.needed = 1;
          this.codePoint = b & 0x1f;
        } else if (b >= 0xe0 && b <= 0xef) {
          if (b === 0xe0) this.lower = 0xa0;
          else if (b === 0xed) this.upper = 0x9f;
          this.needed = 2;
          this.codePoint = b & 0x0f;
        } else if (b >= 0xf0 && b <= 0xf4) {
          if (b === 0xf0) this.lower = 0x90;
          else if (b === 0xf4) this.upper = 0x8f;
          this.needed = 3;
          this.codePoint = b & 0x07;
        } else {
          // 80–C1, F5–FF (ASCII never reaches here): "Return error."
          this.invalid.push(this.length);
          units[this.length++] = REPLACEMENT;
          return i;
        }
        continue;
      }
      if (b < this.lower || b > this.upper) {
        // "Set UTF-8 code point, bytes needed and bytes seen to 0, lower boundary to 0x80 and
        // upper boundary to 0xBF. Restore byte to ioQueue. Return error." (b is read again.)
        this.reset();
        this.invalid.push(this.length);
        units[this.length++] = REPLACEMENT;
        return i;
      }
      i++;
      this.lower = 0x80;
      this.upper = 0xbf;
      const codePoint = (this.codePoint << 6) | (b & 0x3f);
      this.codePoint = codePoint;
      if (++this.seen === this.needed) {
        if (codePoint > 0xffff) {
          units[this.length++] = 0xd7c0 + (codePoint >> 10);
          units[this.length++] = 0xdc00 | (codePoint & 0x3ff);
        } else {
          units[this.length++] = codePoint;
        }
        this.reset();
        return i;
      }
    }
    return i;
  }

  private reset(): void {
    this.needed = 0;
    this.seen = 0;
    this.codePoint = 0;
    this.lower = 0x80;
    this.upper = 0xbf;
  }

  /** End of stream: "if bytes needed is not 0, set bytes needed to 0 and return error". */
  flush(): void {
    if (this.needed === 0) return;
    if (this.length + 1 > this.units.length) this.grow(this.length + 1);
    this.reset();
    this.invalid.push(this.length);
    this.units[this.length++] = REPLACEMENT;
  }

  /** The text of units[0, end), where end is lineEnd or length; the rest moves to the front. */
  take(end: number): string {
    const text = unitsToString(this.units, this.view, end);
    const rest = this.length - end;
    this.taken = 0;
    if (this.invalid.length > 0) {
      const invalid = this.invalid;
      while (this.taken < invalid.length && invalid[this.taken]! < end) this.taken++;
      this.invalid = invalid.slice(this.taken).map((at) => at - end);
    }
    if (rest > 0) {
      const units = this.units;
      if (rest < 64) for (let i = 0; i < rest; i++) units[i] = units[end + i]!;
      else units.copyWithin(0, end, this.length);
    }
    this.length = rest;
    this.lineEnd = 0;
    return text;
  }

  /** Grows by doubling, so a huge line costs linear time. */
  private grow(needed: number): void {
    const grown = new Uint16Array(Math.max(needed, this.units.length * 2));
    grown.set(this.units.subarray(0, this.length));
    this.units = grown;
    this.view = Buffer.from(grown.buffer);
  }
}
