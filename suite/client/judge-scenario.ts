/**
 * Judging a scenario fixture through a test service. What the stream server saw is judged for
 * every service: (1) the number of requests, (2) each request's Last-Event-ID (the same UTF-8
 * bytes, or none) and headers, (3) the wait before each reconnection, at least `minDelayMs` after
 * the previous response ended (a lower bound only, §9.2.3 reestablish step 2). What the client
 * reported is judged as far as its capabilities let it report: (4) the events of each connection
 * that opens (all together without `open-events`), (5) `expect.log` with `open-events` and
 * `ready-state` (messages only otherwise).
 */
import { compareEvents } from '../../spec/compare.ts';
import type { SseEvent } from '../../spec/interpreter.ts';
import type { RecordedRequest } from '../../reference-server/sessions.ts';
import { opens, type ScenarioCase } from './cases.ts';
import type { Observation, Until } from './observe.ts';
import type { Callback } from './protocol.ts';
import { reportedEvents } from './judge-stream.ts';

/** Clock granularity allowance for minDelayMs. */
export const GAP_TOLERANCE_MS = 5;

export interface Reporting {
  open: boolean;
  readyState: boolean;
}

/** A log token as `expect.log` writes it, or null for what the log does not show. */
function token(c: Callback, reporting: Reporting): string | null {
  if (c.kind === 'event') return `message(${c.type},${c.data},${c.id})`;
  if (c.kind === 'open' && reporting.open) return 'open';
  if (c.kind === 'error' && reporting.readyState && c.readyState !== null) return `error(${c.readyState})`;
  return null;
}

/** The part of `expect.log` a service with these capabilities can report. */
function reportableLog(log: readonly string[], reporting: Reporting): string[] {
  return log.filter((t) => t.startsWith('message(') || (t === 'open' && reporting.open) || (t.startsWith('error(') && reporting.readyState && reporting.open));
}

export function observedLog(callbacks: readonly Callback[], reporting: Reporting): string[] {
  const full = reporting.open && reporting.readyState;
  return callbacks.map((c) => token(c, reporting)).filter((t): t is string => t !== null && (full || !t.startsWith('error(')));
}

export function scenarioUntil(c: ScenarioCase, reporting: Reporting): Until {
  const messages = c.fixture.connections.reduce((sum, conn) => sum + (opens(conn) ? (conn.events?.length ?? 0) : 0), 0);
  const log = c.fixture.expect.log ? reportableLog(c.fixture.expect.log, reporting) : null;
  return ({ callbacks, requests, quietMs }) => {
    if (requests.length < c.requests.count) return false;
    const enough = log ? observedLog(callbacks, reporting).length >= log.length : reportedEvents(callbacks).length >= messages;
    return enough && quietMs >= c.settleMs;
  };
}

function header(headers: RecordedRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex');

/** A log for display, with runs of one token folded ("error(0) ×21"). */
export function compactLog(log: readonly string[]): string {
  const out: string[] = [];
  for (let i = 0; i < log.length; ) {
    let j = i;
    while (j < log.length && log[j] === log[i]) j++;
    out.push(j - i > 2 ? `${log[i]} ×${j - i}` : log.slice(i, j).join(', '));
    i = j;
  }
  return out.join(', ');
}

/** Every way the observation differs from the fixture (empty: it agrees). */
export function scenarioProblems(c: ScenarioCase, observed: Observation, reporting: Reporting): string[] {
  const problems = observed.problems.map((p) => `service: ${p}`);
  if (observed.ending === 'not created') return problems;
  const { fixture } = c;
  const { requests } = observed;

  // 1. The number of requests.
  if (c.requests.exact ? requests.length !== c.requests.count : requests.length < c.requests.count) {
    problems.push(`requests: ${requests.length} made, ${c.requests.exact ? 'exactly' : 'at least'} ${c.requests.count} expected`);
  }
  // 2 and 3. Each scripted request.
  fixture.connections.forEach((connection, i) => {
    const request = requests[i];
    const want = connection.request;
    if (!request || !want) return;
    const label = `request ${i + 1}`;
    const raw = header(request.headers, 'last-event-id');
    // node:http hands header values over as latin1 strings: these are the bytes that were sent.
    const sent = raw === undefined ? null : Buffer.from(raw, 'latin1');
    if (want.lastEventId === null && sent !== null) problems.push(`${label}: Last-Event-ID ${JSON.stringify(sent.toString('utf8'))} sent, none expected`);
    else if (typeof want.lastEventId === 'string') {
      if (sent === null) problems.push(`${label}: no Last-Event-ID, expected ${JSON.stringify(want.lastEventId)}`);
      else if (sent.toString('hex') !== hex(want.lastEventId)) {
        problems.push(`${label}: Last-Event-ID ${JSON.stringify(sent.toString('utf8'))} (bytes ${sent.toString('hex')}) instead of ${JSON.stringify(want.lastEventId)} (bytes ${hex(want.lastEventId)})`);
      }
    }
    for (const [name, value] of Object.entries(want.headers ?? {})) {
      const got = header(request.headers, name.toLowerCase());
      if (got !== value) problems.push(`${label}: ${name} ${got === undefined ? 'missing' : JSON.stringify(got)}, expected ${JSON.stringify(value)}`);
    }
    const previousEnd = i > 0 ? requests[i - 1]!.endedAt : null;
    if (want.minDelayMs !== undefined && previousEnd !== null) {
      const gap = Math.round((request.at - previousEnd) * 10) / 10;
      if (gap < want.minDelayMs - GAP_TOLERANCE_MS) problems.push(`${label}: came ${gap} ms after response ${i} ended, expected ≥ ${want.minDelayMs} ms`);
    }
  });

  // 4. Events: per connection that opens (with open-events), or all together.
  const opening = fixture.connections.map((conn, i) => ({ conn, i })).filter(({ conn }) => opens(conn));
  if (reporting.open) {
    const segments: SseEvent[][] = [];
    let before = 0;
    for (const cb of observed.callbacks) {
      if (cb.kind === 'open') segments.push([]);
      else if (cb.kind === 'event') {
        const segment = segments.at(-1);
        if (segment) segment.push({ type: cb.type, data: cb.data, lastEventId: cb.id });
        else before++;
      }
    }
    if (before > 0) problems.push(`${before} event(s) reported before any open`);
    for (let k = 0; k < Math.max(segments.length, opening.length); k++) {
      const difference = compareEvents(opening[k]?.conn.events ?? [], segments[k] ?? []);
      if (difference !== null) problems.push(`${opening[k] ? `connection ${opening[k]!.i + 1}` : `unexpected open #${k + 1}`}: ${difference}`);
    }
  } else {
    const difference = compareEvents(opening.flatMap(({ conn }) => conn.events ?? []), reportedEvents(observed.callbacks));
    if (difference !== null) problems.push(`events: ${difference}`);
  }

  // 5. The log, as far as the service reports it.
  if (fixture.expect.log) {
    const want = reportableLog(fixture.expect.log, reporting);
    const got = observedLog(observed.callbacks, reporting);
    const at = Array.from({ length: Math.max(want.length, got.length) }, (_, i) => i).find((i) => want[i] !== got[i]);
    if (at !== undefined) problems.push(`log entry ${at + 1}: ${got[at] ?? '(none)'} instead of ${want[at] ?? '(none)'} — reported [${compactLog(got)}]`);
  }
  if (observed.ending === 'timeout' && problems.length === 0) problems.push('timed out before everything expected was observed');
  return problems;
}

/** What was not judged for lack of a capability, in words (empty when everything was). */
export function unjudged(c: ScenarioCase, reporting: Reporting): string {
  if (!c.fixture.expect.log) return '';
  const missing = [!reporting.open && 'open-events', !reporting.readyState && 'ready-state'].filter(Boolean);
  return missing.length > 0 ? ` (open/error entries of the log not judged: needs ${missing.join(' and ')})` : '';
}
