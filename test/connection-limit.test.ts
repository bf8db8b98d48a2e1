/**
 * The HTTP/1.1 connection limit is a MAY: never failed, so no mutant proves it. Both of its
 * outcomes are proven here: information for a target read over HTTP/1.1 (the reference server, as
 * readResponse speaks it today), a pass for a transcript that records HTTP/2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectionLimitCheck, protocolOf } from '../suite/checks/connection-limit.ts';
import { outcomeOf, type Finding } from '../suite/result.ts';
import { runSuite } from '../suite/runner.ts';
import type { CheckContext } from '../suite/checks/index.ts';
import type { Transcript } from '../suite/read-response.ts';
import { getRequirement } from '../spec/requirements.ts';
import { sharedReferenceServer } from './helpers/corpus.ts';

const server = sharedReferenceServer();

const transcriptWith = (protocol?: string): Transcript => ({ status: 200, headers: {}, stop: 'end', ...(protocol === undefined ? {} : { protocol }) }) as unknown as Transcript;
const judge = (transcript: Transcript) => connectionLimitCheck.run({ transcript } as CheckContext) as Finding[];

test('a MAY: whatever it finds is never a failure', () => {
  assert.equal(getRequirement('server.connections.http1-limit')?.level, 'MAY');
  assert.equal(outcomeOf('fail', 'MAY', true), 'info');
});

test('over HTTP/1.1 (or a transcript that records no protocol) the result is information naming the 6 connections', () => {
  for (const protocol of [undefined, 'http/1.1', 'HTTP/1.0', '1.1']) {
    const [finding] = judge(transcriptWith(protocol));
    assert.equal(finding!.status, 'info', String(protocol));
    assert.match(finding!.message, /at most 6 connections per origin/);
  }
  assert.equal(protocolOf(transcriptWith()), 'http/1.1');
});

test('over HTTP/2 or HTTP/3 the streams share a connection: the requirement holds', () => {
  for (const protocol of ['h2', 'h3']) {
    const [finding] = judge(transcriptWith(protocol));
    assert.equal(finding!.status, 'pass', protocol);
    assert.match(finding!.message, new RegExp(`served over ${protocol}`));
  }
});

test('a run against the reference server over HTTP/1.1 reports it once, as info', async () => {
  const run = await runSuite({ mode: 'fixtures', target: server().url, selection: { only: ['connection-limit'], skip: [] } });
  assert.deepEqual(run.results.map((r) => [r.id, r.outcome]), [['connection-limit/server.connections.http1-limit', 'info']]);
  assert.equal(run.summary.info, 1);
  assert.equal(run.summary.failed, 0);
});
