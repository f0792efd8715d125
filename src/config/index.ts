/**
 * The only reader of the environment. Every section checks its settings at start-up and every
 * problem is reported in one message, so a bad deployment fails once with the whole list.
 * Development and production differ only through MODE_DEFAULTS (modes.ts).
 */

import { AUTH_VARIABLES, readAuth, type AuthConfig } from './auth';
import { CACHE_VARIABLES, readCache, type CacheConfig } from './cache';
import { LIVE_VARIABLES, readLive, type LiveConfig } from './live';
import { MODE_VARIABLES, readMode, type NodeEnv } from './modes';
import type { Env } from './parse';
import { REDIS_VARIABLES, readRedis, type RedisConfig } from './redis';
import { REQUESTS_VARIABLES, readRequests, type LimitsConfig, type RequestHttpConfig } from './requests';
import { SERVER_VARIABLES, readServer, type LogLevel, type ServerHttpConfig } from './server';
import { TRACING_VARIABLES, readTracing, type TracingConfig } from './tracing';
import { TRUSTED_DOCUMENTS_VARIABLES, readTrustedDocuments, type TrustedDocumentsConfig } from './trusted-documents';
import { ZOOM_VARIABLES, readZoom, type ZoomTarget } from './zoom';
import { ZOOM_BUDGET_VARIABLES, readZoomBudget, type ZoomBudgetConfig } from './zoom-budget';

export type { AuthConfig } from './auth';
export type { CacheConfig } from './cache';
export { withEnvFile } from './env-file';
export type { LiveConfig } from './live';
export { MODE_DEFAULTS, type ModeDefaults, type NodeEnv } from './modes';
export type { Env } from './parse';
export type { RedisConfig } from './redis';
export type { LimitsConfig } from './requests';
export { EXPLORERS, LOG_LEVELS, type Explorer, type LogLevel } from './server';
export { DEFAULT_SERVICE_NAME, type TracingConfig } from './tracing';
export { TRUSTED_DOCUMENTS_MODES, type TrustedDocumentsConfig, type TrustedDocumentsMode } from './trusted-documents';
export { DEFAULT_ZOOM_API_BASE_URL, type ZoomTarget } from './zoom';
export { DEFAULT_MAX_IN_FLIGHT, MIN_QUEUE_MAX_WAIT_MS, type ZoomBudgetConfig } from './zoom-budget';

/** Every variable the gateway reads, by section; the README's table is checked against it. */
export const CONFIG_VARIABLES = {
  mode: MODE_VARIABLES,
  server: SERVER_VARIABLES,
  zoom: ZOOM_VARIABLES,
  zoomBudget: ZOOM_BUDGET_VARIABLES,
  cache: CACHE_VARIABLES,
  redis: REDIS_VARIABLES,
  requests: REQUESTS_VARIABLES,
  auth: AUTH_VARIABLES,
  live: LIVE_VARIABLES,
  trustedDocuments: TRUSTED_DOCUMENTS_VARIABLES,
  tracing: TRACING_VARIABLES,
} as const;

export interface HttpConfig extends ServerHttpConfig, RequestHttpConfig {
  /** After SIGTERM, in-flight requests get this long to finish. */
  readonly shutdownGraceMs: number;
}

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
  readonly trustedDocuments: TrustedDocumentsConfig;
  /** Set when spans are exported over OTLP; unset: no traces, at no cost. */
  readonly tracing: TracingConfig | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** A gateway nobody has to authenticate to stays on this machine unless HOST says otherwise. */
export const ANONYMOUS_DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_HOST = '0.0.0.0';
/** The grace past the shutdown delay and the longest request, by default. */
const SHUTDOWN_GRACE_MARGIN_MS = 5_000;

/** Reads and checks every setting; throws one ConfigError listing every problem. */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const { nodeEnv, mode } = readMode(env, problems);
  const server = readServer(env, mode, problems);
  const zoom = readZoom(env, mode, problems);
  const zoomBudget = readZoomBudget(env, problems);
  const cache = readCache(env, problems);
  const redis = readRedis(env, problems);
  const requests = readRequests(env, problems);
  const auth = readAuth(env, mode, problems);
  const live = readLive(env, problems);
  const trustedDocuments = readTrustedDocuments(env, problems);
  const tracing = readTracing(env, problems);

  // The grace must cover the delay and the longest request, or shutdown cuts requests it promised to finish.
  const shutdownFloorMs = server.http.shutdownDelayMs + requests.http.requestTimeoutMs;
  const shutdownGraceMs = server.shutdownGraceSetting ?? shutdownFloorMs + SHUTDOWN_GRACE_MARGIN_MS;
  if (shutdownGraceMs < shutdownFloorMs) {
    problems.push(`SHUTDOWN_GRACE_MS (${shutdownGraceMs}) must be at least SHUTDOWN_DELAY_MS + REQUEST_TIMEOUT_MS (${shutdownFloorMs}).`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    nodeEnv,
    host: server.hostSetting ?? (auth.anonymous ? ANONYMOUS_DEFAULT_HOST : DEFAULT_HOST),
    port: server.port,
    zoom: Object.freeze(zoom.zoom),
    zoomTimeoutMs: zoom.zoomTimeoutMs,
    maxFirst: requests.maxFirst,
    cursorSecret: requests.cursorSecret,
    logLevel: server.logLevel,
    zoomBudget: Object.freeze(zoomBudget),
    cache: Object.freeze(cache),
    redis: redis === undefined ? undefined : Object.freeze(redis),
    http: Object.freeze({ ...server.http, ...requests.http, shutdownGraceMs }),
    limits: Object.freeze(requests.limits),
    auth: Object.freeze(auth),
    federationSubgraph: server.federationSubgraph,
    exposePersonalData: requests.exposePersonalData,
    simulatorLatencyMs: zoom.simulatorLatencyMs,
    live: Object.freeze(live),
    trustedDocuments: Object.freeze(trustedDocuments),
    tracing: tracing === undefined ? undefined : Object.freeze(tracing),
  });
}
