import { LRUCache } from 'lru-cache';
import type { FillLock, PageStore } from '../cache/page-store';
import { CacheMetrics, SharedCache } from '../cache/shared-cache';
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
import type { WireSessionPage } from '../zoom/wire';
import { CallBudget } from './call-budget';
import { ClientQuotaError } from '../budget/client-quota';
import { SessionPageQuery, SessionPageSource, sessionPageKey } from './session-pages';
import { SessionType } from './session-type.enum';
import type { PageStaleMarks } from './page-stale-marks';

/** Zoom: `next_page_token` "expires after 15 minutes" (docs/zoom-contract.md §1, H). */
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

/**
 * A page read after this share of its freshness is refreshed in the background while it is still
 * served: pages clients keep using (a dashboard's live list) never make one of them wait for Zoom.
 */
export const REFRESH_AHEAD_AT = 0.8;
/** Pages whose refresh ahead was tried, each for the copy it was tried on: one try per copy, failed or not. */
const REFRESH_TRIES_KEPT = 10_000;

/** How long a page may be served from cache: freshness by kind of data, capped by the life of its next token. */
export function pageTtlMs(query: SessionPageQuery, page: Pick<WireSessionPage, 'nextPageToken'>, today: Day, policy: FreshnessPolicy): number {
  const byData =
    query.type === SessionType.LIVE ? policy.liveTtlMs : query.window.to >= today ? policy.recentTtlMs : policy.pastTtlMs;
  // A page whose token is needed to continue is useful only while that token lives.
  return page.nextPageToken === '' ? byData : Math.min(byData, ZOOM_PAGE_TOKEN_LIFETIME_MS - PAGE_TOKEN_SAFETY_MS);
}

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
  /** Where pages come from on a miss: Zoom, through the caller's governor and retries (zoom-session-pages.ts). */
  readonly source: SessionPageSource;
  readonly store: PageStore<WireSessionPage>;
  readonly policy: FreshnessPolicy;
  readonly now: () => number;
  readonly metrics: CacheMetrics;
  /** Single flight across instances (Redis); in one process the in-flight map is enough. */
  readonly fillLock?: FillLock;
  /** Days whose pages a live event made stale (a session started or ended): read again from Zoom. */
  readonly staleMarks?: PageStaleMarks;
}

/** The shared cache keyed by session-list query, with the freshness and stale rules of session pages. */
export class SessionPageCache {
  private readonly cache: SharedCache<WireSessionPage>;
  /** Page key → `fetchedAt` of the copy whose refresh ahead was tried. */
  private readonly refreshTried = new LRUCache<string, number>({ max: REFRESH_TRIES_KEPT });

  constructor(private readonly options: SessionPageCacheOptions) {
    this.cache = new SharedCache({
      store: options.store,
      metrics: options.metrics,
      fillLock: options.fillLock,
      // A client past its own quota still gets the last good page of what others keep fresh.
      staleOnRefusal: (error) => error instanceof ClientQuotaError,
      staleOnFailure: servesStale,
    });
  }

  load(query: SessionPageQuery, budget: CallBudget): Promise<WireSessionPage> {
    const { now, policy, source } = this.options;
    return this.cache.load<CallBudget>(sessionPageKey(query), source.bind(undefined, query), budget, {
      ttlMs: (page) => pageStoreTtlMs(pageTtlMs(query, page, todayUtc(now()), policy), page, policy.staleMaxMs),
      bytes: (page) => heldBytes(page.bytes),
      isFresh: (page) => this.isFresh(query, page),
      // A refresh no client asked for: one call of its own, counted on no request and no client's quota.
      refreshAhead: { due: (page) => this.refreshDue(query, page), budget: () => new CallBudget(1) },
      ageMs: (page) => now() - (page.fetchedAt ?? now()),
    });
  }

  /** Drops a stored page, so that the next load asks Zoom: its next token was refused by Zoom. */
  forget(query: SessionPageQuery): Promise<void> {
    return this.cache.forget(sessionPageKey(query));
  }

  /**
   * Fresh, but within the last part of its freshness: a client reading it now gets it, and it is
   * read again behind them, once per copy (a refresh that failed is not tried again on every read).
   */
  private refreshDue(query: SessionPageQuery, page: WireSessionPage): boolean {
    const now = this.options.now();
    const fetchedAt = page.fetchedAt ?? now;
    const ttl = pageTtlMs(query, page, todayUtc(now), this.options.policy);
    if (now - fetchedAt < ttl * REFRESH_AHEAD_AT) return false;
    const key = sessionPageKey(query);
    if (this.refreshTried.get(key) === fetchedAt) return false;
    this.refreshTried.set(key, fetchedAt);
    return true;
  }

  private isFresh(query: SessionPageQuery, page: WireSessionPage): boolean {
    const now = this.options.now();
    if (this.options.staleMarks?.isStale(query.window, page.fetchedAt)) return false;
    return now - (page.fetchedAt ?? now) < pageTtlMs(query, page, todayUtc(now), this.options.policy);
  }
}
