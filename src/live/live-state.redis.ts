import { createHash, randomUUID } from 'node:crypto';
import { LuaScript } from '../redis/lua-script';
import { RedisConnection, redisKey } from '../redis/redis-connection';
import type { WireSession } from '../zoom/wire';
import { LiveEvent, LiveUser, deduplicationKey, participantKey } from './live-event';
import type { ApplyOutcome, LiveParticipant, LiveSessionRecord, LiveState } from './live-state';
import { ENDED_RETENTION_MS, EVENT_MARK_MS, LIVE_RETENTION_MS, MAX_PARTICIPANTS_PER_SESSION, MAX_TRACKED_SESSIONS, RECONCILE_GRACE_MS, WRITE_COUNT_TTL_MS, isLiveRecord } from './live-state';

/**
 * Fields kept per participant in a session's participants hash: j:, l:, u:, ld:. The hash's length is
 * bounded by this many per participant as well as by the session's count of those who joined: a record
 * an earlier release wrote has no such count.
 */
const FIELDS_PER_PARTICIPANT = 4;
/**
 * Session records read per pipeline when the live list is read: ioredis times out each command of
 * a pipeline on its own, so thousands in one would leave the last ones timed out on a busy process.
 */
export const LIVE_RECORDS_PER_READ = 250;

/**
 * One session's change, atomic in Redis: the same last-writer-wins rules as MemoryLiveState
 * (isLiveRecord: a start or join newer than the end, or listed with no end known). KEYS: session hash, participants
 * hash, live set, this instance's count of writes (WRITE_COUNT_TTL_MS), the other-id key (for an event, the one
 * its other id names, pointed at this session; for a listing, the one the listed id names: a session known by it),
 * and for a webhook event its mark (whether it was news and which write took it, kept EVENT_MARK_MS). ARGV: op, ts,
 * id, other id, name, key, start, end time, participant key, user JSON, leave JSON, live TTL, ended TTL (the other-id
 * key is kept both, from each event that names it: a session live a day, then ended), participant field cap, listed JSON, grace, session cap, mark TTL, writer, count TTL.
 * Returns {0 stale | 1 applied | 2 refused | 3 a repeat of one stale | 4 a repeat of one applied, session hash,
 * writer of a repeat, the count of this instance's writes after a write}.
 */
const APPLY_SCRIPT = new LuaScript(`
local s, p, live, writes, other, mark = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local op, ts = ARGV[1], tonumber(ARGV[2])
local function num(v) return tonumber(v) or 0 end
if mark then
  local before = redis.call('GET', mark)
  if before then
    local sep = string.find(before, ':', 1, true)
    return {3 + tonumber(string.sub(before, 1, sep - 1)), redis.call('HGETALL', s), string.sub(before, sep + 1)}
  end
end
local exists = redis.call('EXISTS', s) == 1
-- Listed under the other id of a session known here (ended: a live one is matched by the reconciler): not a new one.
if op == 'listed' and not exists then
  local owner = redis.call('GET', other)
  if owner and owner ~= ARGV[3] then return {0, {}} end
end
if not exists and redis.call('SCARD', live) >= tonumber(ARGV[17]) then return {2, {}} end
local userOp = op == 'USER_JOINED' or op == 'USER_LEFT'
local known = userOp and redis.call('HEXISTS', p, 'u:' .. ARGV[9]) == 1
-- A newcomer past the session's bound: nothing is written, and it is said (2), as a session past the cap is.
if userOp and not known then
  if num(redis.call('HGET', s, 'joined')) >= tonumber(ARGV[21]) or redis.call('HLEN', p) >= tonumber(ARGV[14]) then return {2, {}} end
end
local alive = num(redis.call('HGET', s, 'alive'))
local ended = num(redis.call('HGET', s, 'ended'))
local listedAt = num(redis.call('HGET', s, 'listedAt'))
local function isLive() return alive > ended or (listedAt > 0 and ended == 0) end
local applied = 0
local function details(force)
  local fields = {'name', 'key', 'start'}
  for i = 1, 3 do
    local value = ARGV[4 + i]
    if value ~= '' and (force or not redis.call('HGET', s, fields[i])) then redis.call('HSET', s, fields[i], value) end
  end
end
if op == 'missing' then
  if not exists or not isLive() or math.max(alive, listedAt) >= ts - tonumber(ARGV[16]) then return {0, {}} end
  ended = ts
  redis.call('HSET', s, 'ended', ARGV[2], 'endTime', ARGV[8])
  applied = 1
else
  if ARGV[4] ~= '' then
    if not redis.call('HGET', s, 'other') then redis.call('HSET', s, 'other', ARGV[4]) end
    redis.call('SET', other, ARGV[3], 'PX', tonumber(ARGV[12]) + tonumber(ARGV[13]))
  end
  if op == 'SESSION_STARTED' then
    local started = num(redis.call('HGET', s, 'started'))
    if ts > ended and ts > started then applied = 1 end
    if ts > started then redis.call('HSET', s, 'started', ARGV[2]) end
    details(ts > alive)
    if ts > alive then alive = ts; redis.call('HSET', s, 'alive', ARGV[2]) end
  elseif op == 'SESSION_ENDED' then
    if ts > ended then
      ended = ts
      redis.call('HSET', s, 'ended', ARGV[2])
      if ARGV[8] ~= '' then redis.call('HSET', s, 'endTime', ARGV[8]) else redis.call('HDEL', s, 'endTime') end
      applied = 1
    end
    details(false)
  elseif op == 'USER_JOINED' or op == 'USER_LEFT' then
    local pk = ARGV[9]
    details(false)
    do
      local j = num(redis.call('HGET', p, 'j:' .. pk))
      local l = num(redis.call('HGET', p, 'l:' .. pk))
      local was = j > l
      if op == 'USER_JOINED' then
        if ts > alive then alive = ts; redis.call('HSET', s, 'alive', ARGV[2]) end
        if ts > j then
          j = ts
          redis.call('HSET', p, 'j:' .. pk, ARGV[2], 'u:' .. pk, ARGV[10])
          if ts > l and ts > ended then applied = 1 end
        end
      elseif ts > l then
        l = ts
        redis.call('HSET', p, 'l:' .. pk, ARGV[2], 'ld:' .. pk, ARGV[11])
        if j == 0 then redis.call('HSET', p, 'u:' .. pk, ARGV[10]) end
        applied = 1
      end
      local now = j > l
      if now ~= was then redis.call('HINCRBY', s, 'present', now and 1 or -1) end
      if not known then redis.call('HINCRBY', s, 'joined', 1) end
    end
  elseif op == 'listed' then
    local wasLive = isLive()
    redis.call('HSET', s, 'listed', ARGV[15])
    details(false)
    if ts > listedAt then listedAt = ts; redis.call('HSET', s, 'listedAt', ARGV[2]) end
    if not wasLive and isLive() then applied = 1 end
  else
    if op == 'RECORDING_COMPLETED' or ts > ended then applied = 1 end
  end
end
local ttl = ARGV[13]
if isLive() then redis.call('SADD', live, ARGV[3]); ttl = ARGV[12] else redis.call('SREM', live, ARGV[3]) end
redis.call('PEXPIRE', s, ttl)
redis.call('PEXPIRE', p, ttl)
if mark then redis.call('SET', mark, applied .. ':' .. ARGV[19], 'PX', ARGV[18]) end
local written = redis.call('INCR', writes)
redis.call('PEXPIRE', writes, ARGV[20])
return {applied, redis.call('HGETALL', s), '', written}
`);

/** Takes out of the live set each id whose record is gone. KEYS: the live set, then each record. ARGV: the ids, in the same order. */
const PRUNE_SCRIPT = new LuaScript(`
for i = 1, #ARGV do
  if redis.call('EXISTS', KEYS[i + 1]) == 0 then redis.call('SREM', KEYS[1], ARGV[i]) end
end
return 1`);

function pairs(flat: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) map.set(flat[i], flat[i + 1]);
  return map;
}

function recordOf(id: string, fields: Map<string, string>): LiveSessionRecord {
  const listed = fields.get('listed');
  return {
    id,
    otherId: fields.get('other') ?? null,
    sessionName: fields.get('name') ?? null,
    sessionKey: fields.get('key') ?? null,
    startTime: fields.get('start') ?? null,
    endTime: fields.get('endTime') ?? null,
    aliveTs: Number(fields.get('alive') ?? 0),
    listedTs: Number(fields.get('listedAt') ?? 0),
    startTs: Number(fields.get('started') ?? 0),
    endTs: Number(fields.get('ended') ?? 0),
    present: Number(fields.get('present') ?? 0),
    joined: Number(fields.get('joined') ?? 0),
    listed: listed === undefined ? null : (JSON.parse(listed) as WireSession),
  };
}

/** Reads this instance's count of writes and keeps it another WRITE_COUNT_TTL_MS. KEYS: the count. ARGV: TTL. */
const LOOK_AT_COUNT_SCRIPT = new LuaScript(`
local written = redis.call('GET', KEYS[1])
if written then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return tonumber(written) or 0
`);

/** The live state in Redis, shared by every instance; each change is one Lua script, atomic per session. */
export class RedisLiveState implements LiveState {
  /** This instance's writes as the store last counted them, and whether it was seen to count fewer since the last look. */
  private written = 0;
  private wentBack = false;

  constructor(
    private readonly connection: RedisConnection,
    /** The account's namespace and this seam's noun (seams.ts). */
    private readonly namespace: string,
    /** This process, for its count of writes. */
    private readonly instance: string = randomUUID(),
  ) {}

  apply(event: LiveEvent, writer = ''): Promise<ApplyOutcome> {
    const user = event.user;
    // A digest: the key holds a participant's id and the session's, whatever their length.
    const mark = createHash('sha256').update(deduplicationKey(event)).digest('base64url').slice(0, 22);
    return this.run(event.type, event.ts, event.sessionId, {
      mark,
      writer,
      otherId: event.otherSessionId ?? '',
      name: event.sessionName ?? '',
      key: event.sessionKey ?? '',
      start: event.startTime ?? '',
      endTime: event.endTime ?? '',
      participant: user === null ? '' : participantKey(user),
      user: user === null ? '' : JSON.stringify(user),
      leave: user === null ? '' : JSON.stringify({ leaveTime: user.leaveTime, leaveReason: user.leaveReason }),
    });
  }

  markListed(session: WireSession, atMs: number): Promise<ApplyOutcome> {
    return this.run('listed', atMs, session.id, { name: session.session_name, key: session.session_key ?? '', start: session.start_time, listed: JSON.stringify(session) });
  }

  markMissing(sessionId: string, atMs: number): Promise<ApplyOutcome> {
    return this.run('missing', atMs, sessionId, { endTime: new Date(atMs).toISOString() });
  }

  async liveSessions(): Promise<LiveSessionRecord[]> {
    const ids = await this.connection.run('live.sessions', (client) => client.smembers(this.liveKey()));
    const live: LiveSessionRecord[] = [];
    const gone: string[] = [];
    for (let from = 0; from < ids.length; from += LIVE_RECORDS_PER_READ) {
      const chunk = ids.slice(from, from + LIVE_RECORDS_PER_READ);
      const answers =
        (await this.connection.run('live.records', (client) => {
          const pipeline = client.pipeline();
          for (const id of chunk) pipeline.hgetall(this.sessionKey(id));
          return pipeline.exec();
        })) ?? [];
      chunk.forEach((id, index) => {
        const [error, value] = answers[index] ?? [new Error('no reply'), null];
        // A record that could not be read makes the list unreadable: a list short of it would pass for the whole.
        if (error) throw error;
        const fields = new Map(Object.entries(value as Record<string, string>));
        // A member whose record is gone (ended and pruned between the two reads, or expired untouched) is not live.
        if (fields.size > 0) live.push(recordOf(id, fields));
        else gone.push(id);
      });
    }
    // Taken out of the set, which the session cap counts: a record that expired untouched (no event, no reconciliation
    // for LIVE_RETENTION_MS) leaves its id there. Only if the record is still gone, since a write may have just made it.
    if (gone.length > 0) await this.connection.run('live.prune', (client) => PRUNE_SCRIPT.run(client, [this.liveKey(), ...gone.map((id) => this.sessionKey(id))], gone)).catch(() => undefined);
    return live.filter(isLiveRecord);
  }

  async session(sessionId: string): Promise<LiveSessionRecord | undefined> {
    const fields = await this.connection.run('live.record', (client) => client.hgetall(this.sessionKey(sessionId)));
    return Object.keys(fields).length === 0 ? undefined : recordOf(sessionId, new Map(Object.entries(fields)));
  }

  async participants(sessionId: string): Promise<LiveParticipant[]> {
    const hash = await this.connection.run('live.participants', (client) => client.hgetall(this.participantsKey(sessionId)));
    const participants: LiveParticipant[] = [];
    for (const [field, value] of Object.entries(hash)) {
      if (!field.startsWith('u:')) continue;
      const key = field.slice(2);
      const leave = hash[`ld:${key}`] === undefined ? { leaveTime: null, leaveReason: null } : (JSON.parse(hash[`ld:${key}`]) as { leaveTime: string | null; leaveReason: string | null });
      participants.push({
        key,
        user: JSON.parse(value) as LiveUser,
        joinTs: Number(hash[`j:${key}`] ?? 0),
        leaveTs: Number(hash[`l:${key}`] ?? 0),
        leaveTime: leave.leaveTime,
        leaveReason: leave.leaveReason,
      });
    }
    return participants.sort((a, b) => a.joinTs - b.joinTs || (a.key < b.key ? -1 : 1));
  }

  async lostWrites(): Promise<boolean> {
    const written = Number(await this.connection.run('live.writes', (client) => LOOK_AT_COUNT_SCRIPT.run(client, [this.writesKey()], [String(WRITE_COUNT_TTL_MS)])));
    // One connection answers in order: a write answered before this look ran before it, so the count cannot be behind it.
    this.counted(written, false);
    const wentBack = this.wentBack;
    this.wentBack = false;
    return wentBack;
  }

  async close(): Promise<void> {
    // The connection belongs to seams.ts, which closes it once every seam is done.
  }

  private async run(op: string, ts: number, sessionId: string, args: Partial<Record<'mark' | 'writer' | 'otherId' | 'name' | 'key' | 'start' | 'endTime' | 'participant' | 'user' | 'leave' | 'listed', string>>): Promise<ApplyOutcome> {
    const keys = [this.sessionKey(sessionId), this.participantsKey(sessionId), this.liveKey(), this.writesKey(), this.otherIdKey(args.otherId || sessionId), ...(args.mark === undefined ? [] : [redisKey(this.namespace, 'event', args.mark)])];
    const argv = [
      op,
      String(ts),
      sessionId,
      args.otherId ?? '',
      args.name ?? '',
      args.key ?? '',
      args.start ?? '',
      args.endTime ?? '',
      args.participant ?? '',
      args.user ?? '',
      args.leave ?? '',
      String(LIVE_RETENTION_MS),
      String(ENDED_RETENTION_MS),
      String(MAX_PARTICIPANTS_PER_SESSION * FIELDS_PER_PARTICIPANT),
      args.listed ?? '',
      String(RECONCILE_GRACE_MS),
      String(MAX_TRACKED_SESSIONS),
      String(EVENT_MARK_MS),
      args.writer ?? '',
      String(WRITE_COUNT_TTL_MS),
      String(MAX_PARTICIPANTS_PER_SESSION),
    ];
    const reply = (await this.connection.run('live.apply', (client) => APPLY_SCRIPT.run(client, keys, argv))) as [number, string[], string?, number?];
    const [applied, flat, writer, written] = reply;
    if (written !== undefined) this.counted(written, true);
    // 2: a new session refused, the live set being at its cap (ended sessions are not in it), or a new participant past a session's bound.
    if (applied === 2) return { applied: false, session: null, refused: true };
    const session = flat.length === 0 ? null : recordOf(sessionId, pairs(flat));
    if (applied >= 3) return { applied: false, session, repeatOf: { applied: applied === 4, writer: writer ?? '' } };
    return { applied: applied === 1, session };
  }

  /**
   * A write's count one past the last known, or more (a write that timed out and ran all the same), is
   * whole; a count at or below it is the store going back. A look may find the count equal, not lower.
   */
  private counted(written: number, byWrite: boolean): void {
    if (byWrite ? written <= this.written : written < this.written) this.wentBack = true;
    this.written = written;
  }

  private writesKey(): string {
    return redisKey(this.namespace, 'writes', this.instance);
  }

  private sessionKey(id: string): string {
    return redisKey(this.namespace, 'session', id);
  }

  private participantsKey(id: string): string {
    return redisKey(this.namespace, 'participants', id);
  }

  /** The set of live session ids. */
  /** A session's other id, pointing at the id the state keeps it under (kept as long as a live session and then an ended one). */
  private otherIdKey(otherId: string): string {
    return redisKey(this.namespace, 'other-id', otherId);
  }

  private liveKey(): string {
    return redisKey(this.namespace, 'sessions');
  }
}
