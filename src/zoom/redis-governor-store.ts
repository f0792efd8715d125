import type { RedisConnection } from '../redis/redis-connection';
import { LuaScript } from '../redis/lua-script';
import type { GovernorStore, LabelUsage, SlotAnswer, SlotRequest } from './governor-store';
import { RateBudget, pacingOf, windowMarginMs } from './pacing';
import type { RateLabel } from './rate-governor';

// Every script reads Redis's clock (TIME), not the caller's: hosts' clocks never agree, Redis's is one.
// Times are kept as "%.3f" strings: Lua's tostring keeps 14 digits, too few for epoch milliseconds.
const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000`;

/** KEYS: label hash, daily hash. ARGV: interval, burst, max wait, daily limit, idle ttl. */
const RESERVE = new LuaScript(`${NOW}
local interval, burst, maxWait, dailyLimit, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local resetAt = 0
if dailyLimit > 0 then
  resetAt = (math.floor(now / 86400000) + 1) * 86400000
  if tonumber(redis.call('HGET', KEYS[2], 'resetAt') or '0') ~= resetAt then redis.call('HSET', KEYS[2], 'resetAt', resetAt, 'used', 0) end
  if tonumber(redis.call('HGET', KEYS[2], 'used') or '0') >= dailyLimit then return {0, math.ceil(resetAt - now), 'daily'} end
end
local nextAt = tonumber(redis.call('HGET', KEYS[1], 'nextAt') or '0')
local paused = tonumber(redis.call('HGET', KEYS[1], 'pausedUntil') or '0')
local slot = math.max(now, nextAt - (burst - 1) * interval, paused)
if slot - now > maxWait then
  if paused > now then return {0, math.ceil(slot - now), 'paused'} end
  return {0, math.ceil(slot - now), 'budget'}
end
redis.call('HSET', KEYS[1], 'nextAt', string.format('%.3f', math.max(nextAt, slot) + interval))
redis.call('PEXPIRE', KEYS[1], math.ceil(slot - now + ttl))
if dailyLimit > 0 then
  redis.call('HINCRBY', KEYS[2], 'used', 1)
  redis.call('PEXPIREAT', KEYS[2], resetAt + 3600000)
end
return {1, math.ceil(slot - now), ''}`);

/** KEYS: label hash. ARGV: pause length, idle ttl. */
const PAUSE = new LuaScript(`${NOW}
local untilMs = now + tonumber(ARGV[1])
if tonumber(redis.call('HGET', KEYS[1], 'pausedUntil') or '0') < untilMs then redis.call('HSET', KEYS[1], 'pausedUntil', string.format('%.3f', untilMs)) end
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[1]) + tonumber(ARGV[2])))
return 1`);

/** KEYS: label hash, daily hash. Returns the next slot and the pause relative to now, and today's count. */
const USAGE = new LuaScript(`${NOW}
local nextAt = tonumber(redis.call('HGET', KEYS[1], 'nextAt') or '0')
local paused = tonumber(redis.call('HGET', KEYS[1], 'pausedUntil') or '0')
local used = 0
if tonumber(redis.call('HGET', KEYS[2], 'resetAt') or '0') > now then used = tonumber(redis.call('HGET', KEYS[2], 'used') or '0') end
return {string.format('%.3f', nextAt - now), string.format('%.3f', paused - now), used}`);

/** How long a label's state outlives its last call: a window and its margin, then it means nothing. */
function idleTtlMs(budget: RateBudget): number {
  return budget.windowMs + windowMarginMs(budget.windowMs);
}

/** Governor slots shared by every instance of one Zoom account, kept atomically in Redis. */
export class RedisGovernorStore implements GovernorStore {
  constructor(
    private readonly connection: RedisConnection,
    /** The account's namespace (accountNamespace()). */
    private readonly namespace: string,
  ) {}

  isAvailable(): boolean {
    return this.connection.isUp();
  }

  async reserve({ label, budget, maxWaitMs, dailyLimit }: SlotRequest): Promise<SlotAnswer> {
    const { intervalMs, burst } = pacingOf(budget);
    const reply = await this.connection.run('governor.reserve', (client) =>
      RESERVE.run(client, [this.labelKey(label), this.dailyKey()], [intervalMs.toFixed(3), burst, maxWaitMs, dailyLimit, idleTtlMs(budget)]),
    );
    const [granted, waitMs, reason] = reply as [number, number, string];
    if (granted === 1) return { granted: true, waitMs: Number(waitMs) };
    return { granted: false, waitMs: Number(waitMs), reason: reason === 'daily' ? 'daily' : reason === 'paused' ? 'paused' : 'budget' };
  }

  async pause(label: RateLabel, forMs: number): Promise<void> {
    await this.connection.run('governor.pause', (client) => PAUSE.run(client, [this.labelKey(label)], [Math.ceil(forMs), 60_000]));
  }

  async pausedFor(label: RateLabel): Promise<number> {
    const [, paused] = await this.read(label);
    return Math.max(0, paused);
  }

  async usage(label: RateLabel, budget: RateBudget): Promise<LabelUsage> {
    const [nextIn, paused, dailyUsed] = await this.read(label);
    return { committed: Math.max(0, Math.ceil(nextIn / pacingOf(budget).intervalMs)), pausedForMs: Math.max(0, Math.ceil(paused)), dailyUsed };
  }

  private async read(label: RateLabel): Promise<[number, number, number]> {
    const reply = (await this.connection.run('governor.usage', (client) => USAGE.run(client, [this.labelKey(label), this.dailyKey()], []))) as [string, string, number];
    return [Number(reply[0]), Number(reply[1]), Number(reply[2])];
  }

  private labelKey(label: RateLabel): string {
    return `${this.namespace}governor:${label}`;
  }

  private dailyKey(): string {
    return `${this.namespace}governor:daily`;
  }
}
