/** The programmatic API: runConformance returns plain data; registerConformanceTests makes tests. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runConformance, registerConformanceTests, startReferenceServer } from '../suite/index.ts';

let base = '';
let close: () => Promise<void> = async () => undefined;
before(async () => {
  const server = await startReferenceServer();
  base = server.url;
  close = server.close;
});
after(() => close());

test('runConformance returns JSON-serialisable results', async () => {
  const run = await runConformance({ target: `${base}/{id}`, selection: { only: ['server-multiline'], skip: [] } });
  assert.equal(run.summary.failed, 0);
  assert.ok(run.results.length > 50);
  assert.deepEqual(JSON.parse(JSON.stringify(run.results)), run.results);
});

// One subtest per result; they all pass against the reference server.
registerConformanceTests({ target: () => base, selection: { only: ['srv-data-crlf'], skip: [] }, name: 'conformance of the reference server (srv-data-crlf)' });

test('registerConformanceTests fails when its selection matches nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sse-register-'));
  const file = join(dir, 'empty-selection.test.mjs');
  const entry = new URL('../suite/index.ts', import.meta.url).href;
  writeFileSync(file, `import { registerConformanceTests } from ${JSON.stringify(entry)};\nregisterConformanceTests({ target: ${JSON.stringify(base)}, selection: { only: ['no-such-fixture-anywhere'], skip: [] } });\n`);
  // Run as a plain node:test file of its own, not as a child of this test runner.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const ran = await promisify(execFile)(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', timeout: 60_000, env }).then(
    (ok) => ({ status: 0, out: ok.stdout }),
    (error: { code: number; stdout: string }) => ({ status: error.code, out: error.stdout }),
  );
  assert.equal(ran.status, 1, ran.out);
  assert.match(ran.out, /no result matched the selection .*: nothing was judged/);
});

