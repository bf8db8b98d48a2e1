/**
 * Acceptance tests of the reference server (issue "Reference server"): byte-exact replay of every
 * stream fixture, scenario sessions walked end to end, Last-Event-ID resumption, hostile input,
 * connection hygiene, backpressure and SIGTERM. Everything runs on 127.0.0.1; every wait is bounded.
 *
 * Clients here never decode: node:http `request` only removes the transfer coding, raw `net`
 * sockets see the exact response. Bodies are read through the project's one interpreter.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { LoadedFixture, ScenarioFixture, StreamFixture } from '../spec/fixture.ts';
import { interpret } from '../spec/interpreter.ts';
import { loadFixtures } from '../spec/loader.ts';
import { DEFAULT_HEADERS, resolveConnection, resolveStream, type ResolvedResponse } from '../spec/response.ts';
import { startReferenceServer, type ReferenceServer } from '../reference-server/server.ts';
import type { RecordedRequest } from '../reference-server/sessions.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const loaded = loadFixtures();
const fixtures = loaded.map(({ fixture }) => fixture);
const streams = fixtures.filter((f): f is StreamFixture => f.kind === 'stream');
const scenarios = fixtures.filter((f): f is ScenarioFixture => f.kind === 'scenario');
const byId = new Map(fixtures.map((f) => [f.id, f]));
const PACKAGE_JSON = readFileSync(new URL('../package.json', import.meta.url), 'utf8');

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `promise`'s value, or undefined after `ms`; the timer never outlives the wait. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([promise, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `probe` every 10 ms until it returns true or `ms` pass; returns its last answer. */
async function waitFor(probe: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await sleep(10);
  }
  return probe();
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Name/value pairs as received (IncomingHttpHeaders merges and arrays some). */
  rawHeaders: string[];
  body: Buffer;
  /** end: the body ended cleanly; destroyed: we left after `untilBytes`; error: it broke off. */
  outcome: 'end' | 'destroyed' | 'error';
}

interface FetchOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Leave (destroy the request) once this many body bytes arrived: for streams that stay open. */
  untilBytes?: number;
  timeoutMs?: number;
}

/** One request on its own connection (no agent, no pooling); the body bytes untouched. */
function fetchRaw(url: string, options: FetchOptions = {}): Promise<RawResponse> {
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    let settled = false;
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false });
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(new Error(`${url}: no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let length = 0;
      const finish = (outcome: RawResponse['outcome']) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (outcome === 'destroyed') req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks), outcome });
      };
      if (options.untilBytes === 0) return finish('destroyed');
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
        if (options.untilBytes !== undefined && length >= options.untilBytes) finish('destroyed');
      });
      res.on('end', () => finish('end'));
      res.on('error', () => finish('error'));
      res.on('close', () => finish(res.complete ? 'end' : 'error'));
    });
    req.end();
  });
}

interface RawExchange {
  text: string;
  status: number;
  head: string;
  body: string;
  closed: boolean;
}

/** Writes `data` to a fresh socket and reads until the server closes it (bounded). */
function rawExchange(port: number, data: string | Buffer, timeoutMs = 3000): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const status = /^HTTP\/1\.[01] (\d{3}) /.exec(text);
      resolve({ text, status: status ? Number(status[1]) : 0, head: split === -1 ? text : text.slice(0, split), body: split === -1 ? '' : text.slice(split + 4), closed });
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset after the answer is a close as far as these tests care; before any answer it is not.
      if (chunks.length > 0 || error.code === 'ECONNRESET') done(true);
      else {
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.on('close', () => done(true));
    socket.write(data);
  });
}

function headerOf(head: string, name: string): string | undefined {
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (line.slice(0, colon).trim().toLowerCase() === name) return line.slice(colon + 1).trim();
  }
  return undefined;
}

/** The fixture's headers are sent once each, as given; a default it removed (null) is absent. */
function assertResponseHeaders(res: RawResponse, resolved: ResolvedResponse, label: string, except: string[] = []): void {
  const all = (name: string): string[] => {
    const out: string[] = [];
    for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) if (res.rawHeaders[i]!.toLowerCase() === name) out.push(res.rawHeaders[i + 1]!);
    return out;
  };
  for (const [name, value] of resolved.headers) {
    if (!except.includes(name)) assert.deepEqual(all(name), [value], `${label}: header ${name}`);
  }
  for (const name of Object.keys(DEFAULT_HEADERS)) {
    if (!resolved.headers.some(([n]) => n === name)) assert.deepEqual(all(name), [], `${label}: header ${name} must be absent`);
  }
}

function portOf(server: ReferenceServer): number {
  return Number(new URL(server.url).port);
}

function connectionCount(server: ReferenceServer): Promise<number> {
  return new Promise((resolve, reject) => server.server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
}

/** A header value as the bytes a browser sends: UTF-8, which node:http writes as latin1 chars. */
const asHeaderBytes = (value: string) => Buffer.from(value, 'utf8').toString('latin1');

// ---------------------------------------------------------------------------------------------
// One server for the request/response tests (1–4).

let shared: ReferenceServer;
before(async () => {
  shared = await startReferenceServer();
});
after(async () => {
  await shared.close();
});

test('the corpus has what these tests walk', () => {
  assert.ok(streams.length >= 124, `only ${streams.length} stream fixtures`);
  assert.ok(scenarios.length >= 40, `only ${scenarios.length} scenario fixtures`);
  assert.ok(streams.filter((f) => f.resume).length >= 2, 'no resumable send fixtures');
  assert.ok(streams.some((f) => f.end === 'open'), 'no stream fixture stays open');
  assert.ok(scenarios.some((f) => f.connections.some((c) => c.end === 'open')), 'no scenario connection stays open');
});

test('GET / lists every fixture with its URL', async () => {
  const res = await fetchRaw(`${shared.url}/`);
  assert.equal(res.status, 200);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const index = JSON.parse(res.body.toString('utf8')) as { fixtures: Array<{ id: string; kind: string; url: string }>; sessions: string };
  assert.deepEqual(index.fixtures.map((f) => f.id), fixtures.map((f) => f.id));
  for (const entry of index.fixtures) {
    const suffix = entry.kind === 'scenario' ? '?session={token}' : '';
    assert.equal(entry.url, `${shared.url}/${entry.id}${suffix}`);
  }
  assert.equal(index.sessions, `${shared.url}/_sessions/{token}`);
});

// ---------------------------------------------------------------------------------------------
// 1. Every stream fixture, byte-exactly.

test('every stream fixture is served byte-exactly', { concurrency: 16 }, async (t) => {
  const runs = streams.map((fixture) =>
    t.test(`${fixture.category}/${fixture.id}`, async () => {
      const resolved = resolveStream(fixture);
      const expected = Buffer.concat(resolved.wire.chunks);
      const open = resolved.end === 'open';
      const res = await fetchRaw(`${shared.url}/${fixture.id}`, open ? { untilBytes: expected.length } : {});
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

function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

test('a stream that stays open sends keep-alive comments until the client leaves', async () => {
  const server = await startReferenceServer({ keepAliveMs: 30 });
  try {
    const resolved = resolveStream(byId.get('srv-keepalive') as StreamFixture);
    const expected = Buffer.concat(resolved.wire.chunks);
    const res = await fetchRaw(`${server.url}/srv-keepalive`, { untilBytes: expected.length + 3 * 2 });
    assert.ok(res.body.subarray(0, expected.length).equals(expected), 'fixture bytes first');
    assert.match(res.body.subarray(expected.length).toString('latin1'), /^(:\n){3,}$/, 'then only ":" comments');
    assert.ok(await waitFor(async () => (await connectionCount(server)) === 0, 2000), 'the server let go of the connection');
  } finally {
    await server.close();
  }
});

// ---------------------------------------------------------------------------------------------
// 2. Scenarios, connection by connection, through a session.

let tokenCounter = 0;
const newToken = (id: string) => `${id}.${process.pid}.${++tokenCounter}`;

type Recorded = RecordedRequest;

async function sessionLog(token: string): Promise<Recorded[]> {
  const res = await fetchRaw(`${shared.url}/_sessions/${token}`);
  assert.equal(res.status, 200, 'session log status');
  const log = JSON.parse(res.body.toString('utf8')) as { session: string; requests: Recorded[] };
  assert.equal(log.session, token);
  return log.requests;
}

test('every scenario is served connection by connection through its session', { concurrency: 16 }, async (t) => {
  const runs = scenarios.map((fixture) =>
    t.test(`${fixture.category}/${fixture.id}`, async () => {
      const token = newToken(fixture.id);
      let url = `${shared.url}/${fixture.id}?session=${token}`;
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
      const past = await fetchRaw(`${shared.url}/${fixture.id}?session=${token}`);
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
  const fixture = byId.get('rc-wpt-last-event-id-unicode') as ScenarioFixture;
  const token = newToken(fixture.id);
  await fetchRaw(`${shared.url}/${fixture.id}?session=${token}`);
  const res = await fetchRaw(`${shared.url}/${fixture.id}?session=${token}`, { headers: { 'last-event-id': asHeaderBytes('\u2026') }, untilBytes: 1 });
  assert.equal(res.status, 200);
  const [, second] = await sessionLog(token);
  assert.deepEqual([...Buffer.from(String(second!.headers['last-event-id']), 'latin1')], [0xe2, 0x80, 0xa6]);
});

test('a session token that is not [A-Za-z0-9_.-]{1,100} is refused with 400', async () => {
  for (const token of ['a%20b', 'x'.repeat(101), '%E2%80%A6']) {
    const res = await fetchRaw(`${shared.url}/rc-basic-id-header?session=${token}`);
    assert.equal(res.status, 400, token);
    assert.match(JSON.parse(res.body.toString('utf8')).error, /session/);
  }
  const res = await fetchRaw(`${shared.url}/_sessions/${'x'.repeat(101)}`);
  assert.equal(res.status, 404);
});

test('separate sessions of one scenario do not share a connection count', async () => {
  const id = 'rc-retry-persists';
  const [a, b] = [newToken(id), newToken(id)];
  const first = Buffer.concat(resolveConnection((byId.get(id) as ScenarioFixture).connections[0]!).wire.chunks);
  const second = Buffer.concat(resolveConnection((byId.get(id) as ScenarioFixture).connections[1]!).wire.chunks);
  assert.ok(!first.equals(second), 'connections 1 and 2 differ');
  assert.ok((await fetchRaw(`${shared.url}/${id}?session=${a}`)).body.equals(first));
  assert.ok((await fetchRaw(`${shared.url}/${id}?session=${b}`)).body.equals(first));
  assert.ok((await fetchRaw(`${shared.url}/${id}?session=${a}`)).body.equals(second));
  // Without a session every request is connection 1.
  assert.ok((await fetchRaw(`${shared.url}/${id}`)).body.equals(first));
  assert.ok((await fetchRaw(`${shared.url}/${id}`)).body.equals(first));
});

// ---------------------------------------------------------------------------------------------
// 3. Last-Event-ID resumption.

const resumable = streams.filter((f) => f.resume);

test('Last-Event-ID resumes a resumable fixture right after that event', async (t) => {
  for (const fixture of resumable) {
    await t.test(fixture.id, async () => {
      const events = fixture.expect.events;
      assert.ok(events.length >= 3, 'enough events to resume in the middle');
      // The brief's case (after event 2) and every other position, the last one included.
      for (let k = 0; k < events.length; k++) {
        const id = events[k]!.lastEventId;
        const res = await fetchRaw(`${shared.url}/${fixture.id}`, { headers: { 'last-event-id': id } });
        assert.equal(res.status, 200, `after ${id}: status`);
        assert.ok(res.body.equals(Buffer.concat(resolveStream(fixture, id).wire.chunks)), `after ${id}: bytes`);
        assert.deepEqual(interpret([res.body]).events, events.slice(k + 1), `after ${id}: exactly the events after it`);
      }
    });
  }
});

test('an unknown Last-Event-ID gets what the fixture declares (replay or nothing)', async () => {
  const modes = new Set<string>();
  for (const fixture of resumable) {
    const res = await fetchRaw(`${shared.url}/${fixture.id}`, { headers: { 'last-event-id': 'no-such-id-7f3a' } });
    assert.equal(res.status, 200);
    const events = interpret([res.body]).events;
    modes.add(fixture.resume!.unknownId);
    if (fixture.resume!.unknownId === 'replay') assert.deepEqual(events, fixture.expect.events, `${fixture.id}: replays all`);
    else {
      assert.deepEqual(events, [], `${fixture.id}: no event`);
      assert.equal(res.body.length, 0, `${fixture.id}: empty body`);
    }
  }
  assert.deepEqual([...modes].sort(), ['nothing', 'replay'], 'both contracts covered');
});

test('Last-Event-ID is ignored by a fixture without a resume contract', async () => {
  const fixture = streams.find((f) => f.send && !f.resume && f.send.some((item) => 'id' in item && item.id !== undefined)) ?? (byId.get('srv-delivery-spaced') as StreamFixture);
  const firstId = fixture.expect.events.find((e) => e.lastEventId !== '')?.lastEventId ?? 'x';
  const res = await fetchRaw(`${shared.url}/${fixture.id}`, { headers: { 'last-event-id': firstId }, ...(fixture.end === 'open' ? { untilBytes: Buffer.concat(resolveStream(fixture).wire.chunks).length } : {}) });
  assert.deepEqual(interpret([res.body]).events, fixture.expect.events, fixture.id);
});

// ---------------------------------------------------------------------------------------------
// 4. Bad input.

test('an unknown fixture is a 404 JSON error naming it, with the index URL', async () => {
  const res = await fetchRaw(`${shared.url}/no-such-fixture`);
  assert.equal(res.status, 404);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const body = JSON.parse(res.body.toString('utf8')) as { error: string; index: string };
  assert.match(body.error, /no-such-fixture/);
  assert.equal(body.index, `${shared.url}/`);
});

test('paths that try to reach files get 404 (or 4xx) and never file contents', async () => {
  const port = portOf(shared);
  const cases: Array<[string, (status: number) => boolean]> = [
    ['/../package.json', (s) => s === 404],
    ['/%2e%2e/package.json', (s) => s === 404],
    ['/..%2fpackage.json', (s) => s === 404],
    ['/foo%00', (s) => s === 404],
    ['/package.json', (s) => s === 404],
    ['/fixtures/reconnect/rc-basic-id-header.yaml', (s) => s === 404],
    ['/srv-keepalive/../package.json', (s) => s === 404],
    [`/${'a'.repeat(10_000)}`, (s) => s === 404 || s === 414 || s === 431],
  ];
  for (const [path, ok] of cases) {
    const shown = path.length > 40 ? `${path.slice(0, 40)}…` : path;
    const res = await rawExchange(port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    assert.ok(ok(res.status), `${shown}: status ${res.status}`);
    assert.ok(res.status >= 400 && res.status < 500, `${shown}: a 4xx`);
    assert.ok(!res.body.includes('"devDependencies"') && !res.body.includes(PACKAGE_JSON.slice(0, 60)), `${shown}: no package.json`);
    assert.ok(!res.body.includes('explanation'), `${shown}: no fixture file`);
    assert.ok(res.closed, `${shown}: connection closed as asked`);
  }
});

test('methods other than GET and HEAD get 405 with Allow: GET, HEAD', async () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
    for (const path of ['/srv-resume-sequential', '/', '/no-such-fixture']) {
      const res = await fetchRaw(`${shared.url}${path}`, { method });
      assert.equal(res.status, 405, `${method} ${path}`);
      assert.equal(res.headers.allow, 'GET, HEAD', `${method} ${path}: Allow`);
      assert.match(JSON.parse(res.body.toString('utf8')).error, new RegExp(method));
    }
  }
});

test('HEAD on a fixture answers 200 with its headers and no body', async () => {
  const port = portOf(shared);
  for (const id of ['srv-resume-sequential', 'srv-keepalive']) {
    const resolved = resolveStream(byId.get(id) as StreamFixture);
    const res = await rawExchange(port, `HEAD /${id} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    assert.equal(res.status, 200, id);
    for (const [name, value] of resolved.headers) assert.equal(headerOf(res.head, name), value, `${id}: ${name}`);
    assert.equal(res.body, '', `${id}: no body`);
    assert.ok(res.closed, `${id}: the response ended (even for a stream that stays open)`);
  }
});

test('20 KB of request headers get 431', async () => {
  const headers = Array.from({ length: 20 }, (_, i) => `x-filler-${i}: ${'v'.repeat(1000)}\r\n`).join('');
  const res = await rawExchange(portOf(shared), `GET /srv-resume-sequential HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`);
  assert.equal(res.status, 431, res.text.slice(0, 80));
  assert.ok(res.closed);
});

test('garbage instead of a request line gets 400, and the server goes on serving', async () => {
  const port = portOf(shared);
  for (const garbage of [Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0d, 0x0a, 0x0d, 0x0a]), 'hello there\r\n\r\n', 'GET\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n']) {
    const res = await rawExchange(port, garbage);
    assert.equal(res.status, 400, JSON.stringify(garbage.toString()));
    assert.ok(res.closed);
  }
  const resolved = resolveStream(byId.get('srv-resume-sequential') as StreamFixture);
  const ok = await fetchRaw(`${shared.url}/srv-resume-sequential`);
  assert.equal(ok.status, 200);
  assert.ok(ok.body.equals(Buffer.concat(resolved.wire.chunks)));
});

test('garbage after a request whose stream is still open never lands inside that stream', async () => {
  const port = portOf(shared);
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  try {
    socket.write('GET /srv-keepalive HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    assert.ok(await waitFor(() => Buffer.concat(chunks).includes('then idle'), 3000), 'the stream started');
    socket.write('\x00not http at all\r\n\r\n');
    const ended = (await within(closed.then(() => true), 3000)) ?? false;
    const text = Buffer.concat(chunks).toString('latin1');
    assert.equal(text.match(/HTTP\/1\.1 /g)?.length, 1, `one status line only:\n${text}`);
    assert.ok(ended, 'the server ended the connection');
  } finally {
    socket.destroy();
  }
  const again = await fetchRaw(`${shared.url}/srv-resume-sequential`);
  assert.equal(again.status, 200);
});

// ---------------------------------------------------------------------------------------------
// 5. Hygiene: nothing outlives a connection.

/** node's undocumented count of open handles (sockets, servers, pipes), as the issue asks. */
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
    const expected = Buffer.concat(resolveStream(byId.get('srv-keepalive') as StreamFixture).wire.chunks).length;
    const started = Date.now();
    for (let i = 0; i < 1000; i++) {
      // Alternate: leave right at the headers, and after the first event.
      const res = await fetchRaw(`${server.url}/srv-keepalive`, { untilBytes: i % 2 === 0 ? 0 : expected, timeoutMs: 2000 });
      assert.equal(res.status, 200);
    }
    const elapsed = Date.now() - started;
    assert.ok(await waitFor(async () => (await connectionCount(server)) === 0, 2000), `open connections: ${await connectionCount(server)}`);
    assert.ok(await waitFor(() => activeHandles() <= handlesBefore + 2, 2000), `handles ${handlesBefore} → ${activeHandles()}`);
    // The keep-alive pause of every open stream is a 5 s timer; a leaked one would still be pending.
    assert.ok(await waitFor(() => timeouts() <= timersBefore + 2, 2000), `timers ${timersBefore} → ${timeouts()}`);
    assert.ok(elapsed < 10_000, `1,000 cycles took ${elapsed} ms`);
  } finally {
    await server.close();
  }
});

// ---------------------------------------------------------------------------------------------
// 6. Backpressure: a client that never reads.

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
    source: 'test/reference-server.test.ts',
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
    assert.ok(await waitFor(() => (response?.socket?.bytesWritten ?? 0) > SIZE, 5000), 'the server started writing');
    const rssStart = process.memoryUsage().rss;
    await sleep(1000);
    const serverSocket = response!.socket!;
    const rssGrowth = process.memoryUsage().rss - rssStart;
    // bytesWritten counts what went to the kernel and what waits in the socket's own buffer.
    const pushed = serverSocket.bytesWritten;
    const buffered = serverSocket.writableLength + response!.writableLength;
    assert.ok(pushed < total / 4, `the server pushed ${(pushed / 2 ** 20).toFixed(1)} MiB of ${(total / 2 ** 20).toFixed(1)} MiB into a socket nobody reads`);
    assert.ok(buffered < 8 * SIZE, `${buffered} bytes wait in the server's buffers`);
    assert.ok(rssGrowth < 64 * 2 ** 20, `RSS grew ${(rssGrowth / 2 ** 20).toFixed(1)} MiB in 1 s`);
    assert.ok(!response!.writableEnded, 'the stream is still being written (waiting for drain)');
    // The client leaves: the server stops at once and lets go of everything.
    socket.destroy();
    assert.ok(await waitFor(() => response!.destroyed || response!.closed, 2000), 'the response closed');
    assert.ok(await waitFor(async () => (await connectionCount(server)) === 0, 2000), 'no connection left');
  } finally {
    socket.destroy();
    await server.close();
  }
});

// ---------------------------------------------------------------------------------------------
// 7. SIGTERM.

test('serve: SIGTERM ends open streams and exits with code 0', async () => {
  const child = spawn(process.execPath, ['bin/sse-conformance.js', 'serve', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no "listening" line within 15 s; stdout ${JSON.stringify(out)}, stderr ${JSON.stringify(stderr)}`)), 15_000);
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
    const expected = Buffer.concat(resolveStream(byId.get('srv-keepalive') as StreamFixture).wire.chunks);
    const stream = await new Promise<{ ended: Promise<string>; body: () => Buffer }>((resolve, reject) => {
      const req = request(`${base}/srv-keepalive`, { agent: false });
      const timer = setTimeout(() => {
        req.destroy();
        reject(new Error('no stream within 5 s'));
      }, 5000);
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

    const sentAt = Date.now();
    assert.ok(child.kill('SIGTERM'));
    const exit = await within(exited, 5000);
    assert.ok(exit, `the server did not exit within 5 s of SIGTERM; stderr: ${stderr}`);
    assert.deepEqual(exit, { code: 0, signal: null }, `exit; stderr: ${stderr}`);
    const how = (await within(stream.ended, 1000)) ?? 'still open';
    assert.notEqual(how, 'still open', 'the open stream ended');
    assert.ok(Date.now() - sentAt < 5000);
    assert.equal(stderr, '', 'nothing on stderr');
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await within(exited, 2000);
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
