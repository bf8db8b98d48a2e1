/**
 * What the UTF-8 decoders of spec/ are held to: TextDecoder's decoding (the Encoding Standard's
 * UTF-8 decoder, BOM kept), the number of U+FFFD it inserts, and the byte strings at every rule's edge.
 */

export const reference = (bytes: Uint8Array): string => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

/** U+FFFD in the decoding that the bytes did not carry as EF BF BD. */
export function inserted(bytes: Uint8Array, text: string): number {
  let encoded = 0;
  for (let i = 2; i < bytes.length; i++) if (bytes[i - 2] === 0xef && bytes[i - 1] === 0xbf && bytes[i] === 0xbd) encoded++;
  return [...text].filter((c) => c === '\uFFFD').length - encoded;
}

/** Every pair of bytes, and every lead byte with continuation bytes at the boundaries of each rule. */
export function edgeCases(): Uint8Array[] {
  const cases: Uint8Array[] = [];
  for (let a = 0; a < 256; a++) for (let b = 0; b < 256; b++) cases.push(Uint8Array.of(a, b));
  const continuations = [0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0];
  for (let lead = 0xc0; lead < 256; lead++) {
    for (const c1 of continuations) for (const c2 of continuations) cases.push(Uint8Array.of(lead, c1, c2), Uint8Array.of(lead, c1, c2, 0xbf));
  }
  return cases;
}
