/**
 * Fixtures interleave what to send with `{ delay: ms }` pauses (spec/FIXTURES.md). The one rule
 * for reading them: a pause belongs to the next thing sent, consecutive pauses add up, and a pause
 * with nothing after it is not taken.
 */

export interface Delay {
  delay: number;
}

export function isDelay<T>(item: T | Delay): item is Delay {
  return typeof item === 'object' && item !== null && 'delay' in item;
}

/** Each item that is not a pause, with the milliseconds to wait before sending it. */
export function withPauses<T>(items: readonly (T | Delay)[]): Array<{ pauseMs: number; item: T }> {
  const out: Array<{ pauseMs: number; item: T }> = [];
  let pending = 0;
  for (const item of items) {
    if (isDelay(item)) pending += item.delay;
    else {
      out.push({ pauseMs: pending, item });
      pending = 0;
    }
  }
  return out;
}
