/**
 * The command line as a user meets it: the main job, exports, every reporter, baselines, and
 * one-line errors with exit 2 for every user mistake.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import AjvModule from 'ajv';
import { getRequirement } from '../spec/requirements.ts';
import { startMutant, type MutantServer } from './mutants/server.ts';
import { mutants } from './mutants/catalogue.ts';

const Ajv = AjvModule.default ?? AjvModule;

interface Ran {
  status: number;
  stdout: string;
  stderr: string;
}

async function cli(...args: string[]): Promise<Ran> {
  return promisify(execFile)(process.execPath, ['bin/sse-conformance.js', ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } }).then(
    (ok) => ({ status: 0, stdout: ok.stdout, stderr: ok.stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ status: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

const tmp = mkdtempSync(join(tmpdir(), 'sse-conformance-'));
let mutant: MutantServer;
before(async () => {
  mutant = await startMutant(mutants.find((m) => m.name === 'lost-continuation-lines')!.mutation);
});
after(() => mutant.close());

test('the main job passes against the embedded reference server', async () => {
  const ran = await cli();
  assert.equal(ran.status, 0, ran.stdout + ran.stderr);
  assert.match(ran.stdout, /Results: \d+ passed, 0 failed/);
});

test('fixtures --json exports at least 170 fixtures, each naming catalogued requirements', async () => {
  const ran = await cli('fixtures', '--json');
  assert.equal(ran.status, 0, ran.stderr);
  const corpus = JSON.parse(ran.stdout) as { version: number; fixtures: Array<Record<string, unknown>> };
  assert.equal(corpus.version, 1);
  assert.ok(corpus.fixtures.length >= 170, `${corpus.fixtures.length} fixtures`);
  for (const f of corpus.fixtures) {
    for (const key of ['id', 'title', 'category', 'requirements', 'kind']) assert.ok(key in f, `${String(f.id)} lacks ${key}`);
    for (const id of f.requirements as string[]) assert.ok(getRequirement(id), `${String(f.id)}: unknown requirement ${id}`);
    if (f.kind === 'stream') {
      assert.ok(Array.isArray(f.chunks) && Array.isArray(f.delaysMs) && f.expect, `${String(f.id)}: chunks/delaysMs/expect`);
      for (const chunk of f.chunks as string[]) assert.equal(Buffer.from(chunk, 'base64').toString('base64'), chunk);
    }
  }
});

test('list names every check with its requirement ids', async () => {
  const ran = await cli('list');
  assert.equal(ran.status, 0);
  for (const name of ['headers', 'framing', 'events', 'retry', 'resume', 'probe-resume', 'delivery', 'keepalive', 'http2']) assert.match(ran.stdout, new RegExp(`^${name}`, 'm'));
  assert.match(ran.stdout, /MUST\s+server\.data\.split-lines/);
});

test('--help on every command', async () => {
  for (const args of [['--help'], ['run', '--help'], ['probe', '--help'], ['serve', '--help'], ['fixtures', '--help'], ['list', '--help']]) {
    const ran = await cli(...args);
    assert.equal(ran.status, 0, args.join(' '));
    assert.match(ran.stdout, /Usage/);
  }
});

test('every reporter writes its file, and the JSON matches spec/result.schema.json', async () => {
  const out = join(tmp, 'reports');
  const ran = await cli('run', mutant.url, '--only', 'srv-data-lf', '--report', 'spec', '--report', 'json,junit,md,html', '--out', out);
  assert.equal(ran.status, 1, ran.stderr);
  const json: { results: Array<{ outcome: string; requirement: string; repro: string }> } = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  const validate = new Ajv({ strict: false }).compile(JSON.parse(readFileSync('spec/result.schema.json', 'utf8')));
  assert.ok(validate(json as object), JSON.stringify(validate.errors));
  const failed = json.results.filter((r: { outcome: string }) => r.outcome === 'fail');
  assert.ok(failed.some((r: { requirement: string; repro: string }) => r.requirement === 'server.data.split-lines' && r.repro.startsWith('curl ')));
  assert.match(readFileSync(join(out, 'junit.xml'), 'utf8'), /<failure message="[^"]+" type="server\.data\.split-lines">/);
  assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), /server\.data\.split-lines/);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.match(html, /Wire transcript/);
  assert.match(html, /data: line one\\n/);
});

test('a baseline turns listed failures into warnings, and a stale entry fails the run', async () => {
  const baseline = join(tmp, 'baseline.txt');
  writeFileSync(baseline, '# known bugs\nsrv-data-lf/*\n');
  const ok = await cli('run', mutant.url, '--only', 'srv-data-lf', '--baseline', baseline, '--report', 'console');
  assert.equal(ok.status, 0, ok.stdout);
  assert.match(ok.stdout, /expected failure \(baseline\)/);
  writeFileSync(baseline, 'srv-data-lf/*\nsrv-data-single/headers/*\n');
  const stale = await cli('run', mutant.url, '--only', 'srv-data-lf,srv-data-single', '--baseline', baseline);
  assert.equal(stale.status, 1);
  assert.match(stale.stdout, /stale baseline entry: srv-data-single\/headers\/\*/);
});

const usageErrors: Array<[string, string[], RegExp]> = [
  ['unknown option', ['run', 'http://127.0.0.1:1', '--frobnicate'], /Unknown option '--frobnicate'/],
  ['unknown command', ['frobnicate'], /unknown command "frobnicate"/],
  ['malformed URL', ['run', 'http//nope'], /is not a valid URL/],
  ['unsupported scheme', ['probe', 'ftp://example.org/x'], /unsupported scheme ftp:/],
  ['missing URL', ['run'], /base URL is missing/],
  ['bad number', ['run', 'http://127.0.0.1:1', '--timeout', 'soon'], /--timeout takes a whole number/],
  ['unknown report', ['run', 'http://127.0.0.1:1', '--report', 'pdf'], /--report pdf is unknown/],
  ['unreadable baseline', ['run', 'http://127.0.0.1:1', '--baseline', '/nonexistent/baseline.txt'], /cannot read baseline \/nonexistent\/baseline.txt: ENOENT/],
  ['bad header', ['run', 'http://127.0.0.1:1', '--header', 'no colon here'], /is not "Name: value"/],
];

for (const [what, args, message] of usageErrors) {
  test(`usage error: ${what} → one line, exit 2`, async () => {
    const ran = await cli(...args);
    assert.equal(ran.status, 2);
    assert.match(ran.stderr, message);
    assert.equal(ran.stderr.trim().split('\n').length, 1, ran.stderr);
  });
}

test('a baseline naming unknown result ids is a usage error', async () => {
  const baseline = join(tmp, 'unknown.txt');
  writeFileSync(baseline, 'no-such-fixture/headers/*\n');
  const ran = await cli('run', mutant.url, '--only', 'srv-data-single', '--baseline', baseline);
  assert.equal(ran.status, 2);
  assert.match(ran.stderr, /names 1 unknown result id\(s\): no-such-fixture/);
});

test('an unreachable target exits 2 and says why', async () => {
  const ran = await cli('run', 'http://127.0.0.1:9', '--only', 'srv-data-single');
  assert.equal(ran.status, 2);
  assert.match(ran.stderr, /could not be reached: connection refused by 127\.0\.0\.1:9/);
});

test('user fixtures that fail the schema are a one-line error naming file and line', async () => {
  const dir = join(tmp, 'fixtures', 'framing');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'broken.yaml'), 'id: broken\ntitle: Broken\ncategory: framing\nkind: stream\nrequirements: [parse.line.blank-dispatches]\nexplanation: An example that is broken.\nsource: test\nwire: ["data: x\\n\\n"]\nexpect:\n  events:\n    - { type: message, data: 42, lastEventId: "" }\n');
  const ran = await cli('fixtures', '--fixtures', join(tmp, 'fixtures'));
  assert.equal(ran.status, 2);
  assert.match(ran.stderr, /broken\.yaml:11: \/expect\/events\/0\/data must be string/);
});

test('serve on a port already in use is a one-line error', async () => {
  const blocker: Server = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as { port: number }).port;
  try {
    const ran = await cli('serve', '--port', String(port));
    assert.equal(ran.status, 2);
    assert.match(ran.stderr, new RegExp(`port ${port} is already in use`));
  } finally {
    blocker.close();
  }
});

test('reports/ is ignored except its README', () => {
  assert.ok(existsSync('reports/README.md'));
  assert.match(readFileSync('.gitignore', 'utf8'), /^reports\/\*$/m);
});

test('--max-run bounds the whole run and says what it skipped', async () => {
  const ran = await cli('--max-run', '1', '--concurrency', '1');
  // Out of time before any stream was read: nothing was judged, which is no pass.
  assert.equal(ran.status, 2, ran.stderr);
  assert.match(ran.stderr, /nothing about the stream could be judged/);
  assert.match(ran.stdout, /not run: the run's time budget of 1 ms \(--max-run\) ran out/);
});
