import { RedisEventBus } from '../../src/live/event-bus.redis';
import type { RedisConnection } from '../../src/redis/redis-connection';
import { change, eventBusContract, until } from '../contracts/event-bus.contract';
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

describe('RedisEventBus when its reading connection is cut', () => {
  it('gets, once it reconnects, every change published while it was away, in order', async () => {
    const namespace = `${uniqueKeyPrefix('bus-cut')}live:`;
    const reader = new RedisEventBus(connection, namespace);
    const { connection: other } = await connectRedis(redis.url, uniqueKeyPrefix('bus-cut'), 1_000);
    const publisher = new RedisEventBus(other, namespace);
    await Promise.all([reader.whenSubscribed(), publisher.whenSubscribed()]);
    const seen: string[] = [];
    reader.subscribe((each) => seen.push(each.sessionId));
    await publisher.publish(change('before'));
    await until(() => seen.length === 1);
    // Every connection blocked reading the stream is cut (as a proxy or Redis's output-buffer limit would cut it).
    const clients = String(await connection.run('test.client-list', (client) => client.client('LIST')));
    const readers = clients.split('\n').filter((line) => / cmd=xread /.test(line)).map((line) => /\bid=(\d+)/.exec(line)?.[1]);
    expect(readers.length).toBeGreaterThan(0);
    for (const id of readers) await connection.run('test.client-kill', (client) => client.client('KILL', 'ID', String(id)));
    const meanwhile = Array.from({ length: 20 }, (_, n) => `while-cut-${n}`);
    for (const id of meanwhile) await publisher.publish(change(id));
    await until(() => seen.length === 21);
    expect(seen).toEqual(['before', ...meanwhile]);
    await reader.close();
    await publisher.close();
    other.close();
  });
});
