import { Answer, jsonAnswer, zoomError } from './answer';
import { Random, mulberry32, pick } from './prng';

/** Probabilities (0..1) that a call fails in each way; drawn from a seeded PRNG so runs repeat. */
export interface FaultRates {
  rate429: number;
  rate5xx: number;
  rateMalformed: number;
  rateHang: number;
  rateReset: number;
}

export type Fault =
  /** An error answer, e.g. 401/124, 404/3001, 429 (with Retry-After), 500. */
  | { kind: 'status'; status: number; code?: number; message?: string; headers?: Record<string, string> }
  /** A 200 whose body breaks the contract: cut-off JSON (default) or `sessions` that is not an array. */
  | { kind: 'malformed'; variant?: 'truncated' | 'wrong-shape' }
  /** Never answers, until the client or the server closes the socket. */
  | { kind: 'hang' }
  /** Destroys the socket without answering. */
  | { kind: 'reset' }
  /**
   * A proxy or WAF that echoes the request back in its error body, Authorization header and all:
   * as Zoom-shaped JSON (`message` holds the echo) or as an HTML page naming an internal host and IP.
   */
  | { kind: 'echo'; status: number; format: 'json' | 'html' }
  /** A redirect to `location` (absolute, or a path on the simulator itself). */
  | { kind: 'redirect'; status: 301 | 302 | 303 | 307 | 308; location: string };

/** What an echoing fault repeats of the request. */
export interface EchoedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** The internal names an echoing proxy's HTML page gives away. */
export const ECHO_PROXY_HOST = 'edge-proxy-7.corp.internal';
export const ECHO_PROXY_IP = '10.20.30.40';

const NO_FAULTS: FaultRates = { rate429: 0, rate5xx: 0, rateMalformed: 0, rateHang: 0, rateReset: 0 };

/** Zoom's per-second 429 (docs/zoom-contract.md §5, M); the daily variant is a `failNext` with its own message and headers. */
export const QPS_LIMIT_MESSAGE = 'You have reached the maximum per-second rate limit for this API. Try again later.';

/** The headers Zoom sends with a 429 (docs/zoom-contract.md §5, M). List sessions is "Resource-intensive". */
export function rateLimitHeaders(limit: number | undefined, retryAfterSeconds: number): Record<string, string> {
  return {
    'Retry-After': String(retryAfterSeconds),
    'X-RateLimit-Category': 'Resource-intensive',
    'X-RateLimit-Type': 'QPS',
    ...(limit === undefined ? {} : { 'X-RateLimit-Limit': String(limit) }),
    'X-RateLimit-Remaining': '0',
  };
}

const DEFAULT_STATUS_ERRORS: Record<number, { code: number; message: string }> = {
  400: { code: 300, message: 'Validation Failed.' },
  401: { code: 124, message: 'Invalid access token.' },
  404: { code: 3001, message: 'Session does not exist.' },
  429: { code: 429, message: QPS_LIMIT_MESSAGE },
};

const RANDOM_5XX_STATUSES = [500, 502, 503, 504] as const;

/** Faults queued by `failNext` come first, in order; then each call draws against the rates. */
export class FaultPlan {
  private readonly queue: Fault[] = [];
  private rates: FaultRates;
  private readonly random: Random;

  constructor(seed: number, rates: Partial<FaultRates> = {}) {
    // A stream apart from the dataset's, so turning faults on does not change the data.
    this.random = mulberry32(seed ^ 0x5eed_fa17);
    this.rates = checkedRates(rates);
  }

  enqueue(faults: Fault[]): void {
    this.queue.push(...faults);
  }

  /** Replaces all rates; a rate left out is 0. */
  setRates(rates: Partial<FaultRates>): void {
    this.rates = checkedRates(rates);
  }

  next(): Fault | undefined {
    const queued = this.queue.shift();
    if (queued) return queued;
    // One draw per call whatever the rates, so the sequence depends only on the seed and the call count.
    let draw = this.random();
    const { rate429, rate5xx, rateMalformed, rateHang, rateReset } = this.rates;
    if ((draw -= rate429) < 0) return { kind: 'status', status: 429 };
    if ((draw -= rate5xx) < 0) return { kind: 'status', status: pick(this.random, RANDOM_5XX_STATUSES) };
    if ((draw -= rateMalformed) < 0) {
      return { kind: 'malformed', variant: pick(this.random, ['truncated', 'wrong-shape'] as const) };
    }
    if ((draw -= rateHang) < 0) return { kind: 'hang' };
    if ((draw -= rateReset) < 0) return { kind: 'reset' };
    return undefined;
  }
}

function checkedRates(rates: Partial<FaultRates>): FaultRates {
  const merged = { ...NO_FAULTS, ...rates };
  for (const [name, rate] of Object.entries(merged)) {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`fault rate ${name} must be within 0..1, got ${rate}`);
  }
  return merged;
}

function echoOf(request: EchoedRequest): string {
  const headers = Object.entries(request.headers).map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : value ?? ''}`);
  return [`${request.method} ${request.url}`, ...headers].join('\n');
}

export function faultAnswer(fault: Fault, request: EchoedRequest): Answer {
  switch (fault.kind) {
    case 'echo':
      if (fault.format === 'json') return zoomError(fault.status, 300, `Request rejected: ${echoOf(request)}`);
      return {
        kind: 'json',
        status: fault.status,
        headers: {},
        body: `<html><head><title>${fault.status} Error</title></head><body><h1>Request blocked</h1><p>Served by ${ECHO_PROXY_HOST} (${ECHO_PROXY_IP})</p><pre>${echoOf(request)}</pre></body></html>`,
      };
    case 'redirect':
      return { kind: 'json', status: fault.status, headers: { Location: fault.location }, body: '' };
    case 'status': {
      const fallback = DEFAULT_STATUS_ERRORS[fault.status] ?? {
        code: fault.status,
        message: fault.status >= 500 ? 'Internal error' : 'Request failed',
      };
      const headers = fault.status === 429 ? { ...rateLimitHeaders(undefined, 1), ...fault.headers } : { ...fault.headers };
      return zoomError(fault.status, fault.code ?? fallback.code, fault.message ?? fallback.message, { headers });
    }
    case 'malformed':
      return fault.variant === 'wrong-shape'
        ? jsonAnswer(200, { page_size: 30, next_page_token: '', sessions: { id: 'not-an-array' } })
        : { kind: 'json', status: 200, headers: {}, body: '{"from":"2026-10-01","to":"2026-10-31","page_size":30,"next_page_token":"","sessions":[{"id":"sfk/aOF' };
    case 'hang':
    case 'reset':
      return { kind: fault.kind };
  }
}
