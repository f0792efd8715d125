import { LRUCache } from 'lru-cache';
import type { PageLoad, PlaceOfGone, SessionPageQuery } from '../sessions/session-pages';
import { sessionPageKey } from '../sessions/session-pages';
import { SessionType } from '../sessions/session-type.enum';
import type { WireSession, WireSessionPage } from '../zoom/wire';
import type { LiveFeed } from './live-feed';
import { LiveSessionRecord, toWireSession } from './live-state';

/** Pages built from one version of the live state, kept so the page memo (mapped sessions, cursors) is reused. */
const LIVE_PAGES_KEPT = 64;

/** Zoom's order, as the simulator follows it: newest first, ties by id (an inference: Zoom documents none). */
export function newestFirst(a: WireSession, b: WireSession): number {
  if (a.start_time !== b.start_time) return a.start_time < b.start_time ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The live list Zoom would answer for this query, as one page: the range is by start day, filters exact. */
export function livePage(sessions: readonly WireSession[], query: SessionPageQuery): WireSessionPage {
  const matching = sessions
    .filter((session) => {
      const day = session.start_time.slice(0, 10);
      return (
        day >= query.window.from &&
        day <= query.window.to &&
        (query.sessionKey === undefined || session.session_key === query.sessionKey) &&
        (query.sessionName === undefined || session.session_name === query.sessionName)
      );
    })
    .sort(newestFirst);
  return { pageSize: matching.length, nextPageToken: '', sessions: matching, trackingId: undefined, bytes: 0 };
}

/**
 * Where a session that left the live list stood in it, newest first: the state keeps an ended
 * session for ENDED_RETENTION_MS, with its start time, so a cursor on it continues with what
 * followed it, whatever ended or started above it since.
 */
function placeAfter(gone: WireSession): PlaceOfGone {
  return (sessions) => {
    const index = sessions.findIndex((session) => newestFirst(session, gone) > 0);
    return index < 0 ? sessions.length : index;
  };
}

/**
 * LIVE pages from the webhook-fed state while it serves (0 Zoom calls); every other page, and a
 * LIVE page when the state cannot answer (not reconciled yet, Redis down), from Zoom's page cache.
 */
export function liveRoutedPages(pages: PageLoad, feed: LiveFeed): PageLoad {
  const built = new LRUCache<string, WireSessionPage>({ max: LIVE_PAGES_KEPT });
  let builtVersion = -1;
  // Pages last only as long as the read they were built from (a second at most): the state also changes without a
  // word on the bus (another instance's replay after a loss), and a page must not outlive the read that would see it.
  let builtFrom: readonly LiveSessionRecord[] | undefined;
  return {
    // Pages built from the live state hand out no Zoom token, so only Zoom's own can be refused.
    forget: (query) => pages.forget(query),
    async placeOf(query, sessionId) {
      if (query.type !== SessionType.LIVE || query.pageToken !== '' || !feed.servesLive()) return undefined;
      try {
        const record = await feed.session(sessionId);
        return record === undefined ? undefined : placeAfter(toWireSession(record));
      } catch {
        // The state cannot say now: the walk continues where the session stood.
        return undefined;
      }
    },
    async load(query, budget) {
      if (query.type !== SessionType.LIVE || !feed.servesLive()) return pages.load(query, budget);
      // A token of Zoom's own, from before webhooks served, belongs to Zoom.
      if (query.pageToken !== '') return pages.load(query, budget);
      const version = feed.stateVersion;
      let records;
      try {
        records = await feed.liveSessions();
      } catch {
        return pages.load(query, budget);
      }
      // The state moved while it was read: serve what was read, keep nothing.
      if (version !== feed.stateVersion) return livePage(records.map(toWireSession), query);
      if (builtVersion !== version || builtFrom !== records) {
        built.clear();
        builtVersion = version;
        builtFrom = records;
      }
      const key = sessionPageKey(query);
      let page = built.get(key);
      if (!page) {
        page = livePage(records.map(toWireSession), query);
        built.set(key, page);
      }
      return page;
    },
  };
}
