/**
 * Commands that make no request load no HTTP client, YAML parser, schema compiler or certificate
 * library: every CI job pays for what `--help`, `list` and `fixtures` load, on every call.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const HEAVY = ['undici', 'yaml', 'ajv', 'selfsigned'];

/** The packages of node_modules a command of the development launcher loaded. */
async function packagesLoaded(args: string[]): Promise<Set<string>> {
  const hook = new URL('./helpers/log-imports.mjs', import.meta.url).href;
  const launcher = new URL('../bin/sse-conformance.js', import.meta.url).pathname;
  const { stderr } = await promisify(execFile)(process.execPath, ['--import', hook, launcher, ...args], { encoding: 'utf8', timeout: 60_000 });
  const loaded = new Set<string>();
  for (const line of stderr.split('\n')) {
    const match = /^import: .*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(line);
    if (match) loaded.add(match[1]!);
  }
  return loaded;
}

test('the hook sees what a command loads: the embedded run loads the HTTP client', async () => {
  assert.ok((await packagesLoaded(['--only', 'srv-data-single'])).has('undici'));
});

for (const args of [['--help'], ['list'], ['run', '--help']]) {
  test(`sse-conformance ${args.join(' ')} loads none of ${HEAVY.join(', ')}`, async () => {
    const loaded = await packagesLoaded(args);
    assert.deepEqual(HEAVY.filter((name) => loaded.has(name)), []);
  });
}
