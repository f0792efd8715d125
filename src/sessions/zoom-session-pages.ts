import type { ZoomCaller } from '../budget/zoom-caller';
import { ListSessionsQuery, ZOOM_MAX_PAGE_SIZE, ZoomClient } from '../zoom/client';
import type { SessionPageQuery, SessionPageSource } from './session-pages';

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

/** Every page fetch goes out through the caller (breaker, rate governor, retries), and is stamped with when Zoom answered it. */
export function zoomSessionPages(client: ZoomClient, caller: ZoomCaller, now: () => number): SessionPageSource {
  return async (query, observer) => {
    const page = await caller.call('listSessions', (onWire) => client.listSessions(toListSessionsQuery(query), onWire), observer);
    return Object.assign(page, { fetchedAt: now() });
  };
}
