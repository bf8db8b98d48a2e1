/**
 * CORS, for a page on another origin (--origin; --credentials asks as `withCredentials` does).
 * The stream is requested with `Origin` and its headers put through Fetch's CORS check; then a
 * preflight asks for `last-event-id` and `authorization`, as fetch-based EventSource clients do
 * (spec/INTEROP.md#cors-preflight). Without --origin there is no page to judge for: SKIP.
 */
import type { Finding } from '../result.ts';
import type { Transcript } from '../read-response.ts';
import { preflight } from '../preflight.ts';
import { curlHeaders, curlPreflight } from '../repro.ts';
import type { TlsTrust } from '../transport.ts';
import type { Check } from './check.ts';

const ALLOW_ORIGIN = 'server.cors.allow-origin';
const CREDENTIALS = 'server.cors.credentials';
const PREFLIGHT = 'server.cors.preflight';
/** What a reconnecting fetch-based client adds to its GET: both need a preflight cross-origin. */
const ASKED = ['authorization', 'last-event-id'] as const;

/** Why a browser refuses a response, by requirement; a requirement absent was not broken. */
export interface CorsProblems {
  allowOrigin?: string;
  credentials?: string;
}

/**
 * Fetch "CORS check" on a response's headers: the allowed origin must be the request's origin,
 * or `*` without credentials (steps 2–3); with credentials, Access-Control-Allow-Credentials must
 * be `true` (steps 4–5). A response that declares credentials (`true`) while allowing `*` is
 * judged as if asked with them: it means credentials, and no browser accepts it with them. The
 * one owner of that judgement, for the stream and for its preflight.
 */
export function corsProblems(headers: Record<string, string>, origin: string, credentials: boolean): CorsProblems {
  const allowed = headers['access-control-allow-origin'];
  const allowCredentials = headers['access-control-allow-credentials'];
  if (allowed === undefined) return { allowOrigin: 'no Access-Control-Allow-Origin: browsers block the response for any other origin' };
  if (allowed !== origin && allowed !== '*') return { allowOrigin: `Access-Control-Allow-Origin is ${JSON.stringify(allowed)}, not the origin ${origin} nor *: browsers block the response` };
  if (allowed === '*' && (credentials || allowCredentials === 'true')) {
    return { credentials: `Access-Control-Allow-Origin is * ${allowCredentials === 'true' ? 'together with Access-Control-Allow-Credentials: true' : 'on a request with credentials'}: browsers refuse * with credentials — echo the origin ${origin} instead` };
  }
  if (credentials && allowCredentials !== 'true') {
    return { credentials: `with credentials, Access-Control-Allow-Credentials must be "true", not ${allowCredentials === undefined ? 'missing' : JSON.stringify(allowCredentials)}: browsers block the response` };
  }
  return {};
}

/** Header names Access-Control-Allow-Headers lets through for this request (Fetch: `*` is literal with credentials, never covers authorization). */
export function headersNotAllowed(headers: Record<string, string>, asked: readonly string[], credentials: boolean): string[] {
  const listed = (headers['access-control-allow-headers'] ?? '').split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
  const wildcard = listed.includes('*') && !credentials;
  return asked.filter((name) => !listed.includes(name) && !(wildcard && name !== 'authorization'));
}

function judgeStream(response: Transcript, first: Transcript, origin: string, credentials: boolean, repro: string): Finding[] {
  const fail = (requirement: string, message: string): Finding => ({ requirement, status: 'fail', message, transcript: response, repro });
  if (response.status === undefined) return [fail(ALLOW_ORIGIN, `with Origin: ${origin} the request got no response (${response.error ?? response.stop}), although it did without`)];
  if (response.status !== first.status) return [fail(ALLOW_ORIGIN, `with Origin: ${origin} the endpoint answers ${response.status} (${first.status} without): a page on that origin gets no stream`)];
  const problems = corsProblems(response.headers, origin, credentials);
  const allowed = `Access-Control-Allow-Origin: ${response.headers['access-control-allow-origin']}`;
  const findings: Finding[] = [problems.allowOrigin ? fail(ALLOW_ORIGIN, problems.allowOrigin) : { requirement: ALLOW_ORIGIN, status: 'pass', message: allowed }];
  if (problems.credentials) findings.push(fail(CREDENTIALS, problems.credentials));
  else if (problems.allowOrigin) findings.push({ requirement: CREDENTIALS, status: 'skip', message: 'the origin is not allowed at all, so credentials cannot be judged' });
  else if (credentials) findings.push({ requirement: CREDENTIALS, status: 'pass', message: `${allowed} with Access-Control-Allow-Credentials: true` });
  else findings.push({ requirement: CREDENTIALS, status: 'skip', message: 'not asked with credentials (--credentials asks as withCredentials does)' });
  return findings;
}

async function judgePreflight(url: string, origin: string, credentials: boolean, limits: Parameters<typeof preflight>[0]['limits'], tls: TlsTrust | undefined): Promise<Finding> {
  const answer = await preflight({ url, origin, method: 'GET', headers: ASKED, limits, ...(tls ? { tls } : {}) });
  const repro = curlPreflight(url, answer.requestHeaders);
  const fail = (message: string): Finding => ({ requirement: PREFLIGHT, status: 'fail', message, transcript: answer, repro });
  const asked = `the preflight for GET with ${ASKED.join(' and ')}`;
  if (answer.status === undefined) return fail(`${asked} got no answer (${answer.error ?? answer.stop}): fetch-based clients cannot open the stream`);
  if (answer.status < 200 || answer.status > 299) return fail(`${asked} was answered ${answer.status}, not 2xx: fetch-based clients that send Last-Event-ID or Authorization cannot open the stream`);
  const problems = corsProblems(answer.headers, origin, credentials);
  const refused = problems.allowOrigin ?? problems.credentials;
  if (refused) return fail(`${asked}: ${refused}`);
  const missing = headersNotAllowed(answer.headers, ASKED, credentials);
  if (missing.length > 0) {
    const listed = answer.headers['access-control-allow-headers'];
    return fail(`${asked}: Access-Control-Allow-Headers ${listed === undefined ? 'is missing' : `is ${JSON.stringify(listed)}`}, which does not allow ${missing.join(' or ')}${listed?.includes('*') ? ' (* never covers authorization, nor anything with credentials)' : ''}`);
  }
  return { requirement: PREFLIGHT, status: 'pass', message: `${asked} was answered ${answer.status}, allowing both` };
}

export const corsCheck: Check = {
  name: 'cors',
  description: 'With --origin: Access-Control-Allow-Origin allows the origin (never * with credentials), and a preflight for last-event-id and authorization is allowed.',
  requirements: [ALLOW_ORIGIN, CREDENTIALS, PREFLIGHT],
  needs: 'response',
  // CORS is the server's configuration, not a fixture's: judged once per target.
  scope: 'target',
  applies: () => true,
  async run({ url, headers, limits, tls, transcript, read, origin, credentials = false }): Promise<Finding[]> {
    if (origin === undefined) return [{ requirement: ALLOW_ORIGIN, status: 'skip', message: 'no --origin given: there is no page origin to judge CORS for' }];
    const withOrigin = { ...headers, origin };
    // Only the response headers matter: the read stops as soon as they arrive.
    const response = await read({ headers: withOrigin, holdMs: 0 });
    return [...judgeStream(response, transcript, origin, credentials, curlHeaders(url, withOrigin)), await judgePreflight(url, origin, credentials, limits, tls)];
  },
};
