import { ZoomBadResponseError, ZoomHttpError, ZoomNetworkError, ZoomPageTokenError, ZoomTimeoutError } from '../../src/zoom/errors';
import { RetryBudget, fullJitterDelay, isDailyLimit, retryDecision } from '../../src/zoom/retry';

const http = (status: number, retryAfterMs?: number, type?: string) => new ZoomHttpError(status, status, 'x', 'rid', retryAfterMs, type);

describe('fullJitterDelay', () => {
  it('stays below min(cap, base * 2^(retry-1)) for random in [0, 1)', () => {
    expect(fullJitterDelay(1, 0)).toBe(0);
    expect(fullJitterDelay(1, 0.999)).toBe(199);
    expect(fullJitterDelay(2, 0.5)).toBe(200);
    expect(fullJitterDelay(3, 0.999)).toBe(799);
    expect(fullJitterDelay(5, 0.999)).toBe(1998);
    expect(fullJitterDelay(10, 0.999)).toBe(1998);
  });
});

describe('retryDecision', () => {
  it('retries 5xx, timeouts and network errors with jittered backoff', () => {
    expect(retryDecision(http(500), 1, 3, 0.5)).toEqual({ retry: true, delayMs: 100, reason: 'status 500' });
    expect(retryDecision(http(503), 2, 3, 0.5)).toEqual({ retry: true, delayMs: 200, reason: 'status 503' });
    expect(retryDecision(new ZoomTimeoutError(1000), 1, 3, 0.25)).toEqual({ retry: true, delayMs: 50, reason: 'timeout' });
    expect(retryDecision(new ZoomNetworkError(new Error('socket hang up')), 1, 3, 0)).toEqual({ retry: true, delayMs: 0, reason: 'network' });
  });

  it('stops when attempts are exhausted', () => {
    expect(retryDecision(http(500), 3, 3, 0.5)).toEqual({ retry: false, reason: 'attempts exhausted' });
  });

  it('honours a short Retry-After on a per-second 429, with jitter on top', () => {
    expect(retryDecision(http(429, 1000, 'QPS'), 1, 3, 0.5)).toEqual({ retry: true, delayMs: 1100, reason: 'rate limited (per second)' });
    expect(retryDecision(http(429), 1, 3, 0.5)).toEqual({ retry: true, delayMs: 200, reason: 'rate limited (per second)' });
  });

  it('never retries a daily-limit 429 or a long wait', () => {
    expect(retryDecision(http(429, 1000, 'Daily-limit'), 1, 3, 0.5)).toEqual({ retry: false, reason: 'daily limit' });
    expect(retryDecision(http(429, 30_000, 'QPS'), 1, 3, 0.5)).toEqual({ retry: false, reason: 'rate limited for longer than a retry waits' });
  });

  it('tells the daily cap by its message when Zoom sends no rate-limit headers', () => {
    expect(isDailyLimit(new ZoomHttpError(429, 429, 'You have reached the maximum daily rate limit for this API.'))).toBe(true);
    expect(isDailyLimit(new ZoomHttpError(429, 429, 'You have reached the maximum per-second rate limit for this API.'))).toBe(false);
    expect(isDailyLimit(new ZoomHttpError(429, 429, 'maximum daily rate limit', undefined, undefined, 'QPS'))).toBe(false);
    expect(retryDecision(new ZoomHttpError(429, 429, 'You have reached the maximum daily rate limit for this API.'), 1, 3, 0.5)).toEqual({ retry: false, reason: 'daily limit' });
  });

  it('never retries answers that will not change', () => {
    expect(retryDecision(http(400), 1, 3, 0.5).retry).toBe(false);
    expect(retryDecision(http(401), 1, 3, 0.5).retry).toBe(false);
    expect(retryDecision(http(404), 1, 3, 0.5).retry).toBe(false);
    expect(retryDecision(http(501), 1, 3, 0.5).retry).toBe(false);
    expect(retryDecision(new ZoomPageTokenError(400, 300, 'The next page token is invalid or expired.'), 1, 3, 0.5).retry).toBe(false);
    expect(retryDecision(new ZoomBadResponseError('not JSON'), 1, 3, 0.5).retry).toBe(false);
    expect(retryDecision(new Error('bug'), 1, 3, 0.5).retry).toBe(false);
  });
});

describe('RetryBudget', () => {
  it('allows a reserve of 3 retries, then one per five calls', () => {
    const budget = new RetryBudget(0.2, 3);
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([true, true, true, false]);
    for (let call = 0; call < 4; call += 1) budget.recordCall();
    expect(budget.tryRetry()).toBe(false);
    budget.recordCall();
    expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
  });
});
