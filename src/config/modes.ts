/**
 * NODE_ENV, and everything that differs between development and production: the one table that
 * says so. Sections take their mode-dependent defaults and rules from here and nowhere else.
 */

import { sectionReader, type Env } from './parse';

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

export const MODE_VARIABLES = [
  'NODE_ENV', // development (the default), production or test: picks a row of MODE_DEFAULTS
] as const;

export interface ModeDefaults {
  /**
   * CORS_ORIGINS unset. Not `*` in development: a page on any site would then read a local gateway
   * through its developer's browser. Pages on loopback may; Apollo Sandbox's origin is added when it is the explorer.
   */
  readonly corsOrigins: readonly string[];
  /** CORS_ORIGINS=* is refused: a deployment lists its browser origins. */
  readonly refuseAnyOrigin: boolean;
  readonly introspection: boolean;
  /** GraphiQL needs nothing from the internet, so it is the default wherever an explorer is. */
  readonly explorer: 'graphiql' | 'off';
  readonly dashboard: boolean;
  readonly logFormat: 'json' | 'pretty';
  /** Behind a load balancer the listener stays open while readiness fails, so it stops sending first. */
  readonly shutdownDelayMs: number;
  /** No credential source set: refused unless GATEWAY_AUTH=off says anonymous access is intended. */
  readonly requireClientAuth: boolean;
  /** Keys fetched over plain HTTP could be swapped by anyone on the path, and with them every token. */
  readonly requireHttpsJwks: boolean;
  /** No Zoom credentials: refused unless ZOOM_SIMULATOR=on, so a deployment never serves made-up data by accident. */
  readonly requireZoomCredentials: boolean;
}

/** Browser pages served from this machine, on any port: a frontend's dev server, GraphiQL opened by hand. */
export const LOOPBACK_ORIGINS: readonly string[] = ['http://localhost:*', 'https://localhost:*', 'http://127.0.0.1:*', 'https://127.0.0.1:*', 'http://[::1]:*', 'https://[::1]:*'];

export const MODE_DEFAULTS: Readonly<Record<NodeEnv, ModeDefaults>> = {
  development: {
    corsOrigins: LOOPBACK_ORIGINS, refuseAnyOrigin: false, introspection: true, explorer: 'graphiql', dashboard: true, logFormat: 'pretty',
    shutdownDelayMs: 0, requireClientAuth: false, requireHttpsJwks: false, requireZoomCredentials: false,
  },
  // As development, but logs stay machine-readable for the test runner.
  test: {
    corsOrigins: LOOPBACK_ORIGINS, refuseAnyOrigin: false, introspection: true, explorer: 'graphiql', dashboard: true, logFormat: 'json',
    shutdownDelayMs: 0, requireClientAuth: false, requireHttpsJwks: false, requireZoomCredentials: false,
  },
  production: {
    corsOrigins: [], refuseAnyOrigin: true, introspection: false, explorer: 'off', dashboard: false, logFormat: 'json',
    shutdownDelayMs: 5_000, requireClientAuth: true, requireHttpsJwks: true, requireZoomCredentials: true,
  },
};

export function readMode(env: Env, problems: string[]): { readonly nodeEnv: NodeEnv; readonly mode: ModeDefaults } {
  const read = sectionReader<(typeof MODE_VARIABLES)[number]>(env, problems);
  const raw = read.raw('NODE_ENV');
  const known = NODE_ENVS.find((mode) => mode === raw);
  if (known === undefined && raw !== undefined && raw !== '') read.problem(`NODE_ENV must be development, production or test; got "${raw}".`);
  const nodeEnv = known ?? 'development';
  return { nodeEnv, mode: MODE_DEFAULTS[nodeEnv] };
}
