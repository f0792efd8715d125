import type { Logger } from 'pino';
import type { LiveGeneration } from './live-generation';
import type { LiveMetrics } from './live-metrics';
import type { ReconcileLease } from './reconcile-lease';
import type { ReconcileReport } from './reconciler';

/** How often an instance looks at the lease and the generation mark while the state is whole, at most. */
const WATCH_WHOLE_MS = 5_000;
/** The same while it is not (lost, unreachable, never reconciled): a return of Redis is noticed within this. */
const WATCH_NOT_WHOLE_MS = 250;
/** Marks an instance remembers having read: a snapshot older than this many rebuilds brings back one it forgot. */
const MARKS_REMEMBERED = 16;
/** After a failed or partial reconciliation, try again this soon rather than a whole interval later. */
export const RECONCILE_RETRY_MS = 30_000;

export interface LiveWatchOptions {
  readonly generation: LiveGeneration;
  /** Whether the state lost writes of this instance's since the last look (LiveState.lostWrites). */
  readonly lostWrites: () => Promise<boolean>;
  readonly lease: ReconcileLease;
  /** This instance, as the lease knows it. */
  readonly instance: string;
  readonly reconcile: () => Promise<ReconcileReport>;
  /** Applies again what this instance applied: the shared state was lost since it last looked. */
  readonly replay: () => Promise<number>;
  /** The state this instance reads changed under it (lost, rebuilt, replayed): what was built from an earlier read is stale. */
  readonly onStateChanged: () => void;
  /** The state is whole for the first time on this instance (seen by its reconciliation or another's). */
  readonly onFirstWhole: () => Promise<void>;
  readonly reconcileMs: number;
  readonly now: () => number;
  readonly logger: Logger;
  readonly metrics: LiveMetrics;
}

/**
 * Every instance watches the state's generation mark and asks for the reconcile lease; the holder
 * reconciles when the interval is up, at once when the state was lost, and at once when it has just
 * taken over. The lease lasts one interval and is renewed at least twice in one, so a dead holder's
 * lease lapses within an interval and another instance reconciles within half an interval more.
 */
export class LiveWatch {
  /** The mark this instance last read: undefined before the first read. */
  private knownMark: string | null | undefined;
  private whole = false;
  private needsReplay = false;
  /** The store was seen to count fewer of this instance's writes, and the mark it outlived is not forgotten yet. */
  private wentBack = false;
  /** The marks this instance read, the latest last (a few): a restore may bring back one it knew before a rebuild. */
  private readonly marksSeen: string[] = [];
  private seeded = false;
  private leaseHeld = false;
  private nextReconcileAt = 0;
  private reconciling: Promise<void> | undefined;
  private watching: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: LiveWatchOptions) {}

  /** The state is whole (its mark is the one this instance knows) and holds what this instance applied. */
  get isWhole(): boolean {
    return this.whole;
  }

  /** The mark this instance knows: a lost state rebuilt gets a new one. */
  get mark(): string | undefined {
    return this.knownMark ?? undefined;
  }

  start(): void {
    this.watchIn(0);
  }

  /** Looks again now (a query found the mark other than known). */
  check(): void {
    this.watchIn(0);
  }

  /** The mark a query just read: whether the state is still the whole one this instance knows. */
  confirms(mark: string | null): boolean {
    if (mark === null || mark !== this.knownMark) {
      this.whole = false;
      this.check();
      return false;
    }
    return this.whole;
  }

  /** Forces one reconciliation now, whoever holds the lease (tests, and a caller that must not wait). */
  async reconcileNow(): Promise<void> {
    await this.runReconcile();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.leaseHeld) this.options.lease.release(this.options.instance).catch(() => undefined);
  }

  private watchIn(delayMs: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.watching ??= this.watch().finally(() => {
        this.watching = undefined;
        const every = Math.min(this.options.reconcileMs / 2, this.whole ? WATCH_WHOLE_MS : WATCH_NOT_WHOLE_MS);
        this.watchIn(every);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async watch(): Promise<void> {
    const { generation, lease, instance, reconcileMs, now } = this.options;
    // The mark and this instance's count of writes, asked together (one round trip, as a look took before the count):
    // the count at every look, the mark lost or not, so its baseline follows the store back after a loss already seen.
    const [read, lost] = await Promise.all([generation.read().then((value) => ({ value }), () => undefined), this.options.lostWrites().catch(() => false)]);
    let mark: string | null | undefined = read?.value;
    // Unreachable: not whole, nothing learnt about a loss until it answers again.
    if (read === undefined) this.whole = false;
    if (lost) {
      this.wentBack = true;
      // Whatever the mark: writes of this instance's are gone, and are given again.
      this.needsReplay = true;
    }
    if (this.wentBack && mark !== undefined) {
      this.wentBack = false;
      // A mark this instance knew outlived writes made under it (an older snapshot, a replica behind its primary): the
      // state is lost to every instance, so each gives it again what it applied, and the lease holder rebuilds it.
      // A mark it never saw is a rebuild made since, which note() takes for the loss it is.
      if (mark !== null && this.marksSeen.includes(mark)) {
        this.options.logger.warn('live state went back in time (Redis came back from an older snapshot, or a replica behind its primary took over): it is rebuilt');
        if (await generation.forget(mark).then(() => true, () => false)) mark = null;
        else {
          // Not whole, and asked again at the next look: the restored state must not pass for the truth meanwhile.
          this.wentBack = true;
          this.whole = false;
          mark = undefined;
        }
      }
    }
    if (mark !== undefined) await this.note(mark);
    const held = await lease.acquire(instance, reconcileMs).catch(() => false);
    const tookOver = held && !this.leaseHeld;
    this.leaseHeld = held;
    if (held && !this.reconciling && (tookOver || now() >= this.nextReconcileAt)) {
      this.reconciling = this.runReconcile().catch(() => undefined).finally(() => {
        this.reconciling = undefined;
      });
    }
  }

  private async note(mark: string | null): Promise<void> {
    const { logger, metrics } = this.options;
    const known = this.knownMark;
    const wasWhole = this.whole;
    if (known !== undefined && known !== mark && known !== null) {
      // The mark this instance knew is gone (a Redis restarted empty), or replaced by a rebuild it did not see.
      metrics.reconciliations.inc({ outcome: 'lost' });
      logger.warn('live state lost (its generation mark is gone or new): LIVE is read from Zoom until it is whole again');
      this.needsReplay = true;
      if (mark === null) this.nextReconcileAt = 0;
    }
    this.knownMark = mark;
    if (mark !== null && !this.marksSeen.includes(mark)) {
      this.marksSeen.push(mark);
      if (this.marksSeen.length > MARKS_REMEMBERED) this.marksSeen.shift();
    }
    if (this.needsReplay) {
      try {
        const replayed = await this.options.replay();
        this.needsReplay = false;
        logger.info({ replayed }, 'events this instance applied were applied again to the rebuilt live state');
      } catch (error) {
        logger.warn({ err: error }, 'replay to the live state failed; it will be tried again');
      }
    }
    this.whole = mark !== null && !this.needsReplay;
    if (known !== mark || wasWhole !== this.whole) this.options.onStateChanged();
    if (this.whole && !this.seeded) {
      this.seeded = true;
      await this.options.onFirstWhole().catch(() => {
        this.seeded = false;
      });
    }
  }

  private async runReconcile(): Promise<void> {
    const { reconcileMs, now } = this.options;
    this.nextReconcileAt = now() + reconcileMs;
    try {
      const report = await this.options.reconcile();
      if (!report.complete) this.nextReconcileAt = now() + Math.min(reconcileMs, RECONCILE_RETRY_MS);
      // A rebuild by this instance: it wrote the mark after reading none, so it saw the loss (or learns of it here).
      if (report.generation !== null) await this.note(report.generation);
    } catch (error) {
      this.nextReconcileAt = now() + Math.min(reconcileMs, RECONCILE_RETRY_MS);
      throw error;
    }
  }
}
