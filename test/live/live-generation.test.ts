import { MemoryLiveGeneration } from '../../src/live/live-generation.memory';
import { RedisLiveGeneration } from '../../src/live/live-generation.redis';
import type { RedisConnection } from '../../src/redis/redis-connection';
import { liveGenerationContract } from '../contracts/live-generation.contract';
import { connectRedis } from '../services/redis-connection';
import { TestRedis, startTestRedis, uniqueKeyPrefix } from '../services/redis-server';

let redis: TestRedis;
let connection: RedisConnection;
let round = 0;

beforeAll(async () => {
  redis = await startTestRedis();
  ({ connection } = await connectRedis(redis.url, uniqueKeyPrefix('generation'), 1_000));
});

afterAll(async () => {
  connection.close();
  await redis.stop();
});

liveGenerationContract('MemoryLiveGeneration', async () => new MemoryLiveGeneration(), null);

const namespaces = new Map<RedisLiveGeneration, string>();
liveGenerationContract(
  'RedisLiveGeneration',
  async () => {
    const namespace = `${uniqueKeyPrefix(`generation-${++round}`)}live:`;
    const generation = new RedisLiveGeneration(connection, namespace);
    namespaces.set(generation, namespace);
    return generation;
  },
  // What a Redis restarted empty does to this namespace's keys.
  async (generation) => {
    const namespace = namespaces.get(generation as RedisLiveGeneration) ?? '';
    const keys = await connection.client.keys(`${namespace}*`);
    if (keys.length > 0) await connection.client.del(...keys);
  },
);
