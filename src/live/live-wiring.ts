import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { LiveConfig } from '../config';
import type { CallBudget } from '../sessions/call-budget';
import type { SessionPageQuery, SessionPageSource } from '../sessions/session-pages';
import { SessionType } from '../sessions/session-type.enum';
import { addDays, todayUtc } from '../time/calendar';
import type { WireSession, WireSessionPage } from '../zoom/wire';
import type { LiveSeams } from './live-seams';
import { LiveFeed } from './live-feed';
import { LiveMetrics } from './live-metrics';
import type { PageLoad } from './live-pages';

/**
 * How far back a live session may have started and still be listed: Zoom's live list needs a
 * range and documents none for running sessions (an inference, L); a week covers any session.
 */
export const LIVE_LIST_LOOKBACK_DAYS = 7;
/** One walk of the live list is a handful of pages at most; past this it stops rather than spend the budget. */
const MAX_LIVE_LIST_PAGES = 10;

export interface LiveWiringOptions {
  readonly config: LiveConfig;
  /** Zoom's pages through the caller (budget, retries), bypassing the cache. */
  readonly source: SessionPageSource;
  /** Zoom's pages through the page cache. */
  readonly pages: PageLoad;
  /** A fresh per-walk call cap for the feed's own reads through the cache. */
  readonly budget: () => CallBudget;
  readonly now: () => number;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Memory or Redis, chosen by seams.ts. */
  readonly seams: LiveSeams;
}

async function walkLive(read: (query: SessionPageQuery) => Promise<WireSessionPage>, nowMs: number): Promise<WireSession[]> {
  const today = todayUtc(nowMs);
  const window = { from: addDays(today, -LIVE_LIST_LOOKBACK_DAYS), to: today };
  const sessions: WireSession[] = [];
  let pageToken = '';
  for (let page = 0; page < MAX_LIVE_LIST_PAGES; page += 1) {
    const answer = await read({ type: SessionType.LIVE, window, pageToken });
    sessions.push(...answer.sessions);
    if (answer.nextPageToken === '') break;
    pageToken = answer.nextPageToken;
  }
  return sessions;
}

export function createLiveFeed(options: LiveWiringOptions): LiveFeed {
  const { config, now } = options;
  return new LiveFeed({
    mode: config.webhookSecretToken === undefined ? 'polling' : 'webhooks',
    ...options.seams,
    listLive: () => walkLive(options.source, now()),
    pollLive: () => {
      const budget = options.budget();
      return walkLive((query) => options.pages.load(query, budget), now());
    },
    reconcileMs: config.reconcileMs,
    pollMs: config.pollMs,
    subscriberBuffer: config.subscriberBufferEvents,
    now,
    logger: options.logger,
    metrics: new LiveMetrics(options.registry),
  });
}
