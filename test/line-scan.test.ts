/**
 * spec/line-scan.ts (spec/lines.wat, run as WebAssembly) against references: its text is what
 * TextDecoder (the Encoding Standard's UTF-8 decoder) makes of the bytes, each U+FFFD it inserts
 * counted once, written as model() says; its records are the lines §9.2.6 finds, with the field
 * each one starts with; and the module in spec/lines-wasm.ts is the assembly of spec/lines.wat.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { BLANK, COMMENT, CR_AT_END, DATA, EVENT, EVENT_LINES, ID, KIND, LINE_COUNT_SHIFT, LineScanner, LONE_CR, OTHER } from '../spec/line-scan.ts';
import { packagePath } from '../spec/package-files.ts';
import { edgeCases, inserted, reference } from './helpers/utf8-cases.ts';


/** A line as the scanner reports it, positions in the whole text. */
interface Line {
  kind: number;
  flags: number;
  start: number;
  value: number;
  end: number;
}
/** A simple event's lines in one record, positions in the whole text (-1: absent). */
interface EventLines {
  lines: number;
  data: [number, number];
  type: [number, number];
  id: [number, number];
}

/** Scans bytes (starting after a line end, ending with one) to the end, as the interpreter does. */
function scanAll(bytes: Uint8Array): { text: string; replaced: number; records: (Line | EventLines)[] } {
  assert.ok(LineScanner.available, 'this runtime runs the scanner');
  const scanner = new LineScanner();
  scanner.append(bytes, 0, bytes.length);
  scanner.at = 0;
  let text = '';
  let replaced = 0;
  const records: (Line | EventLines)[] = [];
  do {
    const s = scanner.scan(bytes.length);
    const r = scanner.records.subarray(scanner.first, scanner.first + 4 * scanner.count);
    const at = (p: number) => (p === -1 ? -1 : text.length + p);
    for (let k = 0; k < scanner.count * 4; k += 4) {
      if ((r[k]! & KIND) === EVENT_LINES) {
        records.push({ lines: r[k]! >>> LINE_COUNT_SHIFT, data: [at(r[k + 1]!), at(r[k + 2]!)], type: [at(r[k + 3]!), at(r[k + 4]!)], id: [at(r[k + 5]!), at(r[k + 6]!)] });
        k += 4;
      } else {
        records.push({ kind: r[k]! & KIND, flags: r[k]! & ~KIND, start: at(r[k + 1]!), value: at(r[k + 2]!), end: at(r[k + 3]!) });
      }
    }
    text += s;
    replaced += scanner.replaced;
  } while (scanner.count > 0 && scanner.at < bytes.length);
  scanner.release();
  return { text, replaced, records };
}

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
const withLF = (bytes: Uint8Array): Uint8Array => Uint8Array.from([...bytes, 0x0a]);

test('the module in spec/lines-wasm.ts is what spec/lines.wat assembles to', () => {
  execFileSync(process.execPath, ['--import', 'tsx', packagePath('scripts', 'build-lines-wasm.ts'), '--check'], { stdio: 'pipe' });
});

test('every pair of bytes, and every lead byte with its boundary continuations, decode as TextDecoder does', () => {
  const cases = edgeCases();
  // After nothing, and after ASCII that fills a block of sixteen (the bytes before the first
  // non-ASCII one become code units then).
  for (const prefix of [enc(''), enc('data: 0123456789abcdef')]) {
    for (const pair of cases) {
      const bytes = withLF(Uint8Array.from([...prefix, ...pair]));
      const expected = reference(bytes);
      const { text, replaced } = scanAll(bytes);
      assert.equal(text, model(expected).text, Buffer.from(bytes).toString('hex'));
      assert.equal(replaced, inserted(bytes, expected), Buffer.from(bytes).toString('hex'));
    }
  }
});

test('every pair and boundary lead, at each place of a block of valid multi-byte text, decodes as TextDecoder does', () => {
  // Valid text is read sixteen bytes at a time; a case after m two-byte sequences (and one ASCII
  // byte or none) falls at each place of a block, one case per line, valid text after it.
  const cases = edgeCases();
  for (let place = 0; place < 18; place++) {
    const before = enc('x: ' + '\u0434'.repeat(place >> 1) + (place & 1 ? 'y' : ''));
    const after = enc('\u4f60\u0434\u0430\u043d\u4f60\u597d\n');
    const bytes = new Uint8Array(cases.reduce((n, c) => n + before.length + c.length + after.length, 0));
    let at = 0;
    for (const c of cases) {
      bytes.set(before, at);
      bytes.set(c, at + before.length);
      bytes.set(after, at + before.length + c.length);
      at += before.length + c.length + after.length;
    }
    const expected = reference(bytes);
    const { text, replaced } = scanAll(bytes);
    if (text !== model(expected).text) {
      const wanted = model(expected).text;
      let i = 0;
      while (text[i] === wanted[i]) i++;
      assert.fail(`place ${place}: differs at ${i}: ${JSON.stringify(text.slice(i - 20, i + 20))} vs ${JSON.stringify(wanted.slice(i - 20, i + 20))}`);
    }
    assert.equal(replaced, inserted(bytes, expected), `place ${place}`);
  }
});

// Bytes near the edges of every UTF-8 rule, and line ends, in runs long enough for the blocks of sixteen.
const edgy = fc
  .array(
    fc.oneof(
      fc.constantFrom(0x0a, 0x0d, 0x20, 0x41, 0x00, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x8f, 0x90, 0x9f, 0xa0, 0xbd),
      fc.integer({ min: 0, max: 255 }),
      fc.constantFrom('data: ', 'caf\u00e9 ', '\u4f60\u597d', '\u{1F680}', '\u0434\u0430\u043d', 'abcdefghijklmnopqrstuvwxyz').map((s) => [...enc(s)]),
    ),
    { maxLength: 120 },
  )
  .map((parts) => withLF(Uint8Array.from(parts.flat())));

test('property: any bytes decode as TextDecoder does, every U+FFFD counted once', () => {
  fc.assert(
    fc.property(edgy, (bytes) => {
      const expected = reference(bytes);
      const { text, replaced } = scanAll(bytes);
      assert.equal(text, model(expected).text);
      assert.equal(replaced, inserted(bytes, expected));
    }),
    { numRuns: 5000 },
  );
});

/**
 * What the scanner makes of decoded text: §9.2.6's lines (ended by CRLF, LF or CR), each with the
 * kind of field it starts with, written with their line ends, without the prefix of a data line
 * that follows another ended by LF.
 */
function model(decoded: string): { text: string; lines: Line[] } {
  const lines: Line[] = [];
  let text = '';
  let previous = -1;
  let from = 0;
  for (let i = 0; i < decoded.length; i++) {
    const c = decoded[i];
    if (c !== '\n' && c !== '\r') continue;
    let flags = 0;
    const content = decoded.slice(from, i);
    let ending = c;
    if (c === '\r') {
      if (i + 1 === decoded.length) flags = CR_AT_END;
      else if (decoded[i + 1] === '\n') (ending = '\r\n'), i++;
      else flags = LONE_CR;
    }
    from = i + 1;
    const field = /^(data|id|event):( ?)/.exec(content);
    let kind = content === '' ? BLANK : content.startsWith(':') ? COMMENT : OTHER;
    let prefix = 0;
    if (field) {
      kind = field[1] === 'data' ? DATA : field[1] === 'id' ? ID : EVENT;
      prefix = field[0].length;
      if (kind === ID && content.slice(prefix).includes('\0')) {
        kind = OTHER;
        prefix = 0;
      }
    }
    const start = text.length;
    const written = kind === DATA && previous === DATA ? content.slice(prefix) : content;
    lines.push({ kind, flags, start, value: written === content ? start + prefix : start, end: start + written.length });
    text += written + ending;
    previous = ending === '\n' ? kind : -1;
  }
  return { text, lines };
}

/** Takes a simple event's record apart against the lines it stands for. */
function checkEventLines(record: EventLines, lines: Line[]): void {
  assert.ok(lines.length >= 2, 'a simple event has a field or comment line and its blank line');
  const last = lines.at(-1)!;
  assert.equal(last.kind, BLANK);
  assert.equal(last.flags, 0);
  let type: [number, number] = [-1, -1];
  let id: [number, number] = [-1, -1];
  const data: number[] = [];
  for (const [index, line] of lines.slice(0, -1).entries()) {
    assert.ok([DATA, ID, EVENT, COMMENT].includes(line.kind), `kind ${line.kind} in a simple event`);
    assert.equal(line.flags, 0);
    if (line.kind === DATA) data.push(index);
    if (line.kind === EVENT) type = [line.value, line.end];
    if (line.kind === ID) id = [line.value, line.end];
  }
  // Its data lines are consecutive, their values one piece of the text.
  if (data.length > 0) assert.equal(data.at(-1)! - data[0]!, data.length - 1);
  const dataRange = data.length === 0 ? [-1] : [lines[data[0]!]!.value, lines[data.at(-1)!]!.end];
  assert.deepEqual(record.data[0] === -1 ? [-1] : record.data, dataRange);
  assert.deepEqual(record.type[0] === -1 ? [-1] : record.type, type[0] === -1 ? [-1] : type);
  assert.deepEqual(record.id[0] === -1 ? [-1] : record.id, id[0] === -1 ? [-1] : id);
}

const lineText = fc.constantFrom(
  'data: x', 'data:x', 'data:', 'data', 'dat', 'data : x', 'id: 7', 'id:', 'id: a\0b', 'id: 0123456789abcdefghij\0k', 'event: e\u00e9', 'event:', 'eventx: y',
  ':comment', ': \u4f60', 'retry: 5', '\uFEFFdata: x', 'DATA: x', 'x'.repeat(40), '\u0434'.repeat(20), '',
);
const lineEnd = fc.constantFrom('\n', '\r\n', '\r');
const anyLine = fc.tuple(lineText, lineEnd).map(([t, e]) => t + e);
// Field and comment lines, then a blank line: mostly simple events.
const eventish = fc
  .tuple(fc.array(fc.constantFrom('data: x', 'id: 7', 'event: e\u00e9', ':c', 'data:\u4f60'), { minLength: 1, maxLength: 4 }), fc.constantFrom('\n', '\r\n'))
  .map(([lines, end]) => [...lines, ''].map((t) => t + end).join(''));
const stream = fc.array(fc.oneof(anyLine, eventish), { minLength: 1, maxLength: 60 }).map((parts) => parts.join(''));

test('property: the records are the lines §9.2.6 finds, each with its field; a simple event is one record', () => {
  let events = 0;
  fc.assert(
    fc.property(stream, (text) => {
      const bytes = enc(text);
      const scanned = scanAll(bytes);
      const expected = model(text).lines;
      assert.equal(scanned.text, model(text).text);
      let at = 0;
      for (const record of scanned.records) {
        if ('lines' in record) {
          checkEventLines(record, expected.slice(at, at + record.lines));
          at += record.lines;
          events++;
        } else {
          assert.deepEqual(record, expected[at]);
          at++;
        }
      }
      assert.equal(at, expected.length);
    }),
    { numRuns: 3000 },
  );
  assert.ok(events > 1000, `simple events were found (${events})`);
});

test('more lines than one scan takes: the scans go on from where they stopped', () => {
  const text = 'data: a\n\n'.repeat(3000) + ':\n'.repeat(5000) + 'data: \u00e9\n\n';
  const scanned = scanAll(enc(text));
  assert.equal(scanned.text, model(text).text);
  const lines = scanned.records.reduce((n, r) => n + ('lines' in r ? r.lines : 1), 0);
  assert.equal(lines, model(text).lines.length);
});
