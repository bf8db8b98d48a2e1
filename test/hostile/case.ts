/**
 * What a hostile case is (a small loopback server that misbehaves in one way, and what the suite
 * must say about it in probe mode), and the helpers the cases share.
 */
import type { RunOptions } from '../../suite/runner.ts';
import type { HostileServer } from './servers.ts';

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

/**
 * Probe settings for a case whose verdict needs a cap (bytes, events, line length) to be hit: a
 * loaded machine may pause the writer past the idle limit or the probe's duration first, which
 * would be a different (also correct) verdict.
 */
export const CAP_FIRST = { durationMs: 20_000, limits: { idleMs: 5000 } } satisfies Partial<RunOptions>;

export const single = async (server: HostileServer): Promise<Target> => ({ url: server.url, main: server, others: [] });
export const MiB = 1024 * 1024;

/** The corpus-wide probe settings: tight but realistic, as a CI job would set them. */
export const PROBE_DEFAULTS = {
  limits: { timeoutMs: 3000, idleMs: 500 },
  durationMs: 1500,
  heartbeatMs: 1000,
} satisfies Partial<RunOptions>;

/** Sequential ids `first`.. as tiny events, as one string. */
export function events(first: number, count: number, prefix = ''): string {
  let out = prefix;
  for (let i = first; i < first + count; i++) out += `id: ${i}\ndata: event ${i}\n\n`;
  return out;
}
