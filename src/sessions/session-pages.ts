import { ListSessionsQuery, ZOOM_MAX_PAGE_SIZE, ZoomClient } from '../zoom/client';
import type { WireSessionPage } from '../zoom/wire';
import type { ZoomCallObserver, ZoomCaller } from '../budget/zoom-caller';
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

/** `observer` hears of every attempt that reached Zoom. */
export type SessionPageSource = (query: SessionPageQuery, observer?: ZoomCallObserver) => Promise<WireSessionPage>;

/** Where a request's pages come from: the page cache has this shape, and so does the router of LIVE pages (live-pages.ts). */
export interface PageLoad {
  load(query: SessionPageQuery, budget: CallBudget): Promise<WireSessionPage>;
  /** Drops a cached page whose token Zoom refused, so the walk can be read again. */
  forget(query: SessionPageQuery): Promise<void>;
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

export function toListSessionsQuery(query: SessionPageQuery): ListSessionsQuery {
  return {
    type: query.type,
    from: query.window.from,
    to: query.window.to,
    // Always Zoom's largest page: a client's `first` must never multiply Zoom calls.
    pageSize: ZOOM_MAX_PAGE_SIZE,
    pageToken: query.pageToken,
    sessionKey: query.sessionKey,
    sessionName: query.sessionName,
  };
}

/** Every page fetch goes out through the caller: breaker, rate governor, retries. */
export function zoomSessionPages(client: ZoomClient, caller: ZoomCaller): SessionPageSource {
  return (query, observer) => caller.call('listSessions', () => client.listSessions(toListSessionsQuery(query)), observer);
}
