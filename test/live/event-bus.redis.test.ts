import Redis from 'ioredis';
import { RedisEventBus } from '../../src/live/event-bus.redis';
import type { LiveChange } from '../../src/live/live-change';
import { TestRedis, startOwnRedis, startTestRedis, uniqueKeyPrefix } from '../services/redis-server';
import { change, describeEventBus, until } from './event-bus.spec';

let redis: TestRedis;
let client: Redis;

beforeAll(async () => {
  redis = await startTestRedis();
  client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

describeEventBus('RedisEventBus', async () => {
  const prefix = uniqueKeyPrefix('bus');
  const one = new RedisEventBus(client, prefix);
  const other = new RedisEventBus(client, prefix);
  await Promise.all([one.whenSubscribed(), other.whenSubscribed()]);
  return [one, other];
});

describe('RedisEventBus without Redis', () => {
  it('still delivers to its own listeners, within its bound, when Redis is down', async () => {
    const own = await startOwnRedis();
    const fragile = new Redis(own.url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => 100 });
    fragile.on('error', () => undefined);
    const bus = new RedisEventBus(fragile, uniqueKeyPrefix('bus-down'), 50);
    await bus.whenSubscribed();
    const seen: LiveChange[] = [];
    bus.subscribe((each) => seen.push(each));
    await own.kill();
    await until(() => fragile.status !== 'ready');
    await bus.publish(change('while-down'));
    expect(seen.map((each) => each.sessionId)).toEqual(['while-down']);
    await bus.close();
    fragile.disconnect();
    await own.stop();
  });
});
