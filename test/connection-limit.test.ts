/**
 * The HTTP/1.1 connection limit is a MAY: never failed, so no mutant proves it. Both of its
 * outcomes are proven here against the reference server: information when it is read over
 * HTTP/1.1, a pass when it is read over HTTP/2 (TLS with ALPN).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { outcomeOf } from '../suite/result.ts';
import { runSuite } from '../suite/runner.ts';
import { getRequirement } from '../spec/requirements.ts';
import { startReferenceServer } from '../reference-server/server.ts';
import { sharedReferenceServer } from './helpers/corpus.ts';

const server = sharedReferenceServer();
const only = { only: ['connection-limit'], skip: [] };

test('a MAY: whatever it finds is never a failure', () => {
  assert.equal(getRequirement('server.connections.http1-limit')?.level, 'MAY');
  assert.equal(outcomeOf('fail', 'MAY', true), 'info');
});

test('read over HTTP/1.1, the reference server gets one info result naming the 6 connections', async () => {
  const run = await runSuite({ mode: 'fixtures', target: server().url, selection: only });
  assert.deepEqual(run.results.map((r) => [r.id, r.outcome]), [['connection-limit/server.connections.http1-limit', 'info']]);
  assert.match(run.results[0]!.message, /served over HTTP\/1\.1: browsers open at most 6 connections per origin/);
  assert.equal(run.summary.failed, 0);
});

test('read over HTTP/2, the streams share a connection: the requirement holds', async () => {
  const h2 = await startReferenceServer({ tls: true, http2: true });
  try {
    const run = await runSuite({ mode: 'fixtures', target: h2.url, selection: only, tls: { ca: h2.certificate! } });
    assert.deepEqual(run.results.map((r) => [r.id, r.outcome]), [['connection-limit/server.connections.http1-limit', 'pass']]);
    assert.match(run.results[0]!.message, /served over HTTP\/2 over TLS/);
  } finally {
    await h2.close();
  }
});
