import { RedisWebhookDedup } from '../../src/live/webhook-dedup.redis';
import type { RedisConnection } from '../../src/redis/redis-connection';
import { webhookDedupContract } from '../contracts/webhook-dedup.contract';
import { connectRedis } from '../services/redis-connection';
import { TestRedis, startTestRedis, uniqueKeyPrefix } from '../services/redis-server';

let redis: TestRedis;
let connection: RedisConnection;
let round = 0;

beforeAll(async () => {
  redis = await startTestRedis();
  ({ connection } = await connectRedis(redis.url, uniqueKeyPrefix('dedup'), 1_000));
});

afterAll(async () => {
  connection.close();
  await redis.stop();
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

webhookDedupContract('RedisWebhookDedup', async (ttlMs) => new RedisWebhookDedup(connection, `${uniqueKeyPrefix(`dedup-${++round}`)}webhook:`, ttlMs), sleep);

describe('RedisWebhookDedup shared', () => {
  it('recognises on one instance a retry first taken by another', async () => {
    const namespace = `${uniqueKeyPrefix('dedup-shared')}webhook:`;
    expect(await new RedisWebhookDedup(connection, namespace).firstSeen('k')).toBe(true);
    expect(await new RedisWebhookDedup(connection, namespace).firstSeen('k')).toBe(false);
  });
});
