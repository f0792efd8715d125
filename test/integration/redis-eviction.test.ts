import { Redis } from 'ioredis';
import { GatewayMetrics } from '../../src/metrics';
import { RedisConnection } from '../../src/redis/redis-connection';
import { evictionPolicyOf } from '../../src/redis/eviction-policy';
import { capturedLogger } from '../services/log-lines';
import { TestRedis, startOwnRedis, uniqueKeyPrefix } from '../services/redis-server';

// Its own server: the test changes its configuration.
let redis: TestRedis;
let admin: Redis;
beforeAll(async () => {
  redis = await startOwnRedis();
  admin = new Redis(redis.url);
});
afterAll(async () => {
  admin.disconnect();
  await redis.stop();
});

/** The error lines (pino level 50) a new connection logs, once it has had the time to ask about eviction. */
async function evictionLines(): Promise<Record<string, unknown>[]> {
  const { logger, lines } = capturedLogger('info');
  const connection = new RedisConnection({ url: redis.url, keyPrefix: uniqueKeyPrefix('eviction'), commandTimeoutMs: 1_000 }, logger, new GatewayMetrics());
  try {
    expect(await connection.start(5_000)).toBe(true);
    const deadline = Date.now() + 5_000;
    // The check is one INFO after 'ready': wait for the connection's own "connected" line and a round trip more.
    while (!lines.some((line) => String(line.msg).startsWith('Redis connected')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await connection.run('ping', (client) => client.ping());
    await new Promise((resolve) => setTimeout(resolve, 100));
    return lines.filter((line) => line.level === 50);
  } finally {
    connection.close();
  }
}

describe('a Redis that may evict the gateway\'s keys', () => {
  it('is named at connection with an error line when it evicts (any policy but noeviction, with a memory limit), and not otherwise', async () => {
    await admin.config('SET', 'maxmemory', '64mb');
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    const [line, ...more] = await evictionLines();
    expect(more).toEqual([]);
    expect(line).toMatchObject({ maxmemoryPolicy: 'allkeys-lru', maxmemory: 64 * 1024 * 1024 });
    expect(line.msg).toContain('Set maxmemory-policy noeviction');
    // Every key the gateway writes has a TTL: a volatile policy evicts them as well.
    await admin.config('SET', 'maxmemory-policy', 'volatile-ttl');
    expect(await evictionLines()).toHaveLength(1);
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    expect(await evictionLines()).toEqual([]);
    // No memory limit: nothing is evicted whatever the policy.
    await admin.config('SET', 'maxmemory', '0');
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    expect(await evictionLines()).toEqual([]);
  });

  it('reads the policy from INFO memory, and nothing from a server that does not say', () => {
    expect(evictionPolicyOf('# Memory\r\nused_memory:1\r\nmaxmemory:1048576\r\nmaxmemory_human:1.00M\r\nmaxmemory_policy:allkeys-lfu\r\n')).toEqual({ policy: 'allkeys-lfu', maxmemory: 1_048_576 });
    expect(evictionPolicyOf('# Memory\r\nused_memory:1\r\n')).toBeUndefined();
  });
});
