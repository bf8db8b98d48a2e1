/**
 * The shape of a check: a small module that names the requirement ids it enforces, declares what
 * it needs to have something to judge and how often it runs, and turns transcripts into findings.
 * The runner reads only this contract — it knows no check by name — so adding a check touches one
 * file (and the list in index.ts). Checks never throw on a bad target: whatever the server did is a
 * finding.
 */
import type { StreamFixture } from '../../spec/fixture.ts';
import type { Finding } from '../result.ts';
import type { Limits, ReadOptions, Transcript } from '../read-response.ts';
import type { TlsTrust } from '../transport.ts';

/**
 * What a check needs from the first connection before it has anything to judge. Where the need is
 * not met, the runner reports the check as SKIP with the reason; the check itself never runs.
 * - `attempt`: nothing — the check judges the attempt itself (why there was no response).
 * - `response`: an HTTP response of any status.
 * - `stream`: an event stream to read: status 200 and a body.
 */
export type Need = 'attempt' | 'response' | 'stream';

/**
 * How often a check runs:
 * - `fixture`: once for every fixture it applies to (or once on the probed endpoint);
 * - `target`: once per target — a property of the server, not of any fixture. It runs on the first
 *   fixture it applies to, and its results carry no fixture.
 */
export type Scope = 'fixture' | 'target';

/** Run-wide settings a check's contract may depend on. */
export interface RunSettings {
  /** Keep-alive expectation: the longest tolerated idle gap. */
  heartbeatMs: number;
  /** The idle timeout of common load balancers: a silence this long gets a stream cut (--idle-cut). */
  idleCutMs: number;
  /** The origin of the page that reads the stream cross-origin (--origin); unset: no CORS to judge. */
  origin?: string;
  /** Whether that page asks with credentials, as `withCredentials` does (--credentials). */
  credentials?: boolean;
  /** How many connections the churn check aborts before it measures again (--aborts). */
  aborts?: number;
}

export interface CheckContext extends RunSettings {
  /** The fixture being served, or null when probing an arbitrary endpoint. */
  fixture: StreamFixture | null;
  url: string;
  /** The first connection's transcript, shared by all checks of a fixture. */
  transcript: Transcript;
  /** Request headers the user asked for (--header), sent on every request. */
  headers: Record<string, string>;
  limits: Limits;
  /** What the run trusts over TLS (--insecure, --ca), for connections a check makes itself. */
  tls?: TlsTrust;
  /** Opens another connection to the same URL. */
  read(options: Partial<Omit<ReadOptions, 'url' | 'limits'>>): Promise<Transcript>;
  /** Waits where the protocol demands it (a retry delay); the time is reported as mandated. */
  wait(ms: number): Promise<void>;
}

export interface Check {
  name: string;
  description: string;
  requirements: readonly string[];
  needs: Need;
  scope: Scope;
  /**
   * Where set, the first connection is held open (and read while idle) for this long instead of
   * stopping once the fixture's events arrived — for checks that measure an open stream.
   */
  holdMs?(settings: RunSettings): number;
  /** The fixtures it judges; `null` is an arbitrary endpoint (probe mode). */
  applies(fixture: StreamFixture | null): boolean;
  run(context: CheckContext): Promise<Finding[]> | Finding[];
}

/**
 * Why a check's need is not met by the first connection's transcript, or null when it is. The one
 * place that words "nothing to judge".
 */
export function unmetNeed(need: Need, transcript: Transcript): string | null {
  if (need === 'attempt') return null;
  if (transcript.status === undefined) return `no response to judge (${transcript.error ?? transcript.stop})`;
  if (need === 'stream' && transcript.status !== 200) return `no event stream to read (status ${transcript.status})`;
  return null;
}
