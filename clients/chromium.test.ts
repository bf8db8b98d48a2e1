/**
 * Chromium's own EventSource (Blink), judged through its test service by the client harness:
 * it must agree with at least 95% of the stream fixture results, and every disagreement — stream
 * or scenario — must be explained by a divergence naming Blink/Chromium.
 *
 *   npm run test:clients        (from the project root)
 *
 * Skipped, with the reason, where /usr/bin/chromium (Debian's `chromium`) or clients/node_modules
 * (`cd clients && npm ci`) is missing.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { judgeService } from './matrix/run.ts';
import { listServices, ROOT_DIR } from './matrix/launch.ts';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const unavailable = !existsSync(chromium)
  ? `${chromium} is missing (apt-get install -y chromium)`
  : !existsSync(join(ROOT_DIR, 'clients', 'node_modules', 'playwright-core'))
    ? 'playwright-core is not installed (cd clients && npm ci)'
    : null;

test('Chromium agrees with ≥ 95% of the stream fixture results and every disagreement is explained', { skip: unavailable ?? false, timeout: 900_000 }, async () => {
  const service = listServices().find((s) => s.name === 'browser-chromium');
  assert.ok(service, 'clients/services/browser-chromium/service.json is missing');
  // Two split points per fixture keep this to a few minutes; `npm run client-matrix` runs more.
  const { row, results } = await judgeService(service, { splits: 2, maxRunMs: 600_000 });
  assert.equal(row.problem, null, `the Chromium service did not run: ${row.problem}`);
  const run = results as { results: Array<{ id: string; outcome: string; message: string }> };
  const failed = run.results.filter((r) => r.outcome === 'fail');
  const explained = run.results.filter((r) => r.outcome === 'warn').map((r) => `  ${r.id}: ${r.message.slice(0, 160)}`);
  console.log(`Chromium ${row.version}: stream fixture results ${row.streams!.agreed}/${row.streams!.judged} agree (${row.streams!.percent}%), scenarios ${row.scenarios!.agreed}/${row.scenarios!.judged}; explained:\n${explained.join('\n')}`);
  assert.ok(row.streams!.judged > 400, `only ${row.streams!.judged} stream fixture results were judged`);
  assert.ok(row.scenarios!.judged >= 15, `only ${row.scenarios!.judged} scenarios were judged`);
  assert.ok(row.streams!.percent >= 95, `agreement ${row.streams!.percent}% is below 95%`);
  assert.deepEqual(failed.map((r) => `${r.id}: ${r.message}`), [], 'disagreements without a divergence naming Blink/Chromium');
});
