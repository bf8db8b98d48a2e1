/**
 * Proof that every check can fail: the reference server passes everything (strictly), each mutant
 * fails on the requirement it breaks, and no (check, requirement) pair goes untripped.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startReferenceServer } from '../reference-server/server.ts';
import { getRequirement } from '../spec/requirements.ts';
import { checks } from '../suite/checks/index.ts';
import { runSuite } from '../suite/runner.ts';
import { mutants } from './mutants/catalogue.ts';
import { startMutant } from './mutants/server.ts';

const REPORTS = fileURLToPath(new URL('../reports', import.meta.url));
const tripped = new Set<string>();
/** What each mutant was seen to fail, for the documentation site (reports/mutants.json). */
const evidence: Array<{ name: string; bug: string; tripped: string[] }> = [];
let mutantsRun = 0;

test('the reference server passes every check, strictly', async () => {
  const server = await startReferenceServer({ keepAliveMs: 100 });
  try {
    const run = await runSuite({ mode: 'fixtures', target: server.url, strict: true, heartbeatMs: 600, origin: 'https://app.example', credentials: true });
    const bad = run.results.filter((r) => r.outcome === 'fail' || r.outcome === 'warn');
    assert.deepEqual(bad.map((r) => `${r.id}: ${r.message}`), []);
    assert.ok(run.summary.passed > 300, `only ${run.summary.passed} passed`);
  } finally {
    await server.close();
  }
});

for (const mutant of mutants) {
  test(`mutant ${mutant.name} (${mutant.bug}) ${[mutant.trips.length > 0 ? `fails ${mutant.trips.join(', ')}` : '', mutant.warns ? `warns ${mutant.warns.join(', ')}` : ''].filter(Boolean).join('; ')}`, async () => {
    const server = await startMutant(mutant.mutation);
    try {
      const mode = mutant.mode ?? 'fixtures';
      const target = mode === 'probe' ? `${server.url}/${mutant.only[0]}` : server.url;
      const run = await runSuite({ mode, target, selection: { only: mode === 'probe' ? [] : mutant.only, skip: [] }, heartbeatMs: 600, ...mutant.options });
      const failed = new Set(run.results.filter((r) => r.outcome === 'fail').map((r) => `${r.check}/${r.requirement}`));
      for (const pair of failed) tripped.add(pair);
      evidence.push({ name: mutant.name, bug: mutant.bug, tripped: [...failed].sort() });
      mutantsRun++;
      for (const pair of mutant.trips) assert.ok(failed.has(pair), `${mutant.name} should fail ${pair}; failed: ${[...failed].join(', ') || 'nothing'}`);
      if (mutant.trips.length > 0) assert.ok(run.summary.failed > 0);
      // A timing inside its warn band warns whatever the level, and says so.
      for (const pair of mutant.warns ?? []) {
        const hit = run.results.find((r) => `${r.check}/${r.requirement}` === pair);
        assert.equal(hit?.outcome, 'warn', `${mutant.name} should warn ${pair}: ${hit ? `${hit.outcome} ${hit.message}` : 'not reported'}`);
        assert.match(hit.message, /\(limit \d+ ms, warn band up to \d+ ms/);
      }
    } finally {
      await server.close();
    }
  });
}

test('the CLI exits 1 on a mutant and names the requirement', async () => {
  const server = await startMutant(mutants.find((m) => m.name === 'lf-only-split')!.mutation);
  try {
    // Asynchronously: the mutant server lives in this process and must keep answering.
    const child = await promisify(execFile)(process.execPath, ['bin/sse-conformance.js', 'run', server.url, '--only', 'srv-data-lone-cr'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } }).then(
      (ok) => ({ status: 0, ...ok }),
      (error: { code: number; stdout: string; stderr: string }) => ({ status: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
    assert.equal(child.status, 1, child.stderr);
    assert.match(child.stdout, /FAIL events server\.data\.split-lines/);
    assert.match(child.stdout, /curl -sN/);
  } finally {
    await server.close();
  }
});

after(() => {
  if (evidence.length === mutants.length) {
    mkdirSync(REPORTS, { recursive: true });
    writeFileSync(join(REPORTS, 'mutants.json'), JSON.stringify({ mutants: evidence }, null, 2) + '\n');
  }
  if (mutantsRun < mutants.length) return; // a filtered run (--test-name-pattern) proves nothing here
  // Every (check, requirement) a check can report must be tripped by some mutant. A MAY is never
  // failed, only information: test/connection-limit.test.ts proves both of its outcomes.
  const pairs = checks.flatMap((check) => check.requirements.filter((r) => getRequirement(r)?.level !== 'MAY').map((r) => `${check.name}/${r}`));
  const untripped = pairs.filter((pair) => !tripped.has(pair));
  assert.deepEqual(untripped, [], `checks no mutant trips: ${untripped.join(', ')}`);
});
