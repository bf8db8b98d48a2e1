/** Markdown for a CI job summary: the totals, then a table of every failure and warning. */
import { cell } from '../markdown.ts';
import type { RunResult } from '../result.ts';
import { runProtocols } from '../protocol.ts';

export function renderMarkdown(run: RunResult): string {
  const s = run.summary;
  const verdict = s.failed > 0 || run.stale.length > 0 ? '❌' : '✅';
  const over = runProtocols(run.results);
  const lines = [
    `## ${verdict} sse-conformance — ${run.mode} mode`,
    '',
    `Target: \`${run.target}\`${over ? ` (${over})` : ''} · ${s.passed} passed · ${s.failed} failed · ${s.warned} warned · ${s.skipped} skipped${s.info ? ` · ${s.info} info` : ''} · ${(run.durationMs / 1000).toFixed(1)} s`,
    '',
  ];
  const problems = run.results.filter((r) => r.outcome === 'fail' || r.outcome === 'warn');
  if (problems.length > 0) {
    lines.push('| | fixture | check | requirement | message | repro |', '|---|---|---|---|---|---|');
    for (const r of problems) {
      lines.push(`| ${r.outcome === 'fail' ? '❌' : '⚠️'} | ${cell(r.fixture ?? '—')} | ${r.check} | [${r.requirement}](${r.specUrl}) ${r.level} | ${cell(r.message)} | ${r.repro ? `\`${cell(r.repro)}\`` : ''} |`);
    }
    lines.push('');
  }
  for (const entry of run.stale) lines.push(`- ❌ stale baseline entry \`${entry}\`: it no longer fails; remove it.`);
  return lines.join('\n') + '\n';
}
