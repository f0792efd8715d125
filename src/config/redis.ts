/** Redis, when instances share the cache, single flight, the budgets and the live state. */

import { parseRedisUrl } from '../redis/redis-url';
import { sectionReader, type Env } from './parse';

export const REDIS_VARIABLES = [
  'REDIS_URL', // redis://, rediss://, redis+sentinel://, redis+cluster:// (src/redis/redis-url.ts); unset: everything in memory
  'REDIS_KEY_PREFIX', // zoomgw:
  'REDIS_COMMAND_TIMEOUT_MS', // 50
] as const;

export interface RedisConfig {
  readonly url: string;
  readonly keyPrefix: string;
  /** Every Redis command is cut after this; the request goes on without it. */
  readonly commandTimeoutMs: number;
}

export function readRedis(env: Env, problems: string[]): RedisConfig | undefined {
  const read = sectionReader<(typeof REDIS_VARIABLES)[number]>(env, problems);
  const url = read.optional('REDIS_URL');
  // An empty prefix is allowed (raw, not trimmed to unset): keys then start with the account digest.
  const keyPrefix = read.raw('REDIS_KEY_PREFIX') ?? 'zoomgw:';
  const commandTimeoutMs = read.int('REDIS_COMMAND_TIMEOUT_MS', 50, 5, 5_000);
  if (!/^[\w:.\-]{0,64}$/.test(keyPrefix)) read.problem(`REDIS_KEY_PREFIX must be up to 64 letters, digits, or _ : . -; got "${keyPrefix}".`);
  if (url === undefined) return undefined;
  // Its problems never echo the URL's user or password.
  const parsed = parseRedisUrl(url);
  if (!parsed.ok) {
    for (const problem of parsed.problems) read.problem(problem);
    return undefined;
  }
  return { url, keyPrefix, commandTimeoutMs };
}
