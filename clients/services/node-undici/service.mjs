/** Test service for undici's EventSource (pinned in clients/package.json), through its own API. */
import { EventSource } from 'undici';
import { eventSourceClient, serve } from '../../kit/node-service.mjs';
import { installedVersion } from '../../kit/installed.mjs';

serve({
  name: 'undici',
  version: installedVersion('undici'),
  capabilities: ['event-type-listeners', 'open-events', 'ready-state'],
  create: (params, report) => eventSourceClient(EventSource, params, report),
});
