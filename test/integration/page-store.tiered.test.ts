import { MemoryPageStore } from '../../src/cache/page-store.memory';
import { RedisConnection, accountNamespace } from '../../src/redis/redis-connection';
import { RedisPageStore } from '../../src/cache/page-store.redis';
import { memoOf } from '../../src/sessions/page-memo';
import { sessionPageCodec } from '../../src/sessions/page-codec';
import { TieredPageStore } from '../../src/cache/page-store.tiered';
import { plainJsonCodec } from '../../src/sessions/json-codec';
import { StoredPage, pageStoreContract } from '../contracts/page-store.contract';
import type { WireSessionPage } from '../../src/zoom/wire';
import { connectRedis } from '../services/redis-connection';
import { TestRedis, startOwnRedis, uniqueKeyPrefix } from '../services/redis-server';

const SESSION = {
  id: 's1', session_name: 'standup', start_time: '2026-11-27T10:00:00Z', user_count: 2, has_voip: true, has_video: true,
  has_screen_share: false, has_recording: false, has_pstn: false, has_session_summary: false,
};
const PAGE: WireSessionPage = { pageSize: 300, nextPageToken: '', sessions: [SESSION], trackingId: undefined, bytes: 300 };

// Its own server: one test stops it.
let redis: TestRedis;
const connections: RedisConnection[] = [];
beforeAll(async () => {
  redis = await startOwnRedis();
});
afterAll(async () => {
  // Even when a test fails midway: a client left reconnecting would keep jest from exiting.
  for (const connection of connections) connection.close();
  await redis.stop();
});

async function instance(prefix: string) {
  const { connection, metrics } = await connectRedis(redis.url, prefix, 100);
  connections.push(connection);
  const local = new MemoryPageStore<WireSessionPage>({ maxEntries: 10, maxBytes: 1_000_000, now: Date.now });
  const store = new TieredPageStore(local, new RedisPageStore(connection, accountNamespace(prefix, 'account'), sessionPageCodec), metrics);
  return { connection, metrics, store, local };
}

pageStoreContract(
  'TieredPageStore',
  async () => {
    const prefix = uniqueKeyPrefix('tiered-contract');
    const { connection, metrics } = await connectRedis(redis.url, prefix, 100);
    connections.push(connection);
    const local = new MemoryPageStore<StoredPage>({ maxEntries: 10, maxBytes: 1_000_000, now: Date.now });
    return new TieredPageStore(local, new RedisPageStore(connection, accountNamespace(prefix, 'account'), plainJsonCodec<StoredPage>()), metrics);
  },
  (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
);

describe('TieredPageStore', () => {
  it('serves a page another instance stored, then from its own tier as one object, so the page memo lives on', async () => {
    const prefix = uniqueKeyPrefix('tiered');
    const writer = await instance(prefix);
    const reader = await instance(prefix);
    await writer.store.set('page', PAGE, { ttlMs: 10_000, bytes: PAGE.bytes });
    const first = await reader.store.get('page');
    expect(first).toEqual(PAGE);
    memoOf(first!.sessions).cursors.set('fingerprint', ['cursor']);
    const second = await reader.store.get('page');
    expect(second).toBe(first);
    expect(memoOf(second!.sessions).cursors.get('fingerprint')).toEqual(['cursor']);
    expect(await reader.metrics.value(reader.metrics.pageTiers, { tier: 'redis' })).toBe(1);
    expect(await reader.metrics.value(reader.metrics.pageTiers, { tier: 'local' })).toBe(1);
    await writer.store.delete('page');
    await reader.local.delete('page');
    await expect(reader.store.get('page')).resolves.toBeUndefined();
    writer.connection.close();
    reader.connection.close();
  });

  it('keeps serving from its own tier while Redis is down, counts the fallbacks, and shares again once Redis is back', async () => {
    const prefix = uniqueKeyPrefix('tiered-outage');
    const one = await instance(prefix);
    const two = await instance(prefix);
    await one.store.set('kept', PAGE, { ttlMs: 60_000, bytes: PAGE.bytes });
    await redis.kill();
    await expect(one.store.get('kept')).resolves.toEqual(PAGE);
    await expect(two.store.get('kept')).resolves.toBeUndefined();
    await expect(two.store.set('new', PAGE, { ttlMs: 60_000, bytes: PAGE.bytes })).resolves.toBeUndefined();
    await expect(two.store.tryLock('new', 1_000)).resolves.toBe(true);
    expect(await two.metrics.value(two.metrics.redisFallbacks)).toBeGreaterThanOrEqual(3);
    await redis.restart();
    const deadline = Date.now() + 10_000;
    while (!(one.connection.isUp() && two.connection.isUp()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(one.connection.health()).toBe('up');
    await one.store.set('after', PAGE, { ttlMs: 60_000, bytes: PAGE.bytes });
    await expect(two.store.get('after')).resolves.toEqual(PAGE);
    one.connection.close();
    two.connection.close();
  });
});
