/**
 * Suite speed: the whole suite against the embedded reference server, end to end from the sources
 * (`node bin/sse-conformance.js`, through tsx; the installed command is in bench/startup.ts), and
 * in-process to split the wall time into work and the waits the protocol mandates (retry delays,
 * fixture pauses). Medians of several runs.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startReferenceServer } from '../reference-server/server.ts';
import { runSuite } from '../suite/runner.ts';
import { median } from './stats.ts';

export interface SuiteBenchRow {
  what: string;
  medianMs: number;
  mandatedWaitMs: number | null;
  checks: number;
}

const bin = fileURLToPath(new URL('../bin/sse-conformance.js', import.meta.url));

export async function runSuiteBench(runs = 5): Promise<SuiteBenchRow[]> {
  const cli: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await promisify(execFile)(process.execPath, [bin], { env: { ...process.env, NO_COLOR: '1' } });
    cli.push(performance.now() - t0);
  }
  const inProcess: number[] = [];
  const waits: number[] = [];
  let checks = 0;
  for (let i = 0; i < runs; i++) {
    const server = await startReferenceServer({ keepAliveMs: 200 });
    const t0 = performance.now();
    const run = await runSuite({ mode: 'fixtures', target: server.url, heartbeatMs: 600 });
    inProcess.push(performance.now() - t0);
    waits.push(run.mandatedWaitMs);
    checks = run.summary.total;
    await server.close();
  }
  return [
    { what: 'node bin/sse-conformance.js (sources through tsx; process start to exit)', medianMs: Math.round(median(cli)), mandatedWaitMs: null, checks },
    { what: 'runSuite in-process', medianMs: Math.round(median(inProcess)), mandatedWaitMs: Math.round(median(waits)), checks },
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await runSuiteBench();
  console.log('\nSuite speed (embedded reference server, median of 5)\n');
  console.log('| run | median wall | mandated waits (share) | checks |\n|---|---|---|---|');
  for (const r of rows) {
    const share = r.mandatedWaitMs === null ? '—' : `${r.mandatedWaitMs} ms (${Math.round((100 * r.mandatedWaitMs) / r.medianMs)}%)`;
    console.log(`| ${r.what} | ${r.medianMs} ms | ${share} | ${r.checks} |`);
  }
}
