/**
 * The console reporter: one line per fixture, details for every failure and warning (message,
 * requirement, spec link, repro), and a summary. Colour unless NO_COLOR or not a TTY.
 */
import type { Result, RunResult } from '../result.ts';
import { runProtocols } from '../protocol.ts';

export function palette(enabled: boolean) {
  const wrap = (code: number) => (text: string) => (enabled ? `\x1b[${code}m${text}\x1b[0m` : text);
  return { red: wrap(31), green: wrap(32), yellow: wrap(33), dim: wrap(2), bold: wrap(1), cyan: wrap(36) };
}

const MARK = { pass: '✓', fail: '✗', warn: '!', skip: '-', info: 'i' } as const;

export function renderConsole(run: RunResult, color: boolean): string {
  const c = palette(color);
  const paint = { pass: c.green, fail: c.red, warn: c.yellow, skip: c.dim, info: c.cyan } as const;
  const lines: string[] = [c.bold(`sse-conformance ${run.version} — ${run.mode} mode against ${run.target}`), ''];
  const groups = new Map<string, Result[]>();
  for (const result of run.results) {
    const key = result.fixture ?? '(endpoint)';
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  for (const [fixture, results] of groups) {
    const worst = results.some((r) => r.outcome === 'fail') ? 'fail' : results.some((r) => r.outcome === 'warn') ? 'warn' : results.every((r) => r.outcome === 'skip') ? 'skip' : 'pass';
    const counts = `${results.filter((r) => r.outcome === 'pass').length}/${results.length}`;
    lines.push(`${paint[worst](MARK[worst])} ${fixture} ${c.dim(counts)}`);
    for (const r of results) {
      if (r.outcome === 'pass') continue;
      if (r.outcome === 'skip' || r.outcome === 'info') {
        lines.push(paint[r.outcome](`    ${MARK[r.outcome]} ${r.check}: ${r.message}`));
        continue;
      }
      lines.push(`    ${paint[r.outcome](`${MARK[r.outcome]} ${r.outcome.toUpperCase()}`)} ${r.check} ${c.cyan(r.requirement)} (${r.level})`);
      lines.push(`      ${r.message}`);
      lines.push(c.dim(`      ${r.specUrl}`));
      if (r.repro) lines.push(c.dim(`      repro: ${r.repro}`));
    }
  }
  const s = run.summary;
  lines.push('');
  for (const entry of run.stale) lines.push(c.red(`✗ stale baseline entry: ${entry} no longer fails — remove it from the baseline`));
  const parts = [c.green(`${s.passed} passed`), s.failed ? c.red(`${s.failed} failed`) : `${s.failed} failed`, s.warned ? c.yellow(`${s.warned} warned`) : `${s.warned} warned`, `${s.skipped} skipped`, ...(s.info ? [`${s.info} info`] : [])];
  const over = runProtocols(run.results);
  lines.push(`${c.bold('Results:')} ${parts.join(', ')} (${s.total} checks, ${s.total - s.skipped} judged, in ${(run.durationMs / 1000).toFixed(1)} s${over ? `, read over ${over}` : ''})`);
  return lines.join('\n') + '\n';
}
