/**
 * The shape of a check: a small module that names the requirement ids it enforces, says which
 * fixtures it applies to, and turns transcripts into findings. Checks never throw on a bad
 * target: whatever the server did is a finding.
 */
import type { StreamFixture } from '../../spec/fixture.ts';
import type { Finding } from '../result.ts';
import type { Limits, ReadOptions, Transcript } from '../stream.ts';

export interface CheckContext {
  /** The fixture being served, or null when probing an arbitrary endpoint. */
  fixture: StreamFixture | null;
  url: string;
  /** The first connection's transcript, shared by all checks of a fixture. */
  transcript: Transcript;
  /** Request headers the user asked for (--header), sent on every request. */
  headers: Record<string, string>;
  limits: Limits;
  /** Opens another connection to the same URL. */
  read(options: Partial<Omit<ReadOptions, 'url' | 'limits'>>): Promise<Transcript>;
  /** Waits where the protocol demands it (a retry delay); the time is reported as mandated. */
  wait(ms: number): Promise<void>;
  /** Keep-alive expectation: the longest tolerated idle gap. */
  heartbeatMs: number;
}

export interface Check {
  name: string;
  description: string;
  requirements: readonly string[];
  applies(fixture: StreamFixture | null): boolean;
  run(context: CheckContext): Promise<Finding[]> | Finding[];
}
