// nginx + nchan (Debian nginx-light, libnginx-mod-nchan). nchan writes every byte of the stream —
// the `: hi` greeting, `event:`/`id:`/`data:` lines, its keep-alive ping, the close — and this
// launcher is only the *application* behind it, doing what a real nchan application does: it
// publishes messages to a channel over HTTP (POST to an nchan_publisher location, the event name in
// the X-EventSource-Event header) and deletes the channel when the stream is over.
//
//   PORT=3000 node start.mjs corpus.json
//
// How a fixture is served: GET /<id> is an `nchan_subscriber eventsource` location whose channel is
// new for every connection ($request_id). nchan announces the subscription to this launcher with
// `nchan_subscribe_request` (an internal subrequest proxied to a Unix socket); the launcher then
// publishes the fixture's messages to that channel in order, honouring the pauses, and for a
// stream that ends (`end: close`) deletes the channel, which nchan answers to its subscriber with
// `:410: 410 Gone` and the end of the response. A fixture nchan cannot say is an nginx
// `return 404` (see RULES and README.md). Everything lives in a temporary nginx prefix that is
// removed on exit; SIGTERM/SIGINT stop nginx first.
//
// Besides the fixtures, /_resume-demo is one long-lived channel holding six messages (published at
// start-up, `nchan_subscriber_first_message oldest`) to show nchan's own Last-Event-ID resumption
// with `sse-conformance probe` — the fixture mode cannot judge it (see README.md).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, createServer } from 'node:http';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { HOST, PORT, inexpressible, isDelay, loadServerFixtures, sleep } from '../_shared/corpus.mjs';

const NGINX = '/usr/sbin/nginx';
const NCHAN_MODULE = '/usr/lib/nginx/modules/ngx_nchan_module.so';
/** nchan_eventsource_ping_interval, in seconds (nchan's default is 0: no ping at all). */
const PING_INTERVAL_S = 1;

const fixtures = loadServerFixtures(process.argv[2]);

// What an nchan message cannot carry. A message is a body (the data, split by nchan into data:
// lines) plus an optional event name; nchan writes its own id ("<time>:<tag>") on every message and
// has neither a retry field nor an API for a comment line.
const RULES = [
  [(m) => /[\r\n]/.test(m.event ?? ''), 'the event name travels in the X-EventSource-Event request header, which cannot carry CR or LF'],
  [(m) => m.event !== undefined && /[^\x20-\x7e]/.test(m.event), 'the event name travels in an HTTP request header, which carries only printable ASCII here'],
  [(m) => m.id !== undefined, 'nchan writes its own message id (<time>:<tag>) on every message: a message cannot carry an application id'],
  [(m) => m.retry !== undefined, 'nchan has no retry field'],
  [(m) => m.comment !== undefined, 'nchan has no API for a comment line (its only comments are its own greeting and ping)'],
  [(m) => m.data === undefined, 'an nchan message is its body: every message has a data line'],
];

const served = new Map();
const notExpressible = new Map();
for (const [id, fixture] of fixtures) {
  if (!/^[A-Za-z0-9_.-]+$/.test(id)) throw new Error(`fixture id ${JSON.stringify(id)} cannot be an nginx location here`);
  const why = inexpressible(fixture.send, RULES);
  if (why) notExpressible.set(id, why);
  else served.set(id, fixture);
}

const prefix = mkdtempSync(join(tmpdir(), 'sse-nchan-'));
const appSocket = join(prefix, 'app.sock');
const pubSocket = join(prefix, 'pub.sock');
const log = (line) => console.log(`[nchan-target] ${line}`);

// ── the application: publishes to nchan ─────────────────────────────────────────────────────────

function publisher(method, channel, { body = '', event } = {}) {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'text/plain; charset=utf-8' };
    if (event !== undefined) headers['x-eventsource-event'] = event;
    const req = request({ socketPath: pubSocket, method, path: `/pub/${encodeURIComponent(channel)}`, headers }, (res) => {
      res.resume();
      res.once('end', () => (res.statusCode < 300 ? resolve(res.statusCode) : reject(new Error(`${method} /pub/${channel}: status ${res.statusCode}`))));
    });
    req.once('error', reject);
    req.end(Buffer.from(body, 'utf8'));
  });
}

async function play(fixture, channel) {
  for (const item of fixture.send) {
    if (isDelay(item)) await sleep(item.delay);
    else await publisher('POST', channel, { body: item.data, event: item.event });
  }
  // The stream ends the nchan way: the channel is deleted and nchan closes its subscribers.
  if (fixture.end !== 'open') await publisher('DELETE', channel);
}

const app = createServer((req, res) => {
  // nchan_subscribe_request: a subscriber has just joined channel X-Channel-Id, "<fixture>.<request id>".
  const channel = String(req.headers['x-channel-id'] ?? '');
  const fixture = served.get(channel.slice(0, channel.lastIndexOf('.')));
  res.writeHead(204).end();
  if (!fixture || !channel) return;
  play(fixture, channel).catch((error) => log(`publishing ${fixture.id} failed: ${error.message}`));
});

// ── nginx ───────────────────────────────────────────────────────────────────────────────────────

/** A double-quoted nginx string ending in a newline (the reasons above hold no `$`, nginx's variables). */
const nginxText = (s) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}\\n"`;

// A master and one worker, as nginx runs in production. (`master_process off` would be simpler,
// but nchan 1.3.6 then aborts at every exit: "free(): double free detected in tcache 2".) Run as
// root, the worker keeps the launcher's user: as `nobody` it could not reach the prefix's sockets.
function config() {
  const user = process.getuid?.() === 0 ? `user ${userInfo().username};\n` : '';
  const subscriber = [...served.keys()].map((id) => `
    location = /${id} {
      nchan_subscriber eventsource;
      nchan_channel_id "${id}.$request_id";
      nchan_subscriber_first_message oldest;
      nchan_eventsource_ping_interval ${PING_INTERVAL_S};
      nchan_subscribe_request /_subscribed;
    }`).join('');
  const refused = [...notExpressible].map(([id, why]) => `
    location = /${id} { return 404 ${nginxText(`not expressible with nchan: ${why}`)}; }`).join('');
  return `# written by start.mjs; removed on exit
load_module ${NCHAN_MODULE};
daemon off;
master_process on;
worker_processes 1;
${user}pid ${join(prefix, 'nginx.pid')};
lock_file ${join(prefix, 'nginx.lock')};
error_log stderr notice;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/plain;
  client_body_temp_path ${join(prefix, 'body')};
  proxy_temp_path ${join(prefix, 'proxy')};
  fastcgi_temp_path ${join(prefix, 'fastcgi')};
  uwsgi_temp_path ${join(prefix, 'uwsgi')};
  scgi_temp_path ${join(prefix, 'scgi')};

  server {
    listen ${HOST}:${PORT};
${subscriber}
    location = /_subscribed {
      internal;
      proxy_pass http://unix:${appSocket}:/subscribed;
      proxy_set_header X-Channel-Id $nchan_channel_id;
    }
${refused}
    location = /_resume-demo {
      nchan_subscriber eventsource;
      nchan_channel_id "resume-demo";
      nchan_subscriber_first_message oldest;
      nchan_eventsource_ping_interval ${PING_INTERVAL_S};
    }
    location / { return 404 "no such fixture\\n"; }
  }

  # The application's side: publishing is not exposed on the port under test.
  server {
    listen unix:${pubSocket};
    location ~ ^/pub/(.+)$ {
      nchan_publisher;
      nchan_channel_id $1;
      nchan_message_buffer_length 200;
      nchan_message_timeout 10m;
    }
    location / { return 404; }
  }
}
`;
}

let nginx;
let watchdog;
let cleaned = false;
const running = (child) => child && child.exitCode === null && child.signalCode === null;
// On any exit (a crash included) the master is told to stop — it then stops its worker itself —
// and the prefix goes.
function cleanUp() {
  if (cleaned) return;
  cleaned = true;
  for (const child of [nginx, watchdog]) {
    if (!running(child)) continue;
    try {
      child.kill('SIGTERM');
    } catch {
      /* gone */
    }
  }
  rmSync(prefix, { recursive: true, force: true });
}
process.on('exit', cleanUp);

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  app.close();
  if (running(nginx)) {
    const gone = new Promise((resolve) => nginx.once('exit', resolve));
    nginx.kill('SIGTERM'); // nginx: fast shutdown of master and worker
    await Promise.race([gone, sleep(2500)]);
  }
  log(`stopped (${signal})`);
  process.exit(0);
}
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => shutdown(signal));

function pubReady() {
  return new Promise((resolve) => {
    const req = request({ socketPath: pubSocket, path: '/', method: 'GET' }, (res) => {
      res.resume();
      resolve(true);
    });
    req.once('error', () => resolve(false));
    req.end();
  });
}

await new Promise((resolve, reject) => app.once('error', reject).listen(appSocket, resolve));
writeFileSync(join(prefix, 'nginx.conf'), config());
nginx = spawn(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', 'stderr'], { stdio: ['ignore', 'inherit', 'inherit'] });
nginx.once('error', (error) => {
  log(`could not start ${NGINX}: ${error.message}`);
  process.exit(1);
});
// Should this launcher be SIGKILLed (no handler runs), a shell left behind stops nginx and removes
// the prefix about a second later.
if (nginx.pid !== undefined) {
  const orphaned = `kill -TERM ${nginx.pid} 2>/dev/null; sleep 1; rm -rf '${prefix}'`;
  watchdog = spawn('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${orphaned}`], { stdio: 'ignore' });
  watchdog.unref();
}
nginx.once('exit', (code, signal) => {
  if (stopping) return;
  log(`nginx exited (${signal ?? `code ${code}`})`);
  process.exit(1);
});

while (!(await pubReady())) await sleep(50);
for (let n = 1; n <= 6; n++) await publisher('POST', 'resume-demo', { body: `event ${n}` });
log(`${served.size} fixtures served, ${notExpressible.size} answered 404 (${[...notExpressible.keys()].join(', ')})`);
log(`listening on http://${HOST}:${PORT} (prefix ${prefix})`);
