/** Test service for npm `eventsource` (pinned in clients/package.json): its EventSource as is. */
import { EventSource } from 'eventsource';
import { eventSourceClient, serve } from '../../kit/node-service.mjs';
import { installedVersion } from '../../kit/installed.mjs';

serve({
  name: 'npm eventsource',
  version: installedVersion('eventsource'),
  capabilities: ['event-type-listeners', 'open-events', 'ready-state'],
  create: (params, report) => eventSourceClient(EventSource, params, report),
});
