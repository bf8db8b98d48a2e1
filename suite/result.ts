/**
 * Results are plain, JSON-serialisable data (schema: spec/result.schema.json) before any reporter
 * sees them. A check returns findings; the runner turns them into results with an outcome that
 * follows the requirement's level: a broken MUST fails, a broken SHOULD warns (fails with --strict),
 * a MAY not taken is information. A timing measurement in its warn band (suite/checks/tolerance.ts)
 * warns whatever the level (fails with --strict; information for a MAY).
 */
import { getRequirement, requirementUrl, type Level } from '../spec/requirements.ts';
import type { Transcript } from './read-response.ts';
import type { Protocol } from './protocol.ts';

/**
 * What a check found: the requirement held, was broken, could not be judged, or is worth knowing;
 * `warn` is a timing measurement past its limit but inside its warn band.
 */
export type Status = 'pass' | 'fail' | 'warn' | 'skip' | 'info';

/** A result's verdict: a failed finding becomes `fail` or `warn` by the requirement's level. */
export type Outcome = 'pass' | 'fail' | 'warn' | 'skip' | 'info';

export interface TranscriptView {
  url: string;
  requestHeaders: Record<string, string>;
  status: number | null;
  headers: Record<string, string>;
  headersAt: number | null;
  /** What the response was read over: HTTP/1.1 or HTTP/2 (h2), with or without TLS; null without a connection. */
  protocol: Protocol | null;
  /** Each chunk as received: milliseconds since the request, and its bytes as readable text. */
  chunks: Array<{ t: number; text: string }>;
  bytes: number;
  events: Array<{ t: number; type: string; data: string; lastEventId: string }>;
  stop: string;
  error: string | null;
  durationMs: number;
}

export interface Result {
  id: string;
  fixture: string | null;
  check: string;
  requirement: string;
  level: Level;
  specUrl: string;
  outcome: Outcome;
  message: string;
  expected?: unknown;
  actual?: unknown;
  transcript: TranscriptView | null;
  repro: string | null;
  /** What the judged response was read over, where one was read. */
  protocol?: Protocol;
}

export interface RunSummary {
  total: number;
  passed: number;
  failed: number;
  warned: number;
  skipped: number;
  info: number;
}

export interface RunResult {
  tool: 'sse-conformance';
  version: string;
  target: string;
  mode: 'fixtures' | 'probe' | 'client';
  startedAt: string;
  durationMs: number;
  summary: RunSummary;
  /** Baseline entries that no longer fail (they fail the run until removed). */
  stale: string[];
  results: Result[];
}

/** What a check reports: its status, in words a person understands. */
export interface Finding {
  requirement: string;
  status: Status;
  message: string;
  expected?: unknown;
  actual?: unknown;
  /** Which transcript shows it (default: the check's main one). */
  transcript?: Transcript;
  repro?: string;
  /** Distinguishes two findings of one check on the same requirement. */
  key?: string;
}

/** Shows bytes as text with control characters visible, the way `cat -vet`-style dumps do. */
export function visible(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8').decode(bytes);
  return text.replace(/[\0-\x09\x0b-\x1f\x7f\ufeff\ufffd]|\n/g, (ch) => {
    if (ch === '\n') return '\\n\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    if (ch === '\0') return '\\0';
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

export function viewTranscript(t: Transcript): TranscriptView {
  return {
    url: t.url,
    requestHeaders: t.requestHeaders,
    status: t.status ?? null,
    headers: t.headers,
    headersAt: t.headersAt ?? null,
    protocol: t.protocol ?? null,
    chunks: t.chunks.slice(0, 500).map((chunk) => ({ t: chunk.t, text: visible(chunk.bytes).slice(0, 8192) })),
    bytes: t.bytes,
    events: t.events.slice(0, 500).map(({ t: at, type, data, lastEventId }) => ({ t: at, type, data: data.slice(0, 8192), lastEventId })),
    stop: t.stop,
    error: t.error ?? null,
    durationMs: t.durationMs,
  };
}

export function toResult(
  finding: Finding,
  context: { fixture: string | null; check: string; transcript?: Transcript; repro: string | null; strict: boolean },
): Result {
  const requirement = getRequirement(finding.requirement);
  if (!requirement) throw new Error(`check ${context.check} names unknown requirement ${finding.requirement}`);
  const outcome = outcomeOf(finding.status, requirement.level, context.strict);
  const transcript = finding.transcript ?? context.transcript;
  const id = [context.fixture, context.check, finding.requirement, finding.key].filter(Boolean).join('/');
  return {
    id,
    fixture: context.fixture,
    check: context.check,
    requirement: requirement.id,
    level: requirement.level,
    specUrl: requirementUrl(requirement),
    outcome,
    message: finding.message,
    ...(finding.expected !== undefined ? { expected: finding.expected } : {}),
    ...(finding.actual !== undefined ? { actual: finding.actual } : {}),
    transcript: outcome === 'fail' || outcome === 'warn' ? (transcript ? viewTranscript(transcript) : null) : null,
    repro: outcome === 'fail' || outcome === 'warn' ? (finding.repro ?? context.repro) : null,
    ...(transcript?.protocol ? { protocol: transcript.protocol } : {}),
  };
}

/** `pass` where the requirement held, `fail` where it did not. */
export const passIf = (held: boolean): Status => (held ? 'pass' : 'fail');

/**
 * A broken MUST fails; a broken SHOULD warns, or fails when strict; a MAY not taken is info. A
 * measurement in its warn band warns at any level (a MAY: info), and fails when strict.
 */
export function outcomeOf(status: Status, level: Level, strict: boolean): Outcome {
  if (status !== 'fail' && status !== 'warn') return status;
  if (level === 'MAY') return 'info';
  if (status === 'warn') return strict ? 'fail' : 'warn';
  return level === 'MUST' || strict ? 'fail' : 'warn';
}

export function summarize(results: readonly Result[]): RunSummary {
  const summary: RunSummary = { total: results.length, passed: 0, failed: 0, warned: 0, skipped: 0, info: 0 };
  const counter = { pass: 'passed', fail: 'failed', warn: 'warned', skip: 'skipped', info: 'info' } as const;
  for (const result of results) summary[counter[result.outcome]]++;
  return summary;
}
