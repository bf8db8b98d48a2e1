/**
 * The launch spec of a target: its `target.json`, validated against `target.schema.json` (unknown
 * keys are errors, so a typo'd "startTimeout" cannot be silently ignored), and the commands it
 * names with their placeholders filled in.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule, { type ErrorObject } from 'ajv';

const Ajv = AjvModule.default ?? AjvModule;

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const TARGETS_DIR = join(ROOT, 'matrix', 'targets');

export const DEFAULT_BUILD_TIMEOUT_MS = 300_000;
export const DEFAULT_START_TIMEOUT_MS = 10_000;

export type Language = 'python' | 'go' | 'rust' | 'java' | 'kotlin' | 'node' | 'nginx';
export type Requirement = string | { path: string; apt?: string };

/** A target's `target.json`, as written (see matrix/target.schema.json). */
export interface LaunchSpec {
  language: Language;
  library: string;
  version: string;
  title?: string;
  build?: string[];
  buildTimeoutMs?: number;
  start: string[];
  startTimeoutMs?: number;
  requires?: Requirement[];
}

/** One target: its folder name and folder, and its launch spec. */
export interface Target {
  name: string;
  dir: string;
  spec: LaunchSpec;
}

const schema = JSON.parse(readFileSync(new URL('./target.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile<LaunchSpec>(schema);

const describe = (e: ErrorObject): string => {
  const at = e.instancePath || '(top level)';
  if (e.keyword === 'additionalProperties') return `${at}: unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  return `${at}: ${e.message ?? e.keyword}`;
};

/** Parses and validates one target.json; throws an error naming the file and every problem. */
export function parseLaunchSpec(text: string, where: string): LaunchSpec {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where}: not JSON (${(error as Error).message})`);
  }
  if (!validate(value)) {
    // oneOf reports every branch; the unknown-key and type errors are the useful ones.
    const problems = [...new Set((validate.errors ?? []).filter((e) => e.keyword !== 'oneOf').map(describe))];
    throw new Error(`${where}: ${problems.join('; ')}`);
  }
  return value;
}

/** The target in `matrix/targets/<name>/`. */
export function loadTarget(name: string, targetsDir = TARGETS_DIR): Target {
  const dir = join(targetsDir, name);
  const path = join(dir, 'target.json');
  return { name, dir, spec: parseLaunchSpec(readFileSync(path, 'utf8'), relative(ROOT, path)) };
}

/** Every folder with a target.json (folders starting with `_` or `.` hold shared code, not targets). */
export function listTargets(targetsDir = TARGETS_DIR): string[] {
  return readdirSync(targetsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !/^[_.]/.test(d.name) && existsSync(join(targetsDir, d.name, 'target.json')))
    .map((d) => d.name)
    .sort();
}

/** Build caches that survive fresh clones: $SSE_CONFORMANCE_CACHE, else ~/.cache/sse-conformance. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.SSE_CONFORMANCE_CACHE || join(homedir(), '.cache', 'sse-conformance');
  mkdirSync(root, { recursive: true });
  return root;
}

export type Placeholders = Partial<Record<'corpus' | 'port' | 'dir' | 'cache' | 'root', string>>;

/** A command with its placeholders filled in; "node" is this Node. A placeholder not available here (say {port} in a build) is an error. */
export function fillCommand(argv: readonly string[], values: Placeholders): [string, string[]] {
  const filled = argv.map((arg) =>
    arg.replace(/\{(corpus|port|dir|cache|root)\}/g, (whole, key: string) => {
      const value = values[key as keyof Placeholders];
      if (value === undefined) throw new Error(`${whole} is not available in this command (have: ${Object.keys(values).map((k) => `{${k}}`).join(' ')})`);
      return value;
    }),
  );
  const [cmd, ...args] = filled;
  return [cmd === 'node' ? process.execPath : cmd!, args];
}

/** The first `requires` path that does not exist, as a row's reason, or null. */
export function missingRequirement(target: Target): string | null {
  for (const r of target.spec.requires ?? []) {
    const { path, apt } = typeof r === 'string' ? { path: r, apt: undefined } : r;
    if (existsSync(path)) continue;
    const hint = apt ? `apt-get install ${apt}` : `see ${relative(ROOT, join(target.dir, 'README.md'))}`;
    return `not installed: ${path} (${hint})`;
  }
  return null;
}

/** A command as one shell line, for logs. */
export const shellWords = (cmd: string, args: readonly string[]): string =>
  [cmd, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
