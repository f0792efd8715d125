import { Redis } from 'ioredis';
import { SessionsPageDocument } from '../generated/graphql';
import { Stack, startStack } from '../harness';
import { TestRedis, startOwnRedis, uniqueKeyPrefix } from '../services/redis-server';

// Its own server: the test makes it stall.
let redis: TestRedis;
let stack: Stack | undefined;
beforeAll(async () => {
  redis = await startOwnRedis();
});
afterAll(async () => {
  await stack?.close();
  await redis.stop();
});

describe('a slow Redis', () => {
  it('costs a request its command timeout, never an error: the page comes from Zoom and the governor from its local share', async () => {
    stack = await startStack({ env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniqueKeyPrefix('slow'), REDIS_COMMAND_TIMEOUT_MS: '50' } });
    const metrics = stack.gateway.metrics;
    const warm = await stack.request(SessionsPageDocument, { type: 'PAST', from: '2026-11-02', to: '2026-11-02', first: 1 });
    expect(warm.body.errors).toBeUndefined();
    const stall = new Redis(redis.url);
    try {
      // Redis answers no other client for 1.5 s: every command of the gateway meanwhile times out.
      await stall.call('CLIENT', 'PAUSE', '1500', 'ALL');
      const answer = await stack.request(SessionsPageDocument, { type: 'PAST', from: '2026-11-03', to: '2026-11-03', first: 1 });
      expect(answer.body.errors).toBeUndefined();
      expect(await metrics.value(metrics.redisErrors)).toBeGreaterThan(0);
      expect(await metrics.value(metrics.redisFallbacks)).toBeGreaterThan(0);
      expect(stack.zoom.calls()).toBe(2);
    } finally {
      await stall.call('CLIENT', 'UNPAUSE').catch(() => undefined);
      stall.disconnect();
    }
  });
});
