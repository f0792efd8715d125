import { SharedClientQuotaStore } from '../../src/budget/client-quota-store.fallback';
import { MemoryClientQuotaStore } from '../../src/budget/client-quota-store.memory';
import { RedisClientQuotaStore } from '../../src/budget/client-quota-store.redis';
import type { RedisConnection } from '../../src/redis/redis-connection';
import { until } from '../contracts/event-bus.contract';
import { clientQuotaStoreContract } from '../contracts/client-quota-store.contract';
import { connectRedis } from '../services/redis-connection';
import { TestRedis, startOwnRedis, uniqueKeyPrefix } from '../services/redis-server';

// Its own server: the last test stops it.
let redis: TestRedis;
let connection: RedisConnection;
let round = 0;

beforeAll(async () => {
  redis = await startOwnRedis();
  ({ connection } = await connectRedis(redis.url, uniqueKeyPrefix('quota'), 1_000));
});

afterAll(async () => {
  connection.close();
  await redis.stop();
});

const namespace = () => `${uniqueKeyPrefix(`quota-${++round}`)}quota:`;
/** Redis's own clock, on which the store counts days. */
const redisNow = async () => {
  const [seconds, micros] = await connection.run('time', (client) => client.time());
  return Number(seconds) * 1000 + Number(micros) / 1000;
};

clientQuotaStoreContract('RedisClientQuotaStore', async () => new RedisClientQuotaStore(connection, namespace()), redisNow);
clientQuotaStoreContract(
  'SharedClientQuotaStore over Redis',
  async () => new SharedClientQuotaStore(new RedisClientQuotaStore(connection, namespace()), new MemoryClientQuotaStore(Date.now), () => undefined),
  redisNow,
);

describe('client quota shared by instances', () => {
  it('counts a client once for every instance: two instances give it its quota, not twice', async () => {
    const shared = namespace();
    const instances = [new RedisClientQuotaStore(connection, shared), new RedisClientQuotaStore(connection, shared)];
    const answers = [];
    for (let call = 0; call < 10; call += 1) answers.push(await instances[call % 2].take('key:a', { perMinute: 0, perDay: 6 }));
    expect(answers.filter((answer) => answer.granted)).toHaveLength(6);
  });

  it('keeps no credential in Redis: a client is stored as a digest', async () => {
    const shared = namespace();
    await new RedisClientQuotaStore(connection, shared).take('key:super-secret-api-key', { perMinute: 5, perDay: 5 });
    const keys = await connection.run('keys', (client) => client.keys(`${shared}*`));
    expect(keys.length).toBe(2);
    expect(keys.join(' ')).not.toContain('super-secret');
  });

  it('goes on from what it counted when Redis goes away: a client past its quota stays refused', async () => {
    const fallbacks: unknown[] = [];
    const store = new SharedClientQuotaStore(new RedisClientQuotaStore(connection, namespace()), new MemoryClientQuotaStore(Date.now), (error) => fallbacks.push(error));
    for (let call = 0; call < 3; call += 1) expect(await store.take('key:a', { perMinute: 0, perDay: 3 })).toMatchObject({ granted: true });
    await redis.kill();
    await until(() => !connection.isUp());
    expect(await store.take('key:a', { perMinute: 0, perDay: 3 })).toMatchObject({ granted: false, period: 'day' });
    expect(await store.take('key:b', { perMinute: 0, perDay: 3 })).toMatchObject({ granted: true });
    expect(fallbacks.length).toBeGreaterThan(0);
    // Redis back, empty: what this instance counted is the floor, so the client's day is not handed out again.
    await redis.restart();
    await until(() => connection.isUp());
    expect(await store.take('key:a', { perMinute: 0, perDay: 3 })).toMatchObject({ granted: false, period: 'day' });
  }, 20_000);
});
