import type { LiveEvent } from './live-event';
import { LIVE_RETENTION_MS } from './live-state';

/**
 * Events taken and not yet applied: Zoom does not resend an acknowledged event
 * (docs/zoom-contract.md §6), so an event answered 200 is either applied or here, on disk. The webhook
 * route holds a place before it answers and refuses (503: Zoom sends it again) when there is none.
 */
export const MAX_PENDING_EVENTS = 10_000;
/**
 * Events this instance applied, kept to be applied again should the shared state be lost (a Redis
 * restarted empty): Zoom's list gives back live sessions, but not who joined them, nor sessions
 * its list does not show yet. The state's rules make a replay harmless (last writer wins by
 * `event_ts`). Bounded by count (about 0.5 KB each) and by how long a live session is kept.
 */
export const MAX_RECENT_EVENTS = 50_000;

export interface PendingEvent {
  readonly event: LiveEvent;
  readonly key: string;
  /** Names this delivery's writes to the state, whatever their retries: a mark naming it is this delivery's own write. */
  readonly writer: string;
  /** A write of it failed, and may have run all the same (a Redis that answered too late). */
  readonly uncertain?: boolean;
}

/** Where the journal's waiting entries are kept beyond the process (journal-file.ts). */
export interface DurableJournal {
  /** Resolves once the entry is on disk; rejects when the disk refused it. */
  keep(entry: PendingEvent): Promise<void>;
  /** The entry with this key left the journal; `pending` is what it still holds. */
  done(key: string, pending: readonly PendingEvent[]): void;
  close(): Promise<void>;
}

/**
 * One instance's journal of webhook events: those waiting for the shared state, and those it took
 * recently. With a file (WEBHOOK_JOURNAL_DIR), those waiting are on disk too, and outlive the process.
 */
export class EventJournal {
  private readonly pending: PendingEvent[] = [];
  /** Each pending entry's key, and its write to the file: a repeat is acknowledged only once the entry is on disk. */
  private readonly pendingKeys = new Map<string, Promise<void>>();
  /** Events admitted by the route and not yet settled: each may still land in `pending`, so each holds a place. */
  private admitted = 0;
  private readonly recent: { readonly event: LiveEvent; readonly at: number }[] = [];
  private recentStart = 0;
  /** Deliveries waiting for their entry to leave the journal (whenGone), by key. */
  private readonly goneWaiters = new Map<string, Set<() => void>>();

  constructor(
    private readonly now: () => number,
    private readonly maxPending: number = MAX_PENDING_EVENTS,
    private readonly maxRecent: number = MAX_RECENT_EVENTS,
    private readonly file?: DurableJournal,
  ) {}

  /** Entries a previous process left in the file, pending again, ahead of anything new. */
  restore(entries: readonly PendingEvent[]): void {
    for (const entry of entries.slice(0, this.maxPending)) {
      if (this.pendingKeys.has(entry.key)) continue;
      this.pending.push(entry);
      this.pendingKeys.set(entry.key, Promise.resolve());
    }
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** Whether a kept entry outlives this process: with a file it does once on disk; without, only once applied. */
  get durable(): boolean {
    return this.file !== undefined;
  }

  /**
   * Resolves true once the entry with this key has left the journal (taken by the state, or found
   * nothing new), false when it is still waiting after `withinMs`.
   */
  whenGone(key: string, withinMs: number): Promise<boolean> {
    if (!this.pendingKeys.has(key)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiters = this.goneWaiters.get(key) ?? new Set<() => void>();
      this.goneWaiters.set(key, waiters);
      const gone = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        waiters.delete(gone);
        if (waiters.size === 0 && this.goneWaiters.get(key) === waiters) this.goneWaiters.delete(key);
        resolve(false);
      }, withinMs);
      timer.unref();
      waiters.add(gone);
    });
  }

  /** Holds a place for an event about to be acknowledged; false when none is left. */
  admit(): boolean {
    if (this.pending.length + this.admitted >= this.maxPending) return false;
    this.admitted += 1;
    return true;
  }

  /** The admitted event was taken (applied, kept, or found to be nothing new): its place is free. */
  settle(): void {
    if (this.admitted > 0) this.admitted -= 1;
  }

  isPending(key: string): boolean {
    return this.pendingKeys.has(key);
  }

  /**
   * Admission kept a place for every admitted event, so this never drops one; a repeat is kept once.
   * Resolves once the entry is on disk, with a file; rejects when the disk refused it.
   */
  keep(entry: PendingEvent): Promise<void> {
    const kept = this.pendingKeys.get(entry.key);
    if (kept !== undefined) return kept;
    this.pending.push(entry);
    return this.writeDown(entry);
  }

  /**
   * A repeat of a pending entry: resolves once the entry is on disk. If the disk refused it, it is
   * written again for this repeat (which is answered 503 should that fail too: Zoom sends it again).
   */
  whenKept(key: string): Promise<void> {
    const kept = this.pendingKeys.get(key);
    if (kept === undefined) return Promise.resolve();
    return kept.catch(() => {
      const entry = this.pending.find((each) => each.key === key);
      return entry && this.pendingKeys.has(key) ? this.writeDown(entry) : undefined;
    });
  }

  /** Writes a pending entry to the file (if any), remembered by its key for a repeat to await. */
  private writeDown(entry: PendingEvent): Promise<void> {
    const written = this.file ? this.file.keep(entry) : Promise.resolve();
    // Awaited by this delivery, and by a repeat's; a failure is answered 503 to each, never unhandled.
    written.catch(() => undefined);
    this.pendingKeys.set(entry.key, written);
    return written;
  }

  /** The oldest pending entry, to be offered to the shared state first (subscribers see events in Zoom's order). */
  oldest(): PendingEvent | undefined {
    return this.pending[0];
  }

  /**
   * The oldest entry was offered again and could not be taken; `uncertain` when the write failed (it
   * may have run).
   */
  retry(uncertain: boolean): void {
    if (this.pending.length === 0) return;
    const oldest = this.pending[0];
    this.pending[0] = { ...oldest, uncertain: oldest.uncertain === true || uncertain };
  }

  /** Drops the oldest pending entry: it was applied, or found to be nothing new. */
  done(): void {
    const entry = this.pending.shift();
    if (!entry) return;
    this.pendingKeys.delete(entry.key);
    this.file?.done(entry.key, this.pending);
    const waiters = this.goneWaiters.get(entry.key);
    if (waiters === undefined) return;
    this.goneWaiters.delete(entry.key);
    for (const gone of waiters) gone();
  }

  /** Writes out what the file still has queued, and lets its directory go. */
  async close(): Promise<void> {
    await this.file?.close();
  }

  /** Remembers an applied event, for a replay after a loss of the shared state. */
  applied(event: LiveEvent): void {
    this.recent.push({ event, at: this.now() });
    this.prune();
  }

  /** The events applied recently, oldest first. */
  recentEvents(): LiveEvent[] {
    this.prune();
    return this.recent.slice(this.recentStart).map((entry) => entry.event);
  }

  private prune(): void {
    const oldest = this.now() - LIVE_RETENTION_MS;
    while (this.recentStart < this.recent.length && (this.recent.length - this.recentStart > this.maxRecent || this.recent[this.recentStart].at < oldest)) this.recentStart += 1;
    // Compact now and then rather than shift one at a time.
    if (this.recentStart > 1_024 && this.recentStart * 2 > this.recent.length) {
      this.recent.splice(0, this.recentStart);
      this.recentStart = 0;
    }
  }
}
