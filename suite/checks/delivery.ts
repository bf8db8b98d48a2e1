/**
 * Delivery: the response headers come promptly, and each event reaches the client when it is sent
 * — not held until later events or the end of the stream (§9.2.5 note, §9.2.7 chunking note).
 * Only lower bounds on the gaps the fixture's pauses create are checked: a slow machine passes.
 */
import { withPauses } from '../../spec/pauses.ts';
import type { StreamFixture } from '../../spec/fixture.ts';
import { passIf, type Finding } from '../result.ts';
import { curlTimed } from '../repro.ts';
import type { StopReason, Transcript } from '../read-response.ts';
import type { Check } from './check.ts';

/**
 * For each event of a `send` list, the time the server lets pass since the previous event: the
 * pauses before it and before any message between them that dispatches nothing (a comment).
 */
export function pausesBeforeEvents(fixture: StreamFixture): number[] {
  const pauses: number[] = [];
  let since = 0;
  for (const { pauseMs, item } of withPauses(fixture.send ?? [])) {
    since += pauseMs;
    if (item.data === undefined) continue;
    pauses.push(since);
    since = 0;
  }
  return pauses;
}

const MIN_PAUSE = 50;

/** Ways a read stops while the server still holds the connection open. */
export const STILL_OPEN: ReadonlySet<StopReason> = new Set(['idle', 'held', 'enough', 'max-duration']);

/**
 * Events of an open fixture that had not arrived when the suite stopped reading the still-open
 * stream (§9.2.7 chunking note; spec/INTEROP.md#held-events), or null when nothing was held.
 * The one owner of that judgement: the events check defers to it.
 */
export function eventsHeldBack(fixture: StreamFixture | null, transcript: Transcript): { arrived: number; expected: number } | null {
  if (fixture === null || fixture.end !== 'open' || transcript.status !== 200 || !STILL_OPEN.has(transcript.stop)) return null;
  const expected = fixture.expect.events.length;
  return transcript.events.length < expected ? { arrived: transcript.events.length, expected } : null;
}

const CAUSES = 'usual causes: a buffering reverse proxy (nginx: proxy_buffering off, or X-Accel-Buffering: no), compression middleware that does not flush each event, a framework or server that buffers responses';

function heldFinding(fixture: StreamFixture, transcript: Transcript, held: { arrived: number; expected: number }, repro: string): Finding {
  const last = transcript.chunks.at(-1);
  const got = held.arrived === 0 ? 'no event arrived' : `only ${held.arrived} of ${held.expected} events arrived (at ${transcript.events.map((e) => Math.round(e.t)).join(', ')} ms)`;
  const bytes = transcript.bytes === 0 ? 'not one byte of the body' : `${transcript.bytes} bytes, the last at ${Math.round(last?.t ?? 0)} ms`;
  return {
    requirement: 'server.delivery.not-held',
    status: 'fail',
    message: `the stream stayed open for ${Math.round(transcript.durationMs)} ms but ${got} — ${bytes}: the events are held back and will never reach a client while the stream stays open (${CAUSES})`,
    expected: fixture.expect.events.length,
    actual: transcript.events.map((e) => ({ t: e.t, data: e.data })),
    repro,
  };
}

export const deliveryCheck: Check = {
  name: 'delivery',
  description: 'Headers arrive within the timeout; each event arrives when it is sent, not held back.',
  requirements: ['server.delivery.first-byte', 'server.delivery.not-held', 'server.delivery.no-buffering'],
  needs: 'attempt',
  scope: 'fixture',
  applies: () => true,
  run({ fixture, transcript, url, headers, limits }) {
    const findings: Finding[] = [];
    const gotHeaders = transcript.headersAt !== undefined;
    findings.push({
      requirement: 'server.delivery.first-byte',
      status: passIf(gotHeaders),
      message: gotHeaders ? `headers after ${Math.round(transcript.headersAt!)} ms` : (transcript.error ?? `no response headers within ${limits.timeoutMs} ms`),
      repro: curlTimed(url, headers),
    });
    const held = eventsHeldBack(fixture, transcript);
    if (held !== null) {
      findings.push(heldFinding(fixture!, transcript, held, curlTimed(url, headers)));
      return findings;
    }
    if (fixture?.end === 'open' && transcript.status === 200 && fixture.expect.events.length > 0) {
      findings.push({ requirement: 'server.delivery.not-held', status: 'pass', message: `all ${fixture.expect.events.length} event(s) arrived while the stream was open (the last at ${Math.round(transcript.events.at(-1)?.t ?? 0)} ms)` });
    }
    const pauses = fixture ? pausesBeforeEvents(fixture) : [];
    if (!pauses.some((pause) => pause >= MIN_PAUSE) || transcript.status !== 200) return findings;
    const events = transcript.events;
    if (events.length < pauses.length) {
      findings.push({ requirement: 'server.delivery.no-buffering', status: 'fail', message: `only ${events.length} of ${pauses.length} events arrived`, repro: curlTimed(url, headers) });
      return findings;
    }
    // Buffering shows as events arriving together although the server paused between them. The
    // spread between the first and the last event must be at least half the pauses in between: a
    // loaded machine may merge one pair, but a buffering server collapses them all.
    const paused = pauses.slice(1).reduce((sum, pause) => sum + pause, 0);
    const spread = events[pauses.length - 1]!.t - events[0]!.t;
    if (spread < paused / 2) {
      findings.push({
        requirement: 'server.delivery.no-buffering',
        status: 'fail',
        message: `the ${pauses.length} events arrived within ${spread.toFixed(1)} ms although the server paused ${paused} ms between them: events are buffered`,
        expected: `spread ≥ ${paused / 2} ms`,
        actual: events.map((e) => e.t),
        repro: curlTimed(url, headers),
      });
      return findings;
    }
    findings.push({ requirement: 'server.delivery.no-buffering', status: 'pass', message: `events arrived as sent (at ${events.map((e) => Math.round(e.t)).join(', ')} ms)` });
    return findings;
  },
};
