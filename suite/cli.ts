/**
 * The `sse-conformance` command line. Every user mistake is one line on stderr and exit 2; a
 * failing target is exit 1 with the reasons; a passing one exit 0. Each command imports what it
 * needs when it runs, so `--help`, `list` and `fixtures` start without the HTTP client or server.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { join, resolve } from 'node:path';
import { loadFixtures, FixtureError } from '../spec/loader.ts';
import { requirements, getRequirement } from '../spec/requirements.ts';
import type { LoadedFixture } from '../spec/fixture.ts';
import { applyBaseline, readBaseline } from './baseline.ts';
import { exitCode, nothingJudged } from './exit-code.ts';
import { serverFixtures } from './fixture-urls.ts';
import type { RunOptions, SuiteRun } from './runner.ts';
import { REPORT_ALIASES, REPORTS, writeReports, type ReportKind } from './reporters/index.ts';
import { DEFAULT_LIMITS } from './limits.ts';
import { UsageError } from './usage-error.ts';
import { VERSION } from './version.ts';
import { describeSecrets, headerSecrets, querySecrets, type Secret } from './secrets.ts';
import type { Result } from './result.ts';
import type { TlsTrust } from './transport.ts';

const HELP: Record<string, string> = {
  main: `sse-conformance ${VERSION} — conformance suite and reference server for Server-Sent Events

Usage:
  sse-conformance [options]            run the suite against the embedded reference server
                                       (--tls: over HTTPS; --http2: over HTTP/2 through ALPN)
  sse-conformance run <base-url>       judge a server that serves the fixtures at <base-url>/<id>
  sse-conformance probe <url>          black-box checks of any single SSE endpoint
  sse-conformance client <service-url> judge an SSE client through its test service
  sse-conformance serve                start the reference server
  sse-conformance fixtures [--json]    list the fixtures, or export them all as JSON
  sse-conformance list                 every check with its requirement ids and levels
  sse-conformance docs [--out site]    write the documentation site (fixtures, requirements, results)

Run "sse-conformance <command> --help" for a command's options.
Exit codes: 0 no failure, 1 at least one failure, 2 usage error or target unreachable.`,
  run: `Usage: sse-conformance run <base-url> [options]

Fixture <id> is fetched from <base-url>/<id>, or, where the URL contains {id}, from the URL with
{id} replaced. A fixture answered with 404 is reported as SKIP (not implemented).

Options:
  --only <glob>          run only matching fixtures, categories, checks or requirements (repeatable)
  --skip <glob>          skip matching ones (repeatable)
  --strict               SHOULD failures and timings in their warn band fail the run
                         (default: they warn)
  --header 'Name: value' send this header on every request (repeatable); its value is never
                         printed: output and reports show $SSE_HEADER_NAME instead
  --header-env Name=VAR  the header's value from environment variable VAR (shown as $VAR)
  --header-file Name=F   the header's value from file F (its first line)
  --timeout <ms>         deadline for each response's headers (default ${DEFAULT_LIMITS.timeoutMs})
  --idle <ms>            stop reading a stream after this long without a byte (default ${DEFAULT_LIMITS.idleMs})
  --concurrency <n>      fixtures judged at once (default 8)
  --heartbeat <ms>       longest tolerated silence of an open stream (default 15000)
  --idle-cut <ms>        idle timeout of the load balancers in front: a longer silence fails
                         (default 60000)
  --origin <origin>      judge CORS for a page on this origin (https://app.example): the stream
                         is requested with Origin, and a preflight asks for last-event-id and
                         authorization; without it CORS is not judged (SKIP)
  --credentials          with --origin: ask as withCredentials does (exact origin, credentials)
  --aborts <n>           connections the churn check aborts before it opens one more (default 12)
  --report <kind>        console|json|junit|md|html (repeatable; the console report is always
                         printed; "spec" is another name for console)
  --out <dir>            where report files go (default reports/)
  --baseline <file>      expected failures, one result id or glob per line
  --fixtures <dir>       use the fixtures in <dir> instead of the built-in corpus
  --max-bytes <n>        stop reading a stream after n bytes (default ${DEFAULT_LIMITS.maxBytes})
  --max-events <n>       stop reading a stream after n events (default ${DEFAULT_LIMITS.maxEvents})
  --max-line <n>         stop reading at a line longer than n characters (default ${DEFAULT_LIMITS.maxLineLength})
  --max-duration <ms>    stop reading any one stream after this long (default ${DEFAULT_LIMITS.maxDurationMs})
  --max-run <ms>         start no new fixture after this long; the rest are skipped (default 600000)
  --ca <file>            https: trust the certificates in this PEM file (e.g. a self-signed
                         server's own certificate) instead of the system's CAs
  --insecure             https: accept any certificate, even self-signed or for another name

An https: target is read over HTTP/2 where it offers h2 through ALPN, else over HTTP/1.1; each
result records which (console summary, reports).`,
  probe: `Usage: sse-conformance probe <url> [options]

Reads the endpoint for --duration ms and checks headers, framing, delivery, keep-alive and idle
cuts (with --heartbeat and --idle-cut) and, where events carry ids, resumption with Last-Event-ID.

Options: as for "run", plus
  --duration <ms>        how long to read the endpoint (default 5000)`,
  serve: `Usage: sse-conformance serve [--host 127.0.0.1] [--port 0] [--keep-alive <ms>]
                             [--tls [--cert <pem> --key <pem>]] [--http2]

Serves every fixture at <base>/<id> and prints "listening on <base>". GET <base>/ lists them.
Scenario fixtures take ?session=<token>; GET <base>/_sessions/<token> returns what was recorded.

  --tls        serve HTTPS with a self-signed certificate made at start (its file is printed:
               trust it with curl --cacert <file>), or with --cert and --key
  --http2      serve HTTP/2, with HTTP/1.1 for clients that do not offer h2 (ALPN); implies --tls`,
  fixtures: `Usage: sse-conformance fixtures [--json] [--fixtures <dir>]

Lists the fixtures; with --json prints the whole corpus as one JSON document (spec/FIXTURES.md).`,
  list: `Usage: sse-conformance list

Prints every check with the requirement ids it enforces and their levels.`,
};

const RUN_OPTIONS = {
  only: { type: 'string', multiple: true },
  skip: { type: 'string', multiple: true },
  strict: { type: 'boolean' },
  header: { type: 'string', multiple: true },
  'header-env': { type: 'string', multiple: true },
  'header-file': { type: 'string', multiple: true },
  timeout: { type: 'string' },
  idle: { type: 'string' },
  concurrency: { type: 'string' },
  heartbeat: { type: 'string' },
  'idle-cut': { type: 'string' },
  origin: { type: 'string' },
  credentials: { type: 'boolean' },
  aborts: { type: 'string' },
  duration: { type: 'string' },
  report: { type: 'string', multiple: true },
  out: { type: 'string' },
  baseline: { type: 'string' },
  fixtures: { type: 'string' },
  'max-bytes': { type: 'string' },
  'max-events': { type: 'string' },
  'max-line': { type: 'string' },
  'max-duration': { type: 'string' },
  'max-run': { type: 'string' },
  insecure: { type: 'boolean' },
  ca: { type: 'string' },
  tls: { type: 'boolean' },
  http2: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options'];

type Values = ReturnType<typeof parseArgs<{ options: typeof RUN_OPTIONS; allowPositionals: true }>>['values'];

function int(values: Values, name: keyof Values, min = 1): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) < min) throw new UsageError(`--${String(name)} takes a whole number ≥ ${min}, not ${JSON.stringify(raw)}`);
  return Number(raw);
}

function list(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

export function parseTarget(raw: string | undefined, what: string): string {
  if (!raw) throw new UsageError(`${what} is missing`);
  let url: URL;
  try {
    url = new URL(raw.replaceAll('{id}', '__ID__'));
  } catch {
    throw new UsageError(`${JSON.stringify(raw)} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`unsupported scheme ${url.protocol} in ${raw} (use http: or https:)`);
  return raw;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function checkedValue(name: string, value: string, from: string): string {
  if (/[\r\n\0]/.test(value)) throw new UsageError(`${from} ${name}: the value contains a line break or NUL`);
  return value;
}

/** `Name=rest` of --header-env / --header-file. */
function assignment(option: string, raw: string): [string, string] {
  const eq = raw.indexOf('=');
  const name = eq > 0 ? raw.slice(0, eq).trim() : '';
  if (!HEADER_NAME.test(name) || eq === raw.length - 1) throw new UsageError(`${option} ${JSON.stringify(raw.slice(0, 40))} is not "Name=${option === '--header-env' ? 'VARIABLE' : 'FILE'}"`);
  return [name.toLowerCase(), raw.slice(eq + 1).trim()];
}

/** Request headers and the secrets they make: every value, from the line, the environment or a file. */
function headersFrom(values: Values): { headers: Record<string, string>; secrets: Secret[] } {
  const headers: Record<string, string> = {};
  const variables: Record<string, string> = {};
  for (const raw of values.header ?? []) {
    const colon = raw.indexOf(':');
    const name = colon > 0 ? raw.slice(0, colon).trim() : '';
    // The value is never echoed, even in an error: it may be a credential.
    if (!HEADER_NAME.test(name)) throw new UsageError(`--header ${JSON.stringify(name || raw.slice(0, 20))}… is not "Name: value"`);
    headers[name.toLowerCase()] = checkedValue(name, raw.slice(colon + 1).trim(), '--header');
  }
  for (const raw of values['header-env'] ?? []) {
    const [name, variable] = assignment('--header-env', raw);
    const value = process.env[variable];
    if (value === undefined) throw new UsageError(`--header-env ${name}: the environment variable ${variable} is not set`);
    headers[name] = checkedValue(name, value.trim(), '--header-env');
    variables[name] = variable;
  }
  for (const raw of values['header-file'] ?? []) {
    const [name, file] = assignment('--header-file', raw);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`--header-file ${name}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    headers[name] = checkedValue(name, text.split(/\r?\n/)[0]!.trim(), '--header-file');
  }
  return { headers, secrets: headerSecrets(headers, variables) };
}

/** What to trust over TLS: --insecure, or the certificates of --ca <file> (never printed). */
function trustFrom(values: Values): TlsTrust | undefined {
  if (values.ca === undefined) return values.insecure ? { insecure: true } : undefined;
  let text: string;
  try {
    text = readFileSync(values.ca, 'utf8');
  } catch (error) {
    throw new UsageError(`--ca: cannot read ${values.ca} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--ca: ${values.ca} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return { ca: text, ...(values.insecure ? { insecure: true } : {}) };
}

/** --origin: a serialised origin (scheme://host[:port]), as a browser sends it in Origin. */
function originFrom(values: Values): { origin?: string; credentials?: boolean } {
  const raw = values.origin;
  if (raw === undefined) {
    if (values.credentials) throw new UsageError('--credentials goes with --origin');
    return {};
  }
  let origin: string | undefined;
  try {
    origin = new URL(raw).origin;
  } catch {
    origin = undefined;
  }
  if (origin === undefined || origin === 'null' || origin !== raw) throw new UsageError(`--origin takes an origin such as https://app.example (scheme, host, optional port; no path), not ${JSON.stringify(raw)}`);
  return { origin, credentials: values.credentials ?? false };
}

function fixturesFrom(values: Values): readonly LoadedFixture[] | undefined {
  return values.fixtures === undefined ? undefined : loadFixtures(resolve(values.fixtures));
}

function reportKinds(values: Values): ReportKind[] {
  const kinds = list(values.report).map((kind) => REPORT_ALIASES[kind] ?? kind);
  for (const kind of kinds) if (!(REPORTS as readonly string[]).includes(kind)) throw new UsageError(`--report ${kind} is unknown (use ${REPORTS.join(', ')})`);
  return kinds.length > 0 ? (kinds as ReportKind[]) : ['console'];
}

function progress(): ((result: Result) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let n = 0;
  return (result) => {
    n++;
    process.stderr.write(`\r\x1b[2K${n} checks… ${result.id.slice(0, 70)}`);
  };
}

async function judge(mode: RunOptions['mode'], target: string, values: Values, extra: Partial<RunOptions> = {}): Promise<number> {
  const kinds = reportKinds(values);
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
    fixtures: fixturesFrom(values),
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
  const fixtures = fixturesFrom(values) ?? loadFixtures();
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
