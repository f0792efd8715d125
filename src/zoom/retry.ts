import { ZoomHttpError, ZoomNetworkError, ZoomPageTokenError, ZoomTimeoutError } from './errors';

/** Attempts per call, the first included. */
export const DEFAULT_MAX_ATTEMPTS = 3;
/** Full-jitter backoff: a random wait below min(cap, base * 2^(retry - 1)). */
export const BACKOFF_BASE_MS = 200;
export const BACKOFF_CAP_MS = 2_000;
/** A per-second 429 asking for a longer wait is answered to the client instead of held in a retry. */
export const MAX_RETRY_AFTER_MS = 5_000;
/** Statuses Zoom uses for passing trouble, worth a retry (docs/zoom-contract.md §4, M). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);
/** `X-RateLimit-Type` of the daily cap, which resets at a date: never retried. */
export const DAILY_LIMIT_TYPE = 'daily-limit';

export type RetryDecision = { readonly retry: false; readonly reason: string } | { readonly retry: true; readonly delayMs: number; readonly reason: string };

/** The wait before retry number `retry` (1 = first retry), given a random number in [0, 1). */
export function fullJitterDelay(retry: number, random: number): number {
  return Math.floor(random * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (retry - 1)));
}

/** Zoom's rate-limit headers are sometimes missing (docs/zoom-contract.md §5); its message then tells the daily cap apart. */
const DAILY_LIMIT_MESSAGE = /daily/i;

export function isDailyLimit(error: ZoomHttpError): boolean {
  if (error.status !== 429) return false;
  if (error.rateLimitType !== undefined) return error.rateLimitType.toLowerCase() === DAILY_LIMIT_TYPE;
  return DAILY_LIMIT_MESSAGE.test(error.zoomMessage);
}

/**
 * Whether a failed GET to Zoom is worth another attempt, and after how long. Pure: the
 * caller supplies the attempts made so far and a random number.
 */
export function retryDecision(error: unknown, attemptsMade: number, maxAttempts: number, random: number): RetryDecision {
  if (attemptsMade >= maxAttempts) return { retry: false, reason: 'attempts exhausted' };
  // An expired token stays expired; a 4xx other than 429 says the request itself is wrong.
  if (error instanceof ZoomPageTokenError) return { retry: false, reason: 'page token rejected' };
  if (error instanceof ZoomHttpError) {
    if (error.status === 429) {
      if (isDailyLimit(error)) return { retry: false, reason: 'daily limit' };
      const wait = error.retryAfterMs ?? fullJitterDelay(attemptsMade, random);
      if (wait > MAX_RETRY_AFTER_MS) return { retry: false, reason: 'rate limited for longer than a retry waits' };
      // Jitter on top of Zoom's wait, so that queued callers do not return in one burst.
      return { retry: true, delayMs: wait + fullJitterDelay(1, random), reason: 'rate limited (per second)' };
    }
    if (RETRYABLE_STATUSES.has(error.status)) return { retry: true, delayMs: fullJitterDelay(attemptsMade, random), reason: `status ${error.status}` };
    return { retry: false, reason: `status ${error.status}` };
  }
  if (error instanceof ZoomTimeoutError) return { retry: true, delayMs: fullJitterDelay(attemptsMade, random), reason: 'timeout' };
  if (error instanceof ZoomNetworkError) return { retry: true, delayMs: fullJitterDelay(attemptsMade, random), reason: 'network' };
  return { retry: false, reason: 'not retryable' };
}

/**
 * Retries may add at most `ratio` of the calls made, plus a small reserve: when Zoom fails
 * wholesale, retries stop instead of multiplying the load (the gRPC retry-throttling idea).
 */
export class RetryBudget {
  private tokens: number;

  constructor(
    private readonly ratio = 0.2,
    private readonly reserve = 3,
  ) {
    this.tokens = reserve;
  }

  recordCall(): void {
    this.tokens = Math.min(this.reserve, this.tokens + this.ratio);
  }

  tryRetry(): boolean {
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
