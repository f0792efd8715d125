import { SharedGovernorStore } from '../../src/budget/governor-store.fallback';
import { MemoryGovernorStore } from '../../src/budget/governor-store.memory';
import { RedisGovernorStore } from '../../src/budget/governor-store.redis';
import { RedisClientQuotaStore } from '../../src/budget/client-quota-store.redis';
import { FillNotices } from '../../src/cache/fill-notices';
import { RedisPageStore } from '../../src/cache/page-store.redis';
import { RedisEventBus } from '../../src/live/event-bus.redis';
import { RedisLiveGeneration } from '../../src/live/live-generation.redis';
import { RedisLiveState } from '../../src/live/live-state.redis';
import { RedisReconcileLease } from '../../src/live/reconcile-lease.redis';
import { RedisWebhookDedup } from '../../src/live/webhook-dedup.redis';
import { type RedisConnection, accountNamespace, redisKey } from '../../src/redis/redis-connection';
import { plainJsonCodec } from '../../src/sessions/json-codec';
import { clientQuotaStoreContract } from './client-quota-store.contract';
import { eventBusContract } from './event-bus.contract';
import { governorStoreContract } from './governor-store.contract';
import { liveGenerationContract } from './live-generation.contract';
import { liveStateContract } from './live-state.contract';
import { StoredPage, pageStoreContract } from './page-store.contract';
import { reconcileLeaseContract } from './reconcile-lease.contract';
import { webhookDedupContract } from './webhook-dedup.contract';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Every Redis seam's contract over one connection, each store on a fresh account's namespace with
 * the noun seams.ts gives it: on a cluster, this is what proves every script, MULTI and pipeline
 * stays on the account's hash slot. `connection` is read when a test runs (after beforeAll).
 */
export function redisSeamContracts(where: string, connection: () => RedisConnection, keyPrefix: string): void {
  let accounts = 0;
  const account = (): string => accountNamespace(keyPrefix, `account-${(accounts += 1)}`);

  pageStoreContract(
    `RedisPageStore on ${where}`,
    async () => {
      const namespace = account();
      // With its fill notices, as seams.ts builds it: the entry and its notice go in one MULTI.
      const notices = new FillNotices(connection(), namespace);
      await notices.whenSubscribed();
      return new RedisPageStore(connection(), `${namespace}page:`, plainJsonCodec<StoredPage>(), notices);
    },
    sleep,
  );
  governorStoreContract(`RedisGovernorStore on ${where}`, async () => new RedisGovernorStore(connection(), account()));
  governorStoreContract(
    `SharedGovernorStore on ${where}`,
    async () => new SharedGovernorStore(new RedisGovernorStore(connection(), account()), new MemoryGovernorStore(Date.now), 0.5, { governorSlot: () => undefined, redisFallback: () => undefined }),
  );
  clientQuotaStoreContract(`RedisClientQuotaStore on ${where}`, async () => new RedisClientQuotaStore(connection(), `${account()}quota:`), async () => {
    const [seconds, micros] = await connection().run('time', (client) => client.time());
    return Number(seconds) * 1000 + Number(micros) / 1000;
  });
  liveStateContract(`RedisLiveState on ${where}`, async () => new RedisLiveState(connection(), `${account()}live:`));
  webhookDedupContract(`RedisWebhookDedup on ${where}`, async (ttlMs, claimTtlMs) => new RedisWebhookDedup(connection(), `${account()}webhook:`, ttlMs, claimTtlMs), sleep);
  eventBusContract(`RedisEventBus on ${where}`, async () => {
    const namespace = `${account()}live:`;
    const buses: [RedisEventBus, RedisEventBus] = [new RedisEventBus(connection(), namespace), new RedisEventBus(connection(), namespace)];
    await Promise.all(buses.map((bus) => bus.whenSubscribed()));
    return buses;
  });
  const generations = new Map<unknown, string>();
  liveGenerationContract(
    `RedisLiveGeneration on ${where}`,
    async () => {
      const namespace = `${account()}live:`;
      const generation = new RedisLiveGeneration(connection(), namespace);
      generations.set(generation, namespace);
      return generation;
    },
    // What a Redis that lost its data does to the mark (KEYS would ask one node of a cluster only).
    async (generation) => {
      await connection().run('test.lose', (client) => client.del(redisKey(generations.get(generation) ?? '', 'generation')));
    },
  );
  reconcileLeaseContract(
    `RedisReconcileLease on ${where}`,
    async () => {
      const namespace = `${account()}live:`;
      return [new RedisReconcileLease(connection(), namespace), new RedisReconcileLease(connection(), namespace)];
    },
    sleep,
  );
}
