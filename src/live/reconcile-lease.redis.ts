import { LuaScript } from '../redis/lua-script';
import { RedisConnection, redisKey } from '../redis/redis-connection';
import type { ReconcileLease } from './reconcile-lease';

/** Take the lease when free, renew it when ours, in one atomic step. KEYS: lease. ARGV: holder, ttl ms. */
const ACQUIRE = new LuaScript(`
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`);

/** Only the holder may give the lease up: a late release never frees another's. */
const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`);

/** One key with a TTL, expired by Redis's clock, so the instances' clocks need not agree. */
export class RedisReconcileLease implements ReconcileLease {
  constructor(
    private readonly connection: RedisConnection,
    /** The account's namespace and this seam's noun (seams.ts). */
    private readonly namespace: string,
  ) {}

  async acquire(holder: string, ttlMs: number): Promise<boolean> {
    const answer = await this.connection.run('live.lease', (client) => ACQUIRE.run(client, [this.key()], [holder, Math.max(1, Math.round(ttlMs))]));
    return answer === 1;
  }

  async release(holder: string): Promise<void> {
    await this.connection.run('live.lease', (client) => RELEASE.run(client, [this.key()], [holder]));
  }

  private key(): string {
    return redisKey(this.namespace, 'reconcile-lease');
  }
}
