import { randomUUID } from 'node:crypto';
import { lookupCapReached } from './errors';
import type { GatewayMetrics } from './metrics';
import { CallBudget } from './sessions/call-budget';
import type { ClientQuota } from './sessions/client-quota';
import type { SessionPageCache } from './sessions/page-cache';
import { SessionDetailsSource, SessionLookupLoader, createSessionLookupLoader } from './sessions/session-lookup';
import { createSessionPageLoader } from './sessions/session-pages';
import { SessionsReader } from './sessions/sessions-reader';

/** Per request: loaders and call caps must not be shared across users or requests. */
export interface GatewayContext {
  readonly requestId: string;
  readonly sessions: SessionsReader;
  /** Sessions by id (federation's entity lookups), within the same call cap. */
  readonly sessionById: SessionLookupLoader;
  /** Zoom calls this request has spent. */
  readonly zoomCalls: CallBudget;
}

/** Per process: built once by server.ts. */
export interface ContextDependencies {
  readonly pages: SessionPageCache;
  readonly cursorKey: Buffer;
  readonly maxFirst: number;
  readonly maxCallsPerRequest: number;
  readonly cursorRecoveryMaxCalls: number;
  readonly now: () => number;
  readonly metrics: GatewayMetrics;
  /** Zoom's session details, through the caller. */
  readonly sessionDetails: SessionDetailsSource;
  /** Milliseconds until the rate governor could send the next details call. */
  readonly sessionDetailsSlotIn: () => number;
  /** Zoom calls per client and minute; undefined: no quota. */
  readonly clientQuota?: ClientQuota;
}

export function createContext(deps: ContextDependencies, requestId: string = randomUUID(), client?: string): GatewayContext {
  const { clientQuota } = deps;
  // Only real Zoom calls count towards a client's quota, as towards the request's cap.
  const onCall = clientQuota && client !== undefined ? () => clientQuota.take(client) : undefined;
  const zoomCalls = new CallBudget(deps.maxCallsPerRequest, onCall);
  const recoveryCalls = new CallBudget(deps.cursorRecoveryMaxCalls, onCall);
  const sessions = new SessionsReader({
    pages: createSessionPageLoader((query) => deps.pages.load(query, zoomCalls)),
    recoveryPages: (query) => deps.pages.load(query, recoveryCalls),
    cursorKey: deps.cursorKey,
    maxFirst: deps.maxFirst,
    now: deps.now,
    metrics: deps.metrics,
  });
  const sessionById = createSessionLookupLoader({
    source: deps.sessionDetails,
    budget: zoomCalls,
    capReached: (error) => {
      deps.metrics.callCapReached.inc();
      return lookupCapReached(error.cap, deps.sessionDetailsSlotIn());
    },
  });
  return { requestId, sessions, sessionById, zoomCalls };
}
