/** The README's example adapter really passes: the corpus export, an adapter, and `run` together. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportCorpus } from '../spec/export.ts';
import { loadFixtures } from '../spec/loader.ts';
import { runSuite } from '../suite/runner.ts';
import { freePort } from './targets.ts';

test('examples/adapter-node.mjs passes the whole suite', async () => {
  const corpus = join(mkdtempSync(join(tmpdir(), 'corpus-')), 'corpus.json');
  writeFileSync(corpus, JSON.stringify(exportCorpus(loadFixtures())));
  const port = await freePort();
  const child = spawn(process.execPath, ['examples/adapter-node.mjs', corpus], { env: { ...process.env, PORT: String(port) }, stdio: 'inherit' });
  try {
    // Wait (bounded) until it answers.
    for (let i = 0; i < 50; i++) {
      const ok = await fetch(`http://127.0.0.1:${port}/none`).then(() => true, () => false);
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const run = await runSuite({ mode: 'fixtures', target: `http://127.0.0.1:${port}`, selection: { only: [], skip: ['keepalive'] } });
    assert.deepEqual(run.results.filter((r) => r.outcome === 'fail' || r.outcome === 'warn').map((r) => `${r.id}: ${r.message}`), []);
    // The only skip: it speaks HTTP/1.1 only, so there is no HTTP/2 response to judge.
    assert.deepEqual(run.results.filter((r) => r.outcome === 'skip').map((r) => r.check), ['http2']);
    assert.ok(run.summary.passed > 300);
  } finally {
    child.kill();
    await once(child, 'exit');
  }
});
