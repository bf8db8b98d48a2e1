/**
 * Where a target serves each fixture: `<base>/<id>`, or a URL template with `{id}`. And which
 * fixtures a target serves at all: the server fixtures, the messages an adapter sends through a
 * library's API.
 */
import type { LoadedFixture, StreamFixture } from '../spec/fixture.ts';

/** Server fixtures: what an adapter serves through a library's API. */
export function serverFixtures(loaded: readonly LoadedFixture[]): StreamFixture[] {
  return loaded.map((l) => l.fixture).filter((f): f is StreamFixture => f.kind === 'stream' && f.send !== undefined);
}

/** The URL of fixture `id` on a target given as a base URL or a template containing `{id}`. */
export function fixtureUrl(target: string, id: string): string {
  if (target.includes('{id}')) return target.replaceAll('{id}', encodeURIComponent(id));
  return `${target.replace(/\/+$/, '')}/${encodeURIComponent(id)}`;
}
