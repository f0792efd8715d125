import type Redis from 'ioredis';
import { DEFAULT_REDIS_CALL_TIMEOUT_MS, bounded } from './bounded';
import { DEDUP_TTL_MS, WebhookDedup } from './webhook-dedup';

/** Keys shared by every instance: a retry that reaches another instance is still recognised. */
export class RedisWebhookDedup implements WebhookDedup {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly timeoutMs: number = DEFAULT_REDIS_CALL_TIMEOUT_MS,
    private readonly ttlMs: number = DEDUP_TTL_MS,
  ) {}

  async firstSeen(key: string): Promise<boolean> {
    const answer = await bounded(this.redis.set(`${this.keyPrefix}webhook:seen:${key}`, '1', 'PX', this.ttlMs, 'NX'), this.timeoutMs, 'SET NX');
    return answer === 'OK';
  }
}
