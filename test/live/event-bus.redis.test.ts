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

describe('RedisEventBus beside the release before it (pub/sub), during a rolling upgrade', () => {
  it('hears what an instance of that release publishes on the channel, and publishes there too, once each', async () => {
    const namespace = `${uniqueKeyPrefix('bus-upgrade')}live:`;
    const channel = `${namespace}changes`;
    const bus = new RedisEventBus(connection, namespace);
    const heardOnChannel: Record<string, unknown>[] = [];
    const old = connection.subscribe(channel, (message) => heardOnChannel.push(JSON.parse(message) as Record<string, unknown>));
    await Promise.all([bus.whenSubscribed(), old.ready]);
    const seen: string[] = [];
    bus.subscribe((each) => seen.push(each.sessionId));
    // What the release before does: PUBLISH on the channel.
    await connection.run('test.publish', (client) => client.publish(channel, JSON.stringify(change('from-the-old-release'))));
    await bus.publish(change('from-this-release'));
    await until(() => seen.length === 2 && heardOnChannel.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toEqual(['from-the-old-release', 'from-this-release']);
    expect(heardOnChannel.map((each) => each.sessionId)).toEqual(['from-the-old-release', 'from-this-release']);
    old.close();
    await bus.close();
  });
});

describe('RedisEventBus on a Redis whose clock went back', () => {
  it('reads the stream again from its start when its newest entry is behind the last one read', async () => {
    const namespace = `${uniqueKeyPrefix('bus-clock')}live:`;
    const stream = `${namespace}changes`;
    // The last entry read came from a Redis whose clock was 30 s ahead of the one that follows it.
    const ahead = `${Date.now() + 30_000}-0`;
    await connection.run('test.xadd', (client) => client.xadd(stream, ahead, 'm', JSON.stringify(change('before'))));
    const reader = new RedisEventBus(connection, namespace);
    const publisher = new RedisEventBus(connection, namespace);
    await Promise.all([reader.whenSubscribed(), publisher.whenSubscribed()]);
    const seen: string[] = [];
    reader.subscribe((each) => seen.push(each.sessionId));
    await connection.run('test.del', (client) => client.del(stream));
    for (const id of ['after-1', 'after-2']) await publisher.publish(change(id));
    await until(() => seen.length === 2, 15_000);
    expect(seen).toEqual(['after-1', 'after-2']);
    await reader.close();
    await publisher.close();
  }, 30_000);
});
