/**
 * The fixture corpus as the reference server's tests walk it, and the one assertion they share on
 * response headers.
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startReferenceServer, type ReferenceServer } from '../../reference-server/server.ts';
import type { ScenarioFixture, StreamFixture } from '../../spec/fixture.ts';
import { loadFixtures } from '../../spec/loader.ts';
import { DEFAULT_HEADERS, type ResolvedResponse } from '../../spec/response.ts';
import type { RawResponse } from './http.ts';

export const fixtures = loadFixtures().map(({ fixture }) => fixture);
export const streams = fixtures.filter((f): f is StreamFixture => f.kind === 'stream');
export const scenarios = fixtures.filter((f): f is ScenarioFixture => f.kind === 'scenario');
export const byId = new Map(fixtures.map((f) => [f.id, f]));
export const streamFixture = (id: string) => byId.get(id) as StreamFixture;
export const scenarioFixture = (id: string) => byId.get(id) as ScenarioFixture;

/** The fixture's headers are sent once each, as given; a default it removed (null) is absent. */
export function assertResponseHeaders(res: RawResponse, resolved: ResolvedResponse, label: string, except: string[] = []): void {
  const all = (name: string): string[] => {
    const out: string[] = [];
    for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) if (res.rawHeaders[i]!.toLowerCase() === name) out.push(res.rawHeaders[i + 1]!);
    return out;
  };
  for (const [name, value] of resolved.headers) {
    if (!except.includes(name)) assert.deepEqual(all(name), [value], `${label}: header ${name}`);
  }
  for (const name of Object.keys(DEFAULT_HEADERS)) {
    if (!resolved.headers.some(([n]) => n === name)) assert.deepEqual(all(name), [], `${label}: header ${name} must be absent`);
  }
}


/**
 * One reference server for a test file: started before its tests, closed after them. Returns its
 * base URL's reader (the server exists only once the tests run).
 */
export function sharedReferenceServer(): () => ReferenceServer {
  let server: ReferenceServer | undefined;
  before(async () => {
    server = await startReferenceServer();
  });
  after(() => server?.close());
  return () => server!;
}
