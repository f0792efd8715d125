/** What one client request may be and ask for: HTTP bounds, query limits, pages, cursors, personal data. */

import { sectionReader, type Env } from './parse';

export const REQUESTS_VARIABLES = [
  'HTTP_BODY_LIMIT_BYTES', // 64 KiB
  'REQUEST_TIMEOUT_MS', // 30000: answered 503 REQUEST_TIMEOUT past it
  'HTTP_HEADERS_TIMEOUT_MS', // 10000, at most HTTP_BODY_TIMEOUT_MS
  'HTTP_BODY_TIMEOUT_MS', // 20000
  'HTTP_SEND_STALL_TIMEOUT_MS', // 10000
  'HTTP_MAX_PIPELINED_REQUESTS', // 16
  'HTTP_MAX_UNSENT_BYTES', // 1 MiB
  'HTTP_MAX_CONNECTIONS', // 2000: past it a new connection closes the oldest idle or still sending
  'LIMIT_MAX_DEPTH', // 10
  'LIMIT_MAX_ALIASES', // 15
  'LIMIT_MAX_ROOT_FIELDS', // 10
  'LIMIT_MAX_DIRECTIVES', // 20
  'LIMIT_MAX_TOKENS', // 2000
  'LIMIT_MAX_COST', // 20
  'LIMIT_MAX_HEAVY_COST', // 100
  'LIMIT_MAX_BATCH', // 0: batching off
  'SESSIONS_MAX_FIRST', // 300
  'CURSOR_SECRET', // 32+ characters; unset: derived from the Zoom API secret
  'GATEWAY_EXPOSE_PERSONAL_DATA', // false: participants' IP addresses and locations are null
] as const;

/** The part of HttpConfig this section owns. */
export interface RequestHttpConfig {
  readonly bodyLimitBytes: number;
  /** A GraphQL request still running after this long is answered 503 and its socket closed. */
  readonly requestTimeoutMs: number;
  /** A request's headers must have arrived this long after it started (408 `CLIENT_TIMEOUT` beyond). */
  readonly headersTimeoutMs: number;
  /** A request's headers and body must have arrived this long after it started (408 `CLIENT_TIMEOUT` beyond). */
  readonly bodyTimeoutMs: number;
  /** A socket that takes no byte of its answer, or of an event stream waiting for it, for this long (the client stopped reading) is closed. */
  readonly sendStallTimeoutMs: number;
  /** Pipelined requests a socket may have waiting behind the one being answered; one more closes it. */
  readonly maxPipelinedRequests: number;
  /** Unsent answer bytes a socket may hold before its next pipelined request waits. */
  readonly maxUnsentBytes: number;
  /** Open HTTP connections past which a new one closes the oldest that is idle or still sending its request. */
  readonly maxConnections: number;
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

export interface RequestsSection {
  readonly http: RequestHttpConfig;
  readonly limits: LimitsConfig;
  /** The largest `first` a client may ask for. */
  readonly maxFirst: number;
  /** Authenticates cursors; when unset it is derived from the Zoom API secret, which every instance shares. */
  readonly cursorSecret: string | undefined;
  /** Serve participants' IP addresses and locations; off by default, as personal data. */
  readonly exposePersonalData: boolean;
}

export function readRequests(env: Env, problems: string[]): RequestsSection {
  const read = sectionReader<(typeof REQUESTS_VARIABLES)[number]>(env, problems);
  const http: RequestHttpConfig = {
    bodyLimitBytes: read.int('HTTP_BODY_LIMIT_BYTES', 64 * 1024, 1024, 16 * 1024 * 1024),
    requestTimeoutMs: read.int('REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
    headersTimeoutMs: read.int('HTTP_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
    bodyTimeoutMs: read.int('HTTP_BODY_TIMEOUT_MS', 20_000, 100, 600_000),
    sendStallTimeoutMs: read.int('HTTP_SEND_STALL_TIMEOUT_MS', 10_000, 100, 600_000),
    maxPipelinedRequests: read.int('HTTP_MAX_PIPELINED_REQUESTS', 16, 1, 10_000),
    maxUnsentBytes: read.int('HTTP_MAX_UNSENT_BYTES', 1024 * 1024, 0, 1024 ** 3),
    maxConnections: read.int('HTTP_MAX_CONNECTIONS', 2_000, 10, 1_000_000),
  };
  // Node refuses a headers deadline past the whole request's; said here, with the others, instead of at listen.
  if (http.headersTimeoutMs > http.bodyTimeoutMs) {
    read.problem(`HTTP_HEADERS_TIMEOUT_MS (${http.headersTimeoutMs}) must not exceed HTTP_BODY_TIMEOUT_MS (${http.bodyTimeoutMs}): the body timeout covers headers and body.`);
  }
  const maxFirst = read.int('SESSIONS_MAX_FIRST', 300, 1, 10_000);
  const cursorSecret = read.raw('CURSOR_SECRET') || undefined;
  if (cursorSecret !== undefined && cursorSecret.length < 32) read.problem('CURSOR_SECRET must be at least 32 characters long.');
  return {
    http,
    limits: {
      maxDepth: read.int('LIMIT_MAX_DEPTH', 10, 1, 1_000),
      maxAliases: read.int('LIMIT_MAX_ALIASES', 15, 0, 10_000),
      maxRootFields: read.int('LIMIT_MAX_ROOT_FIELDS', 10, 1, 10_000),
      maxDirectives: read.int('LIMIT_MAX_DIRECTIVES', 20, 0, 10_000),
      maxTokens: read.int('LIMIT_MAX_TOKENS', 2_000, 100, 1_000_000),
      maxCost: read.int('LIMIT_MAX_COST', 20, 1, 1_000_000),
      maxHeavyCost: read.int('LIMIT_MAX_HEAVY_COST', 100, 1, 1_000_000),
      maxBatch: read.int('LIMIT_MAX_BATCH', 0, 0, 100),
    },
    maxFirst,
    cursorSecret,
    exposePersonalData: read.bool('GATEWAY_EXPOSE_PERSONAL_DATA', false),
  };
}
