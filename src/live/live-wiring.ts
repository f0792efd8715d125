import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { LiveConfig } from '../config';
import type { CallBudget } from '../sessions/call-budget';
import type { PageLoad, SessionPageSource } from '../sessions/session-pages';
import type { WireSession } from '../zoom/wire';
import type { LiveSeams } from './live-seams';
import type { OpenJournalFile } from './journal-file';
import { LiveFeed } from './live-feed';
import { walkLiveList } from './live-list-walk';
import { LiveMetrics } from './live-metrics';

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
  /** A session came into or left the shared state as this instance read it (see LiveFeedOptions). */
  readonly onListChanged?: (session: WireSession) => void;
  /** The journal's file, when WEBHOOK_JOURNAL_DIR is set. */
  readonly journalFile?: OpenJournalFile;
}

export function createLiveFeed(options: LiveWiringOptions): LiveFeed {
  const { config, now } = options;
  return new LiveFeed({
    mode: config.webhookSecretToken === undefined ? 'polling' : 'webhooks',
    ...options.seams,
    listLive: () => walkLiveList(options.source, now()),
    pollLive: async () => {
      const budget = options.budget();
      const listing = await walkLiveList((query) => options.pages.load(query, budget), now());
      // Comparing a partial list with a whole one would invent ends.
      if (!listing.complete) throw new Error(`the live list was read in part (${listing.pages} pages)`);
      return listing.sessions;
    },
    reconcileMs: config.reconcileMs,
    pollMs: config.pollMs,
    subscriberBuffer: config.subscriberBufferEvents,
    now,
    logger: options.logger,
    metrics: new LiveMetrics(options.registry),
    onListChanged: options.onListChanged,
    journalFile: options.journalFile,
  });
}
