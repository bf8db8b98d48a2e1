/**
 * A mutating server for the probe fuzz: GET /fuzz/<seed> serves a valid event stream (status line,
 * headers and body) built from the seed, then corrupted from the same seed: bytes flipped,
 * inserted and deleted, the head itself sometimes hit, random chunking with pauses, and a random
 * early close or reset — or no close at all. The same seed always gives the same bytes, so a
 * failing iteration is reproduced by its seed alone (also on the Last-Event-ID reconnect).
 */
import { prng } from '../helpers/prng.ts';
import { rawServer, type HostileServer, type RequestContext } from './servers.ts';

export interface Plan {
  bytes: Buffer;
  /** Where each written piece ends (byte offsets into `bytes`). */
  cuts: number[];
  /** Pieces after which the server yields to the event loop (a separate TCP segment). */
  pauses: Set<number>;
  ending: 'end' | 'reset' | 'open';
  /** What was done, for the failure message. */
  mutations: string[];
}

const NAMES = ['message', 'update', 'ping', 'é', 'a:b', ''];
const VALUES = ['hello', '', ' leading', 'colon: inside', 'ünïcödé ✓', '😀', 'tab\there', '{"json":[1,2,3]}', 'x'.repeat(300)];
const NASTY = [0x00, 0x0a, 0x0d, 0x3a, 0x20, 0xff, 0xfe, 0xef, 0xbb, 0xbf, 0xc0, 0xed, 0x80];

function validStream(random: () => number): { head: string; body: string } {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  let body = random() < 0.2 ? '\uFEFF' : '';
  if (random() < 0.5) body += `retry: ${Math.floor(random() * 5000)}\n\n`;
  const count = 1 + Math.floor(random() * 12);
  for (let id = 1; id <= count; id++) {
    if (random() < 0.3) body += `: comment ${id}\n`;
    if (random() < 0.4) body += `event: ${pick(NAMES)}\n`;
    if (random() < 0.8) body += `id: ${id}\n`;
    const lines = 1 + Math.floor(random() * 3);
    for (let l = 0; l < lines; l++) body += `data: ${pick(VALUES)}\n`;
    body += random() < 0.1 ? '\r\n' : '\n';
  }
  const headers = ['HTTP/1.1 200 OK', 'content-type: text/event-stream', 'cache-control: no-cache'];
  if (random() < 0.3) headers.push('transfer-encoding: chunked');
  else headers.push('connection: close');
  return { head: headers.join('\r\n') + '\r\n\r\n', body };
}

function chunked(body: Buffer, random: () => number): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < body.length; ) {
    const size = Math.min(body.length - at, 1 + Math.floor(random() * 64));
    parts.push(Buffer.from(`${size.toString(16)}\r\n`), body.subarray(at, at + size), Buffer.from('\r\n'));
    at += size;
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

export function plan(seed: number): Plan {
  const random = prng(seed);
  const { head, body } = validStream(random);
  const bodyBytes = Buffer.from(body);
  const payload = head.includes('chunked') ? chunked(bodyBytes, random) : bodyBytes;
  let bytes = Buffer.concat([Buffer.from(head), payload]);
  const mutations: string[] = [];
  // Mostly the body; one plan in six may hit the status line and headers too.
  const from = random() < 1 / 6 ? 0 : head.length;
  const count = Math.floor(random() * 7);
  for (let m = 0; m < count && bytes.length > from; m++) {
    const at = from + Math.floor(random() * (bytes.length - from));
    const what = random();
    if (what < 0.35) {
      bytes[at] = bytes[at]! ^ (1 << Math.floor(random() * 8));
      mutations.push(`flip@${at}`);
    } else if (what < 0.7) {
      const n = 1 + Math.floor(random() * 4);
      const inserted = Buffer.from(Array.from({ length: n }, () => (random() < 0.7 ? NASTY[Math.floor(random() * NASTY.length)]! : Math.floor(random() * 256))));
      bytes = Buffer.concat([bytes.subarray(0, at), inserted, bytes.subarray(at)]);
      mutations.push(`insert${n}@${at}`);
    } else {
      const n = 1 + Math.floor(random() * 16);
      bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + n)]);
      mutations.push(`delete${n}@${at}`);
    }
  }
  // Random early close: cut the bytes somewhere, then end or reset; sometimes never close.
  const endingRoll = random();
  const ending: Plan['ending'] = endingRoll < 0.15 ? 'reset' : endingRoll < 0.25 ? 'open' : 'end';
  if (random() < 0.35) {
    const keep = Math.floor(random() * bytes.length);
    bytes = bytes.subarray(0, keep);
    mutations.push(`truncate@${keep}`);
  }
  mutations.push(ending);
  const cuts: number[] = [];
  const pauses = new Set<number>();
  for (let at = 0; at < bytes.length; ) {
    at = Math.min(bytes.length, at + 1 + Math.floor(random() * (random() < 0.5 ? 8 : 200)));
    cuts.push(at);
    if (random() < 0.15) pauses.add(cuts.length - 1);
  }
  return { bytes, cuts, pauses, ending, mutations };
}

function serve(ctx: RequestContext): void {
  const seed = Number(/^GET \/fuzz\/(\d+)/.exec(ctx.head)?.[1] ?? 0);
  const { bytes, cuts, pauses, ending } = plan(seed);
  let piece = 0;
  let at = 0;
  const next = () => {
    while (piece < cuts.length) {
      if (ctx.socket.destroyed) return;
      const end = cuts[piece]!;
      ctx.write(bytes.subarray(at, end));
      at = end;
      if (pauses.has(piece++)) return void setImmediate(next);
    }
    if (ending === 'end') ctx.socket.end();
    else if (ending === 'reset') ctx.socket.resetAndDestroy();
  };
  next();
}

export function startFuzzServer(): Promise<HostileServer> {
  return rawServer(serve);
}
