/**
 * Citations resolve: every `spec/INTEROP.md#anchor` named in code, fixtures and docs exists, every
 * `interop` requirement cites its decision there, and nothing cites a document the repository
 * does not hold.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { requirements } from '../spec/requirements.ts';

const interop = readFileSync('spec/INTEROP.md', 'utf8');
const anchors = new Set([...interop.matchAll(/<a id="([a-z0-9-]+)"><\/a>/g)].map((m) => m[1]!));
const tracked = execFileSync('git', ['ls-files', 'spec', 'suite', 'fixtures', 'reference-server', 'test', 'bench', 'README.md'], { encoding: 'utf8' })
  .split('\n')
  // This file names the patterns it looks for.
  .filter((path) => /\.(ts|yaml|md)$/.test(path) && path !== 'test/citations.test.ts');

test('spec/INTEROP.md has anchored sections', () => assert.ok(anchors.size >= 20, `${anchors.size} anchors`));

test('every spec/INTEROP.md#anchor cited anywhere exists', () => {
  const cited = new Map<string, string>();
  for (const path of tracked) {
    for (const m of readFileSync(path, 'utf8').matchAll(/INTEROP\.md#([a-z0-9-]+)/g)) cited.set(m[1]!, path);
  }
  assert.ok(cited.size >= 15, `${cited.size} anchors cited`);
  const missing = [...cited].filter(([anchor]) => !anchors.has(anchor)).map(([anchor, path]) => `${path}: #${anchor}`);
  assert.deepEqual(missing, []);
});

test('every interop requirement cites its decision in spec/INTEROP.md', () => {
  const rows = requirements.filter((r) => r.basis === 'interop');
  assert.ok(rows.length >= 5);
  for (const r of rows) {
    const anchor = /spec\/INTEROP\.md#([a-z0-9-]+)/.exec(r.section)?.[1];
    assert.ok(anchor && anchors.has(anchor), `${r.id}: ${r.section}`);
  }
});

test('no citation of a document outside the repository ("reference §N")', () => {
  const stale = tracked.filter((path) => /reference §\s*\d/i.test(readFileSync(path, 'utf8')));
  assert.deepEqual(stale, []);
});
