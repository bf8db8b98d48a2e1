/**
 * The browser as judge: every stream fixture read by Chromium's own EventSource (Blink).
 *
 *   node --import tsx clients/browser.ts [--concurrency 5] [--timeout 3000] [--only <id-substring>]
 *
 * Starts the reference server in-process, launches Debian's Chromium through playwright-core
 * (installed in clients/node_modules, never a downloaded browser build), opens one page at the
 * server's origin and, for each stream fixture, runs the shared collector there with the page's
 * `EventSource`. Writes reports/clients/chromium.{json,md} and refreshes reports/clients/matrix.md.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { startReferenceServer } from '../reference-server/server.ts';
import {
  COLLECTOR_SOURCE,
  type ClientCase,
  type ClientReport,
  formatTable,
  judge,
  pool,
  streamCases,
  summarise,
  writeClientReport,
  writeMatrix,
  type Collected,
  flag,
} from './harness.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags the project runs Chromium with: headless, offline, no background traffic. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserRunOptions {
  /** EventSources open at once in the page (Chromium allows 6 HTTP/1.1 connections per host). */
  concurrency?: number;
  /** Time limit per fixture, ms. */
  timeoutMs?: number;
  only?: (id: string) => boolean;
  executablePath?: string;
}

/** Why the Chromium comparison cannot run here, or null when it can. */
export async function chromiumUnavailable(executablePath = CHROMIUM_PATH): Promise<string | null> {
  if (!existsSync(executablePath)) return `${executablePath} is missing (apt-get install -y chromium)`;
  try {
    await import('playwright-core');
  } catch {
    return 'playwright-core is not installed (cd clients && npm ci)';
  }
  return null;
}

export async function runChromium(options: BrowserRunOptions = {}): Promise<ClientReport> {
  const concurrency = options.concurrency ?? 5;
  const timeoutMs = options.timeoutMs ?? 3000;
  const { chromium } = await import('playwright-core');
  const cases = streamCases(options.only);
  const started = Date.now();
  const server = await startReferenceServer({ port: 0 });
  let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
  try {
    browser = await chromium.launch({ executablePath: options.executablePath ?? CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 });
    const version = browser.version();
    const page = await browser.newPage();
    // Same origin as every fixture URL, so no CORS is involved.
    await page.goto(`${server.url}/`);
    const run = async (c: ClientCase): Promise<Collected> => {
      const url = `${server.url}/${c.id}`;
      const call = `(${COLLECTOR_SOURCE})(EventSource, ${JSON.stringify(url)}, ${JSON.stringify(c.types)}, ${JSON.stringify(c.stopAfter)}, ${timeoutMs})`;
      try {
        return (await page.evaluate(call)) as Collected;
      } catch (error) {
        return { events: [], ending: `threw: ${(error as Error).message.split('\n')[0]}`, errorReadyState: null, opened: false, elapsedMs: 0 };
      }
    };
    const collected = await pool(cases, concurrency, run);
    const results = cases.map((c, i) => judge('chromium', c, collected[i]!));
    return summarise('chromium', `Chromium ${version}`, results, Date.now() - started);
  } finally {
    await browser?.close().catch(() => undefined);
    await server.close();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unavailable = await chromiumUnavailable();
  if (unavailable) {
    console.error(`cannot run Chromium: ${unavailable}`);
    process.exitCode = 2;
    return;
  }
  const only = flag(args, '--only');
  const report = await runChromium({
    concurrency: Number(flag(args, '--concurrency') ?? 5),
    timeoutMs: Number(flag(args, '--timeout') ?? 3000),
    ...(only ? { only: (id: string) => id.includes(only) } : {}),
  });
  const { json, md } = writeClientReport(report);
  const matrix = writeMatrix();
  console.log(formatTable(report));
  console.log(`\nagreement: ${report.agreementPct}% (${report.agreed}/${report.total}); unexplained disagreements: ${report.unexplained}`);
  console.log(`wrote ${json}, ${md}, ${matrix}`);
  if (report.unexplained > 0) process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
