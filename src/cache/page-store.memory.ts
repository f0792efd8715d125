import { LRUCache } from 'lru-cache';
import type { PageEntry, PageStore } from './page-store';

export interface MemoryPageStoreOptions {
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly now: () => number;
}

interface Entry<V> {
  readonly value: V;
  readonly expiresAt: number;
}

/**
 * A least-recently-used store bounded in entries and in the bytes each page holds (heldBytes);
 * expired entries are never served. Expiry is checked against the caller's clock rather than
 * lru-cache's own TTL, which reads `performance.now()`: tests and the stale rules move the clock.
 */
export class MemoryPageStore<V> implements PageStore<V> {
  private readonly entries: LRUCache<string, Entry<V>> | undefined;

  constructor(private readonly options: MemoryPageStoreOptions) {
    // lru-cache needs positive bounds; a store bounded at 0 keeps nothing.
    this.entries =
      options.maxEntries > 0 && options.maxBytes > 0
        ? new LRUCache<string, Entry<V>>({ max: options.maxEntries, maxSize: options.maxBytes })
        : undefined;
  }

  async get(key: string): Promise<V | undefined> {
    const entry = this.entries?.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.options.now()) {
      this.entries?.delete(key);
      return undefined;
    }
    return entry.value;
  }

  async set(key: string, value: V, { ttlMs, bytes }: PageEntry): Promise<void> {
    this.entries?.delete(key);
    if (ttlMs <= 0 || bytes > this.options.maxBytes) return;
    this.entries?.set(key, { value, expiresAt: this.options.now() + ttlMs }, { size: Math.max(1, Math.ceil(bytes)) });
  }

  async delete(key: string): Promise<void> {
    this.entries?.delete(key);
  }

  size(): { entries: number; bytes: number } {
    return { entries: this.entries?.size ?? 0, bytes: this.entries?.calculatedSize ?? 0 };
  }
}
