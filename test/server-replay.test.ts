/**
 * The reference server replays every stream fixture byte-exactly: status, headers, the bytes in
 * their chunks, the fixture's pauses and ending, keep-alive comments on a stream that stays open.
 * Bodies are read through the project's one interpreter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpret } from '../spec/interpreter.ts';
import { resolveStream } from '../spec/response.ts';
import { startReferenceServer } from '../reference-server/server.ts';
import { assertResponseHeaders, fixtures, scenarios, sharedReferenceServer, streamFixture, streams } from './helpers/corpus.ts';
import { connectionCount, fetchRaw, firstDifference, waitFor } from './helpers/http.ts';

const shared = sharedReferenceServer();

test('the corpus has what these tests walk', () => {
  assert.ok(streams.length >= 124, `only ${streams.length} stream fixtures`);
  assert.ok(scenarios.length >= 40, `only ${scenarios.length} scenario fixtures`);
  assert.ok(streams.filter((f) => f.resume).length >= 2, 'no resumable send fixtures');
  assert.ok(streams.some((f) => f.end === 'open'), 'no stream fixture stays open');
  assert.ok(scenarios.some((f) => f.connections.some((c) => c.end === 'open')), 'no scenario connection stays open');
});

test('GET / lists every fixture with its URL', async () => {
  const res = await fetchRaw(`${shared().url}/`);
  assert.equal(res.status, 200);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const index = JSON.parse(res.body.toString('utf8')) as { fixtures: Array<{ id: string; kind: string; url: string }>; sessions: string };
  assert.deepEqual(index.fixtures.map((f) => f.id), fixtures.map((f) => f.id));
  for (const entry of index.fixtures) {
    const suffix = entry.kind === 'scenario' ? '?session={token}' : '';
    assert.equal(entry.url, `${shared().url}/${entry.id}${suffix}`);
  }
  assert.equal(index.sessions, `${shared().url}/_sessions/{token}`);
});

// ---------------------------------------------------------------------------------------------

test('every stream fixture is served byte-exactly', { concurrency: 16 }, async (t) => {
  const runs = streams.map((fixture) =>
    t.test(`${fixture.category}/${fixture.id}`, async () => {
      const resolved = resolveStream(fixture);
      const expected = Buffer.concat(resolved.wire.chunks);
      const open = resolved.end === 'open';
      const res = await fetchRaw(`${shared().url}/${fixture.id}`, open ? { untilBytes: expected.length } : {});
      assert.equal(res.status, resolved.status, 'status');
      assertResponseHeaders(res, resolved, fixture.id);
      assert.ok(res.body.equals(expected), `body: got ${res.body.length} bytes, expected ${expected.length}; first difference at ${firstDifference(res.body, expected)}`);
      if (resolved.end === 'close') assert.equal(res.outcome, 'end', 'the body ends cleanly');
      if (resolved.end === 'open') assert.equal(res.outcome, 'destroyed', 'the stream stayed open until the client left');
      // 'reset': the body breaks off; 'error' and (rarely, if the RST races the last chunk) 'end' are both fine.
      const result = interpret([res.body]);
      assert.deepEqual(result.events, fixture.expect.events, 'events');
      if (fixture.expect.retry !== undefined) assert.equal(result.retry, fixture.expect.retry === null ? null : Number(fixture.expect.retry), 'retry');
      if (fixture.expect.lastEventId !== undefined) assert.equal(result.lastEventId, fixture.expect.lastEventId, 'lastEventId');
    }),
  );
  await Promise.all(runs);
});

test('a stream that stays open sends keep-alive comments until the client leaves', async () => {
  const server = await startReferenceServer({ keepAliveMs: 30 });
  try {
    const resolved = resolveStream(streamFixture('srv-keepalive'));
    const expected = Buffer.concat(resolved.wire.chunks);
    const res = await fetchRaw(`${server.url}/srv-keepalive`, { untilBytes: expected.length + 3 * 2 });
    assert.ok(res.body.subarray(0, expected.length).equals(expected), 'fixture bytes first');
    assert.match(res.body.subarray(expected.length).toString('latin1'), /^(:\n){3,}$/, 'then only ":" comments');
    assert.ok(await waitFor(async () => (await connectionCount(server)) === 0, 10_000), 'the server let go of the connection');
  } finally {
    await server.close();
  }
});

test('headDelayMs holds back the response head itself (hdr-window-stop)', async () => {
  const server = await startReferenceServer();
  try {
    const t0 = performance.now();
    const response = await fetch(`${server.url}/hdr-window-stop?session=head-delay`);
    const waited = performance.now() - t0;
    assert.equal(response.status, 200);
    assert.ok(waited >= 950, `headers after ${waited.toFixed(0)} ms`);
    assert.equal(await response.text(), 'retry:1000\ndata:abc\n\n\n\n\n');
  } finally {
    await server.close();
  }
});
