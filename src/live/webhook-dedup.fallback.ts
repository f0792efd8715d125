import type { WebhookDedup } from './webhook-dedup';
import { sharedOr } from '../redis/shared-or';

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

  firstSeen(key: string): Promise<boolean> {
    return sharedOr(() => this.shared.firstSeen(key), this.onFallback, () => true);
  }

  /** Not swallowed: a key that could not be let go is still held, and the caller must know it. */
  forget(key: string): Promise<void> {
    return sharedOr(() => this.shared.forget(key), this.onFallback, (error) => {
      throw error;
    });
  }
}
