/**
 * Expected failures: a baseline is the implementation's own list of known failures (one result id
 * or glob per line, `#` comments), so CI can gate on *new* failures. A listed failure is reported
 * as a warning; a listed entry that now passes is stale and fails the run, so the list only shrinks.
 */
import { readFileSync } from 'node:fs';
import type { RunResult } from './result.ts';
import { summarize } from './result.ts';
import { compileSelection } from './select.ts';
import { UsageError } from './usage-error.ts';

export function readBaseline(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read baseline ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);
}

/** Applies a baseline to a run in place. Entries that match no result at all are a usage error. */
export function applyBaseline(run: RunResult, entries: readonly string[], path: string): void {
  const unknown: string[] = [];
  const stale: string[] = [];
  for (const entry of entries) {
    const matches = compileSelection({ only: [entry], skip: [] });
    const hits = run.results.filter((r) => matches([r.id]));
    if (hits.length === 0) unknown.push(entry);
    // A warning (a broken SHOULD, a timing inside its warn band) is not a pass: the entry stays.
    else if (!hits.some((r) => r.outcome === 'fail' || r.outcome === 'warn')) stale.push(entry);
    for (const r of hits) {
      if (r.outcome !== 'fail') continue;
      r.outcome = 'warn';
      r.message = `expected failure (baseline): ${r.message}`;
    }
  }
  if (unknown.length > 0) throw new UsageError(`baseline ${path} names ${unknown.length} unknown result id(s): ${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ', …' : ''}`);
  run.stale = stale;
  run.summary = summarize(run.results);
}
