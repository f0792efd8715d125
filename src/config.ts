/**
 * The only reader of process.env. Every setting is checked here, at start-up, and every
 * problem is reported in one message, so a bad deployment fails once with the whole list.
 */

import { scrubSecrets } from './scrub-secrets';
import { ZOOM_PLANS, ZOOM_PLAN_LIMITS, ZoomPlan } from './zoom/plans';
import { DEFAULT_MAX_ATTEMPTS } from './zoom/retry';

export const DEFAULT_ZOOM_API_BASE_URL = 'https://api.zoom.us/v2';
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
  /** Authenticates cursors; when unset it is derived from the Zoom API secret, which every instance shares. */
  readonly cursorSecret: string | undefined;
  readonly logLevel: LogLevel;
  readonly zoomBudget: ZoomBudgetConfig;
  readonly cache: CacheConfig;
  /** Set when instances share cache and rate budget through Redis; unset: everything in memory. */
  readonly redis: RedisConfig | undefined;
  readonly http: HttpConfig;
  readonly limits: LimitsConfig;
  readonly auth: AuthConfig;
  /** Serve /graphql as an Apollo Federation 2 subgraph (adds `_service` and `_entities`). */
  readonly federationSubgraph: boolean;
  /** Serve participants' IP addresses and locations; off by default, as personal data. */
  readonly exposePersonalData: boolean;
  /** Latency the built-in simulator adds to each answer (simulator mode only), to feel a real Zoom. */
  readonly simulatorLatencyMs: number;
  readonly live: LiveConfig;
}

/** Live sessions from Zoom's webhooks, and GraphQL subscriptions. */
export interface LiveConfig {
  /** The Secret Token of the Zoom app's event subscription; unset: no webhook route, live data is polled. */
  readonly webhookSecretToken: string | undefined;
  /** With webhooks: how often the live state is reconciled with one walk of Zoom's live list. */
  readonly reconcileMs: number;
  /** Without webhooks: how often the live list is compared with the last one, while anyone subscribes. */
  readonly pollMs: number;
  readonly webhookBodyLimitBytes: number;
  readonly subscriptionsPerConnection: number;
  /** Per client (API key, JWT subject, or address when anonymous), across its connections. */
  readonly subscriptionsPerClient: number;
  /** Events a subscriber may fall behind before its connection is dropped. */
  readonly subscriberBufferEvents: number;
  readonly keepAliveMs: number;
  readonly maxConnections: number;
}

export interface HttpConfig {
  readonly bodyLimitBytes: number;
  /** A GraphQL request still running after this long is answered 503 and its socket closed. */
  readonly requestTimeoutMs: number;
  /** A request's headers must have arrived this long after it started (408 `CLIENT_TIMEOUT` beyond). */
  readonly headersTimeoutMs: number;
  /** A request's headers and body must have arrived this long after it started (408 `CLIENT_TIMEOUT` beyond). */
  readonly bodyTimeoutMs: number;
  /** A socket that takes no byte of its answer for this long (the client stopped reading) is closed. */
  readonly sendStallTimeoutMs: number;
  /** Pipelined requests a socket may have waiting behind the one being answered; one more closes it. */
  readonly maxPipelinedRequests: number;
  /** Unsent answer bytes a socket may hold before its next pipelined request waits. */
  readonly maxUnsentBytes: number;
  /** Browser origins allowed by CORS; empty: no cross-origin browser access; ['*']: any. */
  readonly corsOrigins: readonly string[];
  readonly introspection: boolean;
  /** What a browser gets at GET /graphql: GraphiQL from the gateway's own files, Apollo Sandbox (from Apollo's CDN), or nothing. */
  readonly explorer: Explorer;
  /** The sessions dashboard (dashboard/, built by `npm run build`) at /dashboard. */
  readonly dashboard: boolean;
  /** After SIGTERM, in-flight requests get this long to finish. */
  readonly shutdownGraceMs: number;
  /** After SIGTERM, keep serving this long with readiness failing, so load balancers stop sending first. */
  readonly shutdownDelayMs: number;
  /** /metrics asks for `Authorization: Bearer <token>` when set. */
  readonly metricsToken: string | undefined;
  /** Serve /metrics on its own port instead of the main one. */
  readonly metricsPort: number | undefined;
  readonly logFormat: 'json' | 'pretty';
}

/** Limits checked before execution; each refusal names its limit. */
export interface LimitsConfig {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxRootFields: number;
  readonly maxDirectives: number;
  readonly maxTokens: number;
  readonly maxCost: number;
  /** The same for Heavy calls (inside a session), priced with nesting: a nested field times its parents' `first`. */
  readonly maxHeavyCost: number;
  /** Operations per batched HTTP request; 0 turns batching off. */
  readonly maxBatch: number;
}

export interface AuthConfig {
  /** Anonymous access (no credential asked); only when no credential source is set. */
  readonly anonymous: boolean;
  readonly apiKeys: readonly string[];
  /** One key per line, re-read on SIGHUP: rotation without a restart. */
  readonly apiKeysFile: string | undefined;
  readonly jwksUrl: string | undefined;
  readonly jwtSecret: string | undefined;
  readonly jwtIssuer: string | undefined;
  readonly jwtAudience: string | undefined;
}

export interface RedisConfig {
  readonly url: string;
  readonly keyPrefix: string;
  /** Every Redis command is cut after this; the request goes on without it. */
  readonly commandTimeoutMs: number;
}

/** How the gateway spends Zoom's rate limits and copes with its failures. */
export interface ZoomBudgetConfig {
  /** Sets every label's default budget and the daily cap from Zoom's table. */
  readonly plan: ZoomPlan;
  /** List sessions is Resource-intensive: 10/min on Pro, 20/min on Business+, per account. */
  readonly listSessionsPerMinute: number;
  /** Medium label (20/s Pro, 60/s Business+), counted per minute. */
  readonly sessionDetailsPerMinute: number;
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
  /** Attempts per Zoom call, the first included (1 disables retries). */
  readonly maxAttempts: number;
  readonly breakerFailures: number;
  readonly breakerCooldownMs: number;
  /** Zoom calls allowed to re-find a cursor whose Zoom token has expired. */
  readonly cursorRecoveryMaxCalls: number;
  /** Heavy calls (details, participants, QoS, reports) one GraphQL request may spend. */
  readonly maxHeavyCallsPerRequest: number;
}

export interface CacheConfig {
  /** 0 turns the page cache off (concurrent identical calls are still shared). */
  readonly maxEntries: number;
  /** What cached pages may hold in memory: Zoom's bytes times the measured factor (see page-cache.ts). */
  readonly maxBytes: number;
  /** Parsed documents Apollo keeps, by their real size in memory; 0 parses every request afresh. */
  readonly documentMaxBytes: number;
  readonly liveTtlMs: number;
  readonly recentTtlMs: number;
  readonly pastTtlMs: number;
  /** Details, participants and QoS of a session that has ended: they no longer change. */
  readonly endedSessionTtlMs: number;
  /** With Redis: pages kept in the in-process tier in front of it. */
  readonly localMaxEntries: number;
  /** Past its freshness, a page is kept this long to be served (marked stale) when Zoom fails or the budget is spent. */
  readonly staleMaxMs: number;
}

export const EXPLORERS = ['graphiql', 'sandbox', 'off'] as const;
export type Explorer = (typeof EXPLORERS)[number];

/** GraphiQL needs nothing from the internet, so it is the default wherever an explorer is. */
function readExplorer(env: Env, nodeEnv: NodeEnv, problems: string[]): Explorer {
  const raw = readOptional(env, 'GRAPHQL_EXPLORER')?.toLowerCase();
  if (raw === undefined) return nodeEnv === 'production' ? 'off' : 'graphiql';
  const explorer = EXPLORERS.find((known) => known === raw);
  if (explorer === undefined) problems.push(`GRAPHQL_EXPLORER must be one of ${EXPLORERS.join(', ')}; got "${env.GRAPHQL_EXPLORER}".`);
  return explorer ?? 'off';
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

function readBoolean(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'on', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'off', 'no'].includes(raw)) return false;
  problems.push(`${name} must be true or false; got "${env[name]}".`);
  return fallback;
}

function readFraction(env: Env, name: string, fallback: number, problems: string[]): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d*\.?\d+$/.test(raw) || !(value > 0 && value <= 1)) {
    problems.push(`${name} must be a fraction above 0 and at most 1; got "${env[name]}".`);
    return fallback;
  }
  return value;
}

function readPlan(env: Env, problems: string[]): ZoomPlan {
  const raw = env.ZOOM_PLAN?.trim().toLowerCase();
  if (raw === undefined || raw === '') return 'business';
  const plan = ZOOM_PLANS.find((known) => known === raw);
  if (plan === undefined) problems.push(`ZOOM_PLAN must be one of ${ZOOM_PLANS.join(', ')}; got "${env.ZOOM_PLAN}".`);
  return plan ?? 'business';
}

function readRedis(env: Env, problems: string[]): RedisConfig | undefined {
  const url = readOptional(env, 'REDIS_URL');
  const keyPrefix = env.REDIS_KEY_PREFIX ?? 'zoomgw:';
  const commandTimeoutMs = readInteger(env, 'REDIS_COMMAND_TIMEOUT_MS', 50, 5, 5_000, problems);
  if (!/^[\w:.\-]{0,64}$/.test(keyPrefix)) problems.push(`REDIS_KEY_PREFIX must be up to 64 letters, digits, or _ : . -; got "${keyPrefix}".`);
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new Error('protocol');
  } catch {
    // Never echo the URL: it may hold a password.
    problems.push('REDIS_URL must be a redis:// or rediss:// URL.');
    return undefined;
  }
  return { url, keyPrefix, commandTimeoutMs };
}

function readList(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function readOptional(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
}

function readUrl(env: Env, name: string, problems: string[]): string | undefined {
  const raw = readOptional(env, name);
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol === 'https:' || url.protocol === 'http:') return raw;
  } catch {
    // Reported below.
  }
  problems.push(`${name} must be an http(s) URL; got "${raw}".`);
  return undefined;
}

function readAuth(env: Env, nodeEnv: NodeEnv, problems: string[]): AuthConfig {
  const apiKeys = readList(env, 'GATEWAY_API_KEYS');
  const apiKeysFile = readOptional(env, 'GATEWAY_API_KEYS_FILE');
  const jwksUrl = readUrl(env, 'GATEWAY_JWKS_URL', problems);
  const jwtSecret = readOptional(env, 'GATEWAY_JWT_SECRET');
  if (jwtSecret !== undefined && jwtSecret.length < 32) problems.push('GATEWAY_JWT_SECRET must be at least 32 characters long.');
  if (apiKeys.some((key) => key.length < 16)) problems.push('GATEWAY_API_KEYS entries must be at least 16 characters long.');
  if (jwksUrl !== undefined && jwtSecret !== undefined) problems.push('Set GATEWAY_JWKS_URL or GATEWAY_JWT_SECRET, not both: a token is verified one way.');
  // Keys fetched over plain HTTP could be swapped by anyone on the path, and with them every token.
  if (jwksUrl !== undefined && nodeEnv === 'production' && !jwksUrl.startsWith('https:')) problems.push('GATEWAY_JWKS_URL must be an https URL in production.');
  const mode = readOptional(env, 'GATEWAY_AUTH')?.toLowerCase();
  if (mode !== undefined && mode !== 'on' && mode !== 'off') problems.push(`GATEWAY_AUTH must be on or off; got "${env.GATEWAY_AUTH}".`);
  const hasCredentials = apiKeys.length > 0 || apiKeysFile !== undefined || jwksUrl !== undefined || jwtSecret !== undefined;
  if (mode === 'off' && hasCredentials) problems.push('GATEWAY_AUTH=off contradicts the credentials set (GATEWAY_API_KEYS, GATEWAY_API_KEYS_FILE, GATEWAY_JWKS_URL, GATEWAY_JWT_SECRET).');
  if (mode === 'on' && !hasCredentials) problems.push('GATEWAY_AUTH=on needs GATEWAY_API_KEYS, GATEWAY_API_KEYS_FILE, GATEWAY_JWKS_URL or GATEWAY_JWT_SECRET.');
  if (nodeEnv === 'production' && !hasCredentials && mode !== 'off') {
    problems.push('In production clients must authenticate: set GATEWAY_API_KEYS, GATEWAY_API_KEYS_FILE, GATEWAY_JWKS_URL or GATEWAY_JWT_SECRET, or GATEWAY_AUTH=off if anonymous access is intended.');
  }
  return {
    anonymous: !hasCredentials,
    apiKeys,
    apiKeysFile,
    jwksUrl,
    jwtSecret,
    jwtIssuer: readOptional(env, 'GATEWAY_JWT_ISSUER'),
    jwtAudience: readOptional(env, 'GATEWAY_JWT_AUDIENCE'),
  };
}

/**
 * A Zoom call may wait a moment for its slot (the governor's clock moves while it decides, and a
 * shared store answers over the network): with no wait allowed, calls were refused while /readyz
 * showed the whole budget left. "No queueing" cannot be honoured, so it is refused here.
 */
export const MIN_QUEUE_MAX_WAIT_MS = 100;

function readQueueMaxWait(env: Env, problems: string[]): number {
  const raw = env.ZOOM_QUEUE_MAX_WAIT_MS?.trim();
  if (raw !== undefined && /^\d+$/.test(raw) && Number(raw) < MIN_QUEUE_MAX_WAIT_MS) {
    problems.push(`ZOOM_QUEUE_MAX_WAIT_MS must be at least ${MIN_QUEUE_MAX_WAIT_MS}: a Zoom call may wait a moment for its slot, so ${raw} would refuse calls the budget allows; got "${raw}".`);
    return 5_000;
  }
  return readInteger(env, 'ZOOM_QUEUE_MAX_WAIT_MS', 5_000, MIN_QUEUE_MAX_WAIT_MS, 120_000, problems);
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
  // Problems quote the URL without its user-info: a password must not reach the start-up log either.
  const shown = scrubSecrets(baseUrl);
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    problems.push(`ZOOM_API_BASE_URL must be an http(s) URL; got "${shown}".`);
  }
  if (url && url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push(`ZOOM_API_BASE_URL must be an http(s) URL; got "${shown}".`);
  }
  if (url && (url.username !== '' || url.password !== '')) {
    // Zoom takes the JWT only; user-info would be sent nowhere useful and printed in network errors.
    problems.push(`ZOOM_API_BASE_URL must not carry user-info (user:password@): Zoom authenticates by the JWT alone; got "${scrubSecrets(url.href)}".`);
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
  const plan = readPlan(env, problems);
  const planLimits = ZOOM_PLAN_LIMITS[plan];
  const listSessionsPerMinute = readInteger(env, 'ZOOM_LIST_SESSIONS_PER_MINUTE', planLimits.resourceIntensivePerMinute, 1, 100_000, problems);
  const heavyPerSecond = readInteger(env, 'ZOOM_HEAVY_PER_SECOND', planLimits.heavyPerSecond, 1, 10_000, problems);
  const zoomBudget: ZoomBudgetConfig = Object.freeze({
    plan,
    listSessionsPerMinute,
    sessionDetailsPerMinute: readInteger(env, 'ZOOM_SESSION_DETAILS_PER_MINUTE', planLimits.mediumPerSecond * 60, 1, 1_000_000, problems),
    heavyPerSecond,
    dailyLimit: readInteger(env, 'ZOOM_DAILY_LIMIT', planLimits.dailyLimit, 1, 100_000_000, problems),
    localBudgetShare: readFraction(env, 'ZOOM_LOCAL_BUDGET_SHARE', 0.5, problems),
    callsPerClientPerMinute: readInteger(env, 'ZOOM_CALLS_PER_CLIENT_PER_MINUTE', 0, 0, 1_000_000, problems),
    clientDailyShare: readInteger(env, 'ZOOM_CLIENT_DAILY_SHARE_PERCENT', DEFAULT_CLIENT_DAILY_SHARE_PERCENT, 0, 100, problems) / 100,
    refreshBudgetShare: readInteger(env, 'ZOOM_REFRESH_BUDGET_PERCENT', 25, 0, 90, problems) / 100,
    queueMaxWaitMs: readQueueMaxWait(env, problems),
    maxInFlight: readInteger(env, 'ZOOM_MAX_IN_FLIGHT', defaultMaxInFlight(listSessionsPerMinute, heavyPerSecond), 1, 1_000, problems),
    maxCallsPerRequest: readInteger(env, 'ZOOM_MAX_CALLS_PER_REQUEST', 6, 1, 1_000, problems),
    maxAttempts: readInteger(env, 'ZOOM_MAX_ATTEMPTS', DEFAULT_MAX_ATTEMPTS, 1, 10, problems),
    breakerFailures: readInteger(env, 'ZOOM_BREAKER_FAILURES', 5, 1, 1_000, problems),
    breakerCooldownMs: readInteger(env, 'ZOOM_BREAKER_COOLDOWN_MS', 30_000, 100, 3_600_000, problems),
    cursorRecoveryMaxCalls: readInteger(env, 'ZOOM_CURSOR_RECOVERY_MAX_CALLS', 3, 0, 100, problems),
    maxHeavyCallsPerRequest: readInteger(env, 'ZOOM_MAX_HEAVY_CALLS_PER_REQUEST', 100, 1, 10_000, problems),
  });
  const cache: CacheConfig = Object.freeze({
    maxEntries: readInteger(env, 'CACHE_MAX_ENTRIES', 5_000, 0, 10_000_000, problems),
    maxBytes: readInteger(env, 'CACHE_MAX_BYTES', 256 * 1024 * 1024, 0, 64 * 1024 ** 3, problems),
    documentMaxBytes: readInteger(env, 'DOCUMENT_CACHE_MAX_BYTES', 16 * 1024 * 1024, 0, 4 * 1024 ** 3, problems),
    liveTtlMs: readInteger(env, 'CACHE_TTL_LIVE_SECONDS', 30, 0, 86_400, problems) * 1000,
    recentTtlMs: readInteger(env, 'CACHE_TTL_RECENT_SECONDS', 60, 0, 86_400, problems) * 1000,
    pastTtlMs: readInteger(env, 'CACHE_TTL_PAST_SECONDS', 3_600, 0, 7 * 86_400, problems) * 1000,
    endedSessionTtlMs: readInteger(env, 'CACHE_TTL_ENDED_SESSION_SECONDS', 86_400, 0, 30 * 86_400, problems) * 1000,
    localMaxEntries: readInteger(env, 'CACHE_LOCAL_MAX_ENTRIES', 500, 0, 10_000_000, problems),
    staleMaxMs: readInteger(env, 'CACHE_STALE_MAX_SECONDS', 3_600, 0, 7 * 86_400, problems) * 1000,
  });
  const redis = readRedis(env, problems);
  const development = nodeEnv !== 'production';
  const metricsPort = readOptional(env, 'METRICS_PORT') === undefined ? undefined : readInteger(env, 'METRICS_PORT', 0, 0, 65535, problems);
  // Apollo Sandbox's embedded explorer calls from its own origin: development allows any origin by default.
  const corsOrigins = readOptional(env, 'CORS_ORIGINS') === undefined ? (development ? ['*'] : []) : readList(env, 'CORS_ORIGINS');
  if (nodeEnv === 'production' && corsOrigins.includes('*')) problems.push('CORS_ORIGINS=* is refused in production: list the origins.');
  const logFormat = readOptional(env, 'LOG_FORMAT') ?? (development && nodeEnv !== 'test' ? 'pretty' : 'json');
  if (logFormat !== 'json' && logFormat !== 'pretty') problems.push(`LOG_FORMAT must be json or pretty; got "${logFormat}".`);
  const httpDraft: HttpConfig = {
    bodyLimitBytes: readInteger(env, 'HTTP_BODY_LIMIT_BYTES', 64 * 1024, 1024, 16 * 1024 * 1024, problems),
    requestTimeoutMs: readInteger(env, 'REQUEST_TIMEOUT_MS', 30_000, 100, 600_000, problems),
    headersTimeoutMs: readInteger(env, 'HTTP_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000, problems),
    bodyTimeoutMs: readInteger(env, 'HTTP_BODY_TIMEOUT_MS', 20_000, 100, 600_000, problems),
    sendStallTimeoutMs: readInteger(env, 'HTTP_SEND_STALL_TIMEOUT_MS', 10_000, 100, 600_000, problems),
    maxPipelinedRequests: readInteger(env, 'HTTP_MAX_PIPELINED_REQUESTS', 16, 1, 10_000, problems),
    maxUnsentBytes: readInteger(env, 'HTTP_MAX_UNSENT_BYTES', 1024 * 1024, 0, 1024 ** 3, problems),
    corsOrigins: Object.freeze(corsOrigins),
    introspection: readBoolean(env, 'GRAPHQL_INTROSPECTION', development, problems),
    explorer: readExplorer(env, nodeEnv, problems),
    dashboard: readBoolean(env, 'DASHBOARD', development, problems),
    shutdownGraceMs: 0,
    // Behind a load balancer (production) the listener stays open while readiness fails, so it stops sending first.
    shutdownDelayMs: readInteger(env, 'SHUTDOWN_DELAY_MS', development ? 0 : 5_000, 0, 600_000, problems),
    metricsToken: readOptional(env, 'METRICS_TOKEN'),
    metricsPort,
    logFormat: logFormat === 'pretty' ? 'pretty' : 'json',
  };
  // Node refuses a headers deadline past the whole request's; said here, with the others, instead of at listen.
  if (httpDraft.headersTimeoutMs > httpDraft.bodyTimeoutMs) {
    problems.push(`HTTP_HEADERS_TIMEOUT_MS (${httpDraft.headersTimeoutMs}) must not exceed HTTP_BODY_TIMEOUT_MS (${httpDraft.bodyTimeoutMs}): the body timeout covers headers and body.`);
  }
  // The grace must cover the delay and the longest request, or shutdown cuts requests it promised to finish.
  const shutdownFloorMs = httpDraft.shutdownDelayMs + httpDraft.requestTimeoutMs;
  const shutdownGraceMs = readInteger(env, 'SHUTDOWN_GRACE_MS', shutdownFloorMs + 5_000, 0, 1_800_000, problems);
  if (shutdownGraceMs < shutdownFloorMs) {
    problems.push(`SHUTDOWN_GRACE_MS (${shutdownGraceMs}) must be at least SHUTDOWN_DELAY_MS + REQUEST_TIMEOUT_MS (${shutdownFloorMs}).`);
  }
  const http: HttpConfig = Object.freeze({ ...httpDraft, shutdownGraceMs });
  const limits: LimitsConfig = Object.freeze({
    maxDepth: readInteger(env, 'LIMIT_MAX_DEPTH', 10, 1, 1_000, problems),
    maxAliases: readInteger(env, 'LIMIT_MAX_ALIASES', 15, 0, 10_000, problems),
    maxRootFields: readInteger(env, 'LIMIT_MAX_ROOT_FIELDS', 10, 1, 10_000, problems),
    maxDirectives: readInteger(env, 'LIMIT_MAX_DIRECTIVES', 20, 0, 10_000, problems),
    maxTokens: readInteger(env, 'LIMIT_MAX_TOKENS', 2_000, 100, 1_000_000, problems),
    maxCost: readInteger(env, 'LIMIT_MAX_COST', 20, 1, 1_000_000, problems),
    maxHeavyCost: readInteger(env, 'LIMIT_MAX_HEAVY_COST', 100, 1, 1_000_000, problems),
    maxBatch: readInteger(env, 'LIMIT_MAX_BATCH', 0, 0, 100, problems),
  });
  const auth = Object.freeze(readAuth(env, nodeEnv, problems));
  const federationSubgraph = readBoolean(env, 'FEDERATION_SUBGRAPH', false, problems);
  const exposePersonalData = readBoolean(env, 'GATEWAY_EXPOSE_PERSONAL_DATA', false, problems);
  const simulatorLatencyMs = readInteger(env, 'SIMULATOR_LATENCY_MS', 0, 0, 60_000, problems);
  const live: LiveConfig = Object.freeze({
    webhookSecretToken: readOptional(env, 'ZOOM_WEBHOOK_SECRET_TOKEN'),
    reconcileMs: readInteger(env, 'ZOOM_LIVE_RECONCILE_SECONDS', 300, 1, 86_400, problems) * 1000,
    pollMs: readInteger(env, 'ZOOM_LIVE_POLL_SECONDS', 30, 1, 3_600, problems) * 1000,
    webhookBodyLimitBytes: readInteger(env, 'WEBHOOK_BODY_LIMIT_BYTES', 64 * 1024, 1024, 1024 * 1024, problems),
    subscriptionsPerConnection: readInteger(env, 'SUBSCRIPTIONS_MAX_PER_CONNECTION', 10, 1, 1_000, problems),
    subscriptionsPerClient: readInteger(env, 'SUBSCRIPTIONS_MAX_PER_CLIENT', 1_000, 1, 1_000_000, problems),
    subscriberBufferEvents: readInteger(env, 'SUBSCRIPTION_BUFFER_EVENTS', 256, 1, 100_000, problems),
    keepAliveMs: readInteger(env, 'SUBSCRIPTION_KEEPALIVE_SECONDS', 12, 1, 3_600, problems) * 1000,
    maxConnections: readInteger(env, 'SUBSCRIPTIONS_MAX_CONNECTIONS', 10_000, 1, 1_000_000, problems),
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    nodeEnv, host, port, zoom, zoomTimeoutMs, maxFirst, cursorSecret, logLevel, zoomBudget, cache, redis: redis === undefined ? undefined : Object.freeze(redis), http, limits, auth, federationSubgraph, exposePersonalData, simulatorLatencyMs, live,
  });
}
