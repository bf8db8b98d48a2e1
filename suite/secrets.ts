/**
 * Secrets are never written. Header values given to the suite (on the command line, from the
 * environment or from a file) and credential-looking query parameters of the target URL are
 * replaced, in every result and so in every report, by the name of an environment variable that
 * holds them; a repro line reads that variable (`"$SSE_HEADER_AUTHORIZATION"`), so it still works
 * once the user sets it.
 */

export interface Secret {
  /** The secret text as sent. */
  value: string;
  /** The environment variable that stands for it in output. */
  variable: string;
  /** What it is, for the one line that names the variables: "authorization header". */
  what: string;
}

/** Query parameters that carry credentials by convention (compared case-insensitively). */
export const CREDENTIAL_PARAMETERS = ['token', 'access_token', 'id_token', 'refresh_token', 'api_key', 'apikey', 'key', 'jwt', 'auth', 'password', 'secret', 'client_secret'];

/** Shorter values are left alone: replacing every "1" or "on" would garble reports, not protect anything. */
const MIN_SECRET_LENGTH = 4;

const variableName = (prefix: string, name: string) => `${prefix}${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '')}`;

/** The variable that stands for a header given on the command line. */
export function headerVariable(name: string): string {
  return variableName('SSE_HEADER_', name);
}

/** Every header value as a secret; `variables` names the ones that came from the user's own variables. */
export function headerSecrets(headers: Record<string, string>, variables: Record<string, string> = {}): Secret[] {
  return Object.entries(headers).map(([name, value]) => ({ value, variable: variables[name] ?? headerVariable(name), what: `${name} header` }));
}

/** Credential-looking query parameters of a URL (or URL template). */
export function querySecrets(url: string): Secret[] {
  let parsed: URL;
  try {
    parsed = new URL(url.replaceAll('{id}', 'id'));
  } catch {
    return [];
  }
  const out: Secret[] = [];
  for (const [name, value] of parsed.searchParams) {
    if (CREDENTIAL_PARAMETERS.includes(name.toLowerCase()) && value !== '') out.push({ value, variable: variableName('SSE_QUERY_', name), what: `${name} in the URL's query` });
  }
  return out;
}

/** The forms a value takes in text we write: as is, percent-encoded, and as a shell quote escapes it. */
function formsOf(secret: Secret): string[] {
  const forms = new Set([secret.value, encodeURIComponent(secret.value), new URLSearchParams({ v: secret.value }).toString().slice(2), secret.value.replace(/'/g, `'\\''`)]);
  return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

function replaceAll(text: string, secrets: readonly Secret[], replacement: (secret: Secret) => string): string {
  let out = text;
  for (const secret of secrets) for (const form of formsOf(secret)) if (out.includes(form)) out = out.split(form).join(replacement(secret));
  return out;
}

/** Text with every secret replaced by `$VARIABLE`. */
export function redactText(text: string, secrets: readonly Secret[]): string {
  return secrets.length === 0 ? text : replaceAll(text, secrets, (s) => `$${s.variable}`);
}

/**
 * A shell command line (our repro lines quote every word in single quotes) with every secret
 * replaced by its variable, closed out of the quotes so the shell expands it: '…'"$VAR"'…'.
 */
export function redactShell(command: string, secrets: readonly Secret[]): string {
  return secrets.length === 0 ? command : replaceAll(command, secrets, (s) => `'"$${s.variable}"'`);
}

/**
 * A deep copy of plain data (a run, a result) with every secret replaced: `repro` fields as shell
 * command lines, every other string as text. Object keys are kept (header names are not secret).
 */
export function redact<T>(data: T, secrets: readonly Secret[]): T {
  if (secrets.length === 0) return data;
  const walk = (value: unknown, key: string | undefined): unknown => {
    if (typeof value === 'string') return key === 'repro' ? redactShell(value, secrets) : redactText(value, secrets);
    if (Array.isArray(value)) return value.map((item) => walk(item, undefined));
    if (value !== null && typeof value === 'object') {
      if (ArrayBuffer.isView(value)) return value;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    }
    return value;
  };
  return walk(data, undefined) as T;
}

/** The one line that tells the user which variables stand for what. */
export function describeSecrets(secrets: readonly Secret[]): string | null {
  const shown = secrets.filter((s) => s.value.length >= MIN_SECRET_LENGTH);
  if (shown.length === 0) return null;
  return `secrets are never printed: output shows ${shown.map((s) => `$${s.variable} (${s.what})`).join(', ')}; set these variables to run a repro line`;
}
