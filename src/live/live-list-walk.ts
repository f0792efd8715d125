import type { SessionPageQuery } from '../sessions/session-pages';
import { SessionType } from '../sessions/session-type.enum';
import { addDays, todayUtc } from '../time/calendar';
import type { WireSession, WireSessionPage } from '../zoom/wire';

/**
 * How far back a live session may have started and still be listed: Zoom's live list needs a
 * range and documents none for running sessions (an inference, L); a week covers any session.
 */
export const LIVE_LIST_LOOKBACK_DAYS = 7;
/**
 * A walk's own bound, far above any real live list (300 a page, docs/zoom-contract.md §1: 300,000
 * sessions): it guards only against a token that never ends. The budget is spent through the rate
 * governor page by page, as for any other walk; a walk it cuts short is partial, never taken for the whole list.
 */
export const MAX_LIVE_LIST_PAGES = 1_000;

/** Zoom's live list as one walk read it: `complete` only when the last page said there was no other. */
export interface LiveListing {
  readonly sessions: WireSession[];
  readonly complete: boolean;
  readonly pages: number;
  /** Why the walk stopped short, for metrics and logs. */
  readonly stoppedBy?: 'error' | 'pages';
  readonly error?: unknown;
}

/** Walks every page of the live list; a page that fails ends the walk with what was read, marked partial (the first one throws). */
export async function walkLiveList(read: (query: SessionPageQuery) => Promise<WireSessionPage>, nowMs: number, maxPages = MAX_LIVE_LIST_PAGES): Promise<LiveListing> {
  const today = todayUtc(nowMs);
  const window = { from: addDays(today, -LIVE_LIST_LOOKBACK_DAYS), to: today };
  const sessions: WireSession[] = [];
  let pageToken = '';
  for (let page = 0; page < maxPages; page += 1) {
    let answer: WireSessionPage;
    try {
      answer = await read({ type: SessionType.LIVE, window, pageToken });
    } catch (error) {
      if (page === 0) throw error;
      return { sessions, complete: false, stoppedBy: 'error', error, pages: page };
    }
    sessions.push(...answer.sessions);
    if (answer.nextPageToken === '') return { sessions, complete: true, pages: page + 1 };
    pageToken = answer.nextPageToken;
  }
  return { sessions, complete: false, stoppedBy: 'pages', pages: maxPages };
}
