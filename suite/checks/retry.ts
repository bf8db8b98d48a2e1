/**
 * retry: the value sets the client's reconnection time only as ASCII digits (§9.2.6), and must be
 * the value intended; after the server ends the stream, a reconnect that waited that long is
 * served again (§9.2.2 step 14). The wait is a lower bound only: we never require an upper one.
 */
import { passIf, type Finding } from '../result.ts';
import { curlBody } from '../repro.ts';
import type { Check } from './check.ts';

export const retryCheck: Check = {
  name: 'retry',
  description: 'retry lines carry digits only and the intended value; a reconnect after that time is served.',
  requirements: ['server.retry.digits', 'server.reconnect.accepts'],
  needs: 'stream',
  scope: 'fixture',
  applies: (fixture) => fixture !== null && fixture.send !== undefined && typeof fixture.expect.retry === 'number',
  async run({ fixture, transcript, url, headers, limits, read, wait }) {
    const expected = fixture!.expect.retry as number;
    const repro = curlBody(url, headers);
    const findings: Finding[] = [];
    const got = transcript.retry;
    findings.push(
      got === expected
        ? { requirement: 'server.retry.digits', status: 'pass', message: `retry: ${got}` }
        : {
            requirement: 'server.retry.digits',
            status: 'fail',
            message: got === null ? `no valid retry field: clients keep their default reconnection time instead of ${expected} ms` : `retry ${got} instead of ${expected}`,
            expected,
            actual: got,
            repro,
          },
    );
    if (transcript.stop !== 'end') {
      findings.push({ requirement: 'server.reconnect.accepts', status: 'skip', message: 'the server did not end the stream, so there is no reconnect to make' });
      return findings;
    }
    // The server chooses the wait; a retry of days must not hang the run: at most --max-duration.
    const delay = Math.min(got ?? expected, limits.maxDurationMs);
    const waited = delay === (got ?? expected) ? `${delay} ms` : `${delay} ms (not the ${got} ms asked for: at most --max-duration)`;
    await wait(delay);
    const again = await read({ expectEvents: fixture!.expect.events.length });
    const ok = again.status === 200 && again.events.length > 0;
    findings.push({
      requirement: 'server.reconnect.accepts',
      status: passIf(ok),
      message: ok ? `reconnect after ${waited} served ${again.events.length} event(s)` : `reconnect after ${waited} got ${again.status === undefined ? again.error : `status ${again.status} and ${again.events.length} events`}`,
      transcript: again,
      repro,
    });
    return findings;
  },
};
