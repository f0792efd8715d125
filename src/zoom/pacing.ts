/** How a label's budget is spread over its window: evenly spaced slots after a small burst. */
export interface RateBudget {
  /** Calls allowed in any window. */
  readonly limit: number;
  readonly windowMs: number;
}

export interface Pacing {
  /** Time between two calls once the burst is spent. */
  readonly intervalMs: number;
  /** Calls that may go at once after a quiet spell. */
  readonly burst: number;
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

/**
 * A tenth of the budget may go at once: a lone request is not made to wait, while a whole
 * window's budget is never released as one burst (issue 9 item 6: a minute's budget sent at
 * once queued behind the socket pool and timed out locally).
 */
export const PACING_BURST_SHARE = 0.1;

/**
 * With a burst of B and then one call per interval T, any span of L holds at most B - 1 + ceil(L / T)
 * calls; T = L / (limit - B + 1) keeps that at `limit` over our (margined) window.
 */
export function pacingOf(budget: RateBudget): Pacing {
  const limit = Math.max(1, Math.floor(budget.limit));
  const burst = Math.max(1, Math.floor(limit * PACING_BURST_SHARE));
  const spanMs = budget.windowMs + windowMarginMs(budget.windowMs);
  // Rounded up to the microsecond: a float a hair short would let one call too many into a span.
  return { intervalMs: Math.ceil((spanMs / (limit - burst + 1)) * 1000) / 1000, burst };
}
