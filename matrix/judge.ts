/**
 * Judging one target: start its adapter on a free loopback port, run the suite against it in
 * process, stop it. Held-open fixtures (`end: open`: an open stream read for 1.5 × heartbeat) are
 * read side by side with the rest, so a target costs about one hold plus its own fixtures.
 *
 * Timing: the delivery check times events sent apart (a lower bound on their spread only), and
 * other targets starting or being judged beside this one may blur that. A delivery finding seen
 * while other work ran is therefore read again at the end with nothing else running (`recheck`),
 * and that quiet reading stands: a buffering server fails both, a busy machine only the first.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { LoadedFixture } from '../spec/fixture.ts';
import { runSuite, type RunOptions, type SuiteRun } from '../suite/runner.ts';
import { DEFAULT_START_TIMEOUT_MS, fillCommand, shellWords, type Placeholders, type Target } from './launch.ts';
import { freePort, startLogged, stop, waitUntilUp } from './processes.ts';

export interface JudgeOptions {
  fixtures: readonly LoadedFixture[];
  heartbeatMs: number;
  /** Leave the held-open fixtures out (--fast). */
  skipHeld: boolean;
  placeholders: Placeholders;
  logPathOf: (name: string) => string;
}

export type Session = { ok: true; runs: SuiteRun[]; crashed?: string } | { ok: false; status: 'start-failed' | 'judge-failed'; error: string; crashed?: string };

/** Fixtures whose stream the server keeps open (`end: open`): held for the keep-alive check. */
export const isHeldOpen = (l: LoadedFixture): boolean => l.fixture.kind === 'stream' && l.fixture.end === 'open';

/** A suite run that gives up (null) after `ms` instead of holding the matrix. */
async function bounded(options: RunOptions, ms: number): Promise<SuiteRun | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([runSuite(options), new Promise<null>((r) => (timer = setTimeout(() => r(null), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts the target, runs the suite once per fixture set (side by side), stops it. A set left
 * empty is not run. The adapter's output goes to its log.
 */
export async function session(target: Target, sets: readonly (readonly LoadedFixture[])[], options: JudgeOptions): Promise<Session> {
  const logFd = openSync(options.logPathOf(target.name), 'a');
  // Longest read: a held-open fixture is read for 1.5 × heartbeat (+250 ms).
  const maxDurationMs = Math.round(options.heartbeatMs * 1.5) + 5000;
  const budgetMs = 120_000 + 3 * maxDurationMs;
  let spawned: ReturnType<typeof startLogged> | undefined;
  try {
    const port = await freePort();
    const [cmd, args] = fillCommand(target.spec.start, { ...options.placeholders, port: String(port), dir: target.dir });
    writeSync(logFd, `[matrix] PORT=${port} ${shellWords(cmd, args)}\n`);
    spawned = startLogged(cmd, args, target.dir, logFd, { ...process.env, PORT: String(port) });
    const notUp = await waitUntilUp(spawned, port, target.spec.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
    if (notUp) return { ok: false, status: 'start-failed', error: notUp };
    const base = `http://127.0.0.1:${port}`;
    const runs = await Promise.all(
      sets
        .filter((fixtures) => fixtures.length > 0)
        .map((fixtures) => bounded({ mode: 'fixtures', target: base, fixtures, heartbeatMs: options.heartbeatMs, strict: false, limits: { maxDurationMs } }, budgetMs)),
    );
    const exited = spawned.exited();
    const crashed = exited ? `the adapter died during the run (${exited})` : undefined;
    if (runs.some((r) => r === null)) return { ok: false, status: 'judge-failed', error: `the suite did not finish within ${budgetMs / 1000} s`, crashed };
    const done = runs as SuiteRun[];
    const attempted = done.reduce((n, r) => n + r.attempted, 0);
    const unreachable = done.reduce((n, r) => n + r.unreachable.length, 0);
    if (attempted > 0 && unreachable === attempted) return { ok: false, status: 'judge-failed', error: `no fixture could be reached (${crashed ?? 'connection refused'})`, crashed };
    return { ok: true, runs: done, ...(crashed ? { crashed } : {}) };
  } catch (error) {
    return { ok: false, status: 'judge-failed', error: (error as Error).message };
  } finally {
    if (spawned) await stop(spawned.child);
    closeSync(logFd);
  }
}

/** The whole judgement of a target: every server fixture, the held-open ones side by side. */
export function judge(target: Target, options: JudgeOptions): Promise<Session> {
  const held = options.skipHeld ? [] : options.fixtures.filter(isHeldOpen);
  const rest = options.fixtures.filter((l) => !isHeldOpen(l));
  return session(target, [rest, held], options);
}

/** Checks whose verdicts rest on timing, which a loaded machine can disturb. */
const TIMED_CHECKS: ReadonlySet<string> = new Set(['delivery', 'early-headers']);

/** The fixtures whose delivery finding (a fail or a warning) should be read again in quiet. */
export function timingSuspects(runs: readonly SuiteRun[]): string[] {
  const ids = runs.flatMap((run) => run.results.filter((r) => TIMED_CHECKS.has(r.check) && (r.outcome === 'fail' || r.outcome === 'warn') && r.fixture).map((r) => r.fixture!));
  return [...new Set(ids)].sort();
}

/** The suspects read again with nothing else running. */
export function recheck(target: Target, suspects: readonly string[], options: JudgeOptions): Promise<Session> {
  return session(target, [options.fixtures.filter((l) => suspects.includes(l.fixture.id))], options);
}
