import { asRefresh } from '../zoom/call-purpose';
import { filledElsewhere } from './fill-wait';
import type { FillLock, PageStore } from './page-store';
import { SingleFlight } from './single-flight';

/** What a load draws on: one call of the request's allowance, and a note when it was served stale. */
export interface CacheBudget {
  /** Rejects when the request (or its client) may make no more calls. */
  spend(): Promise<void>;
  /** Gives back a spent call that was not made. */
  refund(): void;
  noteStale(ageMs: number): void;
}

export type CacheResult = 'hit' | 'shared' | 'miss' | 'stale' | 'filled_elsewhere';

export interface CacheMetrics {
  readonly pageCache: { inc(labels: { result: CacheResult }): void };
}

export interface SharedCacheOptions<V> {
  readonly store: PageStore<V>;
  readonly metrics: CacheMetrics;
  /** Single flight across instances (Redis); in one process the in-flight map is enough. */
  readonly fillLock?: FillLock;
  /** A refusal of `budget.spend()` after which a stale entry is better than the error (a client past its own quota). */
  readonly staleOnRefusal?: (error: unknown) => boolean;
  /** A failed call after which a stale entry is better than the error (Zoom down, rate-limited). */
  readonly staleOnFailure?: (error: unknown) => boolean;
}

export interface LoadOptions<V> {
  /** How long the store keeps this value (fresh, then stale if `isFresh` says so); 0 keeps it out. */
  readonly ttlMs: (value: V) => number;
  /** What it costs the store's byte bound. */
  readonly bytes: (value: V) => number;
  /** Whether a stored value may be served as it is; without it, whatever the store holds is fresh. */
  readonly isFresh?: (value: V) => boolean;
  /** How old a stale value is, for the request's report. */
  readonly ageMs?: (value: V) => number;
  /** Skip the store's copy and any call in flight (a walk that must start over after an expired token). */
  readonly fresh?: boolean;
  /**
   * A fresh value that clients are using and that will soon expire: it is served, and refreshed
   * in the background (once, whoever asks), so that the clients using it never wait for Zoom.
   */
  readonly refreshDue?: (value: V) => boolean;
}

/**
 * Zoom's answers (session pages, details, participant and QoS pages, daily reports), shared by
 * every request of the process: a fresh stored answer costs no call, concurrent requests for the
 * same answer share one call (single-flight.ts, and fill-wait.ts across instances), and a stale
 * one serves when Zoom fails. A store that fails is a miss: Zoom still answers.
 */
export class SharedCache<V> {
  private readonly flights = new SingleFlight<V>();

  constructor(private readonly options: SharedCacheOptions<V>) {}

  /** `fetch` is handed the budget, which hears of every attempt that reached Zoom. */
  async load<B extends CacheBudget>(key: string, fetch: (budget: B) => Promise<V>, budget: B, load: LoadOptions<V>): Promise<V> {
    const { metrics, store } = this.options;
    const isFresh = load.isFresh ?? (() => true);
    const cached = load.fresh ? undefined : await store.get(key).catch(() => undefined);
    if (cached !== undefined && isFresh(cached)) {
      metrics.pageCache.inc({ result: 'hit' });
      if (load.refreshDue?.(cached) && !this.flights.joined(key)) this.refreshAhead(key, fetch, budget, load, isFresh);
      return cached;
    }
    // A stored value past its freshness is one clients are using: its refresh draws on the budget's refresh share.
    const stale = cached;
    const shared = load.fresh ? undefined : this.flights.joined(key);
    if (shared) {
      metrics.pageCache.inc({ result: 'shared' });
      return shared;
    }
    try {
      await budget.spend();
    } catch (error) {
      if (stale !== undefined && this.options.staleOnRefusal?.(error)) return this.serveStale(stale, budget, load);
      throw error;
    }
    // A load of the same key may have started while the client's quota was asked (a Redis round trip): join it.
    const started = load.fresh ? undefined : this.flights.joined(key);
    if (started) {
      budget.refund();
      metrics.pageCache.inc({ result: 'shared' });
      return started;
    }
    metrics.pageCache.inc({ result: 'miss' });
    const fill = () => this.fetchAndStore(key, () => fetch(budget), load, isFresh);
    const call = this.flights.run(key, () => (stale !== undefined ? asRefresh(fill) : fill()));
    if (stale === undefined) return call;
    return call.catch((error: unknown) => {
      if (this.options.staleOnFailure?.(error)) return this.serveStale(stale, budget, load);
      throw error;
    });
  }

  /** Drops a stored value, so that the next load asks Zoom (Zoom refused the token it holds). */
  async forget(key: string): Promise<void> {
    await this.options.store.delete(key);
  }

  /**
   * The refresh of a value still served: it spends the asking request's allowance (its client
   * keeps using the page) within the budget's refresh share, and a refusal or failure only means
   * the value is refreshed the usual way once it expires.
   */
  private refreshAhead<B extends CacheBudget>(key: string, fetch: (budget: B) => Promise<V>, budget: B, load: LoadOptions<V>, isFresh: (value: V) => boolean): void {
    const refresh = async (): Promise<V> => {
      await budget.spend();
      return this.fetchAndStore(key, () => fetch(budget), load, isFresh);
    };
    this.flights.run(key, () => asRefresh(refresh)).catch(() => undefined);
  }

  private serveStale(stale: V, budget: CacheBudget, load: LoadOptions<V>): V {
    this.options.metrics.pageCache.inc({ result: 'stale' });
    budget.noteStale(load.ageMs?.(stale) ?? 0);
    return stale;
  }

  private async fetchAndStore(key: string, fetch: () => Promise<V>, load: LoadOptions<V>, isFresh: (value: V) => boolean): Promise<V> {
    const { fillLock, store } = this.options;
    if (fillLock) {
      const filled = await filledElsewhere(fillLock, store, key, isFresh);
      if (filled !== undefined) {
        this.options.metrics.pageCache.inc({ result: 'filled_elsewhere' });
        return filled;
      }
    }
    const value = await fetch();
    await store.set(key, value, { ttlMs: load.ttlMs(value), bytes: load.bytes(value) }).catch(() => undefined);
    return value;
  }
}
