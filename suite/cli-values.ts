/**
 * What every command of the command line reads alike: the options for choosing fixtures and
 * writing reports, and how a list, a whole number, a report kind or a fixtures folder is read.
 * A mistake is one line and exit 2 (UsageError).
 */
import { resolve } from 'node:path';
import { loadFixtures } from '../spec/loader.ts';
import type { LoadedFixture } from '../spec/fixture.ts';
import { REPORT_ALIASES, REPORTS, type ReportKind } from './reporters/index.ts';
import { UsageError } from './usage-error.ts';

/** --only, --skip, --strict: which fixtures run and how strictly they are judged. */
export const SELECTION_OPTIONS = {
  only: { type: 'string', multiple: true },
  skip: { type: 'string', multiple: true },
  strict: { type: 'boolean' },
} as const;

/** Where the fixtures come from, how long a run may go on, what it writes, and --help. */
export const REPORT_OPTIONS = {
  fixtures: { type: 'string' },
  'max-run': { type: 'string' },
  report: { type: 'string', multiple: true },
  out: { type: 'string' },
  baseline: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A repeatable option whose values may also be comma-separated. */
export function list(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** --name's value as a whole number of at least `min`; undefined when the option is absent. */
export function wholeNumber(raw: unknown, name: string, min = 1): number | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) < min) throw new UsageError(`--${name} takes a whole number ≥ ${min}, not ${JSON.stringify(raw)}`);
  return Number(raw);
}

/** The reports asked for with --report (aliases resolved); the console report when none is. */
export function reportKinds(values: string[] | undefined): ReportKind[] {
  const kinds = list(values).map((kind) => REPORT_ALIASES[kind] ?? kind);
  for (const kind of kinds) if (!(REPORTS as readonly string[]).includes(kind)) throw new UsageError(`--report ${kind} is unknown (use ${REPORTS.join(', ')})`);
  return kinds.length > 0 ? (kinds as ReportKind[]) : ['console'];
}

/** The fixtures of a --fixtures folder; undefined when the option is absent (the built-in corpus). */
export function fixturesFrom(path: string | undefined): readonly LoadedFixture[] | undefined {
  return path === undefined ? undefined : loadFixtures(resolve(path));
}
