import type { RateLabel } from './rate-governor';
import type { RateBudget } from './pacing';

/** One call asking for a slot of its label. */
export interface SlotRequest {
  readonly label: RateLabel;
  readonly budget: RateBudget;
  /** Refuse rather than wait longer than this. */
  readonly maxWaitMs: number;
  /** The daily cap this call counts towards (Heavy and Resource-intensive share one), 0 for none. */
  readonly dailyLimit: number;
}

export type SlotAnswer =
  | { readonly granted: true; readonly waitMs: number }
  | { readonly granted: false; readonly waitMs: number; readonly reason: 'budget' | 'paused' | 'daily' };

export interface LabelUsage {
  /** Slots reserved ahead of now (calls paced but not yet sent, or just sent in a burst). */
  readonly committed: number;
  readonly pausedForMs: number;
  /** Calls counted today towards the daily cap. */
  readonly dailyUsed: number;
}

/**
 * Where the governor keeps its slots: in this process, or in Redis for every instance of one
 * Zoom account. Times are relative (waits), so a shared store may use its own clock.
 */
export interface GovernorStore {
  reserve(request: SlotRequest): Promise<SlotAnswer>;
  /** Zoom said 429: nothing of this label goes out for `forMs`. */
  pause(label: RateLabel, forMs: number): Promise<void>;
  pausedFor(label: RateLabel): Promise<number>;
  usage(label: RateLabel, budget: RateBudget): Promise<LabelUsage>;
}
