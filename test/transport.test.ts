/**
 * The suite as an https: and HTTP/2 client: the protocol ALPN chose is recorded in each result and
 * shown in the reports; --ca and --insecure decide what is trusted; the embedded run passes over
 * --tls --http2. Bad transports are each one line and an exit code, never a stack trace or a hang:
 * a handshake that fails or is reset, a certificate that is self-signed or for another name, an
 * HTTP/2-only server without TLS, a proxy answering 502, a malformed HTTP/2 response.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createH2cServer, type Http2Server } from 'node:http2';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { promisify } from 'node:util';
import { generate } from 'selfsigned';
import { startReferenceServer, type ReferenceServer } from '../reference-server/server.ts';
import { runSuite } from '../suite/runner.ts';
import { frame, literal } from './mutants/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'sse-transport-'));
let h2: ReferenceServer;
let h1tls: ReferenceServer;
let caFile: string;
const closers: Array<() => unknown> = [];

before(async () => {
  h2 = await startReferenceServer({ tls: true, http2: true, keepAliveMs: 100 });
  h1tls = await startReferenceServer({ tls: true, keepAliveMs: 100 });
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, h2.certificate!);
});
after(async () => {
  await Promise.all([h2.close(), h1tls.close(), ...closers.map((close) => close())]);
});

interface Cli {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The command line, asynchronously: the servers live in this process and must keep answering. It
 * is loaded as this test file is (--import tsx), so coverage merges one transform of each source.
 */
function cli(...args: string[]): Promise<Cli> {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', 'bin/sse-conformance.ts', ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } }).then(
    (ok) => ({ code: 0, ...ok }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

/** Exactly one `error:` line on stderr, no stack trace anywhere. */
function oneLine(run: Cli): string {
  assert.doesNotMatch(run.stdout + run.stderr, /\n\s+at |this is a bug/, 'no stack trace');
  const lines = run.stderr.trim().split('\n').filter(Boolean);
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0]!, /^error: /);
  return lines[0]!;
}

/** Listens on a free loopback port; at the end, closes it and drops the connections the suite's pool keeps open. */
async function listen(server: HttpServer | TcpServer | Http2Server): Promise<string> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  );
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('https: with HTTP/2 through ALPN: every result records h2 over TLS; --ca trusts the certificate', async () => {
  const run = await runSuite({ mode: 'fixtures', target: h2.url, strict: true, heartbeatMs: 600, tls: { ca: h2.certificate! }, selection: { only: ['srv-data-single', 'srv-keepalive', 'http2'], skip: [] } });
  const bad = run.results.filter((r) => r.outcome === 'fail' || r.outcome === 'warn');
  assert.deepEqual(bad.map((r) => `${r.id}: ${r.message}`), []);
  const judged = run.results.filter((r) => r.outcome !== 'skip');
  assert.ok(judged.length > 10);
  for (const result of judged) assert.deepEqual(result.protocol, { http: 'h2', tls: true }, result.id);
  // The Connection-header check judged the suite's own HTTP/2 response.
  const h2check = run.results.find((r) => r.check === 'http2')!;
  assert.equal(h2check.outcome, 'pass', h2check.message);
});

test('https: without h2 is read over HTTP/1.1 with TLS; --insecure accepts the self-signed certificate', async () => {
  const run = await runSuite({ mode: 'fixtures', target: h1tls.url, tls: { insecure: true }, selection: { only: ['srv-data-single', 'http2'], skip: [] } });
  const events = run.results.find((r) => r.check === 'events')!;
  assert.equal(events.outcome, 'pass', events.message);
  assert.deepEqual(events.protocol, { http: 'http/1.1', tls: true });
  const h2check = run.results.find((r) => r.check === 'http2')!;
  assert.equal(h2check.outcome, 'skip');
  assert.match(h2check.message, /did not offer h2 through ALPN/);
});

test('probe https: --ca prints the protocol in the console summary and in every report', async () => {
  const out = join(dir, 'reports');
  const run = await cli('probe', `${h2.url}/srv-keepalive`, '--ca', caFile, '--duration', '600', '--heartbeat', '400', '--report', 'json', '--report', 'md', '--report', 'junit', '--report', 'html', '--out', out);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /Results: .* read over HTTP\/2 over TLS\)/);
  assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), /\(HTTP\/2 over TLS\)/);
  assert.match(readFileSync(join(out, 'junit.xml'), 'utf8'), /<property name="protocol" value="HTTP\/2 over TLS"\/>/);
  assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /\(HTTP\/2 over TLS\)/);
  const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { results: Array<{ protocol?: unknown }> };
  assert.ok(json.results.some((r) => JSON.stringify(r.protocol) === '{"http":"h2","tls":true}'));
  assert.doesNotMatch(run.stdout, /PRIVATE KEY/);
});

test('the embedded run passes the whole suite over --tls --http2', async () => {
  const run = await cli('--tls', '--http2');
  assert.equal(run.code, 0, run.stdout.split('\n').filter((line) => /FAIL|WARN/.test(line)).join('\n') + run.stderr);
  assert.match(run.stdout, /Results: \d+ passed, 0 failed, 0 warned, .* read over HTTP\/2 over TLS\)/);
});

test('a self-signed certificate without --ca or --insecure: one line that says to use them', async () => {
  const run = await cli('probe', `${h2.url}/srv-data-single`, '--duration', '300');
  assert.equal(run.code, 2);
  assert.match(oneLine(run), /the certificate of 127\.0\.0\.1:\d+ is self-signed and not trusted: pass --ca <file> .* or --insecure/);
  const insecure = await cli('probe', `${h2.url}/srv-data-single`, '--duration', '300', '--insecure');
  assert.equal(insecure.code, 0, insecure.stdout + insecure.stderr);
});

test('a certificate for another name: one line naming the name it is for', async () => {
  const pems = await generate([{ name: 'commonName', value: 'other.example' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [{ name: 'basicConstraints', cA: true }, { name: 'subjectAltName', altNames: [{ type: 2, value: 'other.example' }] }],
  });
  const server = await startReferenceServer({ tls: { cert: pems.cert, key: pems.private } });
  closers.push(() => server.close());
  const file = join(dir, 'other.pem');
  writeFileSync(file, pems.cert);
  const run = await cli('probe', `${server.url}/srv-data-single`, '--ca', file, '--duration', '300');
  assert.equal(run.code, 2);
  assert.match(oneLine(run), /the certificate of 127\.0\.0\.1:\d+ is for another name — it is for other\.example/);
  assert.doesNotMatch(run.stdout + run.stderr, /PRIVATE KEY/);
});

test('https: to a plain HTTP server: the TLS handshake fails, said in words', async () => {
  const host = await listen(createHttpServer((_req, res) => res.end('plain')));
  const run = await cli('probe', `https://${host}/events`, '--duration', '300');
  assert.equal(run.code, 2);
  assert.match(oneLine(run), /the TLS handshake with 127\.0\.0\.1:\d+ failed: the server does not speak TLS on that port/);
});

test('a server that resets the TLS handshake: one line', async () => {
  const host = await listen(
    createTcpServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => socket.resetAndDestroy());
    }),
  );
  const run = await cli('probe', `https://${host}/events`, '--duration', '300');
  assert.equal(run.code, 2);
  assert.match(oneLine(run), /reset the connection during the TLS handshake/);
});

test('an HTTP/2-only server without TLS probed with http:: one line saying browsers never speak h2c', async () => {
  const server = createH2cServer((_req, res) => res.end('data: x\n\n'));
  server.on('error', () => undefined);
  const host = await listen(server);
  const run = await cli('probe', `http://${host}/events`, '--duration', '300');
  assert.equal(run.code, 2);
  assert.match(oneLine(run), /answered in HTTP\/2 without TLS \(prior knowledge, h2c\), which browsers never speak/);
});

test('a proxy answering 502 with an HTML page: a failed status check that names the gateway', async () => {
  const host = await listen(createHttpServer((_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body><h1>502 Bad Gateway</h1></body></html>')));
  const run = await cli('probe', `http://${host}/events`, '--duration', '300');
  assert.equal(run.code, 1, run.stderr);
  assert.doesNotMatch(run.stdout + run.stderr, /\n\s+at /);
  assert.match(run.stdout, /FAIL headers server\.status\.200 \(MUST\)\n\s+status 502 \(Bad Gateway\) with an HTML page: a proxy or gateway answered instead of the event stream/);
});

test('a malformed HTTP/2 response over TLS (a Connection header): the http2 check fails on the suite\'s own read', async () => {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], { keyType: 'ec', curve: 'P-256', algorithm: 'sha256', extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }] });
  // RFC 9113 §8.2.2: a response carrying Connection is malformed; the client resets the stream.
  const server = createTlsServer({ cert: pems.cert, key: pems.private, ALPNProtocols: ['h2'] }, (socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => {
      socket.write(frame(0x4, 0, 0, Buffer.alloc(0)));
      socket.write(frame(0x4, 0x1, 0, Buffer.alloc(0)));
      socket.write(frame(0x1, 0x4, 1, Buffer.concat([Buffer.from([0x88]), literal('content-type', 'text/event-stream'), literal('connection', 'keep-alive')])));
      socket.write(frame(0x0, 0x1, 1, Buffer.from('data: hello\n\n')));
    });
  });
  const host = await listen(server);
  const run = await runSuite({ mode: 'probe', target: `https://${host}/events`, durationMs: 300, tls: { ca: pems.cert } });
  const h2check = run.results.find((r) => r.check === 'http2')!;
  assert.equal(h2check.outcome, 'fail', h2check.message);
  assert.match(h2check.message, /PROTOCOL_ERROR/);
  assert.deepEqual(h2check.protocol, { http: 'h2', tls: true });
  const firstByte = run.results.find((r) => r.requirement === 'server.delivery.first-byte')!;
  assert.match(firstByte.message, /over HTTP\/2 127\.0\.0\.1:\d+ sent a malformed response and the stream was reset/);
});

test('--ca with a file that holds no certificate, and --tls outside the embedded run, are usage errors', async () => {
  const notPem = join(dir, 'not.pem');
  writeFileSync(notPem, 'hello\n');
  const bad = await cli('probe', `${h2.url}/srv-data-single`, '--ca', notPem);
  assert.equal(bad.code, 2);
  assert.equal(oneLine(bad), `error: --ca: ${notPem} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  const missing = await cli('probe', `${h2.url}/srv-data-single`, '--ca', join(dir, 'missing.pem'));
  assert.equal(missing.code, 2);
  assert.match(oneLine(missing), /--ca: cannot read .*missing\.pem \(ENOENT\)/);
  const tls = await cli('run', h2.url, '--tls');
  assert.equal(tls.code, 2);
  assert.match(oneLine(tls), /--tls is for the embedded run/);
});
