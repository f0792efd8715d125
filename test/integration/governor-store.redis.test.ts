import type { SlotAnswer, SlotRequest } from '../../src/budget/governor-store';
import { SharedGovernorStore } from '../../src/budget/governor-store.fallback';
import { MemoryGovernorStore } from '../../src/budget/governor-store.memory';
import { LEGACY_DAILY_REFRESH_MS, RedisGovernorStore, legacyNamespace } from '../../src/budget/governor-store.redis';
import { countedSpanMs } from '../../src/budget/rate-label';
import { accountNamespace } from '../../src/redis/redis-connection';
import { MAX_RETRY_AFTER_MS } from '../../src/zoom/retry-after';
import type { RedisConnection } from '../../src/redis/redis-connection';
import { governorStoreContract } from '../contracts/governor-store.contract';
import { connectRedis } from '../services/redis-connection';
import { TestRedis, startOwnRedis, uniqueKeyPrefix } from '../services/redis-server';

let redis: TestRedis;
const connections: RedisConnection[] = [];
let stores = 0;

beforeAll(async () => {
  redis = await startOwnRedis();
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

function freshNamespace(): string {
  stores += 1;
  return accountNamespace(`test:governor:${process.pid}:${Date.now()}:${stores}:`, 'key');
}

let tickets = 0;
const ticket = (): string => `redis-test:${(tickets += 1)}`;

const quietMetrics = { governorSlot: () => undefined, redisFallback: () => undefined };

governorStoreContract('RedisGovernorStore', async () => new RedisGovernorStore(await connection(), freshNamespace()));

governorStoreContract(
  'SharedGovernorStore over Redis',
  async () => new SharedGovernorStore(new RedisGovernorStore(await connection(), freshNamespace()), new MemoryGovernorStore(Date.now), 0.5, quietMetrics),
);

describe('RedisGovernorStore across instances', () => {
  it('shares one budget between two connections of one account, and none with another account', async () => {
    const prefix = uniqueKeyPrefix('governor-shared');
    const first = new RedisGovernorStore(await connection(), accountNamespace(prefix, 'account-a'));
    const second = new RedisGovernorStore(await connection(), accountNamespace(prefix, 'account-a'));
    const other = new RedisGovernorStore(await connection(), accountNamespace(prefix, 'account-b'));
    const request = () => ({ label: 'resource-intensive' as const, budget: { limit: 1, windowMs: 60_000 }, ticket: ticket(), maxWaitMs: 0, dailyLimit: 0 });
    await expect(first.reserve(request())).resolves.toMatchObject({ granted: true, waitMs: 0 });
    await expect(second.reserve(request())).resolves.toMatchObject({ granted: false, reason: 'window' });
    await expect(other.reserve(request())).resolves.toMatchObject({ granted: true, waitMs: 0 });
    await first.pause('resource-intensive', 10_000);
    expect(await second.pausedFor('resource-intensive')).toBeGreaterThan(9_000);
    expect(await other.pausedFor('resource-intensive')).toBe(0);
  });

  it('keeps a pause from Zoom\'s longest Retry-After with an expiry: it never outlives a day and an hour in Redis', async () => {
    // Found by review: a pause of 1e23 ms failed the script's PEXPIRE after its HSET, and the label stayed paused across restarts.
    const opened = await connection();
    const namespace = freshNamespace();
    await new RedisGovernorStore(opened, namespace).pause('resource-intensive', 1e23);
    const ttl = await opened.run('test.pttl', (client) => client.pttl(`${namespace}governor:resource-intensive`));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(MAX_RETRY_AFTER_MS + 60_000);
  });

  it('grants exactly the budget, at once, to 50 concurrent reservations from three connections', async () => {
    const prefix = uniqueKeyPrefix('governor-race');
    const three = await Promise.all([0, 1, 2].map(async () => new RedisGovernorStore(await connection(), accountNamespace(prefix, 'account'))));
    const request = () => ({ label: 'resource-intensive' as const, budget: { limit: 20, windowMs: 60_000 }, ticket: ticket(), maxWaitMs: 0, dailyLimit: 0 });
    const answers = await Promise.all(Array.from({ length: 50 }, (_, index) => three[index % 3].reserve(request())));
    expect(answers.filter((answer) => answer.granted)).toHaveLength(20);
    expect(answers.filter((answer) => !answer.granted && answer.reason === 'window')).toHaveLength(30);
  });

  it('keeps the daily count through a Redis restart that lost it: the instance pushes what it spent', async () => {
    const namespace = freshNamespace();
    const local = new MemoryGovernorStore(Date.now);
    const storeConnection = await connection();
    const store = new SharedGovernorStore(new RedisGovernorStore(storeConnection, namespace), local, 1, quietMetrics);
    const budget = { limit: 1_000, windowMs: 1_000 };
    const request = () => ({ label: 'heavy' as const, budget, ticket: ticket(), maxWaitMs: 0, dailyLimit: 5 });
    for (let call = 0; call < 4; call += 1) await expect(store.reserve(request())).resolves.toMatchObject({ granted: true });
    // The server starts again empty (no persistence in the test server): Redis alone would count 0 today.
    await redis.restart();
    const probe = new RedisGovernorStore(await connection(), namespace);
    expect((await probe.usage('heavy', budget)).dailyUsed).toBe(0);
    await waitUntil(() => storeConnection.isUp());
    await expect(store.reserve(request())).resolves.toMatchObject({ granted: true });
    await expect(store.reserve(request())).resolves.toMatchObject({ granted: false, reason: 'daily' });
    expect((await probe.usage('heavy', budget)).dailyUsed).toBe(5);
  });

  const dayBudget = { limit: 1_000, windowMs: 1_000 };
  const dayRequest = () => ({ label: 'heavy' as const, budget: dayBudget, ticket: ticket(), maxWaitMs: 0, dailyLimit: 6 });

  /** Two instances spend the day's 6 between them, 3 each (the first last read 5, the second 6); then Redis restarts empty. */
  async function twoInstancesSpentTheDay(): Promise<{ namespace: string; first: SharedGovernorStore; second: SharedGovernorStore }> {
    const namespace = freshNamespace();
    const opened = [await connection(), await connection()];
    const [first, second] = opened.map((one) => new SharedGovernorStore(new RedisGovernorStore(one, namespace), new MemoryGovernorStore(Date.now), 1, quietMetrics));
    for (let call = 0; call < 3; call += 1) {
      await expect(first.reserve(dayRequest())).resolves.toMatchObject({ granted: true });
      await expect(second.reserve(dayRequest())).resolves.toMatchObject({ granted: true });
    }
    await redis.restart();
    for (const one of opened) await waitUntil(() => one.isUp());
    return { namespace, first, second };
  }

  it('raises a Redis restarted empty to the shared count an instance last read, not only to its own calls', async () => {
    const { namespace, first, second } = await twoInstancesSpentTheDay();
    const probe = new RedisGovernorStore(await connection(), namespace);
    expect((await probe.usage('heavy', dayBudget)).dailyUsed).toBe(0);
    // Each spent 3 itself; the second knows 6 were spent, and neither is granted another.
    await expect(second.reserve(dayRequest())).resolves.toMatchObject({ granted: false, reason: 'daily' });
    await expect(first.reserve(dayRequest())).resolves.toMatchObject({ granted: false, reason: 'daily' });
    expect((await probe.usage('heavy', dayBudget)).dailyUsed).toBe(6);
  });

  const minute = { limit: 6, windowMs: 60_000 };
  const listRequest = () => ({ label: 'resource-intensive' as const, budget: minute, ticket: ticket(), maxWaitMs: 0, dailyLimit: 0 });

  it('keeps the minute\'s window through a Redis restarted empty: each instance gives back the calls it made in it', async () => {
    const namespace = freshNamespace();
    const opened = [await connection(), await connection()];
    const [first, second] = opened.map((one) => new SharedGovernorStore(new RedisGovernorStore(one, namespace), new MemoryGovernorStore(Date.now), 0.5, quietMetrics));
    for (let call = 0; call < 2; call += 1) {
      await expect(first.reserve(listRequest())).resolves.toMatchObject({ granted: true });
      await expect(second.reserve(listRequest())).resolves.toMatchObject({ granted: true });
    }
    await redis.restart();
    for (const one of opened) await waitUntil(() => one.isUp());
    const grants = [];
    for (let call = 0; call < 6; call += 1) {
      grants.push((await first.reserve(listRequest())).granted);
      grants.push((await second.reserve(listRequest())).granted);
    }
    // 4 of the minute's 6 were spent before the restart: each instance puts its 2 back before anything is decided,
    // and 2 are left, whichever instance asks.
    expect(grants.filter(Boolean)).toHaveLength(2);
    const probe = new RedisGovernorStore(await connection(), namespace);
    expect((await probe.usage('resource-intensive', minute)).inWindow).toBe(6);
  });

  it('takes a window that emptied itself (no call for a span) for no loss: the instance spends the whole budget again', async () => {
    const namespace = freshNamespace();
    const store = new SharedGovernorStore(new RedisGovernorStore(await connection(), namespace), new MemoryGovernorStore(Date.now), 0.5, quietMetrics);
    const short = { limit: 4, windowMs: 200 };
    const shortRequest = () => ({ label: 'heavy' as const, budget: short, ticket: ticket(), maxWaitMs: 0, dailyLimit: 0 });
    for (let call = 0; call < 4; call += 1) await expect(store.reserve(shortRequest())).resolves.toMatchObject({ granted: true });
    // Longer than the span and the keys' life after the last call: Redis holds nothing of this window now.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const again = [];
    for (let call = 0; call < 4; call += 1) again.push((await store.reserve(shortRequest())).granted);
    expect(again).toEqual([true, true, true, true]);
  });

  it('counts in Redis what an instance spent of its local share while Redis was away', async () => {
    const namespace = freshNamespace();
    const opened = [await connection(), await connection()];
    const [first, second] = opened.map((one) => new SharedGovernorStore(new RedisGovernorStore(one, namespace), new MemoryGovernorStore(Date.now), 0.5, quietMetrics));
    await expect(second.reserve(listRequest())).resolves.toMatchObject({ granted: true });
    await redis.kill();
    for (const one of opened) await waitUntil(() => !one.isUp());
    // Alone, each has half the budget: 3 calls, less what it had counted (the second made 1 before).
    const alone = [];
    for (let call = 0; call < 4; call += 1) alone.push((await first.reserve(listRequest())).granted, (await second.reserve(listRequest())).granted);
    expect(alone.filter(Boolean)).toHaveLength(5);
    await redis.restart();
    for (const one of opened) await waitUntil(() => one.isUp());
    // 6 spent in the minute. The first to ask puts its 3 back and is granted one more before the second has put
    // its own back: one call over, where an empty window gave out 6 more; then each is refused.
    const after = [];
    for (let call = 0; call < 4; call += 1) after.push((await first.reserve(listRequest())).granted, (await second.reserve(listRequest())).granted);
    expect(after).toEqual([true, false, false, false, false, false, false, false]);
    const probe = new RedisGovernorStore(await connection(), namespace);
    expect((await probe.usage('resource-intensive', minute)).inWindow).toBe(7);
  });

  it('holds an instance cut off from Redis to what the window and the day it last read left, not a fresh local share', async () => {
    const namespace = freshNamespace();
    const opened = [await connection(), await connection()];
    const [first, second] = opened.map((one) => new SharedGovernorStore(new RedisGovernorStore(one, namespace), new MemoryGovernorStore(Date.now), 0.5, quietMetrics));
    const heavy = { limit: 1_000, windowMs: 60_000 };
    const dayRequest = () => ({ label: 'heavy' as const, budget: heavy, ticket: ticket(), maxWaitMs: 0, dailyLimit: 4 });
    // The second spends the minute's window of List calls and the day's 4 Heavy calls; the first reads both spent.
    for (let call = 0; call < 6; call += 1) await expect(second.reserve(listRequest())).resolves.toMatchObject({ granted: true });
    for (let call = 0; call < 4; call += 1) await expect(second.reserve(dayRequest())).resolves.toMatchObject({ granted: true });
    await expect(first.reserve(listRequest())).resolves.toMatchObject({ granted: false, reason: 'window' });
    await expect(first.reserve(dayRequest())).resolves.toMatchObject({ granted: false, reason: 'daily' });
    await redis.kill();
    for (const one of opened) await waitUntil(() => !one.isUp());
    // Its local share (3 List calls, 2 Heavy) would go on top of what Zoom already counted: before, 3 and 2 went.
    for (let call = 0; call < 3; call += 1) await expect(first.reserve(listRequest())).resolves.toMatchObject({ granted: false, reason: 'window' });
    await expect(first.reserve(dayRequest())).resolves.toMatchObject({ granted: false, reason: 'daily' });
    await redis.restart();
    for (const one of opened) await waitUntil(() => one.isUp());
  });

  it('holds an instance that only read the window and the day (RateGovernor.watch), never reserving, to what they left', async () => {
    const namespace = freshNamespace();
    const opened = [await connection(), await connection()];
    const [idle, busy] = opened.map((one) => new SharedGovernorStore(new RedisGovernorStore(one, namespace), new MemoryGovernorStore(Date.now), 0.5, quietMetrics));
    const heavy = { limit: 1_000, windowMs: 60_000 };
    const dayRequest = () => ({ label: 'heavy' as const, budget: heavy, ticket: ticket(), maxWaitMs: 0, dailyLimit: 4 });
    for (let call = 0; call < 6; call += 1) await expect(busy.reserve(listRequest())).resolves.toMatchObject({ granted: true });
    for (let call = 0; call < 4; call += 1) await expect(busy.reserve(dayRequest())).resolves.toMatchObject({ granted: true });
    // The idle instance sends nothing; its watch reads what the window and the day hold.
    await idle.usage('resource-intensive', minute);
    const { dailyResetAt } = await idle.usage('heavy', heavy);
    // A day's count is taken only when Redis's day is this host's (a suite run under faketime moves this host's alone).
    const sameDay = dailyResetAt === new MemoryGovernorStore(Date.now).dailyCount().resetAt;
    await redis.kill();
    try {
      for (const one of opened) await waitUntil(() => !one.isUp());
      // Before, having never reserved, it knew nothing: its local share (3 List calls, 2 Heavy) went on top.
      await expect(idle.reserve(listRequest())).resolves.toMatchObject({ granted: false, reason: 'window' });
      await expect(idle.reserve(dayRequest())).resolves.toMatchObject(sameDay ? { granted: false, reason: 'daily' } : { granted: true });
    } finally {
      await redis.restart();
      for (const one of opened) await waitUntil(() => one.isUp());
    }
  });

  it('holds an idle instance only until the others\' calls it read leave the window, however late it read them', async () => {
    const namespace = freshNamespace();
    const opened = [await connection(), await connection()];
    const [idle, busy] = opened.map((one) => new SharedGovernorStore(new RedisGovernorStore(one, namespace), new MemoryGovernorStore(Date.now), 0.5, quietMetrics));
    const short = { limit: 6, windowMs: 2_000 };
    const shortRequest = () => ({ label: 'resource-intensive' as const, budget: short, ticket: ticket(), maxWaitMs: 0, dailyLimit: 0 });
    for (let call = 0; call < 6; call += 1) await expect(busy.reserve(shortRequest())).resolves.toMatchObject({ granted: true });
    // The watch reads the full window late in it, then Redis goes away.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await idle.usage('resource-intensive', short);
    await redis.kill();
    for (const one of opened) await waitUntil(() => !one.isUp());
    await expect(idle.reserve(shortRequest())).resolves.toMatchObject({ granted: false, reason: 'window' });
    // Once the busy instance's calls have left the span Zoom counts them in, the idle one may spend its share: before,
    // the read of 1.5 s held it a whole span from the read.
    await new Promise((resolve) => setTimeout(resolve, countedSpanMs(short) - 1_500 + 100));
    await expect(idle.reserve(shortRequest())).resolves.toMatchObject({ granted: true });
    await redis.restart();
    for (const one of opened) await waitUntil(() => one.isUp());
  });

  it('does not take its own reservation in flight for another instance\'s call when its watch reads the window meanwhile', async () => {
    const namespace = freshNamespace();
    const one = await connection();
    // Redis grants the third call at once; its answer reaches the instance only after the watch has read the window.
    let answerHeld: Promise<void> = Promise.resolve();
    class AnswerLate extends RedisGovernorStore {
      override async reserve(request: SlotRequest): Promise<SlotAnswer> {
        const answer = await super.reserve(request);
        await answerHeld;
        return answer;
      }
    }
    const alone = new SharedGovernorStore(new AnswerLate(one, namespace), new MemoryGovernorStore(Date.now), 1, quietMetrics);
    const four = { limit: 4, windowMs: 60_000 };
    const request = () => ({ label: 'resource-intensive' as const, budget: four, ticket: ticket(), maxWaitMs: 0, dailyLimit: 0 });
    for (let call = 0; call < 2; call += 1) await expect(alone.reserve(request())).resolves.toMatchObject({ granted: true });
    let release = (): void => undefined;
    answerHeld = new Promise((resolve) => {
      release = resolve;
    });
    const third = alone.reserve(request());
    const probe = new RedisGovernorStore(one, namespace);
    for (let tries = 0; tries < 200 && (await probe.usage('resource-intensive', four)).inWindow < 3; tries += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    await alone.usage('resource-intensive', four);
    release();
    await expect(third).resolves.toMatchObject({ granted: true });
    await redis.kill();
    await waitUntil(() => !one.isUp());
    // Three of four spent, all its own: the fourth is its to spend.
    await expect(alone.reserve(request())).resolves.toMatchObject({ granted: true });
    await redis.restart();
    await waitUntil(() => one.isUp());
  });

  it('puts back what it granted alone after a short Redis stall, and is held to nothing less than the shared window', async () => {
    const namespace = freshNamespace();
    const { connection: slow } = await connectRedis(redis.url, uniqueKeyPrefix('governor-stall'), 50);
    connections.push(slow);
    const store = new SharedGovernorStore(new RedisGovernorStore(slow, namespace), new MemoryGovernorStore(Date.now), 0.5, quietMetrics);
    const short = { limit: 4, windowMs: 2_000 };
    const shortRequest = () => ({ label: 'heavy' as const, budget: short, ticket: ticket(), maxWaitMs: 0, dailyLimit: 0 });
    await expect(store.reserve(shortRequest())).resolves.toMatchObject({ granted: true });
    const stall = await connection();
    await stall.run('pause', (client) => client.call('CLIENT', 'PAUSE', '150', 'ALL'));
    // Past the 50 ms timeout: the local share (2) decides, and this call is granted alone.
    await expect(store.reserve(shortRequest())).resolves.toMatchObject({ granted: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The shared window learns of it before deciding, and the other 2 of the 4 are granted.
    const rest = [];
    for (let call = 0; call < 3; call += 1) rest.push((await store.reserve(shortRequest())).granted);
    expect(rest).toEqual([true, true, false]);
    const probe = new RedisGovernorStore(await connection(), namespace);
    expect((await probe.usage('heavy', short)).inWindow).toBe(4);
  });

  it('after a Redis restart, spends again at most the calls an instance had not seen, until the instance that saw them asks', async () => {
    const { first, second } = await twoInstancesSpentTheDay();
    // The first read 5: the one call it did not see can go again (where its own count alone would let 3 go) ...
    await expect(first.reserve(dayRequest())).resolves.toMatchObject({ granted: true });
    await expect(first.reserve(dayRequest())).resolves.toMatchObject({ granted: false, reason: 'daily' });
    // ... and nothing more once the second has asked.
    await expect(second.reserve(dayRequest())).resolves.toMatchObject({ granted: false, reason: 'daily' });
  });
});

describe('RedisGovernorStore after an upgrade from untagged keys', () => {
  const budget = { limit: 1_000, windowMs: 1_000 };
  const request = (dailyLimit: number) => ({ label: 'heavy' as const, budget, ticket: ticket(), maxWaitMs: 0, dailyLimit });

  /** What the release before hash-tagged keys left: today's count under `zoomgw:<digest>:v1:governor:daily`, days by Redis's clock. */
  async function writeLegacyDaily(redisConnection: RedisConnection, namespace: string, used: number, dayOffset = 0): Promise<void> {
    const [seconds] = await redisConnection.run('time', (client) => client.time());
    const resetAt = (Math.floor((Number(seconds) * 1000) / 86_400_000) + 1 + dayOffset) * 86_400_000;
    await redisConnection.run('hset', (client) => client.hset(`${legacyNamespace(namespace)}governor:daily`, 'used', used, 'resetAt', resetAt));
  }

  it('names the untagged namespace of a tagged one, and none for one without a tag', () => {
    expect(legacyNamespace('zoomgw:{abc}:v1:')).toBe('zoomgw:abc:v1:');
    expect(legacyNamespace('zoomgw:abc:v1:')).toBeUndefined();
  });

  /** Reserves until the old release's count has been read in the background and added: the answers' counts and the grants made. */
  async function reserveUntil(store: RedisGovernorStore, used: (grants: number) => number, state: { grants: number }, extra: Partial<ReturnType<typeof request>> = {}): Promise<number> {
    for (let tries = 0; tries < 100; tries += 1) {
      const answer = await store.reserve({ ...request(100_000), ...extra });
      if (answer.granted) state.grants += 1;
      if (answer.daily?.used === used(state.grants)) return answer.daily.used;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`the count never reached ${used(state.grants)}`);
  }

  it('adds what the old release counted today, and what its instances spend after, to the new count', async () => {
    const namespace = freshNamespace();
    const shared = await connection();
    await writeLegacyDaily(shared, namespace, 40);
    let nowMs = 0;
    const store = new RedisGovernorStore(shared, namespace, () => nowMs);
    const state = { grants: 0 };
    await reserveUntil(store, (grants) => grants + 40, state);
    // The new instances spend 20; then the old ones, still running during the roll, spend 10 more under their key.
    for (let call = 0; call < 20; call += 1) await store.reserve(request(100_000));
    state.grants += 20;
    await writeLegacyDaily(shared, namespace, 50);
    // Not read again before the pause is over ...
    await expect(store.reserve(request(100_000))).resolves.toMatchObject({ granted: true, daily: { used: (state.grants += 1) + 40 } });
    // ... then added: all that both spent, not the larger of the two.
    nowMs += LEGACY_DAILY_REFRESH_MS;
    expect(await reserveUntil(store, (grants) => grants + 50, state)).toBe(state.grants + 50);
  });

  it('finds an old count written after it first looked, and stops at the day\'s limit', async () => {
    const namespace = freshNamespace();
    const shared = await connection();
    let nowMs = 0;
    const store = new RedisGovernorStore(shared, namespace, () => nowMs);
    await expect(store.reserve(request(50))).resolves.toMatchObject({ granted: true, daily: { used: 1 } });
    await writeLegacyDaily(shared, namespace, 45);
    nowMs += LEGACY_DAILY_REFRESH_MS;
    const state = { grants: 1 };
    await reserveUntil(store, (grants) => grants + 45, state, { dailyLimit: 50 });
    while (state.grants + 45 < 50) {
      await expect(store.reserve(request(50))).resolves.toMatchObject({ granted: true });
      state.grants += 1;
    }
    await expect(store.reserve(request(50))).resolves.toMatchObject({ granted: false, reason: 'daily' });
  });

  it('ignores an old count of another day (without pushing out a floor of today), and one it cannot read', async () => {
    const yesterday = freshNamespace();
    const shared = await connection();
    await writeLegacyDaily(shared, yesterday, 5_000, -1);
    let nowMs = 0;
    const store = new RedisGovernorStore(shared, yesterday, () => nowMs);
    await store.reserve(request(100_000));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(store.reserve({ ...request(100_000), dailyFloor: 100 })).resolves.toMatchObject({ granted: true, daily: { used: 101 } });
    const garbage = freshNamespace();
    await shared.run('hset', (client) => client.hset(`${legacyNamespace(garbage)}governor:daily`, 'used', '5.5', 'resetAt', '1e3'));
    const other = new RedisGovernorStore(shared, garbage, () => nowMs);
    await other.reserve(request(100_000));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(other.reserve(request(100_000))).resolves.toMatchObject({ granted: true, daily: { used: 2 } });
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 200 && !condition(); tries += 1) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(condition()).toBe(true);
}
