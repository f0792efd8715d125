import { FillLock, LOCAL_TIER_MAX_TTL_MS, PageEntry, PageStore } from './page-store';
import type { MemoryPageStore } from './page-store.memory';
import type { RedisPageStore } from './page-store.redis';
import { noteOnSpan } from '../tracing/spans';

export interface TieredStoreMetrics {
  redisFallback(seam: string): void;
  /** Where a page look-up was answered: the in-process tier, Redis, or neither. */
  pageTier(tier: PageTier): void;
}

type PageTier = 'local' | 'redis' | 'none';

/**
 * A small in-process tier in front of Redis: a hot page costs no Redis round trip, and the
 * value decoded from Redis's bytes is kept as one object, so the per-page memo (which hangs on
 * the page) lives as long as the page stays local. It is also the page store's fallback: when
 * Redis fails, the local tier serves alone.
 */
export class TieredPageStore<V> implements PageStore<V>, FillLock {
  constructor(
    private readonly local: MemoryPageStore<V>,
    private readonly shared: RedisPageStore<V>,
    private readonly metrics: TieredStoreMetrics,
  ) {}

  async get(key: string): Promise<V | undefined> {
    const near = await this.local.get(key);
    if (near !== undefined) {
      this.answeredBy('local');
      return near;
    }
    const entry = await this.sharedOr('pages', undefined, () => this.shared.entry(key));
    if (entry === undefined) {
      this.answeredBy('none');
      return undefined;
    }
    this.answeredBy('redis');
    await this.local.set(key, entry.value, { ttlMs: Math.min(entry.ttlMs, LOCAL_TIER_MAX_TTL_MS), bytes: entry.bytes });
    return entry.value;
  }

  /** Which tier answered, in the metrics and on the span of the load that asked. */
  private answeredBy(tier: PageTier): void {
    this.metrics.pageTier(tier);
    noteOnSpan({ 'cache.tier': tier });
  }

  /** Redis's entry, copied into the in-process tier in place of the older one there. */
  async getShared(key: string): Promise<V | undefined> {
    const entry = await this.sharedOr('pages', undefined, () => this.shared.entry(key));
    if (entry === undefined) return undefined;
    await this.local.set(key, entry.value, { ttlMs: Math.min(entry.ttlMs, LOCAL_TIER_MAX_TTL_MS), bytes: entry.bytes });
    return entry.value;
  }

  async set(key: string, value: V, entry: PageEntry): Promise<void> {
    await this.local.set(key, value, { ...entry, ttlMs: Math.min(entry.ttlMs, LOCAL_TIER_MAX_TTL_MS) });
    await this.sharedOr('pages', undefined, () => this.shared.set(key, value, entry));
  }

  async delete(key: string): Promise<void> {
    await this.local.delete(key);
    await this.sharedOr('pages', undefined, () => this.shared.delete(key));
  }

  /** Without Redis there is no one to wait for: the caller fills. */
  async tryLock(key: string, ttlMs: number): Promise<boolean> {
    return this.sharedOr('fill-lock', true, () => this.shared.tryLock(key, ttlMs));
  }

  /** Woken by the filler's notice (or after `ms`, a notice lost while Redis is away). */
  waitForFill(key: string, ms: number): Promise<void> {
    return this.shared.waitForFill(key, ms);
  }

  private async sharedOr<T>(seam: string, fallback: T, action: () => Promise<T>): Promise<T> {
    if (!this.shared.isAvailable()) {
      this.metrics.redisFallback(seam);
      return fallback;
    }
    try {
      return await action();
    } catch {
      this.metrics.redisFallback(seam);
      return fallback;
    }
  }
}
