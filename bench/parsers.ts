/**
 * The contestants of the interpreter benchmark, each behind one interface (parse these chunks,
 * count the events):
 *
 * - ours: spec/interpreter.ts, fed raw bytes (it decodes UTF-8 itself).
 * - eventsource-parser 3.x: takes strings, so it is fed through a streaming TextDecoder, which is
 *   how every caller has to use it; the decoding is part of its cost.
 * - undici 7: the `EventSourceStream` Transform behind Node's global EventSource (an internal
 *   module, required by path), driven as a stream: write each chunk, end, wait for 'finish'. It
 *   gets the same `push` override undici's own EventSource installs, so events bypass the
 *   readable side; with that, every write() is parsed synchronously and never asks for 'drain'.
 * - LF scan: Buffer#indexOf (memchr) over the same chunks, counting 0x0A. No line parser can beat
 *   it; it is the ceiling that shows how much of the cost is the parsing itself.
 * - TextDecoder: a bare streaming `new TextDecoder().decode(chunk, {stream: true})` over the same
 *   chunks, parsing nothing: what turning the bytes into JS strings costs on its own.
 */
import type { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';
import { createParser } from 'eventsource-parser';
import type { Comparable } from '../spec/compare.ts';
import { createInterpreter } from '../spec/interpreter.ts';

interface UndiciEvent {
  type: string;
  options: { data: string; lastEventId: string };
}
interface UndiciStream {
  write(chunk: Uint8Array): boolean;
  end(): void;
  once(event: 'finish' | 'error', listener: (error?: unknown) => void): void;
}
type UndiciStreamConstructor = new (options: { push: (event: UndiciEvent | null) => boolean }) => UndiciStream;

export function eventsourceParserVersion(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('eventsource-parser');
  const packageJson = entry.slice(0, entry.lastIndexOf('/dist/')) + '/package.json';
  return (require(packageJson) as { version: string }).version;
}

/** Loads undici's internal EventSourceStream; undefined (with the reason) when that is impossible. */
export function loadUndici(): { ctor?: UndiciStreamConstructor; version?: string; reason?: string } {
  try {
    const require = createRequire(import.meta.url);
    // The module is internal (not in undici's "exports"), so it is required by file path.
    const packageJson = require.resolve('undici/package.json');
    const file = packageJson.replace(/package\.json$/, 'lib/web/eventsource/eventsource-stream.js');
    const { EventSourceStream } = require(file) as { EventSourceStream: UndiciStreamConstructor };
    const { version } = require(packageJson) as { version: string };
    return { ctor: EventSourceStream, version };
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}

/** What the parsers are compared on: each event's type, data and last event id. */
export type EventRecord = Comparable;

export interface Parser {
  name: string;
  /** Parses the chunks; `collect`, when given, receives every event (for the correctness check). */
  run(chunks: Buffer[], collect?: (event: EventRecord) => void): Promise<number>;
}

export const ours: Parser = {
  name: 'ours',
  async run(chunks, collect) {
    let count = 0;
    const interpreter = createInterpreter({
      onEvent: collect
        ? (event) => {
            count++;
            collect(event);
          }
        : () => {
            count++;
          },
    });
    for (const chunk of chunks) interpreter.feed(chunk);
    interpreter.end();
    return count;
  },
};

export const eventsourceParser: Parser = {
  name: 'eventsource-parser',
  async run(chunks, collect) {
    let count = 0;
    let lastEventId = '';
    const parser = createParser({
      onEvent: collect
        ? (event) => {
            count++;
            // eventsource-parser reports the event's own id field; the EventSource keeps the last.
            if (event.id !== undefined) lastEventId = event.id;
            collect({ type: event.event ?? 'message', data: event.data, lastEventId });
          }
        : () => {
            count++;
          },
    });
    const decoder = new TextDecoder();
    for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }));
    parser.feed(decoder.decode());
    return count;
  },
};

export function undiciParser(ctor: UndiciStreamConstructor): Parser {
  return {
    name: 'undici',
    async run(chunks, collect) {
      let count = 0;
      const stream = new ctor({
        // Transform's final step pushes null; that is end of stream, not an event.
        push: collect
          ? (event) => {
              if (event !== null) {
                count++;
                collect({ type: event.type, data: event.options.data, lastEventId: event.options.lastEventId ?? '' });
              }
              return true;
            }
          : (event) => {
              if (event !== null) count++;
              return true;
            },
      });
      const done = new Promise<void>((resolve, reject) => {
        stream.once('finish', () => resolve());
        stream.once('error', reject);
      });
      for (const chunk of chunks) stream.write(chunk);
      stream.end();
      await done;
      return count;
    },
  };
}

/** Not a parser: the number of LF bytes, found by the same native search the parsers rely on. */
export const lfScan: Parser = {
  name: 'LF scan',
  async run(chunks) {
    let count = 0;
    for (const chunk of chunks) {
      for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) count++;
    }
    return count;
  },
};

/** Not a parser either: a streaming TextDecoder over the same chunks; returns the code units. */
export const textDecoder: Parser = {
  name: 'TextDecoder',
  async run(chunks) {
    const decoder = new TextDecoder();
    let units = 0;
    for (const chunk of chunks) units += decoder.decode(chunk, { stream: true }).length;
    return units + decoder.decode().length;
  },
};

export const undiciInfo = loadUndici();
