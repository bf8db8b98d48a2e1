/**
 * Disconnect churn (spec/INTEROP.md#disconnect-churn): clients abort streams all the time, and a
 * server that leaks a handler or a lock per aborted connection slows down and finally stops
 * answering. The check aborts --aborts connections in turn before the headers, right after them
 * and in the middle of an event, then opens one more. Lower bound only: it must answer within ten
 * times the first connection's time to headers (and at least 2 s more than it), so a slow machine
 * passes and only a stall fails.
 */
import { abortAfterSending } from '../abort.ts';
import type { Finding } from '../result.ts';
import type { Transcript } from '../read-response.ts';
import { curlHeaders } from '../repro.ts';
import type { Check, CheckContext } from './check.ts';
import { STILL_OPEN } from './delivery.ts';

const REQUIREMENT = 'server.churn.recovers';
export const DEFAULT_ABORTS = 12;
/** Bytes per second above which a stream is too costly to abort over and over. */
const MAX_RATE = 2 ** 20;

type Kind = 'before-headers' | 'after-headers' | 'mid-event';
const KINDS: readonly Kind[] = ['before-headers', 'after-headers', 'mid-event'];
const SAID: Record<Kind, string> = { 'before-headers': 'before the headers', 'after-headers': 'after the headers', 'mid-event': 'in the middle of an event' };

/** How long a later connection may take to its headers, given the first one's time. */
export function allowedMs(firstMs: number, timeoutMs: number): number {
  return Math.min(timeoutMs, Math.max(firstMs * 10, firstMs + 2000));
}

/** A byte offset inside the first event of a transcript's body, or null when no event ended in it. */
export function midEventOffset(transcript: Transcript): number | null {
  const body = Buffer.concat(transcript.chunks.map((c) => c.bytes));
  const end = /\r\n\r\n|\n\n|\r\r|\r\n\n|\n\r\n/.exec(body.toString('latin1'));
  if (!end || end.index < 2) return null;
  return Math.floor(end.index / 2);
}

interface Abort {
  kind: Kind;
  /** The connection as far as it went; absent for an abort before the headers. */
  transcript?: Transcript;
  /** Why the abort could not be made (the connection never carried the request). */
  failed?: string;
}

async function abortOne(kind: Kind, context: CheckContext, cut: number): Promise<Abort> {
  const { url, headers, limits, read, tls } = context;
  if (kind === 'before-headers') {
    const failed = await abortAfterSending(url, headers, limits.timeoutMs, tls);
    return failed === null ? { kind } : { kind, failed };
  }
  // The read stops on its own: at the headers (a zero hold), or after `cut` bytes.
  return { kind, transcript: await read(kind === 'after-headers' ? { holdMs: 0 } : { stopAfterBytes: cut }) };
}

export const churnCheck: Check = {
  name: 'churn',
  description: 'After --aborts aborted connections (before the headers, after them, mid-event) the endpoint still answers about as promptly as at first.',
  requirements: [REQUIREMENT],
  // It judges how the server answers connections, not what a stream says.
  needs: 'response',
  // A property of the server, judged once, on a stream that stays open (so every abort is one).
  scope: 'target',
  applies: (fixture) => fixture === null || fixture.end === 'open',
  async run(context): Promise<Finding[]> {
    const { transcript: first, url, headers, limits, read } = context;
    // Only a stream the suite left while it was still open shows what an abort does; one the
    // server ended, or that a cap cut (--max-bytes, --max-line, …), is not aborted by leaving it.
    if (!STILL_OPEN.has(first.stop)) {
      const why = first.stop === 'end' || first.stop === 'reset' ? 'the server ended the stream' : `reading stopped at a limit (${first.error ?? first.stop})`;
      return [{ requirement: REQUIREMENT, status: 'skip', message: `${why}, so leaving a connection is no abort: churn not judged` }];
    }
    const aborts = context.aborts ?? DEFAULT_ABORTS;
    // Every connection to a stream that pours bytes fills the socket buffers before it is left:
    // aborting a firehose K times would cost K times as much again, so it is not done.
    const rate = (first.bytes * 1000) / Math.max(1, first.durationMs - (first.headersAt ?? 0));
    if (rate > MAX_RATE) {
      return [{ requirement: REQUIREMENT, status: 'skip', message: `the stream sent ${(rate / 2 ** 20).toFixed(1)} MiB/s on the first connection: aborting ${aborts} more connections to it would read as much again each, so churn is judged only on streams slower than 1 MiB/s` }];
    }
    const firstMs = first.headersAt ?? 0;
    const limit = allowedMs(firstMs, limits.timeoutMs);
    const cut = midEventOffset(first);
    const kinds = cut === null ? KINDS.filter((k) => k !== 'mid-event') : KINDS;
    const repro = curlHeaders(url, headers);
    const made: Record<Kind, number> = { 'before-headers': 0, 'after-headers': 0, 'mid-event': 0 };
    const unmade: string[] = [];
    const slow = (t: Transcript, n: number, what: string): Finding | null => {
      if (t.status !== undefined && t.status === first.status && (t.headersAt ?? Infinity) <= limit) return null;
      const answer = t.status === undefined ? `gave no answer (${t.error ?? t.stop})` : t.status !== first.status ? `answered ${t.status} instead of ${first.status}` : `took ${Math.round(t.headersAt!)} ms to answer`;
      return {
        requirement: REQUIREMENT,
        status: 'fail',
        message: `after ${n} aborted connection(s) ${what} ${answer}; the first connection answered in ${Math.round(firstMs)} ms (limit ${Math.round(limit)} ms): the server keeps something of every aborted connection — a handler, a subscription or a lock`,
        expected: `headers within ${Math.round(limit)} ms`,
        actual: t.headersAt === undefined ? null : Math.round(t.headersAt),
        transcript: t,
        repro,
      };
    };
    for (let i = 0; i < aborts; i++) {
      const kind = kinds[i % kinds.length]!;
      const abort = await abortOne(kind, context, cut ?? 1);
      if (abort.failed !== undefined) unmade.push(abort.failed);
      else made[kind]++;
      // A connection that is to be aborted after its headers must get them first.
      const stalled = abort.transcript && slow(abort.transcript, i, `the connection to abort ${SAID[kind]}`);
      if (stalled) return [stalled];
    }
    const total = made['before-headers'] + made['after-headers'] + made['mid-event'];
    if (total === 0) return [{ requirement: REQUIREMENT, status: 'skip', message: `no connection could be aborted (${unmade[0] ?? 'none attempted'})` }];
    const last = await read({ holdMs: 0 });
    const stalled = slow(last, total, 'a new connection');
    if (stalled) return [stalled];
    const counts = kinds.map((k) => `${made[k]} ${SAID[k]}`).join(', ');
    const notes = [cut === null ? 'no whole event arrived on the first connection, so none was cut in the middle' : '', unmade.length > 0 ? `${unmade.length} could not be made: ${unmade[0]}` : ''].filter(Boolean);
    return [{
      requirement: REQUIREMENT,
      status: 'pass',
      message: `after ${total} aborted connections (${counts}) a new connection answered in ${Math.round(last.headersAt!)} ms (the first in ${Math.round(firstMs)} ms, limit ${Math.round(limit)} ms)${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`,
    }];
  },
};
