/**
 * Plans fixture × check, runs them against a target with bounded concurrency, and returns plain
 * results. Fixture mode serves each server fixture from `<base>/<id>` (or a `{id}` template);
 * probe mode judges one arbitrary endpoint. A 404 means "not implemented" and is a SKIP.
 *
 * The runner knows checks only through their contract (suite/checks/check.ts): which fixtures
 * they apply to, what they need from the first connection, whether that connection is held open,
 * and whether they run per fixture or once per target.
 */
import type { LoadedFixture, StreamFixture } from '../spec/fixture.ts';
import { loadFixtures } from '../spec/loader.ts';
import { checks, unmetNeed, type Check, type CheckContext, type RunSettings } from './checks/index.ts';
import { fixtureUrl, serverFixtures } from './fixture-urls.ts';
import { pool } from './pool.ts';
import { headerSecrets, querySecrets, redact, redactText, type Secret } from './secrets.ts';
import { readResponse, DEFAULT_LIMITS, type Limits, type ReadOptions, type Transcript } from './read-response.ts';
import { curlBody } from './repro.ts';
import type { TlsTrust } from './transport.ts';
import { orderResults } from './result-order.ts';
import { summarize, toResult, type Finding, type Result, type RunResult } from './result.ts';
import { compileSelection, type Selection } from './select.ts';
import { VERSION } from './version.ts';

/** Kept importable from here for existing callers; the owner is suite/fixture-urls.ts. */
export { fixtureUrl, serverFixtures };

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
  /** What to trust over TLS for https: targets (--insecure, --ca). */
  tls?: TlsTrust;
  /** Longest tolerated silence of an open stream (keep-alive). */
  heartbeatMs?: number;
  /** The idle timeout of common load balancers: a longer silence gets a stream cut (default 60 s). */
  idleCutMs?: number;
  /** The origin of a page reading the target cross-origin (CORS is judged only with it). */
  origin?: string;
  /** Ask with credentials, as `withCredentials` does. */
  credentials?: boolean;
  /** Connections the churn check aborts (default 12). */
  aborts?: number;
  /** Probe mode: how long to read the endpoint. */
  durationMs?: number;
  /** Budget for the whole run: fixtures not started by then are reported as skipped. */
  maxRunMs?: number;
  /** Called as each result is decided (progress display). */
  onResult?: (result: Result) => void;
  /**
   * What never reaches a result: by default every header value and credential-looking query
   * parameter of the target (suite/secrets.ts). Each appears as the name of its variable.
   */
  secrets?: readonly Secret[];
}

export interface SuiteRun extends RunResult {
  /**
   * The longest chain of waits the protocol demands on one fixture (retry delays, the keep-alive
   * observation window): a floor under the wall time that no speed-up can remove. For benchmarks.
   */
  mandatedWaitMs: number;
  /** Fixtures (or the probe target) that could not be reached at all. */
  unreachable: string[];
  /** Why the first of them could not be reached, in words. */
  unreachableReason: string | null;
  /** How many fixtures / endpoints were attempted. */
  attempted: number;
  /**
   * Results with a verdict (not SKIP) from checks that read the stream itself: where this is 0,
   * the run saw no stream to judge, whatever the headers said.
   */
  streamJudged: number;
}

/** One fixture (or the probed endpoint, `fixture: null`) and the checks to run on it. */
interface Planned {
  fixture: StreamFixture | null;
  url: string;
  checks: Check[];
}

/** A fixture whose first connection got a response: where target-wide checks can run. */
interface Served {
  index: number;
  planned: Planned;
  context: CheckContext;
}

/** The requirement a check reports a skip on: the one the fixture is about, else its first. */
function skipRequirement(check: Check, fixture: StreamFixture | null): string {
  return check.requirements.find((r) => fixture?.requirements.includes(r)) ?? check.requirements[0]!;
}

export async function runSuite(options: RunOptions): Promise<SuiteRun> {
  const startedAt = new Date();
  const t0 = performance.now();
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const headers = options.headers ?? {};
  const settings: RunSettings = { heartbeatMs: options.heartbeatMs ?? 15_000, idleCutMs: options.idleCutMs ?? 60_000, origin: options.origin, credentials: options.credentials, aborts: options.aborts };
  const strict = options.strict ?? false;
  const selected = compileSelection(options.selection ?? { only: [], skip: [] });
  const needsOf = new Map(checks.map((check) => [check.name, check.needs]));
  const secrets = options.secrets ?? [...headerSecrets(options.headers ?? {}), ...querySecrets(options.target)];
  const results: Result[] = [];
  const unreachable: string[] = [];
  let unreachableReason: string | null = null;
  const served: Served[] = [];
  let mandatedWaitMs = 0;

  /** The names a selection (--only/--skip) matches a check on a fixture by. */
  const keysOf = (fixture: StreamFixture | null, check: Check) => [fixture?.id, fixture?.category, check.name];
  const wanted = (fixture: StreamFixture | null, check: Check) => check.applies(fixture) && check.requirements.some((r) => selected([...keysOf(fixture, check), r]));

  /** Turns a check's findings into results; target-wide ones carry no fixture. */
  function emit(findings: readonly Finding[], check: Check, fixture: StreamFixture | null, transcript: Transcript | undefined, repro: string | null): void {
    const name = check.scope === 'target' ? null : (fixture?.id ?? null);
    for (const finding of findings) {
      const result = redact(toResult(finding, { fixture: name, check: check.name, transcript, repro, strict }), secrets);
      if (!selected([...keysOf(fixture, check), result.requirement, result.id])) continue;
      results.push(result);
      options.onResult?.(result);
    }
  }

  /** A fixture that was not judged at all (not served, or out of time): one SKIP, not per check. */
  function notJudged(fixture: StreamFixture, message: string): void {
    const result = toResult({ requirement: fixture.requirements[0]!, status: 'skip', message }, { fixture: fixture.id, check: 'served', repro: null, strict });
    if (!selected([fixture.id, fixture.category, result.requirement, result.id])) return;
    results.push(result);
    options.onResult?.(result);
  }

  async function runCheck(check: Check, context: CheckContext): Promise<void> {
    const { fixture, transcript, url } = context;
    const unmet = unmetNeed(check.needs, transcript);
    let findings: Finding[];
    if (unmet !== null) findings = [{ requirement: skipRequirement(check, fixture), status: 'skip', message: unmet }];
    else {
      try {
        findings = await check.run(context);
      } catch (error) {
        findings = [{ requirement: check.requirements[0]!, status: 'fail', message: `the check could not complete: ${(error as Error).message}` }];
      }
    }
    emit(findings, check, fixture, transcript, curlBody(url, headers));
  }

  async function judge(planned: Planned, index: number): Promise<void> {
    const { fixture, url } = planned;
    let waited = 0;
    // A held read (keep-alive window, probe duration) may outlast --max-duration by design.
    const read = (extra: Partial<Omit<ReadOptions, 'url' | 'limits'>> = {}) =>
      readResponse({ url, headers, ...(options.tls ? { tls: options.tls } : {}), ...extra, limits: extra.holdMs === undefined ? limits : { ...limits, maxDurationMs: Math.max(limits.maxDurationMs, extra.holdMs + limits.timeoutMs) } });
    // The first connection is held open as long as the longest window a check asks for; a probe
    // reads its endpoint for --duration whatever the checks.
    const windows = planned.checks.flatMap((check) => (check.holdMs ? [check.holdMs(settings)] : []));
    const holds = fixture === null ? (options.durationMs ?? 5000) : windows.length > 0 ? Math.max(...windows) : undefined;
    const transcript: Transcript =
      holds !== undefined ? await read({ holdMs: holds }) : await read({ expectEvents: fixture!.expect.events.length, settleMs: 100 });
    waited += holds ?? 0;

    if (transcript.status === undefined && transcript.stop === 'connect-error') {
      unreachable.push(fixture?.id ?? url);
      unreachableReason ??= transcript.error ?? null;
    }
    if (fixture && transcript.status === 404) return notJudged(fixture, `not implemented: ${url} answered 404`);
    const context: CheckContext = {
      fixture,
      url,
      transcript,
      headers,
      limits,
      ...settings,
      ...(options.tls ? { tls: options.tls } : {}),
      read,
      wait: async (ms) => {
        const w0 = performance.now();
        await new Promise((resolve) => setTimeout(resolve, ms));
        waited += performance.now() - w0;
      },
    };
    // A response came, well-formed or not (an HTTP/2 stream reset for a malformed response).
    if (transcript.status !== undefined || transcript.stop === 'protocol-error') served.push({ index, planned, context });
    for (const check of planned.checks) await runCheck(check, context);
    mandatedWaitMs = Math.max(mandatedWaitMs, waited);
  }

  const perFixture = checks.filter((check) => check.scope === 'fixture');
  const perTarget = checks.filter((check) => check.scope === 'target');
  const candidates = options.mode === 'probe' ? [null] : serverFixtures(options.fixtures ?? loadFixtures());
  const plan: Planned[] = candidates
    .map((fixture) => ({
      fixture,
      url: fixture === null ? options.target : fixtureUrl(options.target, fixture.id),
      checks: perFixture.filter((check) => wanted(fixture, check)),
    }))
    // A target-wide check needs some fixture to reach the target through.
    .filter((p) => p.checks.length > 0 || perTarget.some((check) => wanted(p.fixture, check)));

  const deadline = t0 + (options.maxRunMs ?? 600_000);
  await pool(
    plan.map((planned, index) => ({ planned, index })),
    options.concurrency ?? 8,
    async ({ planned, index }) => {
      if (performance.now() < deadline || planned.fixture === null) return judge(planned, index);
      notJudged(planned.fixture!, `not run: the run's time budget of ${options.maxRunMs ?? 600_000} ms (--max-run) ran out`);
    },
  );

  // Target-wide checks: once, on the first fixture (in plan order) that was served and selects them.
  served.sort((a, b) => a.index - b.index);
  for (const check of perTarget) {
    const host = served.find((s) => wanted(s.planned.fixture, check));
    if (host) await runCheck(check, host.context);
    else {
      const first = plan.find((p) => wanted(p.fixture, check));
      if (first) emit([{ requirement: check.requirements[0]!, status: 'skip', message: 'no fixture got a response, so there was no target to judge' }], check, first.fixture, undefined, null);
    }
  }

  orderResults(results);
  return {
    tool: 'sse-conformance',
    version: VERSION,
    target: redactText(options.target, secrets),
    mode: options.mode,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    summary: summarize(results),
    stale: [],
    results,
    mandatedWaitMs: Math.round(mandatedWaitMs),
    unreachable,
    unreachableReason: unreachableReason === null ? null : redactText(unreachableReason, secrets),
    attempted: plan.length,
    streamJudged: results.filter((r) => r.outcome !== 'skip' && needsOf.get(r.check) === 'stream').length,
  };
}
