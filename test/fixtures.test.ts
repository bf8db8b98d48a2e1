/**
 * Every stream fixture through the one interpreter — whole, at every 2-way split point, and byte
 * by byte — must give its expected events, reconnection time and last event ID.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFixtures } from '../spec/loader.ts';
import { interpret } from '../spec/interpreter.ts';
import { resolveStream } from '../spec/response.ts';
import type { StreamFixture } from '../spec/fixture.ts';

const streams = loadFixtures()
  .map(({ fixture }) => fixture)
  .filter((fixture): fixture is StreamFixture => fixture.kind === 'stream');

function check(fixture: StreamFixture, chunks: Uint8Array[], how: string): void {
  const result = interpret(chunks);
  const { expect } = fixture;
  assert.deepEqual(result.events, expect.events, `${fixture.id} (${how}): events`);
  if (expect.retry !== undefined) {
    assert.equal(result.retry, expect.retry === null ? null : Number(expect.retry), `${fixture.id} (${how}): retry`);
  }
  if (expect.lastEventId !== undefined) assert.equal(result.lastEventId, expect.lastEventId, `${fixture.id} (${how}): lastEventId`);
}

test('the corpus has stream fixtures', () => assert.ok(streams.length >= 124, `only ${streams.length}`));

for (const fixture of streams) {
  test(`${fixture.category}/${fixture.id}`, () => {
    const { chunks } = resolveStream(fixture).wire;
    check(fixture, chunks, 'as chunked');
    const whole = Buffer.concat(chunks);
    check(fixture, [whole], 'whole');
    check(fixture, [...whole].map((byte) => Uint8Array.of(byte)), 'byte by byte');
    // Every 2-way split point.
    for (let at = 1; at < whole.length; at++) check(fixture, [whole.subarray(0, at), whole.subarray(at)], `split at ${at}`);
  });
}
