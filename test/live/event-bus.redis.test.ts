import { RedisEventBus } from '../../src/live/event-bus.redis';
import type { RedisConnection } from '../../src/redis/redis-connection';
import { eventBusContract } from '../contracts/event-bus.contract';
import { connectRedis } from '../services/redis-connection';
import { TestRedis, startTestRedis, uniqueKeyPrefix } from '../services/redis-server';

let redis: TestRedis;
let connection: RedisConnection;

beforeAll(async () => {
  redis = await startTestRedis();
  ({ connection } = await connectRedis(redis.url, uniqueKeyPrefix('bus'), 1_000));
});

afterAll(async () => {
  connection.close();
  await redis.stop();
});

eventBusContract('RedisEventBus', async () => {
  const namespace = `${uniqueKeyPrefix('bus')}live:`;
  const one = new RedisEventBus(connection, namespace);
  const other = new RedisEventBus(connection, namespace);
  await Promise.all([one.whenSubscribed(), other.whenSubscribed()]);
  return [one, other];
});
