import type { LiveEventBus } from './event-bus';
import type { LiveChange } from './live-change';

/** One instance: publishing is calling the listeners. */
export class MemoryEventBus implements LiveEventBus {
  private readonly listeners = new Set<(change: LiveChange) => void>();

  async publish(change: LiveChange): Promise<void> {
    for (const listener of this.listeners) listener(change);
  }

  subscribe(listener: (change: LiveChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
