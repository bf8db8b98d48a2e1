/**
 * Reference server at scale: N concurrent streams (1, 100, 1,000, 10,000) against our reference
 * server, a bare node:http server writing the same bytes, and better-sse — side by side in one
 * run, each server and the client in separate processes on loopback. Reports events delivered per
 * second, time to first event, lost or reordered events (the client verifies ids), and each
 * server's RSS while holding the N streams idle. Medians over `--runs` (default 3).
 *   node --import tsx bench/load.ts [--runs 3] [--max 10000]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { median } from './stats.ts';

const KINDS = ['reference', 'bare', 'better-sse'] as const;
type Kind = (typeof KINDS)[number];
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export interface LoadRow {
  kind: Kind;
  n: number;
  k: number;
  eventsPerSec: number;
  ttfeMedianMs: number | null;
  rssMiB: number;
  lost: number;
  reordered: number;
  failed: number;
}

function child(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
}

async function firstLine(proc: ChildProcess, timeoutMs: number): Promise<string> {
  const lines = createInterface({ input: proc.stdout! });
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  try {
    const [line] = (await Promise.race([once(lines, 'line'), once(proc, 'exit').then(() => ['']) ])) as [string];
    return line;
  } finally {
    clearTimeout(timer);
    lines.close();
  }
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  proc.kill('SIGKILL');
  await once(proc, 'exit');
}

async function measure(kind: Kind, n: number, k: number): Promise<LoadRow> {
  const server = child([here('./load-server.ts'), kind, String(k)]);
  const client: { proc?: ChildProcess } = {};
  try {
    const port = Number(await firstLine(server, 20_000));
    if (!port) throw new Error(`${kind} server did not start`);
    client.proc = child([here('./load-client.ts'), `http://127.0.0.1:${port}/bench-stream`, String(n), String(k), '60000']);
    const result = JSON.parse((await firstLine(client.proc, 90_000)) || '{}');
    await new Promise((resolve) => setTimeout(resolve, 300)); // let the server settle, streams idle
    return { kind, n, k, eventsPerSec: result.eventsPerSec ?? 0, ttfeMedianMs: result.ttfeMedianMs ?? null, rssMiB: rssMiB(server.pid!), lost: result.lost ?? n * k, reordered: result.reordered ?? 0, failed: result.failed ?? n };
  } finally {
    if (client.proc) await stop(client.proc);
    await stop(server);
  }
}


export async function runLoadBench(runs = 3, max = 10_000): Promise<LoadRow[]> {
  const rows: LoadRow[] = [];
  for (const n of [1, 100, 1000, 10_000].filter((v) => v <= max)) {
    const k = Math.min(10_000, Math.max(10, Math.round(100_000 / n)));
    for (const kind of KINDS) {
      const samples: LoadRow[] = [];
      // Interleave kinds run by run would be fairer on a noisy machine; servers are cheap to restart.
      for (let r = 0; r < runs; r++) samples.push(await measure(kind, n, k));
      rows.push({
        kind,
        n,
        k,
        eventsPerSec: median(samples.map((s) => s.eventsPerSec)),
        ttfeMedianMs: median(samples.map((s) => s.ttfeMedianMs ?? Infinity)),
        rssMiB: median(samples.map((s) => s.rssMiB)),
        lost: Math.max(...samples.map((s) => s.lost)),
        reordered: Math.max(...samples.map((s) => s.reordered)),
        failed: Math.max(...samples.map((s) => s.failed)),
      });
    }
  }
  return rows;
}

export function renderLoadTable(rows: LoadRow[]): string {
  const out = ['| streams | events/stream | server | events/s | vs bare | first event (median) | RSS with streams idle | vs bare | lost / reordered / failed |', '|---|---|---|---|---|---|---|---|---|'];
  for (const row of rows) {
    const bare = rows.find((r) => r.kind === 'bare' && r.n === row.n)!;
    out.push(`| ${row.n} | ${row.k} | ${row.kind} | ${row.eventsPerSec.toLocaleString('en')} | ${(row.eventsPerSec / bare.eventsPerSec).toFixed(2)}× | ${row.ttfeMedianMs} ms | ${row.rssMiB} MiB | ${(row.rssMiB / bare.rssMiB).toFixed(2)}× | ${row.lost} / ${row.reordered} / ${row.failed} |`);
  }
  return out.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i === -1 ? fallback : Number(process.argv[i + 1]);
  };
  const rows = await runLoadBench(arg('--runs', 3), arg('--max', 10_000));
  console.log('\nReference server at scale (loopback, separate processes, medians)\n');
  console.log(renderLoadTable(rows));
}
