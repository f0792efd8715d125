import type { CallBudget } from './call-budget';
import type { DailyUsageDeps } from './daily-usage';
import type { SessionDetailsLoader } from './session-details';
import type { LiveSessionLookup } from './session-lookup';
import type { SessionLookupLoader } from './session-lookup';
import type { SessionQosLoader } from './session-user-qos';
import type { SessionUsersDeps } from './session-users';
import type { SessionsReader } from './sessions-reader';

/**
 * What a resolver gets for one request, built by the composition root (src/context.ts). Loaders
 * and call caps live per request: they must not be shared across users or requests.
 */
export interface GatewayContext {
  readonly requestId: string;
  readonly sessions: SessionsReader;
  /** Sessions by id (federation's entity lookups), within the same call cap. */
  readonly sessionById: SessionLookupLoader;
  /** Zoom calls this request has spent. */
  readonly zoomCalls: CallBudget;
  /** Heavy calls (inside sessions) this request has spent. */
  readonly heavyCalls: CallBudget;
  /** Session details, once per session and type, for details fields, `session(id)` and entity lookups alike. */
  readonly details: SessionDetailsLoader;
  /** Participants, one load per Zoom page whatever asks for it. */
  readonly users: SessionUsersDeps;
  /** QoS, one walk per session shared by its participants. */
  readonly qos: SessionQosLoader;
  readonly dailyUsage: DailyUsageDeps;
  /** LIVE sessions by id from the webhook-fed state, when it serves. */
  readonly liveSession: LiveSessionLookup;
}

