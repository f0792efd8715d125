import { setTimeout as sleep } from 'node:timers/promises';
import type { GatewayMetrics } from '../metrics';
import type { FillLock, PageStore } from '../page-store';
import { Day, todayUtc } from '../time/calendar';
import {
  ZoomBadResponseError,
  ZoomBudgetError,
  ZoomCircuitOpenError,
  ZoomHttpError,
  ZoomNetworkError,
  ZoomPageTokenError,
  ZoomTimeoutError,
} from '../zoom/errors';
import { asRefresh } from '../zoom/call-purpose';
import type { WireSessionPage } from '../zoom/wire';
import type { CallBudget } from './call-budget';
import { ClientQuotaError } from '../budget/client-quota';
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
  /** How long past its freshness a page is kept to be served when Zoom fails or the budget is spent (0: never). */
  readonly staleMaxMs: number;
}

/** How long a page may be served from cache: freshness by kind of data, capped by the life of its next token. */
export function pageTtlMs(query: SessionPageQuery, page: Pick<WireSessionPage, 'nextPageToken'>, today: Day, policy: FreshnessPolicy): number {
  const byData =
    query.type === SessionType.LIVE ? policy.liveTtlMs : query.window.to >= today ? policy.recentTtlMs : policy.pastTtlMs;
  // A page whose token is needed to continue is useful only while that token lives.
  return page.nextPageToken === '' ? byData : Math.min(byData, ZOOM_PAGE_TOKEN_LIFETIME_MS - PAGE_TOKEN_SAFETY_MS);
}

/**
 * How long an instance that lost the fill race waits for the winner's page before calling Zoom
 * itself: a Zoom call rarely takes longer, and a lost lock costs a second call, never a wrong answer.
 */
export const FILL_LOCK_MS = 3_000;
/** How often a waiting instance looks for the filled page. */
export const FILL_POLL_MS = 20;

/** How long the store keeps a page: fresh, then stale for a while, but never past the life of its next token. */
export function pageStoreTtlMs(freshMs: number, page: Pick<WireSessionPage, 'nextPageToken'>, staleMaxMs: number): number {
  const kept = freshMs + staleMaxMs;
  return page.nextPageToken === '' ? kept : Math.max(freshMs, Math.min(kept, ZOOM_PAGE_TOKEN_LIFETIME_MS - PAGE_TOKEN_SAFETY_MS));
}

/**
 * Failures after which the last good page is better than an error: Zoom down or slow, its rate
 * limit, the gateway's own budget spent. A refusal of the query itself (400, 404, a dead token) is not.
 */
export function servesStale(error: unknown): boolean {
  if (error instanceof ZoomPageTokenError) return false;
  if (error instanceof ZoomHttpError) return error.status === 429 || error.status >= 500;
  return (
    error instanceof ZoomBudgetError || error instanceof ZoomCircuitOpenError || error instanceof ZoomTimeoutError ||
    error instanceof ZoomNetworkError || error instanceof ZoomBadResponseError
  );
}

export interface SessionPageCacheOptions {
  /** Where pages come from on a miss: Zoom, through the caller's governor and retries. */
  readonly source: SessionPageSource;
  readonly store: PageStore<WireSessionPage>;
  readonly policy: FreshnessPolicy;
  readonly now: () => number;
  readonly metrics: GatewayMetrics;
  /** Single flight across instances (Redis); in one process the in-flight map is enough. */
  readonly fillLock?: FillLock;
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
    if (cached && this.isFresh(query, cached)) {
      metrics.pageCache.inc({ result: 'hit' });
      return cached;
    }
    // A page past its freshness is one clients are using: its refresh draws on the budget's refresh share.
    const stale = cached;
    const shared = this.inFlight.get(key);
    if (shared) {
      metrics.pageCache.inc({ result: 'shared' });
      return shared;
    }
    try {
      budget.spend();
    } catch (error) {
      // A client past its own quota still gets the last good page of what others keep fresh.
      if (stale && error instanceof ClientQuotaError) return this.serveStale(stale, budget);
      throw error;
    }
    metrics.pageCache.inc({ result: 'miss' });
    // The request that makes the call hears of every attempt; requests that share it made none.
    const fetch = () => this.fetchAndStore(key, query, budget);
    const call = (stale ? asRefresh(fetch) : fetch()).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, call);
    return call.catch((error: unknown) => {
      if (stale && servesStale(error)) return this.serveStale(stale, budget);
      throw error;
    });
  }

  /** Drops a stored page, so that the next load asks Zoom: its next token was refused by Zoom. */
  async forget(query: SessionPageQuery): Promise<void> {
    await this.options.store.delete(sessionPageKey(query));
  }

  private serveStale(stale: WireSessionPage, budget: CallBudget): WireSessionPage {
    this.options.metrics.pageCache.inc({ result: 'stale' });
    budget.noteStale(this.options.now() - (stale.fetchedAt ?? this.options.now()));
    return stale;
  }

  private async fetchAndStore(key: string, query: SessionPageQuery, budget: CallBudget): Promise<WireSessionPage> {
    const { fillLock } = this.options;
    if (fillLock && !(await fillLock.tryLock(key, FILL_LOCK_MS))) {
      const filled = await this.waitForFill(key, query);
      if (filled) {
        this.options.metrics.pageCache.inc({ result: 'filled_elsewhere' });
        return filled;
      }
    }
    const page = await this.options.source(query, budget);
    page.fetchedAt = this.options.now();
    const freshMs = pageTtlMs(query, page, todayUtc(this.options.now()), this.options.policy);
    await this.options.store.set(key, page, { ttlMs: pageStoreTtlMs(freshMs, page, this.options.policy.staleMaxMs), bytes: heldBytes(page.bytes) });
    return page;
  }

  private isFresh(query: SessionPageQuery, page: WireSessionPage): boolean {
    const now = this.options.now();
    return now - (page.fetchedAt ?? now) < pageTtlMs(query, page, todayUtc(now), this.options.policy);
  }

  /** Another instance holds the fill lock: its page shows up in the store when its Zoom call returns. */
  private async waitForFill(key: string, query: SessionPageQuery): Promise<WireSessionPage | undefined> {
    for (let waited = 0; waited < FILL_LOCK_MS; waited += FILL_POLL_MS) {
      await sleep(FILL_POLL_MS);
      const page = await this.options.store.get(key);
      if (page && this.isFresh(query, page)) return page;
    }
    return undefined;
  }
}
