import { scrubSecrets } from '../scrub-secrets';

/**
 * Transport errors of the Zoom client: plain Errors with what an operator or the GraphQL
 * layer needs (status, Zoom's code, tracking id, wait). Only src/errors.ts turns them into
 * GraphQL errors.
 */

export class ZoomError extends Error {
  constructor(
    message: string,
    /** Zoom's `x-zm-trackingid`, which Zoom support asks for. */
    readonly trackingId?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Zoom answered with a non-2xx status. */
export class ZoomHttpError extends ZoomError {
  constructor(
    readonly status: number,
    readonly zoomCode: number | undefined,
    readonly zoomMessage: string,
    trackingId?: string,
    /** Milliseconds Zoom asked us to wait (`Retry-After`), when it said. */
    readonly retryAfterMs?: number,
    /** `X-RateLimit-Type`: `QPS` or `Daily-limit` on a 429. */
    readonly rateLimitType?: string,
  ) {
    super(`Zoom answered ${status}${zoomCode === undefined ? '' : ` (code ${zoomCode})`}: ${zoomMessage}`, trackingId);
  }
}

/** The page token sent with a request is unknown to Zoom, expired, or bound to other parameters. */
export class ZoomPageTokenError extends ZoomHttpError {}

export class ZoomTimeoutError extends ZoomError {
  constructor(readonly timeoutMs: number) {
    super(`Zoom did not answer within ${timeoutMs} ms`);
  }
}

export class ZoomNetworkError extends ZoomError {
  /** The system error code (ECONNREFUSED, ECONNRESET, …) when there is one. */
  readonly code: string | undefined;

  constructor(cause: unknown) {
    // The cause is not kept: node-fetch's message names the URL, user-info and all, and loggers print causes.
    super(`Zoom could not be reached: ${scrubSecrets(cause instanceof Error ? cause.message : String(cause))}`);
    const code = (cause as { code?: unknown } | null)?.code;
    this.code = typeof code === 'string' ? code : undefined;
  }
}

/** Zoom answered 2xx with a body that does not match its documented contract. */
export class ZoomBadResponseError extends ZoomError {
  constructor(detail: string, trackingId?: string) {
    super(`Zoom sent a response that breaks its contract: ${detail}`, trackingId);
  }
}

/**
 * Why the governor refused a call: the window holds the label's whole budget (`window`), calls
 * queued ahead would make it wait past the queue's limit (`queue`), Zoom answered 429 (`paused`),
 * or the day's Heavy and Resource-intensive calls are spent (`daily`).
 */
export type BudgetRefusal = 'window' | 'queue' | 'paused' | 'daily';

/** The gateway's own rate governor refused the call; `retryAfterMs` is the true wait for a slot. */
export class ZoomBudgetError extends ZoomError {
  constructor(
    readonly label: string,
    readonly retryAfterMs: number,
    readonly reason: BudgetRefusal,
  ) {
    super(ZoomBudgetError.describe(label, retryAfterMs, reason));
  }

  private static describe(label: string, retryAfterMs: number, reason: BudgetRefusal): string {
    const seconds = Math.ceil(retryAfterMs / 1000);
    switch (reason) {
      case 'paused':
        return `Zoom answered 429 for label ${label}: its calls are paused for ${seconds} s`;
      case 'daily':
        return `Zoom's daily cap of Heavy and Resource-intensive calls is spent; it resets at midnight UTC, in ${seconds} s`;
      case 'queue':
        return `the queue for Zoom's ${label} budget is longer than a call may wait; the next slot is free in ${seconds} s`;
      case 'window':
        return `Zoom's ${label} budget for this window is spent; the next slot frees in ${seconds} s`;
    }
  }
}

/**
 * The gateway's own connections to Zoom were all busy for longer than a call may wait: a local
 * wait, never evidence that Zoom is failing, so neither the breaker nor a retry counts it.
 */
export class ZoomCapacityError extends ZoomError {
  constructor(
    readonly retryAfterMs: number,
    readonly waitedFor: 'a free call slot' | 'a socket',
  ) {
    super(`every connection to Zoom was busy; no call went out (waited for ${waitedFor})`);
  }
}

/** The circuit breaker is open: Zoom failed repeatedly, and calls wait until a probe succeeds. */
export class ZoomCircuitOpenError extends ZoomError {
  constructor(readonly retryAfterMs: number) {
    super(`Zoom is failing; calls resume after a successful probe in ${Math.ceil(retryAfterMs / 1000)} s`);
  }
}

/**
 * Refusals the gateway makes before a call goes out. The caller throws one only when no attempt of
 * the call reached Zoom (a retry refused its slot answers with Zoom's own error), so a call ending
 * in one cost Zoom nothing and is nobody's to pay for.
 */
export function nothingReachedZoom(error: unknown): boolean {
  return error instanceof ZoomBudgetError || error instanceof ZoomCapacityError || error instanceof ZoomCircuitOpenError;
}
