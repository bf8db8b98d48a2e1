/**
 * Whole lines of large chunks, decoded and classified by spec/lines.wat (WebAssembly): the UTF-8
 * decoding and the search for line ends and field names that §9.2.6 asks for, at native speed,
 * for spec/interpreter.ts. The interpreter applies the lines (its buffers, dispatch, observations);
 * this module only says where they are and what they start with.
 *
 * The bytes given must start where the UTF-8 decoder is in its initial state (after a line end) and
 * end with a line end (LF or CR), where it is back in it: then decoding them alone gives what
 * decoding the stream whole gives (a line end is ASCII, and an ASCII byte ends any sequence).
 */
import { Buffer } from 'node:buffer';
import { LINES_WASM } from './lines-wasm.ts';

/** What a line starts with (records' kind, the low three bits). */
export const BLANK = 0;
export const DATA = 1;
export const ID = 2;
export const EVENT = 3;
export const COMMENT = 4;
export const OTHER = 5;
/**
 * The lines of a simple event, up to its blank line, in one record of eight: kind and line count
 * (from bit 5), then start and end of the data, of the event type and of the id values (-1: absent).
 */
export const EVENT_LINES = 6;
export const KIND = 7;
/** Where a record of EVENT_LINES keeps its line count. */
export const LINE_COUNT_SHIFT = 5;
/** The line ends with a CR not followed by LF. */
export const LONE_CR = 8;
/** The line ends with a CR that is the last byte scanned: an LF may follow in later bytes. */
export const CR_AT_END = 16;
export const CR_FLAGS = LONE_CR | CR_AT_END;

/** Lines per scan: records take 16 bytes each. */
const MAX_LINES = 4096;
/** Slack the module reads past the input and writes past the code units (16-byte blocks). */
const SLACK = 64;

interface LinesExports {
  memory: WebAssembly.Memory;
  scan(i: number, end: number, out: number, rec: number, recEnd: number, joined: number): number;
  stop: WebAssembly.Global;
  units: WebAssembly.Global;
  replaced: WebAssembly.Global;
  wide: WebAssembly.Global;
}

interface Slicing {
  latin1Slice(start: number, end: number): string;
  ucs2Slice(start: number, end: number): string;
}

let compiled: WebAssembly.Module | undefined;

/** ucs2Slice reads little-endian code units, which is what the module writes. */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Whether this runtime can scan here (WebAssembly with SIMD, a little-endian platform). */
function available(): boolean {
  if (compiled) return true;
  if (!LITTLE_ENDIAN || typeof WebAssembly !== 'object') return false;
  try {
    compiled = new WebAssembly.Module(Buffer.from(LINES_WASM, 'base64'));
    return true;
  } catch {
    return false;
  }
}

/** Instances that scanners released (their memory already grown), for the next interpreters. */
const released: LinesExports[] = [];
const KEEP_RELEASED = 4;

/**
 * One scanner per interpreter (its memory holds the bytes being read while their events are
 * dispatched, and a listener may feed another interpreter meanwhile). Its instance of the module
 * is taken on the first load and handed back by release().
 */
export class LineScanner {
  private exports: LinesExports | undefined;
  private view: Buffer = Buffer.alloc(0);
  private bytes: Uint8Array = new Uint8Array(0);
  private records: Int32Array = new Int32Array(0);
  /** The input's length (it starts at 0), where the code units and the records start, in the module's memory. */
  private end = 0;
  private unitsAt = 0;
  private recordsAt = 0;

  /** False when the runtime cannot run the module (the interpreter then decodes otherwise). */
  static get available(): boolean {
    return available();
  }

  /** Takes bytes[start, end) (see above) as the input of the next scans. */
  load(bytes: Uint8Array, start: number, end: number): void {
    const length = end - start;
    const exports = (this.exports ??= released.pop() ?? (new WebAssembly.Instance(compiled!).exports as unknown as LinesExports));
    this.unitsAt = align(length + SLACK);
    this.recordsAt = align(this.unitsAt + 2 * length + SLACK);
    const needed = this.recordsAt + 16 * MAX_LINES;
    const memory = exports.memory;
    if (memory.buffer.byteLength < needed) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
    if (this.view.buffer !== memory.buffer) {
      this.view = Buffer.from(memory.buffer);
      this.bytes = new Uint8Array(memory.buffer);
      this.records = new Int32Array(memory.buffer);
    }
    this.bytes.set(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end), 0);
    this.end = length;
  }

  /** Hands the instance back (at end of stream); a later load takes one again. */
  release(): void {
    if (this.exports && released.length < KEEP_RELEASED) released.push(this.exports);
    this.exports = undefined;
    this.view = Buffer.alloc(0);
    this.bytes = new Uint8Array(0);
    this.records = new Int32Array(0);
  }

  /** Where the next scan starts (a line start; the input's length once all is scanned). */
  at = 0;
  /** Records (of four i32) written by the latest scan. */
  count = 0;
  /** U+FFFD the latest scan inserted for invalid bytes. */
  replaced = 0;
  /** Records of the latest scan: four i32 per line (kind and flags, start, value start, end), or eight per simple event. */
  get lines(): Int32Array {
    return this.records.subarray(this.recordsAt >> 2, (this.recordsAt >> 2) + 4 * this.count);
  }

  /**
   * Scans from `at` on, up to MAX_LINES lines; returns their text (line ends included), to which
   * the records' positions refer. `at` moves on to where the next scan starts. `joined`: the
   * first line continues a line held elsewhere (so it is not part of an EVENT_LINES record).
   */
  scan(joined: boolean): string {
    const exports = this.exports!;
    const from = this.at;
    this.count = exports.scan(from, this.end, this.unitsAt, this.recordsAt, this.recordsAt + 16 * MAX_LINES, joined ? 1 : 0);
    this.at = exports.stop.value as number;
    this.replaced = exports.replaced.value as number;
    const slicing = this.view as unknown as Slicing;
    // All ASCII: the bytes are the code units, and a one-byte string is cheaper to make and read.
    if (exports.wide.value === 0) return slicing.latin1Slice(from, this.at);
    return slicing.ucs2Slice(this.unitsAt, this.unitsAt + 2 * (exports.units.value as number));
  }
}

function align(n: number): number {
  return (n + 15) & ~15;
}
