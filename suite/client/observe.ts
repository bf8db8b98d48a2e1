/**
 * One client through a test service: create it with a fresh session on the stream server, tell it
 * which event types to listen for (where it needs that), release the stream, watch the callbacks
 * and the requests until the case is complete or its deadline passes, then delete the client.
 * Every step is bounded; whatever goes wrong is recorded as a problem and the run goes on.
 */
import { randomUUID } from 'node:crypto';
import type { ReferenceServer } from '../../reference-server/server.ts';
import type { RecordedRequest } from '../../reference-server/sessions.ts';
import { chunkingParam, type Chunking } from '../../reference-server/chunking.ts';
import type { CallbackServer } from './callbacks.ts';
import type { Callback, ServiceInfo } from './protocol.ts';
import { command, create, remove } from './service.ts';

export interface Environment {
  serviceUrl: string;
  info: ServiceInfo;
  stream: ReferenceServer;
  callbacks: CallbackServer;
  /** Releases a session's first response: the stream server awaits `gates.get(token)`. */
  gates: Map<string, Promise<void>>;
  /** Deadline of each call to the service. */
  callTimeoutMs: number;
  /** What `initialDelayMs` says. */
  initialDelayMs: number | null;
  /** DELETE failures, for the service's own result. */
  lifecycle: string[];
}

/** When a client run is complete: looked at every few milliseconds with what has been seen so far. */
export type Until = (seen: { callbacks: Callback[]; requests: RecordedRequest[]; quietMs: number; now: number }) => boolean;

export interface Observation {
  callbacks: Callback[];
  requests: RecordedRequest[];
  /** Protocol problems: the service broke the rules (no answer, bad callbacks, …). */
  problems: string[];
  /** 'complete', 'timeout', or 'not created'. */
  ending: 'complete' | 'timeout' | 'not created';
  elapsedMs: number;
}

const POLL_MS = 10;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();

export interface ClientSpec {
  fixtureId: string;
  chunking: Chunking | null;
  types: string[];
  timeoutMs: number;
  until: Until;
}

export async function observe(env: Environment, spec: ClientSpec): Promise<Observation> {
  const started = now();
  const token = `${spec.fixtureId.slice(0, 60)}.${randomUUID().slice(0, 12)}`;
  const query = new URLSearchParams({ session: token });
  if (spec.chunking && spec.chunking.kind !== 'fixture') query.set('chunks', chunkingParam(spec.chunking));
  let release!: () => void;
  env.gates.set(token, new Promise<void>((resolve) => (release = resolve)));
  const inbox = env.callbacks.open(token);
  const problems: string[] = [];
  let ending: Observation['ending'] = 'timeout';
  let resource: string | null = null;
  try {
    const created = await create(
      env.serviceUrl,
      { streamUrl: `${env.stream.url}/${spec.fixtureId}?${query}`, callbackUrl: `${env.callbacks.url}/${token}`, tag: `${spec.fixtureId}${spec.chunking ? ` ${chunkingParam(spec.chunking)}` : ''}`, initialDelayMs: env.initialDelayMs },
      env.callTimeoutMs,
    );
    if ('problem' in created) {
      problems.push(created.problem);
      ending = 'not created';
    } else {
      resource = created.resource;
      if (env.info.capabilities.includes('event-type-listeners')) {
        for (const type of spec.types) {
          const refused = await command(resource, { command: 'listen', listen: { type } }, env.callTimeoutMs);
          if (refused) problems.push(`listen ${JSON.stringify(type)}: ${refused}`);
        }
      }
      release();
      const deadline = started + spec.timeoutMs;
      while (now() < deadline) {
        const t = now();
        const requests = env.stream.sessions.get(token) ?? [];
        const quietMs = t - Math.max(inbox.lastAt ?? 0, ...requests.map((r) => Math.max(r.at, r.endedAt ?? r.at)));
        if (inbox.flooded || spec.until({ callbacks: inbox.ordered(), requests, quietMs, now: t })) {
          ending = 'complete';
          break;
        }
        await sleep(POLL_MS);
      }
    }
  } finally {
    release();
    env.gates.delete(token);
  }
  if (resource) {
    const refused = await remove(resource, env.callTimeoutMs);
    if (refused) env.lifecycle.push(refused);
  }
  env.callbacks.close(token);
  const stranded = inbox.stranded();
  if (stranded.length > 0) problems.push(`callback ${inbox.ordered().length + 1} never arrived, but ${stranded.slice(0, 3).join(', ')}${stranded.length > 3 ? ', …' : ''} did`);
  problems.push(...inbox.problems);
  return { callbacks: inbox.ordered(), requests: [...(env.stream.sessions.get(token) ?? [])], problems, ending, elapsedMs: Math.round(now() - started) };
}
