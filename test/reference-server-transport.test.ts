/**
 * The reference server over TLS and HTTP/2: every stream fixture replayed byte-exactly over
 * HTTP/2 with each chunk in DATA frames of its own, every scenario walked through its session,
 * HTTP/1.1 for clients that do not offer h2 through ALPN, resets as RST_STREAM, and handshakes
 * that fail without harming the server.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect as connectH2, constants, type ClientHttp2Session } from 'node:http2';
import { get as httpsGet } from 'node:https';
import { connect as connectTcp } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { ScenarioFixture, StreamFixture } from '../spec/fixture.ts';
import { loadFixtures } from '../spec/loader.ts';
import { resolveConnection, resolveStream, type ResolvedResponse } from '../spec/response.ts';
import { startReferenceServer, type ReferenceServer } from '../reference-server/server.ts';
import type { RecordedRequest } from '../reference-server/sessions.ts';

const fixtures = loadFixtures().map(({ fixture }) => fixture);
const streams = fixtures.filter((f): f is StreamFixture => f.kind === 'stream');
const scenarios = fixtures.filter((f): f is ScenarioFixture => f.kind === 'scenario');

let server: ReferenceServer;
let client: ClientHttp2Session;

before(async () => {
  server = await startReferenceServer({ http2: true, keepAliveMs: 100 });
  client = connectH2(server.url, { ca: server.certificate! });
});
after(async () => {
  client?.close();
  await server?.close();
});

interface H2Response {
  status: number;
  headers: Record<string, string>;
  /** Each DATA frame's payload as the client received it. */
  frames: Buffer[];
  outcome: 'end' | 'destroyed' | 'reset';
  code?: number;
}

/** One HTTP/2 request; an open stream is left once `untilBytes` arrived. Bounded by 10 s. */
function h2get(path: string, headers: Record<string, string> = {}, untilBytes?: number): Promise<H2Response> {
  return new Promise((resolve, reject) => {
    const req = client.request({ ':path': path, ...headers });
    const res: H2Response = { status: 0, headers: {}, frames: [], outcome: 'end' };
    let received = 0;
    const timer = setTimeout(() => {
      req.close(constants.NGHTTP2_CANCEL);
      reject(new Error(`${path}: no end within 10 s (${received} bytes)`));
    }, 10_000);
    const done = (outcome: H2Response['outcome']) => {
      clearTimeout(timer);
      res.outcome = outcome;
      res.code = req.rstCode;
      resolve(res);
    };
    req.on('response', (h) => {
      res.status = Number(h[':status']);
      for (const [name, value] of Object.entries(h)) if (!name.startsWith(':') && value !== undefined) res.headers[name] = String(value);
    });
    req.on('data', (frame: Buffer) => {
      res.frames.push(frame);
      received += frame.length;
      if (untilBytes !== undefined && received >= untilBytes) {
        req.close(constants.NGHTTP2_CANCEL);
        done('destroyed');
      }
    });
    req.on('end', () => done('end'));
    req.on('error', () => done('reset'));
    req.on('close', () => done(req.rstCode === constants.NGHTTP2_NO_ERROR ? 'end' : 'reset'));
    req.end();
  });
}

/** Offsets where one chunk ends and the next begins. */
const boundaries = (chunks: readonly Uint8Array[]) => {
  const out = new Set<number>();
  let at = 0;
  for (const chunk of chunks.slice(0, -1)) out.add((at += chunk.length));
  return out;
};

function assertSameHead(res: H2Response, resolved: ResolvedResponse, label: string): void {
  assert.equal(res.status, resolved.status, `${label}: status`);
  for (const [name, value] of resolved.headers) if (name !== 'location') assert.equal(res.headers[name], value, `${label}: header ${name}`);
}

test('every stream fixture is served byte-exactly over HTTP/2, each chunk in frames of its own', { concurrency: 16 }, async (t) => {
  await Promise.all(
    streams.map((fixture) =>
      t.test(fixture.id, async () => {
        const resolved = resolveStream(fixture);
        const expected = Buffer.concat(resolved.wire.chunks);
        const res = await h2get(`/${fixture.id}`, {}, resolved.end === 'open' ? expected.length : undefined);
        assertSameHead(res, resolved, fixture.id);
        const body = Buffer.concat(res.frames);
        assert.ok(body.subarray(0, expected.length).equals(expected), `body (${body.length} bytes, expected ${expected.length})`);
        if (resolved.end === 'close') assert.equal(body.length, expected.length, 'nothing after the wire');
        if (resolved.end === 'reset') assert.equal(res.outcome, 'reset', 'the stream is reset, not ended');
        if (resolved.segmented) {
          const received = boundaries(res.frames);
          for (const at of boundaries(resolved.wire.chunks.filter((c) => c.length > 0))) assert.ok(received.has(at) || at >= body.length, `a DATA frame ends at byte ${at}`);
        }
      }),
    ),
  );
});

test('every scenario is walked through its session over HTTP/2', { concurrency: 8 }, async (t) => {
  await Promise.all(
    scenarios.map((fixture) =>
      t.test(fixture.id, async () => {
        const token = `h2-${fixture.id}`.slice(0, 100);
        let path = `/${fixture.id}?session=${token}`;
        for (const [i, connection] of fixture.connections.entries()) {
          const resolved = resolveConnection(connection);
          const expected = Buffer.concat(resolved.wire.chunks);
          const wanted = connection.request?.lastEventId;
          const headers: Record<string, string> = typeof wanted === 'string' && /^[\x20-\x7e]*$/.test(wanted) ? { 'last-event-id': wanted } : {};
          const res = await h2get(path, headers, resolved.end === 'open' ? expected.length : undefined);
          assertSameHead(res, resolved, `connection ${i + 1}`);
          assert.ok(Buffer.concat(res.frames).subarray(0, expected.length).equals(expected), `connection ${i + 1}: body`);
          if (res.headers.location) {
            const next = new URL(res.headers.location, `${server.url}${path}`);
            if (next.origin === server.url) path = next.pathname + next.search;
          }
        }
        const log = (await h2json(`/_sessions/${token}`)) as { requests: RecordedRequest[] };
        assert.equal(log.requests.length, fixture.connections.length, 'one recorded request per connection');
        for (const record of log.requests) {
          assert.equal(record.httpVersion, '2.0');
          assert.ok(!Object.keys(record.headers).some((name) => name.startsWith(':')), 'no pseudo-header recorded as a header');
        }
      }),
    ),
  );
});

async function h2json(path: string): Promise<unknown> {
  const res = await h2get(path);
  return JSON.parse(Buffer.concat(res.frames).toString('utf8'));
}

test('a client that offers only HTTP/1.1 is served over TLS with HTTP/1.1', async () => {
  const fixture = streams.find((f) => f.id === 'eol-cr-only')!;
  const expected = Buffer.concat(resolveStream(fixture).wire.chunks);
  const { version, body } = await new Promise<{ version: string; body: Buffer }>((resolve, reject) => {
    const req = httpsGet(`${server.url}/${fixture.id}`, { ca: server.certificate!, timeout: 10_000 }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ version: res.httpVersion, body: Buffer.concat(parts) }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
  assert.equal(version, '1.1');
  assert.ok(body.equals(expected));
});

test('a failed TLS handshake or plain HTTP on the TLS port leaves the server serving', async () => {
  // A client that does not trust the certificate gives up; one that speaks plain HTTP is dropped.
  await new Promise<void>((resolve) => {
    const socket = connectTls({ host: '127.0.0.1', port: Number(new URL(server.url).port), rejectUnauthorized: true });
    socket.on('error', () => resolve());
    socket.on('secureConnect', () => {
      socket.destroy();
      resolve();
    });
  });
  await new Promise<void>((resolve) => {
    const socket = connectTcp(Number(new URL(server.url).port), '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nhost: x\r\n\r\n'));
    socket.setTimeout(5000, () => socket.destroy());
    socket.on('close', () => resolve());
    socket.on('error', () => undefined);
  });
  const res = await h2get('/eol-cr-only');
  assert.equal(res.status, 200);
});
