/** Zoom's rate-limit labels (docs/zoom-contract.md §5); each endpoint belongs to one. */
export type RateLabel = 'resource-intensive' | 'heavy' | 'medium';

/** "Heavy and Resource-intensive share one daily cap" (docs/zoom-contract.md §5). */
export const DAILY_CAPPED_LABELS: ReadonlySet<RateLabel> = new Set<RateLabel>(['heavy', 'resource-intensive']);

/** A label's budget: the calls Zoom allows the account in any one window. */
export interface RateBudget {
  readonly limit: number;
  readonly windowMs: number;
}

/**
 * Zoom counts a call at some moment before it answers, and a call is counted here from its grant
 * until a window after its answer: the window needs no margin for the call's time out. What is left
 * is Zoom's clock: how finely it stamps calls, and how its clock runs against ours, is not
 * documented (docs/zoom-contract.md §5, L). Our window is longer than Zoom's by this share of it:
 * 1 s a minute, 17 ms a second.
 */
export const RATE_WINDOW_MARGIN_SHARE = 1 / 60;

export function windowMarginMs(windowMs: number): number {
  return Math.max(1, Math.round(windowMs * RATE_WINDOW_MARGIN_SHARE));
}

/** The span the governor counts a call in: Zoom's window and the margin. */
export function countedSpanMs(budget: RateBudget): number {
  return budget.windowMs + windowMarginMs(budget.windowMs);
}
