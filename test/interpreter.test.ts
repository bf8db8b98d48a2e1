/**
 * The interpreter beyond the fixture corpus: observations it reports about the wire, and
 * properties over arbitrary bytes (any chunking gives the same result; it never throws).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createInterpreter, interpret, type Observation } from '../spec/interpreter.ts';
import { split } from './helpers/split.ts';

const enc = (text: string) => new TextEncoder().encode(text);
const kinds = (observations: Observation[]) => observations.map((o) => o.kind);

test('observations name what a server got wrong', () => {
  assert.deepEqual(kinds(interpret([enc('data: a\nb\n\n')]).observations), ['unknown-field']);
  assert.deepEqual(kinds(interpret([enc('retry: 10s\n\n')]).observations), ['invalid-retry']);
  assert.deepEqual(kinds(interpret([enc('id: a\0b\n\n')]).observations), ['id-with-nul']);
  assert.deepEqual(kinds(interpret([enc('data: a\rdata: b\n\n')]).observations), ['lone-cr']);
  assert.deepEqual(kinds(interpret([enc('data: a\n\n\uFEFFdata: b\n\n')]).observations), ['bom-after-start', 'unknown-field']);
  assert.deepEqual(kinds(interpret([Uint8Array.of(0x64, 0x61, 0x74, 0x61, 0x3a, 0xff, 0x0a, 0x0a)]).observations), ['invalid-utf8']);
  const unterminated = interpret([enc('data: a\n\ndata: b\n')]).observations;
  assert.deepEqual(unterminated, [{ kind: 'unterminated-event', line: 4, partialLine: '', pendingFields: 1 }]);
  assert.deepEqual(kinds(interpret([enc('data: a\n\ndata: b')]).observations), ['unterminated-event']);
});

test('a CR ending a chunk is a line end at once; its LF in the next chunk is not another', () => {
  const events: string[] = [];
  const interpreter = createInterpreter({ onEvent: (e) => events.push(e.data) });
  interpreter.feed(enc('data: x\r\r'));
  assert.deepEqual(events, ['x'], 'dispatched without waiting for more bytes');
  interpreter.feed(enc('\ndata: y\r\n\r\n'));
  interpreter.end();
  assert.deepEqual(events, ['x', 'y']);
});

test('a lone CR as the very last byte is observed at end of stream', () => {
  assert.deepEqual(kinds(interpret([enc('data: a\n\r')]).observations), ['lone-cr']);
  assert.deepEqual(interpret([enc('data: a\n\r')]).events.map((e) => e.data), ['a']);
});

test('a U+FFFD the server really sent is not mistaken for invalid UTF-8, even split', () => {
  assert.deepEqual(interpret([enc('data: \uFFFD\n\n')]).observations, []);
  const bytes = enc('data: \uFFFD\n\n');
  assert.deepEqual(interpret([bytes.subarray(0, 7), bytes.subarray(7)]).observations, []);
  assert.deepEqual(interpret([...bytes].map((b) => Uint8Array.of(b))).observations, [], 'one byte per chunk');
});

test('a truncated code point at end of stream becomes U+FFFD and is observed', () => {
  const result = interpret([Uint8Array.of(0x64, 0x61, 0x74, 0x61, 0x3a, 0x0a, 0x0a, 0xe2, 0x82)]);
  assert.deepEqual(kinds(result.observations), ['invalid-utf8', 'unterminated-event']);
});

test('the last event id persists from a previous connection when seeded', () => {
  const result = interpret([enc('data: x\n\n')], { lastEventId: '41' });
  assert.equal(result.events[0]!.lastEventId, '41');
});

test('maxLineLength stops reading a line that never ends', () => {
  const interpreter = createInterpreter({ maxLineLength: 1000 });
  for (let i = 0; i < 100; i++) interpreter.feed(enc('x'.repeat(100)));
  assert.equal(interpreter.stopped, true);
  const seen: Observation[] = [];
  const again = createInterpreter({ maxLineLength: 10, onObservation: (o) => seen.push(o) });
  again.feed(enc('data: 0123456789abcdef'));
  assert.deepEqual(kinds(seen), ['line-too-long']);
  again.feed(enc('\n\n'));
  again.end();
  assert.equal(again.lastEventId, '');
});

test('onRetry fires as soon as the line ends', () => {
  const retries: number[] = [];
  const interpreter = createInterpreter({ onRetry: (ms) => retries.push(ms) });
  interpreter.feed(enc('retry: 0150\n'));
  assert.deepEqual(retries, [150]);
  assert.equal(interpreter.retry, 150);
});

// Bytes that look like event streams: field names, separators, CR/LF, BOM, multi-byte and invalid bytes.
const streamish = fc
  .array(
    fc.oneof(
      fc.constantFrom('data', 'id', 'event', 'retry', ':', ' ', '\n', '\r', '\r\n', 'x', '\uFEFF', '\0', '123', '\u2026', '\u{1F600}').map(enc),
      fc.uint8Array({ minLength: 1, maxLength: 3 }),
    ),
    { maxLength: 60 },
  )
  .map((parts) => Uint8Array.from(parts.flatMap((p) => [...p])));

test('property: any chunking of any bytes gives the same result', () => {
  fc.assert(
    fc.property(streamish, fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) => {
      const whole = interpret([bytes]);
      const chunked = interpret(split(bytes, cuts));
      assert.deepEqual(chunked.events, whole.events);
      assert.equal(chunked.retry, whole.retry);
      assert.equal(chunked.lastEventId, whole.lastEventId);
    }),
    { numRuns: 5000 },
  );
});

test('property: arbitrary bytes never throw, byte-by-byte equals whole', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const whole = interpret([bytes]);
      const bytewise = interpret([...bytes].map((b) => Uint8Array.of(b)));
      assert.deepEqual(bytewise.events, whole.events);
    }),
    { numRuns: 5000 },
  );
});

test('onField sees every field as "process the field" does, the result unchanged', () => {
  const fields: string[] = [];
  const wire = [enc('event: a\nevent:\ndata:  x\nid\nfoo: bar\n: comment\n\n')];
  const result = interpret(wire, { onField: (name, value) => fields.push(`${name}=${value}`) });
  assert.deepEqual(fields, ['event=a', 'event=', 'data= x', 'id=', 'foo=bar']);
  assert.deepEqual(result.events, interpret(wire).events);
});

// UTF-8 decoding (§9.2.6 "UTF-8 decode"): whatever the chunking, a field value is exactly what
// TextDecoder makes of its bytes, and every U+FFFD it inserts is observed once.
const utf8ish = fc
  .array(
    fc.oneof(
      fc.constantFrom('a', ' ', '\u00e9', '\u4f60', '\u{1F600}', '\uFFFD', '\uFEFF').map(enc),
      fc.constantFrom([0xe4, 0xbd], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xff], [0x80], [0xef, 0xbf]).map((b) => Uint8Array.from(b)),
    ),
    { maxLength: 40 },
  )
  .map((parts) => Uint8Array.from(parts.flatMap((p) => [...p])));

test('property: a data value is what TextDecoder makes of its bytes, in any chunking', () => {
  fc.assert(
    fc.property(utf8ish, fc.array(fc.nat(), { maxLength: 10 }), fc.boolean(), (value, cuts, bytewise) => {
      const bytes = Uint8Array.from([...enc('data: '), ...value, ...enc('\n\n')]);
      const chunks = bytewise ? [...bytes].map((b) => Uint8Array.of(b)) : split(bytes, cuts);
      const result = interpret(chunks);
      const expected = new TextDecoder('utf-8', { ignoreBOM: true }).decode(value);
      assert.deepEqual(result.events.map((e) => e.data), [expected]);
      let encoded = 0;
      for (let i = 2; i < value.length; i++) if (value[i - 2] === 0xef && value[i - 1] === 0xbf && value[i] === 0xbd) encoded++;
      const inserted = [...expected].filter((c) => c === '\uFFFD').length - encoded;
      const observed = result.observations.flatMap((o) => (o.kind === 'invalid-utf8' ? [o.replacements] : [])).reduce((a, b) => a + b, 0);
      assert.equal(observed, inserted);
    }),
    { numRuns: 3000 },
  );
});

test('a code point split across chunks is decoded once', () => {
  const bytes = enc('data: \u{1F600}\u4f60\n\n');
  for (let at = 7; at < 13; at++) {
    const result = interpret([bytes.subarray(0, at), bytes.subarray(at)]);
    assert.deepEqual(result.events.map((e) => e.data), ['\u{1F600}\u4f60'], `split at ${at}`);
    assert.deepEqual(result.observations, []);
  }
});

test('maxLineLength counts UTF-16 code units, not bytes, while bytes wait for their line end', () => {
  // "data: " and four CJK characters: 10 code units in 18 bytes.
  const interpreter = createInterpreter({ maxLineLength: 10 });
  interpreter.feed(enc('data: \u4f60\u597d'));
  interpreter.feed(enc('\u4f60\u597d'));
  assert.equal(interpreter.stopped, false);
  interpreter.feed(enc('\u4f60'));
  assert.equal(interpreter.stopped, true);
});

test('ASCII after bytes the decoder still holds goes through the decoder, in order', () => {
  // Past maxLineLength in bytes (not in code units), so the held bytes are decoded early and the
  // decoder keeps the lone E4; the ASCII chunk after it must not overtake it.
  const events: string[] = [];
  const interpreter = createInterpreter({ maxLineLength: 12, onEvent: (e) => events.push(e.data) });
  interpreter.feed(Uint8Array.from([...enc('data: \u4f60\u597d'), 0xe4]));
  interpreter.feed(enc('x\n\n'));
  interpreter.end();
  assert.deepEqual(events, ['\u4f60\u597d\uFFFDx']);
});

test('large and small chunks of non-ASCII text, lines longer than any buffer, give the same events', () => {
  const values = ['\u4f60\u597d \u00e9\u00e8 \u{1F600}'.repeat(9000), 'x', '\u0434\u0430'.repeat(40000), '\uFFFD \u2026'];
  const bytes = enc(values.map((value, i) => `id: ${i}\nevent: t\u00e9\ndata: ${value}\n\n`).join(''));
  const expected = values.map((data, i) => ({ type: 't\u00e9', data, lastEventId: String(i) }));
  for (const size of [70_000, 1000, 7]) {
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
    const result = interpret(chunks);
    assert.deepEqual(result.events, expected, `${size}-byte chunks`);
    assert.deepEqual(result.observations, [], `${size}-byte chunks`);
  }
});

test('an EF BF BD that reaches the decoder one byte per call is still a real U+FFFD', () => {
  // maxLineLength makes every byte leave the hold at once, one decoder call each.
  const seen: Observation[] = [];
  const interpreter = createInterpreter({ maxLineLength: 6, onObservation: (o) => seen.push(o) });
  interpreter.feed(Uint8Array.from([...enc('data: '), 0xef]));
  interpreter.feed(Uint8Array.of(0xbf));
  interpreter.feed(Uint8Array.of(0xbd));
  assert.deepEqual(kinds(seen), ['line-too-long']);
});

test('property: large chunks (whole lines through the scanner) and byte-by-byte feeding agree', () => {
  // Lines of text with invalid and cut sequences between them, about 1–3 KiB in all, fed in
  // chunks above and below the small-chunk size, so each decoding path hands over to the other.
  const piece = fc.oneof(
    fc.constantFrom('data: ', 'id: 7', 'event: \u00e9', '\n', '\r\n', '\r', 'x', ' \u4f60\u{1F600}\u0434').map(enc),
    fc.constantFrom('\n\n', 'data:x\n', ':c\n', 'retry: 5\n', 'id: a\0b\n', '\uFEFFdata: x\n', 'foo: bar\n', 'data\n', 'event:\n', '\r\n\r\n').map(enc),
    fc.constantFrom([0xe4, 0xbd], [0xf0, 0x9f, 0x98], [0xff], [0x80], [0xef, 0xbf, 0xbd], [0xed, 0xa0, 0x80]).map((b) => Uint8Array.from(b)),
  );
  const body = fc
    .array(piece, { minLength: 100, maxLength: 400 })
    .map((parts) => Uint8Array.from(parts.flatMap((p) => [...p])));
  const sizes = fc.array(fc.oneof(fc.integer({ min: 513, max: 2000 }), fc.integer({ min: 1, max: 40 })), { minLength: 1, maxLength: 8 });
  fc.assert(
    fc.property(body, sizes, (bytes, cycle) => {
      const chunks: Uint8Array[] = [];
      for (let at = 0, k = 0; at < bytes.length; k++) {
        const size = cycle[k % cycle.length]!;
        chunks.push(bytes.subarray(at, at + size));
        at += size;
      }
      const chunked = interpret(chunks);
      const bytewise = interpret([...bytes].map((b) => Uint8Array.of(b)));
      assert.deepEqual(chunked.events, bytewise.events);
      assert.equal(chunked.lastEventId, bytewise.lastEventId);
      const replaced = (r: typeof chunked) => r.observations.flatMap((o) => (o.kind === 'invalid-utf8' ? [o.replacements] : [])).reduce((a, b) => a + b, 0);
      assert.equal(replaced(chunked), replaced(bytewise));
      assert.deepEqual(kinds(chunked.observations).filter((k) => k !== 'invalid-utf8'), kinds(bytewise.observations).filter((k) => k !== 'invalid-utf8'));
    }),
    { numRuns: 300 },
  );
});

test('a chunk of more lines than one scan takes, and a chunk larger than a piece, read as small chunks do', () => {
  const many = enc('data: a\n\n'.repeat(3000) + ':\n'.repeat(5000) + 'id: 1\ndata: \u00e9\ndata: b\n\n'.repeat(700) + 'retry: 9\n');
  const huge = enc(('id: 2\nevent: t\ndata: ' + 'y'.repeat(1000) + '\r\n\r\n').repeat(1500));
  for (const bytes of [many, huge]) {
    const whole = interpret([bytes]);
    const small: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; at += 300) small.push(bytes.subarray(at, at + 300));
    assert.deepEqual(whole, interpret(small));
  }
  assert.equal(interpret([many]).events.length, 3700);
  assert.equal(interpret([huge]).events.length, 1500);
});

test('a listener sees the last event id of the event it is given, when the lines came in one piece', () => {
  const seen: string[] = [];
  const interpreter = createInterpreter({ onEvent: (event) => seen.push(`${event.lastEventId}=${interpreter.lastEventId}`) });
  interpreter.feed(enc('id: 1\ndata: a\n\nid: 2\nevent: x\ndata: b\n\n'.repeat(40)));
  interpreter.end();
  assert.deepEqual(seen, Array.from({ length: 80 }, (_, i) => (i % 2 === 0 ? '1=1' : '2=2')));
});

test('a listener that ends the stream sees the state of the event it is given', () => {
  const seen: Observation[] = [];
  let events = 0;
  const interpreter = createInterpreter({
    onObservation: (o) => seen.push(o),
    onEvent: () => {
      events++;
      interpreter.end();
    },
  });
  // A field from an earlier small chunk, then its event and more in one large chunk.
  interpreter.feed(enc('data: a\n'));
  interpreter.feed(enc('id: 1\ndata: b\n\n' + 'data: c\n\n'.repeat(100)));
  assert.equal(events, 1);
  assert.deepEqual(kinds(seen), []);
});

test('property: the scanner and the general path (taken when raw fields are wanted) read the same', () => {
  const piece = fc.oneof(
    fc.constantFrom('data: ', 'data:', 'id: 7', 'event: \u00e9', 'retry: 5', ':c', '\n', '\r\n', '\r', '\n\n', 'x', ' \u4f60\u{1F600}\u0434', '\uFEFF', 'id: a\0b').map(enc),
    fc.constantFrom([0xe4, 0xbd], [0xf0, 0x9f, 0x98], [0xff], [0x80], [0xef, 0xbf, 0xbd]).map((b) => Uint8Array.from(b)),
  );
  const body = fc.array(piece, { minLength: 1, maxLength: 300 }).map((parts) => Uint8Array.from(parts.flatMap((p) => [...p])));
  const sizes = fc.array(fc.oneof(fc.integer({ min: 513, max: 3000 }), fc.integer({ min: 1, max: 60 })), { minLength: 1, maxLength: 6 });
  const replaced = (r: ReturnType<typeof interpret>) => r.observations.flatMap((o) => (o.kind === 'invalid-utf8' ? [o.replacements] : [])).reduce((a, b) => a + b, 0);
  fc.assert(
    fc.property(body, sizes, (bytes, cycle) => {
      const chunks: Uint8Array[] = [];
      for (let at = 0, k = 0; at < bytes.length; k++) {
        chunks.push(bytes.subarray(at, at + cycle[k % cycle.length]!));
        at += cycle[k % cycle.length]!;
      }
      const scanned = interpret(chunks);
      const general = interpret(chunks, { onField: () => {} });
      assert.deepEqual(scanned.events, general.events);
      assert.equal(scanned.retry, general.retry);
      assert.equal(scanned.lastEventId, general.lastEventId);
      assert.equal(replaced(scanned), replaced(general));
      const others = (r: ReturnType<typeof interpret>) => r.observations.filter((o) => o.kind !== 'invalid-utf8');
      assert.deepEqual(others(scanned), others(general));
    }),
    { numRuns: 500 },
  );
});

test('a listener that feeds the interpreter has its bytes read after the chunk being read, in order', () => {
  const seen: string[] = [];
  const rest = enc('data: c\n\ndata: d\n\n');
  let fed = false;
  const interpreter = createInterpreter({
    onEvent: (event) => {
      seen.push(event.data);
      if (!fed) {
        fed = true;
        // A large chunk, so that the scanner's memory would have to grow under the reader.
        interpreter.feed(Uint8Array.from([...enc(`data: ${'x'.repeat(200_000)}\n\n`), ...rest]));
      }
    },
  });
  interpreter.feed(enc('data: a\n\ndata: b\n\n'));
  interpreter.end();
  assert.deepEqual(seen.map((d) => (d.length > 10 ? `x*${d.length}` : d)), ['a', 'b', 'x*200000', 'c', 'd']);
});
