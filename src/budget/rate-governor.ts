import { randomUUID } from 'node:crypto';
import { isRefresh } from '../zoom/call-purpose';
import { ZoomBudgetError } from '../zoom/errors';
import { MAX_RETRY_AFTER_MS } from '../zoom/retry-after';
import type { Timers } from '../time/timers';
import type { GovernorStore } from './governor-store';
import { MemoryGovernorStore } from './governor-store.memory';
import { DAILY_CAPPED_LABELS, RateBudget, RateLabel } from './rate-label';

export type { RateBudget, RateLabel } from './rate-label';
export { DAILY_CAPPED_LABELS, RATE_WINDOW_MARGIN_SHARE, windowMarginMs } from './rate-label';

export interface GovernorState {
  readonly limit: number;
  /** Calls counted in the window: sent within it, or queued for a slot in it. */
  readonly used: number;
  /** Calls of this instance waiting for their slot. */
  readonly queued: number;
  readonly pausedForMs: number;
  readonly dailyUsed: number;
}

/** A granted call: how long it waited for its slot, and what to say of it until Zoom has counted it. */
export interface SlotGrant {
  readonly waitedMs: number;
  /** Not counted by Zoom yet: see GovernorStore.hold. Never throws. */
  hold(): void;
  /** `true` once Zoom has counted the call, `false` if it never left: see GovernorStore.settle. Never throws. */
  settle(sent: boolean): void;
}

export interface RateGovernorOptions {
  /** A label without a budget cannot be called: acquiring it throws. */
  readonly budgets: Partial<Record<RateLabel, RateBudget>>;
  readonly maxWaitMs: number;
  readonly timers: Timers;
  /** The daily cap of Heavy plus Resource-intensive calls; 0 for none. */
  readonly dailyLimit: number;
  /** Where windows are kept; this process's memory unless the instances share Redis. */
  readonly store?: GovernorStore;
  /**
   * The share of the queue kept for refreshing pages clients are using: other calls are refused
   * once their wait would pass (1 - share) of maxWaitMs, refreshes may wait the whole of it.
   */
  readonly refreshShare?: number;
}

/**
 * How often an instance sharing the budget reads what the windows and the day hold (RateGovernor.watch): the
 * Heavy window is a second, and what was read counts for a window and its margin after.
 */
export const SHARED_USAGE_READ_MS = 1_000;

/**
 * Spends each label's budget as Zoom counts it: a call goes at once while the window holds fewer
 * than the limit (a quiet gateway may send its whole budget together), otherwise it waits for the
 * slot the oldest call frees, up to `maxWaitMs`, or is refused at once with the honest wait.
 */
export class RateGovernor {
  private readonly budgets = new Map<RateLabel, RateBudget>();
  private readonly queued = new Map<RateLabel, number>();
  /** Local clock: when this instance last learned a slot would be free, for synchronous hints. */
  private readonly freeAt = new Map<RateLabel, number>();
  private readonly store: GovernorStore;
  /** Tickets name calls in a store shared by instances: this instance's id, then a count. */
  private readonly instance = randomUUID();
  private tickets = 0;

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
  async acquire(label: RateLabel): Promise<SlotGrant> {
    const budget = this.budget(label);
    const ticket = `${this.instance}:${(this.tickets += 1)}`;
    const grant = (waitedMs: number): SlotGrant => ({
      waitedMs,
      // A store that fails has its own fallback; settling must never fail the call it follows.
      hold: () => void this.store.hold(label, budget, ticket).catch(() => undefined),
      settle: (sent) => void this.store.settle(label, budget, ticket, sent).catch(() => undefined),
    });
    try {
      return grant(await this.waitForSlot(label, budget, ticket));
    } catch (error) {
      // Refused while paused after its slot was granted: the slot is given back.
      this.store.settle(label, budget, ticket, false).catch(() => undefined);
      throw error;
    }
  }

  private async waitForSlot(label: RateLabel, budget: RateBudget, ticket: string): Promise<number> {
    const { timers } = this.options;
    const started = timers.now();
    const deadline = started + (isRefresh() ? this.options.maxWaitMs : this.options.maxWaitMs * (1 - (this.options.refreshShare ?? 0)));
    const dailyLimit = DAILY_CAPPED_LABELS.has(label) ? this.options.dailyLimit : 0;
    const answer = await this.store.reserve({ label, budget, ticket, maxWaitMs: Math.max(0, deadline - timers.now()), dailyLimit });
    const now = timers.now();
    if (!answer.granted) {
      this.freeAt.set(label, now + answer.waitMs);
      throw new ZoomBudgetError(label, answer.waitMs, answer.reason);
    }
    this.freeAt.set(label, now + answer.waitMs);
    if (answer.waitMs <= 0) return now - started;
    await this.waitFor(label, answer.waitMs);
    // Calls sent meanwhile (counted from when they were over) or a Zoom 429 may have moved its slot.
    for (let leftMs = await this.store.confirm(label, budget, ticket); leftMs > 0; leftMs = await this.store.confirm(label, budget, ticket)) {
      const now = timers.now();
      if (now + leftMs > deadline) {
        this.freeAt.set(label, now + leftMs);
        throw new ZoomBudgetError(label, leftMs, (await this.store.pausedFor(label)) > 0 ? 'paused' : 'queue');
      }
      await this.waitFor(label, leftMs);
    }
    return timers.now() - started;
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
    const forMs = Math.min(MAX_RETRY_AFTER_MS, untilMs - this.options.timers.now());
    if (forMs <= 0) return;
    this.freeAt.set(label, Math.max(this.freeAt.get(label) ?? 0, this.options.timers.now() + forMs));
    // A store that fails has its own fallback; the pause must never fail the Zoom call that caused it.
    this.store.pause(label, forMs).catch(() => undefined);
  }

  async snapshot(label: RateLabel): Promise<GovernorState> {
    const budget = this.budget(label);
    const usage = await this.store.usage(label, budget);
    return { limit: budget.limit, used: usage.inWindow, queued: this.queued.get(label) ?? 0, pausedForMs: usage.pausedForMs, dailyUsed: usage.dailyUsed };
  }

  /**
   * Reads every label's usage every `everyMs`, so that a shared store learns what the other instances spent while
   * this one sends nothing: should Redis go away, this instance's local share then goes only on top of that
   * (governor-store.fallback.ts). Returns the stop.
   */
  watch(everyMs: number): () => void {
    let reading = false;
    const timer = setInterval(() => {
      if (reading) return;
      reading = true;
      void Promise.all([...this.budgets].map(([label, budget]) => this.store.usage(label, budget).catch(() => undefined))).finally(() => {
        reading = false;
      });
    }, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** The label's budget as configured: its limit and its window. */
  budgetOf(label: RateLabel): RateBudget {
    return this.budget(label);
  }

  /** The time budgets and the daily cap are counted on: real time, as Zoom counts them (Redis's, when shared). */
  now(): number {
    return this.options.timers.now();
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
