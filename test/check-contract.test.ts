/**
 * The check contract (suite/checks/check.ts): the runner knows checks only by what they declare.
 * No check is named in the runner, no fixture id in a check; a need that is not met is one SKIP
 * with its reason; a target-wide check is judged once; the exit code follows the run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { loadFixtures } from '../spec/loader.ts';
import { checks, unmetNeed } from '../suite/checks/index.ts';
import { exitCode, nothingJudged } from '../suite/exit-code.ts';
import { serverFixtures } from '../suite/fixture-urls.ts';
import { outcomeOf } from '../suite/result.ts';
import { runSuite } from '../suite/runner.ts';
import type { Transcript } from '../suite/read-response.ts';
import { startMutant } from './mutants/server.ts';

const fixtureIds = serverFixtures(loadFixtures()).map((f) => f.id);

test('the runner names no check: it reads the contract', () => {
  const source = readFileSync('suite/runner.ts', 'utf8');
  assert.ok(checks.length >= 9, `${checks.length} checks`);
  for (const check of checks) assert.doesNotMatch(source, new RegExp(`['"\`]${check.name}['"\`]`), `runner.ts names the ${check.name} check`);
});

test('no check names a fixture id', () => {
  assert.ok(fixtureIds.length > 20);
  for (const file of readdirSync('suite/checks')) {
    const source = readFileSync(`suite/checks/${file}`, 'utf8');
    const named = fixtureIds.filter((id) => source.includes(`'${id}'`) || source.includes(`"${id}"`));
    assert.deepEqual(named, [], `suite/checks/${file} names fixture ids`);
  }
});

test('every check declares its contract, and check names are unique', () => {
  assert.equal(new Set(checks.map((c) => c.name)).size, checks.length);
  for (const check of checks) {
    assert.ok(['attempt', 'response', 'stream'].includes(check.needs), `${check.name}: needs ${check.needs}`);
    assert.ok(['fixture', 'target'].includes(check.scope), `${check.name}: scope ${check.scope}`);
    assert.ok(check.requirements.length > 0, `${check.name}: no requirements`);
    if (check.holdMs) assert.ok(check.holdMs({ heartbeatMs: 1000, idleCutMs: 4000 }) > 1000, `${check.name}: a hold shorter than the heartbeat`);
  }
});

const transcript = (status: number | undefined): Transcript => ({ status, stop: status === undefined ? 'connect-error' : 'end', error: status === undefined ? 'connection refused' : undefined }) as Transcript;

test('unmetNeed words "nothing to judge" once, for each need', () => {
  assert.equal(unmetNeed('attempt', transcript(undefined)), null);
  assert.equal(unmetNeed('response', transcript(undefined)), 'no response to judge (connection refused)');
  assert.equal(unmetNeed('response', transcript(500)), null);
  assert.equal(unmetNeed('stream', transcript(500)), 'no event stream to read (status 500)');
  assert.equal(unmetNeed('stream', transcript(200)), null);
});

test('a status that is no event stream: every stream check is one SKIP with the reason, headers fail', async () => {
  const server = await startMutant({ status: 500 });
  try {
    const run = await runSuite({ mode: 'fixtures', target: server.url, selection: { only: ['srv-retry'], skip: [] } });
    const fixture = serverFixtures(loadFixtures()).find((f) => f.id === 'srv-retry')!;
    const streamChecks = checks.filter((c) => c.needs === 'stream' && c.scope === 'fixture' && c.applies(fixture));
    assert.ok(streamChecks.length >= 3, streamChecks.map((c) => c.name).join());
    for (const check of streamChecks) {
      const results = run.results.filter((r) => r.fixture === fixture.id && r.check === check.name);
      assert.equal(results.length, 1, `${check.name}: ${results.map((r) => r.id).join(', ')}`);
      assert.equal(results[0]!.outcome, 'skip');
      assert.equal(results[0]!.message, 'no event stream to read (status 500)');
    }
    assert.ok(run.results.some((r) => r.requirement === 'server.status.200' && r.outcome === 'fail'));
  } finally {
    await server.close();
  }
});

test('a target-wide check is judged once per target and carries no fixture', async () => {
  const server = await startMutant({ h2cConnectionHeader: true });
  try {
    const only = ['srv-data-single', 'srv-data-lf', 'srv-retry'];
    const run = await runSuite({ mode: 'fixtures', target: server.url, selection: { only, skip: [] } });
    const fixtures = serverFixtures(loadFixtures()).filter((f) => only.includes(f.id));
    // A target-wide check for streams that stay open (churn) applies to none of these: not run.
    for (const check of checks.filter((c) => c.scope === 'target')) {
      if (!fixtures.some((f) => check.applies(f))) {
        assert.equal(run.results.filter((r) => r.check === check.name).length, 0, check.name);
        continue;
      }
      const results = run.results.filter((r) => r.check === check.name);
      assert.equal(results.length, 1, `${check.name}: ${results.map((r) => r.id).join(', ')}`);
      assert.equal(results[0]!.fixture, null);
      assert.equal(results[0]!.id, `${check.name}/${results[0]!.requirement}`);
    }
    assert.ok(run.results.some((r) => r.check === 'http2' && r.outcome === 'fail'), 'the broken HTTP/2 answer was judged');
  } finally {
    await server.close();
  }
});

test('a finding becomes an outcome by the requirement level', () => {
  assert.equal(outcomeOf('fail', 'MUST', false), 'fail');
  assert.equal(outcomeOf('fail', 'SHOULD', false), 'warn');
  assert.equal(outcomeOf('fail', 'SHOULD', true), 'fail');
  assert.equal(outcomeOf('fail', 'MAY', true), 'info');
  for (const status of ['pass', 'skip', 'info'] as const) assert.equal(outcomeOf(status, 'MUST', true), status);
});

test('exitCode: 2 when nothing could be judged, 1 on a failure or stale entry, else 0', () => {
  const run = { target: 'http://t', attempted: 3, unreachable: [] as string[], unreachableReason: null, stale: [] as string[], summary: { total: 1, passed: 1, failed: 0, warned: 0, skipped: 0, info: 0 } };
  assert.equal(exitCode(run), 0);
  assert.equal(exitCode({ ...run, summary: { ...run.summary, failed: 1 } }), 1);
  assert.equal(exitCode({ ...run, stale: ['x/*'] }), 1);
  assert.equal(exitCode({ ...run, attempted: 0 }), 2);
  const down = { ...run, unreachable: ['a', 'b', 'c'], unreachableReason: 'connection refused' };
  assert.equal(exitCode(down), 2);
  assert.equal(nothingJudged(down), 'the target could not be reached: connection refused');
  assert.equal(exitCode({ ...run, unreachable: ['a'] }), 0);
});
