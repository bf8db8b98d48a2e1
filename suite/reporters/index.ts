/** Writes the requested reports: `console` is printed by the CLI, the others are files in the output folder. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../result.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './md.ts';
import { renderConsole } from './console.ts';

export const REPORTS = ['console', 'json', 'junit', 'md', 'html'] as const;
export type ReportKind = (typeof REPORTS)[number];

/** Other names accepted by --report: `spec`, after node:test's reporter of that look. */
export const REPORT_ALIASES: Readonly<Record<string, ReportKind>> = { spec: 'console' };

const FILES: Record<Exclude<ReportKind, 'console'>, [string, (run: RunResult) => string]> = {
  json: ['results.json', renderJson],
  junit: ['junit.xml', renderJunit],
  md: ['summary.md', renderMarkdown],
  html: ['report.html', renderHtml],
};

/** Returns the paths written. */
export function writeReports(run: RunResult, kinds: readonly ReportKind[], outDir: string): string[] {
  const written: string[] = [];
  for (const kind of kinds) {
    if (kind === 'console') continue;
    const [name, render] = FILES[kind];
    mkdirSync(outDir, { recursive: true });
    const path = join(outDir, name);
    writeFileSync(path, render(run));
    written.push(path);
  }
  return written;
}

/** One report as text: the console report (`console`, or its alias `spec`; ANSI colours with `color`) or a file's contents. */
export function renderReport(run: RunResult, kind: ReportKind | 'spec', color = false): string {
  const resolved = REPORT_ALIASES[kind] ?? (kind as ReportKind);
  return resolved === 'console' ? renderConsole(run, color) : FILES[resolved][1](run);
}
