/**
 * The process exit code for a finished run: 0 nothing failed; 1 at least one failure or a stale
 * baseline entry; 2 the target could not be reached at all, or the selection left nothing to run.
 * Usage errors exit 2 before any run (suite/cli.ts).
 */
import type { SuiteRun } from './runner.ts';

export type ExitCode = 0 | 1 | 2;

/** Why a run could not judge anything, or null when it did. */
export function nothingJudged(run: Pick<SuiteRun, 'attempted' | 'unreachable' | 'unreachableReason' | 'target'> & Partial<Pick<SuiteRun, 'streamJudged' | 'results'>>): string | null {
  if (run.attempted === 0) return '--only/--skip left nothing to run';
  if (run.unreachable.length === run.attempted) return `the target could not be reached: ${run.unreachableReason ?? run.target}`;
  // Evidence before PASS: headers alone are no verdict on an event stream.
  // A failure is a verdict too (no headers, a wrong status): only a run without one is empty.
  if (run.streamJudged === 0 && run.results !== undefined && run.results.length > 0 && !run.results.some((r) => r.outcome === 'fail' || r.outcome === 'warn')) {
    const why = run.results.find((r) => r.outcome === 'skip' && r.check === 'framing')?.message ?? run.results.find((r) => r.outcome === 'skip')?.message;
    return `nothing about the stream could be judged${why ? `: ${why}` : ''}`;
  }
  return null;
}

export function exitCode(run: Pick<SuiteRun, 'attempted' | 'unreachable' | 'unreachableReason' | 'target' | 'summary' | 'stale'> & Partial<Pick<SuiteRun, 'streamJudged' | 'results'>>): ExitCode {
  if (nothingJudged(run) !== null) return 2;
  return run.summary.failed > 0 || run.stale.length > 0 ? 1 : 0;
}
