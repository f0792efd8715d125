import type { Logger } from 'pino';
import type { SessionUser } from '../sessions/session-user.type';
import type { WireSession } from '../zoom/wire';
import type { LiveEventBus } from './event-bus';
import type { LiveChange } from './live-change';
import { LiveEvent, deduplicationKey, parseZoomEvent, participantKey } from './live-event';
import type { LiveMetrics } from './live-metrics';
import { LiveParticipant, LiveSessionRecord, LiveState, toLiveSessionUser, toWireSession } from './live-state';
import { SessionEventType } from './session-event-type.enum';
import { SubscriberQueue } from './subscriber-queue';
import type { WebhookDedup } from './webhook-dedup';

/** A live list read through the page cache is this fresh at most: more often would only re-read the cache. */
const SNAPSHOT_TTL_MS = 1_000;
/** After a failed reconciliation, try again this soon rather than a whole interval later. */
const RECONCILE_RETRY_MS = 30_000;

export type WebhookOutcome = 'applied' | 'duplicate' | 'stale' | 'ignored' | 'failed';

export interface SessionEventFilter {
  readonly sessionId?: string;
  readonly types?: ReadonlySet<SessionEventType>;
}

export interface LiveFeedOptions {
  /** webhooks: state from Zoom's events, reconciled; polling: events from comparing successive live lists. */
  readonly mode: 'webhooks' | 'polling';
  readonly state: LiveState;
  readonly dedup: WebhookDedup;
  readonly bus: LiveEventBus;
  /** Zoom's whole live list, straight from Zoom (reconciliation must not read a cached page). */
  readonly listLive: () => Promise<WireSession[]>;
  /** The live list through the page cache, shared with LIVE queries (polling mode). */
  readonly pollLive: () => Promise<WireSession[]>;
  readonly reconcileMs: number;
  readonly pollMs: number;
  readonly subscriberBuffer: number;
  readonly now: () => number;
  readonly logger: Logger;
  readonly metrics: LiveMetrics;
}

/** A "the live set may have changed" signal; subscribers of the whole set read it when they take it. */
export interface LiveSetTick {
  readonly liveSet: true;
}

interface LocalSubscriber {
  readonly filter: SessionEventFilter;
  readonly queue: SubscriberQueue<LiveChange>;
}

function participantOf(event: LiveEvent): LiveParticipant | null {
  const { user } = event;
  if (user === null) return null;
  const joined = event.type === SessionEventType.USER_JOINED;
  const left = event.type === SessionEventType.USER_LEFT;
  return {
    key: participantKey(user),
    user,
    joinTs: joined ? event.ts : 0,
    leaveTs: left ? event.ts : 0,
    leaveTime: left ? user.leaveTime : null,
    leaveReason: left ? user.leaveReason : null,
  };
}

/** Live sessions, their participants and their events, whichever way they are learnt. */
export class LiveFeed {
  private readonly subscribers = new Set<LocalSubscriber>();
  private readonly liveSetSubscribers = new Set<SubscriberQueue<LiveSetTick>>();
  private readonly unsubscribeBus: () => void;
  private snapshot: { readonly at: number; readonly records: Promise<LiveSessionRecord[]> } | undefined;
  private version = 0;
  private reconciled = false;
  private timer: NodeJS.Timeout | undefined;
  private previousPoll: Map<string, WireSession> | undefined;
  private closed = false;

  constructor(private readonly options: LiveFeedOptions) {
    this.unsubscribeBus = options.bus.subscribe((change) => this.deliver(change));
  }

  get metrics(): LiveMetrics {
    return this.options.metrics;
  }

  get mode(): LiveFeedOptions['mode'] {
    return this.options.mode;
  }

  /** Bumped whenever the live set may have changed: pages built from an older one are stale. */
  get stateVersion(): number {
    return this.version;
  }

  get subscriberCount(): number {
    return this.subscribers.size + this.liveSetSubscribers.size;
  }

  /** Webhooks configured and the state reconciled at least once: LIVE queries need no Zoom call. */
  servesLive(): boolean {
    return this.options.mode === 'webhooks' && this.reconciled;
  }

  /** Reconciles at once and then every interval (webhooks), or polls while anyone subscribes. */
  start(): void {
    if (this.options.mode === 'webhooks') this.schedule(0);
    else {
      this.timer = setInterval(() => void this.poll(), this.options.pollMs);
      this.timer.unref();
    }
  }

  /** Takes one verified webhook body; never throws (the webhook was acknowledged already). */
  async receive(body: unknown): Promise<WebhookOutcome> {
    const { metrics, logger } = this.options;
    const event = parseZoomEvent(body);
    if (typeof event === 'string') {
      metrics.webhooks.inc({ outcome: 'ignored' });
      logger.debug({ reason: event }, 'webhook ignored');
      return 'ignored';
    }
    // A shared dedup is wrapped by its fallback (seams.ts): this never throws.
    if (!(await this.options.dedup.firstSeen(deduplicationKey(event)))) {
      metrics.webhooks.inc({ outcome: 'duplicate' });
      return 'duplicate';
    }
    // A shared state is wrapped by its fallback (seams.ts): a failure comes back as `failed`, never thrown.
    const outcome = await this.options.state.apply(event);
    if (!outcome.applied) {
      metrics.webhooks.inc({ outcome: 'stale' });
      return 'stale';
    }
    const result = outcome.failed ? 'failed' : 'applied';
    metrics.webhooks.inc({ outcome: result });
    const session = outcome.session;
    await this.publish({ type: event.type, occurredAt: event.ts, sessionId: event.sessionId, session: session ? toWireSession(session) : null, user: participantOf(event) });
    return result;
  }

  /** One walk of Zoom's live list, applied to the state: what webhooks missed is caught here. */
  async reconcile(): Promise<void> {
    const { state, metrics, logger } = this.options;
    const atMs = this.options.now();
    try {
      const [listed, known] = await Promise.all([this.options.listLive(), state.liveSessions()]);
      const byAnyId = new Map<string, string>();
      for (const record of known) {
        byAnyId.set(record.id, record.id);
        if (record.otherId !== null) byAnyId.set(record.otherId, record.id);
      }
      const seen = new Set<string>();
      for (const session of listed) {
        const id = byAnyId.get(session.id) ?? session.id;
        seen.add(id);
        const outcome = await state.markListed({ ...session, id }, atMs);
        if (outcome.applied && outcome.session) await this.publish({ type: SessionEventType.SESSION_STARTED, occurredAt: atMs, sessionId: id, session: toWireSession(outcome.session), user: null });
      }
      for (const record of known) {
        if (seen.has(record.id)) continue;
        const outcome = await state.markMissing(record.id, atMs);
        if (outcome.applied && outcome.session) await this.publish({ type: SessionEventType.SESSION_ENDED, occurredAt: atMs, sessionId: record.id, session: toWireSession(outcome.session), user: null });
      }
      this.reconciled = true;
      this.invalidate();
      metrics.reconciliations.inc({ outcome: 'ok' });
    } catch (error) {
      metrics.reconciliations.inc({ outcome: 'failed' });
      logger.warn({ err: error }, 'live state reconciliation failed; the next one will try again');
      throw error;
    }
  }

  /** The live sessions now, read at most once a second per instance (and again after any change). */
  liveSessions(): Promise<LiveSessionRecord[]> {
    const now = this.options.now();
    if (!this.snapshot || now - this.snapshot.at >= SNAPSHOT_TTL_MS) {
      const records = this.options.state.liveSessions();
      this.snapshot = { at: now, records };
      records.catch(() => {
        if (this.snapshot?.records === records) this.snapshot = undefined;
      });
    }
    return this.snapshot.records;
  }

  /** A live session's participants, present or gone, for `Session.users` of LIVE sessions. */
  async participants(sessionId: string): Promise<SessionUser[]> {
    return (await this.liveParticipants(sessionId)).map(toLiveSessionUser);
  }

  /** The same, as the state keeps them (in order of joining), for pages in Zoom's wire shape. */
  liveParticipants(sessionId: string): Promise<LiveParticipant[]> {
    return this.options.state.participants(sessionId);
  }

  /** The live sessions now, in Zoom's list shape: from the state with webhooks, from the last poll without. */
  async liveSet(): Promise<WireSession[]> {
    if (this.options.mode === 'webhooks') return (await this.liveSessions()).map(toWireSession);
    if (this.previousPoll) return [...this.previousPoll.values()];
    const listed = await this.options.pollLive();
    return listed;
  }

  /** Ticks for a subscriber of the whole live set: one at once, then one after changes, coalesced while it is busy. */
  subscribeLiveSet(onClose: () => void = () => undefined): SubscriberQueue<LiveSetTick> {
    const queue: SubscriberQueue<LiveSetTick> = new SubscriberQueue<LiveSetTick>(
      1,
      () => undefined,
      () => {
        this.liveSetSubscribers.delete(queue);
        this.options.metrics.subscriptions.dec();
        onClose();
      },
      'coalesce',
    );
    this.liveSetSubscribers.add(queue);
    this.options.metrics.subscriptions.inc();
    queue.push({ liveSet: true });
    return queue;
  }

  /** A subscriber's queue; `onOverflow` runs when it falls a whole buffer behind (drop its connection). */
  subscribe(filter: SessionEventFilter, onOverflow: () => void, onClose: () => void = () => undefined): SubscriberQueue<LiveChange> {
    const subscriber: LocalSubscriber = {
      filter,
      queue: new SubscriberQueue<LiveChange>(
        this.options.subscriberBuffer,
        () => {
          this.options.metrics.droppedSubscribers.inc();
          onOverflow();
        },
        () => {
          this.subscribers.delete(subscriber);
          this.options.metrics.subscriptions.dec();
          onClose();
        },
      ),
    };
    this.subscribers.add(subscriber);
    this.options.metrics.subscriptions.inc();
    return subscriber.queue;
  }

  /** Stops reconciling or polling and ends every subscriber's iteration; the seams belong to whoever made them. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.unsubscribeBus();
    for (const subscriber of [...this.subscribers]) subscriber.queue.end();
    for (const queue of [...this.liveSetSubscribers]) queue.end();
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.reconcile().then(
        () => this.schedule(this.options.reconcileMs),
        () => this.schedule(this.reconciled ? this.options.reconcileMs : Math.min(this.options.reconcileMs, RECONCILE_RETRY_MS)),
      );
    }, delayMs);
    this.timer.unref();
  }

  /** Without webhooks: compare this live list with the last one; only starts and ends can be seen. */
  private async poll(): Promise<void> {
    if (this.subscriberCount === 0) {
      this.previousPoll = undefined;
      return;
    }
    let listed: WireSession[];
    try {
      listed = await this.options.pollLive();
    } catch (error) {
      this.options.metrics.reconciliations.inc({ outcome: 'failed' });
      this.options.logger.warn({ err: error }, 'live poll failed');
      return;
    }
    this.options.metrics.reconciliations.inc({ outcome: 'polled' });
    const now = this.options.now();
    const current = new Map(listed.map((session) => [session.id, session]));
    const previous = this.previousPoll;
    this.previousPoll = current;
    if (!previous) return;
    for (const [id, session] of current) {
      if (!previous.has(id)) await this.publish({ type: SessionEventType.SESSION_STARTED, occurredAt: Date.parse(session.start_time) || now, sessionId: id, session, user: null });
    }
    for (const [id, session] of previous) {
      if (!current.has(id)) await this.publish({ type: SessionEventType.SESSION_ENDED, occurredAt: now, sessionId: id, session: { ...session, end_time: new Date(now).toISOString() }, user: null });
    }
  }

  /** The bus never fails its publisher: a shared one is wrapped by its fallback (seams.ts). */
  private async publish(change: LiveChange): Promise<void> {
    await this.options.bus.publish(change);
  }

  private invalidate(): void {
    this.snapshot = undefined;
    this.version += 1;
  }

  private deliver(change: LiveChange): void {
    const started = process.hrtime.bigint();
    this.invalidate();
    for (const { filter, queue } of this.subscribers) {
      if (filter.sessionId !== undefined && filter.sessionId !== change.sessionId) continue;
      if (filter.types !== undefined && !filter.types.has(change.type)) continue;
      queue.push(change);
    }
    if (this.liveSetSubscribers.size > 0) {
      // One tick object per change, shared: subscribers with one document share its execution.
      const tick: LiveSetTick = { liveSet: true };
      for (const queue of this.liveSetSubscribers) queue.push(tick);
    }
    this.options.metrics.deliverySeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
  }
}
