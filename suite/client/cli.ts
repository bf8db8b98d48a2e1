/**
 * `sse-conformance client <service-url>`: judges an SSE client through its test service
 * (spec/CLIENT-SERVICE.md). Reports, baseline, --only/--skip and exit codes as for servers.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { applyBaseline, readBaseline } from '../baseline.ts';
import { UsageError } from '../usage-error.ts';
import { renderConsole } from '../reporters/console.ts';
import { writeReports } from '../reporters/index.ts';
import { REPORT_OPTIONS, SELECTION_OPTIONS, fixturesFrom, list, reportKinds, wholeNumber } from '../cli-values.ts';
import { divergencePattern } from './explain.ts';
import { runClientSuite, type ClientRun } from './run.ts';

export const CLIENT_HELP = `Usage: sse-conformance client <service-url> [options]

Judges an SSE client through a test service that speaks the protocol of spec/CLIENT-SERVICE.md
(LaunchDarkly's sse-contract-tests services work unchanged). The harness serves every stream
fixture — in its own chunking, whole, byte by byte and split in two at every point the budget
allows — and every scenario fixture a service can report, and compares what the client reported.
What a service's capabilities do not allow is SKIP, naming the capability.

Options:
  --only <glob>          run only matching fixtures, categories, checks (parse, scenario, service) or requirements
  --skip <glob>          skip matching ones (repeatable)
  --strict               SHOULD failures fail the run (default: they warn)
  --divergences <name>   fixture divergences naming this implementation explain a disagreement
                         (a word such as undici, or /regex/; default: the service's "name")
  --splits <n|all>       split points per stream fixture (default all, as the budget allows)
  --concurrency <n>      clients at once (default 8)
  --timeout <ms>         deadline of each call to the service, and for its first answer (default 5000)
  --case-timeout <ms>    how long one stream fixture's client may take (default 5000)
  --initial-delay <ms|null>  initialDelayMs sent to the service (default 100)
  --max-run <ms>         start no new client after this long; the rest are skipped (default 600000)
  --report <kind>        spec|json|junit|md|html (repeatable; the console report is always printed)
  --out <dir>            where report files go (default reports/)
  --baseline <file>      expected failures, one result id or glob per line
  --fixtures <dir>       use the fixtures in <dir> instead of the built-in corpus

Exit codes: 0 nothing failed, 1 a failure or a stale baseline entry, 2 usage error or the service
could not be reached.`;

const OPTIONS = {
  ...SELECTION_OPTIONS,
  divergences: { type: 'string' },
  splits: { type: 'string' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  'case-timeout': { type: 'string' },
  'initial-delay': { type: 'string' },
  ...REPORT_OPTIONS,
} as const;

export function parseServiceUrl(raw: string | undefined): string {
  if (!raw) throw new UsageError('client: the service URL is missing');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${JSON.stringify(raw)} is not a valid URL`);
  }
  if (url.protocol !== 'http:') throw new UsageError(`unsupported scheme ${url.protocol} in ${raw} (a test service is plain http:)`);
  return url.href.replace(/\/+$/, '');
}

export async function clientCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  if (values.help) {
    process.stdout.write(`${CLIENT_HELP}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError('client takes one service URL');
  const service = parseServiceUrl(positionals[0]);
  const kinds = reportKinds(values.report);
  const splits = values.splits === undefined || values.splits === 'all' ? 'all' : wholeNumber(values.splits, 'splits', 0)!;
  const initial = values['initial-delay'];
  const initialDelayMs = initial === undefined ? undefined : initial === 'null' ? null : wholeNumber(initial, 'initial-delay', 0)!;
  let divergences: RegExp | null | undefined;
  try {
    divergences = values.divergences === undefined ? undefined : divergencePattern(values.divergences);
  } catch (error) {
    throw new UsageError(`--divergences: ${(error as Error).message}`);
  }
  const baseline = values.baseline === undefined ? undefined : readBaseline(values.baseline);
  const timeoutMs = wholeNumber(values.timeout, 'timeout');
  const run: ClientRun = await runClientSuite({
    service,
    fixtures: fixturesFrom(values.fixtures),
    selection: { only: list(values.only), skip: list(values.skip) },
    strict: values.strict ?? false,
    concurrency: wholeNumber(values.concurrency, 'concurrency'),
    splits,
    maxRunMs: wholeNumber(values['max-run'], 'max-run'),
    timeoutMs,
    startWaitMs: timeoutMs,
    caseTimeoutMs: wholeNumber(values['case-timeout'], 'case-timeout'),
    initialDelayMs,
    divergences,
  });
  if (run.unreachable !== null) {
    process.stderr.write(`error: the service could not be used: ${run.unreachable}\n`);
    return 2;
  }
  if (baseline) applyBaseline(run, baseline, values.baseline!);
  process.stdout.write(renderConsole(run, !process.env.NO_COLOR && process.stdout.isTTY === true));
  const { streams, scenarios } = run.agreement;
  process.stdout.write(`Agreement: stream fixtures ${streams.agreed}/${streams.judged} (${streams.percent}%, ${streams.explained} explained), scenarios ${scenarios.agreed}/${scenarios.judged} (${scenarios.explained} explained)\n`);
  if (run.gone !== null) process.stdout.write(`Stopped early, the rest not run: ${run.gone}\n`);
  for (const path of writeReports(run, kinds, resolve(values.out ?? 'reports'))) process.stdout.write(`wrote ${path}\n`);
  if (run.attempted === 0) {
    process.stderr.write('error: --only/--skip left nothing to run\n');
    return 2;
  }
  return run.summary.failed > 0 || run.stale.length > 0 ? 1 : 0;
}
