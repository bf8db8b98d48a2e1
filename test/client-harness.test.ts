/**
 * The client harness (`sse-conformance client`) against in-test services: one that speaks the
 * protocol and whose client is correct passes; one broken in each way a real service can be gets
 * a clear failure, and the run neither hangs nor stops early.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { promisify } from 'node:util';
import AjvModule from 'ajv';
import { readCallback, readStatus } from '../suite/client/protocol.ts';
import { runClientSuite, type ClientRun } from '../suite/client/run.ts';
import { rechunk } from '../reference-server/chunking.ts';
import { startFakeService, type Fault } from './client-services/fake-service.ts';

/** A few stream fixtures (every variant) and scenarios: reconnection, Last-Event-ID, retry, status. */
const ONLY = ['data-identical-events', 'data-spec-two-events-eof', 'eol-cr-only', 'utf8-split-3-byte', 'rc-basic-id-header', 'rc-retry-delay', 'hdr-status-500', 'hdr-ct-missing'];

async function judge(fault: Fault, options: Partial<Parameters<typeof runClientSuite>[0]> = {}, capabilities?: string[]): Promise<ClientRun> {
  const service = await startFakeService(fault, capabilities);
  try {
    return await runClientSuite({ service: service.url, selection: { only: ONLY, skip: [] }, splits: 3, timeoutMs: 2000, caseTimeoutMs: 8000, concurrency: 6, ...options });
  } finally {
    await service.close();
  }
}

const failures = (run: ClientRun) => run.results.filter((r) => r.outcome === 'fail');

test('a correct service passes every stream variant and scenario', { timeout: 120_000 }, async () => {
  const run = await judge('none');
  assert.equal(run.unreachable, null);
  assert.deepEqual(failures(run).map((r) => `${r.id}: ${r.message}`), []);
  const ids = run.results.map((r) => r.id);
  for (const variant of ['fixture', 'whole', 'bytes', 'splits']) assert.ok(ids.includes(`eol-cr-only/parse/parse.eol.lone-cr/${variant}`), `no ${variant} result`);
  const scenarios = run.results.filter((r) => r.check === 'scenario');
  assert.equal(scenarios.length, 4);
  assert.ok(scenarios.every((r) => r.outcome === 'pass'), scenarios.map((r) => r.message).join('\n'));
  assert.ok(run.agreement.streams.judged >= 12 && run.agreement.streams.percent === 100);
  const Ajv = AjvModule.default ?? AjvModule;
  const validate = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(new URL('../spec/result.schema.json', import.meta.url), 'utf8')));
  assert.ok(validate(JSON.parse(JSON.stringify(run))), JSON.stringify(validate.errors?.slice(0, 3)));
});

const cli = (args: string[]) =>
  promisify(execFile)(process.execPath, [new URL('../bin/sse-conformance.js', import.meta.url).pathname, ...args], { timeout: 60_000 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

test('the client command has --help, and a bad URL or an unreachable service is exit 2 with one line', { timeout: 120_000 }, async () => {
  const help = await cli(['client', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: sse-conformance client <service-url>/);
  const scheme = await cli(['client', 'ftp://127.0.0.1/']);
  assert.equal(scheme.code, 2);
  assert.match(scheme.stderr, /unsupported scheme ftp:/);
  const closed = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
  const gone = await cli(['client', `http://127.0.0.1:${closed}`, '--timeout', '300']);
  assert.equal(gone.code, 2);
  assert.match(gone.stderr, /the service could not be used: GET \/: ECONNREFUSED/);
});

test('callbacks that arrive out of order are put back in order', { timeout: 120_000 }, async () => {
  const run = await judge('reversed', { selection: { only: ['data-identical-events', 'rc-basic-id-header'], skip: [] } });
  assert.deepEqual(failures(run).map((r) => `${r.id}: ${r.message}`), []);
});

test('a parser bug fails the parse results, a missing reconnection the scenarios', { timeout: 120_000 }, async () => {
  const dropped = await judge('drops-last', { selection: { only: ['data-identical-events'], skip: [] } });
  assert.ok(failures(dropped).some((r) => r.check === 'parse' && /event \d+ is missing/.test(r.message)), 'the dropped event is not noticed');
  const stuck = await judge('no-reconnect', { selection: { only: ['rc-basic-id-header'], skip: [] } });
  assert.match(failures(stuck).map((r) => r.message).join('\n'), /requests: 1 made, at least 2 expected/);
});

test('without open-events and ready-state the log is judged on messages only, and says so', { timeout: 60_000 }, async () => {
  const run = await judge('none', { selection: { only: ['rc-basic-id-header'], skip: [] } }, []);
  const [scenario] = run.results.filter((r) => r.check === 'scenario');
  assert.equal(scenario?.outcome, 'pass');
  assert.match(scenario!.message, /needs open-events and ready-state/);
});

test('a service that never answers GET /, or answers garbage, is reported and nothing hangs', { timeout: 60_000 }, async () => {
  const silent = await judge('silent-status');
  assert.match(silent.unreachable ?? '', /GET \/: no answer within 2000 ms/);
  const garbage = await judge('garbage-status', { selection: { only: ['data-identical-events'], skip: [] }, splits: 0 });
  const status = garbage.results.find((r) => r.id === 'service/client.service.protocol/status');
  assert.equal(status?.outcome, 'fail');
  assert.match(status!.message, /not JSON/);
});

const notRun = (run: ClientRun) => run.results.filter((r) => r.outcome === 'skip' && r.message.startsWith('not run:'));

test('a service that refuses or never answers POST / fails each case clearly, then the rest is not run', { timeout: 60_000 }, async () => {
  const refused = await judge('refuses', { splits: 0 });
  assert.match(failures(refused)[0]?.message ?? '', /service: POST \/ answered 500/);
  // It still answers GET /, so five refusals are not yet the end: ten are.
  assert.match(refused.gone ?? '', /^the service refused 10 clients in a row, though it still answers GET \/; the last refusal: POST \/ answered 500/);
  assert.ok(notRun(refused).length > 0);
  for (const r of notRun(refused)) assert.equal(r.message, `not run: ${refused.gone}`);
  const hung = await judge('hangs', { selection: { only: ['data-identical-events', 'eol-cr-only'], skip: [] }, splits: 0 });
  assert.match(failures(hung)[0]?.message ?? '', /POST \/: no answer within 2000 ms/);
});

test('a burst of clients the service is too slow for is five failures, not the end of the run', { timeout: 60_000 }, async () => {
  const run = await judge('stalls-first', { splits: 0 });
  const slow = failures(run).filter((r) => r.message === 'service: POST /: no answer within 2000 ms');
  assert.equal(slow.length, 5);
  assert.deepEqual(notRun(run).map((r) => `${r.id}: ${r.message}`), []);
  assert.equal(run.gone, null);
  assert.equal(failures(run).length, 5, failures(run).map((r) => `${r.id}: ${r.message}`).join('\n'));
});

test('a service that goes away part way: the rest is not run, and the reason says so', { timeout: 60_000 }, async () => {
  const run = await judge('dies', { splits: 0, concurrency: 2 });
  assert.match(run.gone ?? '', /^the service refused \d+ clients in a row and did not answer GET \/ either \(GET \/: ECONNREFUSED\); the last refusal: POST \/: ECONNREFUSED$/);
  assert.ok(notRun(run).length > 0);
  for (const r of notRun(run)) assert.equal(r.message, `not run: ${run.gone}`);
});

test('a service that never calls back, skips a number, posts garbage or floods gets a clear failure', { timeout: 120_000 }, async () => {
  const only = { selection: { only: ['data-identical-events'], skip: [] }, splits: 0, caseTimeoutMs: 2500 };
  const mute = await judge('mute', only);
  assert.match(failures(mute)[0]?.message ?? '', /the service reported nothing within 2500 ms/);
  const gap = await judge('gap', only);
  assert.match(failures(gap)[0]?.message ?? '', /callback 2 never arrived, but 3/);
  const garbage = await judge('garbage-callbacks', only);
  assert.match(failures(garbage)[0]?.message ?? '', /callback 1: a callback body that is not JSON/);
  const flood = await judge('flood', { ...only, caseTimeoutMs: 30_000, maxCallbacks: 100 });
  assert.match(failures(flood)[0]?.message ?? '', /flooded: more than 100 callbacks/);
});

test('the protocol readers accept what LaunchDarkly documents and what its harness reads', () => {
  assert.deepEqual(readCallback('{"kind":"error","comment":"boom"}'), { kind: 'error', message: 'boom', readyState: null });
  assert.deepEqual(readCallback('{"kind":"error","error":"boom","readyState":2}'), { kind: 'error', message: 'boom', readyState: 2 });
  assert.deepEqual(readCallback('{"kind":"event","event":{"data":"x"}}'), { kind: 'event', type: 'message', data: 'x', id: '' });
  assert.match(String(readCallback('{"kind":"event","event":{"data":1}}')), /event\.data/);
  assert.match(String(readCallback('{"kind":"hello"}')), /unknown kind/);
  assert.deepEqual(readStatus(''), { capabilities: [], name: null, version: null });
  assert.deepEqual(readStatus('{"capabilities":["restart","restart"],"clientVersion":"1.2"}'), { capabilities: ['restart'], name: null, version: '1.2' });
  assert.match(String(readStatus('{"capabilities":"restart"}')), /array of strings/);
});

test('a body re-chunked whole, byte by byte or split keeps its bytes and its leading pause', () => {
  const wire = { chunks: [Buffer.from('ab'), Buffer.from('cd')], delays: [5, 7] };
  const join = (w: { chunks: Uint8Array[] }) => Buffer.concat(w.chunks).toString();
  for (const chunking of [{ kind: 'whole' }, { kind: 'bytes' }, { kind: 'split', at: 1 }, { kind: 'split', at: 9 }] as const) {
    const out = rechunk(wire, chunking);
    assert.equal(join(out), 'abcd');
    assert.equal(out.delays[0], 12);
  }
  assert.equal(rechunk(wire, { kind: 'bytes' }).chunks.length, 4);
  assert.deepEqual(rechunk(wire, { kind: 'split', at: 1 }).chunks.map((c) => Buffer.from(c).toString()), ['a', 'bcd']);
});
