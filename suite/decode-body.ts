/**
 * Content-Encoding undone as a browser undoes it (Fetch "HTTP-network fetch": gzip, deflate, br),
 * one network chunk at a time: each chunk is decompressed and flushed at once, so an event leaves
 * the decoder when its compressed bytes arrive — and a compressor that holds events back shows as
 * events arriving late, exactly as a browser would see them.
 */
import { createBrotliDecompress, createGunzip, createInflate, type BrotliDecompress, type Gunzip, type Inflate } from 'node:zlib';

/** What the suite's requests offer, as browsers do (no zstd: Node's zlib cannot undo it here). */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

export interface BodyDecoder {
  /** The coding being undone, e.g. "gzip". */
  coding: string;
  /** The decoded bytes of one more chunk. Rejects when the bytes are not of that coding. */
  decode(chunk: Uint8Array): Promise<Buffer>;
  close(): void;
}

/** A decoder for a Content-Encoding value, null for identity, or a reason when it cannot be undone. */
export function bodyDecoder(contentEncoding: string | undefined): BodyDecoder | null | { unsupported: string } {
  const coding = (contentEncoding ?? '').trim().toLowerCase();
  if (coding === '' || coding === 'identity') return null;
  let stream: Gunzip | Inflate | BrotliDecompress;
  if (coding === 'gzip' || coding === 'x-gzip') stream = createGunzip();
  else if (coding === 'deflate') stream = createInflate();
  else if (coding === 'br') stream = createBrotliDecompress();
  else return { unsupported: coding };
  let failure: Error | null = null;
  stream.on('error', (error) => (failure ??= error));
  return {
    coding,
    decode(chunk) {
      const out: Buffer[] = [];
      const collect = (data: Buffer) => out.push(data);
      stream.on('data', collect);
      return new Promise<Buffer>((resolve, reject) => {
        const done = () => {
          stream.off('data', collect);
          if (failure) reject(failure);
          else resolve(Buffer.concat(out));
        };
        stream.write(chunk, (error) => {
          if (error || failure) return done();
          stream.flush(done);
        });
      });
    },
    close() {
      stream.destroy();
    },
  };
}
