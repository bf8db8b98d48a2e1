/**
 * Nothing outlives a connection on the reference server: connect/abort cycles leave no socket,
 * handle or timer; a client that never reads is not buffered for; SIGTERM ends open streams and
 * exits 0. Speed and memory figures are budgets, asserted only by `npm run test:perf`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { LoadedFixture, StreamFixture } from '../spec/fixture.ts';
import { resolveStream } from '../spec/response.ts';
import { startReferenceServer } from '../reference-server/server.ts';
import { withinBudget } from './helpers/budget.ts';
import { streamFixture } from './helpers/corpus.ts';
import { connectionCount, fetchRaw, portOf, sleep, waitFor, within } from './helpers/http.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** node's undocumented count of open handles (sockets, servers, pipes). */
function activeHandles(): number {
  return (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length;
}

function timeouts(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}

test('1,000 connect/abort cycles leave no connection, handle or timer behind', async () => {
  const server = await startReferenceServer();
  try {
    const handlesBefore = activeHandles();
    const timersBefore = timeouts();
    const expected = Buffer.concat(resolveStream(streamFixture('srv-keepalive')).wire.chunks).length;
    const started = Date.now();
    for (let i = 0; i < 1000; i++) {
      // Alternate: leave right at the headers, and after the first event.
      const res = await fetchRaw(`${server.url}/srv-keepalive`, { untilBytes: i % 2 === 0 ? 0 : expected, timeoutMs: 10_000 });
      assert.equal(res.status, 200);
    }
    const elapsed = Date.now() - started;
    assert.ok(await waitFor(async () => (await connectionCount(server)) === 0, 10_000), `open connections: ${await connectionCount(server)}`);
    assert.ok(await waitFor(() => activeHandles() <= handlesBefore + 2, 10_000), `handles ${handlesBefore} → ${activeHandles()}`);
    // The keep-alive pause of every open stream is a 5 s timer; a leaked one would still be pending.
    assert.ok(await waitFor(() => timeouts() <= timersBefore + 2, 10_000), `timers ${timersBefore} → ${timeouts()}`);
    withinBudget(elapsed < 10_000, `1,000 cycles took ${elapsed} ms`);
  } finally {
    await server.close();
  }
});

test('a client that never reads does not make the server buffer the stream', async () => {
  const MESSAGES = 2000;
  const SIZE = 64 * 1024;
  const payload = 'x'.repeat(SIZE);
  const big: StreamFixture = {
    id: 'synthetic-big',
    title: 'A large stream (synthetic, for the backpressure test)',
    category: 'synthetic',
    kind: 'stream',
    requirements: [],
    explanation: 'Built in code: 2,000 messages of 64 KiB.',
    source: 'test/server-lifecycle.test.ts',
    send: Array.from({ length: MESSAGES }, (_, i) => ({ id: String(i), data: payload })),
    expect: { events: [] },
  };
  const total = Buffer.concat(resolveStream(big).wire.chunks.slice(0, 1)).length * MESSAGES;
  const synthetic: LoadedFixture[] = [{ fixture: big, file: '(synthetic)' }];
  const server = await startReferenceServer({ fixtures: synthetic });
  let response: import('node:http').ServerResponse | undefined;
  server.server.on('request', (_req, res) => {
    response = res;
  });
  const socket = connect(portOf(server), '127.0.0.1');
  socket.on('error', () => undefined);
  try {
    socket.pause();
    socket.write('GET /synthetic-big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    // The server resolves the whole response before its first byte (spec/response.ts builds every
    // chunk up front), so growth is measured from the moment it started writing.
    assert.ok(await waitFor(() => (response?.socket?.bytesWritten ?? 0) > SIZE, 30_000), 'the server started writing');
    const rssStart = process.memoryUsage().rss;
    await sleep(1000);
    const serverSocket = response!.socket!;
    const rssGrowth = process.memoryUsage().rss - rssStart;
    // bytesWritten counts what went to the kernel and what waits in the socket's own buffer.
    const pushed = serverSocket.bytesWritten;
    const buffered = serverSocket.writableLength + response!.writableLength;
    assert.ok(pushed < total / 4, `the server pushed ${(pushed / 2 ** 20).toFixed(1)} MiB of ${(total / 2 ** 20).toFixed(1)} MiB into a socket nobody reads`);
    assert.ok(buffered < 8 * SIZE, `${buffered} bytes wait in the server's buffers`);
    withinBudget(rssGrowth < 64 * 2 ** 20, `RSS grew ${(rssGrowth / 2 ** 20).toFixed(1)} MiB in 1 s`);
    assert.ok(!response!.writableEnded, 'the stream is still being written (waiting for drain)');
    // The client leaves: the server stops at once and lets go of everything.
    socket.destroy();
    assert.ok(await waitFor(() => response!.destroyed || response!.closed, 10_000), 'the response closed');
    assert.ok(await waitFor(async () => (await connectionCount(server)) === 0, 10_000), 'no connection left');
  } finally {
    socket.destroy();
    await server.close();
  }
});

test('serve: SIGTERM ends open streams and exits with code 0', async () => {
  const child = spawn(process.execPath, ['bin/sse-conformance.js', 'serve', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no "listening" line within 60 s; stdout ${JSON.stringify(out)}, stderr ${JSON.stringify(stderr)}`)), 60_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const newline = out.indexOf('\n');
        if (newline !== -1) {
          clearTimeout(timer);
          resolve(out.slice(0, newline));
        }
      });
      child.once('exit', () => reject(new Error(`exited before listening: ${stderr}`)));
    });
    const match = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
    assert.ok(match, `first line: ${JSON.stringify(line)}`);
    assert.notEqual(Number(match[2]), 0, 'a real port');
    const base = match[1]!;

    // An open stream: read its first event, then keep it open while the server is told to stop.
    const expected = Buffer.concat(resolveStream(streamFixture('srv-keepalive')).wire.chunks);
    const stream = await new Promise<{ ended: Promise<string>; body: () => Buffer }>((resolve, reject) => {
      const req = request(`${base}/srv-keepalive`, { agent: false });
      const timer = setTimeout(() => {
        req.destroy();
        reject(new Error('no stream within 30 s'));
      }, 30_000);
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        const ended = new Promise<string>((done) => {
          res.on('end', () => done('end'));
          res.on('error', () => done('error'));
          res.on('close', () => done(res.complete ? 'end' : 'aborted'));
        });
        req.on('error', () => undefined);
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          if (Buffer.concat(chunks).length >= expected.length) {
            clearTimeout(timer);
            resolve({ ended, body: () => Buffer.concat(chunks) });
          }
        });
      });
      req.end();
    });
    assert.ok(stream.body().equals(expected), 'the stream delivered its event');

    assert.ok(child.kill('SIGTERM'));
    const exit = await within(exited, 30_000);
    assert.ok(exit, `the server did not exit within 30 s of SIGTERM; stderr: ${stderr}`);
    assert.deepEqual(exit, { code: 0, signal: null }, `exit; stderr: ${stderr}`);
    const how = (await within(stream.ended, 1000)) ?? 'still open';
    assert.notEqual(how, 'still open', 'the open stream ended');
    assert.equal(stderr, '', 'nothing on stderr');
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await within(exited, 10_000);
  }
});
