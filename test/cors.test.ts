/**
 * CORS: the Fetch CORS check as the cors check applies it, the reference server's answers to a
 * page on another origin (and to its preflight), a run without --origin judging nothing, and the
 * command line's --origin / --credentials. The failing servers are the cors-* mutants
 * (test/mutants/catalogue.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { corsProblems, headersNotAllowed } from '../suite/checks/cors.ts';
import { runSuite } from '../suite/runner.ts';
import { sharedReferenceServer } from './helpers/corpus.ts';
import { fetchRaw } from './helpers/http.ts';

const ORIGIN = 'https://app.example';
const server = sharedReferenceServer();

test('the CORS check: the origin or * allows; * never with credentials; credentials need "true"', () => {
  const cases: Array<[Record<string, string>, boolean, string | undefined, string | undefined]> = [
    [{}, false, 'no Access-Control-Allow-Origin', undefined],
    [{ 'access-control-allow-origin': 'https://other.example' }, false, 'not the origin', undefined],
    [{ 'access-control-allow-origin': `${ORIGIN}, ${ORIGIN}` }, false, 'not the origin', undefined],
    [{ 'access-control-allow-origin': '*' }, false, undefined, undefined],
    [{ 'access-control-allow-origin': ORIGIN }, false, undefined, undefined],
    [{ 'access-control-allow-origin': '*' }, true, undefined, 'refuse * with credentials'],
    [{ 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' }, false, undefined, 'together with Access-Control-Allow-Credentials: true'],
    [{ 'access-control-allow-origin': ORIGIN }, true, undefined, 'not missing'],
    [{ 'access-control-allow-origin': ORIGIN, 'access-control-allow-credentials': 'TRUE' }, true, undefined, 'not "TRUE"'],
    [{ 'access-control-allow-origin': ORIGIN, 'access-control-allow-credentials': 'true' }, true, undefined, undefined],
  ];
  for (const [headers, credentials, allowOrigin, creds] of cases) {
    const problems = corsProblems(headers, ORIGIN, credentials);
    const label = `${JSON.stringify(headers)} credentials=${credentials}`;
    if (allowOrigin === undefined) assert.equal(problems.allowOrigin, undefined, label);
    else assert.match(problems.allowOrigin ?? '', new RegExp(allowOrigin), label);
    if (creds === undefined) assert.equal(problems.credentials, undefined, label);
    else assert.match(problems.credentials ?? '', new RegExp(creds.replace(/[*"]/g, '\\$&')), label);
  }
});

test('Access-Control-Allow-Headers: * covers last-event-id only without credentials, and never authorization', () => {
  const asked = ['authorization', 'last-event-id'];
  assert.deepEqual(headersNotAllowed({ 'access-control-allow-headers': '*' }, asked, false), ['authorization']);
  assert.deepEqual(headersNotAllowed({ 'access-control-allow-headers': '*' }, asked, true), asked);
  assert.deepEqual(headersNotAllowed({ 'access-control-allow-headers': 'Authorization, Last-Event-ID' }, asked, true), []);
  assert.deepEqual(headersNotAllowed({ 'access-control-allow-headers': 'authorization' }, asked, false), ['last-event-id']);
  assert.deepEqual(headersNotAllowed({}, asked, false), asked);
});

test('the reference server echoes a well-formed Origin on a stream fixture, with credentials, and nothing without one', async () => {
  const url = `${server().url}/srv-data-single`;
  const cross = await fetchRaw(url, { headers: { origin: ORIGIN } });
  assert.equal(cross.status, 200);
  assert.equal(cross.headers['access-control-allow-origin'], ORIGIN);
  assert.equal(cross.headers['access-control-allow-credentials'], 'true');
  assert.equal(cross.headers.vary, 'origin');
  assert.equal(cross.body.toString(), 'data: hello\n\n');
  for (const headers of [{}, { origin: 'null' }, { origin: 'https://app.example/path' }, { origin: 'x' }] as Array<Record<string, string>>) {
    const res = await fetchRaw(url, { headers });
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], undefined, JSON.stringify(headers));
  }
});

test('the reference server allows a preflight for a stream fixture, naming every header asked for; other OPTIONS stay 405', async () => {
  const base = server().url;
  const asked = { origin: ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization,last-event-id' };
  const allowed = await fetchRaw(`${base}/srv-keepalive`, { method: 'OPTIONS', headers: asked });
  assert.equal(allowed.status, 204);
  assert.equal(allowed.headers['access-control-allow-origin'], ORIGIN);
  assert.equal(allowed.headers['access-control-allow-credentials'], 'true');
  assert.equal(allowed.headers['access-control-allow-headers'], 'authorization,last-event-id');
  // A scenario fixture scripts its own CORS; a request that is no preflight is a method not allowed.
  assert.equal((await fetchRaw(`${base}/hdr-cors-fail`, { method: 'OPTIONS', headers: asked })).status, 405);
  assert.equal((await fetchRaw(`${base}/srv-keepalive`, { method: 'OPTIONS', headers: { origin: ORIGIN } })).status, 405);
  assert.equal((await fetchRaw(`${base}/no-such-fixture`, { method: 'OPTIONS', headers: asked })).status, 405);
});

test('the reference server passes CORS with and without credentials; without --origin CORS is one SKIP with the reason', async () => {
  for (const credentials of [false, true]) {
    const run = await runSuite({ mode: 'fixtures', target: server().url, selection: { only: ['cors'], skip: [] }, origin: ORIGIN, credentials });
    const outcomes = Object.fromEntries(run.results.map((r) => [r.requirement, r.outcome]));
    assert.deepEqual(outcomes, { 'server.cors.allow-origin': 'pass', 'server.cors.credentials': credentials ? 'pass' : 'skip', 'server.cors.preflight': 'pass' }, `credentials=${credentials}`);
  }
  const run = await runSuite({ mode: 'fixtures', target: server().url, selection: { only: ['cors'], skip: [] } });
  assert.deepEqual(run.results.map((r) => [r.requirement, r.outcome]), [['server.cors.allow-origin', 'skip']]);
  assert.match(run.results[0]!.message, /no --origin/);
});

const cli = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['bin/sse-conformance.js', ...args], { encoding: 'utf8', timeout: 30_000 }).then(
    () => ({ status: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => ({ status: error.code, stderr: error.stderr }),
  );

test('usage errors: --origin that is no origin, --credentials without --origin → one line, exit 2', async () => {
  for (const [args, message] of [
    [['run', 'http://127.0.0.1:1', '--origin', 'https://app.example/page'], /--origin takes an origin/],
    [['run', 'http://127.0.0.1:1', '--origin', 'app.example'], /--origin takes an origin/],
    [['run', 'http://127.0.0.1:1', '--credentials'], /--credentials goes with --origin/],
    [['run', 'http://127.0.0.1:1', '--aborts', '0'], /--aborts takes a whole number/],
  ] as const) {
    const ran = await cli(...args);
    assert.equal(ran.status, 2, args.join(' '));
    assert.match(ran.stderr, message);
    assert.equal(ran.stderr.trim().split('\n').length, 1, ran.stderr);
  }
});
