import type { Logger } from 'pino';
import type { CacheConfig } from './config';
import { FillNotices } from './cache/fill-notices';
import type { FillLock, PageStore } from './cache/page-store';
import { MemoryPageStore } from './cache/page-store.memory';
import { PageCodec, RedisPageStore } from './cache/page-store.redis';
import { TieredPageStore } from './cache/page-store.tiered';
import { FallbackEventBus } from './live/event-bus.fallback';
import { MemoryEventBus } from './live/event-bus.memory';
import { RedisEventBus } from './live/event-bus.redis';
import { MemoryLiveGeneration } from './live/live-generation.memory';
import { RedisLiveGeneration } from './live/live-generation.redis';
import { FallbackLiveState } from './live/live-state.fallback';
import { MemoryLiveState } from './live/live-state.memory';
import { RedisLiveState } from './live/live-state.redis';
import { MemoryReconcileLease } from './live/reconcile-lease.memory';
import { RedisReconcileLease } from './live/reconcile-lease.redis';
import { FallbackWebhookDedup } from './live/webhook-dedup.fallback';
import { MemoryWebhookDedup } from './live/webhook-dedup.memory';
import { RedisWebhookDedup } from './live/webhook-dedup.redis';
import type { GatewayMetrics } from './metrics';
import type { RedisConnection } from './redis/redis-connection';
import { plainJsonCodec } from './sessions/json-codec';
import { sessionPageCodec } from './sessions/page-codec';
import type { ClientQuotaStore } from './budget/client-quota-store';
import { SharedClientQuotaStore } from './budget/client-quota-store.fallback';
import { MemoryClientQuotaStore } from './budget/client-quota-store.memory';
import { RedisClientQuotaStore } from './budget/client-quota-store.redis';
import type { GovernorStore } from './budget/governor-store';
import { MemoryGovernorStore } from './budget/governor-store.memory';
import { RedisGovernorStore } from './budget/governor-store.redis';
import { SharedGovernorStore } from './budget/governor-store.fallback';
import type { WireSessionPage } from './zoom/wire';
import type { LiveSeams } from './live/live-seams';

export type { LiveSeams };

/** A page store with, when it is shared, the lock that lets one instance fill a key for all. */
export interface SharedStore<V> {
  readonly store: PageStore<V>;
  readonly fillLock?: FillLock;
}

/** Every seam of the process, memory or Redis: the logic above them never knows which. */
export interface Seams {
  /** Zoom's session-list pages. */
  readonly pages: SharedStore<WireSessionPage>;
  /** A store for one kind of answer from inside sessions (details, participants, QoS, daily reports): plain JSON. */
  insideStore<V extends object>(): PageStore<V>;
  readonly governor: GovernorStore;
  /** Each client's Zoom calls, for its quota. */
  readonly clientQuota: ClientQuotaStore;
  readonly live: LiveSeams;
}

export interface SeamsOptions {
  /** The shared Redis (REDIS_URL); memory seams without it. */
  readonly redis: RedisConnection | undefined;
  /** The Zoom account's namespace (accountNamespace()): each seam appends its own noun. */
  readonly namespace: string;
  readonly cache: Pick<CacheConfig, 'maxEntries' | 'localMaxEntries' | 'maxBytes'>;
  /** Of Zoom's budget, the share an instance may spend alone while Redis is down. */
  readonly localBudgetShare: number;
  /** The clock of cache freshness and of the live state. */
  readonly now: () => number;
  /** Real time, for the governor's pacing. */
  readonly timersNow: () => number;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  /** A live-seam override (tests that share one bus between gateways); built from `redis` when absent. */
  readonly live?: LiveSeams;
}

/** The one place that chooses memory or Redis for every seam. */
export function createSeams(options: SeamsOptions): Seams {
  const { redis, namespace, cache, metrics, now } = options;
  const localGovernor = new MemoryGovernorStore(options.timersNow);
  // One subscribed connection for the fill notices of every store (closed with the Redis connection).
  const notices = redis ? new FillNotices(redis, namespace) : undefined;
  // With Redis, the in-process tier is a small one in front of it.
  const pageStore = <V>(noun: string, codec: PageCodec<V>): { store: PageStore<V>; fillLock?: FillLock } => {
    const local = new MemoryPageStore<V>({ maxEntries: redis ? cache.localMaxEntries : cache.maxEntries, maxBytes: cache.maxBytes, now });
    if (!redis) return { store: local };
    const tiered = new TieredPageStore(local, new RedisPageStore(redis, `${namespace}${noun}:`, codec, notices), metrics);
    return { store: tiered, fillLock: tiered };
  };
  return {
    pages: pageStore('page', sessionPageCodec),
    insideStore: <V extends object>() => pageStore<V>('inside', plainJsonCodec<V>()).store,
    governor: redis ? new SharedGovernorStore(new RedisGovernorStore(redis, namespace, options.timersNow), localGovernor, options.localBudgetShare, metrics) : localGovernor,
    clientQuota: clientQuotaStore(redis, namespace, metrics, options.timersNow),
    live: options.live ?? (redis ? redisLiveSeams(redis, namespace, metrics, options.logger) : memoryLiveSeams(now)),
  };
}

/** Each client's calls: counted once for every instance with Redis, by this process alone while Redis is away. */
function clientQuotaStore(redis: RedisConnection | undefined, namespace: string, metrics: Pick<GatewayMetrics, 'redisFallback'>, now: () => number): ClientQuotaStore {
  const local = new MemoryClientQuotaStore(now);
  if (!redis) return local;
  return new SharedClientQuotaStore(new RedisClientQuotaStore(redis, `${namespace}quota:`), local, () => metrics.redisFallback('client-quota'));
}

/** One instance: the live state, the seen webhooks and the bus live in this process. */
export function memoryLiveSeams(now: () => number): LiveSeams {
  return { state: new MemoryLiveState(now), dedup: new MemoryWebhookDedup(now), bus: new MemoryEventBus(), generation: new MemoryLiveGeneration(), lease: new MemoryReconcileLease(now) };
}

/** With Redis: one live state, one set of seen webhooks and one event bus for every instance. */
export function redisLiveSeams(redis: RedisConnection, namespace: string, metrics: Pick<GatewayMetrics, 'redisFallback'>, logger: Logger): LiveSeams {
  const fallback = (seam: string, what: string) => (error: unknown) => {
    metrics.redisFallback(seam);
    logger.warn({ err: error }, what);
  };
  return {
    state: new FallbackLiveState(new RedisLiveState(redis, `${namespace}live:`), fallback('live-state', 'live state unavailable: the event is journalled and applied when it returns')),
    dedup: new FallbackWebhookDedup(new RedisWebhookDedup(redis, `${namespace}webhook:`), fallback('webhook-dedup', 'webhook de-duplication unavailable')),
    bus: new FallbackEventBus(new RedisEventBus(redis, `${namespace}live:`), fallback('live-events', 'event bus unavailable: delivering locally')),
    // Failures of these two are the watch's to handle: an unreadable mark is a state not known whole, an unreachable lease is not held.
    generation: new RedisLiveGeneration(redis, `${namespace}live:`),
    lease: new RedisReconcileLease(redis, `${namespace}live:`),
  };
}
