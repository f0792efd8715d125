import { RedisConnection, redisKey } from '../redis/redis-connection';
import { DEDUP_TTL_MS, WebhookDedup } from './webhook-dedup';

/** Keys shared by every instance: a retry that reaches another instance is still recognised. */
export class RedisWebhookDedup implements WebhookDedup {
  constructor(
    private readonly connection: RedisConnection,
    /** The account's namespace and this seam's noun (seams.ts). */
    private readonly namespace: string,
    /** The contract's TTL; tests shorten it to see a key expire. */
    private readonly ttlMs: number = DEDUP_TTL_MS,
  ) {}

  async firstSeen(key: string): Promise<boolean> {
    const answer = await this.connection.run('webhook.dedup', (client) => client.set(redisKey(this.namespace, 'seen', key), '1', 'PX', this.ttlMs, 'NX'));
    return answer === 'OK';
  }

  async forget(key: string): Promise<void> {
    await this.connection.run('webhook.forget', (client) => client.del(redisKey(this.namespace, 'seen', key)));
  }
}
