/** The process: where it listens, what it logs, what a browser finds, how it stops. */

import type { ModeDefaults } from './modes';
import { sectionReader, type Env } from './parse';
import { invalidProxyEntries } from './proxies';

export const SERVER_VARIABLES = [
  'HOST', // interface to listen on; default 0.0.0.0, or 127.0.0.1 for an anonymous gateway (index.ts)
  'PORT', // 4000
  'LOG_LEVEL', // pino level, info
  'LOG_FORMAT', // json or pretty; by mode
  'CORS_ORIGINS', // comma-separated browser origins; by mode
  'TRUSTED_PROXIES', // reverse proxies (addresses or CIDRs) whose X-Forwarded-For names the client
  'ALLOWED_HOSTS', // the names an anonymous gateway answers under, beside addresses and localhost
  'GRAPHQL_INTROSPECTION', // by mode
  'GRAPHQL_EXPLORER', // graphiql, sandbox or off; by mode
  'DASHBOARD', // the sessions dashboard at /dashboard; by mode
  'SHUTDOWN_DELAY_MS', // serve with readiness failing this long after SIGTERM; by mode
  'SHUTDOWN_GRACE_MS', // the whole shutdown; default and floor from the request timeout (index.ts)
  'METRICS_TOKEN', // bearer token /metrics asks for
  'METRICS_PORT', // serve /metrics on its own port
  'FEDERATION_SUBGRAPH', // serve /graphql as an Apollo Federation 2 subgraph
] as const;

export const EXPLORERS = ['graphiql', 'sandbox', 'off'] as const;
export type Explorer = (typeof EXPLORERS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_PORT = 4000;

/** The part of HttpConfig this section owns. */
export interface ServerHttpConfig {
  /** Browser origins allowed by CORS; empty: no cross-origin browser access; ['*']: any. */
  readonly corsOrigins: readonly string[];
  /** Reverse proxies (addresses or CIDRs) whose X-Forwarded-For names the client; empty: the socket's peer is the client. */
  readonly trustedProxies: readonly string[];
  /**
   * Host names an anonymous gateway answers under besides IP addresses, localhost and the hosts of CORS_ORIGINS
   * (transport/allowed-hosts.ts): `name`, `.domain` (its names) or `*` (any).
   */
  readonly allowedHosts: readonly string[];
  readonly introspection: boolean;
  /** What a browser gets at GET /graphql: GraphiQL from the gateway's own files, Apollo Sandbox (from Apollo's CDN), or nothing. */
  readonly explorer: Explorer;
  /** The sessions dashboard (dashboard/, built by `npm run build`) at /dashboard. */
  readonly dashboard: boolean;
  /** After SIGTERM, keep serving this long with readiness failing, so load balancers stop sending first. */
  readonly shutdownDelayMs: number;
  /** /metrics asks for `Authorization: Bearer <token>` when set. */
  readonly metricsToken: string | undefined;
  /** Serve /metrics on its own port instead of the main one. */
  readonly metricsPort: number | undefined;
  readonly logFormat: 'json' | 'pretty';
}

export interface ServerSection {
  /** HOST as set; its default depends on whether clients authenticate, which index.ts decides. */
  readonly hostSetting: string | undefined;
  readonly port: number;
  readonly logLevel: LogLevel;
  readonly federationSubgraph: boolean;
  readonly http: ServerHttpConfig;
  /** SHUTDOWN_GRACE_MS as set; its default and floor follow the request timeout, which index.ts applies. */
  readonly shutdownGraceSetting: number | undefined;
}

/** Where Apollo Sandbox's embedded explorer calls from. */
export const SANDBOX_ORIGIN = 'https://sandbox.embed.apollographql.com';

/** `*`, a host name, or `.domain` for every name under it; `_` as containers' service names have it (`zoom_gateway`). */
function isHostEntry(entry: string): boolean {
  return entry === '*' || /^\.?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/i.test(entry);
}

/** `*`, or an origin as a browser writes it, whose port may be `*` (transport/origin.ts matches them). */
function isOriginEntry(entry: string): boolean {
  return entry === '*' || /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:(\d{1,5}|\*))?$/i.test(entry);
}

export function readServer(env: Env, mode: ModeDefaults, problems: string[]): ServerSection {
  const read = sectionReader<(typeof SERVER_VARIABLES)[number]>(env, problems);
  const explorer = read.oneOf('GRAPHQL_EXPLORER', EXPLORERS, mode.explorer, { lowercase: true });
  // Sandbox's page is served from here, but its frame calls the gateway from Apollo's origin.
  const corsOrigins = read.list('CORS_ORIGINS') ?? (explorer === 'sandbox' ? [...mode.corsOrigins, SANDBOX_ORIGIN] : mode.corsOrigins);
  if (mode.refuseAnyOrigin && corsOrigins.includes('*')) read.problem('CORS_ORIGINS=* is refused in production: list the origins.');
  const notOrigins = corsOrigins.filter((entry) => !isOriginEntry(entry));
  if (notOrigins.length > 0) read.problem(`CORS_ORIGINS holds entries that are no origin (scheme://host[:port], no path or trailing slash; a port may be *): ${notOrigins.join(', ')}.`);
  const trustedProxies = read.list('TRUSTED_PROXIES') ?? [];
  const invalidProxies = invalidProxyEntries(trustedProxies);
  if (invalidProxies.length > 0) read.problem(`TRUSTED_PROXIES holds entries that are no address or CIDR: ${invalidProxies.join(', ')}.`);
  const allowedHosts = read.list('ALLOWED_HOSTS') ?? [];
  const notHosts = allowedHosts.filter((entry) => !isHostEntry(entry));
  if (notHosts.length > 0) read.problem(`ALLOWED_HOSTS holds entries that are no host name (name, .domain for its names, or *; no port or scheme): ${notHosts.join(', ')}.`);
  const logFormat = read.optional('LOG_FORMAT') ?? mode.logFormat;
  if (logFormat !== 'json' && logFormat !== 'pretty') read.problem(`LOG_FORMAT must be json or pretty; got "${logFormat}".`);
  return {
    hostSetting: read.optional('HOST'),
    port: read.int('PORT', DEFAULT_PORT, 0, 65535),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    federationSubgraph: read.bool('FEDERATION_SUBGRAPH', false),
    http: {
      corsOrigins: Object.freeze([...corsOrigins]),
      trustedProxies: Object.freeze([...trustedProxies]),
      allowedHosts: Object.freeze(allowedHosts.map((entry) => entry.toLowerCase())),
      introspection: read.bool('GRAPHQL_INTROSPECTION', mode.introspection),
      explorer,
      dashboard: read.bool('DASHBOARD', mode.dashboard),
      shutdownDelayMs: read.int('SHUTDOWN_DELAY_MS', mode.shutdownDelayMs, 0, 600_000),
      metricsToken: read.optional('METRICS_TOKEN'),
      metricsPort: read.optional('METRICS_PORT') === undefined ? undefined : read.int('METRICS_PORT', 0, 0, 65535),
      logFormat: logFormat === 'pretty' ? 'pretty' : 'json',
    },
    shutdownGraceSetting: read.optional('SHUTDOWN_GRACE_MS') === undefined ? undefined : read.int('SHUTDOWN_GRACE_MS', 0, 0, 1_800_000),
  };
}
