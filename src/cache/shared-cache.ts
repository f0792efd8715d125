import { asRefresh } from '../zoom/call-purpose';
import { nothingReachedZoom } from '../zoom/errors';
import { FILL_LOCK_MS, filledElsewhere } from './fill-wait';
import type { FillLock, PageStore } from './page-store';
import { inSpan, noteOnSpan } from '../tracing/spans';

/** What a load draws on: one call of the request's allowance, and a note when it was served stale. */
export interface CacheBudget {
  /**
   * Rejects when the request (or its client) may make no more calls; resolves with what gives this call
   * back, should it not be made (the load joined another, or Zoom never saw it).
   */
  spend(): Promise<() => void>;
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

export interface LoadOptions<V, B extends CacheBudget = CacheBudget> {
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
   * Refresh ahead: a fresh value that clients are using and that will soon expire is served, and
   * read again in the background, so that the clients using it never wait for Zoom. `due` says
   * whether this value should be refreshed now (the caller's own once-per-value rule); the refresh
   * spends a budget of its own (`budget`), never the asking request's allowance or its client's
   * quota, since no client asked for it.
   */
  readonly refreshAhead?: { readonly due: (value: V) => boolean; readonly budget: () => B };
}

/**
 * Zoom's answers (session pages, details, participant and QoS pages, daily reports), shared by
 * every request of the process: a fresh stored answer costs no call, concurrent requests for the
 * same answer share one call (`inFlight` here, fill-wait.ts across instances), and a stale
 * one serves when Zoom fails. A store that fails is a miss: Zoom still answers.
 */
export class SharedCache<V> {
  /**
   * Concurrent loads of one key share one call, from any number of clients. A call is forgotten
   * when it settles, unless a newer one (a load that had to skip the cache) took its place.
   */
  private readonly inFlight = new Map<string, Promise<V>>();

  constructor(private readonly options: SharedCacheOptions<V>) {}

  /** `fetch` is handed the budget, which hears of every attempt that reached Zoom. A span says how the load was answered. */
  load<B extends CacheBudget>(key: string, fetch: (budget: B) => Promise<V>, budget: B, load: LoadOptions<V, B>): Promise<V> {
    return inSpan('cache load', {}, () => this.loadFromTiers(key, fetch, budget, load));
  }

  private async loadFromTiers<B extends CacheBudget>(key: string, fetch: (budget: B) => Promise<V>, budget: B, load: LoadOptions<V, B>): Promise<V> {
    const { store } = this.options;
    const isFresh = load.isFresh ?? (() => true);
    let cached = load.fresh ? undefined : await store.get(key).catch(() => undefined);
    // An in-process copy past its freshness: another instance may have stored a newer one (a refresh ahead).
    if (cached !== undefined && !isFresh(cached) && store.getShared) cached = (await store.getShared(key).catch(() => undefined)) ?? cached;
    if (cached !== undefined && isFresh(cached)) {
      this.count('hit');
      const ahead = load.refreshAhead;
      if (ahead !== undefined && !this.inFlight.has(key) && ahead.due(cached)) this.refreshAhead(key, fetch, ahead.budget, load);
      return cached;
    }
    // A stored value past its freshness is one clients are using: its refresh draws on the budget's refresh share.
    const stale = cached;
    const shared = load.fresh ? undefined : this.inFlight.get(key);
    if (shared) {
      this.count('shared');
      return stale === undefined ? shared : this.orStale(shared, stale, budget, load);
    }
    let refund: () => void;
    try {
      refund = await budget.spend();
    } catch (error) {
      if (stale !== undefined && this.options.staleOnRefusal?.(error)) return this.serveStale(stale, budget, load);
      throw error;
    }
    // A load of the same key may have started while the client's quota was asked (a Redis round trip): join it.
    const started = load.fresh ? undefined : this.inFlight.get(key);
    if (started) {
      refund();
      this.count('shared');
      return stale === undefined ? started : this.orStale(started, stale, budget, load);
    }
    this.count('miss');
    const fill = () => this.fetchAndStore(key, fetch, budget, refund, load, isFresh);
    const call = this.fly(key, () => (stale !== undefined ? asRefresh(fill) : fill()));
    return stale === undefined ? call : this.orStale(call, stale, budget, load);
  }

  /** The one call of `key` in flight, joined by every load of that key until it settles. */
  private fly(key: string, call: () => Promise<V>): Promise<V> {
    const running: Promise<V> = call().finally(() => {
      if (this.inFlight.get(key) === running) this.inFlight.delete(key);
    });
    this.inFlight.set(key, running);
    return running;
  }

  /** How a load was answered, in the metrics and on the load's span. */
  private count(result: CacheResult): void {
    this.options.metrics.pageCache.inc({ result });
    noteOnSpan({ 'cache.result': result });
  }

  /** A call whose failure is better answered with the stale value (Zoom down, the budget spent). */
  private orStale<B extends CacheBudget>(call: Promise<V>, stale: V, budget: B, load: LoadOptions<V, B>): Promise<V> {
    return call.catch((error: unknown) => {
      if (this.options.staleOnFailure?.(error) || this.options.staleOnRefusal?.(error)) return this.serveStale(stale, budget, load);
      throw error;
    });
  }

  /** Drops a stored value, so that the next load asks Zoom (Zoom refused the token it holds). */
  async forget(key: string): Promise<void> {
    await this.options.store.delete(key);
  }

  /**
   * The refresh of a value still served, once: across instances only the one that takes the fill
   * lock reads Zoom (the others spend nothing and keep serving what they hold until the new value
   * reaches them); in this process only one flight per key. A refusal or failure only means the
   * value is refreshed the usual way once it expires.
   */
  private refreshAhead<B extends CacheBudget>(key: string, fetch: (budget: B) => Promise<V>, makeBudget: () => B, load: LoadOptions<V, B>): void {
    const { fillLock } = this.options;
    const refresh = async (): Promise<V> => {
      const budget = makeBudget();
      const refund = await budget.spend();
      return this.fetchThenStore(key, fetch, budget, refund, load);
    };
    const start = async (): Promise<void> => {
      if (fillLock && !(await fillLock.tryLock(key, FILL_LOCK_MS).catch(() => false))) return;
      if (this.inFlight.has(key)) return;
      await this.fly(key, () => asRefresh(refresh));
    };
    start().catch(() => undefined);
  }

  private serveStale<B extends CacheBudget>(stale: V, budget: B, load: LoadOptions<V, B>): V {
    this.count('stale');
    budget.noteStale(load.ageMs?.(stale) ?? 0);
    return stale;
  }

  private async fetchAndStore<B extends CacheBudget>(key: string, fetch: (budget: B) => Promise<V>, budget: B, refund: () => void, load: LoadOptions<V, B>, isFresh: (value: V) => boolean): Promise<V> {
    const { fillLock, store } = this.options;
    if (fillLock) {
      const filled = await filledElsewhere(fillLock, store, key, isFresh);
      if (filled !== undefined) {
        this.count('filled_elsewhere');
        refund();
        return filled;
      }
    }
    return this.fetchThenStore(key, fetch, budget, refund, load);
  }

  /**
   * Zoom's answer, stored for the next load; a store that fails only means the next load asks Zoom again.
   * A call the gateway refused before it went out (budget, breaker, no free connection) is given back.
   */
  private async fetchThenStore<B extends CacheBudget>(key: string, fetch: (budget: B) => Promise<V>, budget: B, refund: () => void, load: LoadOptions<V, B>): Promise<V> {
    let value: V;
    try {
      value = await fetch(budget);
    } catch (error) {
      if (nothingReachedZoom(error)) refund();
      throw error;
    }
    await this.options.store.set(key, value, { ttlMs: load.ttlMs(value), bytes: load.bytes(value) }).catch(() => undefined);
    return value;
  }
}
