/**
 * A matrix row: what happened to one target, as plain data (reports/matrix.json holds a list of
 * them), and the tally that turns a suite run into one.
 */
import { summarize, type Outcome, type Result, type RunSummary } from '../suite/result.ts';
import type { SuiteRun } from '../suite/runner.ts';
import { orderResults } from '../suite/result-order.ts';
import type { Language } from './launch.ts';

export type Counts = Record<Outcome, number>;
export type Status = 'judged' | 'not-installed' | 'invalid' | 'build-failed' | 'start-failed' | 'judge-failed';

/** The checks shown as columns, in the suite's order (others found in results are appended). */
export const CHECK_COLUMNS = ['headers', 'framing', 'events', 'retry', 'resume', 'delivery', 'early-headers', 'keepalive', 'idle'];

export interface Problem {
  requirement: string;
  level: string;
  outcome: 'fail' | 'warn';
  fixtures: string[];
  /** One reproduction (the first fixture's). */
  repro: string | null;
  message: string;
}

export interface TargetRow {
  name: string;
  language: Language | 'unknown';
  library: string;
  version: string;
  title: string;
  status: Status;
  /** Why a target could not be judged, and the end of its log. */
  error?: string;
  logTail?: string;
  /** The adapter died while it was being judged (its results stand, and say what it did). */
  crashed?: string;
  /** Timing-sensitive fixtures read again with nothing else running, whose second reading stands. */
  rechecked?: string[];
  summary?: RunSummary;
  byCheck?: Record<string, Counts>;
  /** Fixtures the adapter answered 404 (not expressible through the library). */
  notExpressible?: string[];
  problems?: Problem[];
  report?: string;
  log: string;
  buildMs?: number;
  durationMs: number;
}

/** A row is judged, or it says why not: only judged rows count towards a green matrix. */
export const isJudged = (row: TargetRow): boolean => row.status === 'judged';

const zero = (): Counts => ({ pass: 0, fail: 0, warn: 0, skip: 0, info: 0 });

/** Results → counts per check, the fixtures answered 404, and the problems by requirement. */
export function tally(results: readonly Result[]): Pick<TargetRow, 'byCheck' | 'notExpressible' | 'problems'> {
  const byCheck: Record<string, Counts> = {};
  const notExpressible: string[] = [];
  const problems = new Map<string, Problem>();
  for (const r of results) {
    if (r.check === 'served') {
      if (r.fixture) notExpressible.push(r.fixture);
      continue;
    }
    (byCheck[r.check] ??= zero())[r.outcome]++;
    if (r.outcome === 'fail' || r.outcome === 'warn') {
      const key = `${r.outcome} ${r.requirement}`;
      const problem = problems.get(key) ?? { requirement: r.requirement, level: r.level, outcome: r.outcome, fixtures: [], repro: r.repro, message: r.message };
      if (r.fixture && !problem.fixtures.includes(r.fixture)) problem.fixtures.push(r.fixture);
      problems.set(key, problem);
    }
  }
  const order = (p: Problem) => (p.outcome === 'fail' ? 0 : 1);
  return {
    byCheck,
    notExpressible: notExpressible.sort(),
    problems: [...problems.values()].sort((a, b) => order(a) - order(b) || a.requirement.localeCompare(b.requirement)),
  };
}

/**
 * One report out of several runs against the same target (the main run, the held keep-alive
 * fixtures, a quiet re-reading), ordered as the runner orders results. A later run's results
 * replace an earlier run's results for the same fixture; a target-wide result replaces the same
 * result only.
 */
export function mergeRuns(runs: readonly SuiteRun[], durationMs: number): SuiteRun {
  const byFixture = new Map<string | null, Result[]>();
  for (const run of runs) {
    const fresh = new Map<string | null, Result[]>();
    for (const r of run.results) (fresh.get(r.fixture) ?? fresh.set(r.fixture, []).get(r.fixture)!).push(r);
    for (const [fixture, results] of fresh) {
      if (fixture !== null) {
        byFixture.set(fixture, results);
        continue;
      }
      // Target-wide results (no fixture): each replaces its own earlier reading only, since a run
      // over a few fixtures may not reach the fixture another target-wide check runs on.
      const kept = (byFixture.get(null) ?? []).filter((earlier) => !results.some((r) => r.id === earlier.id));
      byFixture.set(null, [...kept, ...results]);
    }
  }
  const results = orderResults([...byFixture.values()].flat());
  const first = runs[0]!;
  return {
    ...first,
    durationMs,
    summary: summarize(results),
    results,
    mandatedWaitMs: Math.max(...runs.map((r) => r.mandatedWaitMs)),
    unreachable: [...new Set(runs.flatMap((r) => r.unreachable))],
    attempted: runs.reduce((n, r) => n + r.attempted, 0),
  };
}
