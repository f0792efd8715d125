import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { LiveChange } from './live-change';
import type { LiveGeneration } from './live-generation';
import type { LiveListing } from './live-list-walk';
import type { LiveMetrics } from './live-metrics';
import { LiveState, toWireSession } from './live-state';
import { SessionEventType } from './session-event-type.enum';

export interface ReconcilerOptions {
  readonly state: LiveState;
  readonly generation: LiveGeneration;
  /** Zoom's whole live list, straight from Zoom (reconciliation must not read a cached page). */
  readonly listLive: () => Promise<LiveListing>;
  /** Whether subscribers were already shown this session's start (and not its end). */
  readonly announced: (sessionId: string) => boolean;
  /** Whether subscribers were already shown this session's end (and no start since). */
  readonly endShown: (sessionId: string) => boolean;
  /** Hands the changes found to subscribers. */
  readonly publish: (change: LiveChange) => Promise<void>;
  readonly now: () => number;
  readonly logger: Logger;
  readonly metrics: LiveMetrics;
}

export interface ReconcileReport {
  readonly complete: boolean;
  readonly listed: number;
  readonly started: number;
  readonly ended: number;
  /** The state's generation mark after the run; null when it is still not whole. */
  readonly generation: string | null;
}

/**
 * One walk of Zoom's live list applied to the state: what webhooks missed is caught here. Only a
 * walk that read every page may end a session for missing from it, and only such a walk makes a
 * lost state whole again (its generation mark); a partial walk adds what it read and says so.
 */
export class Reconciler {
  constructor(private readonly options: ReconcilerOptions) {}

  async run(): Promise<ReconcileReport> {
    const { state, generation, metrics, logger } = this.options;
    const atMs = this.options.now();
    // The mark is read before the walk: a loss during the walk leaves it missing, and the next run rebuilds again.
    const mark = await generation.read();
    const [listing, known] = await Promise.all([this.options.listLive(), state.liveSessions()]);
    const byAnyId = new Map<string, string>();
    for (const record of known) {
      byAnyId.set(record.id, record.id);
      if (record.otherId !== null) byAnyId.set(record.otherId, record.id);
    }
    const changes: LiveChange[] = [];
    const seen = new Set<string>();
    for (const session of listing.sessions) {
      const id = byAnyId.get(session.id) ?? session.id;
      seen.add(id);
      const outcome = await state.markListed({ ...session, id }, atMs);
      if (outcome.failed) throw new Error('the live state is unreachable');
      // A rebuild finds again sessions subscribers saw start: that is not news to them.
      if (outcome.applied && outcome.session && !this.options.announced(id)) {
        changes.push({ type: SessionEventType.SESSION_STARTED, occurredAt: atMs, sessionId: id, session: toWireSession(outcome.session), user: null });
      }
    }
    let next = mark;
    if (listing.complete) {
      for (const record of known) {
        if (seen.has(record.id)) continue;
        const outcome = await state.markMissing(record.id, atMs);
        // Not an end subscribers were shown already: a state that went back may have the session live again.
        if (outcome.applied && outcome.session && !this.options.endShown(record.id)) changes.push({ type: SessionEventType.SESSION_ENDED, occurredAt: atMs, sessionId: record.id, session: toWireSession(outcome.session), user: null });
      }
      if (mark === null) {
        next = randomUUID();
        await generation.mark(next);
        logger.info({ listed: listing.sessions.length }, 'live state made whole from Zoom\'s live list');
      }
      metrics.reconciliations.inc({ outcome: mark === null ? 'rebuilt' : 'ok' });
    } else {
      metrics.reconciliations.inc({ outcome: 'partial' });
      logger.warn(
        { listed: listing.sessions.length, pages: listing.pages, stoppedBy: listing.stoppedBy, err: listing.error },
        'live list read in part: no session ended for missing from it, and a lost state is not taken as whole',
      );
    }
    for (const change of changes) await this.options.publish(change);
    const started = changes.filter((change) => change.type === SessionEventType.SESSION_STARTED).length;
    return { complete: listing.complete, listed: listing.sessions.length, started, ended: changes.length - started, generation: next };
  }
}
