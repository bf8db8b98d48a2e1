/**
 * `npm run bench`: the three benchmarks of the project, each printing its table — interpreter
 * throughput against eventsource-parser and undici, suite speed against the embedded reference
 * server, and the reference server at scale against bare node:http and better-sse. Ratios are
 * measured side by side in the same run; figures are medians. Latest results: bench/RESULTS.md.
 *   npm run bench [-- --quick]   (--quick: fewer runs, at most 1,000 streams)
 */
import { cpus, totalmem } from 'node:os';
import { formatTable, runInterpreterBench } from './interpreter.ts';
import { formatLinearityTable, runLinearityBench } from './linearity.ts';
import { renderLoadTable, runLoadBench } from './load.ts';
import { runSuiteBench } from './suite.ts';

const quick = process.argv.includes('--quick');
console.log(`# sse-conformance benchmarks — ${new Date().toISOString()}`);
console.log(`node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · ${Math.round(totalmem() / 2 ** 30)} GiB\n`);

console.log('## 1. Interpreter throughput (MB/s over CPU time, medians; ratios paired per iteration)\n');
console.log(formatTable(await runInterpreterBench(quick ? { iterations: 5, warmup: 1 } : {})));
console.log('\nOne huge line in tiny chunks (CPU time per MiB; linear when a longer line costs no more per MiB):\n');
console.log(formatLinearityTable(await runLinearityBench(quick ? 1 : 5)));

console.log('\n## 2. Suite speed against the embedded reference server\n');
const suite = await runSuiteBench(quick ? 3 : 5);
console.log('| run | median wall | mandated waits (critical path) | checks |\n|---|---|---|---|');
for (const r of suite) {
  const share = r.mandatedWaitMs === null ? '—' : `${r.mandatedWaitMs} ms (${Math.round((100 * r.mandatedWaitMs) / r.medianMs)}% of the wall time)`;
  console.log(`| ${r.what} | ${r.medianMs} ms | ${share} | ${r.checks} |`);
}

console.log('\n## 3. Reference server at scale (separate processes on loopback, medians)\n');
console.log(renderLoadTable(await runLoadBench(quick ? 1 : 3, quick ? 1000 : 10_000)));
