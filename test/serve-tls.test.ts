/** `serve --tls` / `--http2`: the printed https base URL and certificate file work as printed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect } from 'node:http2';

test('serve --http2 prints an https URL and a certificate file that an HTTP/2 client can trust', async () => {
  const child = spawn(process.execPath, ['bin/sse-conformance.js', 'serve', '--http2'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    let out = '';
    child.stdout.setEncoding('utf8');
    const started = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no certificate line within 30 s: ${out}`)), 30_000);
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        if (/^certificate: /m.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await started;
    const url = /listening on (https:\/\/\S+)/.exec(out)![1]!;
    const file = /^certificate: (\S+)/m.exec(out)![1]!;
    const client = connect(url, { ca: readFileSync(file, 'utf8') });
    try {
      const body = await new Promise<string>((resolve, reject) => {
        const req = client.request({ ':path': '/srv-data-single' });
        let text = '';
        req.setEncoding('utf8');
        req.on('data', (chunk: string) => (text += chunk));
        req.on('end', () => resolve(text));
        req.on('error', reject);
        req.setTimeout(10_000, () => req.close());
        req.end();
      });
      assert.equal(body, 'data: hello\n\n');
    } finally {
      client.close();
    }
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});

test('serve --cert without --key is a one-line usage error', () => {
  const r = spawnSync(process.execPath, ['bin/sse-conformance.js', 'serve', '--cert', 'x.pem'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim(), 'error: --cert and --key go together');
});
