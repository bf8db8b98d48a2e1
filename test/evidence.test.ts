/**
 * Evidence before PASS: a check that saw nothing to judge is SKIP with its reason, a run that
 * judged nothing about the stream exits 2, and events an open stream holds back are one delivery
 * failure — never also a wrong-events failure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { runSuite } from '../suite/runner.ts';
import { mutants } from './mutants/catalogue.ts';
import { startMutant } from './mutants/server.ts';

/** Answers with event-stream headers, then sends nothing while the client stays. */
async function silentServer() {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.flushHeaders();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve()) && server.closeAllConnections()) };
}

test('probe of a stream that sends headers and then nothing: SKIPs with reasons, exit 2, one line', async () => {
  const server = await silentServer();
  try {
    const child = await promisify(execFile)(process.execPath, ['bin/sse-conformance.js', 'probe', `${server.url}/events`, '--duration', '1200', '--heartbeat', '5000'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } }).then(
      (ok) => ({ code: 0, ...ok }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
    assert.equal(child.code, 2, child.stdout);
    const errors = child.stderr.split('\n').filter((line) => line.startsWith('error:'));
    assert.equal(errors.length, 1, child.stderr);
    assert.match(errors[0]!, /nothing about the stream could be judged: no byte of the stream arrived in \d+ ms of reading/);
    assert.doesNotMatch(child.stdout, /PASS framing|PASS keepalive|PASS probe-resume/);
    assert.match(child.stdout, /- framing: no byte of the stream arrived in \d+ ms of reading; nothing to judge/);
    assert.match(child.stdout, /- keepalive: read for \d+ ms, not longer than --heartbeat 5000 ms/);
    assert.match(child.stdout, /- probe-resume: no event arrived/);
    assert.match(child.stdout, /\d+ judged/);
  } finally {
    await server.close();
  }
});

for (const name of ['hold-open-stream', 'gzip-without-flush']) {
  test(`${name}: held events are a delivery failure, and no other check reports them`, async () => {
    const mutant = mutants.find((m) => m.name === name)!;
    const server = await startMutant(mutant.mutation);
    try {
      const run = await runSuite({ mode: 'fixtures', target: server.url, selection: { only: ['srv-keepalive'], skip: [] }, heartbeatMs: 400 });
      const failed = run.results.filter((r) => r.outcome === 'fail');
      assert.deepEqual(failed.map((r) => r.requirement), ['server.delivery.not-held'], failed.map((r) => r.message).join('\n'));
      assert.match(failed[0]!.message, /stayed open .* but no event arrived .* held back .* buffering reverse proxy/);
      const events = run.results.find((r) => r.check === 'events')!;
      assert.equal(events.outcome, 'skip');
      assert.match(events.message, /judged as held-back events by delivery/);
    } finally {
      await server.close();
    }
  });
}

test('a gzipped body is decoded as a browser decodes it, not judged as bytes', async () => {
  const mutant = mutants.find((m) => m.name === 'gzip')!;
  const server = await startMutant(mutant.mutation);
  try {
    const run = await runSuite({ mode: 'fixtures', target: server.url, selection: { only: ['srv-data-single'], skip: [] } });
    const events = run.results.find((r) => r.check === 'events')!;
    assert.equal(events.outcome, 'pass', events.message);
    const utf8 = run.results.find((r) => r.requirement === 'server.encoding.utf8')!;
    assert.equal(utf8.outcome, 'pass', 'the gzip body is decoded, not judged as bytes');
  } finally {
    await server.close();
  }
});
