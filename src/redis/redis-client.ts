import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisTarget } from './redis-url';

/** One server, a Sentinel-managed primary (a `Redis` that asks the sentinels where it is) or a cluster. */
export type RedisClient = Redis | Cluster;

/** Reconnect quickly at first, then every two seconds at most: sharing resumes within seconds of Redis coming back. */
export const REDIS_RECONNECT_MAX_MS = 2_000;

const reconnectDelay = (times: number): number => Math.min(50 * 2 ** times, REDIS_RECONNECT_MAX_MS);

/**
 * `commands` carries every request's commands: none waits in an offline queue or is retried, so a
 * missing Redis costs a request nothing but its fallback. `subscriber` holds pub/sub channels or a
 * stream's blocking reads: it waits for Redis however long it takes and re-subscribes by itself
 * (nothing a request waits for goes over it).
 */
export type RedisClientRole = 'commands' | 'subscriber';

export function createRedisClient(target: RedisTarget, role: RedisClientRole, commandTimeoutMs: number): RedisClient {
  const waits = role === 'subscriber';
  const perConnection: RedisOptions = {
    commandTimeout: commandTimeoutMs,
    connectTimeout: Math.max(1_000, commandTimeoutMs * 10),
    maxRetriesPerRequest: waits ? null : 0,
    connectionName: 'zoom-gateway',
  };
  if (target.kind === 'server') {
    return new Redis(target.url, { ...perConnection, enableOfflineQueue: waits, retryStrategy: reconnectDelay, lazyConnect: !waits });
  }
  const credentials = { ...(target.username ? { username: target.username } : {}), ...(target.password ? { password: target.password } : {}) };
  const tls = target.tls ? { tls: {} } : {};
  if (target.kind === 'sentinel') {
    return new Redis({
      ...perConnection,
      ...credentials,
      ...tls,
      sentinels: target.sentinels.map(({ host, port }) => ({ host, port })),
      name: target.masterName,
      role: 'master',
      db: target.db,
      ...(target.sentinelPassword ? { sentinelPassword: target.sentinelPassword } : {}),
      ...(target.tls ? { enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
      sentinelCommandTimeout: Math.max(1_000, commandTimeoutMs * 10),
      // Told of a failover by the sentinels themselves (+switch-master), not only when the old primary's socket dies:
      // a primary demoted while still up would otherwise answer every write with READONLY.
      failoverDetector: true,
      reconnectOnError: (error) => error.message.startsWith('READONLY'),
      enableOfflineQueue: waits,
      retryStrategy: reconnectDelay,
      lazyConnect: !waits,
    });
  }
  return new Cluster(
    target.nodes.map(({ host, port }) => ({ host, port })),
    {
      redisOptions: { ...perConnection, ...credentials, ...tls },
      enableOfflineQueue: waits,
      clusterRetryStrategy: reconnectDelay,
      lazyConnect: !waits,
    },
  );
}
