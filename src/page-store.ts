/**
 * Where Zoom pages are kept between requests. Async so that a shared store (Redis) can take
 * the in-memory one's place without touching callers.
 */
export interface PageStore<V> {
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V, entry: { ttlMs: number; bytes: number }): Promise<void>;
  /** Forgets a page (Zoom refused the token it holds); a key not stored is no error. */
  delete(key: string): Promise<void>;
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
