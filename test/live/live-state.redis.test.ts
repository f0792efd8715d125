import { EVENT_MARK_MS, WRITE_COUNT_TTL_MS } from '../../src/live/live-state';
import { RedisLiveState } from '../../src/live/live-state.redis';
import { RedisUnavailableError, type RedisConnection } from '../../src/redis/redis-connection';
import { SessionEventType } from '../../src/live/session-event-type.enum';
import { event, liveStateContract } from '../contracts/live-state.contract';
import { connectRedis } from '../services/redis-connection';
import { TestRedis, startOwnRedis, startTestRedis, uniqueKeyPrefix } from '../services/redis-server';

let redis: TestRedis;
let connection: RedisConnection;
let round = 0;

beforeAll(async () => {
  redis = await startTestRedis();
  ({ connection } = await connectRedis(redis.url, uniqueKeyPrefix('live-state'), 1_000));
});

afterAll(async () => {
  connection.close();
  await redis.stop();
});

liveStateContract('RedisLiveState', async () => new RedisLiveState(connection, `${uniqueKeyPrefix(`live-state-${++round}`)}live:`));

describe('RedisLiveState counting its own writes', () => {
  const countKey = (namespace: string, instance: string) => `${namespace}writes:${instance}`;

  it('finds its writes lost when the store counts fewer of them (a snapshot restored), by a look or by the next write, and says so once', async () => {
    const namespace = `${uniqueKeyPrefix('live-state-count')}live:`;
    const state = new RedisLiveState(connection, namespace, 'instance-a');
    await state.apply(event(SessionEventType.SESSION_STARTED, 1, 'counted'));
    await state.apply(event(SessionEventType.USER_JOINED, 2, 'counted', 'u1'));
    expect(await state.lostWrites()).toBe(false);
    // The store comes back as it was after the first write.
    await connection.run('test.rewind', (client) => client.set(countKey(namespace, 'instance-a'), '1'));
    expect(await state.lostWrites()).toBe(true);
    expect(await state.lostWrites()).toBe(false);
    // And again, found by a write before any look.
    await connection.run('test.rewind', (client) => client.set(countKey(namespace, 'instance-a'), '0'));
    await state.apply(event(SessionEventType.USER_JOINED, 3, 'counted', 'u2'));
    expect(await state.lostWrites()).toBe(true);
    expect(await state.lostWrites()).toBe(false);
  });

  it('takes a count that jumped ahead (its own write that timed out and ran) or another instance\'s writes for no loss', async () => {
    const namespace = `${uniqueKeyPrefix('live-state-count-ahead')}live:`;
    const state = new RedisLiveState(connection, namespace, 'instance-b');
    const other = new RedisLiveState(connection, namespace, 'instance-c');
    await state.apply(event(SessionEventType.SESSION_STARTED, 1, 'ahead'));
    await connection.run('test.ahead', (client) => client.incr(countKey(namespace, 'instance-b')));
    await other.apply(event(SessionEventType.USER_JOINED, 2, 'ahead', 'u1'));
    await state.apply(event(SessionEventType.USER_JOINED, 3, 'ahead', 'u2'));
    expect(await state.lostWrites()).toBe(false);
    expect(await other.lostWrites()).toBe(false);
    const ttl = await connection.run('test.ttl', (client) => client.pttl(countKey(namespace, 'instance-b')));
    expect(ttl).toBeGreaterThan(WRITE_COUNT_TTL_MS - 60_000);
  });
});

describe('RedisLiveState across instances', () => {
  it('shares one state between two instances on one Redis, each change atomic', async () => {
    const namespace = `${uniqueKeyPrefix('live-state-shared')}live:`;
    const one = new RedisLiveState(connection, namespace);
    const other = new RedisLiveState(connection, namespace);
    // Both instances take the same 50 joins at once: each participant is counted once.
    await one.apply(event(SessionEventType.SESSION_STARTED, 1, 'shared'));
    const joins = Array.from({ length: 50 }, (_, i) => event(SessionEventType.USER_JOINED, 10 + i, 'shared', `u${i}`));
    const outcomes = await Promise.all(joins.flatMap((join) => [one.apply(join), other.apply(join)]));
    expect(outcomes.filter((outcome) => outcome.applied)).toHaveLength(50);
    const [record] = await other.liveSessions();
    expect(record.present).toBe(50);
    expect(await one.participants('shared')).toHaveLength(50);
  });

  it('tells every instance which write took an event first: only that delivery publishes a write it did not hear back from', async () => {
    const namespace = `${uniqueKeyPrefix('live-state-writer')}live:`;
    const one = new RedisLiveState(connection, namespace);
    const other = new RedisLiveState(connection, namespace);
    const join = event(SessionEventType.USER_JOINED, 10, 'written', 'u1');
    expect(await one.apply(join, 'delivery-1')).toMatchObject({ applied: true });
    expect(await other.apply(join, 'delivery-2')).toMatchObject({ applied: false, repeatOf: { applied: true, writer: 'delivery-1' } });
    expect(await one.apply(join, 'delivery-1')).toMatchObject({ applied: false, repeatOf: { applied: true, writer: 'delivery-1' } });
    // The mark lives beside the session, in the account's namespace, and expires.
    const marks = await connection.run('test.keys', (client) => client.keys(`${namespace}event:*`));
    expect(marks).toHaveLength(1);
    const ttl = await connection.run('test.ttl', (client) => client.pttl(marks[0]));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(EVENT_MARK_MS);
  });

  it('reads a live list of 1,100 sessions whole, and refuses to answer one it could read only in part', async () => {
    const namespace = `${uniqueKeyPrefix('live-state-large')}live:`;
    const state = new RedisLiveState(connection, namespace);
    // Written 100 at a time: the reading is under test, and 1,100 scripts queued at once outlast the command timeout on a busy machine.
    for (let from = 0; from < 1_100; from += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, n) => state.apply(event(SessionEventType.SESSION_STARTED, from + n + 1, `large-${from + n}`))));
    }
    expect(await state.liveSessions()).toHaveLength(1_100);
    // One record that cannot be read (here a key of the wrong type; on a busy process, a command timed out in the
    // pipeline): the list is not answered short of it, as if it were the whole.
    await connection.run('test.break', (client) => client.del(`${namespace}session:large-7`).then(() => client.set(`${namespace}session:large-7`, 'not a hash')));
    await expect(state.liveSessions()).rejects.toThrow(/WRONGTYPE/);
  });

  it('takes out of the live set an id whose record expired untouched, so the session cap does not count it', async () => {
    const namespace = `${uniqueKeyPrefix('live-state-prune')}live:`;
    const state = new RedisLiveState(connection, namespace);
    await state.apply(event(SessionEventType.SESSION_STARTED, 1, 'kept'));
    // A record gone (its 24 hours untouched) with its id still in the set.
    await connection.run('test.dead-id', (client) => client.sadd(`${namespace}sessions`, 'expired-untouched'));
    expect((await state.liveSessions()).map((record) => record.id)).toEqual(['kept']);
    expect((await connection.run('test.members', (client) => client.smembers(`${namespace}sessions`))).sort()).toEqual(['kept']);
  });

  it('fails at once, for its caller to fall back, when Redis is not there', async () => {
    const own = await startOwnRedis();
    const { connection: lost } = await connectRedis(own.url, uniqueKeyPrefix('live-state-dead'), 50);
    await own.kill();
    while (lost.isUp()) await new Promise((resolve) => setTimeout(resolve, 10));
    const state = new RedisLiveState(lost, `${uniqueKeyPrefix('live-state-dead')}live:`);
    await expect(state.apply(event(SessionEventType.SESSION_STARTED, 1, 'x'))).rejects.toBeInstanceOf(RedisUnavailableError);
    await expect(state.liveSessions()).rejects.toBeInstanceOf(RedisUnavailableError);
    lost.close();
    await own.stop();
  });
});
