import type { Logger } from 'pino';
import type { WireSession } from '../zoom/wire';
import type { LiveChange } from './live-change';
import type { LiveMetrics } from './live-metrics';
import { SessionEventType } from './session-event-type.enum';

export interface LivePollOptions {
  /** The live list through the page cache, shared with LIVE queries. */
  readonly pollLive: () => Promise<WireSession[]>;
  /** Whether anyone listens: with no subscriber, nothing is polled. */
  readonly listening: () => boolean;
  readonly publish: (change: LiveChange) => Promise<void>;
  readonly now: () => number;
  readonly logger: Logger;
  readonly metrics: LiveMetrics;
}

/**
 * Without webhooks: events from comparing each live list with the one before; only starts and
 * ends can be seen. The last list also answers the live set between polls.
 */
export class LivePoll {
  private previous: Map<string, WireSession> | undefined;

  constructor(private readonly options: LivePollOptions) {}

  /** The live set of the last poll, or Zoom's list now when there was none. */
  async liveSet(): Promise<WireSession[]> {
    if (this.previous) return [...this.previous.values()];
    return this.options.pollLive();
  }

  async poll(): Promise<void> {
    const { options } = this;
    if (!options.listening()) {
      this.previous = undefined;
      return;
    }
    let listed: WireSession[];
    try {
      listed = await options.pollLive();
    } catch (error) {
      options.metrics.reconciliations.inc({ outcome: 'failed' });
      options.logger.warn({ err: error }, 'live poll failed');
      return;
    }
    options.metrics.reconciliations.inc({ outcome: 'polled' });
    const now = options.now();
    const current = new Map(listed.map((session) => [session.id, session]));
    const previous = this.previous;
    this.previous = current;
    if (!previous) return;
    for (const [id, session] of current) {
      if (!previous.has(id)) await options.publish({ type: SessionEventType.SESSION_STARTED, occurredAt: Date.parse(session.start_time) || now, sessionId: id, session, user: null });
    }
    for (const [id, session] of previous) {
      if (!current.has(id)) await options.publish({ type: SessionEventType.SESSION_ENDED, occurredAt: now, sessionId: id, session: { ...session, end_time: new Date(now).toISOString() }, user: null });
    }
  }
}
