/**
 * The build phase: each target's `requires` checked, then its `build` run once, logged and
 * bounded by its `buildTimeoutMs`. Builds of different targets run side by side (at most `lanes`
 * at once), queued so that neighbouring builds belong to different languages: a shared build (one
 * Cargo workspace, one Maven reactor) serialises itself with flock, and its siblings should not
 * fill every lane while they wait for it.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { relative } from 'node:path';
import { pool } from '../suite/pool.ts';
import { DEFAULT_BUILD_TIMEOUT_MS, fillCommand, missingRequirement, ROOT, shellWords, type Placeholders, type Target } from './launch.ts';
import { runLogged } from './processes.ts';
import type { Status } from './rows.ts';

export type Built = { ok: true; buildMs: number } | { ok: false; status: Exclude<Status, 'judged'>; error: string; buildMs: number };

/** Targets reordered so that languages alternate (round robin, each language in name order). */
export function interleaveByLanguage(targets: readonly Target[]): Target[] {
  const byLanguage = new Map<string, Target[]>();
  for (const t of targets) (byLanguage.get(t.spec.language) ?? byLanguage.set(t.spec.language, []).get(t.spec.language)!).push(t);
  const queues = [...byLanguage.values()].sort((a, b) => b.length - a.length);
  const out: Target[] = [];
  for (let i = 0; out.length < targets.length; i++) for (const q of queues) if (q[i]) out.push(q[i]!);
  return out;
}

/** Gets one target ready to start: its requirements checked, then its build. Everything goes to its log. */
export async function buildTarget(target: Target, placeholders: Placeholders, logPath: string): Promise<Built> {
  const t0 = performance.now();
  const elapsed = () => Math.round(performance.now() - t0);
  const missing = missingRequirement(target);
  if (missing) return { ok: false, status: 'not-installed', error: missing, buildMs: 0 };
  if (!target.spec.build) return { ok: true, buildMs: 0 };
  const logFd = openSync(logPath, 'a');
  try {
    const [cmd, args] = fillCommand(target.spec.build, { ...placeholders, dir: target.dir });
    const timeoutMs = target.spec.buildTimeoutMs ?? DEFAULT_BUILD_TIMEOUT_MS;
    writeSync(logFd, `[matrix] build in ${relative(ROOT, target.dir)}: ${shellWords(cmd, args)}\n`);
    const { code, timedOut } = await runLogged(cmd, args, target.dir, logFd, timeoutMs);
    if (code !== 0) {
      const error = timedOut ? `the build did not finish within ${timeoutMs / 1000} s` : `the build (${shellWords(cmd, args)}) exited with ${code === null ? 'an error' : `code ${code}`}`;
      return { ok: false, status: 'build-failed', error, buildMs: elapsed() };
    }
    writeSync(logFd, `[matrix] built in ${(elapsed() / 1000).toFixed(1)} s\n`);
    return { ok: true, buildMs: elapsed() };
  } catch (error) {
    return { ok: false, status: 'invalid', error: (error as Error).message, buildMs: elapsed() };
  } finally {
    closeSync(logFd);
  }
}

/** Builds every target, at most `lanes` at once; the results keep the targets' order. */
export async function buildAll(targets: readonly Target[], lanes: number, placeholders: Placeholders, logPathOf: (name: string) => string, onBuilt: (target: Target, built: Built) => void): Promise<Map<string, Built>> {
  const queue = interleaveByLanguage(targets);
  const built = await pool(queue, lanes, async (target) => {
    const result = await buildTarget(target, placeholders, logPathOf(target.name));
    onBuilt(target, result);
    return result;
  });
  return new Map(queue.map((t, i) => [t.name, built[i]!]));
}
