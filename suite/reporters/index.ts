/** Writes the requested reports: `spec` to the console, the others as files in the output folder. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../result.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './md.ts';
import { renderSpec } from './spec.ts';

export const REPORTS = ['spec', 'json', 'junit', 'md', 'html'] as const;
export type ReportKind = (typeof REPORTS)[number];

const FILES: Record<Exclude<ReportKind, 'spec'>, [string, (run: RunResult) => string]> = {
  json: ['results.json', renderJson],
  junit: ['junit.xml', renderJunit],
  md: ['summary.md', renderMarkdown],
  html: ['report.html', renderHtml],
};

/** Returns the paths written. */
export function writeReports(run: RunResult, kinds: readonly ReportKind[], outDir: string): string[] {
  const written: string[] = [];
  for (const kind of kinds) {
    if (kind === 'spec') continue;
    const [name, render] = FILES[kind];
    mkdirSync(outDir, { recursive: true });
    const path = join(outDir, name);
    writeFileSync(path, render(run));
    written.push(path);
  }
  return written;
}

/** One report as text: the console report (`spec`, ANSI colours with `color`) or a file's contents. */
export function renderReport(run: RunResult, kind: ReportKind, color = false): string {
  return kind === 'spec' ? renderSpec(run, color) : FILES[kind][1](run);
}
