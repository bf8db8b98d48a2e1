/**
 * The Node clients of the matrix: npm `eventsource` (clients/node_modules, pinned) and undici's
 * EventSource (the project's own undici in the root node_modules), each reading every stream
 * fixture from the in-process reference server with the same collector the browser runs.
 *
 *   node --import tsx clients/node-clients.ts [--client eventsource|undici] [--concurrency 8] [--timeout 3000] [--only <id-substring>]
 *
 * Writes reports/clients/<client>.{json,md} and reports/clients/matrix.md (with the Chromium
 * column when reports/clients/chromium.json exists: run clients/browser.ts for it).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startReferenceServer } from '../reference-server/server.ts';
import {
  type ClientName,
  type ClientReport,
  formatTable,
  judge,
  nodeCollector,
  pool,
  streamCases,
  summarise,
  writeClientReport,
  writeMatrix,
  flag,
} from './harness.ts';

export type NodeClient = Exclude<ClientName, 'chromium'>;
export const NODE_CLIENTS: readonly NodeClient[] = ['eventsource', 'undici'];

const require = createRequire(import.meta.url);

/** The installed version of a package, as this file resolves it. */
function versionOf(name: string): string {
  let dir = dirname(require.resolve(name));
  while (!dir.endsWith(`node_modules/${name}`) && dir !== dirname(dir)) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

async function load(client: NodeClient): Promise<{ EventSource: unknown; implementation: string }> {
  if (client === 'eventsource') {
    const { EventSource } = await import('eventsource');
    return { EventSource, implementation: `npm eventsource ${versionOf('eventsource')} (eventsource-parser ${versionOf('eventsource-parser')})` };
  }
  const { EventSource } = await import('undici');
  return { EventSource, implementation: `undici ${versionOf('undici')} EventSource` };
}

export interface NodeRunOptions {
  concurrency?: number;
  timeoutMs?: number;
  only?: (id: string) => boolean;
}

export async function runNodeClient(client: NodeClient, options: NodeRunOptions = {}): Promise<ClientReport> {
  const { EventSource, implementation } = await load(client);
  const collect = nodeCollector();
  const cases = streamCases(options.only);
  const timeoutMs = options.timeoutMs ?? 3000;
  const started = Date.now();
  const server = await startReferenceServer({ port: 0 });
  try {
    const collected = await pool(cases, options.concurrency ?? 8, (c) =>
      collect(EventSource, `${server.url}/${c.id}`, c.types, c.stopAfter, timeoutMs),
    );
    const results = cases.map((c, i) => judge(client, c, collected[i]!));
    return summarise(client, implementation, results, Date.now() - started);
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const chosen = flag(args, '--client');
  if (chosen && !NODE_CLIENTS.includes(chosen as NodeClient)) {
    console.error(`unknown client ${JSON.stringify(chosen)}: one of ${NODE_CLIENTS.join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const only = flag(args, '--only');
  for (const client of chosen ? [chosen as NodeClient] : NODE_CLIENTS) {
    const report = await runNodeClient(client, {
      concurrency: Number(flag(args, '--concurrency') ?? 8),
      timeoutMs: Number(flag(args, '--timeout') ?? 3000),
      ...(only ? { only: (id: string) => id.includes(only) } : {}),
    });
    const { json, md } = writeClientReport(report);
    console.log(formatTable(report));
    console.log(`\nagreement: ${report.agreementPct}% (${report.agreed}/${report.total}); unexplained disagreements: ${report.unexplained}`);
    console.log(`wrote ${json}, ${md}\n`);
  }
  console.log(`wrote ${writeMatrix()}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
