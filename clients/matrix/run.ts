/**
 * The client matrix: every test service in clients/services/ started from its launch file,
 * judged by the client harness, stopped. Writes reports/client-matrix.{md,json} and each
 * service's full results to reports/client-matrix/<service>.json.
 *
 *   npm run client-matrix [-- --only <service>] [--splits <n|all>] [--max-run <ms per service>]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pool } from '../../suite/pool.ts';
import { divergencePattern } from '../../suite/client/explain.ts';
import { runClientSuite } from '../../suite/client/run.ts';
import { launch, listServices, ROOT_DIR, type Service } from './launch.ts';
import { renderMatrix, type Matrix, type MatrixRow } from './report.ts';

export interface MatrixOptions {
  only?: string[];
  splits?: number | 'all';
  maxRunMs?: number;
  /** Services judged side by side (default 1). Scenario timings are judged as lower bounds only. */
  lanes?: number;
  log?: (line: string) => void;
}

export async function judgeService(service: Service, options: MatrixOptions = {}): Promise<{ row: MatrixRow; results: unknown }> {
  const started = performance.now();
  const base: MatrixRow = { service: service.name, language: service.launch.language, client: service.launch.client, version: service.launch.version, problem: null, capabilities: [], summary: null, streams: null, scenarios: null, durationMs: 0, gone: null, notable: [] };
  const running = await launch(service);
  if ('problem' in running) return { row: { ...base, problem: running.problem, durationMs: Math.round(performance.now() - started) }, results: null };
  try {
    const run = await runClientSuite({
      service: running.url,
      concurrency: service.launch.concurrency ?? 8,
      splits: options.splits ?? 'all',
      maxRunMs: options.maxRunMs ?? 120_000,
      ...(service.launch.divergences ? { divergences: divergencePattern(service.launch.divergences) } : {}),
    });
    if (run.unreachable) return { row: { ...base, problem: `unreachable: ${run.unreachable}`, durationMs: Math.round(performance.now() - started) }, results: run };
    const notable = run.results
      .filter((r) => r.outcome === 'fail' || r.outcome === 'warn')
      .sort((a, b) => (a.outcome === b.outcome ? 0 : a.outcome === 'fail' ? -1 : 1))
      .slice(0, 12)
      .map((r) => ({ id: r.id, outcome: r.outcome, message: r.message }));
    return {
      row: {
        ...base,
        version: run.service?.version ?? service.launch.version,
        capabilities: run.service?.capabilities ?? [],
        summary: run.summary,
        streams: run.agreement.streams,
        scenarios: run.agreement.scenarios,
        durationMs: Math.round(performance.now() - started),
        gone: run.gone,
        notable,
      },
      results: run,
    };
  } finally {
    await running.stop();
  }
}

export async function runMatrix(options: MatrixOptions = {}): Promise<Matrix> {
  const services = listServices().filter((s) => !options.only?.length || options.only.includes(s.name));
  const dir = join(ROOT_DIR, 'reports', 'client-matrix');
  mkdirSync(dir, { recursive: true });
  const rows = await pool(services, options.lanes ?? 1, async (service) => {
    options.log?.(`${service.name}: starting`);
    const { row, results } = await judgeService(service, options);
    if (results) writeFileSync(join(dir, `${service.name}.json`), JSON.stringify(results, null, 2) + '\n');
    const stopped = row.gone ? `; stopped early, the rest not run: ${row.gone}` : '';
    options.log?.(`${service.name}: ${row.problem ?? `${row.summary!.passed} passed, ${row.summary!.failed} failed, ${row.summary!.warned} warned, ${row.summary!.skipped} skipped; stream fixtures ${row.streams!.percent}%${stopped}`} (${(row.durationMs / 1000).toFixed(0)} s)`);
    return row;
  });
  return { date: new Date().toISOString(), rows };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string', multiple: true }, splits: { type: 'string' }, 'max-run': { type: 'string' }, lanes: { type: 'string' } }, strict: true });
  const splits = values.splits === undefined || values.splits === 'all' ? 'all' : Number(values.splits);
  const lanes = values.lanes === undefined ? 1 : Number(values.lanes);
  if (!Number.isInteger(lanes) || lanes < 1) throw new Error(`--lanes takes a whole number ≥ 1, not ${JSON.stringify(values.lanes)}`);
  const matrix = await runMatrix({ only: values.only, splits, lanes, maxRunMs: values['max-run'] ? Number(values['max-run']) : undefined, log: (line) => console.log(line) });
  const dir = join(ROOT_DIR, 'reports');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'client-matrix.json'), JSON.stringify(matrix, null, 2) + '\n');
  writeFileSync(join(dir, 'client-matrix.md'), renderMatrix(matrix));
  console.log(`wrote ${join(dir, 'client-matrix.md')} and client-matrix.json`);
  // Client bugs are findings, not errors; a service that should run but did not start is one.
  const broken = matrix.rows.filter((r) => r.problem !== null && !r.problem.startsWith('not run:'));
  for (const r of broken) console.error(`error: ${r.service}: ${r.problem}`);
  if (broken.length > 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) await main();
