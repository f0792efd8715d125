import Redis from 'ioredis';
import { RedisLiveState } from '../../src/live/live-state.redis';
import { TestRedis, startTestRedis, uniqueKeyPrefix } from '../services/redis-server';
import { describeLiveState, event } from './live-state.spec';
import { SessionEventType } from '../../src/live/session-event-type.enum';

let redis: TestRedis;
let client: Redis;
let round = 0;

beforeAll(async () => {
  redis = await startTestRedis();
  client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

describeLiveState('RedisLiveState', async () => new RedisLiveState(client, uniqueKeyPrefix(`live-state-${++round}`)));

describe('RedisLiveState across instances', () => {
  it('shares one state between two instances on one Redis, each change atomic', async () => {
    const prefix = uniqueKeyPrefix('live-state-shared');
    const one = new RedisLiveState(client, prefix);
    const other = new RedisLiveState(client, prefix);
    // Both instances take the same 50 joins at once: each participant is counted once.
    await one.apply(event(SessionEventType.SESSION_STARTED, 1, 'shared'));
    const joins = Array.from({ length: 50 }, (_, i) => event(SessionEventType.USER_JOINED, 10 + i, 'shared', `u${i}`));
    const outcomes = await Promise.all(joins.flatMap((join) => [one.apply(join), other.apply(join)]));
    expect(outcomes.filter((outcome) => outcome.applied)).toHaveLength(50);
    const [record] = await other.liveSessions();
    expect(record.present).toBe(50);
    expect(await one.participants('shared')).toHaveLength(50);
  });

  it('gives up within its bound when Redis does not answer', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: true, maxRetriesPerRequest: null, retryStrategy: () => 50 });
    dead.on('error', () => undefined);
    const state = new RedisLiveState(dead, uniqueKeyPrefix('live-state-dead'), { timeoutMs: 50 });
    await expect(state.apply(event(SessionEventType.SESSION_STARTED, 1, 'x'))).rejects.toThrow('Redis EVAL live apply took longer than 50 ms');
    await expect(state.liveSessions()).rejects.toThrow('took longer than 50 ms');
    dead.disconnect();
  });
});
