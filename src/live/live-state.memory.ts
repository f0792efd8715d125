import { LRUCache } from 'lru-cache';
import type { WireSession } from '../zoom/wire';
import { LiveEvent, USER_EVENTS, deduplicationKey, participantKey } from './live-event';
import type { ApplyOutcome, LiveParticipant, LiveSessionRecord, LiveState } from './live-state';
import { ENDED_RETENTION_MS, EVENT_MARK_MS, LIVE_RETENTION_MS, MAX_ENDED_SESSIONS_KEPT, MAX_EVENT_MARKS, MAX_PARTICIPANTS_PER_SESSION, MAX_TRACKED_SESSIONS, RECONCILE_GRACE_MS, isLiveRecord, lastSeenTs } from './live-state';
import { SessionEventType } from './session-event-type.enum';

type MutableRecord = { -readonly [K in keyof LiveSessionRecord]: LiveSessionRecord[K] };

interface Entry {
  record: MutableRecord;
  participants: Map<string, LiveParticipant>;
  /** When the entry may be forgotten (state-clock ms, from the caller's `now`). */
  expiresAt: number;
}

const NOT_APPLIED: ApplyOutcome = { applied: false, session: null };
const REFUSED: ApplyOutcome = { applied: false, session: null, refused: true };
/** How often, at most, sessions past their retention are looked for (each look reads every session kept). */
const SWEEP_EVERY_MS = 60_000;

/** The live state of one instance. Every method runs to completion without awaiting, so each is atomic. */
export class MemoryLiveState implements LiveState {
  private readonly entries = new Map<string, Entry>();
  /** The live entries' ids: the cap counts these, never the ended ones kept for ordering. */
  private readonly live = new Set<string>();
  /** Events taken, by de-duplication key: whether each was news, and when (this state's clock). */
  private readonly marks = new LRUCache<string, { readonly applied: boolean; readonly writer: string; readonly at: number }>({ max: MAX_EVENT_MARKS });

  private nextSweepAt = 0;
  /** Each session's other id (the one of Zoom's two a webhook did not key it by: live-event.ts) to its own, while the session is kept. */
  private readonly byOtherId = new Map<string, string>();

  constructor(private readonly now: () => number = Date.now) {}

  async apply(event: LiveEvent, writer = ''): Promise<ApplyOutcome> {
    const key = deduplicationKey(event);
    const mark = this.marks.get(key);
    if (mark !== undefined && this.now() - mark.at < EVENT_MARK_MS) {
      const known = this.entries.get(event.sessionId);
      return { applied: false, session: known ? { ...known.record } : null, repeatOf: { applied: mark.applied, writer: mark.writer } };
    }
    const outcome = this.applyOnce(event);
    if (!outcome.refused) this.marks.set(key, { applied: outcome.applied, writer, at: this.now() });
    return outcome;
  }

  private applyOnce(event: LiveEvent): ApplyOutcome {
    const entry = this.entryFor(event.sessionId);
    if (!entry) return REFUSED;
    // A newcomer past the session's bound: nothing of it is written (its session's other id included).
    if (USER_EVENTS.has(event.type) && event.user !== null && !entry.participants.has(participantKey(event.user)) && entry.participants.size >= MAX_PARTICIPANTS_PER_SESSION) return REFUSED;
    const { record } = entry;
    if (record.otherId === null && event.otherSessionId !== null) {
      record.otherId = event.otherSessionId;
      this.byOtherId.set(event.otherSessionId, record.id);
    }
    const { ts } = event;
    let applied = false;
    switch (event.type) {
      case SessionEventType.SESSION_STARTED:
        applied = ts > record.endTs && ts > record.startTs;
        record.startTs = Math.max(record.startTs, ts);
        if (ts > record.aliveTs || record.sessionName === null) {
          record.sessionName = event.sessionName ?? record.sessionName;
          record.sessionKey = event.sessionKey ?? record.sessionKey;
          record.startTime = event.startTime ?? record.startTime;
        }
        record.aliveTs = Math.max(record.aliveTs, ts);
        break;
      case SessionEventType.SESSION_ENDED:
        if (ts > record.endTs) {
          record.endTs = ts;
          record.endTime = event.endTime;
          applied = true;
        }
        record.sessionName ??= event.sessionName;
        record.sessionKey ??= event.sessionKey;
        record.startTime ??= event.startTime;
        break;
      case SessionEventType.USER_JOINED:
      case SessionEventType.USER_LEFT: {
        applied = this.applyParticipant(entry, event);
        record.sessionName ??= event.sessionName;
        record.sessionKey ??= event.sessionKey;
        record.startTime ??= event.startTime;
        break;
      }
      default:
        // Sharing, recording and alerts keep no state: news unless the session ended before them
        // (a completed recording arrives after the end, and is news all the same).
        applied = event.type === SessionEventType.RECORDING_COMPLETED || ts > record.endTs;
    }
    this.touch(entry);
    return { applied, session: { ...record } };
  }

  async markListed(session: WireSession, atMs: number): Promise<ApplyOutcome> {
    // Listed under the other id of a session known here (ended: a live one is matched by the reconciler): not a new one.
    if (!this.entries.has(session.id) && this.byOtherId.has(session.id)) return { applied: false, session: null };
    const entry = this.entryFor(session.id);
    if (!entry) return REFUSED;
    const { record } = entry;
    const wasLive = isLiveRecord(record);
    record.listed = session;
    record.sessionName ??= session.session_name;
    record.sessionKey ??= session.session_key ?? null;
    record.startTime ??= session.start_time;
    record.listedTs = Math.max(record.listedTs, atMs);
    this.touch(entry);
    return { applied: !wasLive && isLiveRecord(record), session: { ...record } };
  }

  async markMissing(sessionId: string, atMs: number): Promise<ApplyOutcome> {
    const entry = this.entries.get(sessionId);
    if (!entry || !isLiveRecord(entry.record) || lastSeenTs(entry.record) >= atMs - RECONCILE_GRACE_MS) return NOT_APPLIED;
    entry.record.endTs = atMs;
    entry.record.endTime = new Date(atMs).toISOString();
    this.touch(entry);
    return { applied: true, session: { ...entry.record } };
  }

  async liveSessions(): Promise<LiveSessionRecord[]> {
    const now = this.now();
    const live: LiveSessionRecord[] = [];
    for (const entry of this.entries.values()) {
      if (entry.expiresAt > now && isLiveRecord(entry.record)) live.push({ ...entry.record });
    }
    return live;
  }

  async session(sessionId: string): Promise<LiveSessionRecord | undefined> {
    const entry = this.entries.get(sessionId);
    return entry && entry.expiresAt > this.now() ? { ...entry.record } : undefined;
  }

  async participants(sessionId: string): Promise<LiveParticipant[]> {
    const entry = this.entries.get(sessionId);
    if (!entry) return [];
    return [...entry.participants.values()].sort((a, b) => a.joinTs - b.joinTs || (a.key < b.key ? -1 : 1));
  }

  /** Lost only with the process, which loses this instance's writes with it. */
  async lostWrites(): Promise<boolean> {
    return false;
  }

  async close(): Promise<void> {
    this.entries.clear();
    this.live.clear();
  }

  /** Whether the event is news (applyOnce refused a newcomer past the session's bound). */
  private applyParticipant(entry: Entry, event: LiveEvent): boolean {
    const user = event.user;
    if (user === null) return false;
    const key = participantKey(user);
    const known = entry.participants.get(key);
    const before = known ?? { key, user, joinTs: 0, leaveTs: 0, leaveTime: null, leaveReason: null };
    const wasPresent = before.joinTs > before.leaveTs;
    let next: LiveParticipant = before;
    let applied = false;
    const { record } = entry;
    if (event.type === SessionEventType.USER_JOINED) {
      record.aliveTs = Math.max(record.aliveTs, event.ts);
      if (event.ts > before.joinTs) {
        next = { ...before, user, joinTs: event.ts };
        applied = event.ts > before.leaveTs && event.ts > record.endTs;
      }
    } else if (event.ts > before.leaveTs) {
      next = { ...before, user: before.joinTs > 0 ? before.user : user, leaveTs: event.ts, leaveTime: user.leaveTime, leaveReason: user.leaveReason };
      applied = true;
    }
    entry.participants.set(key, next);
    if (!known) record.joined += 1;
    record.present += Number(next.joinTs > next.leaveTs) - Number(wasPresent);
    return applied;
  }

  private entryFor(sessionId: string): Entry | undefined {
    const known = this.entries.get(sessionId);
    if (known) return known;
    // Sessions past their retention are let go as new ones come, not only under the cap: an ended one is kept 3 hours, not until 100,000 more ended.
    const now = this.now();
    if (now >= this.nextSweepAt) {
      this.nextSweepAt = now + SWEEP_EVERY_MS;
      this.sweep();
    }
    if (this.live.size >= MAX_TRACKED_SESSIONS) this.sweep();
    if (this.live.size >= MAX_TRACKED_SESSIONS) return undefined;
    if (this.entries.size - this.live.size >= MAX_ENDED_SESSIONS_KEPT) this.forgetOldestEnded();
    const record: MutableRecord = {
      id: sessionId, otherId: null, sessionName: null, sessionKey: null, startTime: null, endTime: null, aliveTs: 0, listedTs: 0, startTs: 0, endTs: 0, present: 0, joined: 0, listed: null,
    };
    const entry: Entry = { record, participants: new Map(), expiresAt: 0 };
    this.entries.set(sessionId, entry);
    return entry;
  }

  private touch(entry: Entry): void {
    const live = isLiveRecord(entry.record);
    entry.expiresAt = this.now() + (live ? LIVE_RETENTION_MS : ENDED_RETENTION_MS);
    if (live) this.live.add(entry.record.id);
    else this.live.delete(entry.record.id);
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt > now) continue;
      this.forget(id, entry);
    }
  }

  /** Entries are kept in order of creation, so the first ended (or expired) one met is among the oldest. */
  private forgetOldestEnded(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) {
      if (this.live.has(id) && entry.expiresAt > now) continue;
      this.forget(id, entry);
      return;
    }
  }

  private forget(id: string, entry: Entry): void {
    this.entries.delete(id);
    this.live.delete(id);
    if (entry.record.otherId !== null && this.byOtherId.get(entry.record.otherId) === id) this.byOtherId.delete(entry.record.otherId);
  }
}
