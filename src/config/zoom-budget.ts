/** How the gateway spends Zoom's rate limits and copes with its failures. */

import { ZOOM_PLANS, ZOOM_PLAN_LIMITS, type ZoomPlan } from '../zoom/plans';
import { DEFAULT_MAX_ATTEMPTS } from '../zoom/retry';
import { sectionReader, type Env } from './parse';

export const ZOOM_BUDGET_VARIABLES = [
  'ZOOM_PLAN', // pro or business (default): the default of every budget and of the daily cap
  'ZOOM_LIST_SESSIONS_PER_MINUTE', // by plan: List sessions, Resource-intensive
  'ZOOM_HEAVY_PER_SECOND', // by plan: details, participants, QoS, daily report
  'ZOOM_DAILY_LIMIT', // by plan: the daily cap
  'ZOOM_LOCAL_BUDGET_SHARE', // 0.5: what one instance spends alone while Redis is unreachable
  'ZOOM_CALLS_PER_CLIENT_PER_MINUTE', // 0 (no quota)
  'ZOOM_CLIENT_DAILY_SHARE_PERCENT', // DEFAULT_CLIENT_DAILY_SHARE_PERCENT: one client's share of the daily cap
  'ZOOM_REFRESH_BUDGET_PERCENT', // 25
  'ZOOM_QUEUE_MAX_WAIT_MS', // 5000, at least MIN_QUEUE_MAX_WAIT_MS
  'ZOOM_MAX_IN_FLIGHT', // defaultMaxInFlight: the whole burst of a window
  'ZOOM_MAX_CALLS_PER_REQUEST', // 6
  'ZOOM_MAX_ATTEMPTS', // DEFAULT_MAX_ATTEMPTS
  'ZOOM_BREAKER_FAILURES', // 5
  'ZOOM_BREAKER_COOLDOWN_MS', // 30000
  'ZOOM_CURSOR_RECOVERY_MAX_CALLS', // 3
  'ZOOM_MAX_HEAVY_CALLS_PER_REQUEST', // 100
] as const;

/**
 * Zoom calls on the wire at once, at least: 40 calls a second (the details and participants work)
 * at Zoom's usual few hundred ms need about 12-20; 24 leaves room without opening a socket per client.
 */
export const DEFAULT_MAX_IN_FLIGHT = 24;
/**
 * One client may spend a tenth of the daily cap: a client looking up made-up ids, or walking
 * every month at once, cannot spend the day for all, and ten busy clients still fit.
 */
export const DEFAULT_CLIENT_DAILY_SHARE_PERCENT = 10;
/** The default never opens more than this many calls at once, however large the budgets configured. */
export const DEFAULT_MAX_IN_FLIGHT_CEILING = 100;

/**
 * The governor may release a whole window's List sessions budget and a second's Heavy budget at
 * once: the default lets all of them on the wire together, so none waits locally for a slot
 * (Business+: 20 + 40 = 60).
 */
export function defaultMaxInFlight(listSessionsPerMinute: number, heavyPerSecond: number): number {
  return Math.min(DEFAULT_MAX_IN_FLIGHT_CEILING, Math.max(DEFAULT_MAX_IN_FLIGHT, listSessionsPerMinute + heavyPerSecond));
}

/**
 * A Zoom call may wait a moment for its slot (the governor's clock moves while it decides, and a
 * shared store answers over the network): with no wait allowed, calls would be refused while
 * /readyz shows the whole budget left. "No queueing" cannot be honoured, so it is refused here.
 */
export const MIN_QUEUE_MAX_WAIT_MS = 100;
const DEFAULT_QUEUE_MAX_WAIT_MS = 5_000;

export interface ZoomBudgetConfig {
  /** Sets every label's default budget and the daily cap from Zoom's table. */
  readonly plan: ZoomPlan;
  /** List sessions is Resource-intensive: 10/min on Pro, 20/min on Business+, per account. */
  readonly listSessionsPerMinute: number;
  /** Heavy label: 10/s on Pro, 40/s on Business+. */
  readonly heavyPerSecond: number;
  /** Heavy plus Resource-intensive calls a day: 30,000 Pro, 60,000 Business+. */
  readonly dailyLimit: number;
  /** The fraction of each budget an instance spends alone while Redis is unreachable (1/N for N instances). */
  readonly localBudgetShare: number;
  /** Zoom calls one client (API key, JWT subject, or address) may cause per minute on one instance; 0: no quota. */
  readonly callsPerClientPerMinute: number;
  /** The share of the daily cap one client may spend per UTC day on one instance; 0: no such quota. */
  readonly clientDailyShare: number;
  /** The share of the queue kept for refreshing pages in use: other calls wait at most the rest of ZOOM_QUEUE_MAX_WAIT_MS. */
  readonly refreshBudgetShare: number;
  /** How long a call may queue for budget and then for a free call slot before the client is told ZOOM_RATE_LIMITED. */
  readonly queueMaxWaitMs: number;
  /** Zoom calls on the wire at once per instance; the agent keeps a few sockets more, so no call waits inside it. */
  readonly maxInFlight: number;
  /** Zoom calls one GraphQL request may spend; past it the connection returns what it has. */
  readonly maxCallsPerRequest: number;
  /** Attempts per Zoom call, the first included; 1 disables retries. */
  readonly maxAttempts: number;
  /** Consecutive failures that open the circuit breaker. */
  readonly breakerFailures: number;
  readonly breakerCooldownMs: number;
  /** Zoom calls allowed to re-find a cursor whose Zoom page token expired; 0 answers CURSOR_EXPIRED. */
  readonly cursorRecoveryMaxCalls: number;
  /** Heavy Zoom calls (details, participants, QoS, daily report) one GraphQL request may spend. */
  readonly maxHeavyCallsPerRequest: number;
}

export function readZoomBudget(env: Env, problems: string[]): ZoomBudgetConfig {
  const read = sectionReader<(typeof ZOOM_BUDGET_VARIABLES)[number]>(env, problems);
  const plan = read.oneOf('ZOOM_PLAN', ZOOM_PLANS, 'business', { lowercase: true });
  const planLimits = ZOOM_PLAN_LIMITS[plan];
  const queueWait = read.optional('ZOOM_QUEUE_MAX_WAIT_MS');
  const waitTooShort = queueWait !== undefined && /^\d+$/.test(queueWait) && Number(queueWait) < MIN_QUEUE_MAX_WAIT_MS;
  if (waitTooShort) {
    read.problem(`ZOOM_QUEUE_MAX_WAIT_MS must be at least ${MIN_QUEUE_MAX_WAIT_MS}: a Zoom call may wait a moment for its slot, so ${queueWait} would refuse calls the budget allows; got "${queueWait}".`);
  }
  const listSessionsPerMinute = read.int('ZOOM_LIST_SESSIONS_PER_MINUTE', planLimits.resourceIntensivePerMinute, 1, 100_000);
  const heavyPerSecond = read.int('ZOOM_HEAVY_PER_SECOND', planLimits.heavyPerSecond, 1, 10_000);
  return {
    plan,
    listSessionsPerMinute,
    heavyPerSecond,
    dailyLimit: read.int('ZOOM_DAILY_LIMIT', planLimits.dailyLimit, 1, 100_000_000),
    localBudgetShare: read.fraction('ZOOM_LOCAL_BUDGET_SHARE', 0.5),
    callsPerClientPerMinute: read.int('ZOOM_CALLS_PER_CLIENT_PER_MINUTE', 0, 0, 1_000_000),
    clientDailyShare: read.int('ZOOM_CLIENT_DAILY_SHARE_PERCENT', DEFAULT_CLIENT_DAILY_SHARE_PERCENT, 0, 100) / 100,
    refreshBudgetShare: read.int('ZOOM_REFRESH_BUDGET_PERCENT', 25, 0, 90) / 100,
    queueMaxWaitMs: waitTooShort ? DEFAULT_QUEUE_MAX_WAIT_MS : read.int('ZOOM_QUEUE_MAX_WAIT_MS', DEFAULT_QUEUE_MAX_WAIT_MS, MIN_QUEUE_MAX_WAIT_MS, 120_000),
    maxInFlight: read.int('ZOOM_MAX_IN_FLIGHT', defaultMaxInFlight(listSessionsPerMinute, heavyPerSecond), 1, 1_000),
    maxCallsPerRequest: read.int('ZOOM_MAX_CALLS_PER_REQUEST', 6, 1, 1_000),
    maxAttempts: read.int('ZOOM_MAX_ATTEMPTS', DEFAULT_MAX_ATTEMPTS, 1, 10),
    breakerFailures: read.int('ZOOM_BREAKER_FAILURES', 5, 1, 1_000),
    breakerCooldownMs: read.int('ZOOM_BREAKER_COOLDOWN_MS', 30_000, 100, 3_600_000),
    cursorRecoveryMaxCalls: read.int('ZOOM_CURSOR_RECOVERY_MAX_CALLS', 3, 0, 100),
    maxHeavyCallsPerRequest: read.int('ZOOM_MAX_HEAVY_CALLS_PER_REQUEST', 100, 1, 10_000),
  };
}
