/**
 * Test service for `eventsource-client` (pinned in clients/package.json), a fetch-based client
 * with callbacks instead of the EventSource interface. Its `lastEventId` property is the last
 * event ID in force, reported with each event; `onConnect` is its open, `onDisconnect` its error,
 * `onScheduleReconnect` its reconnection attempt.
 */
import { createEventSource } from 'eventsource-client';
import { serve } from '../../kit/node-service.mjs';
import { installedVersion } from '../../kit/installed.mjs';

const READY = { connecting: 0, open: 1, closed: 2 };

serve({
  name: 'eventsource-client',
  version: installedVersion('eventsource-client'),
  capabilities: ['comments', 'headers', 'last-event-id', 'post', 'report', 'restart', 'open-events', 'ready-state', 'reconnect-attempts'],
  create: (params, report) => {
    const options = {
      url: params.streamUrl,
      onMessage: (message) => report({ kind: 'event', event: { type: message.event ?? 'message', data: message.data, id: client.lastEventId ?? '' } }),
      onConnect: () => report({ kind: 'open', readyState: READY[client.readyState] ?? null }),
      onDisconnect: () => report({ kind: 'error', error: 'disconnected', readyState: READY[client.readyState] ?? null }),
      onScheduleReconnect: ({ delay }) => report({ kind: 'reconnecting', delayMs: delay }),
      onComment: (comment) => report({ kind: 'comment', comment }),
      ...(params.headers ? { headers: params.headers } : {}),
      ...(params.lastEventId ? { initialLastEventId: params.lastEventId } : {}),
      ...(params.method ? { method: params.method } : {}),
      ...(params.body !== undefined && params.body !== null ? { body: params.body } : {}),
    };
    const client = createEventSource(options);
    return {
      command: async (body) => {
        if (body?.command !== 'restart') return false;
        client.close();
        client.connect();
        return true;
      },
      close: () => client.close(),
    };
  },
});
