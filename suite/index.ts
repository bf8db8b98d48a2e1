/**
 * The package entry (`import … from 'sse-conformance'`): the stable, typed API. Everything an
 * embedder needs to do what the command line does — run, gate, report — without re-implementing it:
 *
 *   import { runConformance, renderReport, exitCode } from 'sse-conformance';
 *   const run = await runConformance({ target: 'http://127.0.0.1:3000/sse/{id}' });
 *   process.stdout.write(renderReport(run, 'console'));
 *   process.exitCode = exitCode(run);
 *
 * or, inside a node:test file, one test per fixture and check:
 *
 *   import { registerConformanceTests } from 'sse-conformance';
 *   registerConformanceTests({ target: () => server.url });
 */
import { test } from 'node:test';
import { startReferenceServer as startServer } from '../reference-server/server.ts';
import { createInterpreter as createStreamInterpreter, interpret as interpretBytes } from '../spec/interpreter.ts';
import { FixtureError, loadFixtures as loadFixtureFiles } from '../spec/loader.ts';
import { requirements as catalogue, type Requirement } from '../spec/requirements.ts';
import { applyBaseline as applyBaselineInPlace } from './baseline.ts';
import { exitCode, nothingJudged } from './exit-code.ts';
import { publicRun, type ConformanceRun } from './public-run.ts';
import { REPORTS as REPORT_KINDS, renderReport as renderOne, writeReports as writeFiles, type ReportKind } from './reporters/index.ts';
import type { Result, RunResult } from './result.ts';
import type { RunOptions } from './runner.ts';

export type { ConformanceRun } from './public-run.ts';
export type { Result, RunResult, RunSummary, Outcome, Status, TranscriptView } from './result.ts';
export type { Secret } from './secrets.ts';
export type { Selection } from './select.ts';
export type { Limits } from './limits.ts';
export type { ReferenceServer, ReferenceServerOptions } from '../reference-server/server.ts';
export type { Interpreter, InterpreterOptions, Interpretation, Observation, SseEvent } from '../spec/interpreter.ts';
export type { Fixture, LoadedFixture } from '../spec/fixture.ts';
export type { Requirement, Level } from '../spec/requirements.ts';
export type { ReportKind } from './reporters/index.ts';

/**
 * Starts the reference server — every fixture served byte-exactly at `<url>/<id>`, scenario
 * fixtures with `?session=<token>` — on a free loopback port unless `host`/`port` say otherwise.
 * Resolves once it listens; `close()` stops it.
 */
export const startReferenceServer: typeof startServer = startServer;

/**
 * Creates a stream interpreter (WHATWG HTML §9.2.6): feed it the bytes of a response body in any
 * chunking and it dispatches, through `onEvent`, exactly the events a conforming EventSource would.
 */
export const createInterpreter: typeof createStreamInterpreter = createStreamInterpreter;

/** Interprets a whole response body, given as its chunks (§9.2.6): its events, last event id, retry and observations. */
export const interpret: typeof interpretBytes = interpretBytes;

/**
 * Loads and validates fixtures below `dir` (default: the built-in corpus). An invalid file throws a
 * `FixtureError` naming the file, the line and the problem.
 */
export const loadFixtures: typeof loadFixtureFiles = loadFixtureFiles;

/** A fixture file that cannot be used: `file`, `line` and `problems` say where and why. */
export { FixtureError };

/** The requirement catalogue: every rule the suite tests, with its stable id, level, basis and spec anchor. */
export const requirements: readonly Requirement[] = catalogue;

/** The report formats: `console` (the console report; `spec` is an alias), `json` (spec/result.schema.json), `junit`, `md` (a CI job summary), `html`. */
export const REPORTS: typeof REPORT_KINDS = REPORT_KINDS;

/** One report as text: the console report (`spec`, with ANSI colours when `color`), or the contents of a report file. */
export const renderReport: (run: RunResult, kind: ReportKind | 'spec', color?: boolean) => string = renderOne;

/**
 * Writes report files to `outDir` (created if needed) — `results.json`, `junit.xml`, `summary.md`,
 * `report.html` for the kinds given (`spec` writes nothing) — and returns the paths written.
 */
export const writeReports: (run: RunResult, kinds: readonly ReportKind[], outDir: string) => string[] = writeFiles;

/**
 * The exit code the command line gives this run: 0 nothing failed; 1 a failure or a stale baseline
 * entry; 2 nothing could be judged (the target could not be reached, or the selection left nothing).
 */
export { exitCode };

export interface ConformanceOptions extends Omit<RunOptions, 'mode' | 'target'> {
  /** Base URL (fixture `<id>` at `<target>/<id>`) or a template containing `{id}`; the endpoint in probe mode. */
  target: string;
  /** `fixtures` (default): judge a server that serves the fixtures; `probe`: one arbitrary endpoint. */
  mode?: RunOptions['mode'];
}

/**
 * Runs the suite against a target and returns the run as plain data matching
 * spec/result.schema.json. Never throws for a misbehaving target: what went wrong is in the results.
 */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceRun> {
  const { runSuite } = await import('./runner.ts');
  return publicRun(await runSuite({ ...options, mode: options.mode ?? 'fixtures' }));
}

/**
 * Applies a baseline (the implementation's known failures: result ids or globs, as in a
 * `--baseline` file) to a run, in place, and returns it: a listed failure becomes a warning; a
 * listed entry that no longer fails is recorded in `run.stale` (and `exitCode` becomes 1). An entry
 * that matches no result at all throws, naming `source`.
 */
export function applyBaseline<R extends ConformanceRun>(run: R, entries: readonly string[], source = 'baseline'): R {
  applyBaselineInPlace(run, entries, source);
  return run;
}

export interface ConformanceTestOptions extends Omit<ConformanceOptions, 'target'> {
  /** As for runConformance, or a function read when the tests run (after your `before` hook started the server). */
  target: string | (() => string);
  /** The name of the parent test (default "SSE conformance"). */
  name?: string;
}

/**
 * Registers node:test tests: one run of the suite, then one subtest per result, failing for a
 * failed result, skipped for a skipped one, with a diagnostic for a warning. The parent test fails
 * when the run judged nothing — a selection that matches no result, or a target that could not be
 * reached — so a typo in `selection` cannot pass silently.
 */
export function registerConformanceTests(options: ConformanceTestOptions): void {
  test(options.name ?? 'SSE conformance', async (t) => {
    const target = typeof options.target === 'function' ? options.target() : options.target;
    const run = await runConformance({ ...options, target });
    if (run.results.length === 0) {
      throw new Error(`no result matched the selection ${JSON.stringify(options.selection ?? {})} against ${target}: nothing was judged`);
    }
    const nothing = nothingJudged(run);
    if (nothing !== null) throw new Error(nothing);
    for (const result of run.results) {
      await t.test(result.id, (sub) => report(sub, result));
    }
  });
}

function report(t: { skip(message?: string): void; diagnostic(message: string): void }, result: Result): void {
  if (result.outcome === 'skip') return t.skip(result.message);
  if (result.outcome === 'warn' || result.outcome === 'info') t.diagnostic(`${result.outcome.toUpperCase()} ${result.requirement}: ${result.message}`);
  if (result.outcome === 'fail') {
    throw new Error(`${result.requirement} (${result.level}): ${result.message}${result.repro ? `\nrepro: ${result.repro}` : ''}\n${result.specUrl}`);
  }
}
