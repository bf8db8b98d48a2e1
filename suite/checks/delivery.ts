/**
 * Delivery: the response headers come promptly, and each event reaches the client when it is sent
 * — not held until later events or the end of the stream (§9.2.5 note, §9.2.7 chunking note).
 * Only lower bounds on the gaps the fixture's pauses create are checked: a slow machine passes.
 * Every timing judgement has a warn band before it fails (suite/checks/tolerance.ts).
 * Compression is judged by the same timing (spec/INTEROP.md#no-compression): browsers undo it as
 * the bytes come, so it is a problem only where the compressor holds events.
 */
import { withPauses } from '../../spec/pauses.ts';
import type { StreamFixture } from '../../spec/fixture.ts';
import type { Finding } from '../result.ts';
import { curlTimed } from '../repro.ts';
import type { StopReason, Transcript } from '../read-response.ts';
import type { Check, CheckContext } from './check.ts';
import { atLeast, atMost, BAND } from './tolerance.ts';

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

/**
 * How late an event of an open stream may arrive after the server sent it: within the idle window
 * (--idle), with a warn band after it — both shortened to fit the read, so that an event still
 * missing when the read ended is past the band.
 */
export function heldTolerance(pauses: readonly number[], transcript: Transcript, idleMs: number): { limit: number; warnUpTo: number } {
  const sent = pauses.reduce((sum, pause) => sum + pause, 0);
  const window = Math.max(0, transcript.durationMs - (transcript.headersAt ?? 0) - sent);
  const limit = Math.round(Math.min(idleMs, window / BAND));
  return { limit, warnUpTo: Math.round(limit * BAND) };
}

/**
 * The event that arrived latest after the server sent it: its index and how late it was, counted
 * from the response headers plus the pauses the fixture makes before it.
 */
export function latestArrival(pauses: readonly number[], transcript: Transcript): { index: number; lateness: number } {
  let sent = transcript.headersAt ?? 0;
  let latest = { index: 0, lateness: 0 };
  transcript.events.slice(0, pauses.length).forEach((event, index) => {
    sent += pauses[index]!;
    const lateness = Math.max(0, event.t - sent);
    if (lateness > latest.lateness) latest = { index, lateness };
  });
  return latest;
}

const CAUSES = 'usual causes: a buffering reverse proxy (nginx: proxy_buffering off, or X-Accel-Buffering: no), compression middleware that does not flush each event, a framework or server that buffers responses';

function heldFinding(fixture: StreamFixture, transcript: Transcript, held: { arrived: number; expected: number }, tolerance: string, repro: string): Finding {
  const last = transcript.chunks.at(-1);
  const got = held.arrived === 0 ? 'no event arrived' : `only ${held.arrived} of ${held.expected} events arrived (at ${transcript.events.map((e) => Math.round(e.t)).join(', ')} ms)`;
  const bytes = transcript.bytes === 0 ? 'not one byte of the body' : `${transcript.bytes} bytes, the last at ${Math.round(last?.t ?? 0)} ms`;
  return {
    requirement: 'server.delivery.not-held',
    status: 'fail',
    message: `the stream stayed open for ${Math.round(transcript.durationMs)} ms but ${got} — ${bytes}, later than any event may come ${tolerance}: the events are held back and will never reach a client while the stream stays open (${CAUSES})`,
    expected: fixture.expect.events.length,
    actual: transcript.events.map((e) => ({ t: e.t, data: e.data })),
    repro,
  };
}

/**
 * `server.header.no-compression`, from the timing the other delivery findings judged: compressed
 * events that arrived on time pass with a note; compressed events held back fail; where the fixture
 * has no pause and ends, the timing shows nothing and compression is not judged (SKIP).
 */
function compressionFinding(transcript: Transcript, timing: Finding[], repro: string): Finding | null {
  if (transcript.status !== 200) return null;
  const coding = transcript.encoding ?? transcript.headers['content-encoding']?.trim().toLowerCase() ?? 'identity';
  const requirement = 'server.header.no-compression';
  if (coding === 'identity' || coding === '') return { requirement, status: 'pass', message: 'not compressed' };
  if (transcript.encoding === null) return { requirement, status: 'fail', message: `Content-Encoding: ${coding}, which browsers cannot decode`, expected: 'identity, gzip, deflate or br', actual: coding, repro };
  const late = timing.filter((f) => (f.status === 'fail' || f.status === 'warn') && f.requirement !== 'server.delivery.first-byte');
  if (late.length > 0) {
    return { requirement, status: 'fail', message: `compressed (Content-Encoding: ${coding}) and the events were held back: the compressor waits for its buffer to fill — flush it after each event, or leave text/event-stream uncompressed`, expected: 'each event flushed', actual: coding, repro };
  }
  if (timing.some((f) => f.status === 'pass' && f.requirement !== 'server.delivery.first-byte')) {
    return { requirement, status: 'pass', message: `compressed (Content-Encoding: ${coding}), and every event still arrived on time: browsers decode it as it comes` };
  }
  return { requirement, status: 'skip', message: `compressed (Content-Encoding: ${coding}); this stream has no pause to show whether the compressor holds events (the fixtures with pauses judge it)` };
}

export const deliveryCheck: Check = {
  name: 'delivery',
  description: 'Headers arrive within the timeout; each event arrives when it is sent, not held back (compressed or not).',
  requirements: ['server.delivery.first-byte', 'server.delivery.not-held', 'server.delivery.no-buffering', 'server.header.no-compression'],
  needs: 'attempt',
  scope: 'fixture',
  applies: () => true,
  run(context) {
    const findings = judgeTiming(context);
    const compression = compressionFinding(context.transcript, findings, curlTimed(context.url, context.headers));
    return compression === null ? findings : [...findings, compression];
  },
};

function judgeTiming({ fixture, transcript, url, headers, limits }: CheckContext): Finding[] {
  const findings: Finding[] = [];
  // The headers are read until --timeout: the limit sits a band short of it, so a slow answer
  // warns before it fails.
  const limit = Math.round(limits.timeoutMs / BAND);
  if (transcript.headersAt === undefined) {
    const tolerance = atMost(limits.timeoutMs, limit, limits.timeoutMs, 'the band ends at --timeout').tolerance;
    findings.push({ requirement: 'server.delivery.first-byte', status: 'fail', message: `${transcript.error ?? `no response headers within ${limits.timeoutMs} ms`} ${tolerance}`, repro: curlTimed(url, headers) });
  } else {
    const judged = atMost(transcript.headersAt, limit, limits.timeoutMs, 'the band ends at --timeout');
    findings.push({ requirement: 'server.delivery.first-byte', status: judged.status, message: `headers after ${judged.text}`, expected: judged.expected, actual: judged.measured, repro: curlTimed(url, headers) });
  }
  const pauses = fixture ? pausesBeforeEvents(fixture) : [];
  const late = heldTolerance(pauses, transcript, limits.idleMs);
  const held = eventsHeldBack(fixture, transcript);
  if (held !== null) {
    findings.push(heldFinding(fixture!, transcript, held, atMost(0, late.limit, late.warnUpTo, 'the band ends with the read').tolerance, curlTimed(url, headers)));
    return findings;
  }
  if (fixture?.end === 'open' && transcript.status === 200 && fixture.expect.events.length > 0) {
    // Each event within the idle window of the time the server sent it (its pauses after the
    // headers): later, it counts as held, with a warn band first.
    const latest = latestArrival(pauses, transcript);
    const judged = atMost(latest.lateness, late.limit, late.warnUpTo);
    findings.push({
      requirement: 'server.delivery.not-held',
      status: judged.status,
      message: judged.status === 'pass'
        ? `all ${fixture.expect.events.length} event(s) arrived while the stream was open, each at most ${judged.text} after it was sent`
        : `event ${latest.index + 1} arrived ${judged.text} after it was sent, although the stream stayed open: it was held back (${CAUSES})`,
      expected: judged.expected,
      actual: judged.measured,
      repro: curlTimed(url, headers),
    });
  }
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
  const judged = atLeast(spread, paused / 2);
  findings.push({
    requirement: 'server.delivery.no-buffering',
    status: judged.status,
    message: judged.status === 'pass'
      ? `events arrived as sent (at ${events.map((e) => Math.round(e.t)).join(', ')} ms), spread over ${judged.text}`
      : `the ${pauses.length} events arrived within ${judged.text} although the server paused ${paused} ms between them: events are buffered`,
    expected: judged.expected,
    actual: events.map((e) => e.t),
    repro: curlTimed(url, headers),
  });
  return findings;
}
