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
