/**
 * Disconnect churn: the band a later connection is judged against, where an event is cut, and
 * that the aborts are real — a server counts each kind as a connection left before its response
 * ended. The failing server is the leak-on-abort mutant (test/mutants/catalogue.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { allowedMs, churnCheck, midEventOffset } from '../suite/checks/churn.ts';
import type { CheckContext } from '../suite/checks/index.ts';
import { DEFAULT_LIMITS } from '../suite/limits.ts';
import type { Finding } from '../suite/result.ts';
import { runSuite } from '../suite/runner.ts';
import type { Transcript } from '../suite/read-response.ts';

test('the band: ten times the first answer, at least 2 s more than it, never past --timeout', () => {
  assert.equal(allowedMs(5, 5000), 2005);
  assert.equal(allowedMs(400, 5000), 4000);
  assert.equal(allowedMs(900, 5000), 5000);
  assert.equal(allowedMs(5, 1000), 1000);
});

test('an event is cut in its middle; a body with no whole event has no middle', () => {
  const body = (text: string) => ({ chunks: [{ t: 0, bytes: Buffer.from(text) }] }) as unknown as Transcript;
  assert.equal(midEventOffset(body('data: then idle\n\n:\n')), 7);
  assert.equal(midEventOffset(body('data: a\r\n\r\n')), 3);
  assert.equal(midEventOffset(body(':\n:\n')), null);
  assert.equal(midEventOffset(body('data: unfinished\n')), null);
});

test('no churn without a stream the suite left open, nor on a stream that pours bytes: SKIP with the reason', async () => {
  const judge = async (first: Partial<Transcript>) => {
    const context = { transcript: { status: 200, headersAt: 5, chunks: [], bytes: 0, durationMs: 1000, ...first }, limits: DEFAULT_LIMITS, url: 'http://127.0.0.1:1/', headers: {}, read: () => assert.fail('no connection may be made') } as unknown as CheckContext;
    return (await churnCheck.run(context)) as Finding[];
  };
  for (const [stop, why] of [['end', /the server ended the stream/], ['reset', /the server ended the stream/], ['max-bytes', /reading stopped at a limit/], ['line-too-long', /reading stopped at a limit/]] as const) {
    const [finding] = await judge({ stop });
    assert.equal(finding!.status, 'skip', stop);
    assert.match(finding!.message, why);
  }
  const [firehose] = await judge({ stop: 'held', bytes: 8 * 2 ** 20 });
  assert.equal(firehose!.status, 'skip');
  assert.match(firehose!.message, /8\.0 MiB\/s on the first connection/);
});

test('every kind of abort reaches the server as a connection left early, and a server that copes passes', async () => {
  let served = 0;
  let leftEarly = 0;
  const server = createServer((req, res) => {
    served++;
    res.once('close', () => (leftEarly += res.writableFinished ? 0 : 1));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write('data: then idle\n\n');
    const timer = setInterval(() => res.write(':\n'), 50);
    res.once('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  try {
    const run = await runSuite({ mode: 'probe', target: `http://127.0.0.1:${port}/events`, selection: { only: ['churn'], skip: [] }, durationMs: 300, aborts: 6 });
    assert.deepEqual(run.results.map((r) => [r.requirement, r.outcome]), [['server.churn.recovers', 'pass']], run.results[0]?.message);
    assert.match(run.results[0]!.message, /after 6 aborted connections \(2 before the headers, 2 after the headers, 2 in the middle of an event\)/);
    // The first connection, 6 aborts and the last connection: 8 requests, every one left before its end.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(served, 8);
    assert.equal(leftEarly, 8);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
