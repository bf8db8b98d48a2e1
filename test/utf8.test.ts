/**
 * spec/utf8.ts against TextDecoder, the Encoding Standard's UTF-8 decoder that every engine ships:
 * the same code units for any bytes in any chunking, and every U+FFFD it inserts counted once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HeldText } from '../spec/utf8.ts';
import { split } from './helpers/split.ts';
import { edgeCases, inserted, reference } from './helpers/utf8-cases.ts';


/** Decodes the pieces through one HeldText, taking text at line ends as the interpreter does. */
function decodeHeld(pieces: Uint8Array[]): { text: string; invalid: number } {
  const held = new HeldText();
  let text = '';
  let invalid = 0;
  for (const piece of pieces) {
    held.decode(piece, 0, piece.length);
    if (held.lineEnd > 0) {
      text += held.take(held.lineEnd);
      invalid += held.taken;
    }
  }
  held.flush();
  text += held.take(held.length);
  return { text, invalid: invalid + held.taken };
}

// Bytes near the edges of every UTF-8 rule: valid sequences of each length, the boundary values
// of E0, ED, F0 and F4, overlongs, surrogates, bytes that are never UTF-8, line ends, EF BF BD.
const edgy = fc
  .array(
    fc.oneof(
      fc.constantFrom(0x0a, 0x0d, 0x41, 0x00, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x8f, 0x90, 0x9f, 0xa0, 0xbd),
      fc.integer({ min: 0, max: 255 }),
    ),
    { maxLength: 60 },
  )
  .map((bytes) => Uint8Array.from(bytes));

test('property: HeldText decodes any bytes, in any chunking, as TextDecoder does', () => {
  fc.assert(
    fc.property(edgy, fc.array(fc.nat(), { maxLength: 12 }), (bytes, cuts) => {
      const expected = reference(bytes);
      for (const pieces of [[bytes], split(bytes, cuts), [...bytes].map((b) => Uint8Array.of(b))]) {
        const { text, invalid } = decodeHeld(pieces);
        assert.equal(text, expected);
        assert.equal(invalid, inserted(bytes, expected));
      }
    }),
    { numRuns: 5000 },
  );
});

test('HeldText: every pair of bytes, and every lead byte with its boundary continuations, whole and split', () => {
  const cases = edgeCases();
  for (const bytes of cases) {
    const expected = reference(bytes);
    for (let at = 0; at <= bytes.length; at++) {
      const { text, invalid } = decodeHeld([bytes.subarray(0, at), bytes.subarray(at)]);
      assert.equal(text, expected, `${Buffer.from(bytes).toString('hex')} split at ${at}`);
      assert.equal(invalid, inserted(bytes, expected), `${Buffer.from(bytes).toString('hex')} split at ${at}`);
    }
  }
});

test('HeldText: lineEnd marks the last LF or CR, and take() keeps the rest with its U+FFFD count', () => {
  const held = new HeldText();
  held.decode(Uint8Array.of(0x61, 0xff, 0x0a, 0x62, 0xff, 0xff, 0x0d, 0x63, 0x80, 0xe4), 0, 10);
  assert.equal(held.lineEnd, 7);
  assert.equal(held.take(held.lineEnd), 'a\uFFFD\nb\uFFFD\uFFFD\r');
  assert.equal(held.taken, 3);
  assert.equal(held.lineEnd, 0);
  assert.equal(held.pending, true);
  held.decode(Uint8Array.of(0xbd, 0xa0), 0, 2);
  assert.equal(held.lineEnd, 0);
  assert.equal(held.take(held.length), 'c\uFFFD\u4f60');
  assert.equal(held.taken, 1);
});

test('HeldText grows for long input, and a code point cut at the end of the stream is one U+FFFD', () => {
  const text = '\u4f60\u{1F600}\u00e9x'.repeat(50_000);
  const bytes = Buffer.from(text + '\u4f60');
  const held = new HeldText();
  held.decode(bytes, 0, bytes.length - 1);
  held.flush();
  assert.equal(held.take(held.length), text + '\uFFFD');
  assert.equal(held.taken, 1);
});

