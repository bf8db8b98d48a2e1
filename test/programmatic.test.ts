/** The programmatic API: runConformance returns plain data; registerConformanceTests makes tests. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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
