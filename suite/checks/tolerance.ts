/**
 * The one judge of timing measurements. Every timing judgement has a limit and, past it, a warn
 * band before it fails; the message states the measurement with both, worded the same way
 * everywhere: "16200 ms (limit 15000 ms, warn band up to 18750 ms)". Delays are judged with lower
 * bounds only (a gap the server creates must be at least so long), so a slow machine never fails
 * a check: it can only make upper-bound measurements (silences, header times) look worse.
 */
import type { Status } from '../result.ts';

/** The default width of a warn band: a quarter past the limit (or a fifth short of it). */
export const BAND = 1.25;

export interface Judged {
  status: Extract<Status, 'pass' | 'warn' | 'fail'>;
  /** The measurement, rounded to whole milliseconds. */
  measured: number;
  /** "(limit 15000 ms, warn band up to 18750 ms)" — the tolerance, for any message. */
  tolerance: string;
  /** "16200 ms (limit 15000 ms, warn band up to 18750 ms)". */
  text: string;
  /** The bound as plain data, for a result's `expected`. */
  expected: string;
}

const ms = (value: number) => `${Math.round(value)} ms`;

function judged(status: Judged['status'], measured: number, tolerance: string, expected: string): Judged {
  return { status, measured: Math.round(measured), tolerance, text: `${ms(measured)} ${tolerance}`, expected };
}

/**
 * An upper bound (a silence, a wait for headers): pass up to `limit`, warn up to `warnUpTo`,
 * fail beyond. `warnUpTo` defaults to `limit × BAND`; `bandNote` names where the band ends
 * when a setting decides it ("--timeout").
 */
export function atMost(measured: number, limit: number, warnUpTo = limit * BAND, bandNote = ''): Judged {
  const status = measured <= limit ? 'pass' : measured <= warnUpTo ? 'warn' : 'fail';
  const note = bandNote ? `, ${bandNote}` : '';
  return judged(status, measured, `(limit ${ms(limit)}, warn band up to ${ms(warnUpTo)}${note})`, `≤ ${ms(limit)} (warn up to ${ms(warnUpTo)})`);
}

/**
 * A lower bound (a spread the server's pauses create): pass from `limit` up, warn down to
 * `warnDownTo` (default `limit / BAND`), fail below.
 */
export function atLeast(measured: number, limit: number, warnDownTo = limit / BAND): Judged {
  const status = measured >= limit ? 'pass' : measured >= warnDownTo ? 'warn' : 'fail';
  return judged(status, measured, `(at least ${ms(limit)}, warn band down to ${ms(warnDownTo)})`, `≥ ${ms(limit)} (warn down to ${ms(warnDownTo)})`);
}
