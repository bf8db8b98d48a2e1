/**
 * Plans fixture × check, runs them against a target with bounded concurrency, and returns plain
 * results. Fixture mode serves each server fixture from `<base>/<id>` (or a `{id}` template);
 * probe mode judges one arbitrary endpoint. A 404 means "not implemented" and is a SKIP.
 */
import type { LoadedFixture, StreamFixture } from '../spec/fixture.ts';
import { loadFixtures } from '../spec/loader.ts';
import { checks, type Check, type CheckContext } from './checks/index.ts';
import { pool } from './pool.ts';
import { curlBody } from './repro.ts';
import { summarize, toResult, type Result, type RunResult } from './result.ts';
import { compileSelection, type Selection } from './select.ts';
import { readStream, DEFAULT_LIMITS, type Limits, type ReadOptions, type Transcript } from './stream.ts';
import { VERSION } from './version.ts';

export interface RunOptions {
  mode: 'fixtures' | 'probe';
  /** Fixture mode: base URL or template with `{id}`. Probe mode: the endpoint. */
  target: string;
  fixtures?: readonly LoadedFixture[];
  selection?: Selection;
  strict?: boolean;
  limits?: Partial<Limits>;
  concurrency?: number;
  headers?: Record<string, string>;
  /** Longest tolerated silence of an open stream (keep-alive). */
  heartbeatMs?: number;
  /** Probe mode: how long to read the endpoint. */
  durationMs?: number;
  /** Budget for the whole run: fixtures not started by then are reported as skipped. */
  maxRunMs?: number;
  /** Called as each result is decided (progress display). */
  onResult?: (result: Result) => void;
}

export interface SuiteRun extends RunResult {
  /**
   * The longest chain of waits the protocol demands on one fixture (retry delays, the keep-alive
   * observation window): a floor under the wall time that no speed-up can remove. For benchmarks.
   */
  mandatedWaitMs: number;
  /** Fixtures (or the probe target) that could not be reached at all. */
  unreachable: string[];
  /** How many fixtures / endpoints were attempted. */
  attempted: number;
}

/** Server fixtures: what an adapter serves through a library's API. */
export function serverFixtures(loaded: readonly LoadedFixture[]): StreamFixture[] {
  return loaded.map((l) => l.fixture).filter((f): f is StreamFixture => f.kind === 'stream' && f.send !== undefined);
}

export function fixtureUrl(target: string, id: string): string {
  if (target.includes('{id}')) return target.replaceAll('{id}', encodeURIComponent(id));
  return `${target.replace(/\/+$/, '')}/${encodeURIComponent(id)}`;
}

export async function runSuite(options: RunOptions): Promise<SuiteRun> {
  const startedAt = new Date();
  const t0 = performance.now();
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const headers = options.headers ?? {};
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const strict = options.strict ?? false;
  const selected = compileSelection(options.selection ?? { only: [], skip: [] });
  const results: Result[] = [];
  const unreachable: string[] = [];
  let mandatedWaitMs = 0;

  const emit = (result: Result) => {
    if (!selected([result.fixture, result.check, result.requirement, result.id, categoryOf.get(result.fixture ?? '')])) return;
    results.push(result);
    options.onResult?.(result);
  };
  const categoryOf = new Map<string, string>();

  async function judge(fixture: StreamFixture | null, url: string, applicable: Check[]): Promise<void> {
    let waited = 0;
    // A held read (keep-alive window, probe duration) may outlast --max-duration by design.
    const read = (extra: Partial<Omit<ReadOptions, 'url' | 'limits'>> = {}) =>
      readStream({ url, headers, ...extra, limits: extra.holdMs === undefined ? limits : { ...limits, maxDurationMs: Math.max(limits.maxDurationMs, extra.holdMs + limits.timeoutMs) } });
    // Hold the stream open for the keep-alive window only when that check is to be run.
    const measuresKeepAlive = fixture?.end === 'open' && applicable.some((check) => check.name === 'keepalive');
    const holds = fixture === null ? (options.durationMs ?? 5000) : measuresKeepAlive ? Math.round(heartbeatMs * 1.5) + 250 : undefined;
    const transcript: Transcript =
      holds !== undefined ? await read({ holdMs: holds }) : await read({ expectEvents: fixture!.expect.events.length, settleMs: 100 });
    const name = fixture?.id ?? null;
    const repro = curlBody(url, headers);
    waited += holds ?? 0;

    if (transcript.status === undefined && transcript.stop === 'connect-error') unreachable.push(name ?? url);
    if (fixture && transcript.status === 404) {
      emit(toResult({ requirement: fixture.requirements[0]!, ok: 'skip', message: `not implemented: ${url} answered 404` }, { fixture: name, check: 'served', repro: null, strict }));
      return;
    }
    const context: CheckContext = {
      fixture,
      url,
      transcript,
      headers,
      limits,
      heartbeatMs,
      read,
      wait: async (ms) => {
        const w0 = performance.now();
        await new Promise((resolve) => setTimeout(resolve, ms));
        waited += performance.now() - w0;
      },
    };
    for (const check of applicable) {
      // Without a response, only the delivery check has something to say (why there was none).
      if (transcript.status === undefined && check.name !== 'delivery') continue;
      let findings;
      try {
        findings = await check.run(context);
      } catch (error) {
        findings = [{ requirement: check.requirements[0]!, ok: false as const, message: `the check could not complete: ${(error as Error).message}` }];
      }
      for (const finding of findings) emit(toResult(finding, { fixture: name, check: check.name, transcript, repro, strict }));
    }
    mandatedWaitMs = Math.max(mandatedWaitMs, waited);
  }

  let attempted = 0;
  if (options.mode === 'probe') {
    attempted = 1;
    const applicable = checks.filter((c) => c.applies(null) && c.requirements.some((r) => selected([c.name, r])));
    await judge(null, options.target, applicable);
  } else {
    const fixtures = serverFixtures(options.fixtures ?? loadFixtures());
    for (const f of fixtures) categoryOf.set(f.id, f.category);
    const plan = fixtures
      .map((fixture) => ({
        fixture,
        applicable: checks.filter((c) => c.applies(fixture) && c.requirements.some((r) => selected([fixture.id, fixture.category, c.name, r]))),
      }))
      .filter((p) => p.applicable.length > 0);
    attempted = plan.length;
    const deadline = t0 + (options.maxRunMs ?? 600_000);
    await pool(plan, options.concurrency ?? 8, async ({ fixture, applicable }) => {
      if (performance.now() < deadline) return judge(fixture, fixtureUrl(options.target, fixture.id), applicable);
      const message = `not run: the run's time budget of ${options.maxRunMs ?? 600_000} ms (--max-run) ran out`;
      emit(toResult({ requirement: fixture.requirements[0]!, ok: 'skip', message }, { fixture: fixture.id, check: 'served', repro: null, strict }));
    });
  }

  const order = new Map(checks.map((c, i) => [c.name, i]));
  results.sort((a, b) => (a.fixture ?? '').localeCompare(b.fixture ?? '') || (order.get(a.check) ?? 99) - (order.get(b.check) ?? 99));
  return {
    tool: 'sse-conformance',
    version: VERSION,
    target: options.target,
    mode: options.mode,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    summary: summarize(results),
    stale: [],
    results,
    mandatedWaitMs: Math.round(mandatedWaitMs),
    unreachable,
    attempted,
  };
}
