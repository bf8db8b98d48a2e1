/**
 * Headers before the first event (spec/INTEROP.md#headers-before-event): a server or proxy that
 * writes the response head only with the first body write leaves the client without `open`
 * (§9.2.2 step 15) until its first event. Time to headers is measured apart from time to the first
 * event, on a fixture whose first event the server delays; a lower bound only.
 */
import type { StreamFixture } from '../../spec/fixture.ts';
import type { Finding } from '../result.ts';
import { curlTimed } from '../repro.ts';
import type { Check } from './check.ts';
import { pausesBeforeEvents } from './delivery.ts';
import { atLeast } from './tolerance.ts';

const REQUIREMENT = 'server.delivery.headers-before-event';
/** A first event delayed less than this cannot show headers arriving before it. */
const MIN_DELAY_MS = 100;
/** Probe mode: headers later than this, arriving with the first bytes, look held. */
const SLOW_HEADERS_MS = 1000;

const firstDelay = (fixture: StreamFixture) => pausesBeforeEvents(fixture)[0] ?? 0;

export const earlyHeadersCheck: Check = {
  name: 'early-headers',
  description: 'The response headers are sent at once, not held until the first event is written.',
  requirements: [REQUIREMENT],
  needs: 'stream',
  scope: 'fixture',
  applies: (fixture) => fixture === null || firstDelay(fixture) >= MIN_DELAY_MS,
  run({ fixture, transcript, url, headers }): Finding[] {
    const headersAt = transcript.headersAt ?? 0;
    const first = fixture === null ? transcript.chunks[0]?.t : transcript.events[0]?.t;
    if (first === undefined) {
      return [{ requirement: REQUIREMENT, status: 'skip', message: `no ${fixture === null ? 'byte' : 'event'} arrived in ${Math.round(transcript.durationMs)} ms of reading, so nothing shows whether the headers waited for it` }];
    }
    const lead = first - headersAt;
    const repro = curlTimed(url, headers);
    if (fixture === null) {
      // The endpoint's schedule is unknown: only late headers that came with the first bytes say something.
      if (lead >= MIN_DELAY_MS) return [{ requirement: REQUIREMENT, status: 'pass', message: `headers after ${Math.round(headersAt)} ms, the first bytes ${Math.round(lead)} ms later: the headers were not held for them` }];
      if (headersAt >= SLOW_HEADERS_MS) {
        return [{ requirement: REQUIREMENT, status: 'info', message: `the headers came only after ${Math.round(headersAt)} ms, together with the first bytes (${Math.round(lead)} ms later): the server or a proxy may hold its headers until its first event, and EventSource fires "open" only then` }];
      }
      return [{ requirement: REQUIREMENT, status: 'skip', message: `the first bytes came with the headers, after ${Math.round(headersAt)} ms, so nothing shows whether the headers wait for an event` }];
    }
    // The server sends its first event `delay` ms after the request: the headers at once, so they
    // lead the event by about that much. Half of it is the limit (a loaded machine may delay them).
    const delay = firstDelay(fixture);
    const judged = atLeast(lead, delay / 2);
    return [{
      requirement: REQUIREMENT,
      status: judged.status,
      message: judged.status === 'pass'
        ? `headers after ${Math.round(headersAt)} ms, the first event ahead of them by ${judged.text}`
        : `the headers came after ${Math.round(headersAt)} ms, only ${judged.text} before the first event, which the server sends ${delay} ms after the request: the headers are held until the first write (flush them at once: Node res.flushHeaders(), a servlet's flushBuffer(); EventSource fires "open" only when they arrive)`,
      expected: judged.expected,
      actual: { headersAt: Math.round(headersAt), firstEventAt: Math.round(first) },
      repro,
    }];
  },
};
