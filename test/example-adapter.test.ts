/** The README's example adapters really pass: the corpus export, an adapter, and `run` together. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportCorpus } from '../spec/export.ts';
import { loadFixtures } from '../spec/loader.ts';
import { runSuite } from '../suite/runner.ts';
import { freePort } from './targets.ts';

const work = mkdtempSync(join(tmpdir(), 'adapters-'));
const corpus = join(work, 'corpus.json');
writeFileSync(corpus, JSON.stringify(exportCorpus(loadFixtures())));


/** Why a tool cannot be used here, or null when `<tool> <versionArg>` runs. */
function missing(tool: string, versionArg: string): string | null {
  const r = spawnSync(tool, [versionArg], { stdio: 'ignore', timeout: 10_000 });
  return r.error || r.status !== 0 ? `${tool} is not installed` : null;
}

/** Starts the adapter, waits (bounded) until it answers, runs the suite, and checks it passes. */
async function passesTheSuite(command: string, args: string[]): Promise<void> {
  const port = await freePort();
  const child = spawn(command, args, { env: { ...process.env, PORT: String(port) }, stdio: 'inherit' });
  try {
    for (let i = 0; i < 100; i++) {
      const ok = await fetch(`http://127.0.0.1:${port}/none`).then(() => true, () => false);
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const run = await runSuite({ mode: 'fixtures', target: `http://127.0.0.1:${port}`, selection: { only: [], skip: ['keepalive', 'idle'] } });
    assert.deepEqual(run.results.filter((r) => r.outcome === 'fail' || r.outcome === 'warn').map((r) => `${r.id}: ${r.message}`), []);
    // Skips only where there is nothing to judge: no HTTP/2 (it speaks HTTP/1.1 only), no CORS
    // without --origin, and the id and retry rules of fixtures that send no id or retry line.
    const skips = run.results.filter((r) => r.outcome === 'skip');
    assert.deepEqual([...new Set(skips.map((r) => r.check))].sort(), ['cors', 'framing', 'http2']);
    for (const r of skips.filter((s) => s.check === 'framing')) assert.match(r.message, /no (id|retry) field arrived/, r.id);
    assert.ok(run.summary.passed > 300);
  } finally {
    child.kill();
    await once(child, 'exit');
  }
}

test('examples/adapter-node.mjs passes the whole suite', () => passesTheSuite(process.execPath, ['examples/adapter-node.mjs', corpus]));

const python = missing('python3', '--version');
test('examples/adapter-python.py passes the whole suite', { skip: python ?? false }, () => passesTheSuite('python3', ['examples/adapter-python.py', corpus]));

const go = missing('go', 'version');
test('examples/adapter-go passes the whole suite', { skip: go ?? false, timeout: 300_000 }, async () => {
  const binary = join(work, 'adapter-go');
  const built = spawnSync('go', ['build', '-o', binary, '.'], { cwd: 'examples/adapter-go', stdio: 'inherit', timeout: 240_000, env: { ...process.env, GOFLAGS: '-mod=mod -buildvcs=false' } });
  assert.equal(built.status, 0, 'go build of examples/adapter-go');
  await passesTheSuite(binary, [corpus]);
});
