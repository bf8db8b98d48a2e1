/**
 * Real clients judged against the SCENARIO fixtures (reconnection, Last-Event-ID, status and
 * Content-Type handling): what the reference server replays connection by connection is read by a
 * real `EventSource`, and the requests it makes are compared with the fixture.
 *
 *   node --import tsx clients/scenarios.ts [--client chromium|eventsource|undici] [--only <id-substring>] [--concurrency <n>]
 *
 * For each scenario a plain EventSource can exercise, the client opens
 * `new EventSource(<base>/<id>?session=<fresh token>)` and the shared scenario collector records
 * what it observes (open, error with readyState, message(type,data,lastEventId)) until the
 * expected requests have been made and the expected log has arrived (then a short settling time
 * catches stray reconnections), or a time limit. The session's recorded requests
 * (GET /_sessions/<token>) and the in-process record of when each response ended are then judged:
 *
 *   1. the number of requests: exact when `expect.requests` is set, at least connections.length otherwise;
 *   2. each request's Last-Event-ID (string: the same UTF-8 bytes; null: absent) and `request.headers`;
 *   3. the gap between the end of response i-1 and request i is at least `request.minDelayMs`
 *      (5 ms tolerance for clock granularity, never an upper bound);
 *   4. the message events of each connection that opens against that connection's `events`;
 *   5. the whole observed log against `expect.log`.
 *
 * A disagreement is explained when the fixture lists a divergence naming the client (`NAMES` in
 * harness.ts, the rule the stream matrix uses). Scenarios needing what a plain same-origin
 * EventSource cannot do (CORS, credentials, invalid or non-HTTP URLs, window.stop(), proposed APIs)
 * and informational ones are skipped with the reason. Writes reports/clients/scenarios-<client>.json
 * and reports/clients/scenarios.md.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startReferenceServer, type ReferenceServer } from '../reference-server/server.ts';
import type { RecordedRequest } from '../reference-server/sessions.ts';
import type { Connection, Divergence, ScenarioFixture } from '../spec/fixture.ts';
import type { SseEvent } from '../spec/interpreter.ts';
import { interpret } from '../spec/interpreter.ts';
import { loadFixtures } from '../spec/loader.ts';
import { resolveConnection } from '../spec/response.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumUnavailable } from './browser.ts';
import { CLIENTS, type ClientName, difference, NAMES, pool, REPORT_DIR, flag } from './harness.ts';

// ---------------------------------------------------------------------------------------------
// Cases

/** What the harness does on the client side (the fixture's `client` actions it supports). */
export interface ScenarioActions {
  /** close() inside the first listener of this kind. */
  closeOn: 'open' | 'message' | 'error' | null;
  /** close() this long after an error with readyState CONNECTING (during the reconnection wait). */
  closeDuringWaitMs: number | null;
}

export interface ScenarioCase {
  id: string;
  file: string;
  category: string;
  fixture: ScenarioFixture;
  /** Why this scenario is not run, or null. */
  skip: string | null;
  actions: ScenarioActions;
  /** `client.refuseFirstAttempt`: the server's port stays closed until the client's first error. */
  refuseFirstAttempt: boolean;
  /** Event types to listen for: 'message', every expected type, every `event:` value on the wire. */
  types: string[];
  /** Requests expected: exactly `count` when `exact`, at least `count` otherwise. */
  requests: { count: number; exact: boolean };
  /** Time limit for the whole scenario, ms. */
  timeoutMs: number;
  /** How long to keep watching after everything expected was seen (stray requests or events). */
  settleMs: number;
}

/** How long after a client-side close() (or after the last expected error) extra requests are watched for. */
const SETTLE_EXACT_MS = 1000;
const SETTLE_OPEN_MS = 150;
const SETTLE_OTHER_MS = 300;
/** Base time limit: covers one wait of the common 3000 ms default reconnection time. */
const BASE_TIMEOUT_MS = 4000;
const CLOSE_DURING_WAIT_MS = 50;
/** Clock granularity allowance for minDelayMs (a lower bound only). */
export const GAP_TOLERANCE_MS = 5;

/** Why a scenario cannot be exercised by a plain same-origin EventSource here, or null. */
export function skipReason(fixture: ScenarioFixture): string | null {
  const client = fixture.client ?? {};
  if (fixture.informational) return 'informational: not a conformance assertion';
  if ('apiProposal' in client) return `needs the proposed API ${String(client.apiProposal)}`;
  if (client.crossOrigin || client.crossOriginRedirect || 'withCredentials' in client) {
    return 'needs a cross-origin (CORS / credentials) setup; the harness serves one origin';
  }
  if ('url' in client) return 'needs an invalid URL: the constructor throws and no request is made';
  if ('scheme' in client) return `needs a non-HTTP (${String(client.scheme)}:) URL: no request ever reaches the reference server`;
  if ('windowStopAfterMs' in client) {
    return 'needs window.stop() on a pending request (browsers only); this harness does not drive window.stop() yet';
  }
  const supported = new Set(['closeOn', 'closeDuringWait', 'refuseFirstAttempt']);
  const unknown = Object.keys(client).filter((key) => !supported.has(key));
  if (unknown.length > 0) return `client action not supported by the harness: ${unknown.join(', ')}`;
  if (client.closeOn !== undefined && !['open', 'message', 'error'].includes(String(client.closeOn))) {
    return `client action closeOn: ${String(client.closeOn)} is not supported`;
  }
  return null;
}

function wireTypes(connection: Connection): string[] {
  const types: string[] = [];
  interpret(resolveConnection(connection).wire.chunks, { onField: (name, value) => name === 'event' && value !== '' && types.push(value) });
  return types;
}

/** The essence of a Content-Type value, as MIME parsing would give it (enough for the fixtures). */
function essence(value: string | undefined): string | null {
  if (value === undefined) return null;
  const type = value.split(';')[0]!.trim().toLowerCase();
  return /^[!#$%&'*+.^_`|~0-9a-z-]+\/[!#$%&'*+.^_`|~0-9a-z-]+$/.test(type) ? type : null;
}

/** Whether the spec has this connection open (200 + text/event-stream), i.e. fire `open` and dispatch its events. */
export function opens(connection: Connection): boolean {
  const resolved = resolveConnection(connection);
  const contentType = resolved.headers.find(([name]) => name === 'content-type')?.[1];
  return resolved.status === 200 && essence(contentType) === 'text/event-stream';
}

export function scenarioCases(only?: (id: string) => boolean): ScenarioCase[] {
  const cases: ScenarioCase[] = [];
  for (const { fixture, file } of loadFixtures()) {
    if (fixture.kind !== 'scenario') continue;
    if (only && !only(fixture.id)) continue;
    const client = fixture.client ?? {};
    const expected = fixture.connections.flatMap((c) => c.events ?? []);
    const types = [...new Set(['message', ...expected.map((e) => e.type), ...fixture.connections.flatMap(wireTypes)])];
    const exact = fixture.expect.requests !== undefined;
    const last = fixture.connections.at(-1)!;
    const settleMs = exact ? SETTLE_EXACT_MS : last.end === 'open' && opens(last) ? SETTLE_OPEN_MS : SETTLE_OTHER_MS;
    const delays = fixture.connections.reduce((sum, c) => sum + (c.request?.minDelayMs ?? 0), 0);
    cases.push({
      id: fixture.id,
      file,
      category: fixture.category,
      fixture,
      skip: skipReason(fixture),
      actions: {
        closeOn: (client.closeOn as ScenarioActions['closeOn'] | undefined) ?? null,
        closeDuringWaitMs: client.closeDuringWait ? CLOSE_DURING_WAIT_MS : null,
      },
      refuseFirstAttempt: client.refuseFirstAttempt === true,
      types,
      requests: { count: fixture.expect.requests ?? fixture.connections.length, exact },
      // A refused first attempt costs one wait of the client's default reconnection time as well.
      timeoutMs: BASE_TIMEOUT_MS + delays + settleMs + (client.refuseFirstAttempt ? 3000 : 0),
      settleMs,
    });
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------
// The collector (runs unchanged in a browser page and in Node)

export type LogEntry =
  | { kind: 'open'; readyState: number; t: number }
  | { kind: 'error'; readyState: number; t: number }
  | { kind: 'message'; type: string; data: string; lastEventId: string; t: number }
  /** The harness's own close() (a `client` action); not a log token. */
  | { kind: 'closed'; why: string; readyState: number; t: number }
  | { kind: 'threw'; message: string; t: number };

/**
 * The scenario collector, as JavaScript source (see COLLECTOR_SOURCE in harness.ts for why a
 * string). It opens the EventSource, records every open / error / message with a timestamp in
 * dispatch order, calls `notify` with each entry, performs the fixture's client actions, and
 * returns `{ log, stop() }`; stop() closes the EventSource and freezes the log.
 */
export const SCENARIO_COLLECTOR_SOURCE = String.raw`function openScenario(EventSourceCtor, url, types, actions, notify) {
  const log = [];
  const now = () => performance.timeOrigin + performance.now();
  let es = null;
  let stopped = false;
  let closedByClient = false;
  let waitTimer = null;
  const push = (entry) => {
    if (stopped) return;
    entry.t = now();
    log.push(entry);
    try { notify(entry); } catch (e) {}
  };
  const api = {
    log,
    stop() {
      if (!stopped) {
        stopped = true;
        if (waitTimer !== null) clearTimeout(waitTimer);
        try { if (es) es.close(); } catch (e) {}
      }
      return log;
    },
  };
  try {
    es = new EventSourceCtor(url);
  } catch (error) {
    push({ kind: 'threw', message: String(error && error.message || error) });
    return api;
  }
  const isMessage = (e) => e && typeof e.data === 'string';
  const clientClose = (why) => {
    if (closedByClient || stopped) return;
    closedByClient = true;
    es.close();
    push({ kind: 'closed', why, readyState: es.readyState });
  };
  es.addEventListener('open', (e) => {
    if (isMessage(e)) return;
    push({ kind: 'open', readyState: es.readyState });
    if (actions.closeOn === 'open') clientClose('closeOn open');
  });
  for (const type of types) {
    es.addEventListener(type, (e) => {
      if (!isMessage(e)) return;
      push({ kind: 'message', type: e.type, data: e.data, lastEventId: e.lastEventId });
      if (actions.closeOn === 'message') clientClose('closeOn message');
    });
  }
  es.addEventListener('error', (e) => {
    if (isMessage(e)) return;
    const readyState = es.readyState;
    push({ kind: 'error', readyState });
    if (actions.closeOn === 'error') clientClose('closeOn error');
    else if (actions.closeDuringWaitMs !== null && readyState === 0 && !closedByClient && waitTimer === null) {
      waitTimer = setTimeout(() => clientClose('closeDuringWait'), actions.closeDuringWaitMs);
    }
  });
  return api;
}`;

interface CollectorHandle {
  log: LogEntry[];
  stop(): LogEntry[];
}
type OpenScenario = (EventSourceCtor: unknown, url: string, types: string[], actions: ScenarioActions, notify: (entry: LogEntry) => void) => CollectorHandle;

/** The log token of an entry as `expect.log` writes it, or null for the harness's own entries. */
export function token(entry: LogEntry): string | null {
  switch (entry.kind) {
    case 'open':
      return 'open';
    case 'error':
      return `error(${entry.readyState})`;
    case 'message':
      return `message(${entry.type},${entry.data},${entry.lastEventId})`;
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Drivers: one per client

export interface RunningScenario {
  /** Closes the EventSource and returns everything it logged. */
  stop(): Promise<LogEntry[]>;
}

export interface Driver {
  client: ClientName;
  implementation: string;
  /** Makes sure the client can run scenarios against this origin (a page there, for the browser). */
  prepare(origin: string): Promise<void>;
  open(url: string, types: string[], actions: ScenarioActions, notify: (entry: LogEntry) => void): Promise<RunningScenario>;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);

function versionOf(name: string): string {
  let dir = dirname(require.resolve(name));
  while (!dir.endsWith(`node_modules/${name}`) && dir !== dirname(dir)) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

export async function nodeDriver(client: 'eventsource' | 'undici'): Promise<Driver> {
  let EventSource: unknown;
  let implementation: string;
  if (client === 'eventsource') {
    ({ EventSource } = await import('eventsource'));
    implementation = `npm eventsource ${versionOf('eventsource')} (eventsource-parser ${versionOf('eventsource-parser')})`;
  } else {
    ({ EventSource } = await import('undici'));
    implementation = `undici ${versionOf('undici')} EventSource`;
  }
  const openScenario = new Function(`return (${SCENARIO_COLLECTOR_SOURCE});`)() as OpenScenario;
  return {
    client,
    implementation,
    prepare: async () => undefined,
    open: async (url, types, actions, notify) => {
      const handle = openScenario(EventSource, url, types, actions, notify);
      return { stop: async () => structuredClone(handle.stop()) };
    },
    close: async () => undefined,
  };
}

export async function chromiumDriver(executablePath = CHROMIUM_PATH): Promise<Driver> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: 30_000 });
  type Page = Awaited<ReturnType<typeof browser.newPage>>;
  const pages = new Map<string, Page>();
  const notifiers = new Map<string, (entry: LogEntry) => void>();
  const pageFor = async (origin: string): Promise<Page> => {
    let page = pages.get(origin);
    if (page) return page;
    page = await browser.newPage();
    await page.exposeFunction('__scenarioNotify', (id: string, entry: LogEntry) => notifiers.get(id)?.(entry));
    // The page shares the fixtures' origin, so no CORS is involved.
    await page.goto(`${origin}/`);
    pages.set(origin, page);
    return page;
  };
  return {
    client: 'chromium',
    implementation: `Chromium ${browser.version()}`,
    prepare: async (origin) => void (await pageFor(origin)),
    open: async (url, types, actions, notify) => {
      const page = await pageFor(new URL(url).origin);
      const id = randomUUID();
      notifiers.set(id, notify);
      const idJson = JSON.stringify(id);
      await page.evaluate(
        `(window.__scenarios = window.__scenarios || {})[${idJson}] = (${SCENARIO_COLLECTOR_SOURCE})(EventSource, ${JSON.stringify(url)}, ${JSON.stringify(types)}, ${JSON.stringify(actions)}, (entry) => window.__scenarioNotify(${idJson}, entry)), true`,
      );
      return {
        stop: async () => {
          const log = (await page.evaluate(`(() => { const s = window.__scenarios[${idJson}]; delete window.__scenarios[${idJson}]; return s.stop(); })()`)) as LogEntry[];
          notifiers.delete(id);
          return log;
        },
      };
    },
    close: async () => {
      await browser.close().catch(() => undefined);
    },
  };
}

export async function createDriver(client: ClientName): Promise<Driver> {
  return client === 'chromium' ? chromiumDriver() : nodeDriver(client);
}

// ---------------------------------------------------------------------------------------------
// Observing the server side

/**
 * When each response of a session ended, recorded in-process next to the reference server's own
 * session log (which only has arrival times). Index i is the session's request i+1: the tracker
 * listens to the same 'request' events, after the server's handler has recorded the request.
 */
export class ResponseTracker {
  readonly #sessions = new Map<string, Array<{ at: number; end: number | null }>>();

  attach(server: ReferenceServer): void {
    server.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const raw = req.url ?? '/';
      const q = raw.indexOf('?');
      if (q === -1) return;
      const token = new URLSearchParams(raw.slice(q + 1)).get('session');
      if (token === null) return;
      let list = this.#sessions.get(token);
      if (!list) this.#sessions.set(token, (list = []));
      const record: { at: number; end: number | null } = { at: performance.timeOrigin + performance.now(), end: null };
      list.push(record);
      const ended = () => {
        if (record.end === null) record.end = performance.timeOrigin + performance.now();
      };
      res.once('finish', ended);
      res.once('close', ended);
    });
  }

  count(token: string): number {
    return this.#sessions.get(token)?.length ?? 0;
  }

  /** End time of each response of the session (null while still open). */
  ends(token: string): Array<number | null> {
    return (this.#sessions.get(token) ?? []).map((r) => r.end);
  }
}

interface Environment {
  server: ReferenceServer;
  tracker: ResponseTracker;
}

async function startEnvironment(port = 0): Promise<Environment> {
  const server = await startReferenceServer({ port });
  const tracker = new ResponseTracker();
  tracker.attach(server);
  return { server, tracker };
}

// ---------------------------------------------------------------------------------------------
// Running and judging one scenario

export interface ObservedRequest {
  n: number;
  /** The Last-Event-ID header decoded as UTF-8, or null when absent. */
  lastEventId: string | null;
  /** Its bytes in hex, when present. */
  lastEventIdHex: string | null;
  headers: Record<string, string | string[] | undefined>;
  path: string;
  at: number;
  /** Milliseconds from the end of the previous response to this request (null for the first). */
  gapMs: number | null;
}

export interface Observation {
  log: LogEntry[];
  requests: ObservedRequest[];
  /** 'complete' (everything expected seen, then settled), 'client closed', 'timeout', 'threw'. */
  ending: string;
  elapsedMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function now(): number {
  return performance.timeOrigin + performance.now();
}

async function fetchSession(env: Environment, sessionToken: string): Promise<RecordedRequest[]> {
  const response = await fetch(`${env.server.url}/_sessions/${sessionToken}`);
  return ((await response.json()) as { requests: RecordedRequest[] }).requests;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** node:http hands header values over as latin1 strings: these are the bytes that were sent. */
function headerBytes(value: string): Buffer {
  return Buffer.from(value, 'latin1');
}

export async function runScenario(driver: Driver, c: ScenarioCase, shared: Environment): Promise<Observation> {
  const started = now();
  const deadline = started + c.timeoutMs;
  const sessionToken = `${driver.client}.${c.id}.${randomUUID().slice(0, 8)}`;
  const live: LogEntry[] = [];
  const notify = (entry: LogEntry) => void live.push(entry);
  let env = shared;
  let own: Environment | null = null;
  let running: RunningScenario | null = null;
  let ending = 'timeout';
  try {
    if (c.refuseFirstAttempt) {
      // A port that was just served from (so the browser page has its origin), then closed: the
      // first attempt is refused; the server comes back on the same port after the client's first error.
      const first = await startEnvironment();
      await driver.prepare(first.server.url);
      const url = first.server.url;
      await first.server.close();
      running = await driver.open(`${url}/${c.id}?session=${sessionToken}`, c.types, c.actions, notify);
      while (now() < deadline && !live.some((e) => e.kind === 'error' || e.kind === 'threw')) await sleep(10);
      own = await startEnvironment(Number(new URL(url).port));
      env = own;
    } else {
      running = await driver.open(`${env.server.url}/${c.id}?session=${sessionToken}`, c.types, c.actions, notify);
    }
    const expectedLog = c.fixture.expect.log;
    const expectedMessages = c.fixture.connections.reduce((sum, conn) => sum + (conn.events?.length ?? 0), 0);
    while (now() < deadline) {
      if (live.some((e) => e.kind === 'threw')) {
        ending = 'threw';
        break;
      }
      if (live.some((e) => e.kind === 'closed')) {
        ending = 'client closed';
        await sleep(Math.min(c.settleMs, Math.max(0, deadline - now())));
        break;
      }
      const tokens = live.filter((e) => token(e) !== null);
      const enough = expectedLog ? tokens.length >= expectedLog.length : tokens.filter((e) => e.kind === 'message').length >= expectedMessages;
      if (env.tracker.count(sessionToken) >= c.requests.count && enough) {
        ending = 'complete';
        await sleep(c.settleMs);
        break;
      }
      await sleep(20);
    }
  } catch (error) {
    ending = `harness error: ${(error as Error).message.split('\n')[0]}`;
  }
  const log = running ? await running.stop().catch(() => live) : live;
  const recorded = await fetchSession(env, sessionToken).catch(() => [] as RecordedRequest[]);
  const ends = env.tracker.ends(sessionToken);
  if (own) await own.server.close();
  const requests = recorded.map((r, i): ObservedRequest => {
    const value = header(r.headers, 'last-event-id');
    const previousEnd = i > 0 ? ends[i - 1] : null;
    return {
      n: r.n,
      lastEventId: value === undefined ? null : headerBytes(value).toString('utf8'),
      lastEventIdHex: value === undefined ? null : headerBytes(value).toString('hex'),
      headers: r.headers,
      path: r.path,
      at: r.at,
      gapMs: previousEnd === null || previousEnd === undefined ? null : Math.round((r.at - previousEnd) * 10) / 10,
    };
  });
  return { log, requests, ending, elapsedMs: Math.round(now() - started) };
}

export interface ScenarioResult {
  id: string;
  file: string;
  category: string;
  status: 'agree' | 'disagree' | 'skipped';
  skipReason: string | null;
  /** True when a disagreement is covered by a divergence naming this client. */
  explained: boolean;
  /** Every check that failed (empty when the client agrees). */
  problems: string[];
  /** Informational observations that are not part of the verdict (a wait far above minDelayMs). */
  notes: string[];
  /** The fixture's divergences that name this client (whether or not it disagreed). */
  divergences: Divergence[];
  expectedLog: string[] | null;
  observedLog: string[];
  requests: ObservedRequest[];
  actions: ScenarioActions;
  ending: string | null;
  elapsedMs: number;
}

function skipped(client: ClientName, c: ScenarioCase): ScenarioResult {
  return {
    id: c.id,
    file: c.file,
    category: c.category,
    status: 'skipped',
    skipReason: c.skip,
    explained: false,
    problems: [],
    notes: [],
    divergences: (c.fixture.divergences ?? []).filter((d) => NAMES[client].test(d.implementation)),
    expectedLog: c.fixture.expect.log ?? null,
    observedLog: [],
    requests: [],
    actions: c.actions,
    ending: null,
    elapsedMs: 0,
  };
}

function hexOf(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex');
}

/** A log for display, with runs of the same token folded ("error(0) ×21"). */
export function compactLog(log: readonly string[]): string {
  const out: string[] = [];
  for (let i = 0; i < log.length; ) {
    let j = i;
    while (j < log.length && log[j] === log[i]) j++;
    out.push(j - i > 2 ? `${log[i]} ×${j - i}` : log.slice(i, j).join(', '));
    i = j;
  }
  return out.join(', ');
}

/** Every way the observation differs from the fixture (criteria 1–5 above). */
export function scenarioProblems(c: ScenarioCase, observed: Observation): string[] {
  const problems: string[] = [];
  const { fixture } = c;
  const threw = observed.log.find((e) => e.kind === 'threw');
  if (threw && threw.kind === 'threw') problems.push(`the constructor threw: ${threw.message}`);
  if (observed.ending.startsWith('harness error')) problems.push(observed.ending);

  // 1. The number of requests.
  const made = observed.requests.length;
  if (c.requests.exact ? made !== c.requests.count : made < c.requests.count) {
    problems.push(`requests: ${made} made, ${c.requests.exact ? 'exactly' : 'at least'} ${c.requests.count} expected`);
  }

  // 2 and 3. Each scripted request: Last-Event-ID, other headers, the wait before it.
  fixture.connections.forEach((connection, i) => {
    const request = observed.requests[i];
    const want = connection.request;
    if (!request || !want) return;
    const label = `request ${i + 1}`;
    if (want.lastEventId === null && request.lastEventId !== null) {
      problems.push(`${label}: Last-Event-ID ${JSON.stringify(request.lastEventId)} sent, none expected`);
    } else if (typeof want.lastEventId === 'string') {
      if (request.lastEventId === null) problems.push(`${label}: no Last-Event-ID, expected ${JSON.stringify(want.lastEventId)}`);
      else if (request.lastEventIdHex !== hexOf(want.lastEventId)) {
        problems.push(`${label}: Last-Event-ID ${JSON.stringify(request.lastEventId)} (bytes ${request.lastEventIdHex}) instead of ${JSON.stringify(want.lastEventId)} (bytes ${hexOf(want.lastEventId)})`);
      }
    }
    for (const [name, value] of Object.entries(want.headers ?? {})) {
      const got = header(request.headers, name.toLowerCase());
      if (got !== value) problems.push(`${label}: ${name} ${got === undefined ? 'missing' : JSON.stringify(got)}, expected ${JSON.stringify(value)}`);
    }
    if (want.minDelayMs !== undefined && i > 0 && request.gapMs !== null && request.gapMs < want.minDelayMs - GAP_TOLERANCE_MS) {
      problems.push(`${label}: came ${request.gapMs} ms after response ${i} ended, expected ≥ ${want.minDelayMs} ms`);
    }
  });

  // 4. Message events, per connection that opens: the messages between one open and the next.
  const expectedSegments = fixture.connections.map((conn, i) => ({ conn, i })).filter(({ conn }) => opens(conn));
  const segments: SseEvent[][] = [];
  const before: SseEvent[] = [];
  for (const entry of observed.log) {
    if (entry.kind === 'open') segments.push([]);
    else if (entry.kind === 'message') (segments.at(-1) ?? before).push({ type: entry.type, data: entry.data, lastEventId: entry.lastEventId });
  }
  if (before.length > 0) problems.push(`${before.length} message(s) before any open`);
  for (let k = 0; k < Math.max(segments.length, expectedSegments.length); k++) {
    const expected = expectedSegments[k]?.conn.events ?? [];
    const actual = segments[k] ?? [];
    const diff = difference(expected, actual);
    if (diff === null) continue;
    const where = expectedSegments[k] ? `connection ${expectedSegments[k]!.i + 1}` : `unexpected open #${k + 1}`;
    problems.push(`${where}: ${diff}`);
  }

  // 5. The whole log.
  const log = observed.log.map(token).filter((t): t is string => t !== null);
  const expectedLog = fixture.expect.log;
  if (expectedLog) {
    const at = Array.from({ length: Math.max(log.length, expectedLog.length) }, (_, i) => i).find((i) => log[i] !== expectedLog[i]);
    if (at !== undefined) {
      problems.push(`log entry ${at + 1}: ${log[at] ?? '(none)'} instead of ${expectedLog[at] ?? '(none)'} — observed [${compactLog(log)}]`);
    }
  }
  if (observed.ending === 'timeout' && problems.length === 0) problems.push('timed out before everything expected was observed');
  return problems;
}

/** A wait this much longer than minDelayMs is noted (never judged: minDelayMs is a lower bound only). */
const LONG_WAIT_EXTRA_MS = 1000;

/** Informational: waits far above a fixture's minDelayMs (e.g. a client that fell back to its default). */
export function scenarioNotes(c: ScenarioCase, observed: Observation): string[] {
  const notes: string[] = [];
  c.fixture.connections.forEach((connection, i) => {
    const min = connection.request?.minDelayMs;
    const gap = observed.requests[i]?.gapMs;
    if (min !== undefined && i > 0 && gap !== null && gap !== undefined && gap > min + LONG_WAIT_EXTRA_MS) {
      notes.push(`request ${i + 1} came ${gap} ms after response ${i} ended, far above minDelayMs ${min} (not judged: no upper bound)`);
    }
  });
  return notes;
}

export function judgeScenario(client: ClientName, c: ScenarioCase, observed: Observation): ScenarioResult {
  const problems = scenarioProblems(c, observed);
  const divergences = (c.fixture.divergences ?? []).filter((d) => NAMES[client].test(d.implementation));
  return {
    id: c.id,
    file: c.file,
    category: c.category,
    status: problems.length === 0 ? 'agree' : 'disagree',
    skipReason: null,
    explained: problems.length > 0 && divergences.length > 0,
    problems,
    notes: scenarioNotes(c, observed),
    divergences,
    expectedLog: c.fixture.expect.log ?? null,
    observedLog: observed.log.map(token).filter((t): t is string => t !== null),
    requests: observed.requests,
    actions: c.actions,
    ending: observed.ending,
    elapsedMs: observed.elapsedMs,
  };
}

// ---------------------------------------------------------------------------------------------
// A whole client

export interface ScenarioReport {
  client: ClientName;
  implementation: string;
  date: string;
  scenarios: number;
  judged: number;
  agreed: number;
  disagreed: number;
  explained: number;
  unexplained: number;
  skipped: number;
  durationMs: number;
  results: ScenarioResult[];
}

export interface ScenarioRunOptions {
  only?: (id: string) => boolean;
  /** Scenarios run at once (Chromium allows 6 HTTP/1.1 connections per host; each scenario holds one). */
  concurrency?: number;
  executablePath?: string;
}

export async function runScenarios(client: ClientName, options: ScenarioRunOptions = {}): Promise<ScenarioReport> {
  const started = Date.now();
  const cases = scenarioCases(options.only);
  const env = await startEnvironment();
  let driver: Driver | null = null;
  try {
    driver = client === 'chromium' ? await chromiumDriver(options.executablePath) : await nodeDriver(client);
    await driver.prepare(env.server.url);
    const d = driver;
    const runnable = cases.filter((c) => c.skip === null);
    // Scenarios with their own server on a fixed port run after the shared ones.
    const sharedCases = runnable.filter((c) => !c.refuseFirstAttempt);
    const ownCases = runnable.filter((c) => c.refuseFirstAttempt);
    const observed = new Map<string, Observation>();
    const shared = await pool(sharedCases, options.concurrency ?? (client === 'chromium' ? 4 : 6), (c) => runScenario(d, c, env));
    sharedCases.forEach((c, i) => observed.set(c.id, shared[i]!));
    for (const c of ownCases) observed.set(c.id, await runScenario(d, c, env));
    const results = cases.map((c) => (c.skip !== null ? skipped(client, c) : judgeScenario(client, c, observed.get(c.id)!)));
    const judged = results.filter((r) => r.status !== 'skipped');
    const agreed = judged.filter((r) => r.status === 'agree').length;
    const explained = judged.filter((r) => r.explained).length;
    return {
      client,
      implementation: driver.implementation,
      date: new Date().toISOString(),
      scenarios: results.length,
      judged: judged.length,
      agreed,
      disagreed: judged.length - agreed,
      explained,
      unexplained: judged.length - agreed - explained,
      skipped: results.length - judged.length,
      durationMs: Date.now() - started,
      results,
    };
  } finally {
    await driver?.close();
    await env.server.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Reports

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function formatScenarioTable(report: ScenarioReport): string {
  const lines = [
    `${report.implementation}: ${report.judged} scenarios judged, ${report.agreed} agree, ${report.disagreed} disagree ` +
      `(${report.explained} explained, ${report.unexplained} unexplained), ${report.skipped} skipped (${(report.durationMs / 1000).toFixed(1)} s)`,
  ];
  for (const r of report.results.filter((x) => x.status === 'disagree')) {
    lines.push(`  ${r.id}: ${r.explained ? 'explained' : 'UNEXPLAINED'}`);
    for (const p of r.problems) lines.push(`    - ${p}`);
  }
  for (const r of report.results.filter((x) => x.notes.length > 0)) {
    for (const note of r.notes) lines.push(`  note ${r.id}: ${note}`);
  }
  return lines.join('\n');
}

export function reportPath(client: ClientName): string {
  return join(REPORT_DIR, `scenarios-${client}.json`);
}

export function writeScenarioReport(report: ScenarioReport): string {
  mkdirSync(REPORT_DIR, { recursive: true });
  const path = reportPath(report.client);
  writeFileSync(path, JSON.stringify(report, null, 2) + '\n');
  return path;
}

/** A short form of a skip reason for the table cells. */
function shortReason(reason: string): string {
  return reason.split(/[:;(]/)[0]!.trim();
}

/** reports/clients/scenarios.md from whichever scenarios-<client>.json exist. */
export function writeScenarioMatrix(): string {
  const reports = new Map<ClientName, ScenarioReport>();
  for (const client of CLIENTS) {
    const path = reportPath(client);
    if (existsSync(path)) reports.set(client, JSON.parse(readFileSync(path, 'utf8')) as ScenarioReport);
  }
  const byId = new Map<string, Map<ClientName, ScenarioResult>>();
  const files = new Map<string, string>();
  for (const [client, report] of reports) {
    for (const r of report.results) {
      files.set(r.id, r.file);
      if (!byId.has(r.id)) byId.set(r.id, new Map());
      byId.get(r.id)!.set(client, r);
    }
  }
  const out = [
    '# Real clients against the scenario fixtures',
    '',
    'Generated by `node --import tsx clients/scenarios.ts`. Every scenario fixture a plain same-origin `EventSource` can exercise is replayed by the reference server, connection by connection, to a real client. A client agrees when (1) it makes the expected number of requests (exactly, when `expect.requests` is set), (2) each request carries the expected `Last-Event-ID` (same UTF-8 bytes, or none) and `request.headers`, (3) each request comes no sooner than `minDelayMs` after the previous response ended (5 ms tolerance, no upper bound), (4) each connection that opens dispatches its `events`, and (5) the observed log equals `expect.log`. A disagreement is *explained* when the fixture lists a divergence naming that client.',
    '',
    '| client | implementation | judged | agree | disagree (explained) | unexplained | skipped | date |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const client of CLIENTS) {
    const r = reports.get(client);
    out.push(r
      ? `| ${client} | ${r.implementation} | ${r.judged} | ${r.agreed} | ${r.disagreed} (${r.explained}) | ${r.unexplained} | ${r.skipped} | ${r.date.slice(0, 10)} |`
      : `| ${client} | not run | | | | | | |`);
  }
  out.push('', `| scenario | ${CLIENTS.join(' | ')} |`, `|---|${CLIENTS.map(() => '---').join('|')}|`);
  for (const [id, m] of [...byId.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const cells = CLIENTS.map((client) => {
      const r = m.get(client);
      if (!r) return '—';
      if (r.status === 'skipped') return `skipped (${cell(shortReason(r.skipReason ?? ''))})`;
      if (r.status === 'agree') return 'agree';
      return r.explained ? 'disagree (explained)' : '**disagree (unexplained)**';
    });
    out.push(`| [${id}](../../${files.get(id)}) | ${cells.join(' | ')} |`);
  }
  const disagreements = [...byId.entries()].filter(([, m]) => [...m.values()].some((r) => r.status === 'disagree'));
  out.push('', '## Disagreements', '');
  if (disagreements.length === 0) out.push('None.');
  for (const [id, m] of disagreements.sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`- **${id}**`);
    for (const client of CLIENTS) {
      const r = m.get(client);
      if (!r || r.status !== 'disagree') continue;
      const named = r.divergences.map((d) => `${cell(d.implementation)}: ${cell(d.behaviour)}`).join(' / ');
      out.push(`  - ${client} (${r.explained ? 'explained' : '**unexplained**'}): ${cell(r.problems.join('; '))}${named ? ` — divergence: ${named}` : ''}`);
    }
  }
  const noted = [...byId.entries()].filter(([, m]) => [...m.values()].some((r) => (r.notes ?? []).length > 0));
  if (noted.length > 0) {
    out.push('', '## Notes (not judged)', '');
    for (const [id, m] of noted.sort(([a], [b]) => a.localeCompare(b))) {
      for (const client of CLIENTS) for (const note of m.get(client)?.notes ?? []) out.push(`- **${id}**, ${client}: ${cell(note)}`);
    }
  }
  const skips = new Map<string, string>();
  for (const [id, m] of byId) for (const r of m.values()) if (r.status === 'skipped' && r.skipReason) skips.set(id, r.skipReason);
  out.push('', '## Skipped', '');
  for (const [id, reason] of [...skips.entries()].sort(([a], [b]) => a.localeCompare(b))) out.push(`- **${id}**: ${cell(reason)}`);
  out.push('');
  mkdirSync(REPORT_DIR, { recursive: true });
  const path = join(REPORT_DIR, 'scenarios.md');
  writeFileSync(path, out.join('\n'));
  return path;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const chosen = flag(args, '--client');
  if (chosen && !CLIENTS.includes(chosen as ClientName)) {
    console.error(`unknown client ${JSON.stringify(chosen)}: one of ${CLIENTS.join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const only = flag(args, '--only');
  const concurrency = flag(args, '--concurrency');
  let unexplained = 0;
  for (const client of chosen ? [chosen as ClientName] : CLIENTS) {
    if (client === 'chromium') {
      const unavailable = await chromiumUnavailable();
      if (unavailable) {
        console.error(`cannot run Chromium: ${unavailable}`);
        if (chosen) process.exitCode = 2;
        continue;
      }
    }
    const report = await runScenarios(client, {
      ...(only ? { only: (id: string) => id.includes(only) } : {}),
      ...(concurrency ? { concurrency: Number(concurrency) } : {}),
    });
    unexplained += report.unexplained;
    console.log(formatScenarioTable(report));
    console.log(`wrote ${writeScenarioReport(report)}\n`);
  }
  console.log(`wrote ${writeScenarioMatrix()}`);
  if (unexplained > 0 && process.exitCode === undefined) process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
