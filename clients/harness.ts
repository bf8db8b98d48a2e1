/**
 * What the real-world client matrix shares: the stream fixtures as client cases, one event
 * collector that runs unchanged in a browser page and in Node, the comparison with a fixture's
 * expectation, the "explained by a divergence" rule, and the reports.
 *
 * A client sees the first connection of a stream fixture only: the collector closes the
 * EventSource at its first `error` (the end of the body, or a failed connection) or at a time
 * limit, so no reconnection ever reaches the reference server.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Divergence, StreamFixture } from '../spec/fixture.ts';
import { interpret, type SseEvent } from '../spec/interpreter.ts';
import { loadFixtures } from '../spec/loader.ts';
import { resolveStream } from '../spec/response.ts';

export const CLIENTS_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT_DIR = resolve(CLIENTS_DIR, '..');
export const REPORT_DIR = join(ROOT_DIR, 'reports', 'clients');

/** The clients of the matrix, in column order, and how a fixture's divergence names each one. */
export const CLIENTS = ['chromium', 'eventsource', 'undici'] as const;
export type ClientName = (typeof CLIENTS)[number];

/**
 * A divergence explains a client's disagreement when its `implementation` names that client.
 * npm `eventsource` is named as "npm eventsource …" or "npm `eventsource` …" (it is also named
 * inside eventsource-parser entries, whose bug it inherits through its ^3.0.1 dependency).
 */
export const NAMES: Record<ClientName, RegExp> = {
  chromium: /\b(blink|chromium|chrome)\b/i,
  eventsource: /\bnpm\s+`?eventsource\b`?/i,
  undici: /\bundici\b/i,
};

export interface ClientCase {
  id: string;
  file: string;
  category: string;
  fixture: StreamFixture;
  expected: SseEvent[];
  lenient: Array<'type' | 'lastEventId'>;
  /** Event types to listen for: 'message', every expected type, every `event:` value on the wire. */
  types: string[];
  /** `end: open` fixtures never end by themselves: the collector stops after this many events. */
  stopAfter: number | null;
}

/** The `event:` values on a fixture's wire, as the interpreter reads them, so an unexpected type is seen too. */
function wireTypes(fixture: StreamFixture): string[] {
  const types: string[] = [];
  interpret(resolveStream(fixture).wire.chunks, { onField: (name, value) => name === 'event' && value !== '' && types.push(value) });
  return types;
}

/** Every stream fixture (parse vectors and `send` server fixtures), as a client case. */
export function streamCases(only?: (id: string) => boolean): ClientCase[] {
  const cases: ClientCase[] = [];
  for (const { fixture, file } of loadFixtures()) {
    if (fixture.kind !== 'stream') continue;
    if (only && !only(fixture.id)) continue;
    const expected = fixture.expect.events;
    const types = [...new Set(['message', ...expected.map((e) => e.type), ...wireTypes(fixture)])];
    cases.push({
      id: fixture.id,
      file,
      category: fixture.category,
      fixture,
      expected,
      lenient: fixture.expect.lenient ?? [],
      types,
      stopAfter: fixture.end === 'open' ? expected.length : null,
    });
  }
  return cases;
}

/** What the collector returns: the message events of the first connection and how it ended. */
export interface Collected {
  events: SseEvent[];
  /** 'error' (first error event), 'count' (end: open, enough events), 'timeout', or 'threw: …'. */
  ending: string;
  /** readyState when the first plain `error` arrived: 0 = will reconnect (end of body), 2 = failed. */
  errorReadyState: number | null;
  opened: boolean;
  elapsedMs: number;
}

/**
 * The collector, as JavaScript source: a browser page evaluates it as is and Node builds it with
 * `new Function`, so both run exactly the same code. (A TypeScript function would be transformed by
 * tsx/esbuild, which may add helpers that do not exist inside the page.)
 *
 * A listener is registered per type. A MessageEvent (it has string `data`) is recorded in dispatch
 * order, so a message whose type is `error` or `open` is recorded too; a plain `error` Event ends
 * the collection, closing the EventSource before any reconnection.
 */
export const COLLECTOR_SOURCE = String.raw`async function collect(EventSourceCtor, url, types, stopAfter, timeoutMs) {
  const started = Date.now();
  return await new Promise((resolve) => {
    const events = [];
    let es = null;
    let done = false;
    let opened = false;
    let errorReadyState = null;
    let timer = null;
    const finish = (ending) => {
      if (done) return;
      done = true;
      if (timer !== null) clearTimeout(timer);
      try { if (es) es.close(); } catch (e) {}
      resolve({ events, ending, errorReadyState, opened, elapsedMs: Date.now() - started });
    };
    try {
      es = new EventSourceCtor(url);
    } catch (error) {
      finish('threw: ' + String(error && error.message || error));
      return;
    }
    const isMessage = (e) => e && typeof e.data === 'string';
    for (const type of types) {
      es.addEventListener(type, (e) => {
        if (done || !isMessage(e)) return;
        events.push({ type: e.type, data: e.data, lastEventId: e.lastEventId });
        if (stopAfter !== null && events.length >= stopAfter) finish('count');
      });
    }
    es.addEventListener('open', (e) => { if (!isMessage(e)) opened = true; });
    es.addEventListener('error', (e) => {
      if (done || isMessage(e)) return;
      errorReadyState = es.readyState;
      finish('error');
    });
    timer = setTimeout(() => finish('timeout'), timeoutMs);
  });
}`;

export type Collector = (
  EventSourceCtor: unknown,
  url: string,
  types: string[],
  stopAfter: number | null,
  timeoutMs: number,
) => Promise<Collected>;

/** The collector as a Node function. */
export function nodeCollector(): Collector {
  return new Function(`return (${COLLECTOR_SOURCE});`)() as Collector;
}

function show(event: SseEvent | undefined): string {
  return event ? `${event.type}:${JSON.stringify(event.data)} id=${JSON.stringify(event.lastEventId)}` : '(none)';
}

/** The first difference between what a client dispatched and the fixture's expectation, or null. */
export function difference(expected: SseEvent[], actual: SseEvent[], lenient: ReadonlyArray<'type' | 'lastEventId'> = []): string | null {
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    const want = expected[i];
    const got = actual[i];
    if (!want) return `extra event ${i + 1}: ${show(got)} (${actual.length} events instead of ${expected.length})`;
    if (!got) return `event ${i + 1} missing: expected ${show(want)} (${actual.length} events instead of ${expected.length})`;
    if (got.data !== want.data) return `event ${i + 1}: data ${JSON.stringify(got.data)} instead of ${JSON.stringify(want.data)}`;
    if (got.type !== want.type && !lenient.includes('type')) return `event ${i + 1}: type ${JSON.stringify(got.type)} instead of ${JSON.stringify(want.type)}`;
    if (got.lastEventId !== want.lastEventId && !lenient.includes('lastEventId')) {
      return `event ${i + 1}: lastEventId ${JSON.stringify(got.lastEventId)} instead of ${JSON.stringify(want.lastEventId)}`;
    }
  }
  return null;
}

export interface CaseResult {
  id: string;
  file: string;
  category: string;
  agree: boolean;
  /** The first difference, when the client disagrees. */
  difference: string | null;
  /** True when a disagreement is covered by a divergence naming this client. */
  explained: boolean;
  /** The fixture's divergences that name this client (whether or not it disagreed). */
  divergences: Divergence[];
  informational: boolean;
  expected: SseEvent[];
  actual: SseEvent[];
  ending: string;
  errorReadyState: number | null;
  opened: boolean;
  elapsedMs: number;
}

export function judge(client: ClientName, c: ClientCase, collected: Collected): CaseResult {
  const diff = difference(c.expected, collected.events, c.lenient);
  const divergences = (c.fixture.divergences ?? []).filter((d) => NAMES[client].test(d.implementation));
  return {
    id: c.id,
    file: c.file,
    category: c.category,
    agree: diff === null,
    difference: diff,
    explained: diff !== null && divergences.length > 0,
    divergences,
    informational: c.fixture.informational === true,
    expected: c.expected,
    actual: collected.events,
    ending: collected.ending,
    errorReadyState: collected.errorReadyState,
    opened: collected.opened,
    elapsedMs: collected.elapsedMs,
  };
}

export interface ClientReport {
  client: ClientName;
  /** The implementation and its version, e.g. "Chromium 156.0.8078.79". */
  implementation: string;
  date: string;
  total: number;
  agreed: number;
  disagreed: number;
  explained: number;
  unexplained: number;
  /** agreed / total, in percent, one decimal. */
  agreementPct: number;
  durationMs: number;
  results: CaseResult[];
}

export function summarise(client: ClientName, implementation: string, results: CaseResult[], durationMs: number): ClientReport {
  const agreed = results.filter((r) => r.agree).length;
  const explained = results.filter((r) => r.explained).length;
  return {
    client,
    implementation,
    date: new Date().toISOString(),
    total: results.length,
    agreed,
    disagreed: results.length - agreed,
    explained,
    unexplained: results.length - agreed - explained,
    agreementPct: results.length === 0 ? 0 : Math.round((agreed / results.length) * 1000) / 10,
    durationMs,
    results,
  };
}

/** Runs `task` over `items` with at most `limit` at a time, keeping the input order in the output. */
export async function pool<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A plain-text table of the disagreements, for the terminal. */
export function formatTable(report: ClientReport): string {
  const lines = [`${report.implementation}: ${report.agreed}/${report.total} stream fixtures agree (${report.agreementPct}%), ` +
    `${report.disagreed} disagree: ${report.explained} explained, ${report.unexplained} unexplained (${(report.durationMs / 1000).toFixed(1)} s)`];
  const rows = report.results.filter((r) => !r.agree);
  if (rows.length > 0) {
    const width = Math.max(...rows.map((r) => r.id.length), 7);
    lines.push('', `${'fixture'.padEnd(width)}  verdict      difference`);
    for (const r of rows) {
      lines.push(`${r.id.padEnd(width)}  ${(r.explained ? 'explained' : 'UNEXPLAINED').padEnd(11)}  ${r.difference}` +
        (r.ending !== 'error' || r.errorReadyState === 2 ? ` [ended: ${r.ending}${r.errorReadyState === 2 ? ', failed (CLOSED)' : ''}]` : ''));
    }
  }
  return lines.join('\n');
}

/** The markdown summary of one client. */
export function formatMarkdown(report: ClientReport): string {
  const out = [
    `# ${report.implementation} against the stream fixtures`,
    '',
    `Generated by \`clients/\` on ${report.date}. Every stream fixture (parse vectors and \`send\` server fixtures) is served by the reference server and read by a real \`EventSource\`; the message events of the first connection are compared with \`expect.events\` (type, data, lastEventId).`,
    '',
    `- fixtures: ${report.total}`,
    `- agree: ${report.agreed} (**${report.agreementPct}%**)`,
    `- disagree: ${report.disagreed} — explained by a divergence naming this client: ${report.explained}, unexplained: ${report.unexplained}`,
    '',
  ];
  const rows = report.results.filter((r) => !r.agree);
  if (rows.length > 0) {
    out.push('| fixture | verdict | difference | divergence |', '|---|---|---|---|');
    for (const r of rows) {
      const d = r.divergences[0];
      out.push(`| [${r.id}](../../${r.file}) | ${r.explained ? 'explained' : '**unexplained**'} | ${cell(r.difference ?? '')} | ${d ? cell(`${d.implementation}: ${d.behaviour}`) : ''} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

export function writeClientReport(report: ClientReport): { json: string; md: string } {
  mkdirSync(REPORT_DIR, { recursive: true });
  const json = join(REPORT_DIR, `${report.client}.json`);
  const md = join(REPORT_DIR, `${report.client}.md`);
  writeFileSync(json, JSON.stringify(report, null, 2) + '\n');
  writeFileSync(md, formatMarkdown(report));
  return { json, md };
}

/** reports/clients/matrix.md from whichever client reports exist: rows are fixtures where any client disagrees. */
export function writeMatrix(): string {
  const reports = new Map<ClientName, ClientReport>();
  if (existsSync(REPORT_DIR)) {
    for (const name of readdirSync(REPORT_DIR)) {
      const client = name.replace(/\.json$/, '') as ClientName;
      if (name.endsWith('.json') && CLIENTS.includes(client)) reports.set(client, JSON.parse(readFileSync(join(REPORT_DIR, name), 'utf8')) as ClientReport);
    }
  }
  const byId = new Map<string, Map<ClientName, CaseResult>>();
  const files = new Map<string, string>();
  for (const [client, report] of reports) {
    for (const r of report.results) {
      files.set(r.id, r.file);
      if (!byId.has(r.id)) byId.set(r.id, new Map());
      byId.get(r.id)!.set(client, r);
    }
  }
  const rows = [...byId.entries()].filter(([, m]) => [...m.values()].some((r) => !r.agree)).sort(([a], [b]) => a.localeCompare(b));
  const out = [
    '# Real-world client matrix',
    '',
    'Every stream fixture is served by the reference server and read by a real `EventSource`; a client agrees when the message events of its first connection equal `expect.events`. A disagreement is *explained* when the fixture lists a divergence naming that implementation.',
    '',
    '| client | implementation | agree | disagree (explained) | unexplained | date |',
    '|---|---|---|---|---|---|',
  ];
  for (const client of CLIENTS) {
    const r = reports.get(client);
    out.push(r
      ? `| ${client} | ${r.implementation} | ${r.agreed}/${r.total} (${r.agreementPct}%) | ${r.disagreed} (${r.explained}) | ${r.unexplained} | ${r.date.slice(0, 10)} |`
      : `| ${client} | not run | | | | |`);
  }
  out.push('', `Fixtures where any client disagrees: ${rows.length}.`, '');
  out.push(`| fixture | ${CLIENTS.join(' | ')} |`, `|---|${CLIENTS.map(() => '---').join('|')}|`);
  for (const [id, m] of rows) {
    const cells = CLIENTS.map((client) => {
      const r = m.get(client);
      if (!r) return '—';
      return r.agree ? 'agree' : r.explained ? 'disagree (explained)' : '**disagree (unexplained)**';
    });
    out.push(`| [${id}](../../${files.get(id)}) | ${cells.join(' | ')} |`);
  }
  out.push('', '## Differences', '');
  for (const [id, m] of rows) {
    out.push(`- **${id}**`);
    for (const client of CLIENTS) {
      const r = m.get(client);
      if (r && !r.agree) {
        const d = r.divergences[0];
        out.push(`  - ${client}: ${cell(r.difference ?? '')}${d ? ` — divergence: ${cell(d.implementation)}` : ''}`);
      }
    }
  }
  out.push('');
  mkdirSync(REPORT_DIR, { recursive: true });
  const path = join(REPORT_DIR, 'matrix.md');
  writeFileSync(path, out.join('\n'));
  return path;
}

/** The value after `--name` on a command line, if any. */
export function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
}
