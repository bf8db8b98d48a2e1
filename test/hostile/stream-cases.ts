/**
 * Hostile cases of what the stream carries: endless and huge lines and events, floods, random and
 * invalid bytes, a body cut short, an id too large to echo.
 */
import assert from 'node:assert/strict';
import { prng } from '../helpers/prng.ts';
import { CAP_FIRST, events, MiB, single, type HostileCase } from './case.ts';
import { pump, randomBytes, rawServer, SSE_HEAD } from './servers.ts';

export const streamCases: HostileCase[] = [
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
    options: CAP_FIRST,
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
    options: CAP_FIRST,
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
    options: CAP_FIRST,
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
    options: CAP_FIRST,
    message: /line 1 grew past 1048576 characters without a line end.*--max-line/,
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
