/**
 * Keep-alive (§9.2.7): an idle stream sends a comment line every ~15 seconds so that proxies do
 * not drop it. Measured as the longest gap between received bytes while the stream is held open.
 */
import { passIf, type Finding } from '../result.ts';
import { curlTimed } from '../repro.ts';
import type { Check } from './check.ts';

export function longestGap(times: readonly number[], start: number, end: number): number {
  let last = start;
  let longest = 0;
  for (const t of times) {
    longest = Math.max(longest, t - last);
    last = t;
  }
  return Math.max(longest, end - last);
}

export const keepaliveCheck: Check = {
  name: 'keepalive',
  description: 'An open, idle stream sends a comment at least every --heartbeat ms.',
  requirements: ['server.comment.keepalive'],
  needs: 'stream',
  scope: 'fixture',
  // Long enough to see one whole --heartbeat gap, with room for the first bytes to arrive.
  holdMs: ({ heartbeatMs }) => Math.round(heartbeatMs * 1.5) + 250,
  // A fixture whose stream the server holds open (`end: open`), or any endpoint.
  applies: (fixture) => fixture === null || fixture.end === 'open',
  run({ transcript, heartbeatMs, url, headers }): Finding[] {
    if (transcript.stop === 'end' || transcript.stop === 'reset') {
      return [{ requirement: 'server.comment.keepalive', status: 'skip', message: 'the server ended the stream, so there was no idle time to measure' }];
    }
    if (transcript.stop !== 'held') {
      // A cap that stopped the read is named as the user set it (--max-bytes, --max-events, …).
      const why = transcript.error ? `: ${transcript.error}` : ` (${transcript.stop})`;
      return [{ requirement: 'server.comment.keepalive', status: 'skip', message: `stream not held open long enough to measure${why}` }];
    }
    // Only a read longer than the heartbeat can show a gap longer than the heartbeat.
    const window = transcript.durationMs - (transcript.headersAt ?? 0);
    if (window <= heartbeatMs) {
      return [{ requirement: 'server.comment.keepalive', status: 'skip', message: `read for ${Math.round(window)} ms, not longer than --heartbeat ${heartbeatMs} ms, so no idle gap could exceed it (lengthen --duration past the heartbeat)` }];
    }
    const gap = longestGap(transcript.chunks.map((c) => c.t), transcript.headersAt ?? 0, transcript.durationMs);
    const ok = gap <= heartbeatMs;
    return [{
      requirement: 'server.comment.keepalive',
      status: passIf(ok),
      message: ok ? `longest idle gap ${Math.round(gap)} ms (limit ${heartbeatMs} ms)` : `the stream was silent for ${Math.round(gap)} ms (limit ${heartbeatMs} ms): send a ":" comment line periodically so proxies keep the connection`,
      expected: `≤ ${heartbeatMs} ms`,
      actual: Math.round(gap),
      repro: curlTimed(url, headers, Math.ceil((heartbeatMs * 2) / 1000)),
    }];
  },
};
