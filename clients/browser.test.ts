/**
 * Chromium as judge of the stream fixtures: Blink's own EventSource must agree with at least 95%
 * of them, and every disagreement must be explained by a divergence naming Blink/Chromium.
 *
 *   node --import tsx --test clients/browser.test.ts        (from the project root)
 *
 * Skipped, with the reason, where /usr/bin/chromium (Debian's `chromium`) or clients/node_modules
 * (`cd clients && npm ci`) is missing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chromiumUnavailable, runChromium } from './browser.ts';
import { difference } from './harness.ts';

const unavailable = await chromiumUnavailable();

test('the comparison notices a difference in type, data, lastEventId or count', () => {
  const event = { type: 'message', data: 'x', lastEventId: '1' };
  assert.equal(difference([event], [{ ...event }]), null);
  assert.match(difference([event], [{ ...event, data: 'y' }]) ?? '', /data/);
  assert.match(difference([event], [{ ...event, type: 'y' }]) ?? '', /type/);
  assert.match(difference([event], [{ ...event, lastEventId: '' }]) ?? '', /lastEventId/);
  assert.equal(difference([event], [{ ...event, lastEventId: '' }], ['lastEventId']), null);
  assert.match(difference([event], []) ?? '', /missing/);
  assert.match(difference([], [event]) ?? '', /extra/);
});

test('Chromium agrees with ≥ 95% of the stream fixtures and every disagreement is explained', { skip: unavailable ? `Chromium comparison skipped: ${unavailable}` : false, timeout: 120_000 }, async () => {
  const report = await runChromium();
  const disagreements = report.results.filter((r) => !r.agree);
  const listing = disagreements.map((r) => `  ${r.id}: ${r.difference}${r.explained ? ' (explained)' : ' (UNEXPLAINED)'}`).join('\n');
  console.log(`${report.implementation}: ${report.agreed}/${report.total} agree (${report.agreementPct}%)${listing ? `\n${listing}` : ''}`);
  assert.ok(report.total > 100, `only ${report.total} stream fixtures were run`);
  assert.ok(report.agreementPct >= 95, `agreement ${report.agreementPct}% is below 95%:\n${listing}`);
  const unexplained = disagreements.filter((r) => !r.explained);
  assert.deepEqual(unexplained.map((r) => `${r.id}: ${r.difference}`), [], 'disagreements without a divergence naming Blink/Chromium');
});
