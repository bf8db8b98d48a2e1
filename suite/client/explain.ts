/**
 * A fixture's `divergences` explain a client's disagreement when one names that client, as the
 * service's divergence pattern matches it. An explained disagreement is reported as a warning
 * (a known divergence); an informational fixture never fails.
 */
import type { Divergence, Fixture } from '../../spec/fixture.ts';
import type { Result } from '../result.ts';

/** A pattern for the implementation names of divergences, from a plain name or a /regex/. */
export function divergencePattern(text: string | null | undefined): RegExp | null {
  if (!text) return null;
  const regex = /^\/(.+)\/([a-z]*)$/.exec(text);
  if (regex) return new RegExp(regex[1]!, regex[2]!.includes('i') ? regex[2] : `${regex[2]}i`);
  return new RegExp(`(^|[^\\w-])${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w-])`, 'i');
}

export function namingDivergences(fixture: Fixture, pattern: RegExp | null): Divergence[] {
  return pattern ? (fixture.divergences ?? []).filter((d) => pattern.test(d.implementation)) : [];
}

/** Turns a failure into a warning where a divergence names the client or the fixture is informational. */
export function explain(result: Result, fixture: Fixture, pattern: RegExp | null): Result {
  if (result.outcome !== 'fail' && result.outcome !== 'warn') return result;
  const named = namingDivergences(fixture, pattern)[0];
  if (named) return { ...result, outcome: 'warn', message: `known divergence (${named.implementation}: ${named.behaviour}): ${result.message}` };
  if (fixture.informational) return { ...result, outcome: 'warn', message: `informational fixture: ${result.message}` };
  return result;
}

/** Whether a result is a disagreement that a divergence explains. */
export function isExplained(result: Result): boolean {
  return result.outcome === 'warn' && result.message.startsWith('known divergence (');
}
