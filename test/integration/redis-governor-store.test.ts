import { accountNamespace } from '../../src/redis/redis-connection';
import type { RedisConnection } from '../../src/redis/redis-connection';
import { RedisGovernorStore } from '../../src/zoom/redis-governor-store';
import { governorStoreContract } from '../contracts/governor-store.contract';
import { connectRedis } from '../services/redis-connection';
import { TestRedis, startTestRedis, uniqueKeyPrefix } from '../services/redis-server';

let redis: TestRedis;
const connections: RedisConnection[] = [];
let stores = 0;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  for (const connection of connections) connection.close();
  await redis.stop();
});

async function connection(): Promise<RedisConnection> {
  const { connection: opened } = await connectRedis(redis.url, uniqueKeyPrefix('governor'));
  connections.push(opened);
  return opened;
}

governorStoreContract('RedisGovernorStore', async () => {
  stores += 1;
  return new RedisGovernorStore(await connection(), accountNamespace(`test:governor:${process.pid}:${Date.now()}:${stores}:`, 'key'));
});

describe('RedisGovernorStore across instances', () => {
  it('shares one budget between two connections of one account, and none with another account', async () => {
    const prefix = uniqueKeyPrefix('governor-shared');
    const first = new RedisGovernorStore(await connection(), accountNamespace(prefix, 'account-a'));
    const second = new RedisGovernorStore(await connection(), accountNamespace(prefix, 'account-a'));
    const other = new RedisGovernorStore(await connection(), accountNamespace(prefix, 'account-b'));
    const request = { label: 'resource-intensive' as const, budget: { limit: 2, windowMs: 60_000 }, maxWaitMs: 0, dailyLimit: 0 };
    await expect(first.reserve(request)).resolves.toEqual({ granted: true, waitMs: 0 });
    await expect(second.reserve(request)).resolves.toMatchObject({ granted: false, reason: 'budget' });
    await expect(other.reserve(request)).resolves.toEqual({ granted: true, waitMs: 0 });
    await first.pause('resource-intensive', 10_000);
    expect(await second.pausedFor('resource-intensive')).toBeGreaterThan(9_000);
    expect(await other.pausedFor('resource-intensive')).toBe(0);
  });

  it('grants exactly the budget to 50 concurrent reservations from three connections', async () => {
    const prefix = uniqueKeyPrefix('governor-race');
    const stores3 = await Promise.all([0, 1, 2].map(async () => new RedisGovernorStore(await connection(), accountNamespace(prefix, 'account'))));
    const request = { label: 'resource-intensive' as const, budget: { limit: 20, windowMs: 60_000 }, maxWaitMs: 0, dailyLimit: 0 };
    const answers = await Promise.all(Array.from({ length: 50 }, (_, index) => stores3[index % 3].reserve(request)));
    // maxWait 0: only the burst (a tenth of 20) goes now, whichever instance asks.
    expect(answers.filter((answer) => answer.granted)).toHaveLength(2);
  });
});
