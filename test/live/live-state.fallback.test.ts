import { FallbackLiveState } from '../../src/live/live-state.fallback';
import { RedisLiveState } from '../../src/live/live-state.redis';
import { SessionEventType } from '../../src/live/session-event-type.enum';
import type { RedisConnection } from '../../src/redis/redis-connection';
import { until } from '../contracts/event-bus.contract';
import { event, liveStateContract } from '../contracts/live-state.contract';
import { connectRedis } from '../services/redis-connection';
import { TestRedis, startOwnRedis, uniqueKeyPrefix } from '../services/redis-server';

// Its own server: one test stops it.
let redis: TestRedis;
let connection: RedisConnection;
let round = 0;

beforeAll(async () => {
  redis = await startOwnRedis();
  ({ connection } = await connectRedis(redis.url, uniqueKeyPrefix('live-state-fallback'), 1_000));
});

afterAll(async () => {
  connection.close();
  await redis.stop();
});

const over = (failures: unknown[]) => new FallbackLiveState(new RedisLiveState(connection, `${uniqueKeyPrefix(`live-state-fallback-${++round}`)}live:`), (error) => failures.push(error));

liveStateContract('FallbackLiveState over Redis', async () => over([]));

describe('FallbackLiveState without Redis', () => {
  it('answers an event it could not apply as failed and not applied (for the caller to keep), and reports the fallback, when Redis is down; reads still fail for their callers to ask Zoom', async () => {
    const failures: unknown[] = [];
    const state = over(failures);
    await redis.kill();
    await until(() => !connection.isUp());
    await expect(state.apply(event(SessionEventType.SESSION_STARTED, 1, 'x'))).resolves.toEqual({ applied: false, session: null, failed: true });
    expect(failures).toHaveLength(1);
    await expect(state.liveSessions()).rejects.toThrow('Redis is not connected');
  });
});
