/**
 * Linearity of the interpreter benchmark: one huge line fed in tiny chunks must cost time
 * proportional to its size (ours beside eventsource-parser), in ASCII and in non-ASCII text.
 */
import { Buffer } from 'node:buffer';
import { alignedTable } from './aligned-table.ts';
import { WORDS } from './corpora.ts';
import { eventsourceParser, ours, type Parser } from './parsers.ts';
import { median } from './stats.ts';

export interface LinearityRow {
  text: string;
  mib: number;
  chunk: number;
  /** Median CPU milliseconds per MiB of the line, ours and eventsource-parser. */
  oursMsPerMiB: number;
  eventsourceParserMsPerMiB: number;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** One event whose single data line is `mib` MiB of ASCII or of non-ASCII text, fed `chunk` bytes at a time. */
export async function runLinearityBench(iterations = 5): Promise<LinearityRow[]> {
  const rows: LinearityRow[] = [];
  const unit = { ascii: 'abcdefghijklmnopqrstuvwxyz0123456789,"[]{}:', 'non-ascii': WORDS.join(' ') };
  for (const [text, sample] of Object.entries(unit)) {
    // The first size only warms the code up.
    for (const mib of [1, 1, 8, 16]) {
      // The line repeats one period of whole pieces, a multiple of the chunk size long, so the
      // same few chunk objects come again and again: a harness that made one view object per
      // 16 bytes (half a million for 8 MiB) measured its own cache misses on them, not the parsers.
      const chunk = 16;
      const piece = Buffer.from(sample);
      const period = Buffer.concat(Array.from({ length: chunk / gcd(piece.length, chunk) }, () => piece));
      const periodChunks: Buffer[] = [];
      for (let at = 0; at < period.length; at += chunk) periodChunks.push(period.subarray(at, at + chunk));
      const periods = Math.max(1, Math.round((mib * 1024 * 1024) / period.length));
      const chunks: Buffer[] = [Buffer.from('data: ')];
      for (let k = 0; k < periods; k++) chunks.push(...periodChunks);
      chunks.push(Buffer.from('\n\n'));
      const size = 8 + periods * period.length;
      const times = new Map<Parser, number[]>([[ours, []], [eventsourceParser, []]]);
      for (let i = 0; i < iterations; i++) {
        for (const parser of times.keys()) {
          const start = process.cpuUsage();
          if ((await parser.run(chunks)) !== 1) throw new Error(`linearity: ${parser.name} did not dispatch the one event`);
          const used = process.cpuUsage(start);
          times.get(parser)!.push((used.user + used.system) / 1e3 / (size / 2 ** 20));
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
