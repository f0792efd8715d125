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
 * Zoom counts per window per account; our clock and Zoom's never agree to the millisecond and
 * calls spend time in flight, so our window is a little longer than Zoom's: a sixtieth of it
 * (1 s a minute), at least this floor (a tenth of a window shorter than 2.5 s, so that a
 * per-second label keeps most of its rate).
 */
export const RATE_WINDOW_MARGIN_FLOOR_MS = 250;

export function windowMarginMs(windowMs: number): number {
  return Math.max(Math.round(windowMs / 60), Math.min(RATE_WINDOW_MARGIN_FLOOR_MS, Math.round(windowMs / 10)));
}

/** The span the governor counts a call in: Zoom's window and the margin. */
export function countedSpanMs(budget: RateBudget): number {
  return budget.windowMs + windowMarginMs(budget.windowMs);
}
