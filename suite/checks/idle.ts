/**
 * Idle cuts (spec/INTEROP.md#idle-cuts): load balancers and proxies close a stream that stays
 * silent longer than their idle timeout (60 s for the common ones), whatever §9.2.7 advises. The
 * longest silence of a held stream is judged against --heartbeat (the spec's ~15 s), with a warn
 * band up to --idle-cut; a stream that should stay open but is closed after a spell of silence is
 * reported as cut.
 */
import type { Finding } from '../result.ts';
import type { Transcript } from '../read-response.ts';
import { curlTimed } from '../repro.ts';
import type { Check } from './check.ts';
import { longestSilence, silenceHoldMs } from './keepalive.ts';
import { atMost } from './tolerance.ts';

const REQUIREMENT = 'server.idle.no-cut';
/** A close this soon after the last byte followed the data, not a silence. */
const MIN_SILENCE_MS = 250;
/** Idle timeouts are set in round numbers: multiples of 5 s. */
const ROUND_MS = 5000;

/** Whether a silence looks like a configured idle timeout: a multiple of 5 s, or --idle-cut. */
export function isRoundSilence(silenceMs: number, idleCutMs: number): boolean {
  const near = (target: number) => Math.abs(silenceMs - target) <= Math.max(250, target * 0.05);
  const multiple = Math.round(silenceMs / ROUND_MS) * ROUND_MS;
  return near(idleCutMs) || (multiple > 0 && near(multiple));
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The stream ended: was it cut after a silence? */
function judgeClose(transcript: Transcript, probing: boolean, idleCutMs: number, heartbeatMs: number, repro: string): Finding {
  const last = transcript.chunks.at(-1)?.t ?? transcript.headersAt ?? 0;
  const silence = transcript.durationMs - last;
  const how = transcript.stop === 'reset' ? 'broken' : 'closed';
  if (silence < MIN_SILENCE_MS) {
    return { requirement: REQUIREMENT, status: 'skip', message: `the server ended the stream ${Math.round(silence)} ms after its last byte, not after a silence, so there was no idle time to judge` };
  }
  const round = isRoundSilence(silence, idleCutMs);
  // An endpoint may end its stream on purpose; only a round silence shows a timeout there.
  if (probing && !round) {
    return { requirement: REQUIREMENT, status: 'skip', message: `the server ended the stream after ${seconds(silence)} of silence, not a round idle timeout (a multiple of 5 s, or --idle-cut ${idleCutMs} ms): nothing shows whether it was cut` };
  }
  const hint = round ? ': a load balancer or proxy idle timeout?' : '';
  return {
    requirement: REQUIREMENT,
    status: 'fail',
    message: `the connection was ${how} after ${seconds(silence)} of silence${hint} (a stream that stays open sends a ":" comment line at least every --heartbeat ${heartbeatMs} ms, or raise the idle timeout: nginx proxy_read_timeout)`,
    expected: 'the stream stays open',
    actual: Math.round(silence),
    repro,
  };
}

export const idleCheck: Check = {
  name: 'idle',
  description: 'An open stream is never silent long enough for a load balancer to cut it (--heartbeat, warn up to --idle-cut), and is not closed after a silence.',
  requirements: [REQUIREMENT],
  needs: 'stream',
  scope: 'fixture',
  holdMs: silenceHoldMs,
  applies: (fixture) => fixture === null || fixture.end === 'open',
  run({ fixture, transcript, heartbeatMs, idleCutMs, url, headers }): Finding[] {
    const repro = curlTimed(url, headers, Math.ceil((Math.max(idleCutMs, heartbeatMs) * 1.1) / 1000));
    if (transcript.stop === 'end' || transcript.stop === 'reset') return [judgeClose(transcript, fixture === null, idleCutMs, heartbeatMs, repro)];
    const silence = longestSilence(transcript, heartbeatMs);
    if ('skip' in silence) return [{ requirement: REQUIREMENT, status: 'skip', message: silence.skip }];
    const judged = atMost(silence.gap, heartbeatMs, Math.max(idleCutMs, heartbeatMs), 'the band ends at --idle-cut');
    const message =
      judged.status === 'pass'
        ? `longest silence ${judged.text} over ${seconds(silence.window)} of reading`
        : judged.status === 'warn'
          ? `the stream was silent for ${judged.text}: longer than the spec's keep-alive advice; a proxy with a shorter idle timeout than --idle-cut cuts it`
          : `the stream was silent for ${judged.text}: load balancers and proxies with a ${idleCutMs} ms idle timeout cut it (send a ":" comment line every --heartbeat ms)`;
    return [{ requirement: REQUIREMENT, status: judged.status, message, expected: judged.expected, actual: judged.measured, repro }];
  },
};
