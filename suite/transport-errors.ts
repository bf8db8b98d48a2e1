/**
 * Why a request got no HTTP response, in one sentence for a person: a refused or reset connection,
 * a failed TLS handshake, a certificate that is not trusted or is for another name, an answer in a
 * protocol other than the one spoken — never the HTTP or TLS library's error names alone.
 */
import { maxHeaderSize } from 'node:http';
import type { StopReason } from './read-response.ts';
import type { Protocol } from './protocol.ts';

interface ConnectError {
  code?: string;
  message?: string;
  name?: string;
  address?: string;
  port?: number;
  hostname?: string;
  reason?: string;
  data?: string;
  cert?: { subjectaltname?: string; subject?: { CN?: string } };
  cause?: { code?: string; message?: string };
}

export interface ConnectContext {
  url: string;
  timeoutMs: number;
  /** The error came from setting up TLS, before HTTP was spoken. */
  handshake: boolean;
  /** The protocol negotiated, where a connection was made. */
  protocol?: Protocol;
}

const SELF_SIGNED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN']);
const UNKNOWN_ISSUER = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT']);
const NOT_TLS = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_HTTP_REQUEST', 'ERR_SSL_UNKNOWN_PROTOCOL']);
const TRUST_HINT = 'pass --ca <file> with that certificate (or its CA) to trust it, or --insecure to accept any certificate';

/** The names a certificate is for: its subjectAltName entries, else its common name. */
function certificateNames(err: ConnectError): string {
  const alt = err.cert?.subjectaltname?.split(',').map((name) => name.trim().replace(/^(DNS|IP Address):/, '')).filter(Boolean);
  if (alt && alt.length > 0) return alt.join(', ');
  return err.cert?.subject?.CN ?? 'other names';
}

/** Whether bytes that should have started an HTTP/1.1 status line are an HTTP/2 frame header (RFC 9113 §4.1). */
function looksLikeHttp2Frame(data: string | undefined): boolean {
  // A server speaking HTTP/2 first sends SETTINGS (type 0x4) on stream 0; a GOAWAY (0x7) may follow.
  return data !== undefined && data.length >= 9 && (data.charCodeAt(3) === 0x4 || data.charCodeAt(3) === 0x7) && data.charCodeAt(0) === 0;
}

export function describeConnectError(error: unknown, context: ConnectContext): { stop: StopReason; error: string } {
  const err = error as ConnectError;
  const { url, timeoutMs } = context;
  const code = err.code ?? err.cause?.code ?? '';
  const host = new URL(url).host;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || err.name === 'TimeoutError') {
    return { stop: 'headers-timeout', error: `no response headers from ${url} within ${timeoutMs} ms` };
  }
  // After a redirect the refusing or unknown host is the redirect's target, which the error names.
  if (code === 'ECONNREFUSED') {
    const where = typeof err.address === 'string' && err.port ? `${err.address.includes(':') ? `[${err.address}]` : err.address}:${err.port}` : host;
    return { stop: 'connect-error', error: `connection refused by ${where}` };
  }
  if (code === 'ENOTFOUND') return { stop: 'connect-error', error: `host ${err.hostname ?? new URL(url).hostname} not found` };
  if (code === 'UND_ERR_MAX_REDIRECTIONS' || /redirect/i.test(err.message ?? '')) {
    return { stop: 'connect-error', error: `too many redirects from ${url} (more than 5)` };
  }
  // TLS: the certificate (RFC 9110 §4.3.4), then the handshake itself.
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return { stop: 'connect-error', error: `the certificate of ${host} is for another name — it is for ${certificateNames(err)}: use a URL with one of those names, or --insecure to accept it anyway` };
  }
  if (SELF_SIGNED.has(code)) return { stop: 'connect-error', error: `the certificate of ${host} is self-signed and not trusted: ${TRUST_HINT}` };
  if (UNKNOWN_ISSUER.has(code)) return { stop: 'connect-error', error: `the certificate of ${host} is signed by an authority the suite does not trust: ${TRUST_HINT}` };
  if (code === 'CERT_HAS_EXPIRED') return { stop: 'connect-error', error: `the certificate of ${host} has expired (--insecure accepts it anyway)` };
  if (code === 'CERT_NOT_YET_VALID') return { stop: 'connect-error', error: `the certificate of ${host} is not valid yet (--insecure accepts it anyway)` };
  if (NOT_TLS.has(code)) return { stop: 'connect-error', error: `the TLS handshake with ${host} failed: the server does not speak TLS on that port (is it an http: URL?)` };
  if (context.handshake) {
    if (code === 'ECONNRESET' || (code === 'UND_ERR_SOCKET' && /closed/i.test(err.message ?? ''))) {
      return { stop: 'connect-error', error: `${host} reset the connection during the TLS handshake: it does not accept TLS on that port, or refuses every protocol version and cipher offered` };
    }
    return { stop: 'connect-error', error: `the TLS handshake with ${host} failed (${(err.reason ?? err.message ?? code).replace(/^.*routines:[^:]*:([^:]+):.*$/s, '$1')})` };
  }
  if (context.protocol?.http === 'h2' && /PROTOCOL_ERROR/.test(err.message ?? '')) {
    return { stop: 'protocol-error', error: `over HTTP/2 ${host} sent a malformed response and the stream was reset (PROTOCOL_ERROR): usually a Connection or Keep-Alive header, which HTTP/2 forbids — browsers see a network error and reconnect forever` };
  }
  // Reached, but no HTTP response came: said in words, not as the HTTP client's error names.
  if (code === 'UND_ERR_SOCKET' && /other side closed/i.test(err.message ?? '')) return { stop: 'connect-error', error: `${host} closed the connection before sending response headers` };
  if (code === 'ECONNRESET') return { stop: 'connect-error', error: `${host} reset the connection before sending response headers` };
  if (code === 'UND_ERR_HEADERS_OVERFLOW') return { stop: 'connect-error', error: `the response headers from ${host} are larger than ${maxHeaderSize} bytes, the most the suite accepts` };
  if (err.name === 'HTTPParserError' || code.startsWith('HPE_')) {
    if (looksLikeHttp2Frame(err.data)) {
      return { stop: 'connect-error', error: `${host} answered in HTTP/2 without TLS (prior knowledge, h2c), which browsers never speak: serve HTTP/1.1 on http:, or HTTP/2 over TLS on https:` };
    }
    const detail = (err.message ?? '').replace(/^Response does not match the HTTP\/1\.1 protocol \((.*)\)$/, '$1');
    return { stop: 'connect-error', error: `the answer from ${host} is not an HTTP/1.1 response (${detail})` };
  }
  return { stop: 'connect-error', error: `request to ${url} failed: ${err.message ?? String(error)}${code ? ` (${code})` : ''}` };
}
