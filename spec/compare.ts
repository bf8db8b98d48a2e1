/**
 * Expected against actual events: the one comparison used wherever dispatched events are judged
 * (a server's stream parsed by the interpreter, or what a client reported). Compares type, data
 * and last event id in dispatch order (§9.2.6 "dispatch the event").
 */
import type { SseEvent } from './interpreter.ts';

/** Fields a fixture may leave to the implementation (`expect.lenient`). */
export type LenientField = 'type' | 'lastEventId';

/** One event, shown the same way in every message. */
export function describeEvent(event: Pick<SseEvent, 'type' | 'data' | 'lastEventId'> | undefined): string {
  if (!event) return 'nothing';
  return `{type: ${JSON.stringify(event.type)}, data: ${JSON.stringify(event.data)}, id: ${JSON.stringify(event.lastEventId)}}`;
}

export type Comparable = Pick<SseEvent, 'type' | 'data' | 'lastEventId'>;

/** Events reduced to what is compared (no arrival times), for messages and reports. */
export function comparable(events: readonly Comparable[]): Comparable[] {
  return events.map(({ type, data, lastEventId }) => ({ type, data, lastEventId }));
}

/** The first difference between the expected and the actual events, in words, or null when they agree. */
export function compareEvents(expected: readonly Comparable[], actual: readonly Comparable[], lenient: Iterable<LenientField> = []): string | null {
  const loose = new Set(lenient);
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    const want = expected[i];
    const got = actual[i];
    if (!want) return `event ${i + 1} should not exist: ${describeEvent(got)} (${actual.length} events instead of ${expected.length})`;
    if (!got) return `event ${i + 1} is missing: expected ${describeEvent(want)}, got ${actual.length} of ${expected.length} events`;
    if (got.data !== want.data) return `event ${i + 1}: data ${JSON.stringify(got.data)} instead of ${JSON.stringify(want.data)}`;
    if (got.type !== want.type && !loose.has('type')) return `event ${i + 1}: type ${JSON.stringify(got.type)} instead of ${JSON.stringify(want.type)}`;
    if (got.lastEventId !== want.lastEventId && !loose.has('lastEventId')) {
      return `event ${i + 1}: last event id ${JSON.stringify(got.lastEventId)} instead of ${JSON.stringify(want.lastEventId)}`;
    }
  }
  return null;
}
