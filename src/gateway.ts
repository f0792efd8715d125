import { createHmac } from 'node:crypto';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { Config } from './config';
import { GatewayContext, createContext } from './context';
import { buildGatewaySubgraphSchema } from './federation/subgraph-schema';
import { LiveFeed } from './live/live-feed';
import { liveRoutedPages } from './live/live-pages';
import { liveRoutedUserPages } from './live/live-user-pages';
import { LiveSeams, createLiveFeed } from './live/live-wiring';
import { GatewayMetrics } from './metrics';
import { MemoryPageStore } from './page-store';
import { buildGatewaySchema } from './schema';
import { CallBudget } from './sessions/call-budget';
import { SessionPageCache } from './sessions/page-cache';
import { CachedCalls } from './sessions/cached-calls';
import { zoomDailyReport } from './sessions/daily-usage';
import { cachedSessionDetails } from './sessions/session-details';
import { zoomSessionDetails } from './sessions/session-lookup';
import { cachedUserPages, zoomUserPages } from './sessions/session-user-pages';
import { unknownMetricLog } from './sessions/unknown-metric-log';
import type { WireSessionDetailsAnswer } from './zoom/wire';
import type { WireDailyReport, WireQosUser, WireSessionUser, WireUserPage } from './zoom/wire-inside';
import { zoomSessionPages } from './sessions/session-pages';
import { CircuitBreaker } from './zoom/circuit-breaker';
import { SOCKET_HEADROOM, ZoomClient } from './zoom/client';
import { InFlightLimit } from './zoom/in-flight-limit';
import { RateGovernor } from './zoom/rate-governor';
import { RetryBudget } from './zoom/retry';
import { Timers, realTimers } from './zoom/timers';
import type { WireSessionPage } from './zoom/wire';
import { SESSION_DETAILS_LABEL, ZoomCaller } from './zoom/zoom-caller';

/** Where the gateway reaches Zoom: the real API, or a simulator main.ts started. */
export interface ZoomEndpoint {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly apiSecret: string;
}

export interface GatewayOptions {
  readonly config: Config;
  readonly zoom: ZoomEndpoint;
  readonly logger: Logger;
  /** The clock for "today", JWTs and cache freshness; tests move it. */
  readonly now?: () => number;
  /** Real time for pacing, backoff and cool-downs (tests may speed it up). */
  readonly timers?: Timers;
  /** Jitter source (tests may fix it). */
  readonly random?: () => number;
  /** Zoom counts per minute; tests shrink the minute to keep suites short. */
  readonly rateWindowMs?: number;
  /** Shared live state, de-duplication and event bus (Redis); memory ones when absent. */
  readonly liveSeams?: LiveSeams;
}

/** Everything per process that is not HTTP: the schema, Zoom access and its guards, metrics. */
export interface GatewayCore {
  readonly schema: GraphQLSchema;
  readonly metrics: GatewayMetrics;
  readonly governor: RateGovernor;
  readonly breaker: CircuitBreaker;
  /** Live sessions and their events: from webhooks when configured, else from polling. */
  readonly live: LiveFeed;
  /** Per-request state: a fresh loader and call budget for each GraphQL request. */
  createContext(requestId: string): GatewayContext;
  /** Closes Zoom's keep-alive sockets. */
  close(): void;
}

/** Cursors must verify on every instance and after restarts, so their key derives from a shared secret. */
export function cursorKeyFor(config: Config, zoom: ZoomEndpoint): Buffer {
  return createHmac('sha256', config.cursorSecret ?? zoom.apiSecret).update('zoom-gateway cursor key v1').digest();
}

const BREAKER_LEVELS = { closed: 0, 'half-open': 1, open: 2 } as const;

export async function createGatewayCore(options: GatewayOptions): Promise<GatewayCore> {
  const { config, zoom, logger } = options;
  const now = options.now ?? Date.now;
  const timers = options.timers ?? realTimers;
  const { zoomBudget, cache } = config;
  const client = new ZoomClient({
    baseUrl: zoom.baseUrl,
    apiKey: zoom.apiKey,
    apiSecret: zoom.apiSecret,
    timeoutMs: config.zoomTimeoutMs,
    now,
    maxSockets: zoomBudget.maxInFlight + SOCKET_HEADROOM,
  });
  const metrics = new GatewayMetrics();
  const governor = new RateGovernor(
    {
      'resource-intensive': { limit: zoomBudget.listSessionsPerMinute, windowMs: options.rateWindowMs ?? 60_000 },
      // Medium is 20/s on Pro (../shared/zoom-api.md §5), paced per minute like the rest; session details use it.
      medium: { limit: zoomBudget.sessionDetailsPerMinute, windowMs: options.rateWindowMs ?? 60_000 },
      // Heavy is 40/s on Business+ (../shared/zoom-api.md §5); ZOOM_PLAN and the daily cap come with the governor's own change.
      heavy: { limit: 40, windowMs: 1_000 },
    },
    zoomBudget.queueMaxWaitMs,
    timers,
  );
  const breaker = new CircuitBreaker({ failureThreshold: zoomBudget.breakerFailures, cooldownMs: zoomBudget.breakerCooldownMs }, timers, (state) => {
    metrics.breakerState.set(BREAKER_LEVELS[state]);
    logger.warn({ breaker: state }, `Zoom circuit breaker ${state}`);
  });
  const caller = new ZoomCaller({
    governor,
    breaker,
    retryBudget: new RetryBudget(),
    maxAttempts: zoomBudget.maxAttempts,
    timers,
    random: options.random ?? Math.random,
    metrics,
    logger,
    rateWindowMs: options.rateWindowMs ?? 60_000,
    inFlight: new InFlightLimit(zoomBudget.maxInFlight),
    queueMaxWaitMs: zoomBudget.queueMaxWaitMs,
  });
  const pages = new SessionPageCache({
    source: zoomSessionPages(client, caller),
    store: new MemoryPageStore<WireSessionPage>({ maxEntries: cache.maxEntries, maxBytes: cache.maxBytes, now }),
    policy: { liveTtlMs: cache.liveTtlMs, recentTtlMs: cache.recentTtlMs, pastTtlMs: cache.pastTtlMs },
    now,
    metrics,
  });
  // Everything cached from inside sessions goes through a PageStore of plain JSON, so a shared store can replace these.
  const insideStore = <V>() => new MemoryPageStore<V>({ maxEntries: cache.maxEntries, maxBytes: cache.maxBytes, now });
  const insidePolicy = { endedTtlMs: cache.endedSessionTtlMs, liveTtlMs: cache.liveTtlMs };
  const userCalls = zoomUserPages(client, caller);
  const live = createLiveFeed({
    config: config.live,
    source: zoomSessionPages(client, caller),
    pages,
    budget: () => new CallBudget(zoomBudget.maxCallsPerRequest),
    now,
    logger,
    registry: metrics.registry,
    seams: options.liveSeams,
  });
  live.start();
  const contextDependencies = {
    pages: liveRoutedPages(pages, live),
    cursorKey: cursorKeyFor(config, zoom),
    maxFirst: config.maxFirst,
    maxCallsPerRequest: zoomBudget.maxCallsPerRequest,
    cursorRecoveryMaxCalls: zoomBudget.cursorRecoveryMaxCalls,
    now,
    metrics,
    sessionDetails: cachedSessionDetails(zoomSessionDetails(client, caller), new CachedCalls(insideStore<WireSessionDetailsAnswer>(), metrics), insidePolicy),
    userPages: liveRoutedUserPages(cachedUserPages('users', userCalls.users, new CachedCalls(insideStore<WireUserPage<WireSessionUser>>(), metrics), insidePolicy), live),
    qosPages: cachedUserPages('qos', userCalls.qos, new CachedCalls(insideStore<WireUserPage<WireQosUser>>(), metrics), insidePolicy),
    dailyUsage: { source: zoomDailyReport(client, caller), cache: new CachedCalls(insideStore<WireDailyReport>(), metrics), policy: insidePolicy, now },
    maxHeavyCallsPerRequest: zoomBudget.maxHeavyCallsPerRequest,
    exposePersonalData: config.exposePersonalData,
    reportUnknownMetric: unknownMetricLog((details, message) => logger.warn(details, message)),
    sessionDetailsSlotIn: () => governor.nextSlotIn(SESSION_DETAILS_LABEL),
  };
  return {
    schema: config.federationSubgraph ? await buildGatewaySubgraphSchema() : await buildGatewaySchema(),
    metrics,
    governor,
    breaker,
    live,
    createContext: (requestId) => createContext(contextDependencies, requestId),
    close: () => {
      live.close();
      client.close();
    },
  };
}
