import { FallbackWebhookDedup } from '../../src/live/webhook-dedup.fallback';
import { RedisWebhookDedup } from '../../src/live/webhook-dedup.redis';
import type { RedisConnection } from '../../src/redis/redis-connection';
import { until } from '../contracts/event-bus.contract';
import { webhookDedupContract } from '../contracts/webhook-dedup.contract';
import { connectRedis } from '../services/redis-connection';
import { TestRedis, startOwnRedis, uniqueKeyPrefix } from '../services/redis-server';

// Its own server: one test stops it.
let redis: TestRedis;
let connection: RedisConnection;
let round = 0;

beforeAll(async () => {
  redis = await startOwnRedis();
  ({ connection } = await connectRedis(redis.url, uniqueKeyPrefix('dedup-fallback'), 1_000));
});

afterAll(async () => {
  connection.close();
  await redis.stop();
});

const over = (failures: unknown[], ttlMs?: number, claimTtlMs?: number) =>
  new FallbackWebhookDedup(new RedisWebhookDedup(connection, `${uniqueKeyPrefix(`dedup-fallback-${++round}`)}webhook:`, ttlMs, claimTtlMs), (error) => failures.push(error));

webhookDedupContract('FallbackWebhookDedup over Redis', async (ttlMs, claimTtlMs) => over([], ttlMs, claimTtlMs), (ms) => new Promise((resolve) => setTimeout(resolve, ms)));

describe('FallbackWebhookDedup without Redis', () => {
  it('takes every key as free, and reports the fallback, when Redis is down', async () => {
    const failures: unknown[] = [];
    const dedup = over(failures);
    await redis.kill();
    await until(() => !connection.isUp());
    expect(await dedup.claim('k', 'one')).toBe('claimed');
    expect(await dedup.claim('k', 'two')).toBe('claimed');
    await dedup.confirm('k');
    expect(failures).toHaveLength(3);
  });
});
