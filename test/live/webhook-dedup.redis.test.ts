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

webhookDedupContract('RedisWebhookDedup', async (ttlMs, claimTtlMs) => new RedisWebhookDedup(connection, `${uniqueKeyPrefix(`dedup-${++round}`)}webhook:`, ttlMs, claimTtlMs), sleep);

describe('RedisWebhookDedup shared', () => {
  it('recognises on one instance a retry first taken by another', async () => {
    const namespace = `${uniqueKeyPrefix('dedup-shared')}webhook:`;
    expect(await new RedisWebhookDedup(connection, namespace).claim('k', 'one')).toBe('claimed');
    expect(await new RedisWebhookDedup(connection, namespace).claim('k', 'two')).toBe('busy');
    await new RedisWebhookDedup(connection, namespace).confirm('k');
    expect(await new RedisWebhookDedup(connection, namespace).claim('k', 'two')).toBe('taken');
  });

  it('reads a key an earlier release wrote (\'1\', set at first sight) as taken, for a rolling upgrade', async () => {
    const namespace = `${uniqueKeyPrefix('dedup-earlier')}webhook:`;
    await connection.run('test', (client) => client.set(`${namespace}seen:k`, '1', 'PX', 60_000));
    expect(await new RedisWebhookDedup(connection, namespace).claim('k', 'one')).toBe('taken');
  });
});
