/**
 * Start-up cost of the installed command, side by side with a bare `node -e 0` in the same run:
 * the package is packed (`npm pack`, which builds dist/), installed into an empty project, and each
 * command is run in turn, round after round, so load on the machine hits every row alike. Figures
 * are medians of wall time from spawn to exit. Targets: `--help` within 2× bare node; the embedded
 * run (no arguments: the whole suite against the reference server) under 1.5 s.
 *
 *   npm run bench:startup [-- --rounds 15] [-- --installed <project dir>]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './stats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Row {
  what: string;
  file: string;
  args: string[];
  cwd?: string;
  /** The row's wall times, ms. */
  samples: number[];
  /** The CPU time (user + system) of each run, ms; empty where the platform does not say. */
  cpu: number[];
  /** Run in every `every`-th round only (slow rows). */
  every: number;
  target?: (medianMs: number, bareMs: number) => string;
}

/** Packs the package and installs the tarball into a fresh project; returns the project folder. */
export function installTarball(): string {
  const work = mkdtempSync(join(tmpdir(), 'sse-startup-'));
  execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'))!;
  const project = join(work, 'consumer');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, tarball)], { cwd: project, stdio: ['ignore', 'ignore', 'inherit'] });
  return project;
}

/**
 * CPU time of the waited-for children of this process, ms (Linux: cutime + cstime in
 * /proc/self/stat, in clock ticks of 10 ms), or null elsewhere. On a loaded machine a command's
 * wall time includes waiting for a CPU; its CPU time does not.
 */
function childrenCpuMs(): number | null {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return null;
  }
}

function time(row: Row): { wall: number; cpu: number | null } {
  const cpu0 = childrenCpuMs();
  const t0 = performance.now();
  const ran = spawnSync(row.file, row.args, { cwd: row.cwd, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  const wall = performance.now() - t0;
  if (ran.status !== 0) throw new Error(`${row.what} exited ${ran.status ?? ran.signal}`);
  const cpu1 = childrenCpuMs();
  return { wall, cpu: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0 };
}

export function runStartupBench(project: string, rounds: number): Row[] {
  const bin = join(project, 'node_modules', '.bin', 'sse-conformance');
  const rows: Row[] = [
    { what: '`node -e 0` (bare node)', file: process.execPath, args: ['-e', '0'], samples: [], cpu: [], every: 1 },
    { what: '`sse-conformance --help` (installed tarball)', file: bin, args: ['--help'], samples: [], cpu: [], every: 1, target: (ms, bare) => `≤ 2× bare: ${(ms / bare).toFixed(2)}× ${ms <= 2 * bare ? 'met' : 'MISSED'}` },
    { what: '`sse-conformance list`', file: bin, args: ['list'], samples: [], cpu: [], every: 1 },
    { what: '`sse-conformance fixtures`', file: bin, args: ['fixtures'], samples: [], cpu: [], every: 1 },
    { what: '`node bin/sse-conformance.js --help` (sources through tsx, development)', file: process.execPath, args: [join(ROOT, 'bin', 'sse-conformance.js'), '--help'], cwd: ROOT, samples: [], cpu: [], every: 1 },
    { what: '`sse-conformance` (embedded run, whole suite)', file: bin, args: [], cwd: project, samples: [], cpu: [], every: 3, target: (ms) => `< 1500 ms: ${ms < 1500 ? 'met' : 'MISSED'}` },
    { what: '`npx sse-conformance --help`', file: 'npx', args: ['--no-install', 'sse-conformance', '--help'], cwd: project, samples: [], cpu: [], every: 3 },
  ];
  for (const row of rows) time(row); // warm the file cache
  for (let round = 0; round < rounds; round++) {
    for (const row of rows) {
      if (round % row.every !== 0) continue;
      const { wall, cpu } = time(row);
      row.samples.push(wall);
      if (cpu !== null) row.cpu.push(cpu);
    }
  }
  return rows;
}

export function renderStartupTable(rows: readonly Row[]): string {
  const bare = median(rows[0]!.samples);
  const lines = ['| command | runs | median wall | min wall | vs bare node | median CPU | target |', '|---|---|---|---|---|---|---|'];
  for (const row of rows) {
    const ms = median(row.samples);
    const cpu = row.cpu.length > 0 ? `${Math.round(median(row.cpu))} ms` : '—';
    lines.push(`| ${row.what} | ${row.samples.length} | ${Math.round(ms)} ms | ${Math.round(Math.min(...row.samples))} ms | ${(ms / bare).toFixed(2)}× | ${cpu} | ${row.target?.(ms, bare) ?? ''} |`);
  }
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { rounds: { type: 'string' }, installed: { type: 'string' } } });
  const rounds = Number(values.rounds ?? 15);
  const project = values.installed ?? installTarball();
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  const rows = runStartupBench(project, rounds);
  console.log(`\nStart-up, installed tarball — ${new Date().toISOString()} · node ${process.version} · ${cpus().length} CPUs · load average before ${load}, after ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  console.log(renderStartupTable(rows));
  if (!values.installed) rmSync(join(project, '..'), { recursive: true, force: true });
}
