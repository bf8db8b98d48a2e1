/**
 * Last-Event-ID on the reference server: a resumable fixture continues right after the event with
 * that id; an unknown id gets what the fixture declares; other fixtures ignore the header.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpret } from '../spec/interpreter.ts';
import { resolveStream } from '../spec/response.ts';
import { sharedReferenceServer, streamFixture, streams } from './helpers/corpus.ts';
import { fetchRaw } from './helpers/http.ts';

const shared = sharedReferenceServer();

const resumable = streams.filter((f) => f.resume);

test('Last-Event-ID resumes a resumable fixture right after that event', async (t) => {
  for (const fixture of resumable) {
    await t.test(fixture.id, async () => {
      const events = fixture.expect.events;
      assert.ok(events.length >= 3, 'enough events to resume in the middle');
      // After every event, the last one included.
      for (let k = 0; k < events.length; k++) {
        const id = events[k]!.lastEventId;
        const res = await fetchRaw(`${shared().url}/${fixture.id}`, { headers: { 'last-event-id': id } });
        assert.equal(res.status, 200, `after ${id}: status`);
        assert.ok(res.body.equals(Buffer.concat(resolveStream(fixture, id).wire.chunks)), `after ${id}: bytes`);
        assert.deepEqual(interpret([res.body]).events, events.slice(k + 1), `after ${id}: exactly the events after it`);
      }
    });
  }
});

test('an unknown Last-Event-ID gets what the fixture declares (replay or nothing)', async () => {
  const modes = new Set<string>();
  for (const fixture of resumable) {
    const res = await fetchRaw(`${shared().url}/${fixture.id}`, { headers: { 'last-event-id': 'no-such-id-7f3a' } });
    assert.equal(res.status, 200);
    const events = interpret([res.body]).events;
    modes.add(fixture.resume!.unknownId);
    if (fixture.resume!.unknownId === 'replay') assert.deepEqual(events, fixture.expect.events, `${fixture.id}: replays all`);
    else {
      assert.deepEqual(events, [], `${fixture.id}: no event`);
      assert.equal(res.body.length, 0, `${fixture.id}: empty body`);
    }
  }
  assert.deepEqual([...modes].sort(), ['nothing', 'replay'], 'both contracts covered');
});

test('Last-Event-ID is ignored by a fixture without a resume contract', async () => {
  const fixture = streams.find((f) => f.send && !f.resume && f.send.some((item) => 'id' in item && item.id !== undefined)) ?? (streamFixture('srv-delivery-spaced'));
  const firstId = fixture.expect.events.find((e) => e.lastEventId !== '')?.lastEventId ?? 'x';
  const res = await fetchRaw(`${shared().url}/${fixture.id}`, { headers: { 'last-event-id': firstId }, ...(fixture.end === 'open' ? { untilBytes: Buffer.concat(resolveStream(fixture).wire.chunks).length } : {}) });
  assert.deepEqual(interpret([res.body]).events, fixture.expect.events, fixture.id);
});
