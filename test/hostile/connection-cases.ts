/**
 * Hostile cases of the connection and of HTTP: servers that stall, reset, redirect, answer with
 * something other than an event stream, or misbehave when the suite reconnects.
 */
import assert from 'node:assert/strict';
import { events, PROBE_DEFAULTS, single, type HostileCase } from './case.ts';
import { dribble, found, keepAlive, rawServer, SSE_HEAD } from './servers.ts';

export const connectionCases: HostileCase[] = [
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
      ctx.write(found(`/loop/${ctx.request}`, false));
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
        ctx.write(found(`http://127.0.0.1:${second.port}/elsewhere`, true));
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
        ctx.write(found(`http://127.0.0.1:${gone.port}/gone`, true));
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
      ctx.write(found('file:///etc/passwd', false));
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
];
