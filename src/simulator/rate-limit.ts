/** Zoom counts "Resource-intensive" calls (List sessions) per minute (docs/zoom-contract.md §5, H). */
export const ZOOM_RATE_WINDOW_MS = 60_000;

export type RateDecision =
  | { allowed: true; limit?: number; remaining?: number }
  | { allowed: false; limit: number; retryAfterSeconds: number };

/**
 * A sliding one-minute window on the simulated clock. Every call it lets through uses budget,
 * whatever it answers; calls it refuses do not, so a client that waits for `Retry-After` gets in.
 */
export class RateLimiter {
  private served: number[] = [];

  constructor(
    private perMinute: number | undefined,
    private readonly now: () => number,
    private readonly windowMs = ZOOM_RATE_WINDOW_MS,
  ) {}

  setLimit(perMinute: number | undefined): void {
    this.perMinute = perMinute;
  }

  take(): RateDecision {
    if (this.perMinute === undefined) return { allowed: true };
    const now = this.now();
    this.served = this.served.filter((at) => at > now - this.windowMs);
    if (this.served.length >= this.perMinute) {
      const freesAt = (this.served[0] ?? now) + this.windowMs;
      return { allowed: false, limit: this.perMinute, retryAfterSeconds: Math.max(1, Math.ceil((freesAt - now) / 1000)) };
    }
    this.served.push(now);
    return { allowed: true, limit: this.perMinute, remaining: this.perMinute - this.served.length };
  }
}
