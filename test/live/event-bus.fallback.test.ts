import { FallbackEventBus } from '../../src/live/event-bus.fallback';
import { RedisEventBus } from '../../src/live/event-bus.redis';
import type { LiveChange } from '../../src/live/live-change';
import type { RedisConnection } from '../../src/redis/redis-connection';
import { change, eventBusContract, until } from '../contracts/event-bus.contract';
import { connectRedis } from '../services/redis-connection';
import { TestRedis, startOwnRedis, uniqueKeyPrefix } from '../services/redis-server';

// Its own server: one test stops it.
let redis: TestRedis;
let connection: RedisConnection;

beforeAll(async () => {
  redis = await startOwnRedis();
  ({ connection } = await connectRedis(redis.url, uniqueKeyPrefix('bus-fallback'), 1_000));
});

afterAll(async () => {
  connection.close();
  await redis.stop();
});

async function fallbackBus(namespace: string, failures: unknown[] = []): Promise<FallbackEventBus> {
  const shared = new RedisEventBus(connection, namespace);
  await shared.whenSubscribed();
  return new FallbackEventBus(shared, (error) => failures.push(error));
}

eventBusContract('FallbackEventBus over Redis', async () => {
  const namespace = `${uniqueKeyPrefix('bus-fallback')}live:`;
  return [await fallbackBus(namespace), await fallbackBus(namespace)];
});

describe('FallbackEventBus without Redis', () => {
  it('still delivers to its own listeners, and reports the fallback, when Redis is down', async () => {
    const failures: unknown[] = [];
    const bus = await fallbackBus(`${uniqueKeyPrefix('bus-down')}live:`, failures);
    const seen: LiveChange[] = [];
    bus.subscribe((each) => seen.push(each));
    await redis.kill();
    await until(() => !connection.isUp());
    await bus.publish(change('while-down'));
    expect(seen.map((each) => each.sessionId)).toEqual(['while-down']);
    expect(failures).toHaveLength(1);
    await bus.close();
  });
});
