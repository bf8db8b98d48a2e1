/**
 * Judging a stream fixture through a test service: the events the client reported, in order,
 * against `expect.events` (spec/compare.ts), for each chunking of the body. A `splits` case folds
 * all its split points into one result.
 */
import { compareEvents, describeEvent } from '../../spec/compare.ts';
import type { Chunking } from '../../reference-server/chunking.ts';
import type { StreamCase } from './cases.ts';
import type { Observation, Until } from './observe.ts';
import type { Callback } from './protocol.ts';

/** How long a finished stream is watched for late callbacks when the client reports no error. */
const QUIET_AFTER_END_MS = 300;
const QUIET_OPEN_MS = 150;
/** A body written one byte per write takes longer: this much more time per byte. */
export const BYTE_WRITE_ALLOWANCE_MS = 2;

export function reportedEvents(callbacks: readonly Callback[]): Array<{ type: string; data: string; lastEventId: string }> {
  return callbacks.flatMap((c) => (c.kind === 'event' ? [{ type: c.type, data: c.data, lastEventId: c.id }] : []));
}

/**
 * Complete once the response has ended and the client reported an error (the end of the stream)
 * or went quiet; for a stream that stays open, once the expected events are in and it went quiet.
 */
export function streamUntil(c: StreamCase): Until {
  return ({ callbacks, requests, quietMs }) => {
    if (c.fixture.end === 'open') return reportedEvents(callbacks).length >= c.expected.length && quietMs >= QUIET_OPEN_MS;
    const first = requests[0];
    if (!first || first.endedAt === null) return false;
    if (callbacks.some((cb) => cb.kind === 'error')) return true;
    // No error reported: quiet for a while once the expected events are in; while some are still
    // missing, a slow client gets until the case's deadline.
    return reportedEvents(callbacks).length >= c.expected.length && quietMs >= QUIET_AFTER_END_MS;
  };
}

export interface StreamVerdict {
  ok: boolean;
  message: string;
  actual: ReturnType<typeof reportedEvents>;
}

/** One chunking's verdict. */
export function judgeStream(c: StreamCase, observed: Observation, timeoutMs: number): StreamVerdict {
  const actual = reportedEvents(observed.callbacks);
  if (observed.ending === 'not created') return { ok: false, message: `service: ${observed.problems.join('; ')}`, actual };
  if (observed.problems.length > 0) return { ok: false, message: `service: ${observed.problems.join('; ')}`, actual };
  const difference = compareEvents(c.expected, actual, c.fixture.expect.lenient ?? []);
  if (difference === null) return { ok: true, message: `${actual.length} event(s) as expected`, actual };
  const silent = observed.ending !== 'timeout' ? '' : observed.callbacks.length === 0 ? ` (the service reported nothing within ${timeoutMs} ms)` : ` (stopped waiting after ${timeoutMs} ms)`;
  const stray = observed.requests.length === 0 ? ' (the client never requested the stream)' : '';
  return { ok: false, message: `${difference}${silent}${stray}`, actual };
}

function where(chunking: Chunking, length: number): string {
  return chunking.kind === 'split' ? `split at byte ${chunking.at} of ${length + 1}` : chunking.kind;
}

/** The verdict of a case from its chunkings' verdicts (null: not run). */
export function foldStream(c: StreamCase, verdicts: ReadonlyArray<StreamVerdict | null>): { ok: boolean | 'skip'; message: string; actual?: unknown } {
  const run = verdicts.map((v, i) => ({ v, chunking: c.chunkings[i]! })).filter((x): x is { v: StreamVerdict; chunking: Chunking } => x.v !== null);
  if (c.variant !== 'splits') {
    const v = run[0]?.v;
    return v ? { ok: v.ok, message: v.message, actual: v.actual.slice(0, 50) } : { ok: 'skip', message: "not run: the run's time budget (--max-run) ran out" };
  }
  if (run.length === 0) return { ok: 'skip', message: `not run: none of ${c.splitPoints} split points fit in the run's time budget (--max-run)` };
  const scope = `${run.length} of ${c.splitPoints} split points${run.length < c.splitPoints ? ' (the rest: --splits or the --max-run budget)' : ''}`;
  const bad = run.filter((x) => !x.v.ok);
  if (bad.length === 0) return { ok: true, message: `${scope}: every split agrees` };
  const first = bad[0]!;
  return {
    ok: false,
    message: `${where(first.chunking, c.splitPoints)}: ${first.v.message}${bad.length > 1 ? ` (and ${bad.length - 1} more of ${scope} disagree)` : ` (${scope})`}`,
    actual: first.v.actual.slice(0, 50),
  };
}

export function expectedText(c: StreamCase): string {
  return c.expected.map(describeEvent).join(', ');
}
