/**
 * Scenario fixtures through sessions: the n-th request of a session gets connection n, redirects
 * keep the session, and GET /_sessions/<token> returns every request as it was received.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConnection } from '../spec/response.ts';
import type { RecordedRequest } from '../reference-server/sessions.ts';
import { assertResponseHeaders, scenarioFixture, scenarios, sharedReferenceServer } from './helpers/corpus.ts';
import { asHeaderBytes, fetchRaw } from './helpers/http.ts';

const shared = sharedReferenceServer();

let tokenCounter = 0;
const newToken = (id: string) => `${id}.${process.pid}.${++tokenCounter}`;

async function sessionLog(token: string): Promise<RecordedRequest[]> {
  const res = await fetchRaw(`${shared().url}/_sessions/${token}`);
  assert.equal(res.status, 200, 'session log status');
  const log = JSON.parse(res.body.toString('utf8')) as { session: string; requests: RecordedRequest[] };
  assert.equal(log.session, token);
  return log.requests;
}

test('every scenario is served connection by connection through its session', { concurrency: 16 }, async (t) => {
  const runs = scenarios.map((fixture) =>
    t.test(`${fixture.category}/${fixture.id}`, async () => {
      const token = newToken(fixture.id);
      let url = `${shared().url}/${fixture.id}?session=${token}`;
      const sent: Array<{ path: string; lastEventId: string | undefined }> = [];
      for (const [i, connection] of fixture.connections.entries()) {
        const label = `connection ${i + 1}`;
        const resolved = resolveConnection(connection);
        const expected = Buffer.concat(resolved.wire.chunks);
        const wanted = connection.request?.lastEventId;
        const lastEventId = typeof wanted === 'string' ? asHeaderBytes(wanted) : undefined;
        const target = new URL(url);
        sent.push({ path: target.pathname + target.search, lastEventId });
        const res = await fetchRaw(url, {
          headers: lastEventId === undefined ? {} : { 'last-event-id': lastEventId },
          ...(resolved.end === 'open' ? { untilBytes: expected.length } : {}),
        });
        assert.equal(res.status, resolved.status, `${label}: status`);
        assertResponseHeaders(res, resolved, label, ['location']);
        assert.ok(res.body.equals(expected), `${label}: body (${res.body.length} bytes, expected ${expected.length})`);
        if (resolved.end === 'close') assert.equal(res.outcome, 'end', `${label}: ends cleanly`);
        if (resolved.end === 'open') assert.equal(res.outcome, 'destroyed', `${label}: stays open until the client leaves`);
        const location = resolved.headers.find(([name]) => name === 'location')?.[1];
        if (location !== undefined) {
          // The next request is the redirect's target, as a client follows it; it must stay in the session.
          const next = new URL(String(res.headers.location), url);
          assert.equal(next.searchParams.get('session'), token, `${label}: the redirect keeps the session`);
          assert.equal(next.origin + next.pathname, new URL(location, url).origin + new URL(location, url).pathname, `${label}: the redirect goes where the fixture says`);
          for (const [key, value] of new URL(location, url).searchParams) assert.equal(next.searchParams.get(key), value, `${label}: redirect query ${key}`);
          url = next.href;
        }
      }
      const n = fixture.connections.length;
      const log = await sessionLog(token);
      assert.equal(log.length, n, 'one recorded request per connection');
      for (const [i, record] of log.entries()) {
        assert.equal(record.n, i + 1, `request ${i + 1}: position`);
        assert.equal(record.fixture, fixture.id, `request ${i + 1}: fixture`);
        assert.equal(record.method, 'GET', `request ${i + 1}: method`);
        assert.equal(record.path, sent[i]!.path, `request ${i + 1}: path`);
        assert.equal(record.headers['last-event-id'], sent[i]!.lastEventId, `request ${i + 1}: Last-Event-ID as sent`);
        if (i > 0) assert.ok(record.at >= log[i - 1]!.at, `request ${i + 1}: recorded in order`);
      }
      // Past the script: 204, with no body and nothing describing one (RFC 9110 §8.6).
      const past = await fetchRaw(`${shared().url}/${fixture.id}?session=${token}`);
      assert.equal(past.status, 204, 'a request past the last connection');
      assert.equal(past.body.length, 0);
      assert.equal(past.headers['content-length'], undefined, '204 carries no Content-Length');
      const after = await sessionLog(token);
      assert.equal(after.length, n + 1);
      assert.equal(after[n]!.n, n + 1);
      assert.deepEqual(after.slice(0, n), log, 'earlier records unchanged');
    }),
  );
  await Promise.all(runs);
});

test('the recorded Last-Event-ID of a non-ASCII id is its UTF-8 bytes', async () => {
  const fixture = scenarioFixture('rc-wpt-last-event-id-unicode');
  const token = newToken(fixture.id);
  await fetchRaw(`${shared().url}/${fixture.id}?session=${token}`);
  const res = await fetchRaw(`${shared().url}/${fixture.id}?session=${token}`, { headers: { 'last-event-id': asHeaderBytes('\u2026') }, untilBytes: 1 });
  assert.equal(res.status, 200);
  const [, second] = await sessionLog(token);
  assert.deepEqual([...Buffer.from(String(second!.headers['last-event-id']), 'latin1')], [0xe2, 0x80, 0xa6]);
});

test('a session token that is not [A-Za-z0-9_.-]{1,100} is refused with 400', async () => {
  for (const token of ['a%20b', 'x'.repeat(101), '%E2%80%A6']) {
    const res = await fetchRaw(`${shared().url}/rc-basic-id-header?session=${token}`);
    assert.equal(res.status, 400, token);
    assert.match(JSON.parse(res.body.toString('utf8')).error, /session/);
  }
  const res = await fetchRaw(`${shared().url}/_sessions/${'x'.repeat(101)}`);
  assert.equal(res.status, 404);
});

test('separate sessions of one scenario do not share a connection count', async () => {
  const id = 'rc-retry-persists';
  const [a, b] = [newToken(id), newToken(id)];
  const first = Buffer.concat(resolveConnection(scenarioFixture(id).connections[0]!).wire.chunks);
  const second = Buffer.concat(resolveConnection(scenarioFixture(id).connections[1]!).wire.chunks);
  assert.ok(!first.equals(second), 'connections 1 and 2 differ');
  assert.ok((await fetchRaw(`${shared().url}/${id}?session=${a}`)).body.equals(first));
  assert.ok((await fetchRaw(`${shared().url}/${id}?session=${b}`)).body.equals(first));
  assert.ok((await fetchRaw(`${shared().url}/${id}?session=${a}`)).body.equals(second));
  // Without a session every request is connection 1.
  assert.ok((await fetchRaw(`${shared().url}/${id}`)).body.equals(first));
  assert.ok((await fetchRaw(`${shared().url}/${id}`)).body.equals(first));
});
