import { createHmac } from 'node:crypto';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { Config, ZoomBudgetConfig } from './config';
import { GatewayContext, createContext } from './context';
import { buildGatewaySubgraphSchema } from './federation/subgraph-schema';
import { LiveFeed } from './live/live-feed';
import { liveSessionLookup } from './live/live-lookup';
import { evictPagesOnListChanges } from './live/page-eviction';
import { PageStaleMarks } from './sessions/page-stale-marks';
import { liveRoutedPages } from './live/live-pages';
import { liveRoutedUserPages } from './live/live-user-pages';
import { JournalFile } from './live/journal-file';
import { watchAccountPrefixes } from './redis/account-prefixes';
import { createLiveFeed } from './live/live-wiring';
import { SharedCache } from './cache/shared-cache';
import { LiveSeams, createSeams } from './seams';
import { GatewayMetrics } from './metrics';
import { RedisConnection, accountNamespace } from './redis/redis-connection';
import { buildGatewaySchema } from './schema';
import { CallBudget } from './sessions/call-budget';
import { CallPayers, ClientQuota } from './budget/client-quota';
import type { ClientQuotaStore } from './budget/client-quota-store';
import { MissingSessions } from './sessions/missing-sessions';
import { SessionPageCache } from './sessions/page-cache';
import { zoomDailyReport } from './sessions/daily-usage';
import { cachedSessionDetails } from './sessions/session-details';
import { zoomSessionDetails } from './sessions/session-lookup';
import { cachedUserPages, zoomUserPages } from './sessions/session-user-pages';
import { unknownMetricLog } from './sessions/unknown-metric-log';
import type { WireSessionDetailsAnswer } from './zoom/wire';
import type { WireDailyReport, WireQosUser, WireSessionUser, WireUserPage } from './zoom/wire-inside';
import { zoomSessionPages } from './sessions/zoom-session-pages';
import { CircuitBreaker } from './zoom/circuit-breaker';
import { SOCKET_HEADROOM, ZoomClient } from './zoom/client';
import { InFlightLimit } from './zoom/in-flight-limit';
import { RateGovernor, SHARED_USAGE_READ_MS } from './budget/rate-governor';
import { RetryBudget } from './zoom/retry';
import { Timers, realTimers } from './time/timers';
import { SESSION_DETAILS_LABEL, ZoomCaller } from './budget/zoom-caller';
import { ZoomAuthStatus } from './zoom/auth-status';

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
  /**
   * The clock for "today", JWTs and cache freshness, chosen once by the caller (main.ts: the
   * machine's); tests move it. Zoom's budgets and daily caps run on real time (`timers`, or Redis's).
   */
  readonly now: () => number;
  /** Real time for slot waits, backoff and cool-downs (tests may speed it up). */
  readonly timers?: Timers;
  /** Jitter source (tests may fix it). */
  readonly random?: () => number;
  /** Zoom counts per minute; tests shrink the minute to keep suites short. */
  readonly rateWindowMs?: number;
  /** The live state, de-duplication and event bus, for tests that build them; seams.ts builds them when absent. */
  readonly liveSeams?: LiveSeams;
}

/** Everything per process that is not HTTP: the schema, Zoom access and its guards, metrics. */
export interface GatewayCore {
  readonly schema: GraphQLSchema;
  readonly metrics: GatewayMetrics;
  readonly governor: RateGovernor;
  readonly breaker: CircuitBreaker;
  /** Whether Zoom accepts the gateway's credentials, as its latest answers said. */
  readonly zoomAuth: ZoomAuthStatus;
  /** Live sessions and their events: from webhooks when configured, else from polling. */
  readonly live: LiveFeed;
  /** The shared Redis (REDIS_URL), for every seam that shares state between instances; undefined without it. */
  readonly redis: RedisConnection | undefined;
  /** The Zoom account's key namespace in Redis: prefix, account digest, format version. */
  readonly redisNamespace: string;
  /** Per-request state: a fresh loader and call budget for each GraphQL request. */
  /**
   * `client`: the name its Zoom call quota is counted under (API key digest or JWT subject), if any; for a
   * subscription's execution, the clients it answers, any of whom may pay.
   */
  createContext(requestId: string, client?: string | CallPayers): GatewayContext;
  /** Closes Zoom's keep-alive sockets, and the webhook journal's file once what was queued for it is written. */
  close(): Promise<void>;
}

/** Cursors must verify on every instance and after restarts, so their key derives from a shared secret. */
export function cursorKeyFor(config: Config, zoom: ZoomEndpoint): Buffer {
  return createHmac('sha256', config.cursorSecret ?? zoom.apiSecret).update('zoom-gateway cursor key v1').digest();
}

const BREAKER_LEVELS = { closed: 0, 'half-open': 1, open: 2 } as const;

/** At start-up, how long Redis gets to answer before the gateway starts without it (and keeps trying). */
export const REDIS_START_WAIT_MS = 1_000;

/** Each client's quota: a minute's calls if configured, and its share of the daily cap; none when both are off. */
function clientQuotaOf(zoomBudget: ZoomBudgetConfig, store: ClientQuotaStore): ClientQuota | undefined {
  const perDay = zoomBudget.clientDailyShare > 0 ? Math.max(1, Math.floor(zoomBudget.dailyLimit * zoomBudget.clientDailyShare)) : 0;
  if (zoomBudget.callsPerClientPerMinute === 0 && perDay === 0) return undefined;
  return new ClientQuota(store, { perMinute: zoomBudget.callsPerClientPerMinute, perDay });
}

export async function createGatewayCore(options: GatewayOptions): Promise<GatewayCore> {
  const { config, zoom, logger } = options;
  const { now } = options;
  const timers = options.timers ?? realTimers;
  const { zoomBudget, cache } = config;
  const metrics = new GatewayMetrics();
  const client = new ZoomClient({
    baseUrl: zoom.baseUrl,
    apiKey: zoom.apiKey,
    apiSecret: zoom.apiSecret,
    timeoutMs: config.zoomTimeoutMs,
    now,
    maxSockets: zoomBudget.maxInFlight + SOCKET_HEADROOM,
    onStaleSocket: () => metrics.zoomStaleSocketResends.inc(),
  });
  const redis = config.redis === undefined ? undefined : new RedisConnection(config.redis, logger, metrics);
  const redisNamespace = accountNamespace(config.redis?.keyPrefix ?? '', zoom.apiKey);
  if (redis) await redis.start(REDIS_START_WAIT_MS);
  const stopPrefixWatch = redis ? watchAccountPrefixes({ redis, zoomApiKey: zoom.apiKey, logger, onOthers: (others) => metrics.redisOtherPrefixes.set(others.length) }) : () => undefined;
  const seams = createSeams({
    redis,
    namespace: redisNamespace,
    cache,
    localBudgetShare: zoomBudget.localBudgetShare,
    now,
    timersNow: () => timers.now(),
    metrics,
    logger,
    live: options.liveSeams,
  });
  const governor = new RateGovernor({
    budgets: {
      'resource-intensive': { limit: zoomBudget.listSessionsPerMinute, windowMs: options.rateWindowMs ?? 60_000 },
      // Heavy is counted per second by Zoom (docs/zoom-contract.md §5): its window is not the test-shrunk minute.
      heavy: { limit: zoomBudget.heavyPerSecond, windowMs: 1_000 },
    },
    maxWaitMs: zoomBudget.queueMaxWaitMs,
    timers,
    dailyLimit: zoomBudget.dailyLimit,
    store: seams.governor,
    refreshShare: zoomBudget.refreshBudgetShare,
  });
  const stopGovernorWatch = redis ? governor.watch(SHARED_USAGE_READ_MS) : () => undefined;
  const breaker = new CircuitBreaker({ failureThreshold: zoomBudget.breakerFailures, cooldownMs: zoomBudget.breakerCooldownMs }, timers, (state) => {
    metrics.breakerState.set(BREAKER_LEVELS[state]);
    logger.warn({ breaker: state }, `Zoom circuit breaker ${state}`);
  });
  const zoomAuth = new ZoomAuthStatus(now);
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
    authStatus: zoomAuth,
  });
  const listSessions = zoomSessionPages(client, caller, now);
  const staleMarks = new PageStaleMarks(now);
  const pages = new SessionPageCache({
    source: listSessions,
    store: seams.pages.store,
    fillLock: seams.pages.fillLock,
    policy: { liveTtlMs: cache.liveTtlMs, recentTtlMs: cache.recentTtlMs, pastTtlMs: cache.pastTtlMs, staleMaxMs: cache.staleMaxMs },
    now,
    metrics,
    staleMarks,
  });
  // One shared cache per kind of answer from inside sessions, each with a store of its own bound.
  const insideCache = <V extends object>() => new SharedCache<V>({ store: seams.insideStore<V>(), metrics });
  const insidePolicy = { endedTtlMs: cache.endedSessionTtlMs, liveTtlMs: cache.liveTtlMs };
  const userCalls = zoomUserPages(client, caller);
  const liveSeams = seams.live;
  const stopEvicting = evictPagesOnListChanges(liveSeams.bus, staleMarks);
  // Before any webhook is taken: what a previous process acknowledged goes ahead of anything new.
  const journalFile = config.live.journalDir === undefined || config.live.webhookSecretToken === undefined ? undefined : await JournalFile.open(config.live.journalDir, now, logger);
  const live = createLiveFeed({
    config: config.live,
    source: listSessions,
    pages,
    budget: () => new CallBudget(zoomBudget.maxCallsPerRequest),
    now,
    logger,
    registry: metrics.registry,
    seams: liveSeams,
    // The bus tells every instance of a start or an end, a moment after the state holds it: LIVE must not answer
    // without a session that today's cached PAST page still lacks in that moment.
    onListChanged: (session) => staleMarks.markSession(session),
    journalFile,
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
    sessionDetails: cachedSessionDetails(zoomSessionDetails(client, caller), insideCache<WireSessionDetailsAnswer>(), insidePolicy, new MissingSessions(now)),
    userPages: liveRoutedUserPages(cachedUserPages('users', userCalls.users, insideCache<WireUserPage<WireSessionUser>>(), insidePolicy), live),
    qosPages: cachedUserPages('qos', userCalls.qos, insideCache<WireUserPage<WireQosUser>>(), insidePolicy),
    dailyUsage: { source: zoomDailyReport(client, caller), cache: insideCache<WireDailyReport>(), policy: insidePolicy, now },
    maxHeavyCallsPerRequest: zoomBudget.maxHeavyCallsPerRequest,
    exposePersonalData: config.exposePersonalData,
    reportUnknownMetric: unknownMetricLog((details, message) => logger.warn(details, message)),
    sessionDetailsSlotIn: () => governor.nextSlotIn(SESSION_DETAILS_LABEL),
    clientQuota: clientQuotaOf(zoomBudget, seams.clientQuota),
    liveSession: liveSessionLookup(live),
  };
  return {
    schema: config.federationSubgraph ? await buildGatewaySubgraphSchema() : await buildGatewaySchema(),
    metrics,
    governor,
    breaker,
    zoomAuth,
    live,
    redis,
    redisNamespace,
    createContext: (requestId, client) => createContext(contextDependencies, requestId, client),
    close: async () => {
      stopEvicting();
      stopPrefixWatch();
      stopGovernorWatch();
      await live.close().catch((error: unknown) => logger.warn({ err: error }, 'webhook journal did not close cleanly'));
      // The bus holds a subscriber connection of its own; the state and dedup use the shared client.
      liveSeams.bus.close().catch((error: unknown) => logger.warn({ err: error }, 'live event bus did not close cleanly'));
      client.close();
      redis?.close();
    },
  };
}
