/**
 * Programmatic use:
 *
 *   import { runConformance } from 'sse-conformance';
 *   const result = await runConformance({ target: 'http://127.0.0.1:3000/sse/{id}' });
 *
 * or, inside a node:test file, one test per fixture and check:
 *
 *   import { registerConformanceTests } from 'sse-conformance';
 *   registerConformanceTests({ target: () => server.url });
 */
import { test } from 'node:test';
import { runSuite, type RunOptions, type SuiteRun } from './runner.ts';
import type { Result } from './result.ts';

export type { Result, RunResult, RunSummary, Outcome, Status } from './result.ts';
export type { RunOptions, SuiteRun } from './runner.ts';
export { startReferenceServer } from '../reference-server/server.ts';
export { createInterpreter, interpret } from '../spec/interpreter.ts';
export { loadFixtures } from '../spec/loader.ts';
export { requirements } from '../spec/requirements.ts';

export interface ConformanceOptions extends Omit<RunOptions, 'mode' | 'target'> {
  /** Base URL (fixture `<id>` at `<target>/<id>`) or a template containing `{id}`. */
  target: string;
  /** `fixtures` (default) or `probe` for a single arbitrary endpoint. */
  mode?: RunOptions['mode'];
}

/** Runs the suite and returns the plain result object (see spec/result.schema.json). */
export function runConformance(options: ConformanceOptions): Promise<SuiteRun> {
  return runSuite({ ...options, mode: options.mode ?? 'fixtures' });
}

/**
 * Registers node:test tests: one run of the suite, then one subtest per result, failing for a
 * failed result and skipped for a skipped one; the test fails when nothing was judged. `target` may be a function, read when the tests
 * run (after the user's `before` hook started their server).
 */
export function registerConformanceTests(options: Omit<ConformanceOptions, 'target'> & { target: string | (() => string); name?: string }): void {
  test(options.name ?? 'SSE conformance', async (t) => {
    const target = typeof options.target === 'function' ? options.target() : options.target;
    const run = await runConformance({ ...options, target });
    // A selection that matches nothing judged nothing: that is no pass.
    if (run.results.length === 0) throw new Error('the selection (--only/--skip) matched no fixture and no check: nothing was judged');
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
