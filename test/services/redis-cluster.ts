import type { Redis } from 'ioredis';
import { freePort, redisProcessGroup, spawnRedis, stopChild, until, waitForPort } from './redis-server';

/** A real Redis Cluster on loopback ports, started from redis-server the way an operator would, without redis-cli. */
export interface TestRedisCluster {
  /** `redis+cluster://` naming every primary. */
  readonly url: string;
  readonly primaries: readonly number[];
  /** Ports of the replicas, `replicas[i]` following `primaries[i]`. */
  readonly replicas: readonly number[];
  /** The port of the primary serving `key`'s hash slot now. */
  primaryOf(key: string): Promise<number>;
  /** kill -9 of one node. */
  kill(port: number): Promise<void>;
  /** Until every surviving node says the cluster is whole again (a replica promoted in a dead primary's place). */
  whenHealthy(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

const SLOTS = 16_384;
/** How long a silent node is taken for failed: short, so a replica takes over within a couple of seconds. */
export const CLUSTER_NODE_TIMEOUT_MS = 1_000;

/**
 * `primaries` nodes sharing the 16,384 slots in equal ranges (CLUSTER ADDSLOTSRANGE), introduced
 * to each other with CLUSTER MEET, and `replicasPerPrimary` replicas of each (CLUSTER REPLICATE).
 */
export async function startRedisCluster({ primaries = 3, replicasPerPrimary = 0 }: { primaries?: number; replicasPerPrimary?: number } = {}): Promise<TestRedisCluster> {
  const { dir, children, admin, stop } = redisProcessGroup('cluster');
  try {
    const primaryPorts = await uniquePorts(primaries);
    const replicaPorts = await uniquePorts(primaries * replicasPerPrimary, primaryPorts);
    for (const port of [...primaryPorts, ...replicaPorts]) {
      children.set(
        port,
        spawnRedis(port, dir, ['--dbfilename', `${port}.rdb`, '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', String(CLUSTER_NODE_TIMEOUT_MS)]),
      );
    }
    await Promise.all([...children.keys()].map((port) => waitForPort(port, 5_000)));
    const nodes = new Map([...children.keys()].map((port) => [port, admin(port)]));
    const node = (port: number): Redis => nodes.get(port) as Redis;
    const share = Math.ceil(SLOTS / primaries);
    await Promise.all(primaryPorts.map((port, index) => node(port).call('CLUSTER', 'ADDSLOTSRANGE', String(index * share), String(Math.min(SLOTS, (index + 1) * share) - 1))));
    const [first] = primaryPorts;
    for (const port of [...primaryPorts.slice(1), ...replicaPorts]) await node(first).call('CLUSTER', 'MEET', '127.0.0.1', String(port));
    const ids = new Map(await Promise.all(primaryPorts.map(async (port) => [port, String(await node(port).call('CLUSTER', 'MYID'))] as const)));
    for (const [index, port] of replicaPorts.entries()) {
      const primary = primaryPorts[index % primaries];
      // A node can follow a primary only once the gossip has told it of that primary.
      await until(async () => String(await node(port).call('CLUSTER', 'NODES')).includes(ids.get(primary) as string), 10_000);
      await node(port).call('CLUSTER', 'REPLICATE', ids.get(primary) as string);
    }
    // Every node still running says the cluster is whole (and, at the start, knows every other node).
    const whenHealthy = (timeoutMs: number, knownNodes?: number): Promise<void> =>
      until(async () => {
        const infos = await Promise.all([...children.keys()].map((port) => node(port).call('CLUSTER', 'INFO').then(String, () => '')));
        return infos.every((info) => info.includes('cluster_state:ok') && (knownNodes === undefined || info.includes(`cluster_known_nodes:${knownNodes}`)));
      }, timeoutMs);
    await whenHealthy(15_000, nodes.size);
    if (replicaPorts.length > 0) {
      // Replicas in sync, so that a failover has something to promote.
      await until(async () => (await Promise.all(replicaPorts.map((port) => node(port).info('replication')))).every((info) => info.includes('master_link_status:up')), 15_000);
    }
    return {
      url: `redis+cluster://${primaryPorts.map((port) => `127.0.0.1:${port}`).join(',')}`,
      primaries: primaryPorts,
      replicas: replicaPorts,
      async kill(port) {
        await stopChild(children.get(port));
        children.delete(port);
        node(port).disconnect();
      },
      whenHealthy: (timeoutMs) => whenHealthy(timeoutMs),
      async primaryOf(key) {
        const alive = node([...children.keys()][0]);
        const slot = Number(await alive.call('CLUSTER', 'KEYSLOT', key));
        const ranges = (await alive.call('CLUSTER', 'SLOTS')) as [number, number, [string, number, ...unknown[]], ...unknown[]][];
        const owner = ranges.find(([from, to]) => slot >= from && slot <= to);
        if (owner === undefined) throw new Error(`no node serves slot ${slot}`);
        return Number(owner[2][1]);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function uniquePorts(count: number, taken: readonly number[] = []): Promise<number[]> {
  const ports: number[] = [];
  // A node also listens on its port + 10,000 (the cluster bus): both must be free, and no two alike.
  while (ports.length < count) {
    const port = await freePort();
    if (port > 55_535 || taken.includes(port) || ports.includes(port)) continue;
    ports.push(port);
  }
  return ports;
}
