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
/** A prefix noted within this is in use; one not noted for a day is dropped, and the key lives a day past the last note. */
export const PREFIX_IN_USE_MS = 5 * PREFIX_NOTE_MS;
const PREFIXES_KEY_TTL_MS = 24 * 60 * 60_000;

/**
 * Notes one prefix at Redis's clock (TIME: the hosts' clocks are never compared), drops prefixes not
 * noted for the key's TTL, and answers the others noted within the in-use time.
 * KEYS: the account's prefixes hash. ARGV: prefix, in-use ms, TTL ms.
 */
const NOTE_SCRIPT = new LuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], ARGV[1], now)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
local flat = redis.call('HGETALL', KEYS[1])
local others = {}
for i = 1, #flat, 2 do
  local at = tonumber(flat[i + 1]) or 0
  if now - at > tonumber(ARGV[3]) then redis.call('HDEL', KEYS[1], flat[i])
  elseif flat[i] ~= ARGV[1] and now - at <= tonumber(ARGV[2]) then table.insert(others, flat[i]) end
end
return others
`);

/** The account's prefixes key: no prefix, the same digest as accountNamespace() in the same braces. */
export function accountPrefixesKey(zoomApiKey: string): string {
  return `zoom-gateway-prefixes:{${accountDigest(zoomApiKey)}}`;
}

/** Notes this instance's prefix now and every PREFIX_NOTE_MS; logs an error whenever the set of other prefixes in use changes to a non-empty one. */
export function watchAccountPrefixes(options: { readonly redis: RedisConnection; readonly zoomApiKey: string; readonly logger: Logger; readonly onOthers?: (others: readonly string[]) => void }): () => void {
  const { redis, logger } = options;
  const key = accountPrefixesKey(options.zoomApiKey);
  let told = '';
  const note = async (): Promise<void> => {
    const others = ((await redis.run('account.prefixes', (client) => NOTE_SCRIPT.run(client, [key], [redis.keyPrefix, String(PREFIX_IN_USE_MS), String(PREFIXES_KEY_TTL_MS)]))) as string[]).sort();
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
        // Refused by Redis itself (an ACL confining the gateway to its prefix): no sooner than usual. Away or busy: soon.
        schedule(error instanceof Error && error.name === 'ReplyError' ? PREFIX_NOTE_MS : PREFIX_RETRY_MS);
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
