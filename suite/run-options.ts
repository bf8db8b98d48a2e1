/**
 * The options of `run`, `probe` and the embedded run, and how each value is read and checked: one
 * line and exit 2 (UsageError) for every mistake. Header values become secrets here
 * (suite/secrets.ts), before anything prints them.
 */
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { REPORT_OPTIONS, SELECTION_OPTIONS, wholeNumber } from './cli-values.ts';
import { headerSecrets, type Secret } from './secrets.ts';
import type { TlsTrust } from './transport.ts';
import { UsageError } from './usage-error.ts';

export const RUN_OPTIONS = {
  ...SELECTION_OPTIONS,
  header: { type: 'string', multiple: true },
  'header-env': { type: 'string', multiple: true },
  'header-file': { type: 'string', multiple: true },
  timeout: { type: 'string' },
  idle: { type: 'string' },
  concurrency: { type: 'string' },
  heartbeat: { type: 'string' },
  'idle-cut': { type: 'string' },
  origin: { type: 'string' },
  credentials: { type: 'boolean' },
  aborts: { type: 'string' },
  duration: { type: 'string' },
  'max-bytes': { type: 'string' },
  'max-events': { type: 'string' },
  'max-line': { type: 'string' },
  'max-duration': { type: 'string' },
  insecure: { type: 'boolean' },
  ca: { type: 'string' },
  tls: { type: 'boolean' },
  http2: { type: 'boolean' },
  ...REPORT_OPTIONS,
} satisfies ParseArgsConfig['options'];

export type Values = ReturnType<typeof parseArgs<{ options: typeof RUN_OPTIONS; allowPositionals: true }>>['values'];

export function int(values: Values, name: keyof Values, min = 1): number | undefined {
  return wholeNumber(values[name], String(name), min);
}

export function parseTarget(raw: string | undefined, what: string): string {
  if (!raw) throw new UsageError(`${what} is missing`);
  let url: URL;
  try {
    url = new URL(raw.replaceAll('{id}', '__ID__'));
  } catch {
    throw new UsageError(`${JSON.stringify(raw)} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`unsupported scheme ${url.protocol} in ${raw} (use http: or https:)`);
  return raw;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function checkedValue(name: string, value: string, from: string): string {
  if (/[\r\n\0]/.test(value)) throw new UsageError(`${from} ${name}: the value contains a line break or NUL`);
  return value;
}

/** `Name=rest` of --header-env / --header-file. */
function assignment(option: string, raw: string): [string, string] {
  const eq = raw.indexOf('=');
  const name = eq > 0 ? raw.slice(0, eq).trim() : '';
  if (!HEADER_NAME.test(name) || eq === raw.length - 1) throw new UsageError(`${option} ${JSON.stringify(raw.slice(0, 40))} is not "Name=${option === '--header-env' ? 'VARIABLE' : 'FILE'}"`);
  return [name.toLowerCase(), raw.slice(eq + 1).trim()];
}

/** Request headers and the secrets they make: every value, from the line, the environment or a file. */
export function headersFrom(values: Values): { headers: Record<string, string>; secrets: Secret[] } {
  const headers: Record<string, string> = {};
  const variables: Record<string, string> = {};
  for (const raw of values.header ?? []) {
    const colon = raw.indexOf(':');
    const name = colon > 0 ? raw.slice(0, colon).trim() : '';
    // The value is never echoed, even in an error: it may be a credential.
    if (!HEADER_NAME.test(name)) throw new UsageError(`--header ${JSON.stringify(name || raw.slice(0, 20))}… is not "Name: value"`);
    headers[name.toLowerCase()] = checkedValue(name, raw.slice(colon + 1).trim(), '--header');
  }
  for (const raw of values['header-env'] ?? []) {
    const [name, variable] = assignment('--header-env', raw);
    const value = process.env[variable];
    if (value === undefined) throw new UsageError(`--header-env ${name}: the environment variable ${variable} is not set`);
    headers[name] = checkedValue(name, value.trim(), '--header-env');
    variables[name] = variable;
  }
  for (const raw of values['header-file'] ?? []) {
    const [name, file] = assignment('--header-file', raw);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`--header-file ${name}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    headers[name] = checkedValue(name, text.split(/\r?\n/)[0]!.trim(), '--header-file');
  }
  return { headers, secrets: headerSecrets(headers, variables) };
}

/** What to trust over TLS: --insecure, or the certificates of --ca <file> (never printed). */
export function trustFrom(values: Values): TlsTrust | undefined {
  if (values.ca === undefined) return values.insecure ? { insecure: true } : undefined;
  let text: string;
  try {
    text = readFileSync(values.ca, 'utf8');
  } catch (error) {
    throw new UsageError(`--ca: cannot read ${values.ca} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--ca: ${values.ca} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return { ca: text, ...(values.insecure ? { insecure: true } : {}) };
}

/** --origin: a serialised origin (scheme://host[:port]), as a browser sends it in Origin. */
export function originFrom(values: Values): { origin?: string; credentials?: boolean } {
  const raw = values.origin;
  if (raw === undefined) {
    if (values.credentials) throw new UsageError('--credentials goes with --origin');
    return {};
  }
  let origin: string | undefined;
  try {
    origin = new URL(raw).origin;
  } catch {
    origin = undefined;
  }
  if (origin === undefined || origin === 'null' || origin !== raw) throw new UsageError(`--origin takes an origin such as https://app.example (scheme, host, optional port; no path), not ${JSON.stringify(raw)}`);
  return { origin, credentials: values.credentials ?? false };
}
