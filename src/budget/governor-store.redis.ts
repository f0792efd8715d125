import type { RedisConnection } from '../redis/redis-connection';
import { LuaScript } from '../redis/lua-script';
import { randomUUID } from 'node:crypto';
import { type DailyCount, type GovernorStore, type LabelUsage, PAUSE_TTL_MARGIN_MS, type RefusalReason, type SlotAnswer, type SlotRequest, USAGE_ENTRIES_READ, type WindowEntry } from './governor-store';
import { type RateBudget, type RateLabel, countedSpanMs } from './rate-label';
import { MAX_RETRY_AFTER_MS } from '../zoom/retry-after';

// Every script reads Redis's clock (TIME), not the caller's: hosts' clocks never agree, Redis's is one.
// Times are written as "%.3f" strings: Lua's tostring keeps 14 digits, too few for epoch milliseconds.
const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000`;
/**
 * Calls counted towards the daily cap and given back (granted, never sent), for the day whose reset is `day`: kept
 * beside the day they belong to, as a release that does not know them resets the day's count without them.
 */
const RETURNED = `local function returnedOn(key, day)
  if tonumber(redis.call('HGET', key, 'returnedDay') or '0') ~= day then return 0 end
  return tonumber(redis.call('HGET', key, 'returned') or '0')
end`;

/**
 * The same accounting as window.ts's nextSlot, atomically for every instance: the label's log is
 * a sorted set of tickets by send time. KEYS: label log, label state hash, daily hash, epoch, the label's
 * queued tickets (slotted ahead, not gone yet: a sorted set by slot). ARGV: span,
 * limit, max wait, daily limit, daily floor, ticket, daily count seen and its reset, the floor's
 * reset (each count applied only to the day it was counted in: hosts' midnights are not Redis's),
 * the old release's count and its reset (see legacyDaily: what it adds since last applied is added), a new
 * epoch (the windows' generation, written with the first grant when there is none), and the caller's window
 * check: the epoch it knows ('' none), '1' if it granted calls alone, its own calls in the window; the epoch's TTL.
 * Returns {granted, wait, reason ('restore': put your calls back first, nothing decided), today's count, its
 * reset, epoch ('' while none), the calls the window counted (when it was read)}.
 */
const RESERVE = new LuaScript(`${NOW}
${RETURNED}
local span, limit, maxWait, dailyLimit, dailyFloor = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local epoch = redis.call('GET', KEYS[4]) or ''
if tonumber(ARGV[15]) > 0 and (ARGV[14] == '1' or (ARGV[13] ~= '' and ARGV[13] ~= epoch)) then return {0, 0, 'restore', 0, 0, epoch} end
local resetAt, used = 0, 0
if dailyLimit > 0 then
  resetAt = (math.floor(now / 86400000) + 1) * 86400000
  if tonumber(redis.call('HGET', KEYS[3], 'resetAt') or '0') ~= resetAt then redis.call('HSET', KEYS[3], 'resetAt', resetAt, 'used', 0, 'legacyApplied', 0) end
  used = tonumber(redis.call('HGET', KEYS[3], 'used') or '0')
  if tonumber(ARGV[11]) == resetAt then
    local legacy, applied = tonumber(ARGV[10]), tonumber(redis.call('HGET', KEYS[3], 'legacyApplied') or '0')
    if legacy > applied then
      used = used + legacy - applied
      redis.call('HSET', KEYS[3], 'used', used, 'legacyApplied', legacy)
    end
  end
  local raised = used
  local floorDay, seen = tonumber(ARGV[9]), tonumber(ARGV[7])
  if (floorDay == 0 or floorDay == resetAt) and raised < dailyFloor then raised = dailyFloor end
  if tonumber(ARGV[8]) == resetAt and raised < seen then raised = seen end
  if raised > used then
    used = raised
    redis.call('HSET', KEYS[3], 'used', used)
  end
  redis.call('PEXPIREAT', KEYS[3], resetAt + 3600000)
  if used - returnedOn(KEYS[3], resetAt) >= dailyLimit then return {0, math.ceil(resetAt - now), 'daily', used, resetAt, epoch} end
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.3f', now - span))
local counted = redis.call('ZCARD', KEYS[1])
local at = now
if counted >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], counted - limit, counted - limit, 'WITHSCORES')
  at = math.max(at, tonumber(oldest[2]) + span)
end
local lastQueued = now
if counted > 0 then lastQueued = tonumber(redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')[2]) end
local paused = tonumber(redis.call('HGET', KEYS[2], 'pausedUntil') or '0')
at = math.max(at, lastQueued, paused)
if at - now > maxWait then
  local reason = 'window'
  if paused >= at then reason = 'paused' elseif lastQueued > now then reason = 'queue' end
  return {0, string.format('%.3f', at - now), reason, used, resetAt, epoch, counted}
end
if epoch == '' then epoch = ARGV[12] end
redis.call('SET', KEYS[4], epoch, 'PX', ARGV[16])
redis.call('ZADD', KEYS[1], string.format('%.3f', at), ARGV[6])
redis.call('PEXPIRE', KEYS[1], math.ceil(at - now + span))
if at > now then
  redis.call('ZADD', KEYS[5], string.format('%.3f', at), ARGV[6])
  redis.call('PEXPIRE', KEYS[5], math.ceil(at - now + span))
end
redis.call('PEXPIRE', KEYS[2], math.ceil(math.max(at - now + span, paused - now + ${PAUSE_TTL_MARGIN_MS})))
if dailyLimit > 0 then used = redis.call('HINCRBY', KEYS[3], 'used', 1) end
return {1, string.format('%.3f', at - now), '', used, resetAt, epoch, counted}`);

/**
 * Calls an instance made in a window the store lost (or never saw: granted by the instance alone while Redis
 * was away), put back where they were; a ticket the log holds already is left as it is. KEYS: label log,
 * epoch. ARGV: span, a new epoch (if there is none), the epoch's TTL, then ticket and age (ms before now;
 * negative: a slot ahead) for each call. Returns the epoch.
 */
const RESTORE = new LuaScript(`${NOW}
local span, latest = tonumber(ARGV[1]), now
for i = 4, #ARGV - 1, 2 do
  local at = now - tonumber(ARGV[i + 1])
  if at > now - span then
    redis.call('ZADD', KEYS[1], 'NX', string.format('%.3f', at), ARGV[i])
    if at > latest then latest = at end
  end
end
local ttl = math.ceil(latest - now + span)
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
local epoch = redis.call('GET', KEYS[2]) or ARGV[2]
redis.call('SET', KEYS[2], epoch, 'PX', ARGV[3])
return epoch`);

/**
 * A queued call at its slot: counts the calls sent (score up to now, not queued) but itself, as nextSlot does.
 * KEYS: label log, label state hash, the label's queued tickets. ARGV: span, limit, ticket. Returns the wait
 * left, 0 to go now.
 */
const CONFIRM = new LuaScript(`${NOW}
local span, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.3f', now - span))
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', string.format('%.3f', now - span))
local sent = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', string.format('%.3f', now), 'WITHSCORES')
local times = {}
for i = 1, #sent, 2 do
  if sent[i] ~= ARGV[3] and not redis.call('ZSCORE', KEYS[3], sent[i]) then times[#times + 1] = tonumber(sent[i + 1]) end
end
local at = now
if #times >= limit then at = math.max(at, times[#times - limit + 1] + span) end
at = math.max(at, tonumber(redis.call('HGET', KEYS[2], 'pausedUntil') or '0'))
if at > now then return string.format('%.3f', at - now) end
redis.call('ZADD', KEYS[1], string.format('%.3f', now), ARGV[3])
redis.call('ZREM', KEYS[3], ARGV[3])
if redis.call('PTTL', KEYS[1]) < span then redis.call('PEXPIRE', KEYS[1], math.ceil(span)) end
return '0'`);

/**
 * KEYS: label log, daily hash, the label's queued tickets. ARGV: ticket, 1 if the call was sent (else its slot is
 * given back, and its count towards the daily cap if it was counted on the day ARGV[4] names: '' if none), span,
 * that day's reset.
 */
const SETTLE = new LuaScript(`${NOW}
${RETURNED}
redis.call('ZREM', KEYS[3], ARGV[1])
local at = redis.call('ZSCORE', KEYS[1], ARGV[1])
if ARGV[2] ~= '1' then
  if not at then return 0 end
  redis.call('ZREM', KEYS[1], ARGV[1])
  local day = tonumber(ARGV[4])
  if day ~= nil and tonumber(redis.call('HGET', KEYS[2], 'resetAt') or '0') == day then
    redis.call('HSET', KEYS[2], 'returned', returnedOn(KEYS[2], day) + 1, 'returnedDay', ARGV[4])
  end
  return 1
end
-- Sent: the entry moves to now, never earlier; back in if its slot left the span.
if not at or tonumber(at) < now then
  redis.call('ZADD', KEYS[1], string.format('%.3f', now), ARGV[1])
  if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
end
return 1`);

/** KEYS: label state hash. ARGV: pause length. */
const PAUSE = new LuaScript(`${NOW}
local untilMs = now + tonumber(ARGV[1])
if tonumber(redis.call('HGET', KEYS[1], 'pausedUntil') or '0') < untilMs then redis.call('HSET', KEYS[1], 'pausedUntil', string.format('%.3f', untilMs)) end
local ttl = redis.call('PTTL', KEYS[1])
local wanted = math.ceil(tonumber(ARGV[1]) + ${PAUSE_TTL_MARGIN_MS})
if ttl < wanted then redis.call('PEXPIRE', KEYS[1], wanted) end
return 1`);

/** KEYS: label log, label state hash, daily hash. ARGV: span. Returns the calls in the window, the pause left, today's count (less what was given back). */
const USAGE = new LuaScript(`${NOW}
${RETURNED}
local counted = redis.call('ZCOUNT', KEYS[1], '(' .. string.format('%.3f', now - tonumber(ARGV[1])), '+inf')
local paused = tonumber(redis.call('HGET', KEYS[2], 'pausedUntil') or '0')
local used = 0
local resetAt = tonumber(redis.call('HGET', KEYS[3], 'resetAt') or '0')
if resetAt > now then used = tonumber(redis.call('HGET', KEYS[3], 'used') or '0') - returnedOn(KEYS[3], resetAt) end
local entries = {}
local listed = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. string.format('%.3f', now - tonumber(ARGV[1])), '+inf', 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
for i = 1, #listed, 2 do
  entries[#entries + 1] = listed[i]
  entries[#entries + 1] = string.format('%.3f', now - tonumber(listed[i + 1]))
end
return {counted, string.format('%.3f', paused - now), used, resetAt, entries}`);

const REASONS: readonly RefusalReason[] = ['window', 'queue', 'paused', 'daily'];

/**
 * How long the windows' epoch outlives the last grant: a window empties itself a span after its last call, and
 * that must not pass for a loss (an instance would be asked to put its calls back for nothing). Only an account
 * idle this long gets a new epoch without a loss, which costs an instance with calls in the window one restore.
 */
export const WINDOW_EPOCH_TTL_MS = 24 * 60 * 60_000;

/** Grants awaiting their settle, at most, whose day is remembered to give their count back if they are never sent. */
export const COUNTED_DAYS_KEPT = 100_000;

/**
 * How often the day's count of the release before hash-tagged keys is read: during a rolling
 * upgrade its instances keep spending under their own key, and they may start again later.
 */
export const LEGACY_DAILY_REFRESH_MS = 10_000;

/** The account's namespace as releases before hash-tagged keys wrote it (`zoomgw:<digest>:v1:`); undefined when it has no tag. */
export function legacyNamespace(namespace: string): string | undefined {
  const untagged = namespace.replace(/\{([^{}]*)\}/, '$1');
  return untagged === namespace ? undefined : untagged;
}

/** A count as the old release wrote it, or undefined for anything else (a count Redis's HINCRBY could not add to). */
function dailyCountOf(used: string | null, resetAt: string | null): DailyCount | undefined {
  const count = { used: Number(used), resetAt: Number(resetAt) };
  if (used === null || resetAt === null || !/^\d+$/.test(used) || !/^\d+$/.test(resetAt)) return undefined;
  return Number.isSafeInteger(count.used) && Number.isSafeInteger(count.resetAt) ? count : undefined;
}

/** Governor windows shared by every instance of one Zoom account, kept atomically in Redis. */
export class RedisGovernorStore implements GovernorStore {
  /** The old release's count as last read, and when. */
  private legacy: { readAtMs: number; count: DailyCount | undefined } = { readAtMs: -Infinity, count: undefined };
  private legacyReading = false;
  /** The day each call this instance was granted was counted in towards the daily cap, until it settles. */
  private readonly countedDays = new Map<string, number>();

  constructor(
    private readonly connection: RedisConnection,
    /** The account's namespace (accountNamespace()). */
    private readonly namespace: string,
    /** Paces the reads of the old release's daily count. */
    private readonly now: () => number = Date.now,
  ) {}

  isAvailable(): boolean {
    return this.connection.isUp();
  }

  async reserve({ label, budget, ticket, maxWaitMs, dailyLimit, dailyFloor, dailyFloorResetAt, dailySeen, windowCheck }: SlotRequest): Promise<SlotAnswer> {
    const legacy = dailyLimit > 0 ? this.legacyDaily() : undefined;
    const reply = await this.connection.run('governor.reserve', (client) =>
      RESERVE.run(client, [...this.keys(label), this.epochKey(), this.queuedKey(label)], [
        countedSpanMs(budget), Math.max(1, Math.floor(budget.limit)), maxWaitMs, dailyLimit, dailyFloor ?? 0, ticket, dailySeen?.used ?? 0, dailySeen?.resetAt ?? 0, dailyFloorResetAt ?? 0,
        legacy?.used ?? 0, legacy?.resetAt ?? 0, randomUUID(),
        windowCheck?.epoch ?? '', windowCheck?.grantedAlone ? '1' : '0', windowCheck?.ownCalls ?? 0, WINDOW_EPOCH_TTL_MS,
      ]),
    );
    const [granted, waitMs, reason, used, resetAt, epochReply, counted] = reply as [number, string | number, string, number, number, string?, number?];
    const daily = dailyLimit > 0 ? { used: Number(used), resetAt: Number(resetAt) } : undefined;
    // What the answer tells of the shared window, whatever was decided: its epoch, and the calls it counted.
    const window = { ...(epochReply === undefined || epochReply === '' ? {} : { epoch: epochReply }), ...(counted === undefined ? {} : { windowCalls: Number(counted) }) };
    if (reason === 'restore') return { granted: false, waitMs: 0, reason: 'window', restoreFirst: true, ...window };
    if (granted === 1) {
      if (daily !== undefined) this.noteCountedDay(ticket, daily.resetAt);
      return { granted: true, waitMs: Number(waitMs), daily, ...window };
    }
    return { granted: false, waitMs: Number(waitMs), reason: REASONS.find((known) => known === reason) ?? 'window', daily, ...window };
  }

  /** Puts back calls this instance made in the label's window (see RESTORE); resolves with the window's epoch. */
  async restore(label: RateLabel, budget: RateBudget, entries: readonly WindowEntry[]): Promise<string> {
    const args = [countedSpanMs(budget), randomUUID(), WINDOW_EPOCH_TTL_MS, ...entries.flatMap((entry) => [entry.ticket, Math.round(entry.ageMs)])];
    return String(await this.connection.run('governor.restore', (client) => RESTORE.run(client, [this.keys(label)[0], this.epochKey()], args)));
  }

  async confirm(label: RateLabel, budget: RateBudget, ticket: string): Promise<number> {
    const [log, state] = this.keys(label);
    const reply = await this.connection.run('governor.confirm', (client) => CONFIRM.run(client, [log, state, this.queuedKey(label)], [countedSpanMs(budget), Math.max(1, Math.floor(budget.limit)), ticket]));
    return Number(reply);
  }

  /** As a settle of a sent call, which moves the entry the same way, but the call's day is kept for its own settle. */
  async hold(label: RateLabel, budget: RateBudget, ticket: string): Promise<void> {
    const [log, , daily] = this.keys(label);
    await this.connection.run('governor.hold', (client) => SETTLE.run(client, [log, daily, this.queuedKey(label)], [ticket, '1', countedSpanMs(budget), '']));
  }

  async settle(label: RateLabel, budget: RateBudget, ticket: string, sent: boolean): Promise<void> {
    const spanMs = countedSpanMs(budget);
    const day = this.countedDays.get(ticket);
    this.countedDays.delete(ticket);
    const [log, , daily] = this.keys(label);
    await this.connection.run('governor.settle', (client) => SETTLE.run(client, [log, daily, this.queuedKey(label)], [ticket, sent ? '1' : '0', spanMs, day ?? '']));
  }

  /** Bounded: a grant whose settle never came (its caller failed) is forgotten with the oldest. */
  private noteCountedDay(ticket: string, day: number): void {
    if (this.countedDays.size >= COUNTED_DAYS_KEPT) this.countedDays.delete(this.countedDays.keys().next().value as string);
    this.countedDays.set(ticket, day);
  }

  async pause(label: RateLabel, forMs: number): Promise<void> {
    await this.connection.run('governor.pause', (client) => PAUSE.run(client, [this.keys(label)[1]], [Math.ceil(Math.min(MAX_RETRY_AFTER_MS, forMs))]));
  }

  async pausedFor(label: RateLabel): Promise<number> {
    const reply = (await this.connection.run('governor.usage', (client) => USAGE.run(client, this.keys(label), [0, 0]))) as [number, string];
    return Math.max(0, Number(reply[1]));
  }

  async usage(label: RateLabel, budget: RateBudget): Promise<LabelUsage> {
    const reply = (await this.connection.run('governor.usage', (client) => USAGE.run(client, this.keys(label), [countedSpanMs(budget), USAGE_ENTRIES_READ]))) as [number, string, number, number, string[]];
    const [inWindow, paused, dailyUsed, dailyResetAt] = [Number(reply[0]), Number(reply[1]), Number(reply[2]), Number(reply[3] ?? 0)];
    const listed = Array.isArray(reply[4]) ? reply[4] : [];
    const entries: WindowEntry[] = [];
    for (let index = 0; index + 1 < listed.length; index += 2) entries.push({ ticket: String(listed[index]), ageMs: Number(listed[index + 1]) });
    return { inWindow, pausedForMs: Math.max(0, Math.ceil(paused)), dailyUsed, dailyResetAt: dailyUsed > 0 ? dailyResetAt : 0, entries };
  }

  /**
   * The count of the release before hash-tagged keys (`zoomgw:<digest>:v1:governor:daily`), as
   * last read: without it the new key would start the day at 0 after an upgrade and the account's
   * daily cap could be spent twice. Read in the background every LEGACY_DAILY_REFRESH_MS, so no
   * reservation waits on it; what it grew by since it was last added is added to today's count.
   * A read that fails, or finds no count or an unreadable one, is tried again later.
   */
  private legacyDaily(): DailyCount | undefined {
    const namespace = legacyNamespace(this.namespace);
    if (namespace === undefined) return undefined;
    if (!this.legacyReading && this.now() - this.legacy.readAtMs >= LEGACY_DAILY_REFRESH_MS) {
      this.legacyReading = true;
      this.legacy = { ...this.legacy, readAtMs: this.now() };
      void this.connection
        .run('governor.legacy-daily', (client) => client.hmget(`${namespace}governor:daily`, 'used', 'resetAt'))
        .then(([used, resetAt]) => {
          this.legacy = { readAtMs: this.now(), count: dailyCountOf(used, resetAt) };
        })
        .catch(() => undefined)
        .finally(() => {
          this.legacyReading = false;
        });
    }
    return this.legacy.count;
  }

  /** The account's windows' epoch: one for every label, as a Redis loses them all together. */
  private epochKey(): string {
    return `${this.namespace}governor:epoch`;
  }

  /** The label's calls slotted ahead that have not gone yet: a queued call does not count them as sent. */
  private queuedKey(label: RateLabel): string {
    return `${this.namespace}governor:${label}:queued`;
  }

  private keys(label: RateLabel): [string, string, string] {
    return [`${this.namespace}governor:${label}:log`, `${this.namespace}governor:${label}`, `${this.namespace}governor:daily`];
  }
}
