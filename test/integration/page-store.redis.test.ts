import { accountNamespace } from '../../src/redis/redis-connection';
import type { RedisConnection } from '../../src/redis/redis-connection';
import { RedisPageStore } from '../../src/cache/page-store.redis';
import { FillNotices } from '../../src/cache/fill-notices';
import { FILL_NOTICE_BOUND_MS, filledElsewhere } from '../../src/cache/fill-wait';
import { plainJsonCodec } from '../../src/sessions/json-codec';
import { StoredPage, pageStoreContract } from '../contracts/page-store.contract';
import { sessionPageCodec } from '../../src/sessions/page-codec';
import type { WireSessionPage } from '../../src/zoom/wire';
import { connectRedis } from '../services/redis-connection';
import { TestRedis, startTestRedis, uniqueKeyPrefix } from '../services/redis-server';

const PAGE: WireSessionPage = { pageSize: 300, nextPageToken: 'tok', sessions: [], trackingId: 'trk', bytes: 42 };

let redis: TestRedis;
let connection: RedisConnection;
const prefix = uniqueKeyPrefix('pages');

beforeAll(async () => {
  redis = await startTestRedis();
  // A generous bound: these tests are about what is stored, not about a slow Redis.
  ({ connection } = await connectRedis(redis.url, prefix, 1_000));
});
afterAll(async () => {
  connection.close();
  await redis.stop();
});

let round = 0;
pageStoreContract(
  'RedisPageStore',
  async () => new RedisPageStore(connection, `${accountNamespace(prefix, `contract-${++round}`)}page:`, plainJsonCodec<StoredPage>()),
  (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
);

describe('RedisPageStore', () => {
  it('stores pages as bytes with their TTL and reads them back equal', async () => {
    const store = new RedisPageStore(connection, accountNamespace(prefix, 'account'), sessionPageCodec);
    await store.set('k', PAGE, { ttlMs: 5_000, bytes: PAGE.bytes });
    await expect(store.get('k')).resolves.toEqual(PAGE);
    const entry = await store.entry('k');
    expect(entry?.ttlMs).toBeGreaterThan(4_000);
    expect(entry?.ttlMs).toBeLessThanOrEqual(5_000);
    await store.delete('k');
    await expect(store.get('k')).resolves.toBeUndefined();
  });

  it('keeps two Zoom accounts apart, and never puts the API key in a key', async () => {
    const first = new RedisPageStore(connection, accountNamespace(prefix, 'secret-api-key-a'), sessionPageCodec);
    const second = new RedisPageStore(connection, accountNamespace(prefix, 'secret-api-key-b'), sessionPageCodec);
    await first.set('same', PAGE, { ttlMs: 5_000, bytes: 1 });
    await expect(second.get('same')).resolves.toBeUndefined();
    const keys = await connection.client.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).not.toContain('secret-api-key');
    expect(accountNamespace('zoomgw:', 'secret-api-key-a')).toMatch(/^zoomgw:\{[\w-]{16}\}:v1:$/);
  });

  it('reads bytes it cannot decode as a miss', async () => {
    const store = new RedisPageStore(connection, accountNamespace(prefix, 'damaged'), sessionPageCodec);
    await store.set('k', PAGE, { ttlMs: 5_000, bytes: 1 });
    const [key] = await connection.client.keys(`${accountNamespace(prefix, 'damaged')}*`);
    await connection.client.set(key, '{"sessions": "not a list"', 'PX', 5_000);
    await expect(store.get('k')).resolves.toBeUndefined();
  });

  it('gives the fill lock to one caller only', async () => {
    const store = new RedisPageStore(connection, accountNamespace(prefix, 'lock'), sessionPageCodec);
    const winners = await Promise.all([0, 1, 2, 3].map(() => store.tryLock('page', 1_000)));
    expect(winners.filter(Boolean)).toHaveLength(1);
  });
});

describe('a waiter on another instance\'s fill', () => {
  it('is woken by the fill\'s notice, not by polling: two looks at Redis, however long the fill takes', async () => {
    const namespace = accountNamespace(prefix, 'fill-notices');
    // Two instances: two connections, each with its notices, one store each on the same namespace.
    const other = await connectRedis(redis.url, prefix, 1_000);
    const noticesA = new FillNotices(connection, namespace);
    const noticesB = new FillNotices(other.connection, namespace);
    await Promise.all([noticesA.whenSubscribed(), noticesB.whenSubscribed()]);
    const filler = new RedisPageStore(connection, `${namespace}page:`, sessionPageCodec, noticesA);
    const waiter = new RedisPageStore(other.connection, `${namespace}page:`, sessionPageCodec, noticesB);
    let looks = 0;
    const counted = { get: (key: string) => ((looks += 1), waiter.get(key)), set: waiter.set.bind(waiter), delete: waiter.delete.bind(waiter) };
    expect(await filler.tryLock('wanted', 5_000)).toBe(true);
    const waiting = filledElsewhere(waiter, counted, 'wanted', () => true);
    // The fill takes 600 ms: polling every 20 ms would look 30 times.
    await new Promise((resolve) => setTimeout(resolve, 600));
    await filler.set('wanted', PAGE, { ttlMs: 5_000, bytes: PAGE.bytes });
    await expect(waiting).resolves.toEqual(PAGE);
    // One look on arrival, one per FILL_NOTICE_BOUND_MS without a notice (at most three in 600 ms), one when woken.
    expect(looks).toBeLessThanOrEqual(Math.ceil(600 / FILL_NOTICE_BOUND_MS) + 2);
    noticesA.close();
    noticesB.close();
    other.connection.close();
  });
});
