import { randomUUID } from 'node:crypto';
import type { GatewayMetrics } from './metrics';
import { CallBudget } from './sessions/call-budget';
import type { SessionPageCache } from './sessions/page-cache';
import { createSessionPageLoader } from './sessions/session-pages';
import { SessionsReader } from './sessions/sessions-reader';

/** Per request: loaders and call caps must not be shared across users or requests. */
export interface GatewayContext {
  readonly requestId: string;
  readonly sessions: SessionsReader;
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
}

export function createContext(deps: ContextDependencies, requestId: string = randomUUID()): GatewayContext {
  const zoomCalls = new CallBudget(deps.maxCallsPerRequest);
  const recoveryCalls = new CallBudget(deps.cursorRecoveryMaxCalls);
  const sessions = new SessionsReader({
    pages: createSessionPageLoader((query) => deps.pages.load(query, zoomCalls)),
    recoveryPages: (query) => deps.pages.load(query, recoveryCalls),
    cursorKey: deps.cursorKey,
    maxFirst: deps.maxFirst,
    now: deps.now,
    metrics: deps.metrics,
  });
  return { requestId, sessions, zoomCalls };
}
