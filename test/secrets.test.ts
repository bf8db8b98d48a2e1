/**
 * Secrets stay secret: header values given on the command line, from the environment or from a
 * file, and a credential in the URL's query, never reach stdout, stderr or any report file; the
 * repro lines name variables instead, and with those set they send the real values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { headerSecrets, querySecrets, redact, redactShell } from '../suite/secrets.ts';
import { mutants } from './mutants/catalogue.ts';
import { startMutant } from './mutants/server.ts';

const SECRETS = { header: 'Bearer s3cr3t-from-the-line', env: 's3cr3t-from-the-environment', file: 's3cr3t-from-a-file', query: 's3cr3t-in-the-query' };

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test('no secret reaches stdout, stderr or any report, and the repro names the variables', async () => {
  const server = await startMutant(mutants.find((m) => m.name === 'lf-only-split')!.mutation);
  const dir = mkdtempSync(join(tmpdir(), 'sse-secrets-'));
  try {
    const cookieFile = join(dir, 'cookie.txt');
    writeFileSync(cookieFile, `session=${SECRETS.file}\n`);
    const out = join(dir, 'reports');
    const target = `${server.url}/{id}?token=${SECRETS.query}`;
    const args = ['bin/sse-conformance.js', 'run', target, '--only', 'srv-data-lone-cr', '--header', `Authorization: ${SECRETS.header}`, '--header-env', 'X-Api-Key=MY_API_KEY', '--header-file', `Cookie=${cookieFile}`];
    for (const kind of ['json', 'junit', 'md', 'html']) args.push('--report', kind);
    args.push('--out', out);
    const child = await promisify(execFile)(process.execPath, args, { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1', MY_API_KEY: SECRETS.env } }).then(
      (ok) => ({ code: 0, ...ok }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
    assert.equal(child.code, 1, child.stderr);
    const written = filesUnder(out);
    assert.equal(written.length, 4, `reports: ${written.join(', ')}`);
    const everything = [['stdout', child.stdout], ['stderr', child.stderr], ...written.map((f) => [f, readFileSync(f, 'utf8')])];
    for (const [where, text] of everything) {
      for (const [kind, secret] of Object.entries(SECRETS)) {
        const bare = secret.replace(/^Bearer /, '');
        assert.ok(!text!.includes(bare), `the ${kind} secret appears in ${where}`);
        assert.ok(!text!.includes(encodeURIComponent(bare)), `the ${kind} secret appears percent-encoded in ${where}`);
      }
    }
    assert.match(child.stderr, /\$SSE_HEADER_AUTHORIZATION \(authorization header\)/);
    assert.match(child.stderr, /\$MY_API_KEY \(x-api-key header\)/);
    assert.match(child.stderr, /\$SSE_HEADER_COOKIE/);
    assert.match(child.stderr, /warning: the URL carries a credential in its query \(token\)/);
    assert.match(child.stdout, /-H 'authorization: '"\$SSE_HEADER_AUTHORIZATION"''/);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    const failed = results.results.find((r: { outcome: string }) => r.outcome === 'fail');
    assert.equal(failed.transcript.requestHeaders.authorization, '$SSE_HEADER_AUTHORIZATION', 'the header is named, its value left out');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  }
});

test('a redacted repro line sends the real values once the variables are set', async () => {
  const secrets = [...headerSecrets({ authorization: "Bearer it's-a-secret" }), ...querySecrets('http://h/p?api_key=k3y-value&x=1')];
  const repro = "curl -sN -H 'authorization: Bearer it'\\''s-a-secret' 'http://h/p?api_key=k3y-value&x=1'";
  const line = redactShell(repro, secrets);
  assert.ok(!line.includes('secret') && !line.includes('k3y-value'), line);
  // The same words, printed by the shell instead of sent by curl.
  const { stdout } = await promisify(execFile)('bash', ['-c', line.replace(/^curl -sN /, 'printf "%s\\n" ')], {
    encoding: 'utf8',
    env: { ...process.env, SSE_HEADER_AUTHORIZATION: "Bearer it's-a-secret", SSE_QUERY_API_KEY: 'k3y-value' },
  });
  assert.deepEqual(stdout.trim().split('\n'), ['-H', "authorization: Bearer it's-a-secret", 'http://h/p?api_key=k3y-value&x=1']);
});

test('redaction reaches every string of a result but keeps header names', () => {
  const secrets = headerSecrets({ 'x-token': 'abcd-1234' });
  const result = { message: 'sent abcd-1234', transcript: { requestHeaders: { 'x-token': 'abcd-1234' }, chunks: [{ t: 1, text: 'echo abcd-1234' }] }, repro: "curl -H 'x-token: abcd-1234'" };
  assert.deepEqual(redact(result, secrets), {
    message: 'sent $SSE_HEADER_X_TOKEN',
    transcript: { requestHeaders: { 'x-token': '$SSE_HEADER_X_TOKEN' }, chunks: [{ t: 1, text: 'echo $SSE_HEADER_X_TOKEN' }] },
    repro: `curl -H 'x-token: '"$SSE_HEADER_X_TOKEN"''`,
  });
});
