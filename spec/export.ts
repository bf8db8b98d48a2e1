/**
 * The corpus as one language-neutral JSON document (`sse-conformance fixtures --json`), so that an
 * adapter in any language can serve the fixtures byte for byte without a YAML parser. The shape is
 * documented in spec/FIXTURES.md ("The JSON export").
 */
import type { Fixture, LoadedFixture } from './fixture.ts';
import { getRequirement, requirementUrl } from './requirements.ts';
import { resolveConnection, resolveStream, type ResolvedResponse } from './response.ts';

export const EXPORT_VERSION = 1;

function base64(chunk: Uint8Array): string {
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).toString('base64');
}

function wireOf(resolved: ResolvedResponse) {
  return {
    response: { status: resolved.status, headers: resolved.headers, ...(resolved.headDelayMs > 0 ? { headDelayMs: resolved.headDelayMs } : {}) },
    chunks: resolved.wire.chunks.map(base64),
    delaysMs: resolved.wire.delays,
    end: resolved.end,
  };
}

export function exportFixture(fixture: Fixture): Record<string, unknown> {
  const common = {
    id: fixture.id,
    title: fixture.title,
    category: fixture.category,
    kind: fixture.kind,
    requirements: fixture.requirements,
    specUrls: [...new Set(fixture.requirements.map((id) => requirementUrl(getRequirement(id)!)))],
    explanation: fixture.explanation,
    source: fixture.source,
    ...(fixture.informational ? { informational: true } : {}),
    ...(fixture.divergences ? { divergences: fixture.divergences } : {}),
  };
  if (fixture.kind === 'stream') {
    return {
      ...common,
      ...wireOf(resolveStream(fixture)),
      ...(fixture.send ? { send: fixture.send } : {}),
      ...(fixture.resume ? { resume: fixture.resume } : {}),
      expect: fixture.expect,
    };
  }
  return {
    ...common,
    connections: fixture.connections.map((connection) => ({
      request: connection.request ?? {},
      ...wireOf(resolveConnection(connection)),
      events: connection.events ?? [],
    })),
    ...(fixture.client ? { client: fixture.client } : {}),
    expect: fixture.expect,
  };
}

export function exportCorpus(loaded: readonly LoadedFixture[]): { version: number; fixtures: Record<string, unknown>[] } {
  return { version: EXPORT_VERSION, fixtures: loaded.map(({ fixture }) => exportFixture(fixture)) };
}
