import type { WebhookDedup } from './webhook-dedup';

/**
 * A shared dedup that never fails its caller: when the shared one (Redis) fails, every key counts
 * as first seen. A repeat then goes through, and the live state's ordering rules keep it harmless.
 */
export class FallbackWebhookDedup implements WebhookDedup {
  constructor(
    private readonly shared: WebhookDedup,
    /** Told of each look-up the shared dedup failed (for the fallback metric). */
    private readonly onFallback: (error: unknown) => void,
  ) {}

  async firstSeen(key: string): Promise<boolean> {
    try {
      return await this.shared.firstSeen(key);
    } catch (error) {
      this.onFallback(error);
      return true;
    }
  }

  /** Not swallowed: a key that could not be let go is still held, and the caller must know it. */
  async forget(key: string): Promise<void> {
    try {
      await this.shared.forget(key);
    } catch (error) {
      this.onFallback(error);
      throw error;
    }
  }
}
