/** Every check, in the order results are reported. */
import type { Check } from './check.ts';
import { churnCheck } from './churn.ts';
import { connectionLimitCheck } from './connection-limit.ts';
import { corsCheck } from './cors.ts';
import { deliveryCheck } from './delivery.ts';
import { earlyHeadersCheck } from './early-headers.ts';
import { framingCheck } from './framing.ts';
import { headersCheck } from './headers.ts';
import { http2Check } from './http2.ts';
import { idleCheck } from './idle.ts';
import { keepaliveCheck } from './keepalive.ts';
import { eventsCheck } from './events.ts';
import { probeResumeCheck } from './probe-resume.ts';
import { resumeCheck } from './resume.ts';
import { retryCheck } from './retry.ts';

export { unmetNeed, type Check, type CheckContext, type Need, type RunSettings, type Scope } from './check.ts';

export const checks: readonly Check[] = [headersCheck, framingCheck, eventsCheck, retryCheck, resumeCheck, probeResumeCheck, deliveryCheck, earlyHeadersCheck, keepaliveCheck, idleCheck, http2Check, corsCheck, churnCheck, connectionLimitCheck];
