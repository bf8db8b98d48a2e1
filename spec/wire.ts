/**
 * The fixture wire notation, turned into the exact bytes and pauses to put on the network.
 * The notation is documented in `spec/FIXTURES.md` ("The wire").
 */
import type { WireItem, WirePart } from './fixture.ts';
import { withPauses } from './pauses.ts';

export interface Wire {
  /** The body's chunks; each is written to the socket by itself. */
  chunks: Uint8Array[];
  /** delays[i]: milliseconds to wait before writing chunks[i]. */
  delays: number[];
}

const utf8 = new TextEncoder();

/** The bytes of one part; parts nested in `concat` or `repeat` are joined into one chunk. */
export function partBytes(part: WirePart): Uint8Array {
  if (typeof part === 'string') return utf8.encode(part);
  if ('hex' in part) return Uint8Array.from(Buffer.from(part.hex.replace(/\s+/g, ''), 'hex'));
  if ('concat' in part) return Buffer.concat(part.concat.map(partBytes));
  const one = partBytes(part.repeat);
  const out = new Uint8Array(one.length * part.times);
  for (let i = 0; i < part.times; i++) out.set(one, i * one.length);
  return out;
}

/** Top-level semantics: each item is one chunk, `repeat` is that many chunks, `delay` a pause. */
export function encodeWire(items: readonly WireItem[]): Wire {
  const chunks: Uint8Array[] = [];
  const delays: number[] = [];
  for (const { pauseMs, item } of withPauses(items)) {
    const times = typeof item === 'object' && 'repeat' in item ? item.times : 1;
    const bytes = typeof item === 'object' && 'repeat' in item ? partBytes(item.repeat) : partBytes(item);
    for (let i = 0; i < times; i++) {
      chunks.push(bytes);
      delays.push(i === 0 ? pauseMs : 0);
    }
  }
  return { chunks, delays };
}
