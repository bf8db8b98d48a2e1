/**
 * The package as a user meets it: `npm pack`, the tarball installed into an empty project, then
 * the command (`--help`, the embedded run, the corpus export), a strict `nodenext` TypeScript file
 * importing every exported name, and a plain JavaScript node:test file using
 * registerConformanceTests against startReferenceServer. Slow steps have generous deadlines that
 * only catch hangs; nothing here is timed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { exportCorpus } from '../spec/export.ts';
import { loadFixtures } from '../spec/loader.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** Every value the package entry exports, and every type: the consumer below imports them all. */
const VALUES = ['FixtureError', 'REPORTS', 'applyBaseline', 'createInterpreter', 'exitCode', 'interpret', 'loadFixtures', 'registerConformanceTests', 'renderReport', 'requirements', 'runConformance', 'startReferenceServer', 'writeReports'];
const TYPES = ['ConformanceOptions', 'ConformanceRun', 'ConformanceTestOptions', 'Fixture', 'Interpretation', 'Interpreter', 'InterpreterOptions', 'Level', 'Limits', 'LoadedFixture', 'Observation', 'Outcome', 'ReferenceServer', 'ReferenceServerOptions', 'ReportKind', 'Requirement', 'Result', 'RunResult', 'RunSummary', 'Selection', 'SseEvent', 'TranscriptView'];

let work = '';
let project = '';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; a non-zero exit is a result, not a throw. Never inherits a parent test run's marker. */
function run(file: string, args: string[], cwd: string, timeout = 300_000): Promise<Ran> {
  const { NODE_TEST_CONTEXT: _parent, ...env } = process.env;
  return promisify(execFile)(file, args, { cwd, env: { ...env, NO_COLOR: '1' }, encoding: 'utf8', timeout, maxBuffer: 256 * 1024 * 1024 }).then(
    (ok) => ({ code: 0, ...ok }),
    (error: { code: number | string; stdout: string; stderr: string; message: string }) => ({ code: typeof error.code === 'number' ? error.code : -1, stdout: error.stdout ?? '', stderr: `${error.stderr ?? ''}\n${error.message}` }),
  );
}

const npm = (args: string[], cwd: string) => run(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, cwd, 600_000);
const command = (...args: string[]) => run(join(project, 'node_modules', '.bin', 'sse-conformance'), args, project);

before(
  async () => {
    work = mkdtempSync(join(tmpdir(), 'sse-package-'));
    // prepack builds dist/ first (tsc, then the compiled corpus).
    const packed = await npm(['pack', '--pack-destination', work], ROOT);
    assert.equal(packed.code, 0, packed.stderr);
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
    assert.ok(tarball, `no tarball in ${work}`);
    project = join(work, 'consumer');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    const installed = await npm(['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, tarball)], project);
    assert.equal(installed.code, 0, installed.stderr);
  },
  { timeout: 900_000 },
);
after(() => rmSync(work, { recursive: true, force: true }));

/** Every file below `dir`, relative to it. */
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

test('the tarball holds the compiled code, the corpus and the schemas; no TypeScript source, no tsx or esbuild', () => {
  const pkg = join(project, 'node_modules', 'sse-conformance');
  const shipped = files(pkg);
  for (const file of ['dist/bin/sse-conformance.js', 'dist/suite/index.js', 'dist/suite/index.d.ts', 'dist/suite/index.js.map', 'dist/fixtures.json', 'spec/result.schema.json', 'spec/fixture.schema.json', 'spec/FIXTURES.md', 'README.md']) {
    assert.ok(shipped.includes(file), `${file} is missing`);
  }
  assert.ok(shipped.some((file) => file.startsWith('fixtures/') && file.endsWith('.yaml')));
  assert.deepEqual(shipped.filter((file) => /\.ts$/.test(file) && !file.endsWith('.d.ts')), []);
  assert.deepEqual(shipped.filter((file) => /^(test|bench|examples|clients|suite|reference-server)\//.test(file)), []);
  for (const name of ['tsx', 'esbuild', '@esbuild', 'typescript']) assert.equal(existsSync(join(project, 'node_modules', name)), false, `${name} was installed`);
});

test('--help works from the installed package', async () => {
  const help = await command('--help');
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^Usage:/m);
  assert.ok(help.stdout.includes(`sse-conformance ${VERSION}`), help.stdout.slice(0, 200));
});

test('the embedded run exits 0', async () => {
  const embedded = await command();
  assert.equal(embedded.code, 0, embedded.stdout.slice(-4000) + embedded.stderr);
  assert.match(embedded.stdout, /Results: \d+ passed, 0 failed/);
});

test('the installed corpus is the repository corpus (fixtures --json)', async () => {
  const exported = await command('fixtures', '--json');
  assert.equal(exported.code, 0, exported.stderr);
  assert.deepEqual(JSON.parse(exported.stdout), exportCorpus(loadFixtures()));
});

test('the entry exports exactly the documented values', async () => {
  const listed = await run(process.execPath, ['--input-type=module', '-e', "console.log(JSON.stringify(Object.keys(await import('sse-conformance')).sort()))"], project);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(JSON.parse(listed.stdout), [...VALUES].sort());
});

test('a strict nodenext TypeScript file importing every exported name type-checks', async () => {
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')] },
      files: ['consumer.ts'],
    }),
  );
  writeFileSync(
    join(project, 'consumer.ts'),
    `import { ${VALUES.join(', ')} } from 'sse-conformance';
import type { ${TYPES.join(', ')} } from 'sse-conformance';

const server: ReferenceServer = await startReferenceServer({ port: 0 } satisfies ReferenceServerOptions);
const selection: Selection = { only: ['srv-data-crlf'], skip: [] };
const limits: Partial<Limits> = { timeoutMs: 5000 };
const options: ConformanceOptions = { target: server.url, selection, limits };
const result: ConformanceRun = applyBaseline(await runConformance(options), []);
const code: 0 | 1 | 2 = exitCode(result);
const run: RunResult = result;
const summary: RunSummary = run.summary;
const first: Result | undefined = run.results[0];
const outcome: Outcome | undefined = first?.outcome;
const transcript: TranscriptView | null | undefined = first?.transcript;
const kinds: readonly ReportKind[] = REPORTS;
const text: string = renderReport(run, 'md');
const written: string[] = writeReports(run, kinds, 'reports');
const testOptions: ConformanceTestOptions = { target: () => server.url, name: 'conformance', selection };
registerConformanceTests(testOptions);
const events: SseEvent[] = [];
const interpreterOptions: InterpreterOptions = { onEvent: (event) => events.push(event), onObservation: (o: Observation) => void o.kind };
const interpreter: Interpreter = createInterpreter(interpreterOptions);
interpreter.feed(new TextEncoder().encode('data: x\\n\\n'));
const whole: Interpretation = interpret([new TextEncoder().encode('data: y\\n\\n')]);
const loaded: LoadedFixture[] = loadFixtures();
const fixture: Fixture | undefined = loaded[0]?.fixture;
const requirement: Requirement | undefined = requirements[0];
const level: Level | undefined = requirement?.level;
try {
  loadFixtures('/nonexistent');
} catch (error) {
  if (error instanceof FixtureError) console.log(error.file, error.line, error.problems.join('; '));
}
console.log(code, summary.failed, outcome, transcript, text.length, written, events, whole.events, fixture?.id, level);
await server.close();

// The types are real, not any: each misuse below is an error (an unused @ts-expect-error is one too).
// @ts-expect-error target is required
void runConformance({});
// @ts-expect-error no such report kind
renderReport(run, 'pdf');
// @ts-expect-error the exit code is a number
const wrong: string = exitCode(result);
// @ts-expect-error benchmark-only figures are not part of the run
void result.mandatedWaitMs;
void wrong;
`,
  );
  const checked = await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], project);
  assert.equal(checked.code, 0, checked.stdout + checked.stderr);
});

test('a plain JavaScript node:test file using registerConformanceTests against startReferenceServer passes', async () => {
  writeFileSync(
    join(project, 'conformance.test.mjs'),
    `import { before, after } from 'node:test';
import { registerConformanceTests, startReferenceServer } from 'sse-conformance';

let server;
before(async () => {
  server = await startReferenceServer({ keepAliveMs: 200 });
});
after(() => server.close());

registerConformanceTests({ target: () => server.url, heartbeatMs: 600 });
`,
  );
  const ran = await run(process.execPath, ['--test', '--test-reporter', 'tap', 'conformance.test.mjs'], project);
  assert.equal(ran.code, 0, ran.stdout.slice(-4000) + ran.stderr);
  const passed = Number(/^# pass (\d+)$/m.exec(ran.stdout)?.[1]);
  assert.ok(passed > 100, `only ${passed} tests passed`);
  assert.match(ran.stdout, /^# fail 0$/m);
});
