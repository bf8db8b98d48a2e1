/**
 * Over HTTP/2 a response must not carry connection-specific headers such as `Connection` or
 * `Keep-Alive` (RFC 9113 §8.2.2): clients treat it as malformed and reset the stream, so the
 * EventSource sees a network error and reconnects forever. Many SSE tutorials set
 * `Connection: keep-alive` by hand, which breaks as soon as a proxy speaks HTTP/2. Over https: the
 * suite's own reads negotiate HTTP/2 through ALPN, and the check judges the response they got; for
 * http: it talks HTTP/2 with prior knowledge. A target that does not speak HTTP/2 is a skip.
 */
import { connect, type ClientHttp2Session } from 'node:http2';
import type { Finding } from '../result.ts';
import type { Transcript } from '../read-response.ts';
import type { Check } from './check.ts';

const REQUIREMENT = 'server.header.no-connection-h2';
const CONNECTION_SPECIFIC = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade'];

type Outcome = { kind: 'no-h2'; why: string } | { kind: 'reset'; code: string } | { kind: 'response'; headers: Record<string, unknown> };

function tryHttp2(url: string, headers: Record<string, string>, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const target = new URL(url);
    let speaksH2 = false;
    let session: ClientHttp2Session | undefined;
    const finish = (outcome: Outcome) => {
      clearTimeout(timer);
      session?.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish(speaksH2 ? { kind: 'no-h2', why: `no HTTP/2 response within ${timeoutMs} ms` } : { kind: 'no-h2', why: 'no HTTP/2 answer' }), timeoutMs);
    try {
      session = connect(target.origin);
    } catch (error) {
      return finish({ kind: 'no-h2', why: (error as Error).message });
    }
    session.on('remoteSettings', () => (speaksH2 = true));
    session.on('error', (error: NodeJS.ErrnoException) => finish({ kind: 'no-h2', why: error.code ?? error.message }));
    const forwarded = Object.fromEntries(Object.entries(headers).filter(([name]) => !CONNECTION_SPECIFIC.includes(name) && name !== 'host'));
    const stream = session.request({ ':path': `${target.pathname}${target.search}`, accept: 'text/event-stream', ...forwarded });
    stream.on('response', (response) => finish({ kind: 'response', headers: response }));
    stream.on('error', (error: NodeJS.ErrnoException) => {
      // A stream reset after the server's SETTINGS means it speaks HTTP/2 but sent a malformed response.
      if (speaksH2 && /PROTOCOL_ERROR/.test(error.message)) finish({ kind: 'reset', code: 'PROTOCOL_ERROR' });
      else finish({ kind: 'no-h2', why: error.code ?? error.message });
    });
    stream.end();
  });
}

/** What the suite's own read over TLS shows: ALPN chose h2 or not, and the response or the reset. */
function fromRead(transcript: Transcript): Outcome {
  if (transcript.protocol === undefined) return { kind: 'no-h2', why: `no connection: ${transcript.error ?? transcript.stop}` };
  if (transcript.protocol.http !== 'h2') return { kind: 'no-h2', why: 'it did not offer h2 through ALPN; the suite read it over HTTP/1.1' };
  if (transcript.stop === 'protocol-error') return { kind: 'reset', code: 'PROTOCOL_ERROR' };
  if (transcript.status === undefined) return { kind: 'no-h2', why: `no HTTP/2 response: ${transcript.error ?? transcript.stop}` };
  return { kind: 'response', headers: transcript.headers };
}

export const http2Check: Check = {
  name: 'http2',
  description: 'Over HTTP/2, no connection-specific header such as Connection.',
  requirements: [REQUIREMENT],
  // The header is the server's habit, not a fixture's: judged once per target.
  // A response reset over HTTP/2 is itself the finding: the check judges the attempt.
  needs: 'attempt',
  scope: 'target',
  applies: () => true,
  async run({ url, headers, limits, transcript }): Promise<Finding[]> {
    const outcome = url.startsWith('https:') ? fromRead(transcript) : await tryHttp2(url, headers, limits.timeoutMs);
    const repro = `curl -sN --http2${url.startsWith('http:') ? '-prior-knowledge' : ''} --max-time 5 -o /dev/null -D - ${JSON.stringify(url)}`;
    if (outcome.kind === 'no-h2') return [{ requirement: REQUIREMENT, status: 'skip', message: `the target does not speak HTTP/2 (${outcome.why})` }];
    if (outcome.kind === 'reset') {
      return [{ requirement: REQUIREMENT, status: 'fail', message: 'over HTTP/2 the response was malformed and the stream was reset (PROTOCOL_ERROR): usually a Connection or Keep-Alive header, which HTTP/2 forbids — clients see a network error and reconnect forever', repro }];
    }
    const bad = CONNECTION_SPECIFIC.filter((name) => name in outcome.headers);
    return [bad.length === 0 ? { requirement: REQUIREMENT, status: 'pass', message: 'no connection-specific header over HTTP/2' } : { requirement: REQUIREMENT, status: 'fail', message: `over HTTP/2 the response carries ${bad.join(', ')}`, repro }];
  },
};
