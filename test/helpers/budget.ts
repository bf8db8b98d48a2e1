/**
 * Speed and memory budgets. They flake on a loaded machine, so `npm test` does not assert them:
 * they are checked only by `npm run test:perf` (SSE_CONFORMANCE_PERF=1). Correctness tests keep
 * generous deadlines that only catch hangs.
 */
import assert from 'node:assert/strict';

export const PERF = process.env.SSE_CONFORMANCE_PERF === '1';

/** Asserts a speed or memory budget under `npm run test:perf`; otherwise does nothing. */
export function withinBudget(ok: boolean, message: string): void {
  if (PERF) assert.ok(ok, message);
}
