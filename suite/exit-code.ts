/**
 * The process exit code for a finished run: 0 nothing failed; 1 at least one failure or a stale
 * baseline entry; 2 the target could not be reached at all, or the selection left nothing to run.
 * Usage errors exit 2 before any run (suite/cli.ts).
 */
import type { SuiteRun } from './runner.ts';

export type ExitCode = 0 | 1 | 2;

/** Why a run could not judge anything, or null when it did. */
export function nothingJudged(run: Pick<SuiteRun, 'attempted' | 'unreachable' | 'unreachableReason' | 'target'>): string | null {
  if (run.attempted === 0) return '--only/--skip left nothing to run';
  if (run.unreachable.length === run.attempted) return `the target could not be reached: ${run.unreachableReason ?? run.target}`;
  return null;
}

export function exitCode(run: Pick<SuiteRun, 'attempted' | 'unreachable' | 'unreachableReason' | 'target' | 'summary' | 'stale'>): ExitCode {
  if (nothingJudged(run) !== null) return 2;
  return run.summary.failed > 0 || run.stale.length > 0 ? 1 : 0;
}
