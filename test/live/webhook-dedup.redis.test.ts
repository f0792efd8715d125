import Redis from 'ioredis';
import { RedisWebhookDedup } from '../../src/live/webhook-dedup.redis';
import { TestRedis, startTestRedis, uniqueKeyPrefix } from '../services/redis-server';
import { describeWebhookDedup } from './webhook-dedup.spec';

let redis: TestRedis;
let client: Redis;
let round = 0;

beforeAll(async () => {
  redis = await startTestRedis();
  client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

describeWebhookDedup(
  'RedisWebhookDedup',
  async (ttlMs) => new RedisWebhookDedup(client, uniqueKeyPrefix(`dedup-${++round}`), 1_000, ttlMs),
  (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
);

describe('RedisWebhookDedup shared', () => {
  it('recognises on one instance a retry first taken by another', async () => {
    const prefix = uniqueKeyPrefix('dedup-shared');
    expect(await new RedisWebhookDedup(client, prefix).firstSeen('k')).toBe(true);
    expect(await new RedisWebhookDedup(client, prefix).firstSeen('k')).toBe(false);
  });
});
