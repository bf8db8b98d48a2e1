/**
 * Interpreter throughput, side by side in one process, against the parsers people actually use
 * and two physical references (bench/parsers.ts), on every corpus and chunking of bench/corpora.ts;
 * and the linearity rows (bench/linearity.ts).
 *
 * Run: node --import tsx bench/interpreter.ts
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { compareEvents } from '../spec/compare.ts';
import { alignedTable } from './aligned-table.ts';
import { CHUNKINGS, getCorpora } from './corpora.ts';
import { formatLinearityTable, runLinearityBench } from './linearity.ts';
import { eventsourceParser, eventsourceParserVersion, lfScan, ours, textDecoder, undiciInfo, undiciParser, type EventRecord, type Parser } from './parsers.ts';
import { median } from './stats.ts';

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
        const problem = compareEvents(reference, seen);
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
  console.log('\nOne huge line in tiny chunks (CPU time per MiB; linear when a longer line costs no more per MiB):\n');
  console.log(formatLinearityTable(await runLinearityBench()));
  console.log('\nMB/s = 10^6 bytes per second; e-p = eventsource-parser.');
  const missed = rows.filter((row) => row.vsEventsourceParser < targetFor(row));
  console.log(missed.length === 0 ? 'All targets met.' : `Targets missed on ${missed.length} of ${rows.length} rows.`);
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
