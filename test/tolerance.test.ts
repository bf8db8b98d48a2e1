/**
 * Timing tolerances (spec/INTEROP.md#timing-tolerance): the one judge words every timing
 * judgement with its limit and warn band, and each timing judgement of the checks lands in its
 * band on a measurement there — on synthetic transcripts, so no test waits for a real clock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { StreamFixture } from '../spec/fixture.ts';
import { loadFixtures } from '../spec/loader.ts';
import type { CheckContext } from '../suite/checks/check.ts';
import { deliveryCheck } from '../suite/checks/delivery.ts';
import { earlyHeadersCheck } from '../suite/checks/early-headers.ts';
import { idleCheck, isRoundSilence } from '../suite/checks/idle.ts';
import { keepaliveCheck } from '../suite/checks/keepalive.ts';
import { atLeast, atMost } from '../suite/checks/tolerance.ts';
import { serverFixtures } from '../suite/fixture-urls.ts';
import { DEFAULT_LIMITS, type Transcript } from '../suite/read-response.ts';
import { applyBaseline } from '../suite/baseline.ts';
import { outcomeOf, summarize, toResult, type Finding, type RunResult } from '../suite/result.ts';
import { startMutant } from './mutants/server.ts';

const fixtures = new Map(serverFixtures(loadFixtures()).map((f) => [f.id, f]));
const fixture = (id: string) => fixtures.get(id)!;

/** A 200 event stream read until `durationMs`: chunks at the given times, events at others. */
function transcript(o: { headersAt?: number; chunks?: number[]; events?: number[]; durationMs: number; stop?: Transcript['stop'] }): Transcript {
  return {
    url: 'http://127.0.0.1:1/x',
    requestHeaders: {},
    status: 200,
    headers: { 'content-type': 'text/event-stream' },
    headersAt: o.headersAt ?? 5,
    chunks: (o.chunks ?? []).map((t) => ({ t, bytes: new Uint8Array([0x3a, 0x0a]) })),
    bytes: (o.chunks ?? []).length * 2,
    encoding: null,
    fields: {},
    events: (o.events ?? []).map((t, i) => ({ t, type: 'message', data: String(i), lastEventId: '' })),
    retry: null,
    lastEventId: '',
    observations: [],
    stop: o.stop ?? 'held',
    durationMs: o.durationMs,
  };
}

function context(t: Transcript, f: StreamFixture | null, extra: Partial<CheckContext> = {}): CheckContext {
  return {
    fixture: f,
    url: t.url,
    transcript: t,
    headers: {},
    limits: DEFAULT_LIMITS,
    heartbeatMs: 1000,
    idleCutMs: 4000,
    read: async () => t,
    wait: async () => undefined,
    ...extra,
  };
}

const on = (findings: Finding[] | Promise<Finding[]>, requirement: string) => (findings as Finding[]).find((f) => f.requirement === requirement)!;

test('atMost: pass up to the limit, warn in the band, fail beyond, worded alike', () => {
  assert.equal(atMost(15_000, 15_000).status, 'pass');
  const warned = atMost(16_200, 15_000);
  assert.equal(warned.status, 'warn');
  assert.equal(warned.text, '16200 ms (limit 15000 ms, warn band up to 18750 ms)');
  assert.equal(atMost(18_751, 15_000).status, 'fail');
  assert.equal(atMost(50_000, 15_000, 60_000, 'the band ends at --idle-cut').text, '50000 ms (limit 15000 ms, warn band up to 60000 ms, the band ends at --idle-cut)');
});

test('atLeast: a lower bound with its band below it', () => {
  assert.equal(atLeast(200, 200).status, 'pass');
  const warned = atLeast(170, 200);
  assert.equal(warned.status, 'warn');
  assert.equal(warned.text, '170 ms (at least 200 ms, warn band down to 160 ms)');
  assert.equal(atLeast(159, 200).status, 'fail');
});

test('a measurement in its warn band warns whatever the level, and fails when strict', () => {
  assert.equal(outcomeOf('warn', 'MUST', false), 'warn');
  assert.equal(outcomeOf('warn', 'SHOULD', false), 'warn');
  assert.equal(outcomeOf('warn', 'MUST', true), 'fail');
  assert.equal(outcomeOf('warn', 'SHOULD', true), 'fail');
  assert.equal(outcomeOf('warn', 'MAY', true), 'info');
});

test('keep-alive: a gap just past --heartbeat warns, past the band fails', async () => {
  const f = fixture('srv-keepalive');
  const gapOf = (gap: number) => transcript({ chunks: [10, 10 + gap], events: [10], durationMs: 10 + gap + 100 });
  assert.equal(on(await keepaliveCheck.run(context(gapOf(900), f)), 'server.comment.keepalive').status, 'pass');
  const band = on(await keepaliveCheck.run(context(gapOf(1100), f)), 'server.comment.keepalive');
  assert.equal(band.status, 'warn');
  assert.match(band.message, /silent for 1100 ms \(limit 1000 ms, warn band up to 1250 ms\)/);
  assert.equal(on(await keepaliveCheck.run(context(gapOf(1300), f)), 'server.comment.keepalive').status, 'fail');
});

test('delivery: headers in the last fifth of --timeout warn; none at all fails', async () => {
  const f = fixture('srv-data-single');
  const at = (headersAt: number) => on(deliveryCheck.run(context(transcript({ headersAt, events: [headersAt + 1], durationMs: headersAt + 50, stop: 'end' }), f)), 'server.delivery.first-byte');
  assert.equal(at(3999).status, 'pass');
  const band = at(4500);
  assert.equal(band.status, 'warn');
  assert.match(band.message, /headers after 4500 ms \(limit 4000 ms, warn band up to 5000 ms, the band ends at --timeout\)/);
  const none = on(deliveryCheck.run(context({ ...transcript({ durationMs: 5000, stop: 'headers-timeout' }), status: undefined, headersAt: undefined, error: 'no response headers within 5000 ms' }, f)), 'server.delivery.first-byte');
  assert.equal(none.status, 'fail');
  assert.match(none.message, /limit 4000 ms, warn band up to 5000 ms/);
});

test('delivery: spaced events a little closer than half the pauses warn; collapsed ones fail', async () => {
  const f = fixture('srv-delivery-spaced'); // pauses of 200 ms: the spread must be ≥ 200 ms
  const spread = (ms: number) => on(deliveryCheck.run(context(transcript({ events: [10, 10 + ms / 2, 10 + ms], durationMs: 20 + ms, stop: 'end' }), f)), 'server.delivery.no-buffering');
  assert.equal(spread(390).status, 'pass');
  const band = spread(180);
  assert.equal(band.status, 'warn');
  assert.match(band.message, /within 180 ms \(at least 200 ms, warn band down to 160 ms\)/);
  assert.equal(spread(5).status, 'fail');
});

test('delivery: an event of an open stream past the idle window warns, then counts as held', async () => {
  const f = fixture('srv-keepalive');
  const late = (ms: number) => on(deliveryCheck.run(context(transcript({ headersAt: 5, chunks: [5 + ms], events: [5 + ms], durationMs: 10_000 }), f)), 'server.delivery.not-held');
  assert.equal(late(100).status, 'pass');
  const band = late(1700);
  assert.equal(band.status, 'warn');
  assert.match(band.message, /event 1 arrived 1700 ms \(limit 1500 ms, warn band up to 1875 ms\) after it was sent/);
  assert.equal(late(3000).status, 'fail');
});

test('idle: a silence past --heartbeat warns up to --idle-cut, and fails beyond it', async () => {
  const f = fixture('srv-keepalive');
  const gapOf = (gap: number) => on(idleCheck.run(context(transcript({ chunks: [10, 10 + gap, 10 + gap + 300], events: [10], durationMs: 10 + gap + 600 }), f)), 'server.idle.no-cut');
  assert.equal(gapOf(800).status, 'pass');
  const band = gapOf(3000);
  assert.equal(band.status, 'warn');
  assert.match(band.message, /silent for 3000 ms \(limit 1000 ms, warn band up to 4000 ms, the band ends at --idle-cut\)/);
  assert.equal(gapOf(4500).status, 'fail');
});

test('idle: a stream closed after a round silence is reported as an idle cut', async () => {
  assert.ok(isRoundSilence(60_020, 60_000));
  assert.ok(isRoundSilence(30_100, 60_000));
  assert.ok(!isRoundSilence(12_700, 60_000));
  const closed = (silence: number, f: StreamFixture | null) => on(idleCheck.run(context(transcript({ chunks: [10], events: [10], durationMs: 10 + silence, stop: 'end' }), f, { idleCutMs: 60_000 })), 'server.idle.no-cut');
  const cut = closed(60_000, null);
  assert.equal(cut.status, 'fail');
  assert.match(cut.message, /closed after 60\.0 s of silence: a load balancer or proxy idle timeout\?/);
  // An endpoint may end its stream on purpose: a silence that is no round timeout shows nothing.
  assert.equal(closed(12_700, null).status, 'skip');
  // An open fixture promised to stay open: any close after a silence is a cut.
  assert.equal(closed(12_700, fixture('srv-keepalive')).status, 'fail');
  assert.equal(closed(20, fixture('srv-keepalive')).status, 'skip');
});

test('early headers: held until the first event fails, a little late warns, at once passes', async () => {
  const f = fixture('srv-delivery-first-delayed'); // first event 400 ms after the request: a lead ≥ 200 ms
  const lead = (headersAt: number, first: number) => on(earlyHeadersCheck.run(context(transcript({ headersAt, chunks: [first], events: [first, first + 100], durationMs: first + 150, stop: 'end' }), f)), 'server.delivery.headers-before-event');
  assert.equal(lead(5, 405).status, 'pass');
  const band = lead(230, 410);
  assert.equal(band.status, 'warn');
  assert.match(band.message, /only 180 ms \(at least 200 ms, warn band down to 160 ms\) before the first event/);
  assert.equal(lead(405, 406).status, 'fail');
  assert.ok(!earlyHeadersCheck.applies(fixture('srv-data-single')), 'a fixture whose first event comes at once shows nothing');
});

test('early headers in probe mode: late headers that came with the first bytes are information', async () => {
  const probe = (headersAt: number, first: number) => on(earlyHeadersCheck.run(context(transcript({ headersAt, chunks: [first], events: [first], durationMs: first + 50 }), null)), 'server.delivery.headers-before-event');
  assert.equal(probe(1500, 1501).status, 'info');
  assert.equal(probe(5, 6).status, 'skip');
  assert.equal(probe(5, 600).status, 'pass');
});

test('a baseline entry whose result now lands in a warn band is not stale', () => {
  const result = toResult({ requirement: 'server.delivery.first-byte', status: 'warn', message: 'headers after 4500 ms (limit 4000 ms, warn band up to 5000 ms)' }, { fixture: 'srv-data-single', check: 'delivery', repro: null, strict: false });
  assert.equal(result.outcome, 'warn');
  const run: RunResult = { tool: 'sse-conformance', version: '0', target: 'http://t', mode: 'fixtures', startedAt: '', durationMs: 0, summary: summarize([result]), stale: [], results: [result] };
  applyBaseline(run, ['srv-data-single/delivery/*'], 'known.txt');
  assert.deepEqual(run.stale, []);
  assert.equal(run.summary.warned, 1);
});

test('the CLI takes --idle-cut: a stream closed after that much silence fails as an idle cut', async () => {
  const server = await startMutant({ keepAliveMs: null, closeAfterIdleMs: 500 });
  try {
    // Asynchronously: the mutant server lives in this process and must keep answering.
    const child = await promisify(execFile)(process.execPath, ['bin/sse-conformance.js', 'probe', `${server.url}/srv-keepalive`, '--duration', '1500', '--heartbeat', '300', '--idle-cut', '500'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } }).then(
      (ok) => ({ status: 0, ...ok }),
      (error: { code: number; stdout: string; stderr: string }) => ({ status: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
    assert.equal(child.status, 1, child.stderr);
    assert.match(child.stdout, /FAIL idle server\.idle\.no-cut/);
    assert.match(child.stdout, /the connection was closed after \d+\.\d s of silence: a load balancer or proxy idle timeout\?/);
  } finally {
    await server.close();
  }
});
