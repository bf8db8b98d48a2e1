/**
 * Compression as browsers request it (Accept-Encoding: gzip, deflate, br): a compressing proxy in
 * front of the reference server that flushes after every chunk passes, with a note naming the
 * encoding; the same proxy without the flush holds events back and fails.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGzip } from 'node:zlib';
import { startReferenceServer, type ReferenceServer } from '../reference-server/server.ts';
import { runSuite } from '../suite/runner.ts';

let upstream: ReferenceServer;
before(async () => {
  upstream = await startReferenceServer({ keepAliveMs: 100 });
});
after(() => upstream.close());

/** A gzip proxy (compression middleware): `flush` writes out each chunk as it comes, as `res.flush()` does. */
async function gzipProxy(flush: boolean): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const upstreamRequest = get(`${upstream.url}${req.url}`, { headers: { ...req.headers, 'accept-encoding': 'identity' } }, (answer) => {
      const { 'content-length': _length, ...headers } = answer.headers;
      res.writeHead(answer.statusCode ?? 502, { ...headers, 'content-encoding': 'gzip' });
      const gzip = createGzip();
      gzip.pipe(res);
      answer.on('data', (chunk: Buffer) => {
        gzip.write(chunk);
        if (flush) gzip.flush();
      });
      answer.on('end', () => gzip.end());
      res.on('close', () => {
        answer.destroy();
        gzip.destroy();
      });
    });
    upstreamRequest.on('error', () => res.destroy());
    req.on('close', () => upstreamRequest.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()) && server.closeAllConnections()),
  };
}

const only = ['srv-delivery-spaced', 'srv-keepalive', 'srv-data-single'];

test('gzip flushed after every event: passes strictly, the note names the encoding', async () => {
  const proxy = await gzipProxy(true);
  try {
    const run = await runSuite({ mode: 'fixtures', target: proxy.url, strict: true, heartbeatMs: 600, selection: { only, skip: [] } });
    const bad = run.results.filter((r) => r.outcome === 'fail' || r.outcome === 'warn');
    assert.deepEqual(bad.map((r) => `${r.id}: ${r.message}`), []);
    const compression = new Map(run.results.filter((r) => r.requirement === 'server.header.no-compression').map((r) => [r.fixture, r]));
    for (const fixture of ['srv-delivery-spaced', 'srv-keepalive']) {
      assert.equal(compression.get(fixture)?.outcome, 'pass', fixture);
      assert.match(compression.get(fixture)!.message, /compressed \(Content-Encoding: gzip\), and every event still arrived on time/);
    }
    // One event and the end: no timing to judge the compressor by, so nothing is judged.
    assert.equal(compression.get('srv-data-single')?.outcome, 'skip');
    assert.match(compression.get('srv-data-single')!.message, /no pause to show whether the compressor holds events/);
  } finally {
    await proxy.close();
  }
});

test('gzip without a flush: events held back fail delivery, and compression is named as holding them', async () => {
  const proxy = await gzipProxy(false);
  try {
    const run = await runSuite({ mode: 'fixtures', target: proxy.url, strict: true, heartbeatMs: 600, selection: { only: ['srv-keepalive'], skip: [] } });
    const failed = run.results.filter((r) => r.outcome === 'fail').map((r) => `${r.check}/${r.requirement}`);
    for (const pair of ['delivery/server.delivery.not-held', 'delivery/server.header.no-compression']) assert.ok(failed.includes(pair), `${pair} not in ${failed.join(', ')}`);
    const compression = run.results.find((r) => r.requirement === 'server.header.no-compression')!;
    assert.match(compression.message, /compressed \(Content-Encoding: gzip\) and the events were held back/);
  } finally {
    await proxy.close();
  }
});
