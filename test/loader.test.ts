/** Broken fixture files are rejected loudly: file, YAML line, and what is wrong. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFixture, loadFixtures, FixtureError } from '../spec/loader.ts';

const valid = `id: ok-one
title: A valid fixture
category: framing
kind: stream
requirements: [parse.line.blank-dispatches]
explanation: A blank line dispatches the event.
source: test
wire: ["data: x\\n\\n"]
expect:
  events:
    - { type: message, data: x, lastEventId: "" }
`;

function rejects(text: string, pattern: RegExp, file = 'ok-one.yaml'): void {
  assert.throws(() => parseFixture(text, file), (error: unknown) => {
    assert.ok(error instanceof FixtureError);
    assert.match(error.message, pattern);
    return true;
  });
}

test('a valid fixture parses', () => assert.equal(parseFixture(valid, 'ok-one.yaml').id, 'ok-one'));
test('bad YAML names the line', () => rejects(valid.replace('kind: stream', 'kind: [stream'), /^ok-one\.yaml:\d+: invalid YAML/));
test('duplicate keys are rejected', () => rejects(valid + 'title: again\n', /invalid YAML/));
test('an unknown key is named with its line', () => rejects(valid + 'expcet: {}\n', /ok-one\.yaml:12: \(top level\): unknown key "expcet"/));
test('a wrong type names the path and line', () => rejects(valid.replace('data: x,', 'data: 7,'), /ok-one\.yaml:11: \/expect\/events\/0\/data must be string/));
test('a requirement not in the catalogue', () => rejects(valid.replace('parse.line.blank-dispatches', 'parse.no.such-rule'), /ok-one\.yaml:5: requirement "parse\.no\.such-rule" is not in spec\/requirements\.ts/));
test('wire and send together are rejected', () => rejects(valid.replace('wire:', 'send: [{ data: x }]\nwire:'), /must match exactly one schema|oneOf|must NOT/));
test('a stream without wire or send is rejected', () => rejects(valid.replace('wire: ["data: x\\n\\n"]\n', ''), /must have required property 'wire'|must have required property 'send'/));
test('the id must match the file name', () => rejects(valid, /does not match the file name/, 'other.yaml'));
test('raw bytes must be hex', () => rejects(valid.replace('wire: ["data: x\\n\\n"]', 'wire: [{ hex: "zz" }]'), /\/wire\/0/));

test('a category that does not match its folder, and duplicate ids, are rejected', () => {
  const root = mkdtempSync(join(tmpdir(), 'fixtures-'));
  mkdirSync(join(root, 'eof'));
  writeFileSync(join(root, 'eof', 'ok-one.yaml'), valid);
  assert.throws(() => loadFixtures(root), /category "framing" does not match its folder "eof"/);
  const twins = mkdtempSync(join(tmpdir(), 'fixtures-'));
  mkdirSync(join(twins, 'framing'));
  mkdirSync(join(twins, 'framing', 'more'));
  writeFileSync(join(twins, 'framing', 'ok-one.yaml'), valid);
  writeFileSync(join(twins, 'framing', 'more', 'ok-one.yaml'), valid.replace('category: framing', 'category: more'));
  assert.throws(() => loadFixtures(twins), /id "ok-one" is already used by/);
});
