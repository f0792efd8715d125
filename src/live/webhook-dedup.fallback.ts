import type { Claim, WebhookDedup } from './webhook-dedup';
import { sharedOr } from '../redis/shared-or';

/**
 * A shared dedup that never fails its caller: when the shared one (Redis) fails, every key counts
 * as free. A repeat then goes through, and the live state's ordering rules keep it harmless.
 */
export class FallbackWebhookDedup implements WebhookDedup {
  constructor(
    private readonly shared: WebhookDedup,
    /** Told of each look-up the shared dedup failed (for the fallback metric). */
    private readonly onFallback: (error: unknown) => void,
  ) {}

  claim(key: string, writer: string): Promise<Claim> {
    return sharedOr(() => this.shared.claim(key, writer), this.onFallback, (): Claim => 'claimed');
  }

  /** A confirm that failed leaves the claim to run out: a later resend is then offered to the state again. */
  confirm(key: string): Promise<void> {
    return sharedOr(() => this.shared.confirm(key), this.onFallback, () => undefined);
  }

  /** Not swallowed: a claim that could not be let go is still held, and the caller must know it. */
  forget(key: string, writer: string): Promise<void> {
    return sharedOr(() => this.shared.forget(key, writer), this.onFallback, (error) => {
      throw error;
    });
  }
}
