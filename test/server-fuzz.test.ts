/**
 * Fuzzing the reference server's request handling: random methods, paths, query strings and
 * headers, sent raw over a socket. Every request must get a well-formed HTTP response (or, for
 * bytes that are not HTTP at all, a clean 4xx or close) and the server must keep serving.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import fc from 'fast-check';
import { startReferenceServer, type ReferenceServer } from '../reference-server/server.ts';

let server: ReferenceServer;
let port = 0;
before(async () => {
  server = await startReferenceServer({ keepAliveMs: 50 });
  port = Number(new URL(server.url).port);
});
after(() => server.close());

interface Exchange {
  head: string;
  /** head: a whole response head arrived; closed: the server closed or reset first; hung: neither within 10 s. */
  ended: 'head' | 'closed' | 'hung';
}

/** Sends raw bytes, reads until the head is complete, the socket closes, or 10 s pass. */
function exchange(raw: Buffer): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let head = '';
    const done = (ended: Exchange['ended']) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ head, ended });
    };
    const timer = setTimeout(() => done('hung'), 10_000);
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      if (head.includes('\r\n\r\n') || head.length > 65536) done('head');
    });
    socket.on('error', () => done('closed'));
    socket.on('close', () => done('closed'));
    socket.write(raw);
  });
}

const token = fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,12}$/);
const pathChars = fc.constantFrom('a', 'z', '0', '-', '.', '/', '%', '2e', '00', '?', '=', '&', '#', '..', '~', '\u00e9', ' ', 'session', 'srv-retry', 'eol-cr-only', '_sessions');
const path = fc.array(pathChars, { maxLength: 20 }).map((parts) => `/${parts.join('')}`);
const headerValue = fc.string({ maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, ''));
const request = fc.record({
  method: fc.oneof(fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT'), token),
  path,
  headers: fc.array(fc.tuple(token, headerValue), { maxLength: 6 }),
  lastEventId: fc.option(fc.string({ maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, '')), { nil: undefined }),
});

const STATUS_LINE = /^HTTP\/1\.1 (\d{3}) [^\r\n]*\r\n/;

test('random requests always get a well-formed response and never crash the server', async () => {
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(request, async ({ method, path: target, headers, lastEventId }) => {
      runs++;
      const lines = [`${method} ${target.replace(/ /g, '%20')} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
      for (const [name, value] of headers) lines.push(`${name}: ${value}`);
      if (lastEventId !== undefined) lines.push(`Last-Event-ID: ${lastEventId}`);
      const { head, ended } = await exchange(Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'));
      assert.notEqual(ended, 'hung', `${method} ${target}: no answer and no close within 10 s`);
      if (method === 'CONNECT') {
        // node:http hands a well-formed CONNECT to an event the server does not listen to, so the
        // connection is closed without a response; a malformed one gets 400. Never served.
        if (ended === 'head') assert.match(head, /^HTTP\/1\.1 400 /, `CONNECT ${target}`);
        else assert.equal(head, '', `CONNECT ${target}: closed after a partial answer`);
        return;
      }
      const status = STATUS_LINE.exec(head);
      assert.ok(status, `no status line for ${method} ${target}: ${JSON.stringify(head.slice(0, 80))}`);
      const code = Number(status[1]);
      assert.ok([200, 204, 400, 404, 405, 431].includes(code), `unexpected status ${code} for ${method} ${target}`);
    }),
    { numRuns: 1500 },
  );
  assert.equal(runs, 1500);
  // Still serving after all of that.
  const response = await fetch(`${server.url}/srv-data-single`);
  assert.equal(response.status, 200);
  assert.equal(await response.text(), 'data: hello\n\n');
});

test('random bytes instead of a request are answered 400 or closed, never crash', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), async (bytes) => {
      // Empty lines before a request are skipped (RFC 9112 §2.2): bytes that are only CR and LF
      // leave the server rightly waiting for the request line.
      fc.pre(!/^[\r\n]*$/.test(Buffer.from(bytes).toString('latin1')));
      const { head, ended } = await exchange(Buffer.concat([Buffer.from(bytes), Buffer.from('\r\n\r\n')]));
      // Either a well-formed response head, or the server closed the connection: never a hang.
      // Blank lines alone start no request (RFC 9112 §2.2): the server may go on waiting for one.
      const blank = bytes.every((byte) => byte === 0x0a || byte === 0x0d);
      if (ended === 'head') assert.match(head, /^HTTP\/1\.1 (400|404|405|431|200|204) /);
      else if (!blank) assert.equal(ended, 'closed', `no answer and no close within 10 s for ${JSON.stringify(Buffer.from(bytes).toString('latin1').slice(0, 60))}`);
    }),
    { numRuns: 500 },
  );
  const response = await fetch(`${server.url}/`);
  assert.equal(response.status, 200);
});
