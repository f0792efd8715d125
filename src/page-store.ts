/**
 * Where Zoom pages are kept between requests. Async so that a shared store (Redis) can take
 * the in-memory one's place without touching callers.
 */
export interface PageStore<V> {
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V, entry: { ttlMs: number; bytes: number }): Promise<void>;
  /** Forgets a page: Zoom refused the token it holds, or an event made it stale; a key not stored is no error. */
  delete(key: string): Promise<void>;
}

/**
 * Single flight across instances: whoever gets the lock for a key calls Zoom, the others wait
 * for the entry it stores. In one process the page cache's own in-flight map does this.
 */
export interface FillLock {
  /** True when the caller should fill the entry (it got the lock, or there is no one to wait for). */
  tryLock(key: string, ttlMs: number): Promise<boolean>;
}

export interface MemoryPageStoreOptions {
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly now: () => number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
  bytes: number;
}

/** A least-recently-used store bounded in entries and bytes; expired entries are never served. */
export class MemoryPageStore<V> implements PageStore<V> {
  // A Map iterates in insertion order: re-inserting on read keeps the least recent first.
  private readonly entries = new Map<string, Entry<V>>();
  private bytes = 0;

  constructor(private readonly options: MemoryPageStoreOptions) {}

  async get(key: string): Promise<V | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.options.now()) {
      this.bytes -= entry.bytes;
      return undefined;
    }
    this.entries.set(key, entry);
    return entry.value;
  }

  async set(key: string, value: V, { ttlMs, bytes }: { ttlMs: number; bytes: number }): Promise<void> {
    this.remove(key);
    if (ttlMs <= 0 || this.options.maxEntries <= 0 || bytes > this.options.maxBytes) return;
    this.entries.set(key, { value, expiresAt: this.options.now() + ttlMs, bytes });
    this.bytes += bytes;
    for (const [oldest] of this.entries) {
      if (this.entries.size <= this.options.maxEntries && this.bytes <= this.options.maxBytes) break;
      this.remove(oldest);
    }
  }

  async delete(key: string): Promise<void> {
    this.remove(key);
  }

  /** The entry's remaining life, for a tier that copies it (0 when absent or expired). */
  ttlOf(key: string): number {
    const entry = this.entries.get(key);
    return entry ? Math.max(0, entry.expiresAt - this.options.now()) : 0;
  }

  size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}
