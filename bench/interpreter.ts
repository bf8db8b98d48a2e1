/**
 * Interpreter throughput, side by side in one process, against the parsers people actually use:
 *
 * - ours: spec/interpreter.ts, fed raw bytes (it decodes UTF-8 itself).
 * - eventsource-parser 3.x: takes strings, so it is fed through a streaming TextDecoder, which is
 *   how every caller has to use it; the decoding is part of its cost.
 * - undici 7: the `EventSourceStream` Transform behind Node's global EventSource (an internal
 *   module, required by path), driven as a stream: write each chunk, end, wait for 'finish'. It
 *   gets the same `push` override undici's own EventSource installs, so events bypass the
 *   readable side; with that, every write() is parsed synchronously and never asks for 'drain'.
 * - LF scan: Buffer#indexOf (memchr) over the same chunks, counting 0x0A. No line parser can beat
 *   it; it is the ceiling that shows how much of the cost is the parsing itself.
 * - TextDecoder: a bare streaming `new TextDecoder().decode(chunk, {stream: true})` over the same
 *   chunks, parsing nothing: what turning the bytes into JS strings costs on its own.
 *
 * Run: node --import tsx bench/interpreter.ts
 */
import { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createParser } from 'eventsource-parser';
import { createInterpreter } from '../spec/interpreter.ts';
import { CHUNKINGS, getCorpora, WORDS } from './corpora.ts';
import { median } from './stats.ts';

// ---------------------------------------------------------------------------------------------
// Harness plumbing


// ---------------------------------------------------------------------------------------------
// Parsers. Each run parses every chunk once and returns the number of events it dispatched.

interface UndiciEvent {
  type: string;
  options: { data: string; lastEventId: string };
}
interface UndiciStream {
  write(chunk: Uint8Array): boolean;
  end(): void;
  once(event: 'finish' | 'error', listener: (error?: unknown) => void): void;
}
type UndiciStreamConstructor = new (options: { push: (event: UndiciEvent | null) => boolean }) => UndiciStream;

export function eventsourceParserVersion(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('eventsource-parser');
  const packageJson = entry.slice(0, entry.lastIndexOf('/dist/')) + '/package.json';
  return (require(packageJson) as { version: string }).version;
}

/** Loads undici's internal EventSourceStream; undefined (with the reason) when that is impossible. */
function loadUndici(): { ctor?: UndiciStreamConstructor; version?: string; reason?: string } {
  try {
    const require = createRequire(import.meta.url);
    // The module is internal (not in undici's "exports"), so it is required by file path.
    const packageJson = require.resolve('undici/package.json');
    const file = packageJson.replace(/package\.json$/, 'lib/web/eventsource/eventsource-stream.js');
    const { EventSourceStream } = require(file) as { EventSourceStream: UndiciStreamConstructor };
    const { version } = require(packageJson) as { version: string };
    return { ctor: EventSourceStream, version };
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}

interface EventRecord {
  type: string;
  data: string;
  lastEventId: string;
}

interface Parser {
  name: string;
  /** Parses the chunks; `collect`, when given, receives every event (for the correctness check). */
  run(chunks: Buffer[], collect?: (event: EventRecord) => void): Promise<number>;
}

const ours: Parser = {
  name: 'ours',
  async run(chunks, collect) {
    let count = 0;
    const interpreter = createInterpreter({
      onEvent: collect
        ? (event) => {
            count++;
            collect(event);
          }
        : () => {
            count++;
          },
    });
    for (const chunk of chunks) interpreter.feed(chunk);
    interpreter.end();
    return count;
  },
};

const eventsourceParser: Parser = {
  name: 'eventsource-parser',
  async run(chunks, collect) {
    let count = 0;
    let lastEventId = '';
    const parser = createParser({
      onEvent: collect
        ? (event) => {
            count++;
            // eventsource-parser reports the event's own id field; the EventSource keeps the last.
            if (event.id !== undefined) lastEventId = event.id;
            collect({ type: event.event ?? 'message', data: event.data, lastEventId });
          }
        : () => {
            count++;
          },
    });
    const decoder = new TextDecoder();
    for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }));
    parser.feed(decoder.decode());
    return count;
  },
};

function undiciParser(ctor: UndiciStreamConstructor): Parser {
  return {
    name: 'undici',
    async run(chunks, collect) {
      let count = 0;
      const stream = new ctor({
        // Transform's final step pushes null; that is end of stream, not an event.
        push: collect
          ? (event) => {
              if (event !== null) {
                count++;
                collect({ type: event.type, data: event.options.data, lastEventId: event.options.lastEventId ?? '' });
              }
              return true;
            }
          : (event) => {
              if (event !== null) count++;
              return true;
            },
      });
      const done = new Promise<void>((resolve, reject) => {
        stream.once('finish', () => resolve());
        stream.once('error', reject);
      });
      for (const chunk of chunks) stream.write(chunk);
      stream.end();
      await done;
      return count;
    },
  };
}

/** Not a parser: the number of LF bytes, found by the same native search the parsers rely on. */
const lfScan: Parser = {
  name: 'LF scan',
  async run(chunks) {
    let count = 0;
    for (const chunk of chunks) {
      for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) count++;
    }
    return count;
  },
};

/** Not a parser either: a streaming TextDecoder over the same chunks; returns the code units. */
const textDecoder: Parser = {
  name: 'TextDecoder',
  async run(chunks) {
    const decoder = new TextDecoder();
    let units = 0;
    for (const chunk of chunks) units += decoder.decode(chunk, { stream: true }).length;
    return units + decoder.decode().length;
  },
};

// ---------------------------------------------------------------------------------------------
// The benchmark

/** Median throughput per parser in MB/s (10^6 bytes per second); undici is null when skipped. */
export interface Throughput {
  ours: number;
  eventsourceParser: number;
  undici: number | null;
  lfScan: number;
  textDecoder: number;
}

export interface Row {
  corpus: string;
  chunking: string;
  bytes: number;
  chunks: number;
  events: number;
  /**
   * Over the process's CPU time (user + system) during each run. This is the headline: it does
   * not count time the process spent preempted by other work on the machine, which made
   * wall-clock medians swing by ±30% on a shared machine. GC helper threads are included.
   */
  cpu: Throughput;
  /** Over wall-clock time, for reference. */
  wall: Throughput;
  /**
   * How many times faster ours is than eventsource-parser and undici: the median over the
   * iterations of each iteration's time ratio (the parsers run back to back in every iteration,
   * so a slow spell of the machine cancels out instead of landing on one parser's median).
   */
  vsEventsourceParser: number;
  vsUndici: number | null;
  /** The same ratios over wall-clock time. */
  wallVsEventsourceParser: number;
  wallVsUndici: number | null;
}

export interface BenchOptions {
  /** Timed iterations per parser and combination (after the warm-up). */
  iterations?: number;
  warmup?: number;
  log?: (line: string) => void;
}

function sameEvents(a: EventRecord[], b: EventRecord[]): string | undefined {
  if (a.length !== b.length) return `${a.length} vs ${b.length} events`;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.type !== y.type || x.data !== y.data || x.lastEventId !== y.lastEventId) return `event ${i} differs`;
  }
  return undefined;
}

export const undiciInfo = loadUndici();

export async function runInterpreterBench(options: BenchOptions = {}): Promise<Row[]> {
  const iterations = options.iterations ?? 21;
  const warmup = options.warmup ?? 3;
  const log = options.log ?? (() => {});
  const undici = undiciInfo.ctor ? undiciParser(undiciInfo.ctor) : undefined;
  if (!undici) log(`undici EventSourceStream skipped: ${undiciInfo.reason}`);
  const parsers = [ours, eventsourceParser, ...(undici ? [undici] : []), lfScan, textDecoder];

  const rows: Row[] = [];
  for (const corpus of getCorpora()) {
    for (const chunking of CHUNKINGS) {
      const chunks = chunking.split(corpus.bytes);
      const label = `${corpus.name} / ${chunking.name}`;

      // Every timed run must count as many events as this one (and the LF scan as many LFs).
      const events = await ours.run(chunks);
      const expected = new Map<Parser, number>([
        [lfScan, await lfScan.run(chunks)],
        [textDecoder, new TextDecoder().decode(corpus.bytes).length],
      ]);

      // Seconds per timed iteration, per parser.
      const cpu = new Map<Parser, number[]>(parsers.map((parser) => [parser, []]));
      const wall = new Map<Parser, number[]>(parsers.map((parser) => [parser, []]));
      for (let i = 0; i < warmup + iterations; i++) {
        // Rotate the order so no parser always runs right after the same neighbour. (No forced
        // GC between runs: a full GC before each run made every parser 2-3x slower.)
        for (let k = 0; k < parsers.length; k++) {
          const parser = parsers[(i + k) % parsers.length]!;
          const cpuStart = process.cpuUsage();
          const wallStart = performance.now();
          const count = await parser.run(chunks);
          const wallMs = performance.now() - wallStart;
          const cpuUsed = process.cpuUsage(cpuStart);
          if (count !== (expected.get(parser) ?? events)) {
            throw new Error(`${label}: ${parser.name} counted ${count}, not ${expected.get(parser) ?? events}`);
          }
          if (i < warmup) continue;
          cpu.get(parser)!.push((cpuUsed.user + cpuUsed.system) / 1e6);
          wall.get(parser)!.push(wallMs / 1e3);
        }
      }
      const mbps = (seconds: number[]): number => median(seconds.map((s) => corpus.bytes.length / 1e6 / s));
      const medians = (samples: Map<Parser, number[]>): Throughput => ({
        ours: mbps(samples.get(ours)!),
        eventsourceParser: mbps(samples.get(eventsourceParser)!),
        undici: undici ? mbps(samples.get(undici)!) : null,
        lfScan: mbps(samples.get(lfScan)!),
        textDecoder: mbps(samples.get(textDecoder)!),
      });
      const paired = (samples: Map<Parser, number[]>, other: Parser): number => {
        const ourTimes = samples.get(ours)!;
        return median(samples.get(other)!.map((seconds, i) => seconds / ourTimes[i]!));
      };
      const row: Row = {
        corpus: corpus.name,
        chunking: chunking.name,
        bytes: corpus.bytes.length,
        chunks: chunks.length,
        events,
        cpu: medians(cpu),
        wall: medians(wall),
        vsEventsourceParser: paired(cpu, eventsourceParser),
        vsUndici: undici ? paired(cpu, undici) : null,
        wallVsEventsourceParser: paired(wall, eventsourceParser),
        wallVsUndici: undici ? paired(wall, undici) : null,
      };
      rows.push(row);
      log(`${label}: done`);
    }
  }

  // Then, untimed, the full comparison: every parser must produce exactly our events. It runs
  // last on purpose: retaining tens of thousands of events makes V8 pretenure the allocation
  // sites involved, and every later run (of every parser) got 2-3x slower when it ran first.
  for (const corpus of getCorpora()) {
    for (const chunking of CHUNKINGS) {
      const chunks = chunking.split(corpus.bytes);
      const reference: EventRecord[] = [];
      await ours.run(chunks, (event) => reference.push(event));
      for (const parser of parsers) {
        if (parser === ours || parser === lfScan || parser === textDecoder) continue;
        const seen: EventRecord[] = [];
        await parser.run(chunks, (event) => seen.push(event));
        const problem = sameEvents(seen, reference);
        if (problem) throw new Error(`${corpus.name} / ${chunking.name}: ${parser.name} disagrees with ours: ${problem}`);
      }
    }
  }
  log('all parsers produced identical events');
  return rows;
}

/** The targets: ≥ 2× eventsource-parser with 64 KiB chunks, ≥ 1.3× with 1–100-byte chunks. */
export function targetFor(row: Row): number {
  return row.chunking === '64KiB' ? 2.0 : 1.3;
}

/** A Markdown table of the rows, over CPU time (the headline) or wall-clock time. */
export function formatTable(rows: Row[], clock: 'cpu' | 'wall' = 'cpu'): string {
  const header = ['corpus', 'chunks', 'events', 'ours MB/s', 'e-p MB/s', 'undici MB/s', 'LF scan MB/s', 'TextDecoder MB/s', 'ours/e-p', 'ours/undici'];
  if (clock === 'cpu') header.push('target');
  const body = rows.map((row) => {
    const t = row[clock];
    const vsEp = clock === 'cpu' ? row.vsEventsourceParser : row.wallVsEventsourceParser;
    const vsUndici = clock === 'cpu' ? row.vsUndici : row.wallVsUndici;
    const cells = [
      row.corpus,
      row.chunking,
      String(row.events),
      t.ours.toFixed(0),
      t.eventsourceParser.toFixed(0),
      t.undici === null ? 'skipped' : t.undici.toFixed(0),
      t.lfScan.toFixed(0),
      t.textDecoder.toFixed(0),
      `${vsEp.toFixed(2)}×`,
      vsUndici === null ? '—' : `${vsUndici.toFixed(2)}×`,
    ];
    if (clock === 'cpu') cells.push(`≥${targetFor(row).toFixed(1)}× ${vsEp >= targetFor(row) ? 'met' : 'MISSED'}`);
    return cells;
  });
  return alignedTable(header, body);
}

function alignedTable(header: string[], body: string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((width, i) => (i < 2 ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Linearity: one huge line fed in tiny chunks must cost time proportional to its size.

export interface LinearityRow {
  text: string;
  mib: number;
  chunk: number;
  /** Median CPU milliseconds per MiB of the line, ours and eventsource-parser. */
  oursMsPerMiB: number;
  eventsourceParserMsPerMiB: number;
}

/** One event whose single data line is `mib` MiB of ASCII or of non-ASCII text, fed `chunk` bytes at a time. */
export async function runLinearityBench(iterations = 5): Promise<LinearityRow[]> {
  const rows: LinearityRow[] = [];
  const unit = { ascii: 'abcdefghijklmnopqrstuvwxyz0123456789,"[]{}:', 'non-ascii': WORDS.join(' ') };
  for (const [text, sample] of Object.entries(unit)) {
    // The first size only warms the code up.
    for (const mib of [1, 1, 8]) {
      const size = mib * 1024 * 1024;
      const piece = Buffer.from(sample);
      const body = Buffer.alloc(size);
      for (let at = 0; at < size; at += piece.length) piece.copy(body, at);
      // Cut back to whole code points, so the data line decodes without U+FFFD.
      let end = size;
      while (end > 0 && (body[end - 1]! & 0xc0) === 0x80) end--;
      if (end > 0 && body[end - 1]! >= 0xc0) end--;
      const bytes = Buffer.concat([Buffer.from('data: '), body.subarray(0, end), Buffer.from('\n\n')]);
      const chunk = 16;
      const chunks: Buffer[] = [];
      for (let at = 0; at < bytes.length; at += chunk) chunks.push(bytes.subarray(at, at + chunk));
      const times = new Map<Parser, number[]>([[ours, []], [eventsourceParser, []]]);
      for (let i = 0; i < iterations; i++) {
        for (const parser of times.keys()) {
          const start = process.cpuUsage();
          if ((await parser.run(chunks)) !== 1) throw new Error(`linearity: ${parser.name} did not dispatch the one event`);
          const used = process.cpuUsage(start);
          times.get(parser)!.push((used.user + used.system) / 1e3 / (bytes.length / 2 ** 20));
        }
      }
      // A size measured again replaces its earlier row: the first 1 MiB run is the warm-up.
      const row = { text, mib, chunk, oursMsPerMiB: median(times.get(ours)!), eventsourceParserMsPerMiB: median(times.get(eventsourceParser)!) };
      const earlier = rows.findIndex((other) => other.text === text && other.mib === mib);
      if (earlier === -1) rows.push(row);
      else rows[earlier] = row;
    }
  }
  return rows;
}

export function formatLinearityTable(rows: LinearityRow[]): string {
  const body = rows.map((row) => {
    const small = rows.find((other) => other.text === row.text && other.mib === 1)!;
    return [
      row.text,
      `${row.mib} MiB line, ${row.chunk}-byte chunks`,
      row.oursMsPerMiB.toFixed(1),
      `${(row.oursMsPerMiB / small.oursMsPerMiB).toFixed(2)}×`,
      row.eventsourceParserMsPerMiB.toFixed(1),
      `${(row.eventsourceParserMsPerMiB / small.eventsourceParserMsPerMiB).toFixed(2)}×`,
    ];
  });
  return alignedTable(['text', 'input', 'ours ms/MiB', 'vs 1 MiB', 'e-p ms/MiB', 'vs 1 MiB'], body);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  console.log(`node ${process.version}, eventsource-parser ${eventsourceParserVersion()}, undici ${undiciInfo.version ?? '(not loaded)'}`);
  for (const corpus of getCorpora()) {
    console.log(`corpus ${corpus.name}: ${corpus.bytes.length} bytes — ${corpus.description}`);
  }
  const rows = await runInterpreterBench({ log: (line) => console.error(line) });
  console.log('\nThroughput over process CPU time (medians of the timed runs; ratios are medians of paired runs):\n');
  console.log(formatTable(rows, 'cpu'));
  console.log('\nThe same runs over wall-clock time:\n');
  console.log(formatTable(rows, 'wall'));
  console.log('\nOne huge line in tiny chunks (CPU time per MiB; linear when 8 MiB costs what 1 MiB costs per MiB):\n');
  console.log(formatLinearityTable(await runLinearityBench()));
  console.log('\nMB/s = 10^6 bytes per second; e-p = eventsource-parser.');
  const missed = rows.filter((row) => row.vsEventsourceParser < targetFor(row));
  console.log(missed.length === 0 ? 'All targets met.' : `Targets missed on ${missed.length} of ${rows.length} rows.`);
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
