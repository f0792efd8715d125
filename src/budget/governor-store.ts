import type { RateBudget, RateLabel } from './rate-label';

export type { RateBudget, RateLabel } from './rate-label';

/** One call asking for a slot of its label. */
export interface SlotRequest {
  readonly label: RateLabel;
  readonly budget: RateBudget;
  /** Names the call's entry in the window, for `settle`; unique across instances. */
  readonly ticket: string;
  /** Refuse rather than wait longer than this. */
  readonly maxWaitMs: number;
  /** The daily cap this call counts towards (Heavy and Resource-intensive share one), 0 for none. */
  readonly dailyLimit: number;
  /**
   * Calls this instance knows were spent today: a shared count found lower (Redis restarted,
   * lost its data) is raised to it, so a restart never hands out the day's budget again.
   */
  readonly dailyFloor?: number;
  /** The reset of the day `dailyFloor` was counted in (this host's clock): a shared store applies it to that day only (left out: its own today). */
  readonly dailyFloorResetAt?: number;
  /**
   * The shared daily count this instance last read, with the reset it belongs to: a shared count
   * found lower for the same day is raised to it, so that a Redis restarted empty starts from what
   * every instance together had spent, not from one instance's own calls.
   */
  readonly dailySeen?: DailyCount;
  /**
   * For a shared store: what this instance knows of the label's shared window, so that a window the
   * store lost (a Redis restarted empty), or never saw (calls granted by this instance alone), gets
   * this instance's calls back before anything is decided on it (the answer is then `restoreFirst`).
   */
  readonly windowCheck?: WindowCheck;
}

export interface WindowCheck {
  /** The window's epoch as this instance last read it, if it did. */
  readonly epoch: string | undefined;
  /** This instance's calls in the window now. */
  readonly ownCalls: number;
  /** This instance granted calls of the window alone (the shared store was away). */
  readonly grantedAlone: boolean;
}

/** A daily count and the moment (epoch ms, the store's clock) it resets. */
export interface DailyCount {
  readonly used: number;
  readonly resetAt: number;
}

/** Why a call is refused: see SlotWait (window.ts), and `daily` for the daily cap. */
export type RefusalReason = 'window' | 'queue' | 'paused' | 'daily';

export type SlotAnswer = (
  | { readonly granted: true; readonly waitMs: number }
  | { readonly granted: false; readonly waitMs: number; readonly reason: RefusalReason }
) & {
  /** The shared daily count after this answer, where the store is shared and the call counts towards the cap. */
  readonly daily?: DailyCount;
  /** The shared window's generation, where the store is shared: a new one says the window was lost (a Redis restarted empty). */
  readonly epoch?: string;
  /** Nothing decided: the window lacks this instance's calls (`windowCheck`); put them back, then ask again. */
  readonly restoreFirst?: true;
  /** Where the store is shared: the calls its window counted when it decided, this one left out. */
  readonly windowCalls?: number;
};

/** One of this instance's calls still counted in a window: its ticket, and how long ago its slot was (negative: ahead). */
export interface WindowEntry {
  readonly ticket: string;
  readonly ageMs: number;
}

export interface LabelUsage {
  /** Calls counted in the label's window: sent within it, or queued for a slot in it. */
  readonly inWindow: number;
  readonly pausedForMs: number;
  /** Calls counted today towards the daily cap. */
  readonly dailyUsed: number;
  /** Where the store is shared: when that day's count resets (epoch ms, the store's clock); 0 when none is counted. */
  readonly dailyResetAt?: number;
  /** Where the store is shared: the calls its window counts, each with its ticket and age (at most USAGE_ENTRIES_READ). */
  readonly entries?: readonly WindowEntry[];
}

/** Entries a shared store's usage reads of a window, at most: far above any label's limit and the calls queued behind it. */
export const USAGE_ENTRIES_READ = 1_000;

/** How long a label's pause outlives itself in a shared store: then it means nothing. */
export const PAUSE_TTL_MARGIN_MS = 60_000;

/**
 * Where the governor keeps each label's window: in this process, or in Redis for every instance
 * of one Zoom account. Times are relative (waits), so a shared store may use its own clock.
 * Contract (test/contracts/governor-store.contract.ts): a call is granted at once while the
 * window holds fewer than `limit` calls; no span of the window and its margin ever holds more.
 */
export interface GovernorStore {
  reserve(request: SlotRequest): Promise<SlotAnswer>;
  /**
   * A queued call, at its slot, asks again before it goes: the calls sent since it was slotted
   * (whose entries moved to when they were over) or a Zoom 429 may have pushed its slot later.
   * Counts only the calls already sent; 0: go now (its entry moves to now), else the wait left.
   */
  confirm(label: RateLabel, budget: RateBudget, ticket: string): Promise<number>;
  /**
   * The call holding `ticket` has not been counted by Zoom yet, or may not have been (it waits for a
   * connection, or is on its way): its entry moves to now (never earlier; back in if its slot left the
   * span), so that a call that leaves late never finds its slot given to another. Told every third of
   * a window from the grant until the call is settled.
   */
  hold(label: RateLabel, budget: RateBudget, ticket: string): Promise<void>;
  /**
   * `sent`: Zoom has counted the call holding `ticket` (its answer came: docs/zoom-contract.md §5):
   * its entry moves to now, as `hold` moves it, and stays.
   * Not `sent`: the call never left, and its slot is given back.
   */
  settle(label: RateLabel, budget: RateBudget, ticket: string, sent: boolean): Promise<void>;
  /** Zoom said 429: nothing of this label goes out for `forMs`, at most MAX_RETRY_AFTER_MS (a longer pause is cut to it). */
  pause(label: RateLabel, forMs: number): Promise<void>;
  pausedFor(label: RateLabel): Promise<number>;
  usage(label: RateLabel, budget: RateBudget): Promise<LabelUsage>;
}
