/**
 * Resumption (§9.2.4): a client reconnects with Last-Event-ID set to the last id it received; a
 * server that resumes continues with exactly the next event — no gap, no duplicate, no replay
 * from the start. Tried twice: dropping between events, and dropping in the middle of one. An id
 * the server cannot know gets what the fixture declares.
 */
import { comparable, compareEvents } from '../../spec/compare.ts';
import { createInterpreter, type SseEvent } from '../../spec/interpreter.ts';
import { passIf, type Finding } from '../result.ts';
import { curlBody } from '../repro.ts';
import type { Transcript } from '../read-response.ts';
import type { Check, CheckContext } from './check.ts';

function compare(after: Transcript, expected: SseEvent[], lastId: string): string | null {
  if (after.status !== 200) return `the reconnect got ${after.status === undefined ? after.error : `status ${after.status}`}`;
  const got = comparable(after.events);
  const first = got[0];
  const want = expected[0];
  if (want && !first) return `after Last-Event-ID ${JSON.stringify(lastId)} no event came; expected ${JSON.stringify(want.data)}`;
  if (!want && first) return `after the last id ${JSON.stringify(lastId)} the server still sent ${JSON.stringify(first.data)}`;
  if (want && first && first.lastEventId !== want.lastEventId) {
    const replay = got.some((e) => e.lastEventId === lastId);
    const why = replay ? 'events already received came again (replay instead of resume)' : 'events were skipped';
    return `after Last-Event-ID ${JSON.stringify(lastId)} the next event has id ${JSON.stringify(first.lastEventId)} instead of ${JSON.stringify(want.lastEventId)}: ${why}`;
  }
  const difference = compareEvents(expected, got);
  return difference === null ? null : `after Last-Event-ID ${JSON.stringify(lastId)} the events differ from the rest of the stream: ${difference}`;
}

async function dropAndResume(context: CheckContext, how: 'between' | 'mid-event'): Promise<Finding> {
  const events = context.fixture!.expect.events;
  const requirement = 'server.resume.after-last-event-id';
  const k = how === 'between' ? 2 : 1;
  // Where to cut the byte stream, found with the interpreter on the first connection's bytes:
  // right after event k, or halfway through the bytes of event k+1, as a broken network would.
  const wire = Buffer.concat(context.transcript.chunks.map((c) => c.bytes));
  const afterK = offsetAfterEvents(wire, k);
  const afterNext = offsetAfterEvents(wire, k + 1);
  if (afterK === undefined || afterNext === undefined) return { requirement, status: 'skip', message: `needs at least ${k + 1} events in one response`, key: how };
  const cut = how === 'between' ? afterK : afterK + Math.max(1, Math.floor((afterNext - afterK) / 2));
  const first = await context.read({ stopAfterBytes: cut });
  const lastId = first.lastEventId;
  const seen = first.events.length;
  if (seen === 0 || lastId === '') return { requirement, status: 'fail', message: `the stream carried no id in its first ${seen} event(s), so a client cannot resume`, transcript: first, key: how };
  const expected = events.slice(seen);
  const after = await context.read({ lastEventId: lastId, expectEvents: expected.length });
  const problem = compare(after, expected, lastId);
  const headers = { ...context.headers, 'last-event-id': lastId };
  return problem
    ? { requirement, status: 'fail', message: `${how === 'between' ? 'dropped after' : 'dropped in the middle of the event after'} event ${seen}: ${problem}`, expected, actual: comparable(after.events), transcript: after, repro: curlBody(context.url, headers), key: how }
    : { requirement, status: 'pass', message: `dropped ${how === 'between' ? 'after' : 'inside the event after'} event ${seen}, resumed with exactly the next ${expected.length}`, key: how };
}

/** The length of the shortest prefix of `wire` after which `count` events have been dispatched. */
function offsetAfterEvents(wire: Uint8Array, count: number): number | undefined {
  let dispatched = 0;
  const interpreter = createInterpreter({ onEvent: () => dispatched++ });
  for (let i = 0; i < wire.length; i++) {
    interpreter.feed(wire.subarray(i, i + 1));
    if (dispatched >= count) return i + 1;
  }
  return undefined;
}

export const resumeCheck: Check = {
  name: 'resume',
  description: 'A reconnect with Last-Event-ID continues with exactly the next event; an unknown id is handled as the fixture says.',
  requirements: ['server.resume.after-last-event-id', 'server.resume.unknown-id'],
  needs: 'stream',
  scope: 'fixture',
  applies: (fixture) => fixture !== null && fixture.resume !== undefined,
  async run(context) {
    const { fixture } = context;
    const findings = [await dropAndResume(context, 'between'), await dropAndResume(context, 'mid-event')];
    const unknown = `sse-conformance-unknown-${Math.random().toString(36).slice(2, 10)}`;
    const expected = fixture!.resume!.unknownId === 'replay' ? fixture!.expect.events : [];
    const after = await context.read({ lastEventId: unknown, expectEvents: expected.length });
    const got = comparable(after.events);
    const ok = after.status === 200 && compareEvents(expected, got) === null;
    const declared = fixture!.resume!.unknownId === 'replay' ? 'replay the whole stream' : 'send no event';
    findings.push({
      requirement: 'server.resume.unknown-id',
      status: passIf(ok),
      message: ok ? `unknown Last-Event-ID: ${declared}, as declared` : `unknown Last-Event-ID ${JSON.stringify(unknown)}: the fixture declares "${declared}", the server sent ${after.status === 200 ? `${got.length} event(s)` : (after.error ?? `status ${after.status}`)}`,
      expected,
      actual: got,
      transcript: after,
      repro: curlBody(context.url, { ...context.headers, 'last-event-id': unknown }),
    });
    return findings;
  },
};
