import { LRUCache } from 'lru-cache';
import type { LiveEventBus } from './event-bus';
import type { LiveChange } from './live-change';
import { sharedOr } from '../redis/shared-or';

/** Changes this instance delivered itself while the shared bus failed, remembered to drop their late echo. */
const LOCAL_DELIVERIES_KEPT = 10_000;

/**
 * A shared bus that never fails its publisher: when the shared one (Redis) fails or is slow,
 * this instance's subscribers still get the change, delivered here. A publish that timed out may
 * still reach Redis; its echo, the same change to the byte, is then dropped once.
 */
export class FallbackEventBus implements LiveEventBus {
  private readonly listeners = new Set<(change: LiveChange) => void>();
  private readonly deliveredLocally = new LRUCache<string, true>({ max: LOCAL_DELIVERIES_KEPT });
  private readonly unsubscribe: () => void;

  constructor(
    private readonly shared: LiveEventBus,
    /** Told of each publish the shared bus failed (for the fallback metric). */
    private readonly onFallback: (error: unknown) => void,
  ) {
    this.unsubscribe = shared.subscribe((change) => this.receive(change));
  }

  publish(change: LiveChange): Promise<void> {
    return sharedOr(() => this.shared.publish(change), this.onFallback, () => {
      this.deliveredLocally.set(JSON.stringify(change), true);
      this.deliver(change);
    });
  }

  subscribe(listener: (change: LiveChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.unsubscribe();
    this.listeners.clear();
    await this.shared.close();
  }

  private receive(change: LiveChange): void {
    if (this.deliveredLocally.size > 0 && this.deliveredLocally.delete(JSON.stringify(change))) return;
    this.deliver(change);
  }

  private deliver(change: LiveChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
