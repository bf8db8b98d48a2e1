/** reports/matrix.md from the rows: one table per language, then each target's problems. */
import { cell, table } from '../suite/markdown.ts';
import { isJudged, type Counts, type TargetRow } from './rows.ts';

export interface MatrixMeta {
  generatedAt: string;
  serverFixtures: number;
  heartbeatMs: number;
  skipHeld: boolean;
  lanes: number;
  buildLanes: number;
  buildWallMs: number;
  judgeWallMs: number;
  wallMs: number;
}

const LANGUAGE_NAMES: Record<string, string> = { go: 'Go', java: 'Java', kotlin: 'Kotlin', nginx: 'nginx', node: 'Node', python: 'Python', rust: 'Rust' };
export const languageName = (language: string): string => LANGUAGE_NAMES[language] ?? language;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export const countsText = (c: Counts | undefined): string => {
  if (!c) return '—';
  const mark = c.fail > 0 ? '✗ ' : c.warn > 0 ? '! ' : '';
  return `${mark}${c.pass}/${c.fail}/${c.warn}/${c.skip}${c.info > 0 ? ` (+${c.info} info)` : ''}`;
};

/** Rows grouped by language (languages and rows in name order). */
export function byLanguage(rows: readonly TargetRow[]): Array<[string, TargetRow[]]> {
  const groups = new Map<string, TargetRow[]>();
  for (const r of [...rows].sort((a, b) => a.name.localeCompare(b.name))) (groups.get(r.language) ?? groups.set(r.language, []).get(r.language)!).push(r);
  return [...groups.entries()].sort(([a], [b]) => languageName(a).localeCompare(languageName(b)));
}

/** The label of a row: its title with the pinned library version. */
export const rowLabel = (r: TargetRow): string => `${r.title} (${r.library} ${r.version})`;

function notJudgedText(r: TargetRow): string {
  return r.status === 'not-installed' ? `○ ${r.error ?? 'not installed'}` : `✗ ${r.status}: ${r.error ?? ''}`;
}

/** One language's table: a row per target, a cell per check. */
export function languageTable(rows: readonly TargetRow[], columns: readonly string[], links: boolean): string {
  const header = ['target (pinned)', ...columns, '404', ...(links ? ['total', 'report'] : [])];
  const body = rows.map((r) => {
    const label = `${rowLabel(r)}${r.crashed ? ' (crashed)' : ''}`;
    if (!isJudged(r)) return [label, notJudgedText(r), ...columns.slice(1).map(() => ''), '', ...(links ? ['', `[log](${r.log})`] : [])];
    const s = r.summary!;
    return [label, ...columns.map((c) => countsText(r.byCheck?.[c])), String(r.notExpressible?.length ?? 0), ...(links ? [`${s.passed}/${s.failed}/${s.warned}/${s.skipped}`, `[report](${r.report}) · [log](${r.log})`] : [])];
  });
  return table(header, body);
}

/** Every language's table, each under its heading. */
export function matrixTables(rows: readonly TargetRow[], columns: readonly string[], links: boolean, heading = '###'): string {
  return byLanguage(rows)
    .map(([language, group]) => `${heading} ${languageName(language)} (${group.length})\n\n${languageTable(group, columns, links)}`)
    .join('\n\n');
}

function problemsOf(r: TargetRow): string[] {
  const lines = [`### ${r.name}`, ''];
  if (r.status === 'not-installed') return [...lines, `**Not judged — ${r.error ?? 'not installed'}.**`, ''];
  if (!isJudged(r)) return [...lines, `**Not judged — ${r.status}:** ${r.error ?? ''}`, '', '```', r.logTail ?? '', '```', ''];
  if (r.crashed) lines.push(`**${r.crashed}.** End of its log:`, '', '```', r.logTail ?? '', '```', '');
  const failed = r.problems!.filter((p) => p.outcome === 'fail');
  const warned = r.problems!.filter((p) => p.outcome === 'warn');
  lines.push(`Failed requirements: ${failed.length ? failed.map((p) => `\`${p.requirement}\``).join(', ') : 'none'}.`);
  lines.push(`Warned requirements: ${warned.length ? warned.map((p) => `\`${p.requirement}\``).join(', ') : 'none'}.`);
  if (r.notExpressible!.length) lines.push(`Answered 404 (not expressible): ${r.notExpressible!.join(', ')}.`);
  if (r.rechecked?.length) lines.push(`Read again with nothing else running (that reading stands): ${r.rechecked.join(', ')}.`);
  lines.push('');
  for (const p of r.problems!) {
    lines.push(`- ${p.outcome === 'fail' ? '✗ FAIL' : '! WARN'} \`${p.requirement}\` (${p.level}) in ${p.fixtures.join(', ')} — ${cell(p.message)}${p.repro ? `<br>repro: \`${cell(p.repro)}\`` : ''}`);
  }
  lines.push('');
  return lines;
}

export function renderMatrix(rows: readonly TargetRow[], columns: readonly string[], meta: MatrixMeta): string {
  const judged = rows.filter(isJudged).length;
  const languages = new Set(rows.filter(isJudged).map((r) => r.language)).size;
  const lines = [
    '# SSE real-world matrix',
    '',
    `Generated ${meta.generatedAt} by \`npm run matrix\` · ${judged} of ${rows.length} targets judged in ${languages} languages · ${meta.serverFixtures} server fixtures · heartbeat ${meta.heartbeatMs} ms${meta.skipHeld ? ' · held-open fixtures left out (--fast)' : ''} · not strict (a broken SHOULD is a warning) · builds ${seconds(meta.buildWallMs)} (${meta.buildLanes} lanes), judging ${seconds(meta.judgeWallMs)} (${meta.lanes} lanes), ${seconds(meta.wallMs)} in all.`,
    '',
    'Each cell counts results as **pass/fail/warn/skip** (✗ marks a cell with a failure, ! one with only warnings; a fail is a broken MUST, a warn a broken SHOULD), and information after them. "404" counts the fixtures the adapter answered 404 because the library cannot express them (reported as SKIP; the adapter\'s README says why). Each adapter serves the fixtures through its library\'s own API: see `matrix/targets/<language>-<name>/`.',
    '',
    matrixTables(rows, columns, true, '##'),
    '',
    '## Failures and warnings by target',
    '',
  ];
  for (const r of [...rows].sort((a, b) => a.name.localeCompare(b.name))) lines.push(...problemsOf(r));
  return lines.join('\n') + '\n';
}
