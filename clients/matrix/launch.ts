/**
 * Launch files: each test service lives in clients/services/<language>-<client>/ with a
 * `service.json` that says what it is and how to start it (clients/README.md, "Launch files").
 * This module reads them strictly, builds and starts a service on a free loopback port, waits for
 * its first answer, and stops it again — every step bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { status } from '../../suite/client/service.ts';

export const ROOT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SERVICES_DIR = join(ROOT_DIR, 'clients', 'services');

export interface LaunchFile {
  /** Language or platform of the client, as the matrix shows it ("Node", "Python", "browser"). */
  language: string;
  /** The client library, as the matrix shows it. */
  client: string;
  /** The exact version the service pins. */
  version: string;
  /** Which fixture divergences name this client: a word or /regex/ (default: the service's name). */
  divergences?: string;
  /** Files that must exist for the service to run (e.g. /usr/bin/chromium); otherwise it is not run. */
  requires?: string[];
  /** Clients the harness runs at once against this service (default 8). */
  concurrency?: number;
  /** Argument vector run once before starting (compile, install into {cache}); placeholders apply. */
  build?: string[];
  buildTimeoutMs?: number;
  /** Argument vector that starts the service listening on 127.0.0.1:{port}. */
  start: string[];
  /** How long the service may take to answer GET / (default 10000). */
  startTimeoutMs?: number;
}

export interface Service {
  /** The folder name, e.g. node-undici. */
  name: string;
  dir: string;
  launch: LaunchFile;
}

export class LaunchFileError extends Error {}

const FIELDS: Record<keyof LaunchFile, 'string' | 'number' | 'strings'> = {
  language: 'string',
  client: 'string',
  version: 'string',
  divergences: 'string',
  requires: 'strings',
  concurrency: 'number',
  build: 'strings',
  buildTimeoutMs: 'number',
  start: 'strings',
  startTimeoutMs: 'number',
};
const REQUIRED: Array<keyof LaunchFile> = ['language', 'client', 'version', 'start'];

/** Reads and checks one launch file; an unknown or mistyped field is an error naming the file and the field. */
export function readLaunchFile(path: string): LaunchFile {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new LaunchFileError(`${path}: not readable JSON (${(error as Error).message})`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new LaunchFileError(`${path}: must be a JSON object`);
  const record = doc as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    const kind = FIELDS[key as keyof LaunchFile];
    if (!kind) throw new LaunchFileError(`${path}: unknown field "${key}" (known: ${Object.keys(FIELDS).join(', ')})`);
    const ok = kind === 'string' ? typeof value === 'string' && value !== '' : kind === 'number' ? Number.isInteger(value) && (value as number) > 0 : Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string');
    if (!ok) throw new LaunchFileError(`${path}: "${key}" must be ${kind === 'strings' ? 'a non-empty array of strings' : kind === 'number' ? 'a positive whole number' : 'a non-empty string'}`);
  }
  for (const key of REQUIRED) if (!(key in record)) throw new LaunchFileError(`${path}: "${key}" is missing`);
  return record as unknown as LaunchFile;
}

/** Every service folder with a launch file, in name order. */
export function listServices(dir = SERVICES_DIR): Service[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'service.json')))
    .map((entry) => ({ name: entry.name, dir: join(dir, entry.name), launch: readLaunchFile(join(dir, entry.name, 'service.json')) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function cacheDir(): string {
  return process.env.SSE_CONFORMANCE_CACHE ?? join(homedir(), '.cache', 'sse-conformance');
}

/** {port} {dir} {cache} {root} replaced in each argument. */
export function substitute(args: readonly string[], values: Record<'port' | 'dir' | 'cache' | 'root', string>): string[] {
  return args.map((arg) => arg.replace(/\{(port|dir|cache|root)\}/g, (_, key: keyof typeof values) => values[key]));
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The last lines a process wrote, kept small. */
class Tail {
  text = '';
  add(chunk: Buffer): void {
    this.text = (this.text + chunk.toString('utf8')).slice(-4000);
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolveStop) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal); // the service's own process group
      } catch {
        child.kill(signal);
      }
    };
    const hard = setTimeout(() => kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(hard);
      resolveStop();
    });
    kill('SIGTERM');
  });
}

function run(args: string[], cwd: string, timeoutMs: number): Promise<string | null> {
  return new Promise((resolveRun) => {
    const tail = new Tail();
    const child = spawn(args[0]!, args.slice(1), { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c: Buffer) => tail.add(c));
    child.stderr!.on('data', (c: Buffer) => tail.add(c));
    const timer = setTimeout(() => {
      void stopProcess(child);
      resolveRun(`build did not finish within ${timeoutMs} ms`);
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolveRun(`build could not start: ${error.message}`);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolveRun(code === 0 ? null : `build exited with ${code}: ${tail.text.trim().split('\n').slice(-3).join(' | ')}`);
    });
  });
}

export interface Running {
  url: string;
  stop(): Promise<void>;
  /** What the service wrote lately (for a failure message). */
  output(): string;
}

/** Builds (if asked) and starts a service; resolves once it answers GET /, or with why it did not. */
export async function launch(service: Service): Promise<Running | { problem: string }> {
  const missing = (service.launch.requires ?? []).filter((path) => !existsSync(path));
  if (missing.length > 0) return { problem: `not run: ${missing.join(', ')} missing` };
  const cache = join(cacheDir(), service.name);
  mkdirSync(cache, { recursive: true });
  const port = await freePort();
  const values = { port: String(port), dir: service.dir, cache, root: ROOT_DIR };
  if (service.launch.build) {
    const failed = await run(substitute(service.launch.build, values), service.dir, service.launch.buildTimeoutMs ?? 600_000);
    if (failed) return { problem: failed };
  }
  const args = substitute(service.launch.start, values);
  const tail = new Tail();
  const child = spawn(args[0]!, args.slice(1), { cwd: service.dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (c: Buffer) => tail.add(c));
  child.stderr!.on('data', (c: Buffer) => tail.add(c));
  let startError: string | null = null;
  child.once('error', (error) => (startError = error.message));
  const url = `http://127.0.0.1:${port}`;
  const answer = await status(url, 2000, service.launch.startTimeoutMs ?? 10_000);
  if (startError || 'unreachable' in answer) {
    await stopProcess(child);
    return { problem: `did not start: ${startError ?? (answer as { unreachable: string }).unreachable}${tail.text ? ` — output: ${tail.text.trim().split('\n').slice(-3).join(' | ')}` : ''}` };
  }
  return { url, stop: () => stopProcess(child), output: () => tail.text };
}
