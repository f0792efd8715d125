import { ZoomBudgetError } from './errors';
import type { Timers } from './timers';

/** Zoom's rate-limit labels (../shared/zoom-api.md §5); each endpoint belongs to one. */
export type RateLabel = 'resource-intensive' | 'medium' | 'heavy';

export interface RateBudget {
  /** Calls allowed in any window. */
  readonly limit: number;
  readonly windowMs: number;
}

/**
 * Zoom counts per minute per account; our clock and Zoom's never agree to the millisecond and
 * calls spend time in flight, so our window is a little longer than Zoom's: a sixtieth of it
 * (1 s a minute), and never less than this floor.
 */
export const RATE_WINDOW_MARGIN_FLOOR_MS = 250;

export function windowMarginMs(windowMs: number): number {
  return Math.max(RATE_WINDOW_MARGIN_FLOOR_MS, Math.round(windowMs / 60));
}

export interface GovernorState {
  readonly limit: number;
  /** Calls sent or scheduled in the current window. */
  readonly used: number;
  /** Calls waiting for their slot. */
  readonly queued: number;
  readonly pausedForMs: number;
}

interface LabelState {
  readonly budget: RateBudget;
  /** Send times, ascending: past calls still in the window and slots reserved by waiting calls. */
  schedule: number[];
  queued: number;
  pausedUntil: number;
}

/**
 * Paces Zoom calls so that the gateway's own traffic never makes Zoom answer 429: every call
 * reserves the earliest slot that keeps at most `limit` sends in any window, waits for it up
 * to `maxWaitMs`, or is refused at once with the honest wait.
 */
export class RateGovernor {
  private readonly labels = new Map<RateLabel, LabelState>();

  constructor(
    /** A label without a budget cannot be called: acquiring it throws. */
    budgets: Partial<Record<RateLabel, RateBudget>>,
    private readonly maxWaitMs: number,
    private readonly timers: Timers,
  ) {
    for (const [label, budget] of Object.entries(budgets) as [RateLabel, RateBudget][]) {
      this.labels.set(label, { budget, schedule: [], queued: 0, pausedUntil: 0 });
    }
  }

  /** The wait, in ms, until a call of this label could be sent. */
  nextSlotIn(label: RateLabel): number {
    const state = this.state(label);
    const now = this.timers.now();
    return Math.max(0, this.slotFor(state, now) - now);
  }

  /** Resolves when the call may be sent (its slot is then spent); throws ZoomBudgetError when the wait would exceed maxWaitMs. */
  async acquire(label: RateLabel): Promise<number> {
    const state = this.state(label);
    const started = this.timers.now();
    const deadline = started + this.maxWaitMs;
    for (;;) {
      const now = this.timers.now();
      const slot = this.slotFor(state, now);
      if (slot > deadline) throw new ZoomBudgetError(label, slot - now, state.pausedUntil > now ? 'paused' : 'budget');
      this.reserve(state, slot);
      await this.waitUntil(state, slot);
      // Zoom may have answered 429 while this call waited: its slot no longer stands, so it queues
      // again behind the pause, counted at the time it will really be sent.
      if (state.pausedUntil <= this.timers.now()) return this.timers.now() - started;
      this.release(state, slot);
    }
  }

  /** Keeps the schedule in send order, which slotFor relies on. */
  private reserve(state: LabelState, slot: number): void {
    let at = state.schedule.length;
    while (at > 0 && state.schedule[at - 1] > slot) at -= 1;
    state.schedule.splice(at, 0, slot);
  }

  private release(state: LabelState, slot: number): void {
    const at = state.schedule.indexOf(slot);
    if (at >= 0) state.schedule.splice(at, 1);
  }

  private async waitUntil(state: LabelState, at: number): Promise<void> {
    const wait = at - this.timers.now();
    if (wait <= 0) return;
    state.queued += 1;
    try {
      await this.timers.sleep(wait);
    } finally {
      state.queued -= 1;
    }
  }

  /** Zoom said 429: nothing of this label is sent before `untilMs`. */
  pause(label: RateLabel, untilMs: number): void {
    const state = this.state(label);
    state.pausedUntil = Math.max(state.pausedUntil, untilMs);
  }

  snapshot(label: RateLabel): GovernorState {
    const state = this.state(label);
    const now = this.timers.now();
    this.prune(state, now);
    return { limit: state.budget.limit, used: state.schedule.length, queued: state.queued, pausedForMs: Math.max(0, state.pausedUntil - now) };
  }

  private state(label: RateLabel): LabelState {
    const state = this.labels.get(label);
    if (!state) throw new Error(`no rate budget for label ${label}`);
    return state;
  }

  private prune(state: LabelState, now: number): void {
    const horizon = now - state.budget.windowMs - windowMarginMs(state.budget.windowMs);
    let drop = 0;
    while (drop < state.schedule.length && state.schedule[drop] <= horizon) drop += 1;
    if (drop > 0) state.schedule.splice(0, drop);
  }

  private slotFor(state: LabelState, now: number): number {
    this.prune(state, now);
    const { limit, windowMs } = state.budget;
    const { schedule } = state;
    const byBudget = schedule.length < limit ? now : schedule[schedule.length - limit] + windowMs + windowMarginMs(windowMs);
    return Math.max(now, byBudget, state.pausedUntil);
  }
}
