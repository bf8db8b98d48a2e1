// nginx (Debian nginx-light) as a reverse proxy in front of the sse-conformance reference server,
// so the matrix shows what the proxy does to a correct stream.
//
//   PORT=3000 node nginx-proxy.mjs default    nginx's defaults: proxy_pass alone
//   PORT=3000 node nginx-proxy.mjs sse        the configuration recommended for event streams
//
// The reference server listens on a free loopback port with 1 s keep-alive comments; nginx listens
// on 127.0.0.1:$PORT. Everything lives in a temporary nginx prefix removed on exit; SIGTERM/SIGINT
// stop nginx and the upstream.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const NGINX = process.env.NGINX ?? '/usr/sbin/nginx';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const PORT = Number(process.env.PORT ?? 3000);
const mode = process.argv[2];
if (mode !== 'default' && mode !== 'sse') {
  console.error('usage: nginx-proxy.mjs default|sse');
  process.exit(2);
}

/** What nginx's documentation and SSE guides recommend in front of an event stream. */
const SSE_LOCATION = `
      proxy_http_version 1.1;          # keep the upstream connection HTTP/1.1 (chunked, no close)
      proxy_set_header Connection "";
      proxy_buffering off;             # pass each event on as it arrives
      proxy_cache off;
      gzip off;
      proxy_read_timeout 1h;           # an idle stream is not an error`;

const log = (line) => console.log(`[nginx-proxy ${mode}] ${line}`);
const prefix = mkdtempSync(join(tmpdir(), `sse-nginx-${mode}-`));
const children = [];

function stopAll(code) {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => {
    rmSync(prefix, { recursive: true, force: true });
    process.exit(code);
  }, 300).unref();
}
process.on('SIGTERM', () => stopAll(0));
process.on('SIGINT', () => stopAll(0));

// The upstream: the reference server, byte-exact and correct, so every difference is the proxy's.
const upstream = spawn(process.execPath, [join(ROOT, 'bin', 'sse-conformance.js'), 'serve', '--port', '0', '--keep-alive', '1000'], { stdio: ['ignore', 'pipe', 'inherit'] });
children.push(upstream);
upstream.on('exit', (code) => {
  log(`the upstream exited (${code})`);
  stopAll(1);
});
const upstreamUrl = await new Promise((resolveUrl, reject) => {
  let text = '';
  const timer = setTimeout(() => reject(new Error('the reference server did not start within 20 s')), 20_000);
  upstream.stdout.on('data', (chunk) => {
    text += chunk;
    const match = /listening on (http:\/\/\S+)/.exec(text);
    if (match) {
      clearTimeout(timer);
      resolveUrl(match[1]);
    }
  });
});
log(`upstream ${upstreamUrl}`);

mkdirSync(join(prefix, 'logs'));
const user = userInfo().username === 'root' ? 'user root;' : '';
writeFileSync(
  join(prefix, 'nginx.conf'),
  `${user}
worker_processes 1;
daemon off;
error_log ${join(prefix, 'logs', 'error.log')} warn;
pid ${join(prefix, 'nginx.pid')};
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${join(prefix, 'body')};
  proxy_temp_path ${join(prefix, 'proxy')};
  fastcgi_temp_path ${join(prefix, 'fastcgi')};
  uwsgi_temp_path ${join(prefix, 'uwsgi')};
  scgi_temp_path ${join(prefix, 'scgi')};
  server {
    listen 127.0.0.1:${PORT};
    location / {
      proxy_pass ${upstreamUrl};${mode === 'sse' ? SSE_LOCATION : ''}
    }
  }
}
`,
);
const nginx = spawn(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf')], { stdio: 'inherit' });
children.push(nginx);
nginx.on('exit', (code) => {
  log(`nginx exited (${code})`);
  stopAll(code === 0 ? 0 : 1);
});
log(`nginx on 127.0.0.1:${PORT}`);
