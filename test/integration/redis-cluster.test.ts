import type { RedisConnection } from '../../src/redis/redis-connection';
import { redisSeamContracts } from '../contracts/redis-seams';
import { TestRedisCluster, startRedisCluster } from '../services/redis-cluster';
import { connectRedis } from '../services/redis-connection';
import { uniqueKeyPrefix } from '../services/redis-server';

/** Every Redis seam on a real three-primary Redis Cluster, reached by a redis+cluster:// URL. */

let cluster: TestRedisCluster;
let connection: RedisConnection;

beforeAll(async () => {
  cluster = await startRedisCluster({ primaries: 3 });
  ({ connection } = await connectRedis(cluster.url, uniqueKeyPrefix('cluster'), 1_000));
}, 30_000);

afterAll(async () => {
  connection?.close();
  await cluster?.stop();
});

describe('a redis+cluster:// connection', () => {
  it('is up, with every primary known', () => {
    expect(connection.isUp()).toBe(true);
    expect(connection.health()).toBe('up');
  });
});

redisSeamContracts('a Redis Cluster', () => connection, uniqueKeyPrefix('cluster'));
