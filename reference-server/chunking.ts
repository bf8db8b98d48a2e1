/**
 * Re-chunking a stream fixture's body, so a client can be fed the same bytes in other pieces:
 * the fixture's own chunks, all at once, split in two at one byte offset, or one byte per write.
 * A parser must dispatch the same events however the body is cut (§9.2.6: the stream is decoded
 * and split into lines as bytes arrive, so chunk boundaries carry no meaning).
 *
 * Re-chunked bodies keep the fixture's total pause before the first byte and drop the pauses
 * between chunks: only the fixture's own chunking replays its timing.
 */
import type { Wire } from '../spec/wire.ts';

/** `fixture` (as written), `whole` (one write), `bytes` (one byte per write), or a split offset. */
export type Chunking = { kind: 'fixture' } | { kind: 'whole' } | { kind: 'bytes' } | { kind: 'split'; at: number };

/** Reads the `chunks` query parameter: `whole`, `bytes`, `split:<n>`; absent is the fixture's own. Null when malformed. */
export function parseChunking(value: string | null): Chunking | null {
  if (value === null || value === 'fixture') return { kind: 'fixture' };
  if (value === 'whole' || value === 'bytes') return { kind: value };
  const split = /^split:(\d{1,9})$/.exec(value);
  return split ? { kind: 'split', at: Number(split[1]) } : null;
}

export function chunkingParam(chunking: Chunking): string {
  return chunking.kind === 'split' ? `split:${chunking.at}` : chunking.kind;
}

/** The body's bytes in one piece. */
export function wireBytes(wire: Wire): Uint8Array {
  return Buffer.concat(wire.chunks);
}

/** The wire cut as asked. A split offset outside the body (0 or ≥ its length) is the whole body. */
export function rechunk(wire: Wire, chunking: Chunking): Wire {
  if (chunking.kind === 'fixture') return wire;
  const bytes = wireBytes(wire);
  const lead = wire.delays.reduce((sum, d) => sum + d, 0);
  let chunks: Uint8Array[];
  if (chunking.kind === 'bytes') chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
  else if (chunking.kind === 'split' && chunking.at > 0 && chunking.at < bytes.length) chunks = [bytes.subarray(0, chunking.at), bytes.subarray(chunking.at)];
  else chunks = [bytes];
  return { chunks, delays: chunks.map((_, i) => (i === 0 ? lead : 0)) };
}
