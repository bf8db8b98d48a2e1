/**
 * The interpreter benchmark's inputs: five corpora of about 4 MiB, generated deterministically
 * (small JSON with LF and with CRLF, big data, multi-line values, non-ASCII text), and the two
 * chunkings they are fed in (64 KiB, and seeded random 1–100 bytes).
 */
import { Buffer } from 'node:buffer';
import { prng } from '../test/helpers/prng.ts';

// ---------------------------------------------------------------------------------------------
// Corpora: about 4 MiB each, generated deterministically; all ASCII but non-ascii.

const TARGET = 4 * 1024 * 1024;

export interface Corpus {
  name: string;
  description: string;
  bytes: Buffer;
}

function alnum(random: () => number, length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(random() * alphabet.length)];
  return s;
}

/** Events numbered from 1, concatenated until they reach TARGET bytes of UTF-8. */
function eventsUpToTarget(event: (n: number) => string): string {
  const parts: string[] = [];
  let size = 0;
  for (let n = 1; size < TARGET; n++) {
    const text = event(n);
    parts.push(text);
    size += Buffer.byteLength(text);
  }
  return parts.join('');
}

function smallJsonEvents(eol: string): string {
  const random = prng(1);
  return eventsUpToTarget((n) => {
    const payload = JSON.stringify({
      seq: n,
      user: `u${Math.floor(random() * 100000)}`,
      price: Math.round(random() * 1e6) / 100,
      tags: [alnum(random, 4), alnum(random, 6)],
      ok: random() < 0.5,
    });
    return `id: ${n}${eol}event: update${eol}data: ${payload}${eol}${eol}`;
  });
}

function bigDataEvents(): string {
  const random = prng(2);
  return eventsUpToTarget((n) => {
    // One data line of ~64 KiB: a JSON array of short strings, so it has the usual punctuation.
    const items: string[] = [];
    let length = 0;
    while (length < 64 * 1024 - 40) {
      const item = `"${alnum(random, 8 + Math.floor(random() * 24))}"`;
      items.push(item);
      length += item.length + 1;
    }
    return `id: ${n}\ndata: [${items.join(',')}]\n\n`;
  });
}

function multiLineEvents(): string {
  const random = prng(3);
  return eventsUpToTarget((n) => {
    let event = `id: ${n}\n`;
    for (let i = 0; i < 10; i++) event += `data: ${i} ${alnum(random, 20 + Math.floor(random() * 60))}\n`;
    return event + '\n';
  });
}

// Words in several scripts (Cyrillic, Greek, Han, Japanese kana, Arabic, Devanagari, Hangul, Thai) and
// emoji, so that most bytes of the text are multi-byte UTF-8 sequences of two, three and four bytes.
export const WORDS = [
  'привет', 'сообщение', 'данные', 'καλημέρα', 'μήνυμα', '你好', '世界', '消息', 'こんにちは', 'メッセージ',
  'مرحبا', 'رسالة', 'नमस्ते', 'संदेश', '안녕하세요', '메시지', 'สวัสดี', 'ข้อความ', 'café', 'naïve',
  '😀', '🚀', '👍🏽', '🎉', '❤️',
];

function nonAsciiEvents(): string {
  const random = prng(4);
  return eventsUpToTarget((n) => {
    const words: string[] = [];
    for (let i = 3 + Math.floor(random() * 8); i > 0; i--) words.push(WORDS[Math.floor(random() * WORDS.length)]!);
    const payload = JSON.stringify({ seq: n, from: WORDS[Math.floor(random() * 18)], text: words.join(' ') });
    return `id: ${n}\nevent: chat\ndata: ${payload}\n\n`;
  });
}

let corpora: Corpus[] | undefined;
export function getCorpora(): Corpus[] {
  corpora ??= [
    { name: 'small-json', description: 'id + event + one JSON data line (~110 B events), LF', bytes: Buffer.from(smallJsonEvents('\n'), 'latin1') },
    { name: 'big-data', description: 'one ~64 KiB data line per event', bytes: Buffer.from(bigDataEvents(), 'latin1') },
    { name: 'multi-line', description: 'id + 10 data lines per event', bytes: Buffer.from(multiLineEvents(), 'latin1') },
    { name: 'small-json-crlf', description: 'small-json with CRLF line ends', bytes: Buffer.from(smallJsonEvents('\r\n'), 'latin1') },
    { name: 'non-ascii', description: 'id + event + one JSON data line of chat text in eight scripts and emoji (~150 B events), LF', bytes: Buffer.from(nonAsciiEvents(), 'utf8') },
  ];
  const only = process.env.BENCH_CORPORA?.split(',');
  if (only) corpora = corpora.filter((corpus) => only.includes(corpus.name));
  return corpora;
}

// ---------------------------------------------------------------------------------------------
// Chunkings: zero-copy views into the corpus.

export interface Chunking {
  name: string;
  split(bytes: Buffer): Buffer[];
}

export const CHUNKINGS: Chunking[] = [
  {
    name: '64KiB',
    split(bytes) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < bytes.length; at += 65536) chunks.push(bytes.subarray(at, at + 65536));
      return chunks;
    },
  },
  {
    name: '1-100B',
    split(bytes) {
      const random = prng(42);
      const chunks: Buffer[] = [];
      for (let at = 0; at < bytes.length; ) {
        const size = 1 + Math.floor(random() * 100);
        chunks.push(bytes.subarray(at, at + size));
        at += size;
      }
      return chunks;
    },
  },
];
