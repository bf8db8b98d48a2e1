/**
 * Resumption against an arbitrary endpoint (probe mode, no fixture): reconnect with an id seen on
 * the first connection. Nothing already seen may come again, and where ids are sequential
 * integers the next event must carry the next id (§9.2.4).
 */
import type { Finding } from '../result.ts';
import { curlBody } from '../repro.ts';
import type { Check } from './check.ts';

/** An id as a message shows it: quoted, and shortened when long (the repro carries it whole). */
function show(id: string): string {
  return id.length <= 60 ? JSON.stringify(id) : `${JSON.stringify(id.slice(0, 40)).slice(0, -1)}…" (${id.length} characters)`;
}

function sequential(ids: string[]): boolean {
  if (ids.length < 2 || !ids.every((id) => /^\d{1,15}$/.test(id))) return false;
  return ids.every((id, i) => i === 0 || Number(id) === Number(ids[i - 1]) + 1);
}

export const probeResumeCheck: Check = {
  name: 'probe-resume',
  description: 'Reconnecting with a seen Last-Event-ID brings nothing already seen and skips nothing (sequential ids).',
  requirements: ['server.resume.after-last-event-id'],
  needs: 'stream',
  scope: 'fixture',
  applies: (fixture) => fixture === null,
  async run({ transcript, read, url, headers, limits }): Promise<Finding[]> {
    const requirement = 'server.resume.after-last-event-id';
    const withIds = transcript.events.filter((e) => e.lastEventId !== '');
    if (transcript.events.length === 0) return [{ requirement, status: 'skip', message: `no event arrived in ${Math.round(transcript.durationMs)} ms of reading, so there is nothing to resume from (lengthen --duration)` }];
    if (withIds.length === 0) return [{ requirement, status: 'skip', message: `none of the ${transcript.events.length} event(s) carried an id, so there is nothing to resume from` }];
    const pivotIndex = transcript.events.indexOf(withIds[Math.floor((withIds.length - 1) / 2)]!);
    const pivot = transcript.events[pivotIndex]!;
    const seen = transcript.events.slice(0, pivotIndex + 1);
    const followed = transcript.events.slice(pivotIndex + 1);
    const after = await read({ lastEventId: pivot.lastEventId, expectEvents: Math.max(1, followed.length), holdMs: undefined });
    const repro = curlBody(url, { ...headers, 'last-event-id': pivot.lastEventId });
    if (after.status !== 200) return [{ requirement, status: 'fail', message: `the reconnect with Last-Event-ID ${show(pivot.lastEventId)} got ${after.status === undefined ? after.error : `status ${after.status}`}`, transcript: after, repro }];
    const key = (e: { lastEventId: string; data: string }) => `${e.lastEventId}\u0000${e.data}`;
    const seenKeys = new Set(seen.filter((e) => e.lastEventId !== '').map(key));
    const again = after.events.find((e) => e.lastEventId !== '' && seenKeys.has(key(e)));
    if (again) {
      return [{ requirement, status: 'fail', message: `after Last-Event-ID ${show(pivot.lastEventId)} the server sent event ${show(again.lastEventId)} again: it replays instead of resuming`, actual: after.events.map((e) => e.lastEventId), transcript: after, repro }];
    }
    const ids = transcript.events.map((e) => e.lastEventId);
    const next = after.events[0];
    if (sequential(ids) && next && Number(next.lastEventId) !== Number(pivot.lastEventId) + 1) {
      return [{ requirement, status: 'fail', message: `ids are sequential, but after ${pivot.lastEventId} the next event is ${next.lastEventId}: events were skipped`, expected: String(Number(pivot.lastEventId) + 1), actual: next.lastEventId, transcript: after, repro }];
    }
    if (!next && followed.length > 0 && transcript.stop === 'end') {
      return [{ requirement, status: 'fail', message: `${followed.length} event(s) followed id ${show(pivot.lastEventId)} on the first connection, but none came after resuming within ${limits.idleMs} ms`, transcript: after, repro }];
    }
    // Bytes kept coming but no whole event did until a cap stopped the read (a dribbling reconnect):
    // that is no resumption, and the cap is named so the user can tell it from a quiet stream.
    if (!next && (after.stop === 'max-duration' || after.stop === 'max-bytes' || after.stop === 'line-too-long')) {
      return [{ requirement, status: 'fail', message: `the reconnect with Last-Event-ID ${show(pivot.lastEventId)} delivered no complete event in ${after.bytes} bytes before the suite ${after.error}`, transcript: after, repro }];
    }
    if (after.events.length === 0 && followed.length === 0) {
      return [{ requirement, status: 'skip', message: `resumed after ${show(pivot.lastEventId)}, the last event seen, and no event followed in ${Math.round(after.durationMs)} ms: nothing shows what the server resumes with (lengthen --duration so more events carry ids)` }];
    }
    return [{ requirement, status: 'pass', message: `resumed after ${show(pivot.lastEventId)} without repeating or skipping (${after.events.length} event(s))` }];
  },
};
