/** The caches of Zoom's answers, and of parsed GraphQL documents. */

import { sectionReader, type Env } from './parse';

export const CACHE_VARIABLES = [
  'CACHE_MAX_ENTRIES', // 5000 pages; 0 turns the page cache off
  'CACHE_MAX_BYTES', // 256 MiB of what cached pages hold in memory
  'DOCUMENT_CACHE_MAX_BYTES', // 16 MiB of parsed documents (and of persisted query texts); 0 parses every request
  'CACHE_TTL_LIVE_SECONDS', // 30
  'CACHE_TTL_RECENT_SECONDS', // 60
  'CACHE_TTL_PAST_SECONDS', // 3600
  'CACHE_TTL_ENDED_SESSION_SECONDS', // 86400
  'CACHE_LOCAL_MAX_ENTRIES', // 500, with Redis
  'CACHE_STALE_MAX_SECONDS', // 3600
] as const;

export interface CacheConfig {
  readonly maxEntries: number;
  /** Bounds what cached pages hold in memory (parsed and mapped sessions, cursors), not Zoom's raw bytes. */
  readonly maxBytes: number;
  /** Parsed GraphQL documents kept, by their real size in memory; 0 parses every request. */
  readonly documentMaxBytes: number;
  /** Freshness of a page of live sessions. */
  readonly liveTtlMs: number;
  /** Freshness of a page of past sessions of a window that includes today. */
  readonly recentTtlMs: number;
  /** Freshness of a page of a window that ended before today. */
  readonly pastTtlMs: number;
  /** Details, participants and QoS of an ended session, which no longer change. */
  readonly endedSessionTtlMs: number;
  /** With Redis: pages kept in the in-process tier in front of it. */
  readonly localMaxEntries: number;
  /** Past its freshness, a page is kept this long to be served (marked stale) when Zoom fails or the budget is spent. */
  readonly staleMaxMs: number;
}

const SECOND = 1_000;
const DAY_SECONDS = 86_400;

export function readCache(env: Env, problems: string[]): CacheConfig {
  const read = sectionReader<(typeof CACHE_VARIABLES)[number]>(env, problems);
  return {
    maxEntries: read.int('CACHE_MAX_ENTRIES', 5_000, 0, 10_000_000),
    maxBytes: read.int('CACHE_MAX_BYTES', 256 * 1024 * 1024, 0, 64 * 1024 ** 3),
    documentMaxBytes: read.int('DOCUMENT_CACHE_MAX_BYTES', 16 * 1024 * 1024, 0, 4 * 1024 ** 3),
    liveTtlMs: read.int('CACHE_TTL_LIVE_SECONDS', 30, 0, DAY_SECONDS) * SECOND,
    recentTtlMs: read.int('CACHE_TTL_RECENT_SECONDS', 60, 0, DAY_SECONDS) * SECOND,
    pastTtlMs: read.int('CACHE_TTL_PAST_SECONDS', 3_600, 0, 7 * DAY_SECONDS) * SECOND,
    endedSessionTtlMs: read.int('CACHE_TTL_ENDED_SESSION_SECONDS', DAY_SECONDS, 0, 30 * DAY_SECONDS) * SECOND,
    localMaxEntries: read.int('CACHE_LOCAL_MAX_ENTRIES', 500, 0, 10_000_000),
    staleMaxMs: read.int('CACHE_STALE_MAX_SECONDS', 3_600, 0, 7 * DAY_SECONDS) * SECOND,
  };
}
