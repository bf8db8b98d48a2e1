/**
 * The package entry's API as an embedder uses it: the run is exactly spec/result.schema.json, the
 * exit code follows the CLI's rules, a baseline gates, the reporters render and write, and
 * registerConformanceTests refuses to pass on a selection that judged nothing.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import AjvModule from 'ajv';
import { applyBaseline, exitCode, renderReport, REPORTS, runConformance, writeReports, type ConformanceRun } from '../suite/index.ts';
import { freePort, startTargets, type Targets } from './targets.ts';

const Ajv = AjvModule.default ?? AjvModule;
const validateRun = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(new URL('../spec/result.schema.json', import.meta.url), 'utf8')) as object);

let targets: Targets;
before(async () => {
  targets = await startTargets();
});
after(() => targets.close());

const only = (...ids: string[]) => ({ only: ids, skip: [] });

test('the run matches spec/result.schema.json exactly: no benchmark-only field', async () => {
  const run = await runConformance({ target: targets.reference, selection: only('srv-data-crlf') });
  assert.ok(validateRun(run), JSON.stringify(validateRun.errors));
  assert.equal('mandatedWaitMs' in run, false);
  assert.ok(run.results.length > 5);
  assert.equal(exitCode(run), 0);
});

test('exitCode: 1 on a failure, 2 when the target cannot be reached or nothing is selected', async () => {
  const failing = await runConformance({ target: targets.broken, selection: only('srv-data-lone-cr') });
  assert.ok(failing.summary.failed > 0);
  assert.equal(exitCode(failing), 1);

  const unreachable = await runConformance({ target: `http://127.0.0.1:${await freePort()}`, selection: only('srv-data-crlf'), limits: { timeoutMs: 2000 } });
  assert.deepEqual(unreachable.unreachable, ['srv-data-crlf']);
  assert.equal(exitCode(unreachable), 2);

  const nothing = await runConformance({ target: targets.reference, selection: only('no-such-fixture') });
  assert.equal(nothing.attempted, 0);
  assert.equal(exitCode(nothing), 2);
});

test('applyBaseline turns listed failures into warnings and flags stale entries', async () => {
  const run: ConformanceRun = await runConformance({ target: targets.broken, selection: only('srv-data-lone-cr', 'srv-data-crlf') });
  assert.equal(exitCode(run), 1);
  applyBaseline(run, ['srv-data-lone-cr/*']);
  assert.equal(run.summary.failed, 0);
  assert.ok(run.results.some((r) => r.outcome === 'warn' && r.message.startsWith('expected failure (baseline)')));
  assert.equal(exitCode(run), 0);

  const stale = applyBaseline(await runConformance({ target: targets.reference, selection: only('srv-data-crlf') }), ['srv-data-crlf/*']);
  assert.deepEqual(stale.stale, ['srv-data-crlf/*']);
  assert.equal(exitCode(stale), 1);

  assert.throws(() => applyBaseline(stale, ['no-such-result/*'], 'known.txt'), /known\.txt names 1 unknown result id/);
});

test('renderReport renders every kind; writeReports writes the files', async () => {
  const run = await runConformance({ target: targets.broken, selection: only('srv-data-lone-cr') });
  assert.match(renderReport(run, 'spec'), /FAIL events server\.data\.split-lines/);
  assert.doesNotMatch(renderReport(run, 'spec'), /\x1b\[/);
  assert.match(renderReport(run, 'spec', true), /\x1b\[31m/);
  const json = JSON.parse(renderReport(run, 'json')) as unknown;
  assert.ok(validateRun(json), JSON.stringify(validateRun.errors));
  assert.match(renderReport(run, 'junit'), /<failure message="[^"]+" type="server\.data\.split-lines">/);
  assert.match(renderReport(run, 'md'), /server\.data\.split-lines/);
  assert.match(renderReport(run, 'html'), /Wire transcript/);

  const dir = mkdtempSync(join(tmpdir(), 'sse-api-'));
  try {
    const written = writeReports(run, REPORTS, join(dir, 'out'));
    assert.deepEqual(written.map((p) => p.slice(dir.length + 5)).sort(), ['junit.xml', 'report.html', 'results.json', 'summary.md']);
    assert.equal(readFileSync(join(dir, 'out', 'summary.md'), 'utf8'), renderReport(run, 'md'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The environment for a child test run: without the parent runner's marker, which would make it skip its files. */
function childEnv(): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _parent, ...env } = process.env;
  return env;
}

/** Runs a node:test file in a child process (the child's failures must not fail this file). */
async function runTestFile(source: string): Promise<{ code: number; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sse-register-'));
  // .mts: an ES module wherever it lies. A .ts file outside a "type": "module" package would load
  // our sources through the CommonJS hook, as other code than the test runner's, and coverage
  // merged across the two no longer lines up with the source.
  const file = join(dir, 'conformance.test.mts');
  writeFileSync(file, source);
  try {
    return await promisify(execFile)(process.execPath, ['--import', 'tsx', '--test', '--test-reporter', 'tap', file], { encoding: 'utf8', timeout: 120_000, env: childEnv() }).then(
      (ok) => ({ code: 0, output: ok.stdout + ok.stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const entry = new URL('../suite/index.ts', import.meta.url).href;
const testFile = (selection: string) => `
import { before, after } from 'node:test';
import { registerConformanceTests, startReferenceServer } from ${JSON.stringify(entry)};
let server;
before(async () => { server = await startReferenceServer(); });
after(() => server.close());
registerConformanceTests({ target: () => server.url, selection: { only: [${JSON.stringify(selection)}], skip: [] } });
`;

test('registerConformanceTests fails loudly when the selection matches no result', async () => {
  const typo = await runTestFile(testFile('srv-data-crfl'));
  assert.notEqual(typo.code, 0, typo.output);
  assert.match(typo.output, /no result matched the selection/);

  const right = await runTestFile(testFile('srv-data-crlf'));
  assert.equal(right.code, 0, right.output);
  assert.match(right.output, /# pass [1-9]/);
});
