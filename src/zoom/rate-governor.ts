import { isRefresh } from './call-purpose';
import { ZoomBudgetError } from './errors';
import type { GovernorStore } from './governor-store';
import { MemoryGovernorStore } from './memory-governor-store';
import { RateBudget, pacingOf } from './pacing';
import type { Timers } from '../time/timers';

export type { RateBudget } from './pacing';
export { RATE_WINDOW_MARGIN_FLOOR_MS, windowMarginMs } from './pacing';

/** Zoom's rate-limit labels (../shared/zoom-api.md §5); each endpoint belongs to one. */
export type RateLabel = 'resource-intensive' | 'heavy' | 'medium';

/** "Heavy and Resource-intensive share one daily cap" (../shared/zoom-api.md §5, H/M). */
export const DAILY_CAPPED_LABELS: ReadonlySet<RateLabel> = new Set<RateLabel>(['heavy', 'resource-intensive']);

export interface GovernorState {
  readonly limit: number;
  /** Slots reserved ahead of now: calls paced but not yet due, or just sent in a burst. */
  readonly used: number;
  /** Calls of this instance waiting for their slot. */
  readonly queued: number;
  readonly pausedForMs: number;
  readonly dailyUsed: number;
}

export interface RateGovernorOptions {
  /** A label without a budget cannot be called: acquiring it throws. */
  readonly budgets: Partial<Record<RateLabel, RateBudget>>;
  readonly maxWaitMs: number;
  readonly timers: Timers;
  /** The daily cap of Heavy plus Resource-intensive calls; 0 for none. */
  readonly dailyLimit: number;
  /** Where slots are kept; this process's memory unless the instances share Redis. */
  readonly store?: GovernorStore;
  /**
   * The share of the queue kept for refreshing pages clients are using: other calls are refused
   * once their wait would pass (1 - share) of maxWaitMs, refreshes may wait the whole of it.
   */
  readonly refreshShare?: number;
}

/**
 * Paces Zoom calls so that the gateway's own traffic never makes Zoom answer 429: every call
 * reserves the next evenly spaced slot of its label (after a small burst), waits for it up to
 * `maxWaitMs`, or is refused at once with the honest wait.
 */
export class RateGovernor {
  private readonly budgets = new Map<RateLabel, RateBudget>();
  private readonly queued = new Map<RateLabel, number>();
  /** Local clock: when this instance last learned a slot would be free, for synchronous hints. */
  private readonly freeAt = new Map<RateLabel, number>();
  private readonly store: GovernorStore;

  constructor(private readonly options: RateGovernorOptions) {
    for (const [label, budget] of Object.entries(options.budgets) as [RateLabel, RateBudget][]) this.budgets.set(label, budget);
    this.store = options.store ?? new MemoryGovernorStore(() => options.timers.now());
  }

  /** The wait, in ms, until a call of this label could be sent, as this instance last learned it. */
  nextSlotIn(label: RateLabel): number {
    this.budget(label);
    return Math.max(0, (this.freeAt.get(label) ?? 0) - this.options.timers.now());
  }

  /** Resolves when the call may be sent (its slot is then spent); throws ZoomBudgetError when the wait would exceed maxWaitMs. */
  async acquire(label: RateLabel): Promise<number> {
    const budget = this.budget(label);
    const { timers } = this.options;
    const started = timers.now();
    const deadline = started + (isRefresh() ? this.options.maxWaitMs : this.options.maxWaitMs * (1 - (this.options.refreshShare ?? 0)));
    const dailyLimit = DAILY_CAPPED_LABELS.has(label) ? this.options.dailyLimit : 0;
    for (;;) {
      const answer = await this.store.reserve({ label, budget, maxWaitMs: Math.max(0, deadline - timers.now()), dailyLimit });
      const now = timers.now();
      if (!answer.granted) {
        this.freeAt.set(label, now + answer.waitMs);
        throw new ZoomBudgetError(label, answer.waitMs, answer.reason);
      }
      this.freeAt.set(label, now + answer.waitMs + pacingOf(budget).intervalMs);
      if (answer.waitMs <= 0) return now - started;
      await this.waitFor(label, answer.waitMs);
      // Zoom may have answered 429 while this call waited: it queues again behind the pause.
      if ((await this.store.pausedFor(label)) <= 0) return timers.now() - started;
    }
  }

  private async waitFor(label: RateLabel, ms: number): Promise<void> {
    this.queued.set(label, (this.queued.get(label) ?? 0) + 1);
    try {
      await this.options.timers.sleep(ms);
    } finally {
      this.queued.set(label, (this.queued.get(label) ?? 1) - 1);
    }
  }

  /** Zoom said 429: nothing of this label is sent before `untilMs` (this host's clock), by any instance sharing the store. */
  pause(label: RateLabel, untilMs: number): void {
    this.budget(label);
    const forMs = untilMs - this.options.timers.now();
    if (forMs <= 0) return;
    this.freeAt.set(label, Math.max(this.freeAt.get(label) ?? 0, untilMs));
    // A store that fails has its own fallback; the pause must never fail the Zoom call that caused it.
    this.store.pause(label, forMs).catch(() => undefined);
  }

  async snapshot(label: RateLabel): Promise<GovernorState> {
    const budget = this.budget(label);
    const usage = await this.store.usage(label, budget);
    return { limit: budget.limit, used: usage.committed, queued: this.queued.get(label) ?? 0, pausedForMs: usage.pausedForMs, dailyUsed: usage.dailyUsed };
  }

  /** The label's budget as configured: its limit and its window. */
  budgetOf(label: RateLabel): RateBudget {
    return this.budget(label);
  }

  /** Zoom's daily cap of Heavy plus Resource-intensive calls; 0 when none is counted. */
  get dailyLimit(): number {
    return this.options.dailyLimit;
  }

  private budget(label: RateLabel): RateBudget {
    const budget = this.budgets.get(label);
    if (!budget) throw new Error(`no rate budget for label ${label}`);
    return budget;
  }
}
