import type { GatewayMetrics } from '../metrics';
import type { PageStore } from '../page-store';
import { Day, todayUtc } from '../zoom/calendar';
import type { WireSessionPage } from '../zoom/wire';
import type { CallBudget } from './call-budget';
import { SessionPageQuery, SessionPageSource, sessionPageKey } from './session-pages';
import { SessionType } from './session-type.enum';

/** Zoom: `next_page_token` "expires after 15 minutes" (../shared/zoom-api.md §1, H). */
export const ZOOM_PAGE_TOKEN_LIFETIME_MS = 15 * 60_000;
/** A cached next token must still be good when a client, a minute later, follows it. */
export const PAGE_TOKEN_SAFETY_MS = 60_000;

/**
 * What a cached page holds in memory per byte Zoom sent, once read in full: the parsed page,
 * its sessions in the graph's shape and their signed cursors. Fitted to bench-memory's "Page
 * cache" figures on Node 20 (2.3 bytes per byte for full 300-session pages, 6.6 for pages of a
 * few sessions); each further distinct query over a page (up to CURSOR_QUERIES_KEPT_PER_PAGE)
 * adds its cursors. Low confidence: re-measure when the page memo changes.
 */
export const HELD_BYTES_PER_ZOOM_BYTE = 2.2;
export const HELD_BYTES_PER_PAGE = 16 * 1024;

/** What CACHE_MAX_BYTES is charged for a page: what it holds in memory, not what Zoom sent. */
export function heldBytes(zoomBytes: number): number {
  return HELD_BYTES_PER_PAGE + Math.round(zoomBytes * HELD_BYTES_PER_ZOOM_BYTE);
}

export interface FreshnessPolicy {
  /** Live sessions come and go: short. */
  readonly liveTtlMs: number;
  /** Past sessions of a window that includes today: more end every minute. */
  readonly recentTtlMs: number;
  /** Past sessions of a window that ended before today: they change rarely. */
  readonly pastTtlMs: number;
}

/** How long a page may be served from cache: freshness by kind of data, capped by the life of its next token. */
export function pageTtlMs(query: SessionPageQuery, page: Pick<WireSessionPage, 'nextPageToken'>, today: Day, policy: FreshnessPolicy): number {
  const byData =
    query.type === SessionType.LIVE ? policy.liveTtlMs : query.window.to >= today ? policy.recentTtlMs : policy.pastTtlMs;
  // A page whose token is needed to continue is useful only while that token lives.
  return page.nextPageToken === '' ? byData : Math.min(byData, ZOOM_PAGE_TOKEN_LIFETIME_MS - PAGE_TOKEN_SAFETY_MS);
}

export interface SessionPageCacheOptions {
  /** Where pages come from on a miss: Zoom, through the caller's governor and retries. */
  readonly source: SessionPageSource;
  readonly store: PageStore<WireSessionPage>;
  readonly policy: FreshnessPolicy;
  readonly now: () => number;
  readonly metrics: GatewayMetrics;
}

/**
 * Shared by every request of the process: serves fresh pages from the store, and makes
 * concurrent requests for the same page, from any number of clients, share one Zoom call.
 */
export class SessionPageCache {
  private readonly inFlight = new Map<string, Promise<WireSessionPage>>();

  constructor(private readonly options: SessionPageCacheOptions) {}

  async load(query: SessionPageQuery, budget: CallBudget): Promise<WireSessionPage> {
    const key = sessionPageKey(query);
    const { metrics } = this.options;
    const cached = await this.options.store.get(key);
    if (cached) {
      metrics.pageCache.inc({ result: 'hit' });
      return cached;
    }
    const shared = this.inFlight.get(key);
    if (shared) {
      metrics.pageCache.inc({ result: 'shared' });
      return shared;
    }
    budget.spend();
    metrics.pageCache.inc({ result: 'miss' });
    // The request that makes the call hears of every attempt; requests that share it made none.
    const call = this.fetchAndStore(key, query, budget).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, call);
    return call;
  }

  /** Drops a stored page, so that the next load asks Zoom: its next token was refused by Zoom. */
  async forget(query: SessionPageQuery): Promise<void> {
    await this.options.store.delete(sessionPageKey(query));
  }

  private async fetchAndStore(key: string, query: SessionPageQuery, budget: CallBudget): Promise<WireSessionPage> {
    const page = await this.options.source(query, budget);
    const ttlMs = pageTtlMs(query, page, todayUtc(this.options.now()), this.options.policy);
    await this.options.store.set(key, page, { ttlMs, bytes: heldBytes(page.bytes) });
    return page;
  }
}
