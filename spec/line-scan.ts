/**
 * The stream's bytes waiting for their line end, and whole lines decoded and classified by
 * spec/lines.wat (WebAssembly): the UTF-8 decoding and the search for line ends and field names
 * that §9.2.6 asks for, at native speed, for spec/interpreter.ts. The interpreter applies the
 * lines (its buffers, dispatch, observations); this module only says where they are and what they
 * start with.
 *
 * A scan starts where the UTF-8 decoder is in its initial state (after a line end) and ends after
 * a line end (LF or CR), where it is back in it: so decoding those bytes alone gives what decoding
 * the stream whole gives (a line end is ASCII, and an ASCII byte ends any sequence).
 */
import { Buffer } from 'node:buffer';
import { LINES_WASM } from './lines-wasm.ts';
import { LITTLE_ENDIAN, type Slicing } from './line-ends.ts';

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
  scan(i: number, end: number, out8: number, out: number, rec: number, recEnd: number): number;
  pack(at: number): void;
}

let compiled: WebAssembly.Module | undefined;

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
/** An instance whose memory grew past this (a huge line) is not kept. */
const KEEP_MEMORY = 16 * 1024 * 1024;
/** The smallest input room a scanner reserves. */
const MIN_CAPACITY = 64 * 1024;

/**
 * The bytes of an interpreter's stream that wait for their line end, in the module's memory, and
 * the scans over the whole lines among them. One scanner per interpreter (its memory holds the
 * bytes being read while their events are dispatched, and a listener may feed another interpreter
 * meanwhile). Its instance of the module is taken on the first append and handed back by release().
 */
export class LineScanner {
  private exports: LinesExports | undefined;
  private view: Buffer = Buffer.alloc(0);
  /** The module's memory; the bytes held start at 0. */
  bytes: Uint8Array = new Uint8Array(0);
  /** Bytes held. */
  length = 0;
  /** Room for input; where the code units and the records start, in the module's memory. */
  private capacity = 0;
  private textAt = 0;
  private unitsAt = 0;
  private recordsAt = 0;

  /** False when the runtime cannot run the module (the interpreter then decodes otherwise). */
  static get available(): boolean {
    return available();
  }

  /** Appends bytes[start, end) to the bytes held. */
  append(bytes: Uint8Array, start: number, end: number): void {
    const length = this.length + end - start;
    if (length > this.capacity) this.reserve(length);
    this.bytes.set(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end), this.length);
    this.length = length;
  }

  /** Room for `length` bytes of input, by doubling (a huge line fed in tiny chunks costs linear time). */
  private reserve(length: number): void {
    const exports = (this.exports ??= released.pop() ?? (new WebAssembly.Instance(compiled!).exports as unknown as LinesExports));
    this.capacity = Math.max(length, 2 * this.capacity, MIN_CAPACITY);
    this.textAt = align(this.capacity + SLACK);
    this.unitsAt = align(this.textAt + this.capacity + SLACK);
    this.recordsAt = align(this.unitsAt + 2 * this.capacity + SLACK);
    this.first = (this.recordsAt + 48) >> 2;
    // The decoder's table (4 KiB; see pack in lines.wat) after the records.
    const packAt = this.recordsAt + 48 + 16 * MAX_LINES;
    const needed = packAt + 4096;
    const memory = exports.memory;
    if (memory.buffer.byteLength < needed) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
    exports.pack(packAt);
    if (this.view.buffer !== memory.buffer) {
      this.view = Buffer.from(memory.buffer);
      this.bytes = new Uint8Array(memory.buffer);
      this.records = new Int32Array(memory.buffer);
    }
  }

  /** Forgets the first n bytes held. */
  drop(n: number): void {
    if (n < this.length) this.bytes.copyWithin(0, n, this.length);
    this.length -= n;
  }

  /** Hands the instance back (at end of stream); a later append takes one again. */
  release(): void {
    const exports = this.exports;
    if (exports && released.length < KEEP_RELEASED && exports.memory.buffer.byteLength <= KEEP_MEMORY) released.push(exports);
    this.exports = undefined;
    this.view = Buffer.alloc(0);
    this.bytes = new Uint8Array(0);
    this.records = new Int32Array(0);
    this.length = 0;
    this.capacity = 0;
  }

  /** Where the next scan starts (a line start). */
  at = 0;
  /** Records (of four i32) written by the latest scan. */
  count = 0;
  /** U+FFFD the latest scan inserted for invalid bytes. */
  replaced = 0;
  /**
   * The module's memory as i32: the records of the latest scan start at `first`, four i32 per line
   * (kind and flags, start, value start, end) or eight per simple event.
   */
  records: Int32Array = new Int32Array(0);
  first = 0;

  /**
   * Scans the bytes held from `at` up to `end` (which follows a line end; see above), up to
   * MAX_LINES lines; returns their text, to which the records' positions refer: the lines with
   * their line ends, without the `data:` prefix of a data line that follows another ended by LF
   * (lines.wat). `at` moves on to where the next scan starts.
   */
  scan(end: number): string {
    const exports = this.exports!;
    const from = this.at;
    // The results come in the four i32 before the records (and the module keeps 32 bytes before those).
    const results = (this.recordsAt >> 2) + 8;
    this.count = exports.scan(from, end, this.textAt, this.unitsAt, this.recordsAt + 48, this.recordsAt + 48 + 16 * MAX_LINES);
    const records = this.records;
    this.at = records[results]!;
    this.replaced = records[results + 2]!;
    const slicing = this.view as unknown as Slicing;
    const units = records[results + 1]!;
    const where = records[results + 3]!;
    // All ASCII: the bytes are the text (as they came, or copied where it differs), and a one-byte
    // string is cheaper to make and read.
    if (where === 0) return slicing.latin1Slice(from, this.at);
    if (where === 1) return slicing.latin1Slice(this.textAt, this.textAt + units);
    return slicing.ucs2Slice(this.unitsAt, this.unitsAt + 2 * units);
  }
}

function align(n: number): number {
  return (n + 15) & ~15;
}
