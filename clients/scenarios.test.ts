/**
 * Chromium as judge of the scenario fixtures (reconnection, Last-Event-ID, status and Content-Type
 * handling): every scenario a plain same-origin EventSource can exercise must agree with Blink, or
 * the disagreement must be explained by a divergence naming Blink/Chromium; at least 15 are judged.
 *
 *   node --import tsx --test --test-reporter spec clients/scenarios.test.ts     (from the project root)
 *
 * Skipped, with the reason, where /usr/bin/chromium (Debian's `chromium`) or clients/node_modules
 * (`cd clients && npm ci`) is missing. The judge's own checks run everywhere.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chromiumUnavailable } from './browser.ts';
import { type LogEntry, type Observation, type ObservedRequest, runScenarios, scenarioCases, scenarioProblems } from './scenarios.ts';

const unavailable = await chromiumUnavailable();

function request(n: number, lastEventId: string | null, gapMs: number | null): ObservedRequest {
  return {
    n,
    lastEventId,
    lastEventIdHex: lastEventId === null ? null : Buffer.from(lastEventId, 'utf8').toString('hex'),
    headers: lastEventId === null ? {} : { 'last-event-id': Buffer.from(lastEventId, 'utf8').toString('latin1') },
    path: '/',
    at: 0,
    gapMs,
  };
}

test('the judge notices a wrong request count, Last-Event-ID, early reconnect, event or log', () => {
  const [c] = scenarioCases((id) => id === 'rc-basic-id-header');
  assert.ok(c, 'rc-basic-id-header is missing');
  const log: LogEntry[] = [
    { kind: 'open', readyState: 1, t: 0 },
    { kind: 'message', type: 'message', data: 'a', lastEventId: '1', t: 1 },
    { kind: 'error', readyState: 0, t: 2 },
    { kind: 'open', readyState: 1, t: 3 },
  ];
  const good: Observation = { log, requests: [request(1, null, null), request(2, '1', 51)], ending: 'complete', elapsedMs: 60 };
  assert.deepEqual(scenarioProblems(c, good), []);
  // 5 ms tolerance for clock granularity, never an upper bound.
  assert.deepEqual(scenarioProblems(c, { ...good, requests: [request(1, null, null), request(2, '1', 46)] }), []);
  assert.deepEqual(scenarioProblems(c, { ...good, requests: [request(1, null, null), request(2, '1', 9000)] }), []);
  const problems = (o: Partial<Observation>) => scenarioProblems(c, { ...good, ...o }).join('\n');
  assert.match(problems({ requests: [request(1, null, null)] }), /requests: 1 made, at least 2/);
  assert.match(problems({ requests: [request(1, null, null), request(2, null, 51)] }), /request 2: no Last-Event-ID/);
  assert.match(problems({ requests: [request(1, null, null), request(2, '2', 51)] }), /request 2: Last-Event-ID "2"/);
  assert.match(problems({ requests: [request(1, '1', null), request(2, '1', 51)] }), /request 1: Last-Event-ID "1" sent, none expected/);
  assert.match(problems({ requests: [request(1, null, null), request(2, '1', 20)] }), /request 2: came 20 ms/);
  assert.match(problems({ log: log.filter((e) => e.kind !== 'message') }), /connection 1: event 1 missing/);
  assert.match(problems({ log: [...log, { kind: 'error', readyState: 2, t: 4 }] }), /log entry 5: error\(2\)/);
});

test('scenarios that need CORS, invalid or non-HTTP URLs, window.stop() or a proposal are skipped with a reason', () => {
  const cases = scenarioCases();
  const skipped = new Map(cases.filter((c) => c.skip !== null).map((c) => [c.id, c.skip!]));
  for (const id of ['hdr-cors-fail', 'hdr-invalid-url', 'hdr-non-http-scheme', 'hdr-window-stop', 'rc-from-readable-stream', 'rc-redirect-then-reconnect-target']) {
    assert.ok(skipped.has(id), `${id} is not skipped`);
  }
  for (const id of ['rc-close-in-message-handler', 'rc-close-in-onerror', 'rc-close-during-wait', 'rc-readystate-sequence', 'hdr-network-error-before-response']) {
    assert.ok(!skipped.has(id), `${id} is skipped: ${skipped.get(id)}`);
  }
});

test('Chromium agrees with every judged scenario fixture, or the disagreement is explained', { skip: unavailable ? `Chromium scenario judge skipped: ${unavailable}` : false, timeout: 120_000 }, async () => {
  const report = await runScenarios('chromium');
  const disagreements = report.results.filter((r) => r.status === 'disagree');
  const listing = disagreements.map((r) => `  ${r.id}${r.explained ? ' (explained)' : ' (UNEXPLAINED)'}: ${r.problems.join('; ')}`).join('\n');
  console.log(`${report.implementation}: ${report.judged} scenarios judged, ${report.agreed} agree, ${report.explained} explained, ` +
    `${report.skipped} skipped (${(report.durationMs / 1000).toFixed(1)} s)${listing ? `\n${listing}` : ''}`);
  assert.ok(report.judged >= 15, `only ${report.judged} scenarios were judged`);
  const unexplained = disagreements.filter((r) => !r.explained);
  assert.deepEqual(unexplained.map((r) => `${r.id}: ${r.problems.join('; ')}`), [], 'disagreements without a divergence naming Blink/Chromium');
});
