import { RateBudget, countedSpanMs } from './rate-label';

/**
 * Why a call cannot go now: the window holds `limit` calls already sent and none waits
 * (`window`), calls queued ahead of it take the slots that free up (`queue`), or Zoom answered
 * 429 (`paused`).
 */
export type SlotWait = 'none' | 'window' | 'queue' | 'paused';

export interface WindowSlot {
  /** When the call may be sent (never before `now`). */
  readonly at: number;
  readonly wait: SlotWait;
}

/** The entries of `log` (send times, ascending) still counted at `now`: those within the last span. */
export function inWindow(log: readonly number[], now: number, budget: RateBudget): number[] {
  const since = now - countedSpanMs(budget);
  let first = 0;
  while (first < log.length && log[first] <= since) first += 1;
  return log.slice(first);
}

/**
 * Exact window accounting, as Zoom counts (docs/zoom-contract.md §5: calls per window per
 * account, nothing about spacing): `log` holds the send times of the calls counted, ascending,
 * queued calls' slots ahead of `now` included. A call goes at once while fewer than `limit` calls
 * are counted; otherwise at the moment the call `limit` places back leaves the span, so that no
 * span ever holds more than `limit`. Calls keep their order: none is slotted before one queued
 * earlier.
 */
export function nextSlot(log: readonly number[], now: number, budget: RateBudget, pausedUntil: number): WindowSlot {
  const counted = inWindow(log, now, budget);
  const limit = Math.max(1, Math.floor(budget.limit));
  const freedAt = counted.length >= limit ? counted[counted.length - limit] + countedSpanMs(budget) : now;
  const lastQueued = counted.length > 0 ? counted[counted.length - 1] : now;
  const at = Math.max(now, freedAt, lastQueued, pausedUntil);
  if (at <= now) return { at: now, wait: 'none' };
  if (pausedUntil >= at) return { at, wait: 'paused' };
  return { at, wait: lastQueued > now ? 'queue' : 'window' };
}
