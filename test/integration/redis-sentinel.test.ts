import type { RedisConnection } from '../../src/redis/redis-connection';
import { redisSeamContracts } from '../contracts/redis-seams';
import { connectRedis } from '../services/redis-connection';
import { uniqueKeyPrefix } from '../services/redis-server';
import { TestRedisSentinel, startRedisSentinel } from '../services/redis-sentinel';

/** Every Redis seam on a real Sentinel set (a primary, a replica, three sentinels), reached by a redis+sentinel:// URL. */

let sentinel: TestRedisSentinel;
let connection: RedisConnection;

beforeAll(async () => {
  sentinel = await startRedisSentinel();
  ({ connection } = await connectRedis(sentinel.url, uniqueKeyPrefix('sentinel'), 1_000));
}, 30_000);

afterAll(async () => {
  connection?.close();
  await sentinel?.stop();
});

describe('a redis+sentinel:// connection', () => {
  it('finds the primary through the sentinels', async () => {
    expect(connection.isUp()).toBe(true);
    expect(await connection.run('test.role', (client) => client.info('replication'))).toContain('role:master');
    expect(await connection.run('test.port', (client) => client.info('server'))).toContain(`tcp_port:${await sentinel.primary()}`);
  });
});

redisSeamContracts('a Sentinel-managed primary', () => connection, uniqueKeyPrefix('sentinel'));
