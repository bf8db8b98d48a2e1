/**
 * Bad input to the reference server: unknown fixtures, paths that try to reach files, other
 * methods, oversized headers and garbage get a 4xx, never file contents, and the server goes on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { resolveStream } from '../spec/response.ts';
import { sharedReferenceServer, streamFixture } from './helpers/corpus.ts';
import { fetchRaw, headerOf, portOf, rawExchange, waitFor, within } from './helpers/http.ts';

const PACKAGE_JSON = readFileSync(new URL('../package.json', import.meta.url), 'utf8');

const shared = sharedReferenceServer();

test('an unknown fixture is a 404 JSON error naming it, with the index URL', async () => {
  const res = await fetchRaw(`${shared().url}/no-such-fixture`);
  assert.equal(res.status, 404);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const body = JSON.parse(res.body.toString('utf8')) as { error: string; index: string };
  assert.match(body.error, /no-such-fixture/);
  assert.equal(body.index, `${shared().url}/`);
});

test('paths that try to reach files get 404 (or 4xx) and never file contents', async () => {
  const port = portOf(shared());
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
      const res = await fetchRaw(`${shared().url}${path}`, { method });
      assert.equal(res.status, 405, `${method} ${path}`);
      assert.equal(res.headers.allow, 'GET, HEAD', `${method} ${path}: Allow`);
      assert.match(JSON.parse(res.body.toString('utf8')).error, new RegExp(method));
    }
  }
});

test('HEAD on a fixture answers 200 with its headers and no body', async () => {
  const port = portOf(shared());
  for (const id of ['srv-resume-sequential', 'srv-keepalive']) {
    const resolved = resolveStream(streamFixture(id));
    const res = await rawExchange(port, `HEAD /${id} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    assert.equal(res.status, 200, id);
    for (const [name, value] of resolved.headers) assert.equal(headerOf(res.head, name), value, `${id}: ${name}`);
    assert.equal(res.body, '', `${id}: no body`);
    assert.ok(res.closed, `${id}: the response ended (even for a stream that stays open)`);
  }
});

test('20 KB of request headers get 431', async () => {
  const headers = Array.from({ length: 20 }, (_, i) => `x-filler-${i}: ${'v'.repeat(1000)}\r\n`).join('');
  const res = await rawExchange(portOf(shared()), `GET /srv-resume-sequential HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`);
  assert.equal(res.status, 431, res.text.slice(0, 80));
  assert.ok(res.closed);
});

test('garbage instead of a request line gets 400, and the server goes on serving', async () => {
  const port = portOf(shared());
  for (const garbage of [Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0d, 0x0a, 0x0d, 0x0a]), 'hello there\r\n\r\n', 'GET\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n']) {
    const res = await rawExchange(port, garbage);
    assert.equal(res.status, 400, JSON.stringify(garbage.toString()));
    assert.ok(res.closed);
  }
  const resolved = resolveStream(streamFixture('srv-resume-sequential'));
  const ok = await fetchRaw(`${shared().url}/srv-resume-sequential`);
  assert.equal(ok.status, 200);
  assert.ok(ok.body.equals(Buffer.concat(resolved.wire.chunks)));
});

test('garbage after a request whose stream is still open never lands inside that stream', async () => {
  const port = portOf(shared());
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  try {
    socket.write('GET /srv-keepalive HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    assert.ok(await waitFor(() => Buffer.concat(chunks).includes('then idle'), 10_000), 'the stream started');
    socket.write('\x00not http at all\r\n\r\n');
    const ended = (await within(closed.then(() => true), 10_000)) ?? false;
    const text = Buffer.concat(chunks).toString('latin1');
    assert.equal(text.match(/HTTP\/1\.1 /g)?.length, 1, `one status line only:\n${text}`);
    assert.ok(ended, 'the server ended the connection');
  } finally {
    socket.destroy();
  }
  const again = await fetchRaw(`${shared().url}/srv-resume-sequential`);
  assert.equal(again.status, 200);
});
