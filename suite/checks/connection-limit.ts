/**
 * Browsers open at most 6 connections per origin over HTTP/1.1, and each open EventSource holds
 * one; §9.2.7's authoring note on the per-server connection limitation
 * (spec/INTEROP.md#connection-limit). Information, never a failure: over HTTP/1.1 the result says
 * what a page with a seventh EventSource to the origin meets; over HTTP/2 or later the streams
 * share a connection and the requirement holds.
 */
import type { Finding } from '../result.ts';
import { describeProtocol } from '../protocol.ts';
import type { Check } from './check.ts';

const REQUIREMENT = 'server.connections.http1-limit';

export const connectionLimitCheck: Check = {
  name: 'connection-limit',
  description: 'Over HTTP/1.1, information: browsers give an origin at most 6 connections, one per open EventSource.',
  requirements: [REQUIREMENT],
  needs: 'response',
  // The protocol is the server's (or its proxy's), not a fixture's: said once per target.
  scope: 'target',
  applies: () => true,
  run({ transcript }): Finding[] {
    const protocol = transcript.protocol;
    if (protocol === undefined) return [{ requirement: REQUIREMENT, status: 'skip', message: 'the connection did not record which protocol it spoke' }];
    if (protocol.http !== 'http/1.1') {
      return [{ requirement: REQUIREMENT, status: 'pass', message: `served over ${describeProtocol(protocol)}: EventSources to this origin share one connection` }];
    }
    return [{
      requirement: REQUIREMENT,
      status: 'info',
      message: `served over ${describeProtocol(protocol)}: browsers open at most 6 connections per origin and each open EventSource holds one, so a seventh (another tab or widget) and every other request of the page to this origin wait — serve over HTTP/2, or share one EventSource (a SharedWorker) across tabs`,
    }];
  },
};
