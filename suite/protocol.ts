/**
 * The protocol a response was read over, and how reports word it. Kept apart from the transport
 * (suite/transport.ts) so that reporters and checks can name a protocol without loading an HTTP
 * client.
 */

/** The protocol a response was read over. */
export interface Protocol {
  http: 'http/1.1' | 'h2';
  tls: boolean;
}

/** "HTTP/2 over TLS", "HTTP/1.1", … */
export function describeProtocol(protocol: Protocol): string {
  return `${protocol.http === 'h2' ? 'HTTP/2' : 'HTTP/1.1'}${protocol.tls ? ' over TLS' : ''}`;
}

/** The protocols a run's results were read over, in words, e.g. "HTTP/2 over TLS"; "" when none got a response. */
export function runProtocols(results: ReadonlyArray<{ protocol?: Protocol }>): string {
  const seen = new Set<string>();
  for (const result of results) if (result.protocol) seen.add(describeProtocol(result.protocol));
  return [...seen].join(', ');
}
