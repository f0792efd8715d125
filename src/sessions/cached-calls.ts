import type { GatewayMetrics } from '../metrics';
import type { PageStore } from '../page-store';
import type { ZoomCallObserver } from '../zoom/zoom-caller';
import type { CallBudget } from './call-budget';

/** What a cached Zoom answer carries besides its data: plain JSON, so that any store can hold it. */
export interface CachedAnswer {
  readonly trackingId: string | undefined;
}

export interface CachedCallOptions<V> {
  /** How long this answer stays good; 0 keeps it out of the store. */
  readonly ttlMs: (value: V) => number;
  /** Its size, for the store's byte bound. */
  readonly bytes: (value: V) => number;
  /** Skip the store's copy (a walk that must start over after an expired token). */
  readonly fresh?: boolean;
}

/**
 * Zoom answers from inside sessions (details, participant and QoS pages, daily reports), shared
 * by every request of the process: a fresh stored answer costs no call, and concurrent requests
 * for the same answer share one call. The store may hand back a copy, never the same object.
 * A store that fails is a miss: Zoom still answers.
 */
export class CachedCalls<V extends CachedAnswer> {
  private readonly inFlight = new Map<string, Promise<V>>();

  constructor(
    private readonly store: PageStore<V>,
    private readonly metrics: GatewayMetrics,
  ) {}

  /** `fetch` tells `observer` of every attempt that reached Zoom, for the request's count and log line. */
  async load(key: string, fetch: (observer: ZoomCallObserver) => Promise<V>, budget: CallBudget, options: CachedCallOptions<V>): Promise<V> {
    if (!options.fresh) {
      const cached = await this.store.get(key).catch(() => undefined);
      if (cached !== undefined) {
        this.metrics.pageCache.inc({ result: 'hit' });
        return cached;
      }
      const shared = this.inFlight.get(key);
      if (shared) {
        this.metrics.pageCache.inc({ result: 'shared' });
        return shared;
      }
    }
    budget.spend();
    this.metrics.pageCache.inc({ result: 'miss' });
    const call = this.fetchAndStore(key, () => fetch(budget), options).finally(() => {
      if (this.inFlight.get(key) === call) this.inFlight.delete(key);
    });
    this.inFlight.set(key, call);
    return call;
  }

  private async fetchAndStore(key: string, fetch: () => Promise<V>, options: CachedCallOptions<V>): Promise<V> {
    const value = await fetch();
    await this.store.set(key, value, { ttlMs: options.ttlMs(value), bytes: options.bytes(value) }).catch(() => undefined);
    return value;
  }
}
