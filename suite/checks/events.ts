/**
 * Events: the events parsed from the wire must equal the fixture's events exactly (§9.2.6), and
 * no field may be injected through a value. Values with LF, CRLF and lone CR, empty values, leading spaces and non-ASCII
 * must survive; an `event` or `id` with CR/LF must never inject a field.
 */
import { comparable, compareEvents } from '../../spec/compare.ts';
import type { Finding } from '../result.ts';
import { curlBody } from '../repro.ts';
import type { Check } from './check.ts';
import { eventsHeldBack } from './delivery.ts';

// server.id.no-nul is judged by the framing check: a client drops such an id silently, so the
// parsed events alone cannot tell a NUL on the wire from an id the server chose to leave out.
const OWN = ['server.event.no-newline', 'server.id.no-newline', 'server.data.split-lines', 'server.data.exact'];

export const eventsCheck: Check = {
  name: 'events',
  description: 'The events parsed from the wire equal the fixture\'s events exactly; no field is injected through event or id.',
  requirements: OWN,
  needs: 'stream',
  scope: 'fixture',
  applies: (fixture) => fixture !== null && fixture.send !== undefined,
  run({ fixture, transcript, url, headers }): Finding[] {
    const requirement = fixture!.requirements.find((id) => OWN.includes(id)) ?? 'server.data.exact';
    const expected = fixture!.expect.events;
    const lenient = new Set(fixture!.expect.lenient ?? []);
    // An application that sets no id leaves ids to the server: servers that number events for
    // their own resumption (nchan, Nest) are within the protocol. Once the application sets ids,
    // every event must carry exactly the id in force (§9.2.6 dispatch step 5).
    if (!fixture!.send!.some((item) => 'id' in item)) lenient.add('lastEventId');
    // Events an open stream held back are a delivery failure, not wrong events: one cause, one verdict.
    const held = eventsHeldBack(fixture, transcript);
    if (held !== null) return [{ requirement, status: 'skip', message: `${held.arrived} of ${held.expected} events arrived while the stream was open: judged as held-back events by delivery (server.delivery.not-held)` }];
    const actual = comparable(transcript.events);
    const repro = curlBody(url, headers);
    const fail = (message: string): Finding[] => [{ requirement, status: 'fail', message, expected, actual, repro }];

    const difference = compareEvents(expected, actual, lenient);
    if (difference !== null) return fail(difference);
    // A lenient field may hold whatever the server made of the unsafe value, but the value must
    // not have been split into fields (checked above through data, count and the other field).
    return [{ requirement, status: 'pass', message: `${expected.length} event(s) exactly as sent` }];
  },
};
