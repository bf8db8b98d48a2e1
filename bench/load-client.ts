/**
 * The load client, in its own process: opens N streams to a URL (at most 500 connecting at
 * once), reads each through the project's interpreter until K events arrived, and verifies that
 * every stream saw ids 1..K in order. Prints one JSON line, then keeps the streams open (idle)
 * until killed, so the parent can measure the server's memory with N idle streams.
 *   node --import tsx bench/load-client.ts <url> <N> <K> <deadline-ms>
 */
import { Agent, get } from 'node:http';
import { createInterpreter } from '../spec/interpreter.ts';

const url = process.argv[2]!;
const n = Number(process.argv[3]);
const k = Number(process.argv[4]);
const deadlineMs = Number(process.argv[5] ?? 60_000);
const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
const t0 = performance.now();
const firstEvent: number[] = [];
let events = 0;
let complete = 0;
let reordered = 0;
let failed = 0;
let connecting = 0;
let started = 0;
let reported = false;

function open(): void {
  started++;
  connecting++;
  const opened = performance.now();
  let next = 1;
  let connected = false;
  const onConnected = () => {
    if (connected) return;
    connected = true;
    connecting--;
    pump();
  };
  const interpreter = createInterpreter({
    onEvent: (event) => {
      events++;
      if (next === 1) firstEvent.push(performance.now() - opened);
      if (event.lastEventId !== String(next)) reordered++;
      if (++next === k + 1 && ++complete === n) report();
    },
  });
  const request = get(url, { agent, headers: { accept: 'text/event-stream' } }, (response) => {
    onConnected();
    response.on('data', (chunk: Buffer) => interpreter.feed(chunk));
    response.on('error', () => undefined);
  });
  request.on('error', () => {
    failed++;
    onConnected();
  });
}

function pump(): void {
  while (started < n && connecting < 500) open();
}

function report(): void {
  if (reported) return;
  reported = true;
  const elapsed = performance.now() - t0;
  const sorted = [...firstEvent].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10 : null);
  const line = { n, k, complete, failed, lost: n * k - events, reordered, elapsedMs: Math.round(elapsed), eventsPerSec: Math.round(events / (elapsed / 1000)), ttfeMedianMs: at(0.5), ttfeP99Ms: at(0.99) };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

setTimeout(report, deadlineMs).unref();
pump();
setInterval(() => undefined, 1 << 30); // streams stay open and idle until the parent kills us
