/**
 * Framing: what the interpreter noticed on the wire that a conforming server never produces
 * (§9.2.5 grammar). Each observation kind maps to the requirement it breaks; the wire itself is in
 * the transcript, and `cat -vet` in the repro shows the bytes.
 */
import type { Observation } from '../../spec/interpreter.ts';
import type { Finding } from '../result.ts';
import { curlBody } from '../repro.ts';
import type { StopReason, Transcript } from '../read-response.ts';
import type { Check } from './check.ts';

type Kind = Observation['kind'];

/** Caps that cut the body in the middle of a chunk: an event pending there was cut by the suite. */
const CUT_BY_CAP: readonly StopReason[] = ['max-bytes', 'max-events'];

/** What a rule needs to have seen before its silence means anything: bytes, or a field of a name. */
type Evidence = 'bytes' | 'id' | 'retry';

const RULES: Array<{ requirement: string; kinds: Kind[]; needs: Evidence; ok: string; explain: (o: Observation, t: Transcript) => string }> = [
  {
    requirement: 'server.framing.blank-line',
    needs: 'bytes',
    kinds: ['unterminated-event', 'line-too-long'],
    ok: 'every event ends with a blank line',
    explain: (o, t) => {
      if (o.kind === 'line-too-long') {
        return `line ${o.line} grew past ${o.limit} characters without a line end, so reading stopped there (--max-line): the suite cannot tell whether it ever ends, and clients that limit line length drop such a stream`;
      }
      const u = o as Extract<Observation, { kind: 'unterminated-event' }>;
      const what = u.partialLine ? `a line ${JSON.stringify(u.partialLine.slice(0, 60))} without a line end` : `${u.pendingFields} field line(s) without the blank line that ends the event`;
      // Why reading stopped, when it was not simply the end of the stream (a reset, a cap).
      return `the stream stopped with ${what}${t.error ? ` (${t.error})` : ''}: clients discard an event until its blank line arrives (§9.2.6), so it is never delivered`;
    },
  },
  {
    requirement: 'server.framing.known-fields',
    needs: 'bytes',
    kinds: ['unknown-field'],
    ok: 'every line is a comment or a known field',
    explain: (o) => {
      const u = o as Extract<Observation, { kind: 'unknown-field' }>;
      return `line ${u.line} has the unknown field name ${JSON.stringify(u.field.slice(0, 60))}: clients ignore it silently — usually a data line that lost its "data:" prefix (a value with a line break written as one data line)`;
    },
  },
  {
    requirement: 'server.encoding.utf8',
    needs: 'bytes',
    kinds: ['invalid-utf8'],
    ok: 'the body is valid UTF-8',
    explain: (o) => `near line ${o.line}, ${(o as Extract<Observation, { kind: 'invalid-utf8' }>).replacements} byte sequence(s) are not UTF-8 and reach clients as U+FFFD`,
  },
  {
    requirement: 'server.bom.start-only',
    needs: 'bytes',
    kinds: ['bom-after-start'],
    ok: 'no BOM after the start of the body',
    explain: (o) => `line ${o.line} starts with U+FEFF (a BOM after the start): clients read it as part of the field name and drop the line`,
  },
  {
    requirement: 'server.id.no-nul',
    needs: 'id',
    kinds: ['id-with-nul'],
    ok: 'no id contains U+0000',
    explain: (o) => `line ${o.line}: the id contains U+0000, so clients ignore the whole id field and resume from an older id`,
  },
  {
    requirement: 'server.retry.digits',
    needs: 'retry',
    kinds: ['invalid-retry'],
    ok: 'every retry value is ASCII digits',
    explain: (o) => `line ${o.line}: retry value ${JSON.stringify((o as Extract<Observation, { kind: 'invalid-retry' }>).value)} is not digits only, so clients ignore it`,
  },
];

/**
 * Why a rule saw nothing to judge, or null. A rule that found no fault passes only where the wire
 * gave it something to find a fault in: no byte proves no framing, no id line proves no id.
 */
function withoutEvidence(needs: Evidence, t: Transcript): string | null {
  const read = `${Math.round(t.durationMs)} ms of reading${t.stop === 'end' ? ' until the server ended the stream' : ''}`;
  if (t.bytes === 0) return `no byte of the stream arrived in ${read}; nothing to judge (lengthen --duration or --idle if the endpoint is slow to send)`;
  if (needs === 'bytes') return null;
  if ((t.fields[needs] ?? 0) > 0) return null;
  return `no ${needs} field arrived in ${read} (${t.bytes} bytes); nothing to judge`;
}

export const framingCheck: Check = {
  name: 'framing',
  description: 'Blank-line terminators, no silently ignored lines, valid UTF-8, BOM only at the start, ids without NUL, digit-only retry.',
  requirements: RULES.map((rule) => rule.requirement),
  needs: 'stream',
  scope: 'fixture',
  applies: () => true,
  run({ transcript, url, headers }) {
    const repro = curlBody(url, headers);
    return RULES.map((rule): Finding => {
      // Where a byte or event cap stopped a stream that did deliver events, the event left
      // pending is the one the suite cut in two, not a server's fault.
      const cut = CUT_BY_CAP.includes(transcript.stop) && transcript.events.length > 0;
      const hits = transcript.observations.filter((o) => rule.kinds.includes(o.kind) && !(cut && o.kind === 'unterminated-event'));
      if (hits.length === 0) {
        const missing = withoutEvidence(rule.needs, transcript);
        return missing === null ? { requirement: rule.requirement, status: 'pass', message: rule.ok } : { requirement: rule.requirement, status: 'skip', message: missing };
      }
      const more = hits.length > 1 ? ` (and ${hits.length - 1} more)` : '';
      return { requirement: rule.requirement, status: 'fail', message: rule.explain(hits[0]!, transcript) + more, actual: hits.slice(0, 5), repro };
    });
  },
};
