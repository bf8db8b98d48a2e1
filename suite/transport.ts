/**
 * How the suite reaches a target: HTTP/1.1 over TCP for http:, TLS for https: with HTTP/2 where the
 * server offers it through ALPN (RFC 7301; RFC 9113 §3.2), as browsers do. One connection pool per
 * trust setting (--insecure, --ca); the pool records which protocol each origin's connections
 * negotiated, so every transcript says what it was read over.
 */
import { Agent, buildConnector, interceptors, type Dispatcher } from 'undici';
import type { Protocol } from './protocol.ts';

/** What the suite trusts over TLS: the system's CAs, these PEM certificates (`--ca`), or anything (`--insecure`). */
export interface TlsTrust {
  insecure?: boolean;
  /** PEM text of the certificates to trust instead of the system's CAs. */
  ca?: string;
}

export interface Transport {
  dispatcher: Dispatcher;
  /** The protocol this pool's connections to `origin` negotiated, once one connected. */
  protocolOf(origin: string): Protocol | undefined;
  /** Whether `error` came from setting up a TLS connection (before any HTTP was spoken). */
  failedHandshake(error: unknown): boolean;
}

const transports = new Map<string, Transport>();

function createTransport(trust: TlsTrust): Transport {
  const protocols = new Map<string, Protocol>();
  const handshakeErrors = new WeakSet<object>();
  const connect = buildConnector({ allowH2: true, ...(trust.insecure ? { rejectUnauthorized: false } : {}), ...(trust.ca !== undefined ? { ca: trust.ca } : {}) });
  const agent = new Agent({
    connections: 64,
    pipelining: 0,
    allowH2: true,
    connect: (options, callback) =>
      connect(options, (error, socket) => {
        const tls = options.protocol === 'https:';
        if (error) {
          if (tls) handshakeErrors.add(error);
        } else {
          const origin = `${options.protocol}//${options.host}`;
          protocols.set(origin, { http: (socket as { alpnProtocol?: string | false }).alpnProtocol === 'h2' ? 'h2' : 'http/1.1', tls });
        }
        // undici's own callback type is a union of the error and success shapes.
        (callback as (error: Error | null, socket: unknown) => void)(error, socket);
      }),
  });
  return {
    // Follows up to 5 redirects, as EventSource does (Fetch).
    dispatcher: agent.compose(interceptors.redirect({ maxRedirections: 5 })),
    protocolOf: (origin) => protocols.get(origin),
    failedHandshake: (error) => typeof error === 'object' && error !== null && handshakeErrors.has(error),
  };
}

/** The run's connection pool for this trust setting (one per setting, shared by every read). */
export function transportFor(trust: TlsTrust = {}): Transport {
  const key = JSON.stringify([trust.insecure === true, trust.ca ?? null]);
  let transport = transports.get(key);
  if (!transport) transports.set(key, (transport = createTransport(trust)));
  return transport;
}
