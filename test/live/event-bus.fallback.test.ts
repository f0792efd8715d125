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

/** Redis up again after a test that stopped it: a bus made while it is away waits for it to locate the stream. */
async function upAgain(): Promise<void> {
  if (connection.isUp()) return;
  await redis.restart();
  await until(() => connection.isUp());
}

describe('FallbackEventBus when Redis comes back', () => {
  it('publishes again what it delivered alone, so the other instance gets it once, and its own listeners not twice', async () => {
    await upAgain();
    const namespace = `${uniqueKeyPrefix('bus-back')}live:`;
    const [here, there] = [await fallbackBus(namespace), await fallbackBus(namespace)];
    const seenHere: string[] = [];
    const seenThere: string[] = [];
    here.subscribe((each) => seenHere.push(each.sessionId));
    there.subscribe((each) => seenThere.push(each.sessionId));
    await redis.kill();
    await until(() => !connection.isUp());
    await here.publish(change('while-down'));
    await here.publish(change('also-while-down'));
    expect(seenHere).toEqual(['while-down', 'also-while-down']);
    expect(here.waiting).toBe(2);
    await redis.restart();
    await until(() => connection.isUp());
    await until(() => seenThere.length === 2, 15_000);
    expect(seenThere).toEqual(['while-down', 'also-while-down']);
    await until(() => here.waiting === 0);
    await here.publish(change('after'));
    await until(() => seenThere.length === 3 && seenHere.length === 3);
    expect(seenHere).toEqual(['while-down', 'also-while-down', 'after']);
    expect(seenThere).toEqual(['while-down', 'also-while-down', 'after']);
    await here.close();
    await there.close();
  }, 60_000);
});

describe('FallbackEventBus publishing again what waited', () => {
  it('adds each waiting change to the stream once, with changes published while it drains coming after them', async () => {
    await upAgain();
    const namespace = `${uniqueKeyPrefix('bus-drain')}live:`;
    const [here, there] = [await fallbackBus(namespace), await fallbackBus(namespace)];
    const seenThere: string[] = [];
    there.subscribe((each) => seenThere.push(each.sessionId));
    await redis.kill();
    await until(() => !connection.isUp());
    // Enough that adding them again takes longer than the retry's second: a second loop would start beside the first.
    const waiting = Array.from({ length: 4_000 }, (_, n) => `down-${n}`);
    for (const id of waiting) await here.publish(change(id));
    await redis.restart();
    await until(() => connection.isUp());
    // Published while the waiting ones are being added: each after them, and none twice.
    const during = Array.from({ length: 100 }, (_, n) => `during-${n}`);
    for (const id of during) {
      await here.publish(change(id));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await until(() => here.waiting === 0 && seenThere.length === 4_100, 30_000);
    expect(seenThere).toEqual([...waiting, ...during]);
    const added = await connection.run('test.xlen', (client) => client.xlen(`${namespace}changes`));
    expect(added).toBe(4_100);
    await here.close();
    await there.close();
  }, 60_000);
});
