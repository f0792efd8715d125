import { LuaScript } from '../redis/lua-script';
import { RedisConnection, redisKey } from '../redis/redis-connection';
import { CLAIM_TTL_MS, Claim, DEDUP_TTL_MS, WebhookDedup } from './webhook-dedup';

/**
 * A claim is `~<writer>`; a taken event is any other value ('1', as an earlier release wrote every key, so that
 * both releases read each other's keys during a rolling upgrade).
 */
const CLAIM = new LuaScript(`local held = redis.call('GET', KEYS[1])
local mine = '~' .. ARGV[1]
if not held or held == mine then redis.call('SET', KEYS[1], mine, 'PX', ARGV[2]) return 'claimed' end
if string.sub(held, 1, 1) == '~' then return 'busy' end
return 'taken'`);
const FORGET = new LuaScript(`if redis.call('GET', KEYS[1]) == '~' .. ARGV[1] then redis.call('DEL', KEYS[1]) end return 0`);

/** Keys shared by every instance: a retry that reaches another instance is still recognised. */
export class RedisWebhookDedup implements WebhookDedup {
  constructor(
    private readonly connection: RedisConnection,
    /** The account's namespace and this seam's noun (seams.ts). */
    private readonly namespace: string,
    /** The contract's TTL; tests shorten it to see a key expire. */
    private readonly ttlMs: number = DEDUP_TTL_MS,
    private readonly claimTtlMs: number = CLAIM_TTL_MS,
  ) {}

  async claim(key: string, writer: string): Promise<Claim> {
    const answer = await this.connection.run('webhook.dedup', (client) => CLAIM.run(client, [this.keyOf(key)], [writer, this.claimTtlMs]));
    if (answer === 'claimed' || answer === 'busy' || answer === 'taken') return answer;
    throw new Error(`webhook dedup: unexpected answer ${String(answer)}`);
  }

  async confirm(key: string): Promise<void> {
    await this.connection.run('webhook.confirm', (client) => client.set(this.keyOf(key), '1', 'PX', this.ttlMs));
  }

  async forget(key: string, writer: string): Promise<void> {
    await this.connection.run('webhook.forget', (client) => FORGET.run(client, [this.keyOf(key)], [writer]));
  }

  private keyOf(key: string): string {
    return redisKey(this.namespace, 'seen', key);
  }
}
