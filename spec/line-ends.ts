/**
 * Byte-level help for the interpreter (interpreter.ts, line-scan.ts, utf8.ts): where a chunk's line
 * ends are, ASCII bytes read as text without decoding (for ASCII, latin1 and UTF-8 agree), and
 * Node's Buffer conversions that make strings from bytes and code units.
 */
import { Buffer } from 'node:buffer';

const LF = 0x0a;
const CR = 0x0d;
/** Up to this size a chunk is searched for line ends by a loop; a larger one by a native search. */
const SMALL_CHUNK = 512;

/** Node's Buffer methods behind toString('latin1' | 'ucs2', start, end), without their argument checks. */
export interface Slicing {
  latin1Slice(start: number, end: number): string;
  ucs2Slice(start: number, end: number): string;
}

/** ucs2Slice reads little-endian code units; a Uint16Array (or WebAssembly) holds them so here. */
export const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * bytes[start, end) as latin1 text, one code unit per byte: for ASCII, its UTF-8 decoding.
 * Buffers (what node:http and undici deliver) convert directly; other views are wrapped, not copied.
 */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  return (asBuffer(bytes) as unknown as Slicing).latin1Slice(start, end);
}

/** The bytes as a Buffer, for its native searches and conversions (wrapped, not copied). */
function asBuffer(bytes: Uint8Array): Buffer {
  return bytes instanceof Buffer ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Where the chunk's first line end (LF or CR) is, or -1. */
export function firstLineEnd(chunk: Uint8Array): number {
  if (chunk.length <= SMALL_CHUNK) {
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === LF || chunk[i] === CR) return i;
    return -1;
  }
  const bytes = asBuffer(chunk);
  const lf = bytes.indexOf(LF);
  const cr = lf === -1 ? bytes.indexOf(CR) : bytes.subarray(0, lf).indexOf(CR);
  return cr === -1 ? lf : cr;
}

/** Where the last line end (LF or CR) of chunk[from, length) is, or -1. */
export function lastLineEnd(chunk: Uint8Array, from: number): number {
  if (chunk.length <= SMALL_CHUNK) {
    for (let i = chunk.length - 1; i >= from; i--) if (chunk[i] === LF || chunk[i] === CR) return i;
    return -1;
  }
  // The last LF by a native search; a CR after it is in the (short) rest of the line, and only
  // a chunk without LF is searched whole for a CR.
  const lf = asBuffer(chunk).lastIndexOf(LF);
  if (lf === -1) {
    const cr = asBuffer(chunk).lastIndexOf(CR);
    return cr >= from ? cr : -1;
  }
  let last = lf;
  for (let i = chunk.length - 1; i > lf; i--) {
    if (chunk[i] === CR) {
      last = i;
      break;
    }
  }
  return last >= from ? last : -1;
}
