import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { SessionUser } from '../sessions/session-user.type';
import type { WireSession } from '../zoom/wire';
import { DeliveryPacer } from './delivery-pacer';
import { contextOfTraceparent, currentTraceparent, inSpanNow } from '../tracing/spans';
import type { LiveEventBus } from './event-bus';
import { EventJournal, MAX_PENDING_EVENTS, MAX_RECENT_EVENTS } from './event-journal';
import type { OpenJournalFile } from './journal-file';
import type { LiveChange } from './live-change';
import type { LiveGeneration } from './live-generation';
import type { LiveListing } from './live-list-walk';
import type { LiveMetrics } from './live-metrics';
import { LiveParticipant, LiveSessionRecord, LiveState, toLiveSessionUser, toWireSession } from './live-state';
import { LivePoll } from './live-poll';
import { LiveWatch } from './live-watch';
import type { ReconcileLease } from './reconcile-lease';
import { ReconcileReport, Reconciler } from './reconciler';
import { SessionEventType } from './session-event-type.enum';
import { ShownSessions } from './shown-sessions';
import { SubscriberQueue } from './subscriber-queue';
import type { WebhookDedup } from './webhook-dedup';
import { WebhookIntake, WebhookOutcome } from './webhook-intake';

export type { WebhookOutcome };

/** A live list read through the page cache is this fresh at most: more often would only re-read the cache. */
const SNAPSHOT_TTL_MS = 1_000;

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
  /** The state's mark of being whole, beside its keys. */
  readonly generation: LiveGeneration;
  /** Which instance reconciles. */
  readonly lease: ReconcileLease;
  /** Zoom's whole live list, straight from Zoom (reconciliation must not read a cached page). */
  readonly listLive: () => Promise<LiveListing>;
  /** The live list through the page cache, shared with LIVE queries (polling mode). */
  readonly pollLive: () => Promise<WireSession[]>;
  readonly reconcileMs: number;
  readonly pollMs: number;
  readonly subscriberBuffer: number;
  readonly now: () => number;
  readonly logger: Logger;
  readonly metrics: LiveMetrics;
  /**
   * A session this instance read in the shared state and no longer finds there, or finds there
   * for the first time: its lists changed, whether or not the bus has told this instance yet
   * (the instance that took the webhook writes the state before it publishes).
   */
  readonly onListChanged?: (session: WireSession) => void;
  /** The journal's file (WEBHOOK_JOURNAL_DIR), and what a previous process left in it. */
  readonly journalFile?: OpenJournalFile;
}

/** A "the live set may have changed" signal; subscribers of the whole set read it when they take it. */
export interface LiveSetTick {
  readonly liveSet: true;
}

interface LocalSubscriber {
  readonly filter: SessionEventFilter;
  readonly queue: SubscriberQueue<LiveChange>;
}

/** Live sessions, their participants and their events, whichever way they are learnt. */
export class LiveFeed {
  private readonly subscribers = new Set<LocalSubscriber>();
  private readonly liveSetSubscribers = new Set<SubscriberQueue<LiveSetTick>>();
  private readonly unsubscribeBus: () => void;
  private snapshot: { readonly at: number; readonly records: Promise<LiveSessionRecord[]> } | undefined;
  private version = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly shown = new ShownSessions();
  private readonly intake: WebhookIntake;
  private readonly reconciler: Reconciler;
  private readonly watch: LiveWatch;
  private readonly pacer: DeliveryPacer<LiveChange>;
  private readonly polling: LivePoll;
  /** The sessions of the last whole read of the state, by id: what the next read is compared with. */
  private lastRead: Map<string, LiveSessionRecord> | undefined;
  /** Reads started, and the latest whose result was compared: reads may overlap and end out of order. */
  private readsStarted = 0;
  private readCompared = 0;

  constructor(private readonly options: LiveFeedOptions) {
    const { state, metrics, logger, now } = options;
    const announced = (id: string) => this.shown.startShown(id);
    const publish = (change: LiveChange) => this.publish(change);
    const journal = new EventJournal(now, MAX_PENDING_EVENTS, MAX_RECENT_EVENTS, options.journalFile?.file);
    journal.restore(options.journalFile?.pending ?? []);
    this.intake = new WebhookIntake({ state, dedup: options.dedup, journal, publish, announced, metrics, logger });
    const endShown = (id: string) => this.shown.endShown(id);
    this.reconciler = new Reconciler({ state, generation: options.generation, listLive: options.listLive, announced, endShown, publish, now, logger, metrics });
    this.watch = new LiveWatch({
      generation: options.generation,
      lostWrites: () => state.lostWrites(),
      onStateChanged: () => this.invalidate(),
      lease: options.lease,
      instance: randomUUID(),
      reconcile: () => this.runReconciliation(),
      replay: () => this.intake.replayRecent(),
      // An instance that starts beside a whole state: the live sessions in it were shown to subscribers already.
      onFirstWhole: async () => {
        for (const record of await state.liveSessions()) this.shown.live(record.id);
      },
      reconcileMs: options.reconcileMs,
      now,
      logger,
      metrics,
    });
    this.polling = new LivePoll({ pollLive: options.pollLive, listening: () => this.subscriberCount > 0, publish, now, logger, metrics });
    this.pacer = new DeliveryPacer(
      (change) => this.deliver(change),
      () => [...this.subscribers].some(({ queue }) => queue.full),
      () => {
        for (const { queue } of [...this.subscribers]) queue.dropIfFull();
      },
    );
    this.unsubscribeBus = options.bus.subscribe((change) => {
      this.invalidate();
      this.pacer.push(change);
    });
  }

  get metrics(): LiveMetrics { return this.options.metrics; }

  get mode(): LiveFeedOptions['mode'] { return this.options.mode; }

  /** The state's generation mark as this instance knows it: what was read beside an older one may be gone from the state. */
  get stateMark(): string | undefined { return this.watch.mark; }

  /** Bumped whenever the live set may have changed: pages built from an older one are stale. */
  get stateVersion(): number { return this.version; }

  get subscriberCount(): number { return this.subscribers.size + this.liveSetSubscribers.size; }

  /** Webhooks configured and the state whole when last looked at: LIVE queries need no Zoom call. */
  servesLive(): boolean {
    return this.options.mode === 'webhooks' && this.watch.isWhole;
  }

  /** Events taken and waiting for the shared state (on disk and acknowledged, or in memory and answered 503). */
  get pendingEvents(): number { return this.intake.pending; }

  /** Watches the state and the lease, reconciling when they call for it (webhooks), or polls while anyone subscribes. */
  start(): void {
    if (this.options.mode === 'webhooks') {
      this.watch.start();
      this.intake.resume();
    } else {
      this.timer = setInterval(() => void this.polling.poll(), this.options.pollMs);
      this.timer.unref();
    }
  }

  /**
   * For the webhook route, before it answers: resolves true once the event is safe (applied, or
   * journalled on disk), false otherwise. An event answered 200 must be applied; one answered
   * otherwise is sent again by Zoom.
   */
  accept(body: unknown, onError: (error: unknown) => void): Promise<boolean> {
    return this.intake.accept(body, onError);
  }

  /** Takes one verified webhook body; never throws. */
  receive(body: unknown): Promise<WebhookOutcome> {
    return this.intake.receive(body);
  }

  /** Forces one reconciliation now, on this instance, whoever holds the lease (tests). */
  reconcile(): Promise<void> {
    return this.watch.reconcileNow();
  }

  /**
   * The live sessions now, read at most once a second per instance (and again after any change).
   * Fails, so LIVE is read from Zoom, when the state is not whole: its mark is read after the
   * sessions, so a state lost before or during the read is never taken for an empty truth.
   */
  liveSessions(): Promise<LiveSessionRecord[]> {
    const now = this.options.now();
    if (!this.snapshot || now - this.snapshot.at >= SNAPSHOT_TTL_MS) {
      const records = this.readWhole();
      this.snapshot = { at: now, records };
      records.catch(() => {
        if (this.snapshot?.records === records) this.snapshot = undefined;
      });
    }
    return this.snapshot.records;
  }

  /** One session the state keeps, live or recently ended: where a LIVE page's cursor stood after its session ended. */
  session(sessionId: string): Promise<LiveSessionRecord | undefined> {
    return this.options.state.session(sessionId);
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
    // A state not whole is no answer: Zoom's list (through the page cache) stands in for it.
    if (this.options.mode === 'webhooks') return this.liveSessions().then((records) => records.map(toWireSession), () => this.options.pollLive());
    return this.polling.liveSet();
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

  /** Stops reconciling or polling and ends every subscriber's iteration (the seams are their maker's); resolves once the journal's file has what was queued for it. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.watch.close();
    this.pacer.close();
    this.unsubscribeBus();
    for (const subscriber of [...this.subscribers]) subscriber.queue.end();
    for (const queue of [...this.liveSetSubscribers]) queue.end();
    await this.intake.close();
  }

  private async readWhole(): Promise<LiveSessionRecord[]> {
    const read = ++this.readsStarted;
    const records = await this.options.state.liveSessions();
    if (this.options.mode === 'webhooks' && !this.watch.confirms(await this.options.generation.read())) {
      throw new Error('the live state is not whole: LIVE is read from Zoom while it is rebuilt');
    }
    // An older read ending after a newer one is not compared: it would tell of changes undone at once.
    if (read > this.readCompared) {
      this.readCompared = read;
      this.noteListChanges(records);
    }
    return records;
  }

  /** Tells of the sessions that came or went since the last read, before LIVE answers without them. */
  private noteListChanges(records: readonly LiveSessionRecord[]): void {
    const onListChanged = this.options.onListChanged;
    if (onListChanged === undefined) return;
    const previous = this.lastRead;
    const current = new Map(records.map((record) => [record.id, record]));
    this.lastRead = current;
    if (previous === undefined) return;
    for (const [id, record] of previous) if (!current.has(id)) onListChanged(toWireSession(record));
    for (const [id, record] of current) if (!previous.has(id)) onListChanged(toWireSession(record));
  }

  private async runReconciliation(): Promise<ReconcileReport> {
    const { metrics, logger } = this.options;
    try {
      const report = await this.reconciler.run();
      this.invalidate();
      return report;
    } catch (error) {
      metrics.reconciliations.inc({ outcome: 'failed' });
      logger.warn({ err: error }, 'live state reconciliation failed; the next one will try again');
      throw error;
    }
  }

  /** The bus never fails its publisher: a shared one is wrapped by its fallback (seams.ts). */
  private async publish(change: LiveChange): Promise<void> {
    const traceparent = currentTraceparent();
    await this.options.bus.publish(traceparent === undefined ? change : { ...change, traceparent });
  }

  private invalidate(): void {
    this.snapshot = undefined;
    this.version += 1;
  }

  private deliver(change: LiveChange): void {
    if (change.traceparent === undefined) return this.deliverNow(change);
    const attributes = { 'zoom.event': change.type, 'zoom.session_id': change.sessionId, 'live.subscribers': this.subscriberCount };
    inSpanNow('live deliver', { parent: contextOfTraceparent(change.traceparent), attributes }, () => this.deliverNow(change));
  }

  private deliverNow(change: LiveChange): void {
    const started = process.hrtime.bigint();
    this.invalidate();
    this.shown.delivered(change);
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
