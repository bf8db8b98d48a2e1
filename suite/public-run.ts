/**
 * The run as an embedder receives it: exactly the fields of spec/result.schema.json. Figures that
 * only the benchmark reads (mandatedWaitMs) stay on the runner's own SuiteRun.
 */
import type { SuiteRun } from './runner.ts';

/** A finished run: plain, JSON-serialisable data (schema: spec/result.schema.json). */
export type ConformanceRun = Omit<SuiteRun, 'mandatedWaitMs'>;

export function publicRun(run: SuiteRun): ConformanceRun {
  const { mandatedWaitMs: _benchmarkOnly, ...rest } = run;
  return rest;
}

/**
 * The process exit code a run calls for, as the command line uses it: 0 nothing failed; 1 at
 * least one failure or a stale baseline entry; 2 nothing could be judged (the target could not be
 * reached at all, or the selection left nothing to run).
 */
export function exitCode(run: Pick<ConformanceRun, 'attempted' | 'unreachable' | 'summary' | 'stale'>): 0 | 1 | 2 {
  if (run.attempted === 0 || run.unreachable.length === run.attempted) return 2;
  return run.summary.failed > 0 || run.stale.length > 0 ? 1 : 0;
}
