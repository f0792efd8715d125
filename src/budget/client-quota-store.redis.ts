import { createHash, randomUUID } from 'node:crypto';
import { LuaScript } from '../redis/lua-script';
import { type RedisConnection, redisKey } from '../redis/redis-connection';
import { CLIENT_QUOTA_WINDOW_MS, type ClientQuotaStore, type QuotaAnswer, type QuotaLimits } from './client-quota-store';

/**
 * One client's minute (a sorted set of call tickets by time) and day (a hash: resetAt, used), atomically, on
 * Redis's clock as the governor's windows are. KEYS: minute log, day hash. ARGV: window, perMinute, perDay, ticket,
 * day floor.
 * Returns {1, day's resetAt} when granted, {0, period, wait ms} when not.
 */
const TAKE = new LuaScript(`local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local window, perMinute, perDay = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local resetAt = (math.floor(now / 86400000) + 1) * 86400000
if tonumber(redis.call('HGET', KEYS[2], 'resetAt') or '0') ~= resetAt then redis.call('HSET', KEYS[2], 'resetAt', resetAt, 'used', 0) end
if tonumber(redis.call('HGET', KEYS[2], 'used')) < tonumber(ARGV[5]) then redis.call('HSET', KEYS[2], 'used', ARGV[5]) end
redis.call('PEXPIREAT', KEYS[2], resetAt + 3600000)
if perDay > 0 and tonumber(redis.call('HGET', KEYS[2], 'used')) >= perDay then return {0, 'day', math.ceil(resetAt - now)} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.3f', now - window))
if perMinute > 0 then
  local counted = redis.call('ZCARD', KEYS[1])
  if counted >= perMinute then
    local oldest = redis.call('ZRANGE', KEYS[1], counted - perMinute, counted - perMinute, 'WITHSCORES')
    return {0, 'minute', math.ceil(tonumber(oldest[2]) + window - now)}
  end
end
redis.call('ZADD', KEYS[1], string.format('%.3f', now), ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
redis.call('HINCRBY', KEYS[2], 'used', 1)
return {1, resetAt}`);

/**
 * Uncounts one granted call: its ticket leaves the minute log (if still there), and the day's count drops by one
 * if it is still the day the call was counted in. KEYS: minute log, day hash. ARGV: ticket, the day's resetAt.
 */
const GIVE_BACK = new LuaScript(`redis.call('ZREM', KEYS[1], ARGV[1])
if tonumber(redis.call('HGET', KEYS[2], 'resetAt') or '0') == tonumber(ARGV[2]) and tonumber(redis.call('HGET', KEYS[2], 'used') or '0') > 0 then
  redis.call('HINCRBY', KEYS[2], 'used', -1)
end
return 1`);

/**
 * Every instance's count of each client's calls. Clients are API keys among others: a key is stored
 * only as a digest, so Redis never holds a credential.
 */
export class RedisClientQuotaStore implements ClientQuotaStore {
  private readonly instance = randomUUID();
  private tickets = 0;

  constructor(
    private readonly redis: RedisConnection,
    private readonly namespace: string,
  ) {}

  isAvailable(): boolean {
    return this.redis.isUp();
  }

  async take(client: string, limits: QuotaLimits, dayFloor = 0): Promise<QuotaAnswer> {
    const digest = createHash('sha256').update(client).digest('base64url').slice(0, 22);
    // Both keys on one hash slot (Redis Cluster) by the account's hash tag in the namespace (accountNamespace()).
    const keys = [redisKey(this.namespace, digest, 'minute'), redisKey(this.namespace, digest, 'day')];
    const ticket = `${this.instance}:${(this.tickets += 1)}`;
    const answer = (await this.redis.run('client-quota', (client) => TAKE.run(client, keys, [CLIENT_QUOTA_WINDOW_MS, limits.perMinute, limits.perDay, ticket, dayFloor]))) as [number, string | number, number?];
    if (answer[0] === 1) {
      const dayResetAt = String(answer[1]);
      let givenBack = false;
      const giveBack = async (): Promise<void> => {
        if (givenBack) return;
        givenBack = true;
        await this.redis.run('client-quota', (client) => GIVE_BACK.run(client, keys, [ticket, dayResetAt]));
      };
      return { granted: true, giveBack };
    }
    return { granted: false, period: answer[1] === 'day' ? 'day' : 'minute', retryAfterMs: Number(answer[2]) };
  }
}
