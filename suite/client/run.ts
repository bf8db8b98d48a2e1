/**
 * `sse-conformance client <service-url>`, as a function: asks the service for its capabilities,
 * starts the stream server and the callback endpoint, runs every case the capabilities allow
 * (split points last, as the time budget allows), and returns the suite's plain run result.
 */
import type { LoadedFixture } from '../../spec/fixture.ts';
import { loadFixtures } from '../../spec/loader.ts';
import { startReferenceServer } from '../../reference-server/server.ts';
import { chunkingParam } from '../../reference-server/chunking.ts';
import { pool } from '../pool.ts';
import { passIf, summarize, toResult, type Result, type RunResult, type Status } from '../result.ts';
import { compileSelection, type Selection } from '../select.ts';
import { VERSION } from '../version.ts';
import { planCases, type ClientCase, type StreamCase } from './cases.ts';
import { startCallbackServer } from './callbacks.ts';
import { divergencePattern, explain, isExplained } from './explain.ts';
import { BYTE_WRITE_ALLOWANCE_MS, foldStream, judgeStream, streamUntil, type StreamVerdict } from './judge-stream.ts';
import { scenarioProblems, scenarioUntil, unjudged, type Reporting } from './judge-scenario.ts';
import { observe, type Environment, type Observation } from './observe.ts';
import type { ServiceInfo } from './protocol.ts';
import { status } from './service.ts';
import { watchService } from './service-watch.ts';


/** A fold's verdict as a finding's status. */
const statusOf = (ok: boolean | 'skip'): Status => (ok === 'skip' ? 'skip' : passIf(ok));

/** Why the service refused to create the client, or null when it created it. */
const refusal = (observed: Observation): string | null => (observed.ending === 'not created' ? (observed.problems[0] ?? 'no client created') : null);

export interface ClientRunOptions {
  service: string;
  fixtures?: readonly LoadedFixture[];
  selection?: Selection;
  strict?: boolean;
  /** Clients run at once. */
  concurrency?: number;
  /** Split points per stream fixture: a number, or 'all' (default). */
  splits?: number | 'all';
  /** Start no new client after this long; what is left is reported as not run. */
  maxRunMs?: number;
  /** Deadline of each call to the service. */
  timeoutMs?: number;
  /** How long a stream fixture's client may take. */
  caseTimeoutMs?: number;
  /** How long to wait for the service's first answer to GET /. */
  startWaitMs?: number;
  /** Which fixture divergences name this client (default: the service's `name`). */
  divergences?: RegExp | null;
  initialDelayMs?: number | null;
  /** Callbacks accepted per client before it counts as flooding (default 5000). */
  maxCallbacks?: number;
  onResult?: (result: Result) => void;
}

export interface Agreement {
  /** Stream fixture results judged (not skipped). */
  judged: number;
  agreed: number;
  explained: number;
  unexplained: number;
  /** agreed / judged in percent, one decimal. */
  percent: number;
}

export interface ClientRun extends RunResult {
  service: ServiceInfo | null;
  /** Why the service could not be used at all, or null. */
  unreachable: string | null;
  agreement: { streams: Agreement; scenarios: Agreement };
  attempted: number;
  /** Why the service stopped being used part way (the rest is not run), or null. */
  gone: string | null;
}

function agreement(results: readonly Result[]): Agreement {
  const judged = results.filter((r) => r.outcome !== 'skip');
  const agreed = judged.filter((r) => r.outcome === 'pass').length;
  const explained = judged.filter(isExplained).length;
  return { judged: judged.length, agreed, explained, unexplained: judged.length - agreed - explained, percent: judged.length === 0 ? 0 : Math.round((agreed / judged.length) * 1000) / 10 };
}

const SERVICE_REQUIREMENT = 'client.service.protocol';

export async function runClientSuite(options: ClientRunOptions): Promise<ClientRun> {
  const startedAt = new Date();
  const t0 = performance.now();
  const strict = options.strict ?? false;
  const timeoutMs = options.timeoutMs ?? 5000;
  const caseTimeoutMs = options.caseTimeoutMs ?? 5000;
  const selected = compileSelection(options.selection ?? { only: [], skip: [] });
  const results: Result[] = [];
  const base = { tool: 'sse-conformance' as const, version: VERSION, target: options.service, mode: 'client' as const, startedAt: startedAt.toISOString(), stale: [] };
  const finish = (service: ServiceInfo | null, unreachable: string | null, attempted: number, gone: string | null = null): ClientRun => ({
    ...base,
    durationMs: Math.round(performance.now() - t0),
    summary: summarize(results),
    results,
    service,
    unreachable,
    attempted,
    gone,
    agreement: { streams: agreement(results.filter((r) => r.check === 'parse')), scenarios: agreement(results.filter((r) => r.check === 'scenario')) },
  });
  // The service's own results (fixture null) are always reported: they say whether anything else can be trusted.
  const emit = (result: Result, category: string | null) => {
    if (result.fixture !== null && !selected([result.fixture, result.check, result.requirement, result.id, category])) return;
    results.push(result);
    options.onResult?.(result);
  };

  const answer = await status(options.service, timeoutMs, options.startWaitMs ?? timeoutMs);
  if ('unreachable' in answer) return finish(null, answer.unreachable, 0);
  const info = 'garbage' in answer ? answer.info : answer;
  emit(toResult({ requirement: SERVICE_REQUIREMENT, status: passIf(!('garbage' in answer)), key: 'status', message: 'garbage' in answer ? answer.garbage : `capabilities: ${info.capabilities.join(', ') || '(none)'}` }, { fixture: null, check: 'service', repro: `curl -s ${options.service}`, strict }), null);
  const divergences = options.divergences === undefined ? divergencePattern(info.name) : options.divergences;
  const reporting: Reporting = { open: info.capabilities.includes('open-events'), readyState: info.capabilities.includes('ready-state') };

  const fixtures = options.fixtures ?? loadFixtures();
  const cases = planCases(fixtures, options.splits ?? 'all').filter((c) => selected([c.fixture.id, c.fixture.category, c.kind === 'stream' ? 'parse' : 'scenario', ...c.fixture.requirements]));
  const gates = new Map<string, Promise<void>>();
  const stream = await startReferenceServer({ fixtures, keepAliveMs: 1000, gate: (token) => gates.get(token) ?? Promise.resolve() });
  const callbacks = await startCallbackServer(options.maxCallbacks);
  const env: Environment = { serviceUrl: options.service, info, stream, callbacks, gates, callTimeoutMs: timeoutMs, initialDelayMs: options.initialDelayMs === undefined ? 100 : options.initialDelayMs, lifecycle: [] };
  const deadline = t0 + (options.maxRunMs ?? 600_000);
  const watch = watchService(async () => {
    const probe = await status(options.service, timeoutMs, 0);
    return 'unreachable' in probe ? probe.unreachable : null;
  });

  try {
    // Jobs: one client each. Split points go last, one round across all fixtures at a time.
    type Job = { c: ClientCase; index: number; round: number };
    const jobs: Job[] = [];
    for (const c of cases) {
      if (c.kind === 'scenario') {
        if (c.skip === null) jobs.push({ c, index: 0, round: 0 });
      } else c.chunkings.forEach((_, index) => jobs.push({ c, index, round: c.variant === 'splits' ? index + 1 : 0 }));
    }
    jobs.sort((a, b) => a.round - b.round);
    const verdicts = new Map<StreamCase, Array<StreamVerdict | null>>();
    const scenarioOutcomes = new Map<ClientCase, string[] | null>();
    for (const c of cases) if (c.kind === 'stream') verdicts.set(c, c.chunkings.map(() => null));

    await pool(jobs, options.concurrency ?? 8, async ({ c, index }) => {
      await watch.ready();
      if (performance.now() >= deadline || watch.gone() !== null) return;
      if (c.kind === 'stream') {
        const chunking = c.chunkings[index]!;
        const timeout = caseTimeoutMs + (chunking.kind === 'bytes' ? (c.splitPoints + 1) * BYTE_WRITE_ALLOWANCE_MS : 0);
        const observed = await observe(env, { fixtureId: c.fixture.id, chunking, types: c.types, timeoutMs: timeout, until: streamUntil(c) });
        verdicts.get(c)![index] = judgeStream(c, observed, timeout);
        await watch.record(refusal(observed));
      } else {
        const observed = await observe(env, { fixtureId: c.fixture.id, chunking: null, types: c.types, timeoutMs: c.timeoutMs, until: scenarioUntil(c, reporting) });
        scenarioOutcomes.set(c, scenarioProblems(c, observed, reporting));
        await watch.record(refusal(observed));
      }
    });

    const gone = watch.gone();
    const notRun = gone !== null ? `not run: ${gone}` : "not run: the run's time budget (--max-run) ran out";
    for (const c of cases) {
      const context = { fixture: c.fixture.id, repro: null, strict };
      const requirement = c.fixture.requirements[0]!;
      if (c.kind === 'stream') {
        const folded = foldStream(c, verdicts.get(c)!);
        const finding = folded.ok === 'skip' && gone !== null ? { ...folded, message: notRun } : folded;
        const url = `${stream.url.replace(/:\d+$/, ':8080')}/${c.fixture.id}${c.variant === 'fixture' || c.variant === 'splits' ? '' : `?chunks=${chunkingParam(c.chunkings[0]!)}`}`;
        const result = toResult(
          { requirement, status: statusOf(finding.ok), key: c.variant, message: finding.message, expected: c.expected, ...(finding.actual !== undefined ? { actual: finding.actual } : {}) },
          { ...context, check: 'parse', repro: `npx sse-conformance serve --port 8080, then point the client at ${url}` },
        );
        emit(explain(result, c.fixture, divergences), c.fixture.category);
      } else {
        const problems = scenarioOutcomes.get(c);
        let finding;
        if (c.skip !== null) finding = { ok: 'skip' as const, message: c.skip };
        else if (!problems) finding = { ok: 'skip' as const, message: notRun };
        else finding = { ok: problems.length === 0, message: problems.length === 0 ? `agrees${unjudged(c, reporting)}` : problems.join('; ') };
        const result = toResult({ requirement, status: statusOf(finding.ok), message: finding.message }, { ...context, check: 'scenario', repro: `npx sse-conformance serve --port 8080, then point the client at http://127.0.0.1:8080/${c.fixture.id}?session=<token> and read http://127.0.0.1:8080/_sessions/<token>` });
        emit(explain(result, c.fixture, divergences), c.fixture.category);
      }
    }
    const lifecycle = env.lifecycle;
    emit(
      toResult(
        { requirement: SERVICE_REQUIREMENT, status: passIf(lifecycle.length === 0), key: 'lifecycle', message: lifecycle.length === 0 ? 'every client was stopped with DELETE' : `DELETE failed for ${lifecycle.length} client(s): ${lifecycle[0]}` },
        { fixture: null, check: 'service', repro: null, strict },
      ),
      null,
    );
    return finish(info, null, jobs.length, gone);
  } finally {
    await callbacks.stop();
    await stream.close();
  }
}
