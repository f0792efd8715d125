import { RedisEventBus } from '../../src/live/event-bus.redis';
import { type RedisConnection, accountNamespace } from '../../src/redis/redis-connection';
import { change, until } from '../contracts/event-bus.contract';
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

  it('delivers live changes in the order they were published, though a plain PUBLISH may go through any node', async () => {
    const namespace = `${accountNamespace(uniqueKeyPrefix('cluster-order'), 'account')}live:`;
    const [one, other] = [new RedisEventBus(connection, namespace), new RedisEventBus(connection, namespace)];
    await Promise.all([one.whenSubscribed(), other.whenSubscribed()]);
    const seen: string[] = [];
    other.subscribe((each) => seen.push(each.sessionId));
    const ids = Array.from({ length: 60 }, (_, n) => `s${n}`);
    for (const id of ids) await one.publish(change(id));
    await until(() => seen.length === ids.length, 5_000);
    expect(seen).toEqual(ids);
    await Promise.all([one.close(), other.close()]);
  });
});

redisSeamContracts('a Redis Cluster', () => connection, uniqueKeyPrefix('cluster'));
