import { MemoryReconcileLease } from '../../src/live/reconcile-lease.memory';
import { RedisReconcileLease } from '../../src/live/reconcile-lease.redis';
import type { RedisConnection } from '../../src/redis/redis-connection';
import { reconcileLeaseContract } from '../contracts/reconcile-lease.contract';
import { connectRedis } from '../services/redis-connection';
import { TestRedis, startTestRedis, uniqueKeyPrefix } from '../services/redis-server';

let redis: TestRedis;
let connection: RedisConnection;
let round = 0;

beforeAll(async () => {
  redis = await startTestRedis();
  ({ connection } = await connectRedis(redis.url, uniqueKeyPrefix('lease'), 1_000));
});

afterAll(async () => {
  connection.close();
  await redis.stop();
});

let clock = 0;
reconcileLeaseContract(
  'MemoryReconcileLease',
  async () => {
    const lease = new MemoryReconcileLease(() => clock);
    return [lease, lease];
  },
  async (ms) => {
    clock += ms;
  },
);

reconcileLeaseContract(
  'RedisReconcileLease',
  async () => {
    const namespace = `${uniqueKeyPrefix(`lease-${++round}`)}live:`;
    return [new RedisReconcileLease(connection, namespace), new RedisReconcileLease(connection, namespace)];
  },
  (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
);
