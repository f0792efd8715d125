import type { Logger } from 'pino';
import { LuaScript } from './lua-script';
import { RedisConnection, accountDigest } from './redis-connection';

/**
 * Every instance serving one Zoom account must share one REDIS_KEY_PREFIX: the budgets, the daily
 * cap, the caches and the live state live under it, so instances on two prefixes each believe they
 * own the account's budget, and together call Zoom past its limits (429s, a daily cap spent twice)
 * without a word. Each instance notes its prefix this often under one key per account outside any
 * prefix (named by the account's digest alone, in the account's hash tag), and reads the others'.
 */
export const PREFIX_NOTE_MS = 60_000;
/** After a note that failed (a start-up's busy moments, Redis away): the next one this soon. */
const PREFIX_RETRY_MS = 5_000;
/** A prefix noted within this is in use; the key itself lives a day past the last note. */
export const PREFIX_IN_USE_MS = 5 * PREFIX_NOTE_MS;
const PREFIXES_KEY_TTL_MS = 24 * 60 * 60_000;

/** Notes one prefix and reads all. KEYS: the account's prefixes hash. ARGV: prefix, now, TTL. */
const NOTE_SCRIPT = new LuaScript(`
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return redis.call('HGETALL', KEYS[1])
`);

/** The account's prefixes key: no prefix, the same digest as accountNamespace() in the same braces. */
export function accountPrefixesKey(zoomApiKey: string): string {
  return `zoom-gateway-prefixes:{${accountDigest(zoomApiKey)}}`;
}

/** The other prefixes noted within PREFIX_IN_USE_MS, from the hash's flat field/value list. */
export function otherPrefixesInUse(flat: readonly string[], own: string, nowMs: number): string[] {
  const others: string[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const [prefix, at] = [flat[i], Number(flat[i + 1])];
    if (prefix !== own && nowMs - at <= PREFIX_IN_USE_MS) others.push(prefix);
  }
  return others.sort();
}

/** Notes this instance's prefix now and every PREFIX_NOTE_MS; logs an error whenever the set of other prefixes in use changes to a non-empty one. */
export function watchAccountPrefixes(options: { readonly redis: RedisConnection; readonly zoomApiKey: string; readonly now: () => number; readonly logger: Logger; readonly onOthers?: (others: readonly string[]) => void }): () => void {
  const { redis, logger } = options;
  const key = accountPrefixesKey(options.zoomApiKey);
  let told = '';
  const note = async (): Promise<void> => {
    const now = options.now();
    const flat = (await redis.run('account.prefixes', (client) => NOTE_SCRIPT.run(client, [key], [redis.keyPrefix, String(now), String(PREFIXES_KEY_TTL_MS)]))) as string[];
    const others = otherPrefixesInUse(flat, redis.keyPrefix, now);
    options.onOthers?.(others);
    const said = others.join(' ');
    if (said !== told && others.length > 0) {
      logger.error(
        { keyPrefix: redis.keyPrefix, otherPrefixes: others },
        `Other gateways serve this Zoom account on this Redis with another REDIS_KEY_PREFIX (${others.map((prefix) => JSON.stringify(prefix)).join(', ')}): each prefix keeps its own rate budget, daily cap, caches and live state, so together they call Zoom past its limits. Give every instance of one account the same REDIS_KEY_PREFIX.`,
      );
    }
    told = said;
  };
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  // A Redis that refuses the key (an ACL limited to the prefix), is away or busy only means nothing is learnt yet: asked again soon.
  const tick = (): void => {
    note().then(
      () => schedule(PREFIX_NOTE_MS),
      (error: unknown) => {
        logger.debug({ err: error }, 'REDIS_KEY_PREFIX of other instances not readable');
        schedule(PREFIX_RETRY_MS);
      },
    );
  };
  const schedule = (delayMs: number): void => {
    if (stopped) return;
    timer = setTimeout(tick, delayMs);
    timer.unref();
  };
  tick();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
