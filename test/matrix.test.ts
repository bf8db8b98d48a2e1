/** The matrix runner: launch specs, builds, one judged target, and the rendering of rows. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { exportCorpus } from '../spec/export.ts';
import { loadFixtures } from '../spec/loader.ts';
import { buildTarget, interleaveByLanguage } from '../matrix/build.ts';
import { isHeldOpen, judge, timingSuspects, type JudgeOptions } from '../matrix/judge.ts';
import { fillCommand, listTargets, loadTarget, missingRequirement, parseLaunchSpec, type LaunchSpec, type Target } from '../matrix/launch.ts';
import { countsText, languageTable, matrixTables } from '../matrix/render.ts';
import { mergeRuns, tally, type TargetRow } from '../matrix/rows.ts';

const spec = (extra: Record<string, unknown> = {}): string => JSON.stringify({ language: 'node', library: 'x', version: '1.0.0', start: ['node', 'server.mjs'], ...extra });
const target = (name: string, dir: string, s: Partial<LaunchSpec>): Target => ({ name, dir, spec: { language: 'node', library: 'x', version: '1', start: ['node'], ...s } });

test('every target folder has a valid target.json (language, library, pinned version)', () => {
  const names = listTargets();
  assert.ok(names.length >= 18, `found only ${names.length} targets`);
  for (const name of names) {
    const t = loadTarget(name);
    assert.ok(name.startsWith(`${t.spec.language}-`), `${name}: the folder is named <language>-<name>`);
    assert.ok(readFileSync(join(t.dir, 'README.md'), 'utf8').length > 200, `${name}: a README says how it was configured`);
  }
});

test('target.json: unknown keys, missing fields and wrong types are errors that name the file', () => {
  assert.equal(parseLaunchSpec(spec({ startTimeoutMs: 30000, requires: ['/bin/sh', { path: '/bin/sh', apt: 'dash' }] }), 'a.json').startTimeoutMs, 30000);
  assert.throws(() => parseLaunchSpec(spec({ startTimeout: 30000 }), 'a/target.json'), /a\/target\.json: .*unknown key "startTimeout"/);
  assert.throws(() => parseLaunchSpec(JSON.stringify({ language: 'node', library: 'x', start: ['node'] }), 'b.json'), /b\.json: .*version/);
  assert.throws(() => parseLaunchSpec(spec({ language: 'cobol' }), 'c.json'), /c\.json: \/language/);
  assert.throws(() => parseLaunchSpec(spec({ start: [] }), 'd.json'), /d\.json: \/start/);
  assert.throws(() => parseLaunchSpec(spec({ requires: ['relative/path'] }), 'e.json'), /e\.json: \/requires/);
  assert.throws(() => parseLaunchSpec(spec({ requires: [{ path: '/x', pkg: 'y' }] }), 'f.json'), /unknown key "pkg"/);
  assert.throws(() => parseLaunchSpec('{', 'g.json'), /g\.json: not JSON/);
});

test('placeholders are filled; one not available in a command is an error; "node" is this Node', () => {
  const [cmd, args] = fillCommand(['node', '{dir}/a.mjs', '{corpus}', '--port={port}', '{cache}/x', '{root}', '{other}'], { dir: '/d', corpus: '/c.json', port: '5', cache: '/k', root: '/r' });
  assert.equal(cmd, process.execPath);
  assert.deepEqual(args, ['/d/a.mjs', '/c.json', '--port=5', '/k/x', '/r', '{other}']);
  assert.throws(() => fillCommand(['go', 'build', '-o', '{port}'], { dir: '/d' }), /\{port\} is not available/);
});

test('a missing `requires` path makes the target "not installed", with the package to install', () => {
  assert.equal(missingRequirement(target('t', '/tmp', { requires: ['/bin/sh'] })), null);
  assert.match(missingRequirement(target('t', '/tmp', { requires: [{ path: '/no/such/file', apt: 'pkg-x' }] }))!, /not installed: \/no\/such\/file \(apt-get install pkg-x\)/);
});

test('builds are queued so that neighbouring builds are of different languages', () => {
  const t = (name: string, language: LaunchSpec['language']) => target(name, '/tmp', { language });
  const order = interleaveByLanguage([t('r1', 'rust'), t('r2', 'rust'), t('r3', 'rust'), t('j1', 'java'), t('g1', 'go')]).map((x) => x.name);
  assert.deepEqual(order, ['r1', 'j1', 'g1', 'r2', 'r3']);
});

test('a failing build is a row that says so, its output in the log; a timed-out one too', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'matrix-build-'));
  const log = join(dir, 'build.log');
  const failed = await buildTarget(target('t', dir, { build: ['sh', '-c', 'echo compiling {dir}; exit 3'] }), {}, log);
  assert.equal(failed.ok, false);
  assert.ok(!failed.ok && failed.status === 'build-failed' && /exited with code 3/.test(failed.error));
  assert.match(readFileSync(log, 'utf8'), new RegExp(`compiling ${dir}`));
  const slow = await buildTarget(target('t', dir, { build: ['sleep', '5'], buildTimeoutMs: 1000 }), {}, log);
  assert.ok(!slow.ok && /did not finish within 1 s/.test(slow.error));
  const missing = await buildTarget(target('t', dir, { requires: ['/no/such/file'], build: ['false'] }), {}, log);
  assert.ok(!missing.ok && missing.status === 'not-installed');
  assert.equal((await buildTarget(target('t', dir, { build: ['true'] }), {}, log)).ok, true);
});

const corpusDir = mkdtempSync(join(tmpdir(), 'matrix-corpus-'));
const corpusPath = join(corpusDir, 'corpus.json');
const fixtures = loadFixtures();
writeFileSync(corpusPath, JSON.stringify(exportCorpus(fixtures)));
const options = (logDir: string): JudgeOptions => ({ fixtures, heartbeatMs: 1500, skipHeld: false, placeholders: { corpus: corpusPath, root: resolve('.') }, logPathOf: (name) => join(logDir, `${name}.log`) });

test('held-open fixtures are those whose stream stays open (`end: open`)', () => {
  const held = fixtures.filter(isHeldOpen).map((l) => l.fixture.id);
  assert.ok(held.length >= 1);
  for (const l of fixtures.filter(isHeldOpen)) assert.equal(l.fixture.kind === 'stream' && l.fixture.end, 'open');
});

test('a target is started, judged on every server fixture (held-open ones too) and stopped', { timeout: 120_000 }, async () => {
  const logDir = mkdtempSync(join(tmpdir(), 'matrix-judge-'));
  const t = target('node-example', resolve('examples'), { start: ['node', 'adapter-node.mjs', '{corpus}'] });
  const s = await judge(t, options(logDir));
  assert.ok(s.ok, !s.ok ? s.error : '');
  const run = mergeRuns(s.runs, 0);
  const { byCheck, problems } = tally(run.results);
  assert.ok(byCheck!.keepalive, 'the held-open fixture was read');
  assert.ok(byCheck!.delivery!.pass > 0 && byCheck!.resume!.pass > 0);
  // The example adapter pings every 5 s: longer than the 1.5 s heartbeat, so the keep-alive warns,
  // and the silence lands in the idle-cut warn band (up to 60 s).
  assert.deepEqual(problems!.map((p) => `${p.outcome} ${p.requirement}`), ['warn server.comment.keepalive', 'warn server.idle.no-cut']);
  assert.deepEqual(timingSuspects(s.runs), []);
  assert.match(readFileSync(join(logDir, 'node-example.log'), 'utf8'), /PORT=\d+ .*adapter-node\.mjs/);
});

test('a target that never answers, or exits, is a start failure', { timeout: 60_000 }, async () => {
  const logDir = mkdtempSync(join(tmpdir(), 'matrix-start-'));
  const silent = await judge(target('silent', logDir, { start: ['sleep', '30'], startTimeoutMs: 1000 }), options(logDir));
  assert.ok(!silent.ok && silent.status === 'start-failed' && /no HTTP answer on 127\.0\.0\.1:\d+ within 1 s/.test(silent.error));
  const dies = await judge(target('dies', logDir, { start: ['sh', '-c', 'echo boom; exit 4'] }), options(logDir));
  assert.ok(!dies.ok && dies.status === 'start-failed' && /exited before answering \(exit code 4\)/.test(dies.error));
  assert.match(readFileSync(join(logDir, 'dies.log'), 'utf8'), /boom/);
});

test('later runs replace earlier results of the same fixture (a quiet re-reading stands)', () => {
  const result = (fixture: string, outcome: 'pass' | 'fail') => ({ id: `${fixture}/delivery/x`, fixture, check: 'delivery', requirement: 'server.delivery.no-buffering', level: 'SHOULD', specUrl: '', outcome, message: outcome, transcript: null, repro: null }) as const;
  const run = (results: ReturnType<typeof result>[]) => ({ tool: 'sse-conformance', version: '0', startedAt: '', durationMs: 0, target: '', mode: 'fixtures', summary: { total: 0, passed: 0, failed: 0, warned: 0, skipped: 0 }, results, mandatedWaitMs: 0, unreachable: [], attempted: results.length }) as never;
  const merged = mergeRuns([run([result('a', 'fail'), result('b', 'pass')]), run([result('a', 'pass')])], 1);
  assert.deepEqual(merged.results.map((r) => `${r.fixture} ${r.outcome}`), ['a pass', 'b pass']);
  assert.deepEqual(merged.summary, { total: 2, passed: 2, failed: 0, warned: 0, skipped: 0, info: 0 });
  assert.deepEqual(timingSuspects([run([result('a', 'fail'), result('b', 'pass')])]), ['a']);
});

test('a target-wide result is replaced only by the same result of a later run', () => {
  const result = (id: string, check: string, outcome: 'pass' | 'skip') => ({ id, fixture: null, check, requirement: 'r', level: 'MUST', specUrl: '', outcome, message: outcome, transcript: null, repro: null }) as const;
  const run = (results: ReturnType<typeof result>[]) => ({ tool: 'sse-conformance', version: '0', startedAt: '', durationMs: 0, target: '', mode: 'fixtures', summary: { total: 0, passed: 0, failed: 0, warned: 0, skipped: 0 }, results, mandatedWaitMs: 0, unreachable: [], attempted: results.length }) as never;
  // The held-open run judged churn; a quiet re-reading of one closed fixture cannot, and must not drop it.
  const merged = mergeRuns([run([result('http2/x', 'http2', 'skip')]), run([result('http2/x', 'http2', 'skip'), result('churn/x', 'churn', 'pass')]), run([result('http2/x', 'http2', 'pass')])], 1);
  assert.deepEqual(merged.results.map((r) => `${r.check} ${r.outcome}`), ['http2 pass', 'churn pass']); // the suite's check order
});

test('the matrix is rendered by language, and a row that was not judged says why', () => {
  const row = (name: string, language: TargetRow['language'], status: TargetRow['status']): TargetRow => ({
    name, language, library: `lib-${name}`, version: '1.2.3', title: name, status, log: `targets/${name}.log`, durationMs: 0,
    ...(status === 'judged' ? { summary: { total: 1, passed: 1, failed: 0, warned: 0, skipped: 0, info: 0 }, byCheck: { headers: { pass: 1, fail: 0, warn: 0, skip: 0, info: 0 } }, notExpressible: [], problems: [], report: 'r.html' } : { error: 'the build exited with code 1' }),
  });
  const md = matrixTables([row('rust-b', 'rust', 'build-failed'), row('go-a', 'go', 'judged'), row('go-c', 'go', 'judged')], ['headers'], true);
  assert.ok(md.indexOf('### Go (2)') < md.indexOf('### Rust (1)'));
  assert.match(md, /\| go-a \(lib-go-a 1\.2\.3\) \| 1\/0\/0\/0 \| 0 \| 1\/0\/0\/0 \|/);
  assert.match(languageTable([row('rust-b', 'rust', 'build-failed')], ['headers'], false), /✗ build-failed: the build exited with code 1/);
});

test('npm run matrix: an unknown target is a usage error (exit 2)', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'matrix/run.ts', '--only', 'no-such-target'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown target\(s\): no-such-target/);
});

test('a cell shows information after its pass/fail/warn/skip counts', () => {
  assert.equal(countsText({ pass: 0, fail: 0, warn: 0, skip: 0, info: 1 }), '0/0/0/0 (+1 info)');
  assert.equal(countsText({ pass: 2, fail: 1, warn: 0, skip: 0, info: 0 }), '✗ 2/1/0/0');
});
