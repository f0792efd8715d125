import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { LiveChange } from './live-change';
import { LiveEvent, deduplicationKey, parseZoomEvent, participantKey } from './live-event';
import { EventJournal, PendingEvent } from './event-journal';
import type { LiveMetrics } from './live-metrics';
import { LiveParticipant, LiveState, MAX_PARTICIPANTS_PER_SESSION, MAX_TRACKED_SESSIONS, toWireSession } from './live-state';
import { SessionEventType } from './session-event-type.enum';
import type { Claim, WebhookDedup } from './webhook-dedup';
import { inSpan, noteOnSpan } from '../tracing/spans';

/** The kinds of event the live state keeps and orders by `event_ts`: applied again, a repeat of one is stale. */
const ORDERED_KINDS: ReadonlySet<SessionEventType> = new Set([SessionEventType.SESSION_STARTED, SessionEventType.SESSION_ENDED, SessionEventType.USER_JOINED, SessionEventType.USER_LEFT]);

/** While the shared state cannot take the journal, it is offered again this often. */
const JOURNAL_RETRY_MS = 250;
/**
 * Without a journal file, an event the shared state could not take at once is answered only once it
 * is taken, and 503 past this long (Zoom sends it again): Zoom waits 3 s for an answer
 * (docs/zoom-contract.md §6), and a 200 for an event held only in memory would be lost with the process.
 */
export const UNJOURNALLED_WAIT_MS = 2_000;

/**
 * applied: in the state and published; kept: journalled until the shared state can take it;
 * refused: a new session while the state holds its cap of live ones; busy: another delivery of
 * the same event holds its key and has not taken it yet (not acknowledged: Zoom sends it again).
 */
export type WebhookOutcome = 'applied' | 'duplicate' | 'stale' | 'ignored' | 'kept' | 'refused' | 'busy';

/** What became of one delivery, and the key of its event (none for a body that is no event). */
interface Taken {
  readonly outcome: WebhookOutcome;
  readonly key?: string;
}

export interface WebhookIntakeOptions {
  readonly state: LiveState;
  readonly dedup: WebhookDedup;
  readonly journal: EventJournal;
  /** Hands an applied change to subscribers (the bus). */
  readonly publish: (change: LiveChange) => Promise<void>;
  /** Whether subscribers were already shown this session's start (by a reconciliation), and not its end. */
  readonly announced: (sessionId: string) => boolean;
  readonly metrics: LiveMetrics;
  readonly logger: Logger;
}

function participantOf(event: LiveEvent): LiveParticipant | null {
  const { user } = event;
  if (user === null) return null;
  const joined = event.type === SessionEventType.USER_JOINED;
  const left = event.type === SessionEventType.USER_LEFT;
  return { key: participantKey(user), user, joinTs: joined ? event.ts : 0, leaveTs: left ? event.ts : 0, leaveTime: left ? user.leaveTime : null, leaveReason: left ? user.leaveReason : null };
}

/**
 * Webhook events into the live state. An event acknowledged is applied: now, or from the journal
 * once the shared state can take it. Its de-duplication key is held only by an event applied (or
 * found stale), and only what was applied reaches subscribers.
 */
export class WebhookIntake {
  /** Whether the drain loop runs, set false in the same turn as its last look at the journal. */
  private draining = false;
  /** The drain loop's last run: close() lets its current step finish before the journal's file closes. */
  private drained: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: WebhookIntakeOptions) {}

  /** Events taken and waiting for the shared state (those without a journal file answered 503 once their wait ran out). */
  get pending(): number {
    return this.options.journal.pendingCount;
  }

  /**
   * For the webhook route, before it answers: resolves true once the event is safe (applied, found
   * nothing new, or journalled on disk until the shared state can take it), so that a 200 never goes
   * out for an event a crash of this process could still lose; false otherwise, and Zoom sends it
   * again: the journal had no place for it, taking it failed, or, with no journal file, the shared
   * state did not take it within UNJOURNALLED_WAIT_MS (it stays in memory and is applied when the
   * state can, so that Zoom's resend finds it there). The state's write is bounded by
   * REDIS_COMMAND_TIMEOUT_MS (then the event is journalled).
   */
  async accept(body: unknown, onError: (error: unknown) => void): Promise<boolean> {
    const started = performance.now();
    const { journal, metrics } = this.options;
    if (!journal.admit()) {
      metrics.webhooks.inc({ outcome: 'deferred' });
      return false;
    }
    let taken: Taken;
    try {
      taken = await inSpan('webhook apply', {}, async (span) => {
        const received = await this.takeBody(body);
        span.setAttribute('webhook.outcome', received.outcome);
        return received;
      });
    } catch (error) {
      onError(error);
      return false;
    } finally {
      journal.settle();
    }
    if (taken.outcome === 'busy') {
      metrics.webhooks.inc({ outcome: 'deferred' });
      return false;
    }
    // On disk, or in the state: safe. Held only in this process's memory: safe once the state takes it.
    const { key } = taken;
    if (key === undefined || !journal.isPending(key) || journal.durable) return true;
    if (await journal.whenGone(key, Math.max(0, UNJOURNALLED_WAIT_MS - (performance.now() - started)))) return true;
    metrics.webhooks.inc({ outcome: 'deferred' });
    return false;
  }

  /** Takes one verified webhook body; throws only when the journal's disk refused an event to keep (not to be acknowledged). */
  async receive(body: unknown): Promise<WebhookOutcome> {
    return (await this.takeBody(body)).outcome;
  }

  private async takeBody(body: unknown): Promise<Taken> {
    const { metrics, logger, journal } = this.options;
    const event = parseZoomEvent(body);
    if (typeof event === 'string') {
      metrics.webhooks.inc({ outcome: 'ignored' });
      logger.debug({ reason: event }, 'webhook ignored');
      return { outcome: 'ignored' };
    }
    noteOnSpan({ 'zoom.event': event.type, 'zoom.session_id': event.sessionId });
    const key = deduplicationKey(event);
    // A repeat of a journalled event (a replay within the signature window while Redis is down).
    if (journal.isPending(key)) {
      // Acknowledged only once the first delivery is on disk: the first may still be answered 503.
      await journal.whenKept(key);
      metrics.webhooks.inc({ outcome: 'duplicate' });
      return { outcome: 'duplicate', key };
    }
    const delivery = { event, key, writer: randomUUID() };
    // Behind a journal, in order: the state applies in any order, but subscribers see Zoom's.
    if (journal.pendingCount > 0) return { outcome: await this.keep(delivery), key };
    const outcome = await this.take(delivery);
    return { outcome: typeof outcome === 'string' ? outcome : await this.keep({ ...delivery, ...outcome }), key };
  }

  /** Applies again, without publishing, every event this instance took recently: the shared state was lost. */
  async replayRecent(): Promise<number> {
    let replayed = 0;
    for (const event of this.options.journal.recentEvents()) {
      const outcome = await this.options.state.apply(event);
      if (outcome.failed) throw new Error('the live state is unreachable: the replay will be tried again');
      replayed += 1;
    }
    return replayed;
  }

  /** Offers the shared state what a previous process left in the journal's file. */
  resume(): void {
    const pending = this.options.journal.pendingCount;
    if (pending === 0) return;
    this.options.logger.warn({ pending }, 'webhook journal: events a previous process acknowledged and did not apply are applied now');
    this.drain();
  }

  /** Stops offering the journal once the step in flight is done (its done line written), then closes the file. */
  async close(): Promise<void> {
    this.closed = true;
    await this.drained;
    await this.options.journal.close();
  }

  /**
   * Claims the key, applies the event (a claim held elsewhere too: the state's mark decides, so a
   * retry reaching another instance at once is not published twice), and publishes it if it was
   * news. When the state could not take it the key is let go (this delivery's claim; another's is
   * not its own) and the caller keeps the event, `uncertain` (the write may still run). A retry that finds its
   * own earlier write ran learns from the state's mark whether it was news, and publishes it then:
   * subscribers would otherwise never see it.
   */
  private async take(entry: PendingEvent): Promise<WebhookOutcome | { readonly uncertain: true }> {
    const { metrics, logger, dedup, state, journal } = this.options;
    const { event, key } = entry;
    // A shared dedup is wrapped by its fallback: when Redis is down every key is free. A delivery whose write may
    // have run asks the state's mark instead: the key may be held by another delivery of the same event that found
    // this one's write there, and left it for this one to publish.
    const claim: Claim = entry.uncertain === true ? 'claimed' : await dedup.claim(key, entry.writer);
    // Only the kinds the state orders by time can tell a repeat themselves: sharing, recording and alerts keep no
    // state, and a repeat of one is news to it every time, so their key decides.
    if (claim !== 'claimed' && !ORDERED_KINDS.has(event.type)) {
      if (claim === 'taken') {
        metrics.webhooks.inc({ outcome: 'duplicate' });
        return 'duplicate';
      }
      // Another delivery claimed it and has not taken it yet: its process may have died before its write (its claim
      // then runs out, CLAIM_TTL_MS). This one is not acknowledged as a duplicate of an event that may never land,
      // nor held in the journal ahead of every later event: Zoom sends it again, when the claim is settled.
      return 'busy';
    }
    // A key claimed by another delivery proves only that it was claimed: its instance may have been killed before
    // its write, having answered Zoom nothing. The write is offered all the same; the state's own mark of the event,
    // written with the change, says whether it was taken already (not news, nothing published).
    const claimedElsewhere = claim !== 'claimed';
    // A shared state is wrapped by its fallback: a failure comes back `failed`, never thrown.
    const outcome = await state.apply(event, entry.writer);
    if (outcome.failed) {
      // Another delivery's claim is not this one's to let go.
      if (!claimedElsewhere) await dedup.forget(key, entry.writer).catch(() => undefined);
      return { uncertain: true };
    }
    if (outcome.refused) {
      metrics.webhooks.inc({ outcome: 'refused' });
      if (event.user === null) logger.warn({ sessionId: event.sessionId, cap: MAX_TRACKED_SESSIONS }, 'webhook refused: the live state holds its cap of live sessions');
      else logger.warn({ sessionId: event.sessionId, cap: MAX_PARTICIPANTS_PER_SESSION }, 'webhook refused: the session holds its cap of participants');
      await dedup.forget(key, entry.writer).catch(() => undefined);
      return 'refused';
    }
    // In the state now (taken, or found there): a repeat on any instance is a duplicate for DEDUP_TTL_MS.
    await dedup.confirm(key).catch(() => undefined);
    // This delivery's own write ran after all, and was news: nobody has published it. (Another delivery's first
    // write of the same event, on any instance, is that delivery's to publish, now or from its journal.)
    const landedEarlier = entry.uncertain === true && outcome.repeatOf?.applied === true && outcome.repeatOf.writer === entry.writer;
    if (!outcome.applied && !landedEarlier) {
      const taken = claimedElsewhere ? 'duplicate' : 'stale';
      metrics.webhooks.inc({ outcome: taken });
      return taken;
    }
    journal.applied(event);
    metrics.webhooks.inc({ outcome: 'applied' });
    // A start a reconciliation already showed subscribers is in the state now, and no news to them.
    if (event.type === SessionEventType.SESSION_STARTED && this.options.announced(event.sessionId)) return 'applied';
    const session = outcome.session;
    await this.options.publish({ type: event.type, occurredAt: event.ts, sessionId: event.sessionId, session: session ? toWireSession(session) : null, user: participantOf(event) });
    return 'applied';
  }

  private async keep(entry: PendingEvent): Promise<WebhookOutcome> {
    const kept = this.options.journal.keep(entry);
    this.drain();
    await kept;
    this.options.metrics.webhooks.inc({ outcome: 'kept' });
    return 'kept';
  }

  /** Offers the journal to the shared state, oldest first, until it is empty; one loop at a time. */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    this.drained = this.drainLoop();
  }

  private async drainLoop(): Promise<void> {
    const { journal, logger } = this.options;
    try {
      for (let entry = journal.oldest(); entry !== undefined && !this.closed; entry = journal.oldest()) {
        const outcome = await this.take(entry).catch((error: unknown): { uncertain: boolean } => {
          logger.warn({ err: error }, 'journalled webhook not applied yet');
          return { uncertain: entry.uncertain === true };
        });
        if (typeof outcome === 'string' && outcome !== 'busy') {
          journal.done();
          continue;
        }
        // Kept (and perhaps acknowledged): a claim held by another delivery is waited for, as a write that failed is.
        journal.retry(typeof outcome !== 'string' && outcome.uncertain);
        await new Promise((resolve) => setTimeout(resolve, JOURNAL_RETRY_MS).unref());
      }
    } finally {
      this.draining = false;
    }
  }
}
