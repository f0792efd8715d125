import { LRUCache } from 'lru-cache';
import { CLAIM_TTL_MS, Claim, DEDUP_TTL_MS, WebhookDedup } from './webhook-dedup';

/** Keys one instance remembers; beyond it the least recent are forgotten (the live state's ordering still holds). */
export const MAX_DEDUP_KEYS = 200_000;

interface Held {
  /** The delivery that claims it; undefined once the event is taken. */
  readonly writer?: string;
  /** On the caller's clock (lru-cache's own TTL reads `performance.now()`). */
  readonly expiresAt: number;
}

export class MemoryWebhookDedup implements WebhookDedup {
  private readonly keys: LRUCache<string, Held>;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs: number = DEDUP_TTL_MS,
    maxKeys: number = MAX_DEDUP_KEYS,
    private readonly claimTtlMs: number = CLAIM_TTL_MS,
  ) {
    this.keys = new LRUCache<string, Held>({ max: maxKeys });
  }

  async claim(key: string, writer: string): Promise<Claim> {
    const now = this.now();
    const held = this.keys.get(key);
    if (held !== undefined && held.expiresAt > now && held.writer !== writer) return held.writer === undefined ? 'taken' : 'busy';
    this.keys.set(key, { writer, expiresAt: now + this.claimTtlMs });
    return 'claimed';
  }

  async confirm(key: string): Promise<void> {
    this.keys.set(key, { expiresAt: this.now() + this.ttlMs });
  }

  async forget(key: string, writer: string): Promise<void> {
    if (this.keys.get(key)?.writer === writer) this.keys.delete(key);
  }
}
