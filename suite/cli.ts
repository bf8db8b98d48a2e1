/**
 * The `sse-conformance` command line. Every user mistake is one line on stderr and exit 2; a
 * failing target is exit 1 with the reasons; a passing one exit 0. Each command imports what it
 * needs when it runs, so `--help`, `list` and `fixtures` start without the HTTP client or server.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { loadFixtures, FixtureError } from '../spec/loader.ts';
import { requirements, getRequirement } from '../spec/requirements.ts';
import { applyBaseline, readBaseline } from './baseline.ts';
import { exitCode, nothingJudged } from './exit-code.ts';
import { serverFixtures } from './fixture-urls.ts';
import type { RunOptions, SuiteRun } from './runner.ts';
import { writeReports } from './reporters/index.ts';
import { UsageError } from './usage-error.ts';
import { HELP } from './help.ts';
import { fixturesFrom, list, reportKinds } from './cli-values.ts';
import { RUN_OPTIONS, headersFrom, int, originFrom, parseTarget, trustFrom, type Values } from './run-options.ts';
import { describeSecrets, querySecrets } from './secrets.ts';
import type { Result } from './result.ts';

function progress(): ((result: Result) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let n = 0;
  return (result) => {
    n++;
    process.stderr.write(`\r\x1b[2K${n} checks… ${result.id.slice(0, 70)}`);
  };
}

async function judge(mode: RunOptions['mode'], target: string, values: Values, extra: Partial<RunOptions> = {}): Promise<number> {
  const kinds = reportKinds(values.report);
  const baseline = values.baseline === undefined ? undefined : readBaseline(values.baseline);
  const onResult = progress();
  const { headers, secrets: headerValues } = headersFrom(values);
  const tls = trustFrom(values);
  const inQuery = querySecrets(target);
  if (inQuery.length > 0) process.stderr.write(`warning: the URL carries a credential in its query (${inQuery.map((s) => s.what.split(' ')[0]).join(', ')}); prefer a header (--header-env) — it is never printed either way\n`);
  const secrets = [...headerValues, ...inQuery];
  const named = describeSecrets(secrets);
  if (named !== null) process.stderr.write(`${named}\n`);
  const [{ runSuite }, { renderConsole }] = await Promise.all([import('./runner.ts'), import('./reporters/console.ts')]);
  const run: SuiteRun = await runSuite({
    mode,
    target,
    fixtures: fixturesFrom(values.fixtures),
    selection: { only: list(values.only), skip: list(values.skip) },
    strict: values.strict ?? false,
    headers,
    secrets,
    concurrency: int(values, 'concurrency'),
    heartbeatMs: int(values, 'heartbeat'),
    idleCutMs: int(values, 'idle-cut'),
    ...originFrom(values),
    aborts: int(values, 'aborts'),
    durationMs: int(values, 'duration'),
    maxRunMs: int(values, 'max-run'),
    ...(tls ? { tls } : {}),
    limits: {
      ...(int(values, 'timeout') !== undefined ? { timeoutMs: int(values, 'timeout')! } : {}),
      ...(int(values, 'idle') !== undefined ? { idleMs: int(values, 'idle')! } : {}),
      ...(int(values, 'max-bytes') !== undefined ? { maxBytes: int(values, 'max-bytes')! } : {}),
      ...(int(values, 'max-events') !== undefined ? { maxEvents: int(values, 'max-events')! } : {}),
      ...(int(values, 'max-line') !== undefined ? { maxLineLength: int(values, 'max-line')! } : {}),
      ...(int(values, 'max-duration') !== undefined ? { maxDurationMs: int(values, 'max-duration')! } : {}),
    },
    ...(onResult ? { onResult } : {}),
    ...extra,
  });
  if (onResult) process.stderr.write('\r\x1b[2K');
  if (baseline) applyBaseline(run, baseline, values.baseline!);
  // The console report is always printed; --report adds files (console alone is the default).
  process.stdout.write(renderConsole(run, !process.env.NO_COLOR && process.stdout.isTTY === true));
  for (const path of writeReports(run, kinds, resolve(values.out ?? 'reports'))) process.stdout.write(`wrote ${path}\n`);
  const why = nothingJudged(run);
  if (why !== null) process.stderr.write(`error: ${why}\n`);
  return exitCode(run);
}

async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { host: { type: 'string' }, port: { type: 'string' }, 'keep-alive': { type: 'string' }, fixtures: { type: 'string' }, tls: { type: 'boolean' }, http2: { type: 'boolean' }, cert: { type: 'string' }, key: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) return print(HELP.serve!);
  if ((values.cert === undefined) !== (values.key === undefined)) throw new UsageError('--cert and --key go together');
  let tls: { cert: string; key: string } | boolean | undefined = values.tls || values.http2 || values.cert !== undefined ? true : undefined;
  if (values.cert !== undefined) {
    const { readTlsFiles } = await import('../reference-server/tls.ts');
    try {
      tls = readTlsFiles(values.cert, values.key!);
    } catch (error) {
      throw new UsageError(`cannot read the certificate or key (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port takes a number from 0 to 65535, not ${JSON.stringify(values.port)}`);
  const keepAliveMs = values['keep-alive'] === undefined ? undefined : Number(values['keep-alive']);
  if (keepAliveMs !== undefined && !(keepAliveMs >= 10)) throw new UsageError('--keep-alive takes milliseconds ≥ 10');
  const { startReferenceServer } = await import('../reference-server/server.ts');
  let server;
  try {
    server = await startReferenceServer({ host: values.host ?? '127.0.0.1', port, keepAliveMs, tls, http2: values.http2, fixtures: values.fixtures ? loadFixtures(resolve(values.fixtures)) : undefined });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${port} is already in use on ${values.host ?? '127.0.0.1'}`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`cannot listen on host ${values.host}`);
    if (code === 'EACCES') throw new UsageError(`not allowed to listen on port ${port}`);
    throw error;
  }
  process.stdout.write(`listening on ${server.url}${values.http2 ? ' (HTTP/2, HTTP/1.1 through ALPN)' : ''}\n`);
  if (server.certificate !== null && values.cert === undefined) {
    const file = join(mkdtempSync(join(tmpdir(), 'sse-conformance-')), 'certificate.pem');
    writeFileSync(file, server.certificate);
    process.stdout.write(`certificate: ${file} (self-signed; trust it with curl --cacert ${file})\n`);
  }
  await new Promise<void>((done) => {
    const stop = () => void server.close().then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

function print(text: string): number {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return 0;
}

async function listChecks(): Promise<number> {
  const { checks } = await import('./checks/index.ts');
  const lines: string[] = [];
  const fixtures = serverFixtures(loadFixtures());
  for (const check of checks) {
    const where = !check.applies(null) ? ' (fixture mode)' : fixtures.some((f) => check.applies(f)) ? '' : ' (probe mode)';
    lines.push(`${check.name}${where}${check.scope === 'target' ? ' (once per target)' : ''} — ${check.description}`);
    for (const id of check.requirements) {
      const r = getRequirement(id)!;
      lines.push(`  ${r.level.padEnd(6)} ${r.id.padEnd(36)} ${r.text}`);
    }
  }
  lines.push('', `${requirements.length} requirements in the catalogue (spec/requirements.ts); client.* and parse.* rules are proven by fixtures.`);
  return print(lines.join('\n'));
}

async function listFixtures(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, fixtures: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) return print(HELP.fixtures!);
  const loaded = values.fixtures ? loadFixtures(resolve(values.fixtures)) : loadFixtures();
  if (values.json) {
    const { exportCorpus } = await import('../spec/export.ts');
    return print(JSON.stringify(exportCorpus(loaded), null, 2));
  }
  const { serverFixtures } = await import('./fixture-urls.ts');
  const server = new Set(serverFixtures(loaded).map((f) => f.id));
  const lines = loaded.map(({ fixture: f }) => `${f.id.padEnd(44)} ${(server.has(f.id) ? 'server' : f.kind).padEnd(9)} ${f.category.padEnd(17)} ${f.title}`);
  lines.push(`${loaded.length} fixtures (${server.size} server fixtures judged by "run")`);
  return print(lines.join('\n'));
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  const command = first && !first.startsWith('-') ? first : undefined;
  const args = command ? rest : argv;
  if (command === 'serve') return serve(args);
  if (command === 'client') return (await import('./client/cli.ts')).clientCommand(args);
  if (command === 'fixtures') return listFixtures(args);
  if (command === 'docs') return (await import('./site/command.ts')).docs(args);
  if (command === 'list') return args.includes('--help') || args.includes('-h') ? print(HELP.list!) : listChecks();
  if (command !== undefined && command !== 'run' && command !== 'probe' && command !== 'help') throw new UsageError(`unknown command "${command}" (see sse-conformance --help)`);
  if (command === 'help') return print(HELP.main!);
  const { values, positionals } = parseArgs({ args, options: RUN_OPTIONS, allowPositionals: true, strict: true });
  if (values.help) return print(HELP[command ?? 'main']!);
  if (command !== undefined && (values.tls || values.http2)) throw new UsageError(`--${values.tls ? 'tls' : 'http2'} is for the embedded run (sse-conformance --tls --http2); ${command} takes an https: URL`);
  if (command === 'run') {
    if (positionals.length > 1) throw new UsageError('run takes one base URL');
    return judge('fixtures', parseTarget(positionals[0], 'run: the base URL'), values);
  }
  if (command === 'probe') {
    if (positionals.length > 1) throw new UsageError('probe takes one URL');
    return judge('probe', parseTarget(positionals[0], 'probe: the URL'), values);
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" (did you mean "run ${positionals[0]}"?)`);
  // No command: the whole suite against the embedded reference server, with short keep-alives
  // so the keep-alive check does not need to wait 15 seconds.
  // The corpus is read once and shared by the server and the runner.
  const fixtures = fixturesFrom(values.fixtures) ?? loadFixtures();
  const { startReferenceServer } = await import('../reference-server/server.ts');
  const server = await startReferenceServer({ keepAliveMs: 200, fixtures, ...(values.tls || values.http2 ? { tls: true, http2: values.http2 === true } : {}) });
  try {
    // Over TLS the suite trusts the server's own self-signed certificate, as --ca would.
    return await judge('fixtures', server.url, { heartbeat: '400', ...values }, { fixtures, ...(server.certificate !== null ? { tls: { ca: server.certificate } } : {}) });
  } finally {
    await server.close();
  }
}

export async function cli(argv: string[]): Promise<void> {
  let code: number;
  try {
    code = await main(argv);
  } catch (error) {
    const known = error instanceof UsageError || error instanceof FixtureError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`error: ${(error as Error).message}\n`);
    if (!known) process.stderr.write(`${(error as Error).stack ?? ''}\n(this is a bug in sse-conformance; please report it)\n`);
    code = 2;
  }
  process.exitCode = code;
}
