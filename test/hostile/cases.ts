/**
 * The hostile-target corpus: each case is a small loopback server that misbehaves in one way a
 * real (broken, overloaded or malicious) endpoint can, and what the suite must say about it in
 * probe mode. test/hostile.test.ts runs every case in-process and some through the CLI.
 */
import assert from 'node:assert/strict';
import type { RunOptions } from '../../suite/runner.ts';
import { prng } from '../helpers/prng.ts';
import { dribble, keepAlive, pump, randomBytes, rawServer, SSE_HEAD, type HostileServer } from './servers.ts';

export interface Target {
  url: string;
  /** The server the suite is pointed at; `others` are where it may be sent (redirects). */
  main: HostileServer;
  others: HostileServer[];
}

export interface HostileCase {
  name: string;
  what: string;
  start(): Promise<Target>;
  /** The whole probe run must finish within this (ms). */
  budgetMs: number;
  /** The exit code the CLI gives (0 only for a legal stream that merely hits a cap). */
  exit: 0 | 1 | 2;
  /** `check/requirement` that must FAIL (exit 1), or that carries the message (exit 0 and 2). */
  result: string;
  /** What that result's message must say: the reason in words a person understands. */
  message: RegExp;
  /** Extra probe options (on top of the corpus defaults). */
  options?: Partial<RunOptions>;
  /** Also run through the CLI as a child process (exit code, stderr, child RSS). */
  cli?: boolean;
  /** Assertions on what the server saw, after the run (the suite let go, made few requests). */
  after?(target: Target): void;
}

const single = async (server: HostileServer): Promise<Target> => ({ url: server.url, main: server, others: [] });
const MiB = 1024 * 1024;

/** The corpus-wide probe settings: tight but realistic, as a CI job would set them. */
export const PROBE_DEFAULTS = {
  limits: { timeoutMs: 3000, idleMs: 500 },
  durationMs: 1500,
  heartbeatMs: 1000,
} satisfies Partial<RunOptions>;

/** Sequential ids `first`.. as tiny events, as one string. */
function events(first: number, count: number, prefix = ''): string {
  let out = prefix;
  for (let i = first; i < first + count; i++) out += `id: ${i}\ndata: event ${i}\n\n`;
  return out;
}

export const cases: HostileCase[] = [
  {
    name: 'silent-accept',
    what: 'accepts the connection and never answers',
    start: async () => single(await rawServer(() => {})),
    budgetMs: 6000,
    exit: 1,
    result: 'delivery/server.delivery.first-byte',
    message: /no response headers from http:\/\/127\.0\.0\.1:\d+\/stream within 3000 ms/,
    cli: true,
  },
  {
    name: 'headers-then-nothing',
    what: 'sends correct SSE headers, then nothing, forever',
    start: async () => single(await rawServer((ctx) => ctx.write(SSE_HEAD))),
    budgetMs: 4000,
    exit: 1,
    result: 'keepalive/server.comment.keepalive',
    message: /the stream was silent for \d{4,} ms \(limit 1000 ms, warn band up to 1250 ms\)/,
    // Silence is a SHOULD (keep-alive); a CI gate runs strict to fail on it.
    options: { strict: true },
  },
  {
    name: 'endless-line',
    what: 'sends "data: " and then one line that never ends, as fast as the client reads',
    start: async () =>
      single(
        await rawServer((ctx) => {
          ctx.write(`${SSE_HEAD}data: `);
          const piece = 'x'.repeat(64 * 1024);
          pump(ctx, () => piece);
        }),
      ),
    budgetMs: 4000,
    exit: 1,
    result: 'framing/server.framing.blank-line',
    // The verdict needs a cap to be hit: a loaded machine may pause the writer past the idle
    // limit or the probe's duration first, which would be a different (also correct) verdict.
    options: { durationMs: 20_000, limits: { idleMs: 5000 } },
    message: /line 1 grew past 1048576 characters without a line end/,
    cli: true,
    after: ({ main }) => assert.ok(main.stats.bytesWritten < 32 * MiB, `the server wrote ${main.stats.bytesWritten} bytes: the suite kept reading`),
  },
  {
    name: 'event-100mb',
    what: 'one 100 MB event (100,000 data lines of 1 KB), generated lazily with backpressure',
    start: async () =>
      single(
        await rawServer((ctx) => {
          ctx.write(SSE_HEAD);
          const line = `data: ${'a'.repeat(1017)}\n`; // 1024 bytes
          const total = 100 * 1000;
          let sent = 0;
          pump(ctx, () => {
            if (sent > total) return null;
            sent += 64;
            return sent > total ? '\n' : line.repeat(64);
          }, () => ctx.socket.end());
        }),
      ),
    budgetMs: 6000,
    exit: 1,
    result: 'framing/server.framing.blank-line',
    // The verdict needs a cap to be hit: a loaded machine may pause the writer past the idle
    // limit or the probe's duration first, which would be a different (also correct) verdict.
    options: { durationMs: 20_000, limits: { idleMs: 5000 } },
    message: /stopped reading after 16777216 bytes \(--max-bytes\)/,
    cli: true,
    after: ({ main }) => {
      assert.ok(main.stats.bytesWritten < 48 * MiB, `the server wrote ${main.stats.bytesWritten} bytes of 100 MB: the suite kept reading`);
    },
  },
  {
    name: 'random-binary',
    what: 'SSE headers, then seeded random bytes without end',
    start: async () =>
      single(
        await rawServer((ctx) => {
          ctx.write(SSE_HEAD);
          const random = prng(0xb1a5);
          pump(ctx, () => randomBytes(random, 16 * 1024));
        }),
      ),
    budgetMs: 8000,
    exit: 1,
    result: 'framing/server.encoding.utf8',
    message: /byte sequence\(s\) are not UTF-8/,
    cli: true,
    after: ({ main }) => assert.ok(main.stats.bytesWritten < 48 * MiB),
  },
  {
    name: 'invalid-utf8',
    what: 'events carrying Latin-1, overlong, surrogate and truncated UTF-8 sequences',
    start: async () =>
      single(
        await rawServer((ctx) => {
          ctx.write(SSE_HEAD);
          ctx.write(Buffer.concat([Buffer.from('data: caf'), Buffer.from([0xe9]), Buffer.from('\n\ndata: '), Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80]), Buffer.from('\n\ndata: cut '), Buffer.from([0xe2, 0x82]), Buffer.from('\n\n')]));
          ctx.socket.end();
        }),
      ),
    budgetMs: 4000,
    exit: 1,
    result: 'framing/server.encoding.utf8',
    message: /near line 1, \d+ byte sequence\(s\) are not UTF-8 and reach clients as U\+FFFD/,
  },
  {
    name: 'slow-loris-body',
    what: 'SSE headers, then the body one byte per second',
    start: async () =>
      single(
        await rawServer((ctx) => {
          ctx.write(SSE_HEAD);
          dribble(ctx, events(1, 100), 1000);
        }),
      ),
    budgetMs: 5000,
    exit: 1,
    result: 'framing/server.framing.blank-line',
    message: /a line "i" without a line end|a line "id" without a line end/,
  },
  {
    name: 'slow-loris-headers',
    what: 'the status line and headers one byte every 100 ms',
    start: async () => single(await rawServer((ctx) => dribble(ctx, SSE_HEAD + events(1, 3), 100))),
    budgetMs: 6000,
    exit: 1,
    result: 'delivery/server.delivery.first-byte',
    message: /no response headers from .* within 3000 ms/,
  },
  {
    name: 'reset-mid-event',
    what: 'sends an event and half of the next, then resets the connection (RST)',
    start: async () =>
      single(
        await rawServer((ctx) => {
          ctx.write(`${SSE_HEAD}id: 1\ndata: one\n\nid: 2\ndata: tw`);
          setTimeout(() => ctx.socket.resetAndDestroy(), 30);
        }),
      ),
    budgetMs: 4000,
    exit: 1,
    result: 'framing/server.framing.blank-line',
    message: /the stream stopped with a line "data: tw" without a line end/,
  },
  {
    name: 'close-before-headers',
    what: 'reads the request and closes the connection without a byte',
    start: async () => single(await rawServer((ctx) => ctx.socket.end())),
    budgetMs: 3000,
    exit: 2,
    result: 'delivery/server.delivery.first-byte',
    message: /127\.0\.0\.1:\d+ closed the connection before sending response headers/,
    cli: true,
  },
  {
    name: 'reset-before-headers',
    what: 'reads the request and resets the connection',
    start: async () => single(await rawServer((ctx) => ctx.socket.resetAndDestroy())),
    budgetMs: 3000,
    exit: 2,
    result: 'delivery/server.delivery.first-byte',
    message: /127\.0\.0\.1:\d+ reset the connection before sending response headers/,
  },
  {
    name: 'redirect-loop',
    what: 'answers every request with 302 to another path on itself',
    start: async () => single(await rawServer((ctx) => {
      ctx.write(`HTTP/1.1 302 Found\r\nlocation: /loop/${ctx.request}\r\ncontent-length: 0\r\n\r\n`);
    })),
    budgetMs: 3000,
    exit: 2,
    result: 'delivery/server.delivery.first-byte',
    message: /too many redirects from http:\/\/127\.0\.0\.1:\d+\/stream \(more than 5\)/,
    cli: true,
    after: ({ main }) => assert.ok(main.stats.requests <= 6 * 3, `${main.stats.requests} requests: the redirect limit did not hold`),
  },
  {
    name: 'redirect-other-port',
    what: '302 to a second loopback server, which serves the stream as text/html',
    async start() {
      const second = await rawServer((ctx) => {
        ctx.write('HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n<html><body>data: hello</body></html>\n');
        ctx.socket.end();
      });
      const first = await rawServer((ctx) => {
        ctx.write(`HTTP/1.1 302 Found\r\nlocation: http://127.0.0.1:${second.port}/elsewhere\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
        ctx.socket.end();
      });
      return { url: first.url, main: first, others: [second] };
    },
    budgetMs: 3000,
    exit: 1,
    result: 'headers/server.header.content-type',
    message: /Content-Type is text\/html, not text\/event-stream/,
    after: ({ others }) => assert.ok(others[0]!.stats.requests >= 1, 'the redirect to the second server was not followed'),
  },
  {
    name: 'redirect-to-closed-port',
    what: '302 to a loopback port where nothing listens',
    async start() {
      const gone = await rawServer(() => {});
      await gone.close();
      const first = await rawServer((ctx) => {
        ctx.write(`HTTP/1.1 302 Found\r\nlocation: http://127.0.0.1:${gone.port}/gone\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
        ctx.socket.end();
      });
      return { url: first.url, main: first, others: [gone] };
    },
    budgetMs: 3000,
    exit: 2,
    result: 'delivery/server.delivery.first-byte',
    // The refusing address is the redirect's target, not the URL the user gave.
    message: /connection refused by 127\.0\.0\.1:(\d+)/,
    after: ({ main, others }) => assert.notEqual(others[0]!.port, main.port),
  },
  {
    name: 'redirect-to-file',
    what: '302 to file:///etc/passwd',
    start: async () => single(await rawServer((ctx) => {
      ctx.write('HTTP/1.1 302 Found\r\nlocation: file:///etc/passwd\r\ncontent-length: 0\r\n\r\n');
    })),
    budgetMs: 3000,
    exit: 2,
    result: 'delivery/server.delivery.first-byte',
    message: /Invalid URL protocol: the URL must start with `http:` or `https:`/,
  },
  {
    name: 'endless-103',
    what: 'informational 103 Early Hints responses every 100 ms, never a final response',
    start: async () =>
      single(
        await rawServer((ctx) => {
          const timer = setInterval(() => ctx.write('HTTP/1.1 103 Early Hints\r\nlink: </style.css>; rel=preload\r\n\r\n'), 100);
          ctx.socket.once('close', () => clearInterval(timer));
        }),
      ),
    budgetMs: 5000,
    exit: 1,
    result: 'delivery/server.delivery.first-byte',
    // The HTTP client restarts its own headers timeout on every 1xx; the suite's deadline holds.
    message: /no response headers from http:\/\/127\.0\.0\.1:\d+\/stream within 3000 ms/,
  },
  {
    name: 'event-flood',
    what: 'an endless flood of tiny events with sequential ids (legal SSE, only too much of it)',
    start: async () =>
      single(
        await rawServer((ctx) => {
          let next = ctx.lastEventId !== undefined && /^\d+$/.test(ctx.lastEventId) ? Number(ctx.lastEventId) + 1 : 1;
          ctx.write(SSE_HEAD);
          pump(ctx, () => {
            const batch = events(next, 256);
            next += 256;
            return batch;
          });
        }),
      ),
    budgetMs: 5000,
    // Conforming, so no failure: the cap is named where the user sees it (the keep-alive skip).
    exit: 0,
    result: 'keepalive/server.comment.keepalive',
    // The verdict needs a cap to be hit: a loaded machine may pause the writer past the idle
    // limit or the probe's duration first, which would be a different (also correct) verdict.
    options: { durationMs: 20_000, limits: { idleMs: 5000 } },
    message: /stopped reading after 10000 events \(--max-events\)/,
    cli: true,
  },
  {
    name: 'content-length-short',
    what: 'Content-Length: 30 on a longer body: the rest is left on the connection',
    start: async () =>
      single(
        await rawServer((ctx) => {
          const body = 'id: 1\ndata: one\n\nid: 2\ndata: two\n\nid: 3\ndata: three\n\n';
          ctx.write(`HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\ncontent-length: 30\r\n\r\n${body}`);
        }),
      ),
    budgetMs: 4000,
    exit: 1,
    result: 'framing/server.framing.blank-line',
    message: /the stream stopped with a line "data: t" without a line end/,
  },
  {
    name: 'http09-garbage',
    what: 'answers with a bare body and no status line (HTTP/0.9 style)',
    start: async () => single(await rawServer((ctx) => {
      ctx.write('data: hello\n\n');
      ctx.socket.end();
    })),
    budgetMs: 3000,
    exit: 2,
    result: 'delivery/server.delivery.first-byte',
    message: /is not an HTTP\/1\.1 response/,
  },
  {
    name: 'headers-10000',
    what: 'a 200 response with 10,000 header lines',
    start: async () =>
      single(
        await rawServer((ctx) => {
          let head = 'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n';
          for (let i = 0; i < 10_000; i++) head += `x-hostile-${i}: ${i}\r\n`;
          ctx.write(`${head}\r\ndata: hello\n\n`);
          ctx.socket.end();
        }),
      ),
    budgetMs: 3000,
    exit: 2,
    result: 'delivery/server.delivery.first-byte',
    message: /response headers .* are larger than/,
    cli: true,
  },
  {
    name: 'refuse-reconnect',
    what: 'serves the first request (events with ids), then stops listening: every reconnect is refused',
    start: async () =>
      single(
        await rawServer((ctx) => {
          ctx.server.stopListening();
          ctx.write(SSE_HEAD + events(1, 4));
          ctx.socket.end();
        }),
      ),
    budgetMs: 3000,
    exit: 1,
    result: 'probe-resume/server.resume.after-last-event-id',
    message: /the reconnect with Last-Event-ID "2" got connection refused by 127\.0\.0\.1:\d+/,
  },
  {
    name: 'reset-reconnect',
    what: 'serves the first request, then resets every later connection',
    start: async () =>
      single(
        await rawServer((ctx) => {
          if (ctx.request > 1) return void ctx.socket.resetAndDestroy();
          ctx.write(SSE_HEAD + events(1, 4));
          ctx.socket.end();
        }),
      ),
    budgetMs: 3000,
    exit: 1,
    result: 'probe-resume/server.resume.after-last-event-id',
    message: /the reconnect with Last-Event-ID "2" got .*reset the connection before sending response headers/,
  },
  {
    name: 'retry-0-forever',
    what: 'every connection: retry: 0, three events from id 1, close — accepting reconnects forever',
    start: async () =>
      single(
        await rawServer((ctx) => {
          ctx.write(SSE_HEAD + events(1, 3, 'retry: 0\n\n'));
          ctx.socket.end();
        }),
      ),
    budgetMs: 3000,
    exit: 1,
    result: 'probe-resume/server.resume.after-last-event-id',
    message: /after Last-Event-ID "2" the server sent event "1" again: it replays instead of resuming/,
    // retry: 0 must not turn the suite into a reconnect loop.
    after: ({ main }) => assert.ok(main.stats.connections <= 3, `${main.stats.connections} connections`),
  },
  {
    name: 'chunked-bad-size',
    what: 'chunked encoding: one good chunk, half an event, then a chunk size of "zz"',
    start: async () =>
      single(
        await rawServer((ctx) => {
          const chunk = (s: string) => `${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n`;
          ctx.write(`HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\ntransfer-encoding: chunked\r\n\r\n${chunk('data: one\n\n')}${chunk('data: tw')}`);
          setTimeout(() => ctx.write('zz\r\nnot a chunk\r\n'), 30);
        }),
      ),
    budgetMs: 4000,
    exit: 1,
    result: 'framing/server.framing.blank-line',
    message: /the connection broke after 19 bytes \(.*chunk size.*\)/,
  },
  {
    name: 'content-length-1gb',
    what: 'announces Content-Length: 1 GB, sends an event and a half, then closes',
    start: async () =>
      single(
        await rawServer((ctx) => {
          ctx.write(`HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\ncontent-length: 1073741824\r\n\r\ndata: one\n\ndata: tw`);
          setTimeout(() => ctx.socket.end(), 30);
        }),
      ),
    budgetMs: 4000,
    exit: 1,
    result: 'framing/server.framing.blank-line',
    message: /the connection broke after 19 bytes/,
  },
  {
    name: 'line-2mb',
    what: 'a legal event whose single data line is 2 MB long, then a normal event and the end',
    start: async () =>
      single(
        await rawServer((ctx) => {
          ctx.write(SSE_HEAD);
          const parts = [`data: ${'y'.repeat(2 * MiB)}\n\n`, 'data: after\n\n'];
          pump(ctx, () => parts.shift() ?? null, () => ctx.socket.end());
        }),
      ),
    budgetMs: 4000,
    exit: 1,
    result: 'framing/server.framing.blank-line',
    // The verdict needs a cap to be hit: a loaded machine may pause the writer past the idle
    // limit or the probe's duration first, which would be a different (also correct) verdict.
    options: { durationMs: 20_000, limits: { idleMs: 5000 } },
    message: /line 1 grew past 1048576 characters without a line end.*--max-line/,
  },
  {
    name: 'status-500-html',
    what: 'status 500 with an HTML error page',
    start: async () =>
      single(
        await rawServer((ctx) => {
          const page = '<!doctype html><title>500</title><h1>Internal Server Error</h1>\n';
          ctx.write(`HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/html\r\ncontent-length: ${page.length}\r\n\r\n${page}`);
        }),
      ),
    budgetMs: 3000,
    exit: 1,
    result: 'headers/server.status.200',
    message: /status 500: clients fail the connection/,
  },
  {
    name: 'dribble-reconnect',
    what: 'a fast first stream with ids; every reconnect dribbles one byte per 150 ms, never idle',
    start: async () =>
      single(
        await rawServer((ctx) => {
          ctx.write(SSE_HEAD);
          if (ctx.request === 1) {
            ctx.write(events(1, 6));
            keepAlive(ctx, 200);
          } else dribble(ctx, events(4, 1000), 150);
        }),
      ),
    budgetMs: 8000,
    exit: 1,
    result: 'probe-resume/server.resume.after-last-event-id',
    message: /stopped reading after 3000 ms \(--max-duration\)/,
    options: { limits: { ...PROBE_DEFAULTS.limits, maxDurationMs: 3000 } },
  },
  {
    name: 'huge-id',
    what: 'events whose ids are 256 KB long, replayed from the start on every reconnect',
    start: async () =>
      single(
        await rawServer((ctx) => {
          ctx.write(SSE_HEAD);
          for (let i = 1; i <= 3; i++) ctx.write(`id: ${String(i).repeat(256 * 1024)}\ndata: event ${i}\n\n`);
          ctx.socket.end();
        }),
      ),
    budgetMs: 4000,
    exit: 1,
    result: 'probe-resume/server.resume.after-last-event-id',
    message: /after Last-Event-ID "2{40}…" \(262144 characters\) the server sent event "1{40}…" \(262144 characters\) again: it replays instead of resuming/,
  },
];
