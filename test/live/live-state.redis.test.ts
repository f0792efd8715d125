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
