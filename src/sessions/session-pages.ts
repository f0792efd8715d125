import type { WireSession, WireSessionPage } from '../zoom/wire';
import type { ZoomCallObserver } from '../budget/zoom-caller';
import type { CallBudget } from './call-budget';
import type { SessionType } from './session-type.enum';
import type { Window } from './windows';

/** One Zoom page of the session list: the exact Zoom query, token included. */
export interface SessionPageQuery {
  readonly type: SessionType;
  readonly window: Window;
  /** "" for the window's first page. */
  readonly pageToken: string;
  readonly sessionKey?: string;
  readonly sessionName?: string;
}

/** A page as Zoom answered it, stamped with when it did: the page cache's freshness counts from then. */
export type FetchedSessionPage = WireSessionPage & { fetchedAt: number };

/** Zoom's pages (zoom-session-pages.ts); `observer` hears of every attempt that reached Zoom. */
export type SessionPageSource = (query: SessionPageQuery, observer?: ZoomCallObserver) => Promise<FetchedSessionPage>;

/** Where a session that has left a page would stand in it: the index of the first session that followed it. */
export type PlaceOfGone = (sessions: readonly WireSession[]) => number;

/** Where a request's pages come from: the page cache has this shape, and so does the router of LIVE pages (live-pages.ts). */
export interface PageLoad {
  load(query: SessionPageQuery, budget: CallBudget): Promise<WireSessionPage>;
  /** Drops a cached page whose token Zoom refused, so the walk can be read again. */
  forget(query: SessionPageQuery): Promise<void>;
  /**
   * Where a session no longer on this query's page stood, for a cursor whose session left it: only a source
   * that keeps an order and still knows the session can say (the live state); left out or undefined otherwise.
   */
  placeOf?(query: SessionPageQuery, sessionId: string): Promise<PlaceOfGone | undefined>;
}

/** The prefix of every page key of one session type and window. */
export function sessionWindowKey(type: SessionType, window: Window): string {
  return `sessions:${type}:${window.from}:${window.to}:`;
}

/**
 * Equal keys mean equal Zoom requests: that is what lets two fields share one call. A window's
 * first unfiltered page is `sessionPageKey({ type, window, pageToken: '' })`.
 */
export function sessionPageKey(query: SessionPageQuery): string {
  return sessionWindowKey(query.type, query.window) + JSON.stringify([query.pageToken, query.sessionKey ?? null, query.sessionName ?? null]);
}
