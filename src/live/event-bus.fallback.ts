import { LRUCache } from 'lru-cache';
import type { LiveEventBus } from './event-bus';
import type { LiveChange } from './live-change';
import { sharedOr } from '../redis/shared-or';

/** Changes remembered to drop a second copy of one: delivered here while the shared bus failed, or received. */
const CHANGES_REMEMBERED = 10_000;
/**
 * Changes the shared bus failed, kept to publish again once it works: beyond, the oldest reach only this instance.
 * Half what the stream keeps (STREAM_CHANGES_KEPT), so published again at once they do not push out of it what a
 * reader behind has not read yet.
 */
export const UNPUBLISHED_KEPT = 5_000;
/** How soon a failed publish is tried again. */
export const REPUBLISH_AFTER_MS = 1_000;

/**
 * A shared bus that never fails its publisher: when the shared one (Redis) fails or is slow, this
 * instance's subscribers still get the change, delivered here, and the change is published again,
 * in order, once the shared bus takes it, so the other instances' subscribers get it too (late,
 * rather than never). A publish that timed out may still have reached Redis, and a change
 * published again may reach an instance twice: a change received that is, to the byte, one
 * delivered or received already is dropped.
 */
export class FallbackEventBus implements LiveEventBus {
  private readonly listeners = new Set<(change: LiveChange) => void>();
  private readonly seen = new LRUCache<string, true>({ max: CHANGES_REMEMBERED });
  /** In the order published; the first is being tried again. */
  private readonly unpublished: string[] = [];
  private retry: NodeJS.Timeout | undefined;
  /** One loop publishes the waiting changes again at a time: two would add each twice. */
  private republishing = false;
  private closed = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly shared: LiveEventBus,
    /** Told of each publish the shared bus failed (for the fallback metric). */
    private readonly onFallback: (error: unknown) => void,
  ) {
    this.unsubscribe = shared.subscribe((change) => this.receive(change));
  }

  async publish(change: LiveChange): Promise<void> {
    // Behind changes still waiting to be published again: after them, so every instance sees them in order.
    if (this.unpublished.length > 0) return this.deliverHere(change);
    await sharedOr(() => this.shared.publish(change), this.onFallback, () => this.deliverHere(change));
  }

  subscribe(listener: (change: LiveChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Changes waiting to be published again (for tests and metrics). */
  get waiting(): number {
    return this.unpublished.length;
  }

  /** Publishes what still waits once more, if the shared bus takes it now: other instances would otherwise never get it. */
  async close(): Promise<void> {
    if (this.retry) clearTimeout(this.retry);
    this.retry = undefined;
    if (!this.republishing) await this.publishAgain();
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.unsubscribe();
    this.listeners.clear();
    await this.shared.close();
  }

  /** Delivered here now (unless its echo came first), and queued to be published for the other instances. */
  private deliverHere(change: LiveChange): void {
    const text = JSON.stringify(change);
    if (this.unpublished.length >= UNPUBLISHED_KEPT) this.unpublished.shift();
    this.unpublished.push(text);
    this.scheduleRetry();
    if (this.seen.has(text)) return;
    this.seen.set(text, true);
    this.deliver(change);
  }

  private scheduleRetry(): void {
    if (this.retry || this.republishing || this.closed) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.publishAgain();
    }, REPUBLISH_AFTER_MS);
    this.retry.unref();
  }

  private async publishAgain(): Promise<void> {
    this.republishing = true;
    try {
      while (this.unpublished.length > 0 && !this.closed) {
        const next = this.unpublished[0];
        try {
          await this.shared.publish(JSON.parse(next) as LiveChange);
        } catch {
          return;
        }
        // A full queue may have let it go meanwhile.
        if (this.unpublished[0] === next) this.unpublished.shift();
      }
    } finally {
      this.republishing = false;
      if (this.unpublished.length > 0) this.scheduleRetry();
    }
  }

  private receive(change: LiveChange): void {
    const text = JSON.stringify(change);
    if (this.seen.has(text)) return;
    this.seen.set(text, true);
    this.deliver(change);
  }

  private deliver(change: LiveChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
