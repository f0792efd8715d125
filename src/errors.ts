import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import {
  ZoomBadResponseError,
  BudgetRefusal,
  ZoomBudgetError,
  ZoomCapacityError,
  ZoomCircuitOpenError,
  ZoomError,
  ZoomHttpError,
  ZoomNetworkError,
  ZoomPageTokenError,
  ZoomTimeoutError,
} from './zoom/errors';
import { rateLimitedLog } from './rate-limited-log';
import { scrubSecrets } from './scrub-secrets';
import { isDailyLimit } from './zoom/retry';
import { describeZoomCode } from './zoom/zoom-codes';
import { ClientQuotaError } from './budget/client-quota';

/** The codes clients may act on. Anything else reaching formatError is masked. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  CURSOR_EXPIRED: 'CURSOR_EXPIRED',
  ZOOM_RATE_LIMITED: 'ZOOM_RATE_LIMITED',
  ZOOM_AUTH_FAILED: 'ZOOM_AUTH_FAILED',
  ZOOM_NOT_FOUND: 'ZOOM_NOT_FOUND',
  ZOOM_UNAVAILABLE: 'ZOOM_UNAVAILABLE',
  ZOOM_BAD_RESPONSE: 'ZOOM_BAD_RESPONSE',
  SUBSCRIPTION_LIMIT_EXCEEDED: 'SUBSCRIPTION_LIMIT_EXCEEDED',
  /** Every request limit; `extensions.limit` says which, `max` and `found` by how much. */
  QUERY_LIMIT_EXCEEDED: 'QUERY_LIMIT_EXCEEDED',
  /** A document outside the trusted-documents manifests, from a client held to them. */
  DOCUMENT_NOT_TRUSTED: 'DOCUMENT_NOT_TRUSTED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** When Zoom rate-limits without saying for how long: its per-minute window. */
const DEFAULT_RETRY_AFTER_SECONDS = 60;

/**
 * Zoom refuses data of sessions older than a year with code 12702 (docs/zoom-contract.md §2, H);
 * the HTTP status it comes with is not documented (L), so the code alone decides.
 */
export const ZOOM_SESSION_TOO_OLD_CODE = 12702;

/** Codes graphql-js and Apollo Server assign themselves before execution; they are safe to pass on. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

export function badUserInput(message: string, argument: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, argument } });
}

interface MappedError {
  message: string;
  extensions: Record<string, unknown>;
}

function withTracking(code: ErrorCode, message: string, error: ZoomError, extra: Record<string, unknown> = {}): MappedError {
  const extensions: Record<string, unknown> = { code, ...extra };
  if (error.trackingId !== undefined) extensions.zoomTrackingId = error.trackingId;
  return { message, extensions };
}

/** Whole seconds, at least one: a client told "0" would ask again at once. */
function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * A lookup by id (an `_entities` representation) past the request's Zoom call cap. Unlike a
 * connection it has no cursor to continue from, so it fails alone with the gateway's own budget
 * code; `retryAfter` is when the next details call could go out, so a later request can ask.
 */
export function lookupCapReached(cap: number, retryAfterMs: number): GraphQLError {
  const retryAfter = seconds(retryAfterMs);
  return new GraphQLError(
    `This request has spent its ${cap} Zoom calls before this session could be looked up; ask for it in another request (in ${retryAfter} s or later).`,
    { extensions: { code: ErrorCode.ZOOM_RATE_LIMITED, ...rateLimited('CALL_LIMIT', retryAfter) } },
  );
}

/**
 * A request has spent its Heavy calls (inside sessions): what it still asks for fails alone, with
 * the gateway's budget code, and can be asked for in another request.
 */
export function heavyCapReached(cap: number): GraphQLError {
  return new GraphQLError(
    `This request has spent its ${cap} Heavy Zoom calls (details, participants, QoS, reports); ask for the rest in another request, or for fewer sessions at once.`,
    { extensions: { code: ErrorCode.ZOOM_RATE_LIMITED, ...rateLimited('CALL_LIMIT', 1) } },
  );
}

/**
 * Which limit refused a call, in `extensions.reason` of ZOOM_RATE_LIMITED: Zoom's window budget
 * (`WINDOW`), the daily cap (`DAILY_CAP`), a queue longer than a call may wait (`QUEUE`), Zoom's
 * own 429 (`ZOOM`), this client's quota (`CLIENT_QUOTA`), or the request's own call limit (`CALL_LIMIT`).
 */
export type RateLimitReason = 'WINDOW' | 'DAILY_CAP' | 'QUEUE' | 'ZOOM' | 'CLIENT_QUOTA' | 'CALL_LIMIT';

const BUDGET_REASONS: Record<BudgetRefusal, RateLimitReason> = { window: 'WINDOW', queue: 'QUEUE', paused: 'ZOOM', daily: 'DAILY_CAP' };

const BUDGET_REFUSALS: Record<BudgetRefusal, (retryAfter: number) => string> = {
  window: (retryAfter) => `The Zoom account's budget for this kind of call is spent for this window; the next slot frees in ${retryAfter} s.`,
  queue: (retryAfter) => `More calls of this kind are queued for Zoom than a call may wait for; the next slot is free in ${retryAfter} s.`,
  paused: (retryAfter) => `Zoom answered that its rate limit for this account is reached; calls of this kind resume in ${retryAfter} s.`,
  daily: (retryAfter) => `The Zoom account's daily cap of Heavy and Resource-intensive calls is spent; it resets at midnight UTC, in ${retryAfter} s.`,
};

/** `retryAfter` (kept for the clients that read it) and `retryAfterSeconds` both carry the true wait. */
function rateLimited(reason: RateLimitReason, retryAfter: number): Record<string, unknown> {
  return { reason, retryAfter, retryAfterSeconds: retryAfter };
}

/** What a client sees for a Zoom failure: a stable code and a message that says what to do. */
export function mapZoomError(error: ZoomError): MappedError {
  if (error instanceof ZoomBudgetError) {
    const retryAfter = seconds(error.retryAfterMs);
    return withTracking(ErrorCode.ZOOM_RATE_LIMITED, BUDGET_REFUSALS[error.reason](retryAfter), error, rateLimited(BUDGET_REASONS[error.reason], retryAfter));
  }
  if (error instanceof ZoomCapacityError) {
    // The gateway's own connections to Zoom were busy: Zoom is fine, and asking again soon works.
    const retryAfter = seconds(error.retryAfterMs);
    return withTracking(ErrorCode.ZOOM_RATE_LIMITED, `The gateway's connections to Zoom are all busy; no call went out. Try again in ${retryAfter} s.`, error, rateLimited('QUEUE', retryAfter));
  }
  if (error instanceof ClientQuotaError) {
    const retryAfter = seconds(error.retryAfterMs);
    const message =
      error.period === 'minute'
        ? `This client has used its quota of ${error.limit} Zoom calls a minute; other clients are still served. Try again in ${retryAfter} s.`
        : `This client has used its share of the Zoom account's daily cap (${error.limit} calls today); other clients are still served. It resets at midnight UTC, in ${retryAfter} s.`;
    return withTracking(ErrorCode.ZOOM_RATE_LIMITED, message, error, rateLimited('CLIENT_QUOTA', retryAfter));
  }
  if (error instanceof ZoomCircuitOpenError) {
    const retryAfter = seconds(error.retryAfterMs);
    return withTracking(ErrorCode.ZOOM_UNAVAILABLE, `Zoom is failing; the gateway tries again in ${retryAfter} s.`, error, { retryAfter });
  }
  if (error instanceof ZoomPageTokenError) {
    return withTracking(
      ErrorCode.CURSOR_EXPIRED,
      'Zoom no longer honours the page token behind this cursor (its tokens expire after 15 minutes). Restart from the first page: query again without `after`.',
      error,
    );
  }
  if (error instanceof ZoomHttpError) {
    if (error.zoomCode === ZOOM_SESSION_TOO_OLD_CODE) {
      return withTracking(ErrorCode.ZOOM_NOT_FOUND, 'Zoom keeps the data of a session for one year only: this session is older than a year.', error);
    }
    if (error.status === 429) {
      const retryAfter = error.retryAfterMs === undefined ? DEFAULT_RETRY_AFTER_SECONDS : seconds(error.retryAfterMs);
      return withTracking(ErrorCode.ZOOM_RATE_LIMITED, `Zoom's rate limit for this account is reached; try again in ${retryAfter} s.`, error, rateLimited(isDailyLimit(error) ? 'DAILY_CAP' : 'ZOOM', retryAfter));
    }
    if (error.status === 401 || error.status === 403) {
      return withTracking(ErrorCode.ZOOM_AUTH_FAILED, 'Zoom refused the gateway\'s credentials; an operator must check the Video SDK API key and secret.', error);
    }
    // Zoom's own text is never passed on (an echoing proxy would hand out the JWT): its code, told in our words.
    if (error.status === 404) return withTracking(ErrorCode.ZOOM_NOT_FOUND, `Zoom has no such resource${describeZoomCode(error.zoomCode)}.`, error);
    if (error.status === 400) {
      return withTracking(ErrorCode.BAD_USER_INPUT, `Zoom rejected the query${describeZoomCode(error.zoomCode)}.`, error);
    }
    return withTracking(ErrorCode.ZOOM_UNAVAILABLE, `Zoom failed to answer (HTTP ${error.status}); try again later.`, error);
  }
  if (error instanceof ZoomTimeoutError || error instanceof ZoomNetworkError) {
    return withTracking(ErrorCode.ZOOM_UNAVAILABLE, 'Zoom could not be reached in time; try again later.', error);
  }
  if (error instanceof ZoomBadResponseError) {
    return withTracking(ErrorCode.ZOOM_BAD_RESPONSE, 'Zoom sent a response the gateway cannot read; try again later.', error);
  }
  return withTracking(ErrorCode.ZOOM_UNAVAILABLE, 'Zoom failed to answer; try again later.', error);
}

/** What formatError writes to: a pino logger as it is (details first, then the message). */
export interface ErrorLogger {
  error(details: Record<string, unknown>, message: string): void;
  info(details: Record<string, unknown>, message: string): void;
}

export const VALIDATION_ABORTED_MESSAGE =
  'Validation aborted: the document repeats fields of one name in a selection more often than the validator will compare them (a guard against documents that are slow to validate). Ask for each field once.';

/** Zoom failures logged a minute, at most, per kind: a client can make them at will (a made-up id, a spent quota). */
export const ZOOM_ERRORS_LOGGED_PER_MINUTE = 60;
/** Unexpected errors logged a minute, at most, with their stacks; the next line logged says how many were left out. */
export const UNEXPECTED_ERRORS_LOGGED_PER_MINUTE = 60;

/** Refusals the gateway made itself, and Zoom's "not found": they follow from what clients ask, not from a fault. */
function isAnsweredRefusal(error: ZoomError): boolean {
  return error instanceof ClientQuotaError || error instanceof ZoomBudgetError || error instanceof ZoomCapacityError || (error instanceof ZoomHttpError && error.status === 404);
}

export interface FormatErrorOptions {
  /** graphql-js's "Did you mean …?" hints map the schema for strangers: off in production. */
  readonly hideSuggestions: boolean;
  /** The clock of the log's per-minute bound. */
  readonly now: () => number;
}

/** graphql-js refuses a document past `parseOptions.maxTokens` with a syntax error; it is a limit. */
const TOO_MANY_TOKENS = /Document contains more tha[nt] (\d+) tokens/;

/**
 * The one error normaliser: known errors keep their code, Zoom errors get theirs, anything
 * else is masked and logged. Never throws, and never passes on a stack trace.
 */
export function createFormatError(logger: ErrorLogger, options: FormatErrorOptions) {
  const zoomFailure = rateLimitedLog((details, message) => logger.error(details, message), ZOOM_ERRORS_LOGGED_PER_MINUTE, 60_000, options.now);
  const zoomRefusal = rateLimitedLog((details, message) => logger.info(details, message), ZOOM_ERRORS_LOGGED_PER_MINUTE, 60_000, options.now);
  // An input the gateway failed to foresee may be sent again at will: each stack is worth a line, a flood of them is not.
  const unexpected = rateLimitedLog((details, message) => logger.error(details, message), UNEXPECTED_ERRORS_LOGGED_PER_MINUTE, 60_000, options.now);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    try {
      const answer = format(formatted, error);
      // The last word on what leaves: no bearer token or JWT, whoever put it into a message.
      return { ...answer, message: scrubSecrets(answer.message) };
    } catch {
      return { message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
    }
  };

  function format(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
    const original = unwrapResolverError(error);
    const base = { locations: formatted.locations, path: formatted.path };
    // Limit refusals arrive wrapped as validation (or parse) failures; they keep their own code.
    if (typeof formatted.extensions?.limit === 'string') {
      const { limit, max, found } = formatted.extensions;
      return { ...base, message: formatted.message, extensions: { code: ErrorCode.QUERY_LIMIT_EXCEEDED, limit, max, found } };
    }
    // graphql-js gives up comparing fields of one name past a complexity budget, and says no more than this.
    if (formatted.message === 'Validation aborted.' && formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED') {
      return { ...base, message: VALIDATION_ABORTED_MESSAGE, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
    }
    const tokens = TOO_MANY_TOKENS.exec(formatted.message);
    if (tokens && formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED') {
      const max = Number(tokens[1]);
      return { ...base, message: `The document is too long (limit tokens: at most ${max}).`, extensions: { code: ErrorCode.QUERY_LIMIT_EXCEEDED, limit: 'tokens', max } };
    }
    if (original instanceof ZoomError) {
      const details = { error: original.message, trackingId: original.trackingId, path: formatted.path };
      if (isAnsweredRefusal(original)) zoomRefusal(details, 'zoom call refused or not found');
      else zoomFailure(details, 'zoom call failed');
      return { ...base, ...mapZoomError(original) };
    }
    const code = formatted.extensions?.code;
    // Apollo's own refusals of a request (e.g. a persisted-query hash that does not match) carry a 4xx but no code.
    const status = original instanceof GraphQLError ? (original.extensions?.http as { status?: number } | undefined)?.status : undefined;
    if (code === ErrorCode.INTERNAL_SERVER_ERROR && status !== undefined && status >= 400 && status < 500) {
      return { ...base, message: formatted.message, extensions: { code: 'BAD_REQUEST' } };
    }
    if (original instanceof GraphQLError && typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR && (code in ErrorCode || REQUEST_ERROR_CODES.has(code))) {
      const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
      const message = options.hideSuggestions ? formatted.message.replace(/ ?Did you mean .*\?$/, '') : formatted.message;
      return { ...base, message, extensions };
    }
    unexpected({
      error: scrubSecrets(original instanceof Error ? original.message : String(original)),
      stack: original instanceof Error && original.stack !== undefined ? scrubSecrets(original.stack) : undefined,
      path: formatted.path,
    }, 'unexpected error');
    return { ...base, message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  }
}
