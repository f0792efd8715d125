import { LRUCache } from 'lru-cache';
import { DEDUP_TTL_MS, WebhookDedup } from './webhook-dedup';

/** Keys one instance remembers; beyond it the least recent are forgotten (the live state's ordering still holds). */
export const MAX_DEDUP_KEYS = 200_000;

export class MemoryWebhookDedup implements WebhookDedup {
  /** Each key's expiry, on the caller's clock (lru-cache's own TTL reads `performance.now()`). */
  private readonly seen: LRUCache<string, number>;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs: number = DEDUP_TTL_MS,
    maxKeys: number = MAX_DEDUP_KEYS,
  ) {
    this.seen = new LRUCache<string, number>({ max: maxKeys });
  }

  async firstSeen(key: string): Promise<boolean> {
    const now = this.now();
    const expiresAt = this.seen.get(key);
    if (expiresAt !== undefined && expiresAt > now) return false;
    this.seen.set(key, now + this.ttlMs);
    return true;
  }

  async forget(key: string): Promise<void> {
    this.seen.delete(key);
  }
}
