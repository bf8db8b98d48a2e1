/**
 * The real-world matrix: every adapter in examples/targets/<name>/ (a real SSE library serving the
 * server fixtures through its own API) is installed if needed, started on a free loopback port and
 * judged by the suite in-process. Per target: reports/targets/<name>/{results.json,report.html} and
 * the adapter's log in reports/targets/<name>.log; for all of them: reports/matrix.md and
 * reports/matrix.json. Findings are not errors: the exit code is 0 when every target was started
 * and judged (or left out as not installed), 1 when one could not be (its row says why, with the
 * tail of its log). An adapter that dies during its run is judged on what it did, and its row says
 * that it crashed.
 *
 *   node --import tsx examples/matrix.ts [--only hono,h3] [--parallel N] [--heartbeat 20000] [--fast]
 *
 * How a target is launched. By default (a folder with a package.json): missing node_modules are
 * installed (`npm ci`) and the adapter is `node server.mjs <corpus>`. A folder may instead (or as
 * well) hold a `target.json`, for adapters in other languages:
 *
 *   { "build"?: [cmd, ...args], "start": [cmd, ...args], "requires"?: [path | {"path", "apt"}] }
 *
 * Arguments may contain {corpus} (the corpus export), {port} and {dir} (the target's folder,
 * absolute); PORT is set in the environment as well, and both commands run in the target's folder
 * ("node" means this Node). `build` runs once, before anything is judged, logged and bounded by
 * BUILD_TIMEOUT_MS. A `requires` path that does not exist makes the row "not installed: <path>
 * (apt-get install <apt>)" and the target is left out — that is no failure of the matrix. Every
 * command runs in its own process group, which is killed as a whole.
 *
 * Then each target is started and judged on
 * every fixture but the keep-alive one in a single lane, one target at a time: the delivery check
 * times events 150 ms apart, and a second target starting or being judged on this 2-core machine
 * would blur that timing (events read together although sent apart). The keep-alive fixture, an
 * open stream held for 1.5 × heartbeat, is read for every target side by side (at most --parallel
 * at once, default all), starting as soon as its target is up, so the matrix takes about one
 * keep-alive hold plus a few seconds per target. --fast leaves that fixture out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { exportCorpus } from '../spec/export.ts';
import { loadFixtures } from '../spec/loader.ts';
import type { LoadedFixture } from '../spec/fixture.ts';
import { writeReports } from '../suite/reporters/index.ts';
import { summarize, type Outcome, type Result } from '../suite/result.ts';
import { runSuite, serverFixtures, type RunOptions, type SuiteRun } from '../suite/runner.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TARGETS_DIR = join(ROOT, 'examples', 'targets');
const REPORTS_DIR = join(ROOT, 'reports');
const OUT_DIR = join(REPORTS_DIR, 'targets');

const START_TIMEOUT_MS = 10_000;
const INSTALL_TIMEOUT_MS = 300_000;
const BUILD_TIMEOUT_MS = 300_000;
const KILL_GRACE_MS = 3_000;
const KEEPALIVE_FIXTURE = 'srv-keepalive';
/** The checks shown as columns, in the suite's order (keepalive only when it was run). */
const CHECK_COLUMNS = ['headers', 'framing', 'multiline', 'retry', 'resume', 'delivery', 'keepalive'];

type Counts = Record<Outcome, number>;
type Status = 'judged' | 'not-installed' | 'install-failed' | 'build-failed' | 'start-failed' | 'judge-failed';

interface Problem {
  requirement: string;
  level: string;
  outcome: 'fail' | 'warn';
  fixtures: string[];
  /** One reproduction (the first fixture's). */
  repro: string | null;
  message: string;
}

interface TargetRow {
  name: string;
  status: Status;
  /** Why a target could not be judged, and the end of its log. */
  error?: string;
  logTail?: string;
  /** The adapter died while it was being judged (its results stand, and say what it did). */
  crashed?: string;
  summary?: SuiteRun['summary'];
  byCheck?: Record<string, Counts>;
  /** Fixtures the adapter answered 404 (not expressible through the library). */
  notExpressible?: string[];
  problems?: Problem[];
  report?: string;
  log: string;
  durationMs: number;
}

// ── processes ───────────────────────────────────────────────────────────────────────────────────

const children = new Set<ChildProcess>();

/** Every command runs in a process group of its own (detached), so that what it starts goes too. */
const ownGroup = process.platform !== 'win32';

/** Sends `signal` to the child's process group (or to the child alone where there are none). */
function signalChild(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(ownGroup ? -child.pid : child.pid, signal);
  } catch {
    /* already gone */
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Runs a command to completion, its output appended to the log; bounded by `timeoutMs`. */
function runLogged(command: string, args: string[], cwd: string, logFd: number, timeoutMs: number): Promise<{ code: number | null; timedOut: boolean }> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', logFd, logFd], env: process.env, detached: ownGroup });
    children.add(child);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      signalChild(child, 'SIGKILL');
    }, timeoutMs);
    const finish = (code: number | null) => {
      clearTimeout(timer);
      children.delete(child);
      done({ code, timedOut });
    };
    child.once('error', (error) => {
      writeSync(logFd, `\n[matrix] could not run ${command}: ${error.message}\n`);
      finish(null);
    });
    child.once('exit', (code) => finish(code));
  });
}

/**
 * SIGTERM to the child's process group, then SIGKILL after the grace period; resolves once the
 * child is gone. Whatever is left of its group (a worker that outlived its parent) gets SIGKILL.
 */
function stop(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      children.delete(child);
      signalChild(child, 'SIGKILL');
      return done();
    }
    const timer = setTimeout(() => signalChild(child, 'SIGKILL'), KILL_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      children.delete(child);
      signalChild(child, 'SIGKILL');
      done();
    });
    signalChild(child, 'SIGTERM');
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((done) => {
    const req = request({ host: '127.0.0.1', port, path: '/', method: 'GET', timeout: 1000 }, (res) => {
      res.resume();
      done(true);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => done(false));
    req.end();
  });
}

/** Waits until the adapter answers HTTP at all (any status), it exits, or the time is up. */
async function waitUntilUp(child: ChildProcess, port: number): Promise<string | null> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return `the adapter exited before answering (${child.exitCode !== null ? `code ${child.exitCode}` : child.signalCode})`;
    if (await answers(port)) return null;
    await new Promise((r) => setTimeout(r, 150));
  }
  return `no HTTP answer on 127.0.0.1:${port} within ${START_TIMEOUT_MS / 1000} s`;
}

const tail = (path: string, lines = 20): string => {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
};

// ── results → rows ──────────────────────────────────────────────────────────────────────────────

const zero = (): Counts => ({ pass: 0, fail: 0, warn: 0, skip: 0, info: 0 });

function tally(results: readonly Result[]): Pick<TargetRow, 'byCheck' | 'notExpressible' | 'problems'> {
  const byCheck: Record<string, Counts> = {};
  const notExpressible: string[] = [];
  const problems = new Map<string, Problem>();
  for (const r of results) {
    if (r.check === 'served') {
      if (r.fixture) notExpressible.push(r.fixture);
      continue;
    }
    (byCheck[r.check] ??= zero())[r.outcome]++;
    if (r.outcome === 'fail' || r.outcome === 'warn') {
      const key = `${r.outcome} ${r.requirement}`;
      const problem = problems.get(key) ?? { requirement: r.requirement, level: r.level, outcome: r.outcome, fixtures: [], repro: r.repro, message: r.message };
      if (r.fixture && !problem.fixtures.includes(r.fixture)) problem.fixtures.push(r.fixture);
      problems.set(key, problem);
    }
  }
  const order = (p: Problem) => (p.outcome === 'fail' ? 0 : 1);
  return {
    byCheck,
    notExpressible: notExpressible.sort(),
    problems: [...problems.values()].sort((a, b) => order(a) - order(b) || a.requirement.localeCompare(b.requirement)),
  };
}

// ── one target ──────────────────────────────────────────────────────────────────────────────────

interface Options {
  corpusPath: string;
  fixtures: readonly LoadedFixture[];
  heartbeatMs: number;
  skipKeepalive: boolean;
}

/** Runs the work handed to it one piece at a time, in order. */
class Lane {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

const logPathOf = (name: string) => join(OUT_DIR, `${name}.log`);

// ── launching: target.json, or npm ci + node server.mjs ─────────────────────────────────────────

/** A target's `target.json`: how to build and start an adapter that is not `node server.mjs`. */
interface LaunchSpec {
  build?: string[];
  start: string[];
  requires?: Array<string | { path: string; apt?: string }>;
}

const isCommand = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((a) => typeof a === 'string' && a.length > 0);

/** The target's launch spec: its target.json, else the default (`node server.mjs <corpus>`). */
function launchSpecOf(name: string): LaunchSpec {
  const path = join(TARGETS_DIR, name, 'target.json');
  if (!existsSync(path)) return { start: ['node', 'server.mjs', '{corpus}'] };
  const spec = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const where = relative(ROOT, path);
  if (!isCommand(spec.start)) throw new Error(`${where}: "start" must be a non-empty array of strings`);
  if (spec.build !== undefined && !isCommand(spec.build)) throw new Error(`${where}: "build" must be a non-empty array of strings`);
  const requires = spec.requires ?? [];
  const requirement = (r: unknown) => (typeof r === 'string' && isAbsolute(r)) || (typeof r === 'object' && r !== null && typeof (r as { path?: unknown }).path === 'string' && isAbsolute((r as { path: string }).path));
  if (!Array.isArray(requires) || !requires.every(requirement)) throw new Error(`${where}: "requires" must list absolute paths (or {"path", "apt"})`);
  return spec as unknown as LaunchSpec;
}

/** A command with its placeholders filled in; "node" is this Node. */
function command(argv: readonly string[], values: Record<string, string>): [string, string[]] {
  const filled = argv.map((a) => a.replace(/\{(corpus|port|dir)\}/g, (whole, key: string) => values[key] ?? whole));
  const [cmd, ...args] = filled;
  return [cmd === 'node' ? process.execPath : cmd!, args];
}

const shellWords = (cmd: string, args: readonly string[]) => [cmd, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');

type Prepared = { ok: true } | { ok: false; status: Status; error: string };

/**
 * Gets a target ready to start, once: its `requires` checked, `npm ci` where it has a package.json
 * and no node_modules, then its `build`. Everything goes to the target's log.
 */
async function prepare(name: string, corpusPath: string): Promise<Prepared> {
  const dir = join(TARGETS_DIR, name);
  let spec: LaunchSpec;
  try {
    spec = launchSpecOf(name);
  } catch (error) {
    return { ok: false, status: 'start-failed', error: (error as Error).message };
  }
  for (const r of spec.requires ?? []) {
    const { path, apt } = typeof r === 'string' ? { path: r, apt: undefined } : r;
    if (existsSync(path)) continue;
    const hint = apt ? `apt-get install ${apt}` : `apt-get install the package that provides it; see ${relative(ROOT, join(dir, 'README.md'))}`;
    return { ok: false, status: 'not-installed', error: `not installed: ${path} (${hint})` };
  }
  const logFd = openSync(logPathOf(name), 'a');
  try {
    if (existsSync(join(dir, 'package.json')) && !existsSync(join(dir, 'node_modules'))) {
      writeSync(logFd, `[matrix] npm ci --no-audit --no-fund in ${relative(ROOT, dir)}\n`);
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
      const { code, timedOut } = await runLogged(npm, ['ci', '--no-audit', '--no-fund'], dir, logFd, INSTALL_TIMEOUT_MS);
      if (code !== 0) return { ok: false, status: 'install-failed', error: timedOut ? `npm ci did not finish within ${INSTALL_TIMEOUT_MS / 1000} s` : `npm ci exited with code ${code}` };
    }
    if (spec.build) {
      const [cmd, args] = command(spec.build, { corpus: corpusPath, dir });
      writeSync(logFd, `[matrix] build in ${relative(ROOT, dir)}: ${shellWords(cmd, args)}\n`);
      const t0 = performance.now();
      const { code, timedOut } = await runLogged(cmd, args, dir, logFd, BUILD_TIMEOUT_MS);
      if (code !== 0) return { ok: false, status: 'build-failed', error: timedOut ? `the build did not finish within ${BUILD_TIMEOUT_MS / 1000} s` : `the build (${shellWords(cmd, args)}) exited with code ${code}` };
      writeSync(logFd, `[matrix] built in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    }
    return { ok: true };
  } finally {
    closeSync(logFd);
  }
}

/** A suite run that gives up (null) after `ms` instead of holding the matrix. */
async function bounded(options: RunOptions, ms: number): Promise<SuiteRun | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([runSuite(options), new Promise<null>((r) => (timer = setTimeout(() => r(null), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** One report out of the lane run and the keep-alive run, ordered as the runner orders results. */
function merge(runs: SuiteRun[], durationMs: number): SuiteRun {
  const order = new Map(CHECK_COLUMNS.map((c, i) => [c, i]));
  const results = runs.flatMap((r) => r.results).sort((a, b) => (a.fixture ?? '').localeCompare(b.fixture ?? '') || (order.get(a.check) ?? 99) - (order.get(b.check) ?? 99));
  const first = runs[0]!;
  return {
    ...first,
    durationMs,
    summary: summarize(results),
    results,
    mandatedWaitMs: Math.max(...runs.map((r) => r.mandatedWaitMs)),
    unreachable: runs.flatMap((r) => r.unreachable),
    attempted: runs.reduce((n, r) => n + r.attempted, 0),
  };
}

let slotCounter = 0;

async function judgeTarget(name: string, options: Options, lane: Lane, slots: Lane[]): Promise<TargetRow> {
  const t0 = performance.now();
  const dir = join(TARGETS_DIR, name);
  const logPath = logPathOf(name);
  const log = relative(REPORTS_DIR, logPath);
  const logFd = openSync(logPath, 'a');
  const row = (fields: Omit<TargetRow, 'name' | 'log' | 'durationMs'>): TargetRow => ({ name, ...fields, log, durationMs: Math.round(performance.now() - t0) });
  let child: ChildProcess | undefined;
  let exitedEarly: string | undefined;
  // Longest read: the keep-alive fixture holds its stream for 1.5 × heartbeat (+250 ms).
  const maxDurationMs = Math.round(options.heartbeatMs * 1.5) + 5000;
  const budgetMs = 120_000 + 3 * maxDurationMs;
  const suiteOptions = (base: string, selection: RunOptions['selection']): RunOptions => ({
    mode: 'fixtures',
    target: base,
    fixtures: options.fixtures,
    heartbeatMs: options.heartbeatMs,
    strict: false,
    limits: { maxDurationMs },
    selection,
  });
  try {
    // In the lane: start the adapter, wait for it, open the keep-alive hold, judge everything else.
    const started = await lane.run(async () => {
      console.log(`… ${name}`);
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const [cmd, args] = command(launchSpecOf(name).start, { corpus: options.corpusPath, port: String(port), dir });
      writeSync(logFd, `[matrix] PORT=${port} ${shellWords(cmd, args)}\n`);
      child = spawn(cmd, args, { cwd: dir, stdio: ['ignore', logFd, logFd], env: { ...process.env, PORT: String(port) }, detached: ownGroup });
      children.add(child);
      child.once('exit', (code, signal) => (exitedEarly = code !== null ? `exit code ${code}` : `signal ${signal}`));
      child.once('error', (error) => (exitedEarly = error.message));
      const notUp = await waitUntilUp(child, port);
      if (notUp) return { notUp } as const;
      const slot = slots[slotCounter++ % slots.length]!;
      const held = options.skipKeepalive ? Promise.resolve(null) : slot.run(() => bounded(suiteOptions(base, { only: [KEEPALIVE_FIXTURE], skip: [] }), budgetMs));
      const rest = await bounded(suiteOptions(base, { only: [], skip: [KEEPALIVE_FIXTURE] }), budgetMs);
      return { held, rest } as const;
    });
    if ('notUp' in started) return row({ status: 'start-failed', error: started.notUp, logTail: tail(logPath) });
    const held = await started.held;
    const runs = [started.rest, ...(options.skipKeepalive ? [] : [held])];
    if (runs.some((r) => r === null)) return row({ status: 'judge-failed', error: `the suite did not finish within ${budgetMs / 1000} s`, logTail: tail(logPath) });
    const run = merge(runs as SuiteRun[], Math.round(performance.now() - t0));

    const outDir = join(OUT_DIR, name);
    writeReports(run, ['json', 'html'], outDir);
    const report = relative(REPORTS_DIR, join(outDir, 'report.html'));
    const crashed = exitedEarly ? `the adapter died during the run (${exitedEarly})` : undefined;
    if (run.unreachable.length === run.attempted && run.attempted > 0) {
      return row({ status: 'judge-failed', error: `no fixture could be reached (${crashed ?? 'connection refused'})`, logTail: tail(logPath), report });
    }
    return row({ status: 'judged', ...(crashed ? { crashed, logTail: tail(logPath) } : {}), summary: run.summary, ...tally(run.results), report });
  } catch (error) {
    return row({ status: 'judge-failed', error: (error as Error).stack ?? String(error), logTail: tail(logPath) });
  } finally {
    if (child) await stop(child);
    closeSync(logFd);
  }
}

// ── the matrix ──────────────────────────────────────────────────────────────────────────────────

const cellText = (c: Counts | undefined): string => {
  if (!c) return '—';
  const mark = c.fail > 0 ? '✗ ' : c.warn > 0 ? '! ' : '';
  return `${mark}${c.pass}/${c.fail}/${c.warn}/${c.skip}`;
};
const esc = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function renderMatrix(rows: readonly TargetRow[], columns: readonly string[], meta: Record<string, unknown>): string {
  const lines = [
    '# SSE real-world matrix',
    '',
    `Generated ${meta.generatedAt} by \`node --import tsx examples/matrix.ts\` · ${meta.serverFixtures} server fixtures · heartbeat ${meta.heartbeatMs} ms${meta.skipKeepalive ? ' · keep-alive fixture left out (--fast)' : ''} · not strict (a broken SHOULD is a warning) · ${((meta.wallMs as number) / 1000).toFixed(1)} s.`,
    '',
    'Each cell counts results as **pass/fail/warn/skip** (✗ marks a cell with a failure, ! one with only warnings; a fail is a broken MUST, a warn a broken SHOULD). "404" counts the fixtures the adapter answered 404 because the library cannot express them (reported as SKIP; the adapter\'s README says why). Each adapter serves the fixtures through its library\'s own API: see `examples/targets/<name>/`.',
    '',
    `| target | ${columns.join(' | ')} | 404 | total | report |`,
    `|---|${columns.map(() => '---').join('|')}|---|---|---|`,
  ];
  for (const r of rows) {
    if (r.status !== 'judged') {
      const first = r.status === 'not-installed' ? `○ ${esc(r.error ?? '')}` : `✗ ${r.status}: ${esc(r.error ?? '')}`;
      const cells = [first, ...columns.slice(1).map(() => ''), '', '', `[log](${r.log})`];
      lines.push(`| **${r.name}** | ${cells.join(' | ')} |`);
      continue;
    }
    const s = r.summary!;
    lines.push(
      `| **${r.name}**${r.crashed ? ' (crashed)' : ''} | ${columns.map((c) => cellText(r.byCheck?.[c])).join(' | ')} | ${r.notExpressible?.length ?? 0} | ${s.passed}/${s.failed}/${s.warned}/${s.skipped} | [report](${r.report}) · [log](${r.log}) |`,
    );
  }
  lines.push('', '## Failures and warnings by target', '');
  for (const r of rows) {
    lines.push(`### ${r.name}`, '');
    if (r.status === 'not-installed') {
      lines.push(`**Not judged — ${r.error ?? 'not installed'}.**`, '');
      continue;
    }
    if (r.status !== 'judged') {
      lines.push(`**Not judged — ${r.status}:** ${r.error ?? ''}`, '', '```', r.logTail ?? '', '```', '');
      continue;
    }
    if (r.crashed) lines.push(`**${r.crashed}.** End of its log:`, '', '```', r.logTail ?? '', '```', '');
    const failed = r.problems!.filter((p) => p.outcome === 'fail');
    const warned = r.problems!.filter((p) => p.outcome === 'warn');
    lines.push(`Failed requirements: ${failed.length ? failed.map((p) => `\`${p.requirement}\``).join(', ') : 'none'}.`);
    lines.push(`Warned requirements: ${warned.length ? warned.map((p) => `\`${p.requirement}\``).join(', ') : 'none'}.`);
    if (r.notExpressible!.length) lines.push(`Answered 404 (not expressible): ${r.notExpressible!.join(', ')}.`);
    lines.push('');
    for (const p of r.problems!) {
      lines.push(`- ${p.outcome === 'fail' ? '✗ FAIL' : '! WARN'} \`${p.requirement}\` (${p.level}) in ${p.fixtures.join(', ')} — ${esc(p.message)}${p.repro ? `<br>repro: \`${esc(p.repro)}\`` : ''}`);
    }
    lines.push('');
  }
  return lines.join('\n') + '\n';
}

function listTargets(): string[] {
  return readdirSync(TARGETS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_') && !d.name.startsWith('.') && ['package.json', 'target.json'].some((f) => existsSync(join(TARGETS_DIR, d.name, f))))
    .map((d) => d.name)
    .sort();
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      parallel: { type: 'string' },
      heartbeat: { type: 'string', default: '20000' },
      fast: { type: 'boolean', default: false },
    },
  });
  const all = listTargets();
  const wanted = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : all;
  const unknown = wanted.filter((name) => !all.includes(name));
  if (unknown.length) {
    console.error(`unknown target(s): ${unknown.join(', ')} (have: ${all.join(', ')})`);
    return 2;
  }
  const heartbeatMs = Number(values.heartbeat);
  const parallel = values.parallel === undefined ? Math.max(1, wanted.length) : Number(values.parallel);
  if (!(heartbeatMs > 0) || !Number.isInteger(parallel) || parallel < 1) {
    console.error('--heartbeat takes a positive number of milliseconds, --parallel a positive integer');
    return 2;
  }

  const t0 = performance.now();
  const fixtures = loadFixtures();
  const tmp = mkdtempSync(join(tmpdir(), 'sse-matrix-'));
  const corpusPath = join(tmp, 'corpus.json');
  writeFileSync(corpusPath, JSON.stringify(exportCorpus(fixtures)));
  const options: Options = { corpusPath, fixtures, heartbeatMs, skipKeepalive: values.fast! };

  const rows: TargetRow[] = [];
  mkdirSync(OUT_DIR, { recursive: true });
  const ready: string[] = [];
  for (const name of wanted) {
    writeFileSync(logPathOf(name), '');
    const t1 = performance.now();
    const prepared = await prepare(name, corpusPath);
    if (prepared.ok) ready.push(name);
    else {
      const logTail = prepared.status === 'not-installed' ? undefined : tail(logPathOf(name));
      rows.push({ name, status: prepared.status, error: prepared.error, logTail, log: relative(REPORTS_DIR, logPathOf(name)), durationMs: Math.round(performance.now() - t1) });
      console.log(`${prepared.status === 'not-installed' ? '○' : '✗'} ${name}: ${prepared.status === 'not-installed' ? '' : `${prepared.status}: `}${prepared.error}`);
    }
  }
  const lane = new Lane();
  const slots = Array.from({ length: parallel }, () => new Lane());
  try {
    await Promise.all(ready.map(async (name) => {
      const row = await judgeTarget(name, options, lane, slots);
      rows.push(row);
      const s = row.summary;
      console.log(
        row.status === 'judged'
          ? `${s!.failed ? '✗' : '✓'} ${name}: ${s!.passed} passed, ${s!.failed} failed, ${s!.warned} warned, ${s!.skipped} skipped (${(row.durationMs / 1000).toFixed(1)} s)${row.crashed ? ` — ${row.crashed}` : ''}`
          : `✗ ${name}: ${row.status}: ${row.error}`,
      );
    }));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  rows.sort((a, b) => wanted.indexOf(a.name) - wanted.indexOf(b.name));

  const columns = CHECK_COLUMNS.filter((c) => c !== 'keepalive' || !options.skipKeepalive);
  for (const r of rows) for (const c of Object.keys(r.byCheck ?? {})) if (!columns.includes(c)) columns.push(c);
  const meta = {
    generatedAt: new Date().toISOString(),
    serverFixtures: serverFixtures(fixtures).length,
    heartbeatMs,
    skipKeepalive: options.skipKeepalive,
    wallMs: Math.round(performance.now() - t0),
  };
  mkdirSync(REPORTS_DIR, { recursive: true });
  writeFileSync(join(REPORTS_DIR, 'matrix.json'), JSON.stringify({ ...meta, columns, targets: rows }, null, 2) + '\n');
  writeFileSync(join(REPORTS_DIR, 'matrix.md'), renderMatrix(rows, columns, meta));
  // A target whose system packages are missing is left out, not failed: the matrix still passes.
  const notInstalled = rows.filter((r) => r.status === 'not-installed');
  const notJudged = rows.filter((r) => r.status !== 'judged' && r.status !== 'not-installed');
  const judged = rows.length - notJudged.length - notInstalled.length;
  console.log(`\nreports/matrix.md, reports/matrix.json: ${judged} of ${rows.length} target(s) judged${notInstalled.length ? ` (${notInstalled.length} not installed)` : ''} in ${(meta.wallMs / 1000).toFixed(1)} s`);
  return notJudged.length > 0 ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of children) signalChild(child, 'SIGKILL');
    process.exit(130);
  });
}

// Exit explicitly: pooled keep-alive sockets of the suite's HTTP client must not hold the process.
process.exit(await main());
