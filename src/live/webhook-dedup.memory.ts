import { DEDUP_TTL_MS, WebhookDedup } from './webhook-dedup';

/** Keys one instance remembers; beyond it the oldest are forgotten (the live state's ordering still holds). */
export const MAX_DEDUP_KEYS = 200_000;

export class MemoryWebhookDedup implements WebhookDedup {
  // Every key lives as long, so insertion order is expiry order.
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs: number = DEDUP_TTL_MS,
    private readonly maxKeys: number = MAX_DEDUP_KEYS,
  ) {}

  async firstSeen(key: string): Promise<boolean> {
    const now = this.now();
    for (const [oldest, expiresAt] of this.seen) {
      if (expiresAt > now && this.seen.size < this.maxKeys) break;
      this.seen.delete(oldest);
    }
    const expiresAt = this.seen.get(key);
    if (expiresAt !== undefined && expiresAt > now) return false;
    this.seen.set(key, now + this.ttlMs);
    return true;
  }
}
