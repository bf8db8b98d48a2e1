/** The run as JSON, exactly the shape of spec/result.schema.json. */
import type { RunResult } from '../result.ts';

export function renderJson(run: RunResult): string {
  const { tool, version, target, mode, startedAt, durationMs, summary, stale, results } = run;
  return JSON.stringify({ tool, version, target, mode, startedAt, durationMs, summary, stale, results }, null, 2) + '\n';
}
