/**
 * Where Zoom's answers are kept between requests (the shared cache's store). Async so that a
 * shared store (Redis) can take the in-memory one's place without touching callers.
 */
export interface PageStore<V> {
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V, entry: PageEntry): Promise<void>;
  /** Forgets a page: Zoom refused the token it holds, or an event made it stale; a key not stored is no error. */
  delete(key: string): Promise<void>;
  /**
   * The value as every instance sees it, past any in-process tier: where an instance waiting for
   * another's fill looks, since its own tier may hold the old value it is waiting to replace.
   */
  getShared?(key: string): Promise<V | undefined>;
}

/** How long a stored value lives (0 or less: not stored) and what it costs the store's byte bound. */
export interface PageEntry {
  readonly ttlMs: number;
  readonly bytes: number;
}

/**
 * Single flight across instances: whoever gets the lock for a key calls Zoom, the others wait
 * for the entry it stores. In one process the shared cache's own in-flight map does this.
 */
export interface FillLock {
  /** True when the caller should fill the entry (it got the lock, or there is no one to wait for). */
  tryLock(key: string, ttlMs: number): Promise<boolean>;
  /** Resolves when another instance fills `key`, or after `ms` at the latest (sooner where no notice can come: the store polls). */
  waitForFill(key: string, ms: number): Promise<void>;
}

/**
 * A page copied from Redis stays in the in-process tier at most this long, so that a delete on
 * another instance (an event that made it stale) reaches this one within a minute even without
 * a message between instances.
 */
export const LOCAL_TIER_MAX_TTL_MS = 60_000;
