/**
 * The order results are reported in: by fixture, then by check in the suite's order (target-wide
 * results, which carry no fixture, first). And the order of severity reporters list problems by.
 */
import { checks } from './checks/index.ts';
import type { Outcome, Result } from './result.ts';

const CHECK_ORDER = new Map(checks.map((check, i) => [check.name, i]));

/** Sorts in place and returns the array: fixture id, then the check's place in the suite. */
export function orderResults<T extends Pick<Result, 'fixture' | 'check'>>(results: T[]): T[] {
  const rank = (check: string) => CHECK_ORDER.get(check) ?? CHECK_ORDER.size;
  return results.sort((a, b) => (a.fixture ?? '').localeCompare(b.fixture ?? '') || rank(a.check) - rank(b.check));
}

/** Most severe first: what needs attention leads a report. */
export const SEVERITY: readonly Outcome[] = ['fail', 'warn', 'info', 'skip', 'pass'];

/** A stable copy ordered by severity (then by the report order already in place). */
export function bySeverity<T extends Pick<Result, 'outcome'>>(results: readonly T[]): T[] {
  return [...results].sort((a, b) => SEVERITY.indexOf(a.outcome) - SEVERITY.indexOf(b.outcome));
}
