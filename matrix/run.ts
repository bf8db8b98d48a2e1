/**
 * The real-world matrix: every folder of matrix/targets/ with a target.json (a real SSE library
 * serving the server fixtures through its own API) is built, started on a free loopback port and
 * judged by the suite in process. Per target: reports/targets/<name>/{results.json,report.html}
 * and the adapter's log reports/targets/<name>.log; for all: reports/matrix.md and matrix.json.
 *
 *   npm run matrix -- [--only go-gin,node-hono] [--lanes 3] [--build-lanes 2] [--heartbeat 3000] [--fast]
 *
 * Findings are data, not errors. The exit code is 0 when every target was judged, 1 when one was
 * not (a missing `requires` path, a failed build or start, a suite that did not finish: its row
 * says which, with the tail of its log), 2 on a usage error.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { exportCorpus } from '../spec/export.ts';
import { loadFixtures } from '../spec/loader.ts';
import { pool } from '../suite/pool.ts';
import { writeReports } from '../suite/reporters/index.ts';
import { serverFixtures } from '../suite/runner.ts';
import { buildAll, type Built } from './build.ts';
import { judge, recheck, timingSuspects, type JudgeOptions, type Session } from './judge.ts';
import { cacheRoot, listTargets, loadTarget, ROOT, type Placeholders, type Target } from './launch.ts';
import { killChildrenOnSignal, tail } from './processes.ts';
import { renderMatrix, type MatrixMeta } from './render.ts';
import { CHECK_COLUMNS, isJudged, mergeRuns, tally, type TargetRow } from './rows.ts';

const REPORTS_DIR = join(ROOT, 'reports');
const OUT_DIR = join(REPORTS_DIR, 'targets');
const logPathOf = (name: string) => join(OUT_DIR, `${name}.log`);
const logLink = (name: string) => relative(REPORTS_DIR, logPathOf(name));

interface Args {
  wanted: string[];
  lanes: number;
  buildLanes: number;
  heartbeatMs: number;
  fast: boolean;
}

function parse(all: readonly string[]): Args | string {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      lanes: { type: 'string', default: '3' },
      'build-lanes': { type: 'string', default: '2' },
      heartbeat: { type: 'string', default: '3000' },
      fast: { type: 'boolean', default: false },
    },
  });
  const wanted = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : [...all];
  const unknown = wanted.filter((name) => !all.includes(name));
  if (unknown.length) return `unknown target(s): ${unknown.join(', ')} (have: ${all.join(', ')})`;
  const lanes = Number(values.lanes);
  const buildLanes = Number(values['build-lanes']);
  const heartbeatMs = Number(values.heartbeat);
  if (![lanes, buildLanes].every((n) => Number.isInteger(n) && n >= 1)) return '--lanes and --build-lanes take a positive integer';
  if (!(heartbeatMs > 0)) return '--heartbeat takes a positive number of milliseconds';
  return { wanted, lanes, buildLanes, heartbeatMs, fast: values.fast! };
}

/** A row for a target that was not judged. */
function notJudgedRow(target: Target | { name: string }, status: TargetRow['status'], error: string, durationMs: number, withLog: boolean): TargetRow {
  const spec = 'spec' in target ? target.spec : undefined;
  return {
    name: target.name,
    language: spec?.language ?? 'unknown',
    library: spec?.library ?? '?',
    version: spec?.version ?? '?',
    title: spec?.title ?? target.name,
    status,
    error,
    ...(withLog ? { logTail: tail(logPathOf(target.name)) } : {}),
    log: logLink(target.name),
    durationMs,
  };
}

/** The row of a judged target: its runs merged, its reports written. */
function judgedRow(target: Target, judged: Extract<Session, { ok: true }>, rechecked: string[], built: Built, durationMs: number): TargetRow {
  const run = mergeRuns(judged.runs, durationMs);
  const outDir = join(OUT_DIR, target.name);
  writeReports(run, ['json', 'html'], outDir);
  return {
    name: target.name,
    language: target.spec.language,
    library: target.spec.library,
    version: target.spec.version,
    title: target.spec.title ?? target.name,
    status: 'judged',
    ...(judged.crashed ? { crashed: judged.crashed, logTail: tail(logPathOf(target.name)) } : {}),
    ...(rechecked.length ? { rechecked } : {}),
    summary: run.summary,
    ...tally(run.results),
    report: relative(REPORTS_DIR, join(outDir, 'report.html')),
    log: logLink(target.name),
    buildMs: built.buildMs,
    durationMs,
  };
}

function progress(row: TargetRow): string {
  if (row.status === 'not-installed') return `○ ${row.name}: ${row.error}`;
  if (!isJudged(row)) return `✗ ${row.name}: ${row.status}: ${row.error}`;
  const s = row.summary!;
  return `${s.failed ? '✗' : '✓'} ${row.name}: ${s.passed} passed, ${s.failed} failed, ${s.warned} warned, ${s.skipped} skipped (${(row.durationMs / 1000).toFixed(1)} s)${row.crashed ? ` — ${row.crashed}` : ''}${row.rechecked ? ` — re-read in quiet: ${row.rechecked.join(', ')}` : ''}`;
}

async function main(): Promise<number> {
  const args = parse(listTargets());
  if (typeof args === 'string') {
    console.error(args);
    return 2;
  }
  const t0 = performance.now();
  mkdirSync(OUT_DIR, { recursive: true });
  const rows: TargetRow[] = [];
  const targets: Target[] = [];
  for (const name of args.wanted) {
    writeFileSync(logPathOf(name), '');
    try {
      targets.push(loadTarget(name));
    } catch (error) {
      rows.push(notJudgedRow({ name }, 'invalid', (error as Error).message, 0, false));
      console.log(progress(rows.at(-1)!));
    }
  }

  const fixtures = loadFixtures();
  const tmp = mkdtempSync(join(tmpdir(), 'sse-matrix-'));
  const corpusPath = join(tmp, 'corpus.json');
  writeFileSync(corpusPath, JSON.stringify(exportCorpus(fixtures)));
  const placeholders: Placeholders = { corpus: corpusPath, cache: cacheRoot(), root: ROOT };
  const options: JudgeOptions = { fixtures, heartbeatMs: args.heartbeatMs, skipHeld: args.fast, placeholders, logPathOf };

  try {
    // 1. Builds, side by side.
    console.log(`building ${targets.length} target(s), ${args.buildLanes} at a time…`);
    const built = await buildAll(targets, args.buildLanes, placeholders, logPathOf, (target, b) => {
      if (b.ok) console.log(`  built ${target.name}${b.buildMs ? ` (${(b.buildMs / 1000).toFixed(1)} s)` : ''}`);
      else console.log(progress(notJudgedRow(target, b.status, b.error, b.buildMs, b.status !== 'not-installed')));
    });
    const buildWallMs = Math.round(performance.now() - t0);
    const ready: Target[] = [];
    for (const target of targets) {
      const b = built.get(target.name)!;
      if (b.ok) ready.push(target);
      else rows.push(notJudgedRow(target, b.status, b.error, b.buildMs, b.status !== 'not-installed'));
    }

    // 2. Startups and judging, `lanes` targets at a time.
    const t1 = performance.now();
    console.log(`judging ${ready.length} target(s), ${args.lanes} at a time…`);
    const sessions = await pool(ready, args.lanes, async (target) => {
      const started = performance.now();
      const s = await judge(target, options);
      if (!s.ok) console.log(progress(notJudgedRow(target, s.status, s.error, 0, true)));
      return { s, ms: performance.now() - started };
    });

    // 3. Delivery findings read again, one target at a time, with nothing else running.
    for (const [i, target] of ready.entries()) {
      const { s, ms } = sessions[i]!;
      const t2 = performance.now();
      if (!s.ok) {
        rows.push(notJudgedRow(target, s.status, s.error, Math.round(ms), true));
        continue;
      }
      const suspects = timingSuspects(s.runs);
      let runs = s.runs;
      if (suspects.length) {
        const again = await recheck(target, suspects, options);
        if (again.ok) runs = [...runs, ...again.runs];
      }
      const row = judgedRow(target, { ...s, runs }, suspects, built.get(target.name)!, Math.round(ms + performance.now() - t2));
      rows.push(row);
      console.log(progress(row));
    }
    const judgeWallMs = Math.round(performance.now() - t1);

    const order = (r: TargetRow) => args.wanted.indexOf(r.name);
    rows.sort((a, b) => order(a) - order(b));
    // --fast leaves the held-open fixtures out: nothing for the checks of an open stream to judge.
    const columns = CHECK_COLUMNS.filter((c) => !['keepalive', 'idle'].includes(c) || !args.fast);
    for (const r of rows) for (const c of Object.keys(r.byCheck ?? {})) if (!columns.includes(c)) columns.push(c);
    const meta: MatrixMeta = {
      generatedAt: new Date().toISOString(),
      serverFixtures: serverFixtures(fixtures).length,
      heartbeatMs: args.heartbeatMs,
      skipHeld: args.fast,
      lanes: args.lanes,
      buildLanes: args.buildLanes,
      buildWallMs,
      judgeWallMs,
      wallMs: Math.round(performance.now() - t0),
    };
    writeFileSync(join(REPORTS_DIR, 'matrix.json'), JSON.stringify({ ...meta, columns, targets: rows }, null, 2) + '\n');
    writeFileSync(join(REPORTS_DIR, 'matrix.md'), renderMatrix(rows, columns, meta));
    const notJudged = rows.filter((r) => !isJudged(r));
    console.log(`\nreports/matrix.md, reports/matrix.json: ${rows.length - notJudged.length} of ${rows.length} target(s) judged — builds ${(buildWallMs / 1000).toFixed(1)} s, judging ${(judgeWallMs / 1000).toFixed(1)} s, ${(meta.wallMs / 1000).toFixed(1)} s in all`);
    if (notJudged.length) console.log(`not judged (the matrix fails): ${notJudged.map((r) => `${r.name} (${r.status})`).join(', ')}`);
    return notJudged.length > 0 ? 1 : 0;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

killChildrenOnSignal();
// Exit explicitly: pooled keep-alive sockets of the suite's HTTP client must not hold the process.
process.exit(await main());
