import type { Logger } from 'pino';
import type { GatewayMetrics } from '../metrics';
import { LogLine, rateLimitedLog } from '../rate-limited-log';
import { ZOOM_AUTH_REFUSED_STATUS, ZoomAuthStatus } from '../zoom/auth-status';
import { nextUtcMidnightMs } from '../time/calendar';
import { CircuitBreaker } from '../zoom/circuit-breaker';
import {
  ZoomBadResponseError,
  ZoomBudgetError,
  ZoomCapacityError,
  ZoomError,
  ZoomHttpError,
  ZoomNetworkError,
  ZoomTimeoutError,
} from '../zoom/errors';
import type { OnWire } from '../zoom/client';
import { InFlightLimit, Release } from '../zoom/in-flight-limit';
import { CountedCall } from './counted-call';
import type { RateGovernor, RateLabel, SlotGrant } from './rate-governor';
import { RetryBudget, isDailyLimit, retryDecision } from '../zoom/retry';
import type { Timers } from '../time/timers';
import { SpanKind, eventOnSpan, inSpan, noteOnSpan } from '../tracing/spans';

export type ZoomEndpointName = 'listSessions' | 'getSession' | 'listSessionUsers' | 'listSessionUsersQos' | 'getDailyReport';

/**
 * Session details, participants, QoS and reports are Heavy (docs/zoom-contract.md §2 and §5, M/L):
 * 10/s on Pro, 40/s on Business+, and they draw on the daily cap shared with List sessions.
 */
export const SESSION_DETAILS_LABEL: RateLabel = 'heavy';
const INSIDE_SESSION_LABEL: RateLabel = 'heavy';

/** Zoom's label for each endpoint (docs/zoom-contract.md §5: List sessions is Resource-intensive). */
export const ENDPOINT_LABELS: Record<ZoomEndpointName, RateLabel> = {
  listSessions: 'resource-intensive',
  getSession: SESSION_DETAILS_LABEL,
  listSessionUsers: INSIDE_SESSION_LABEL,
  listSessionUsersQos: INSIDE_SESSION_LABEL,
  getDailyReport: INSIDE_SESSION_LABEL,
};

/** Zoom's per-second limit says so in its 429 message (docs/zoom-contract.md §5, M); without headers it is worth a short wait and a retry. */
const PER_SECOND_LIMIT_MESSAGE = /per-second/i;
const PER_SECOND_LIMIT_WAIT_MS = 1_000;

export interface ZoomCallerOptions {
  readonly governor: RateGovernor;
  readonly breaker: CircuitBreaker;
  readonly retryBudget: RetryBudget;
  readonly maxAttempts: number;
  readonly timers: Timers;
  readonly random: () => number;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  /** Zoom's rate-limit window: how long a 429 that names no wait holds calls back. */
  readonly rateWindowMs: number;
  /** Calls on the wire at once, below the agent's sockets. */
  readonly inFlight: InFlightLimit;
  /** A call's whole local wait (budget, then a free slot) before it is refused. */
  readonly queueMaxWaitMs: number;
  /** Told when Zoom refuses the credentials and when it accepts them again (for /readyz). */
  readonly authStatus?: ZoomAuthStatus;
}

/** One attempt at a call: it tells `onWire` when its request leaves for Zoom (ZoomClient's methods take it last); one never told never reached Zoom. */
export type Attempt<T> = (onWire: OnWire) => Promise<T>;

/** Told of every attempt that reached Zoom, so that a request counts what Zoom served it, retries included. */
export interface ZoomCallObserver {
  sent(trackingId: string | undefined): void;
}

function outcomeOf(error: unknown): string {
  if (error instanceof ZoomHttpError) return 'http_error';
  if (error instanceof ZoomTimeoutError) return 'timeout';
  if (error instanceof ZoomNetworkError) return 'network_error';
  if (error instanceof ZoomBadResponseError) return 'bad_response';
  return 'error';
}

/** Failures that say Zoom itself is in trouble; a 4xx proves Zoom up and answering. */
function isZoomFailure(error: unknown): boolean {
  if (error instanceof ZoomHttpError) return error.status >= 500;
  return error instanceof ZoomTimeoutError || error instanceof ZoomNetworkError || error instanceof ZoomBadResponseError;
}

/**
 * Failed attempts logged a minute: while Zoom is down every attempt fails, up to the Heavy
 * budget's 40 a second; `zoom_calls_total` counts them all, and the next minute's first line
 * says how many lines were left out.
 */
export const ZOOM_FAILURES_LOGGED_PER_MINUTE = 60;

/** Every Zoom call goes through here: circuit breaker, rate governor, then retries where safe. */
export class ZoomCaller {
  private readonly failureLog: LogLine;

  constructor(private readonly options: ZoomCallerOptions) {
    this.failureLog = rateLimitedLog((details, message) => options.logger.warn(details, message), ZOOM_FAILURES_LOGGED_PER_MINUTE, 60_000, () => options.timers.now());
  }

  /** One span per call, its wait for the budget and every attempt included (Zoom support asks for the tracking id). */
  call<T extends { trackingId: string | undefined }>(endpoint: ZoomEndpointName, attempt: Attempt<T>, observer?: ZoomCallObserver): Promise<T> {
    const attributes = { 'zoom.endpoint': endpoint, 'zoom.rate_label': ENDPOINT_LABELS[endpoint] };
    return inSpan(`zoom ${endpoint}`, { kind: SpanKind.CLIENT, attributes }, () => this.callWithRetries(endpoint, attempt, observer));
  }

  private async callWithRetries<T extends { trackingId: string | undefined }>(endpoint: ZoomEndpointName, attempt: Attempt<T>, observer?: ZoomCallObserver): Promise<T> {
    const { breaker, retryBudget, metrics } = this.options;
    retryBudget.recordCall();
    let lastError: unknown;
    for (let attemptsMade = 0; ; ) {
      let release: Release;
      let counted: CountedCall;
      try {
        ({ release, counted } = await this.admit(endpoint));
      } catch (refusal) {
        // A retry that cannot get a slot: the client learns what Zoom said, not that we gave up.
        throw attemptsMade > 0 ? lastError : refusal;
      }
      const started = this.options.timers.now();
      try {
        const result = await attempt(counted.leaves);
        release();
        counted.over(true);
        attemptsMade += 1;
        breaker.succeeded();
        this.options.authStatus?.accepted();
        observer?.sent(result.trackingId);
        this.record(endpoint, started, '200', 'success', result.trackingId, attemptsMade);
        return result;
      } catch (caught) {
        // The slot is for time on the wire: a retry's backoff must not hold it.
        release();
        counted.over(caught instanceof ZoomHttpError || caught instanceof ZoomBadResponseError);
        // No socket came free: nothing reached Zoom, so this proves nothing about Zoom either way.
        if (caught instanceof ZoomCapacityError) {
          breaker.released();
          metrics.zoomCallsNotSent.inc({ endpoint, reason: 'no_socket' });
          throw attemptsMade > 0 ? lastError : caught;
        }
        attemptsMade += 1;
        const error = this.withWait(caught);
        lastError = error;
        if (isZoomFailure(error)) breaker.failed();
        else breaker.succeeded();
        if (error instanceof ZoomHttpError && error.status === ZOOM_AUTH_REFUSED_STATUS) this.options.authStatus?.refused(error.status, error.zoomCode);
        const status = error instanceof ZoomHttpError ? String(error.status) : '0';
        const trackingId = error instanceof ZoomError ? error.trackingId : undefined;
        observer?.sent(trackingId);
        this.record(endpoint, started, status, outcomeOf(error), trackingId, attemptsMade, error);
        this.respectRateLimit(endpoint, error);
        const decision = retryDecision(error, attemptsMade, this.options.maxAttempts, this.options.random());
        if (!decision.retry) throw error;
        if (!retryBudget.tryRetry()) {
          metrics.zoomRetriesDenied.inc({ endpoint });
          throw error;
        }
        metrics.zoomRetries.inc({ endpoint, reason: decision.reason });
        await this.options.timers.sleep(decision.delayMs);
      } finally {
        release();
      }
    }
  }

  /**
   * Breaker first (an open circuit costs no budget), then the governor's slot, then a free call
   * slot, so that no call ever queues for a socket where its wait would look like Zoom's.
   */
  private async admit(endpoint: ZoomEndpointName): Promise<{ release: Release; counted: CountedCall }> {
    const { breaker, governor, metrics, inFlight, queueMaxWaitMs } = this.options;
    const label = ENDPOINT_LABELS[endpoint];
    breaker.before();
    let grant: SlotGrant;
    try {
      grant = await governor.acquire(label);
      metrics.governorWaitSeconds.observe({ label }, grant.waitedMs / 1000);
      if (grant.waitedMs > 0) eventOnSpan('zoom.budget_wait', { 'zoom.waited_ms': grant.waitedMs });
    } catch (error) {
      breaker.released();
      if (error instanceof ZoomBudgetError) metrics.governorRejections.inc({ label, reason: error.reason });
      throw error;
    }
    // Held from the grant: the wait for a free call slot may outlast a window.
    const counted = new CountedCall(grant, governor.budgetOf(label).windowMs);
    try {
      return { release: await inFlight.acquire(Math.max(0, queueMaxWaitMs - grant.waitedMs)), counted };
    } catch (error) {
      counted.over(false);
      breaker.released();
      if (error instanceof ZoomCapacityError) metrics.zoomCallsNotSent.inc({ endpoint, reason: 'in_flight_cap' });
      throw error;
    }
  }

  /**
   * A 429 that names no wait gets one: the rest of Zoom's window, or the next UTC midnight for
   * the daily cap. The gateway then holds back exactly as long as it tells clients to.
   */
  private withWait(error: unknown): unknown {
    if (!(error instanceof ZoomHttpError) || error.status !== 429 || error.retryAfterMs !== undefined) return error;
    const now = this.options.timers.now();
    const daily = isDailyLimit(error);
    // A daily-limit 429 that names no reset time waits for Zoom's reset at midnight UTC.
    const waitMs = daily ? nextUtcMidnightMs(now) - now : PER_SECOND_LIMIT_MESSAGE.test(error.zoomMessage) ? PER_SECOND_LIMIT_WAIT_MS : this.options.rateWindowMs;
    return new ZoomHttpError(error.status, error.zoomCode, error.zoomMessage, error.trackingId, waitMs, error.rateLimitType ?? (daily ? 'Daily-limit' : undefined));
  }

  /** A 429 means the account's budget is spent (other apps share it): hold this label back. */
  private respectRateLimit(endpoint: ZoomEndpointName, error: unknown): void {
    if (!(error instanceof ZoomHttpError) || error.status !== 429) return;
    this.options.governor.pause(ENDPOINT_LABELS[endpoint], this.options.timers.now() + (error.retryAfterMs ?? this.options.rateWindowMs));
  }

  private record(endpoint: ZoomEndpointName, started: number, status: string, outcome: string, trackingId: string | undefined, attempt: number, error?: unknown): void {
    const { metrics, logger, timers } = this.options;
    const ms = timers.now() - started;
    metrics.zoomCalls.inc({ endpoint, status, outcome });
    metrics.zoomCallSeconds.observe({ endpoint }, ms / 1000);
    const entry = { endpoint, status: Number(status), outcome, ms: Math.round(ms), zoomTrackingId: trackingId, attempt };
    // The call's span says how its last attempt ended; each attempt is an event on it.
    const attributes = { 'http.response.status_code': Number(status), 'zoom.outcome': outcome, 'zoom.retries': attempt - 1, ...(trackingId === undefined ? {} : { 'zoom.tracking_id': trackingId }) };
    noteOnSpan(attributes);
    eventOnSpan('zoom.attempt', { ...attributes, 'zoom.attempt': attempt, 'zoom.ms': Math.round(ms) });
    if (error === undefined) logger.debug(entry, 'zoom call');
    // Zoom's "no such session" answers what a client asked (any made-up id): not a failure to warn of.
    else if (error instanceof ZoomHttpError && error.status === 404) logger.debug(entry, 'zoom call: not found');
    else this.failureLog({ ...entry, error: error instanceof Error ? error.message : String(error) }, 'zoom call failed');
  }
}
