import { randomUUID } from 'node:crypto';
import type { GatewayContext } from './sessions/request-context';
import { heavyCapReached, lookupCapReached } from './errors';
import type { GatewayMetrics } from './metrics';
import { CallBudget, CallCapReached, JointBudget } from './sessions/call-budget';
import type { CallPayers, ClientQuota } from './budget/client-quota';
import { DailyUsageDeps } from './sessions/daily-usage';
import { DetailsKey, createSessionDetailsLoader } from './sessions/session-details';
import { LiveSessionLookup, createSessionLookupLoader } from './sessions/session-lookup';
import { SessionQosPages, SessionUserPages, UserPageKey, createUserPageLoader } from './sessions/session-user-pages';
import { createQosLoader } from './sessions/session-user-qos';
import { sessionUserQosOf } from './sessions/session-user-qos.type';
import type { UnknownMetricReport } from './sessions/unknown-metric-log';
import type { WireSessionDetailsAnswer } from './zoom/wire';
import type { WireQosUser, WireSessionUser, WireUserPage } from './zoom/wire-inside';
import type { PageLoad } from './sessions/session-pages';
import { SessionsReader } from './sessions/sessions-reader';

export type { GatewayContext };

/** Per process: built once by server.ts. */
export interface ContextDependencies {
  /** Zoom's pages through the page cache; LIVE ones from the live state while webhooks serve it. */
  readonly pages: PageLoad;
  readonly cursorKey: Buffer;
  readonly maxFirst: number;
  readonly maxCallsPerRequest: number;
  readonly cursorRecoveryMaxCalls: number;
  readonly now: () => number;
  readonly metrics: GatewayMetrics;
  /** Zoom's session details, through the caller and the shared cache. */
  readonly sessionDetails: (key: DetailsKey, budget: CallBudget) => Promise<WireSessionDetailsAnswer>;
  readonly userPages: (key: UserPageKey, budget: CallBudget) => Promise<WireUserPage<WireSessionUser>>;
  readonly qosPages: (key: UserPageKey, budget: CallBudget) => Promise<WireUserPage<WireQosUser>>;
  readonly dailyUsage: DailyUsageDeps;
  readonly maxHeavyCallsPerRequest: number;
  readonly exposePersonalData: boolean;
  readonly reportUnknownMetric: UnknownMetricReport;
  /** Milliseconds until the rate governor could send the next details call. */
  readonly sessionDetailsSlotIn: () => number;
  /** Zoom calls per client and minute; undefined: no quota. */
  readonly clientQuota?: ClientQuota;
  /** LIVE sessions by id from the webhook-fed state; undefined: Zoom is asked. */
  readonly liveSession: LiveSessionLookup;
}

/** A Heavy call past the request's cap becomes the GraphQL error that says so, for the field that needed it. */
function capped<A extends unknown[], V>(load: (...args: A) => Promise<V>): (...args: A) => Promise<V> {
  return (...args) =>
    load(...args).catch((error: unknown) => {
      throw error instanceof CallCapReached ? heavyCapReached(error.cap) : error;
    });
}

export function createContext(deps: ContextDependencies, requestId: string = randomUUID(), client?: string | CallPayers): GatewayContext {
  const { clientQuota } = deps;
  const payers: CallPayers | undefined = typeof client === 'string' ? { candidates: new Set([client]), refused: new Map() } : client;
  // Only real Zoom calls count towards a client's quota, as towards the request's cap.
  const onCall = clientQuota && payers !== undefined ? () => clientQuota.takeFromAny(payers) : undefined;
  const zoomCalls = new CallBudget(deps.maxCallsPerRequest, undefined, onCall);
  // Its own cap, but the same log: the request's log line counts the calls recovery made too.
  const recoveryCalls = new CallBudget(deps.cursorRecoveryMaxCalls, zoomCalls.log, onCall);
  const sessions = new SessionsReader({
    pages: deps.pages,
    budget: zoomCalls,
    recoveryBudget: recoveryCalls,
    cursorKey: deps.cursorKey,
    maxFirst: deps.maxFirst,
    now: deps.now,
    metrics: deps.metrics,
  });
  // Its own cap, the same log: the request's log line counts its Heavy calls too.
  const heavyCalls = new CallBudget(deps.maxHeavyCallsPerRequest, zoomCalls.log, onCall);
  const details = createSessionDetailsLoader(capped(deps.sessionDetails), heavyCalls);
  // Not capped into an error: the connection stops at the cap and returns what it has, as the sessions connection does.
  const userPages: SessionUserPages = createUserPageLoader(deps.userPages, heavyCalls);
  // One loader for the QoS list whoever reads it (a connection served from it, or the walk for `qos`), so a page is one call.
  const qosListPages: SessionQosPages = createUserPageLoader(deps.qosPages, heavyCalls);
  const qosPages: SessionQosPages = capped(qosListPages);
  const qos = createQosLoader(qosPages, deps.reportUnknownMetric);
  // A session found by its id alone shares the request's call limit with its walks (README, "Federation") and spends
  // a Heavy call, for the calls that reach Zoom only: details already cached, here or by another request, cost none.
  const lookupDetails = createSessionDetailsLoader(deps.sessionDetails, new JointBudget(zoomCalls, heavyCalls, heavyCapReached));
  const sessionById = createSessionLookupLoader({
    source: (id, type) => lookupDetails.load({ id, type }),
    capReached: (error) => {
      deps.metrics.callCapReached.inc();
      return lookupCapReached(error.cap, deps.sessionDetailsSlotIn());
    },
    live: deps.liveSession,
  });
  return {
    requestId,
    sessions,
    sessionById,
    zoomCalls,
    heavyCalls,
    details,
    users: {
      pages: userPages,
      qosPages: qosListPages,
      primeQos: (place, wire) => {
        qos.prime(place, sessionUserQosOf(wire, deps.reportUnknownMetric));
      },
      cursorKey: deps.cursorKey,
      maxFirst: deps.maxFirst,
      exposePersonalData: deps.exposePersonalData,
    },
    qos,
    dailyUsage: deps.dailyUsage,
    liveSession: deps.liveSession,
  };
}
