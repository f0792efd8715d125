/**
 * The only reader of process.env. Every setting is checked here, at start-up, and every
 * problem is reported in one message, so a bad deployment fails once with the whole list.
 */

export const DEFAULT_ZOOM_API_BASE_URL = 'https://api.zoom.us/v2';

export type NodeEnv = 'development' | 'production' | 'test';

/** Where Zoom calls go: the real API with the operator's credentials, or the built-in simulator. */
export type ZoomTarget =
  | { readonly kind: 'zoom'; readonly baseUrl: string; readonly apiKey: string; readonly apiSecret: string }
  | { readonly kind: 'simulator' };

export interface Config {
  readonly nodeEnv: NodeEnv;
  readonly host: string;
  readonly port: number;
  readonly zoom: ZoomTarget;
  /** Cut a Zoom call, body included, after this long. */
  readonly zoomTimeoutMs: number;
  /** The largest `first` a client may ask for. */
  readonly maxFirst: number;
  /** Signs cursors; when unset it is derived from the Zoom API secret, which every instance shares. */
  readonly cursorSecret: string | undefined;
  readonly logLevel: LogLevel;
  readonly zoomBudget: ZoomBudgetConfig;
  readonly cache: CacheConfig;
}

/** How the gateway spends Zoom's rate limits and copes with its failures. */
export interface ZoomBudgetConfig {
  /** List sessions is Resource-intensive: 10/min on Pro, 20/min on Business+, per account. */
  readonly listSessionsPerMinute: number;
  /** How long a call may queue for budget before the client is told ZOOM_RATE_LIMITED. */
  readonly queueMaxWaitMs: number;
  /** Zoom calls one GraphQL request may spend; past it the connection returns what it has. */
  readonly maxCallsPerRequest: number;
  /** Attempts per Zoom call, the first included (1 disables retries). */
  readonly maxAttempts: number;
  readonly breakerFailures: number;
  readonly breakerCooldownMs: number;
  /** Zoom calls allowed to re-find a cursor whose Zoom token has expired. */
  readonly cursorRecoveryMaxCalls: number;
}

export interface CacheConfig {
  /** 0 turns the page cache off (concurrent identical calls are still shared). */
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly liveTtlMs: number;
  readonly recentTtlMs: number;
  readonly pastTtlMs: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

function readLogLevel(env: Env, problems: string[]): LogLevel {
  const raw = env.LOG_LEVEL?.trim();
  if (raw === undefined || raw === '') return 'info';
  const level = LOG_LEVELS.find((known) => known === raw);
  if (level === undefined) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${raw}".`);
  return level ?? 'info';
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function readInteger(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}; got "${raw}".`);
    return fallback;
  }
  return Number(raw);
}

function readNodeEnv(env: Env, problems: string[]): NodeEnv {
  const raw = env.NODE_ENV;
  if (raw === undefined || raw === '') return 'development';
  if (raw === 'development' || raw === 'production' || raw === 'test') return raw;
  problems.push(`NODE_ENV must be development, production or test; got "${raw}".`);
  return 'development';
}

function readZoomTarget(env: Env, problems: string[]): ZoomTarget {
  const apiKey = env.ZOOM_VIDEOSDK_API_KEY?.trim() || undefined;
  const apiSecret = env.ZOOM_VIDEOSDK_API_SECRET?.trim() || undefined;
  const baseUrl = env.ZOOM_API_BASE_URL?.trim() || DEFAULT_ZOOM_API_BASE_URL;
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    problems.push(`ZOOM_API_BASE_URL must be an http(s) URL; got "${baseUrl}".`);
  }
  if (url && url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push(`ZOOM_API_BASE_URL must be an http(s) URL; got "${baseUrl}".`);
  }
  if (apiKey === undefined && apiSecret === undefined) return { kind: 'simulator' };
  if (apiKey === undefined) problems.push('ZOOM_VIDEOSDK_API_SECRET is set but ZOOM_VIDEOSDK_API_KEY is not: set both, or neither to use the simulator.');
  if (apiSecret === undefined) problems.push('ZOOM_VIDEOSDK_API_KEY is set but ZOOM_VIDEOSDK_API_SECRET is not: set both, or neither to use the simulator.');
  return { kind: 'zoom', baseUrl, apiKey: apiKey ?? '', apiSecret: apiSecret ?? '' };
}

/** Reads and checks every setting; throws one ConfigError listing every problem. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const nodeEnv = readNodeEnv(env, problems);
  const host = env.HOST?.trim() || '0.0.0.0';
  const port = readInteger(env, 'PORT', 4000, 0, 65535, problems);
  const zoom = readZoomTarget(env, problems);
  const zoomTimeoutMs = readInteger(env, 'ZOOM_TIMEOUT_MS', 10_000, 100, 120_000, problems);
  const maxFirst = readInteger(env, 'SESSIONS_MAX_FIRST', 300, 1, 10_000, problems);
  const cursorSecret = env.CURSOR_SECRET === undefined || env.CURSOR_SECRET === '' ? undefined : env.CURSOR_SECRET;
  if (cursorSecret !== undefined && cursorSecret.length < 32) problems.push('CURSOR_SECRET must be at least 32 characters long.');
  const logLevel = readLogLevel(env, problems);
  const zoomBudget: ZoomBudgetConfig = Object.freeze({
    listSessionsPerMinute: readInteger(env, 'ZOOM_LIST_SESSIONS_PER_MINUTE', 20, 1, 100_000, problems),
    queueMaxWaitMs: readInteger(env, 'ZOOM_QUEUE_MAX_WAIT_MS', 5_000, 0, 120_000, problems),
    maxCallsPerRequest: readInteger(env, 'ZOOM_MAX_CALLS_PER_REQUEST', 6, 1, 1_000, problems),
    maxAttempts: readInteger(env, 'ZOOM_MAX_ATTEMPTS', 3, 1, 10, problems),
    breakerFailures: readInteger(env, 'ZOOM_BREAKER_FAILURES', 5, 1, 1_000, problems),
    breakerCooldownMs: readInteger(env, 'ZOOM_BREAKER_COOLDOWN_MS', 30_000, 100, 3_600_000, problems),
    cursorRecoveryMaxCalls: readInteger(env, 'ZOOM_CURSOR_RECOVERY_MAX_CALLS', 3, 0, 100, problems),
  });
  const cache: CacheConfig = Object.freeze({
    maxEntries: readInteger(env, 'CACHE_MAX_ENTRIES', 5_000, 0, 10_000_000, problems),
    maxBytes: readInteger(env, 'CACHE_MAX_BYTES', 256 * 1024 * 1024, 0, 64 * 1024 ** 3, problems),
    liveTtlMs: readInteger(env, 'CACHE_TTL_LIVE_SECONDS', 30, 0, 86_400, problems) * 1000,
    recentTtlMs: readInteger(env, 'CACHE_TTL_RECENT_SECONDS', 60, 0, 86_400, problems) * 1000,
    pastTtlMs: readInteger(env, 'CACHE_TTL_PAST_SECONDS', 3_600, 0, 7 * 86_400, problems) * 1000,
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({ nodeEnv, host, port, zoom, zoomTimeoutMs, maxFirst, cursorSecret, logLevel, zoomBudget, cache });
}
