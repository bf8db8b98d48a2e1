/**
 * Robustness: the suite against hostile targets (test/hostile/README.md). Every case must end
 * with a verdict (within its stated budget under `npm run test:perf`; a generous deadline always) — failures named with a readable message, exit 2 only
 * when no HTTP response came at all — without an exception escaping, with caps reported where the
 * user sees them, and with the process staying under 200 MB. Then a seeded probe fuzz.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { exitCode } from '../suite/exit-code.ts';
import { runSuite, type RunOptions, type SuiteRun } from '../suite/runner.ts';
import { renderConsole } from '../suite/reporters/console.ts';
import { PERF, withinBudget } from './helpers/budget.ts';
import { cases, PROBE_DEFAULTS, type HostileCase, type Target } from './hostile/cases.ts';
import { plan, startFuzzServer } from './hostile/fuzz.ts';
import { rawServer, SSE_HEAD } from './hostile/servers.ts';

const MB = 1024 * 1024;
const RSS_LIMIT = 200 * MB;
const OUTCOMES = new Set(['pass', 'fail', 'warn', 'skip', 'info']);
const tmp = mkdtempSync(join(tmpdir(), 'sse-hostile-'));

const figures = { runs: 0, worstMs: 0, worstMsCase: '', worstRss: 0, worstRssCase: '', fuzzIterations: 0, fuzzMs: 0, fuzzWorstMs: 0, fuzzExits: [0, 0, 0] };
const escaped: unknown[] = [];
process.on('uncaughtException', (error) => escaped.push(error));
process.on('unhandledRejection', (error) => escaped.push(error));

function record(name: string, ms: number, rss: number): void {
  figures.runs++;
  if (ms > figures.worstMs) Object.assign(figures, { worstMs: ms, worstMsCase: name });
  if (rss > figures.worstRss) Object.assign(figures, { worstRss: rss, worstRssCase: name });
}

/** Peak RSS of this process while `work` runs, sampled every 10 ms. */
async function sampled<T>(work: () => Promise<T>): Promise<{ value: T; peakRss: number; ms: number }> {
  let peakRss = process.memoryUsage().rss;
  const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10);
  const t0 = performance.now();
  try {
    const value = await work();
    return { value, peakRss: Math.max(peakRss, process.memoryUsage().rss), ms: Math.round(performance.now() - t0) };
  } finally {
    clearInterval(timer);
  }
}

/** Rejects after `ms`: a hang is reported as such instead of running into the test timeout. */
function deadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} hung: no verdict after ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}


function options(c: HostileCase, target: string): RunOptions {
  return { mode: 'probe', target, ...PROBE_DEFAULTS, ...c.options, limits: { ...PROBE_DEFAULTS.limits, ...c.options?.limits } };
}

/** Nothing a person would not understand: no stack frames, no leaked JS values, bounded length. */
function assertReadable(message: string, where: string): void {
  assert.ok(message.length > 0, `${where}: empty message`);
  assert.ok(message.length <= 2000, `${where}: a ${message.length}-character message`);
  assert.doesNotMatch(message, /\n\s+at |\bundefined\b|\[object Object\]|\bNaN\b/, `${where}: ${message.slice(0, 300)}`);
}

function assertVerdict(run: SuiteRun, where: string): void {
  assert.ok(run.results.length > 0, `${where}: no results`);
  for (const r of run.results) {
    assert.ok(OUTCOMES.has(r.outcome), `${where}: outcome ${r.outcome}`);
    assert.equal(typeof r.message, 'string', `${where}: ${r.id} message`);
  }
  JSON.stringify(run);
  renderConsole(run, false);
}

async function closeAll(target: Target): Promise<void> {
  await Promise.all([target.main, ...target.others].map((s) => s.close()));
}

/** Waits until the suite has let go of every connection (endless writers must stop). */
async function released(target: Target, ms: number): Promise<boolean> {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    if ([target.main, ...target.others].every((s) => s.stats.serving === 0)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

describe('hostile targets, in-process probe', { concurrency: 1 }, () => {
  for (const c of cases) {
    test(`${c.name}: ${c.what} → exit ${c.exit} within ${c.budgetMs} ms`, { timeout: 60_000 }, async () => {
      const target = await c.start();
      try {
        const { value: run, peakRss, ms } = await sampled(() => deadline(runSuite(options(c, target.url)), c.budgetMs + 20_000, c.name));
        record(c.name, ms, peakRss);
        assertVerdict(run, c.name);
        const shown = run.results.map((r) => `${r.outcome} ${r.check}/${r.requirement}: ${r.message.slice(0, 200)}`).join('\n');
        assert.equal(exitCode(run), c.exit, `${c.name}: exit ${exitCode(run)}\n${shown}`);
        const result = run.results.find((r) => `${r.check}/${r.requirement}` === c.result);
        assert.ok(result, `${c.name}: no ${c.result} result\n${shown}`);
        if (c.exit === 1) assert.equal(result.outcome, 'fail', `${c.name}: ${c.result} is ${result.outcome}: ${result.message}`);
        if (c.exit === 2) assert.deepEqual(run.unreachable, [target.url]);
        assert.match(result.message, c.message);
        for (const r of run.results) if (r.outcome !== 'pass') assertReadable(r.message, `${c.name} ${r.id}`);
        withinBudget(ms <= c.budgetMs, `${c.name}: ${ms} ms, budget ${c.budgetMs} ms`);
        withinBudget(peakRss < RSS_LIMIT, `${c.name}: RSS ${(peakRss / MB).toFixed(0)} MB`);
        assert.ok(await released(target, 2000), `${c.name}: the suite still holds a connection after its verdict`);
        c.after?.(target);
      } finally {
        await closeAll(target);
      }
    });
  }
});

interface Ran {
  status: number;
  stdout: string;
  stderr: string;
  ms: number;
  rss: number;
}

async function cli(c: HostileCase, url: string): Promise<Ran> {
  const o = options(c, url);
  const rssFile = join(tmp, `rss-${c.name}`);
  const args = ['--import', './test/hostile/rss-preload.mjs', 'bin/sse-conformance.js', 'probe', url];
  args.push('--timeout', String(o.limits!.timeoutMs), '--idle', String(o.limits!.idleMs), '--duration', String(o.durationMs), '--heartbeat', String(o.heartbeatMs));
  if (o.limits!.maxDurationMs !== undefined) args.push('--max-duration', String(o.limits!.maxDurationMs));
  if (o.strict) args.push('--strict');
  args.push('--out', join(tmp, c.name));
  const t0 = performance.now();
  // Asynchronously: the hostile server lives in this process and must keep misbehaving.
  const ran = await promisify(execFile)(process.execPath, args, { encoding: 'utf8', timeout: c.budgetMs + 30_000, maxBuffer: 64 * MB, env: { ...process.env, NO_COLOR: '1', HOSTILE_RSS_FILE: rssFile } }).then(
    (ok) => ({ status: 0, stdout: ok.stdout, stderr: ok.stderr }),
    (error: { code: number | string; signal?: string; stdout: string; stderr: string }) => ({ status: typeof error.code === 'number' ? error.code : -1, stdout: error.stdout, stderr: `${error.stderr}${error.signal ? `\n(killed by ${error.signal})` : ''}` }),
  );
  let rss = 0;
  try {
    rss = Number(readFileSync(rssFile, 'utf8'));
  } catch {
    // no file: the child died before exiting normally, which the status assertion reports
  }
  return { ...ran, ms: Math.round(performance.now() - t0), rss };
}

/** Starting node and tsx takes a while on a loaded machine: allowed on top of the budget. */
const CLI_STARTUP_MS = 8000;

describe('hostile targets, through the CLI', { concurrency: 2 }, () => {
  for (const c of cases.filter((k) => k.cli)) {
    test(`CLI probe ${c.name} → exit ${c.exit}, no stack trace, RSS < 200 MB`, { timeout: 90_000 }, async () => {
      const target = await c.start();
      try {
        const ran = await cli(c, target.url);
        record(`${c.name} (CLI child)`, ran.ms, ran.rss);
        const output = `stdout:\n${ran.stdout.slice(0, 4000)}\nstderr:\n${ran.stderr.slice(0, 4000)}`;
        assert.equal(ran.status, c.exit, output);
        assert.doesNotMatch(ran.stderr, /\n\s+at |this is a bug/, output);
        if (c.exit === 2) {
          assert.match(ran.stderr, /^error: the target could not be reached: /, output);
          assert.match(ran.stderr, c.message, output);
          assert.equal(ran.stderr.trim().split('\n').length, 1, output);
        } else {
          assert.equal(ran.stderr, '', output);
          assert.match(ran.stdout, c.message, output);
          if (c.exit === 1) assert.match(ran.stdout, new RegExp(`FAIL ${c.result.replace('/', ' ').replaceAll('.', '\\.')}`), output);
        }
        assert.match(ran.stdout, /Results: \d+ passed/, output);
        assert.ok(ran.rss > 0, `${c.name}: the child exited normally (it reported its RSS)`);
        withinBudget(ran.rss < RSS_LIMIT, `${c.name}: child RSS ${(ran.rss / MB).toFixed(0)} MB`);
        withinBudget(ran.ms <= c.budgetMs + CLI_STARTUP_MS, `${c.name}: ${ran.ms} ms`);
      } finally {
        await closeAll(target);
      }
    });
  }
});

test('fixture mode: a server asking for retry: 2000000000 (23 days) does not hold the run', { timeout: 60_000 }, async () => {
  const server = await rawServer((ctx) => {
    ctx.write(`${SSE_HEAD}retry: 2000000000\ndata: reconnect in 150 ms\n\n`);
    ctx.socket.end();
  });
  try {
    const { value: run, ms, peakRss } = await sampled(() => deadline(runSuite({ mode: 'fixtures', target: `http://127.0.0.1:${server.port}`, selection: { only: ['srv-retry'], skip: [] }, limits: { timeoutMs: 1000, idleMs: 500, maxDurationMs: 2000 } }), 30_000, 'retry-2e9'));
    record('fixture retry: 2000000000', ms, peakRss);
    assertVerdict(run, 'retry-2e9');
    const digits = run.results.find((r) => r.check === 'retry' && r.requirement === 'server.retry.digits');
    assert.equal(digits?.outcome, 'fail');
    assert.match(digits!.message, /retry 2000000000 instead of 150/);
    const reconnect = run.results.find((r) => r.requirement === 'server.reconnect.accepts');
    assert.match(reconnect!.message, /reconnect after 2000 ms \(not the 2000000000 ms asked for: at most --max-duration\) served 1 event\(s\)/);
    withinBudget(ms < 6000, `${ms} ms`);
  } finally {
    await server.close();
  }
});

// `npm test` judges a fixed number of seeds, however long the machine takes; `npm run test:perf`
// judges as many as fit in the budget, and requires enough of them.
const FUZZ_ITERATIONS = PERF ? 1000 : 100;
const FUZZ_BUDGET_MS = 20_000;
const FUZZ_LANES = 4;

test(`probe fuzz: ${FUZZ_ITERATIONS} corrupted streams${PERF ? ` (as many as fit in ${FUZZ_BUDGET_MS / 1000} s)` : ''}, always a verdict`, { timeout: 300_000 }, async () => {
  const server = await startFuzzServer();
  const port = server.port;
  const t0 = performance.now();
  let next = 0;
  let peak = 0;
  const failures: string[] = [];
  const fuzzOptions = (seed: number): RunOptions => ({
    mode: 'probe',
    target: `http://127.0.0.1:${port}/fuzz/${seed}`,
    limits: { timeoutMs: 300, idleMs: 150, maxDurationMs: 2000 },
    durationMs: 200,
    heartbeatMs: 1000,
  });
  try {
    const lane = async () => {
      while (next < FUZZ_ITERATIONS && (!PERF || performance.now() - t0 < FUZZ_BUDGET_MS - 2500)) {
        const seed = 1000 + next++;
        const where = `seed ${seed} (${plan(seed).mutations.join(' ')})`;
        const s0 = performance.now();
        try {
          const run = await deadline(runSuite(fuzzOptions(seed)), 30_000, where);
          assertVerdict(run, where);
          for (const r of run.results) if (r.outcome !== 'pass') assertReadable(r.message, `${where} ${r.id}`);
          figures.fuzzExits[exitCode(run)]!++;
        } catch (error) {
          failures.push(`${where}: ${(error as Error).message.slice(0, 500)}`);
        }
        const ms = performance.now() - s0;
        figures.fuzzWorstMs = Math.max(figures.fuzzWorstMs, Math.round(ms));
        if (PERF && ms > 3000) failures.push(`${where}: ${Math.round(ms)} ms for one probe`);
        peak = Math.max(peak, process.memoryUsage().rss);
        figures.fuzzIterations++;
      }
    };
    await Promise.all(Array.from({ length: FUZZ_LANES }, lane));
  } finally {
    await server.close();
  }
  figures.fuzzMs = Math.round(performance.now() - t0);
  record('probe fuzz', 0, peak);
  assert.deepEqual(failures, []);
  if (!PERF) assert.equal(figures.fuzzIterations, FUZZ_ITERATIONS);
  withinBudget(figures.fuzzIterations >= 150, `only ${figures.fuzzIterations} fuzz iterations in ${figures.fuzzMs} ms`);
  withinBudget(figures.fuzzMs <= FUZZ_BUDGET_MS, `fuzz took ${figures.fuzzMs} ms`);
  withinBudget(peak < RSS_LIMIT, `fuzz RSS ${(peak / MB).toFixed(0)} MB`);
});

test('no exception escaped from the suite or the hostile servers', () => {
  assert.deepEqual(escaped.map(String), []);
});

after(() => {
  console.log(
    `hostile summary: ${cases.length} cases (${cases.filter((c) => c.cli).length} also through the CLI), ${figures.runs} runs; ` +
      `worst run ${figures.worstMs} ms (${figures.worstMsCase}); worst RSS ${(figures.worstRss / MB).toFixed(1)} MB (${figures.worstRssCase}); ` +
      `fuzz ${figures.fuzzIterations} iterations in ${(figures.fuzzMs / 1000).toFixed(1)} s (exit 0/1/2: ${figures.fuzzExits.join('/')}), worst ${figures.fuzzWorstMs} ms`,
  );
});
