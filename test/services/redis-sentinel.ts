import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, redisProcessGroup, spawnRedis, stopChild, until, waitForPort } from './redis-server';

/** A real Sentinel set on loopback ports: a primary, its replica, and three sentinels watching them. */
export interface TestRedisSentinel {
  /** `redis+sentinel://` naming every sentinel and the master group. */
  readonly url: string;
  readonly masterName: string;
  /** The port of the primary the sentinels name now. */
  primary(): Promise<number>;
  /** kill -9 of the primary; resolves once the sentinels have promoted the replica in its place. */
  killPrimary(timeoutMs: number): Promise<number>;
  stop(): Promise<void>;
}

const MASTER_NAME = 'zoomgw-test';
/** A primary silent this long is taken for down: short, so that a failover takes a few seconds, not thirty. */
const DOWN_AFTER_MS = 1_000;

export async function startRedisSentinel(): Promise<TestRedisSentinel> {
  const { dir, children, admin, stop } = redisProcessGroup('sentinel');
  try {
    const [primaryPort, replicaPort, ...sentinelPorts] = await distinctPorts(5);
    children.set(primaryPort, spawnRedis(primaryPort, dir, ['--dbfilename', `${primaryPort}.rdb`]));
    children.set(replicaPort, spawnRedis(replicaPort, dir, ['--dbfilename', `${replicaPort}.rdb`, '--replicaof', '127.0.0.1', String(primaryPort)]));
    for (const port of sentinelPorts) {
      // Sentinel rewrites its file as it learns the set: one writable file each.
      const config = join(dir, `sentinel-${port}.conf`);
      writeFileSync(
        config,
        [
          `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${primaryPort} 2`,
          `sentinel down-after-milliseconds ${MASTER_NAME} ${DOWN_AFTER_MS}`,
          `sentinel failover-timeout ${MASTER_NAME} 10000`,
          `sentinel parallel-syncs ${MASTER_NAME} 1`,
          '',
        ].join('\n'),
      );
      children.set(port, spawnRedis(port, dir, ['--sentinel'], config));
    }
    await Promise.all([...children.keys()].map((port) => waitForPort(port, 5_000)));
    const sentinels = sentinelPorts.map(admin);
    const replica = admin(replicaPort);
    // Ready when the replica is in sync and every sentinel knows the replica and the two other sentinels:
    // before that, a failover could find no replica to promote or no majority to elect a leader.
    await until(async () => (await replica.info('replication')).includes('master_link_status:up'), 15_000);
    await until(async () => {
      const views = await Promise.all(
        sentinels.map(async (sentinel) => {
          const [replicas, others] = await Promise.all([sentinel.call('SENTINEL', 'REPLICAS', MASTER_NAME), sentinel.call('SENTINEL', 'SENTINELS', MASTER_NAME)]);
          return (replicas as unknown[]).length === 1 && (others as unknown[]).length === 2;
        }),
      );
      return views.every(Boolean);
    }, 20_000);
    const primary = async (): Promise<number> => {
      for (const sentinel of sentinels) {
        const address = await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME).catch(() => null);
        if (Array.isArray(address)) return Number(address[1]);
      }
      throw new Error('no sentinel names a primary');
    };
    return {
      url: `redis+sentinel://${sentinelPorts.map((port) => `127.0.0.1:${port}`).join(',')}/${MASTER_NAME}`,
      masterName: MASTER_NAME,
      primary,
      async killPrimary(timeoutMs) {
        const old = await primary();
        await stopChild(children.get(old));
        children.delete(old);
        await until(async () => (await primary()) !== old, timeoutMs);
        const promoted = await primary();
        await until(async () => (await admin(promoted).info('replication')).includes('role:master'), timeoutMs);
        return promoted;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function distinctPorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}
