/**
 * Delivery: the response headers come promptly, and each event reaches the client when it is sent
 * — not held until later events or the end of the stream (§9.2.5 note, §9.2.7 chunking note).
 * Only lower bounds on the gaps the fixture's pauses create are checked: a slow machine passes.
 */
import { withPauses } from '../../spec/pauses.ts';
import type { StreamFixture } from '../../spec/fixture.ts';
import { passIf, type Finding } from '../result.ts';
import { curlTimed } from '../repro.ts';
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

export const deliveryCheck: Check = {
  name: 'delivery',
  description: 'Headers arrive within the timeout; each event arrives when it is sent, not held back.',
  requirements: ['server.delivery.first-byte', 'server.delivery.no-buffering'],
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
