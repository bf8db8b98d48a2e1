/**
 * Keep-alive (§9.2.7): an idle stream sends a comment line every ~15 seconds so that proxies do
 * not drop it. Measured as the longest gap between received bytes while the stream is held open.
 */
import type { Finding } from '../result.ts';
import type { Transcript } from '../read-response.ts';
import { curlTimed } from '../repro.ts';
import type { Check, RunSettings } from './check.ts';
import { atMost } from './tolerance.ts';

export function longestGap(times: readonly number[], start: number, end: number): number {
  let last = start;
  let longest = 0;
  for (const t of times) {
    longest = Math.max(longest, t - last);
    last = t;
  }
  return Math.max(longest, end - last);
}

/**
 * The longest silence of a stream read while held open, or why it cannot be judged against
 * `heartbeatMs`. The one owner of "how long was the stream silent": keep-alive and idle cuts
 * (suite/checks/idle.ts) judge the same measurement against different limits.
 */
export function longestSilence(transcript: Transcript, heartbeatMs: number): { gap: number; window: number } | { skip: string } {
  if (transcript.stop === 'end' || transcript.stop === 'reset') return { skip: 'the server ended the stream, so there was no idle time to measure' };
  if (transcript.stop !== 'held') {
    // A cap that stopped the read is named as the user set it (--max-bytes, --max-events, …).
    const why = transcript.error ? `: ${transcript.error}` : ` (${transcript.stop})`;
    return { skip: `stream not held open long enough to measure${why}` };
  }
  // Only a read longer than the heartbeat can show a gap longer than the heartbeat.
  const window = transcript.durationMs - (transcript.headersAt ?? 0);
  if (window <= heartbeatMs) {
    return { skip: `read for ${Math.round(window)} ms, not longer than --heartbeat ${heartbeatMs} ms, so no idle gap could exceed it (lengthen --duration past the heartbeat)` };
  }
  return { gap: longestGap(transcript.chunks.map((c) => c.t), transcript.headersAt ?? 0, transcript.durationMs), window };
}

/** Long enough to see one whole --heartbeat gap (and its warn band), with room for the first bytes. */
export const silenceHoldMs = ({ heartbeatMs }: RunSettings) => Math.round(heartbeatMs * 1.5) + 250;

export const keepaliveCheck: Check = {
  name: 'keepalive',
  description: 'An open, idle stream sends a comment at least every --heartbeat ms.',
  requirements: ['server.comment.keepalive'],
  needs: 'stream',
  scope: 'fixture',
  holdMs: silenceHoldMs,
  // A fixture whose stream the server holds open (`end: open`), or any endpoint.
  applies: (fixture) => fixture === null || fixture.end === 'open',
  run({ transcript, heartbeatMs, url, headers }): Finding[] {
    const silence = longestSilence(transcript, heartbeatMs);
    if ('skip' in silence) return [{ requirement: 'server.comment.keepalive', status: 'skip', message: silence.skip }];
    const judged = atMost(silence.gap, heartbeatMs);
    return [{
      requirement: 'server.comment.keepalive',
      status: judged.status,
      message: judged.status === 'pass' ? `longest idle gap ${judged.text}` : `the stream was silent for ${judged.text}: send a ":" comment line periodically so proxies keep the connection`,
      expected: judged.expected,
      actual: judged.measured,
      repro: curlTimed(url, headers, Math.ceil((heartbeatMs * 2) / 1000)),
    }];
  },
};
